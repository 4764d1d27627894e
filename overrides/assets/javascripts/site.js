// Language switch: go to the same page and the same heading in the other language. The two
// trees have the same paths and heading ids, so the page's path below the site root is kept.
document.addEventListener(
  "click",
  function (ev) {
    var link = ev.target instanceof Element && ev.target.closest("a.md-select__link[hreflang]");
    if (!link || ev.metaKey || ev.ctrlKey) return;
    var config = document.getElementById("__config");
    if (!config) return;
    var root = new URL(JSON.parse(config.textContent).base + "/", location.href);
    if (location.href.indexOf(root.href) !== 0) return;
    var here = location.href.slice(root.href.length);
    ev.preventDefault();
    ev.stopImmediatePropagation();
    location.href = new URL(here, link.href).href;
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
