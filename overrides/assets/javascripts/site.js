// Math: render $…$ and $$…$$ (pymdownx.arithmatex, generic mode) with the KaTeX served by this site.
document.addEventListener("DOMContentLoaded", function () {
  if (window.renderMathInElement) {
    document.querySelectorAll(".arithmatex").forEach(function (el) {
      window.renderMathInElement(el, {
        delimiters: [
          { left: "\\(", right: "\\)", display: false },
          { left: "\\[", right: "\\]", display: true },
        ],
        throwOnError: true,
      });
    });
  }
});

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
