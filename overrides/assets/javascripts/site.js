// Language switch: go to the same page and the same heading in the other language. The two
// trees have the same paths and heading ids, so the page's path below the language's root is kept.
// The address is built from path segments only (empty ones dropped), below the site's own root:
// whatever the address the reader came by (/en////evil.example/… answered by a 404 page, /en///x/),
// the switch can only lead to a page of this site, never to a string a browser reads as a host.
function otherLanguageAddress(here, base, other) {
  var segments = function (path) { return path.split("/").filter(function (s) { return s !== ""; }); };
  var page = new URL(here);
  var path = segments(page.pathname);
  var file = /\/$/.test(page.pathname) ? [] : path.splice(-1); // the offline copy's NAME.html
  var root; // this language's root (".../en"): the page's folders less as many as "..", "../.." say
  if (/^\.\.?(\/\.\.)*$/.test(base)) root = path.slice(0, path.length - (base === "." ? 0 : base.split("/").length));
  else root = segments(new URL(base + "/", page).pathname); // a 404 page's base names the root itself
  if (!root.length || (root[root.length - 1] !== "en" && root[root.length - 1] !== "zh")) return null;
  for (var i = 0; i < root.length; i++) if (path[i] !== root[i]) return null;
  var rest = path.slice(root.length).concat(file);
  var target = "/" + root.slice(0, -1).concat([other], rest).join("/") + (file.length ? "" : "/");
  var url = new URL(target + page.search + page.hash, page);
  return url.origin === page.origin ? url.href : null;
}
document.addEventListener(
  "click",
  function (ev) {
    var link = ev.target instanceof Element && ev.target.closest("a.md-select__link[hreflang]");
    if (!link || ev.metaKey || ev.ctrlKey) return;
    var config = document.getElementById("__config");
    var other = link.getAttribute("hreflang");
    if (!config || (other !== "en" && other !== "zh")) return;
    var target = otherLanguageAddress(location.href, JSON.parse(config.textContent).base, other);
    if (!target) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    location.href = target;
  },
  true
);

// Copy button of a Python session (```pycon, whose prompts Pygments marks .gp): copy what a
// reader would type, not the prompts and not the printed output. Material copies the text of the nearest [data-copy] ancestor when
// there is one, so every session block gets its code as data-copy: the lines after ">>> " and
// "... " (a prompt alone is an empty line); output and tracebacks are left out.
function sessionCode(text) {
  return text
    .split("\n")
    .filter(function (line) { return /^(>>>|\.\.\.)( |$)/.test(line); })
    .map(function (line) { return line.slice(4); })
    .join("\n");
}
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".highlight pre > code").forEach(function (code) {
    if (code.querySelector(".gp")) code.parentElement.setAttribute("data-copy", sessionCode(code.textContent));
  });
});

// Search as the reader types in any way: Material reads the query on `keyup` only, but a Chinese
// input method or a paste from the context menu changes the field with `input` events and no
// key going up. Each such change is passed on as the keyup Material waits for.
document.addEventListener("input", function (ev) {
  var field = ev.target;
  if (field instanceof HTMLInputElement && field.classList.contains("md-search__input")) {
    field.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }
});
