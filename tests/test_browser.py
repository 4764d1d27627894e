"""A real browser (Debian's chromium, driven by Playwright) against the built site on loopback.

Run locally after `apt-get install chromium` (see README). Without /usr/bin/chromium these tests
are skipped on a developer's machine and fail in CI (CI=true), where .ci/run installs it.
"""

import json
import os
import re
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import pytest

from helpers import LANGS, ROOT

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "build" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail("CI must install Debian's chromium (apt-get install chromium)", pytrace=False)
    pytest.skip("needs /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Visit:
    """A page with everything it requested, and every console error and failed request."""

    def __init__(self, browser, url, **context):
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.requests, self.errors = [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.goto(url, wait_until="networkidle")

    def close(self):
        self.context.close()


READY = ("Type to start searching", "键入以开始搜索")  # Material's prompt once its worker is ready


def search(page, query):
    """Type a query into Material's search; return the text of the results.

    Material sends a query when its web worker reports ready, on focus, and on `keyup`; a
    programmatic fill fires no keyup, so wait for the worker, fill, then press End."""
    page.click("label.md-search__icon, .md-search__input")
    page.wait_for_function(
        f"{list(READY)}.includes(document.querySelector('.md-search-result__meta').textContent.trim())",
        timeout=60000,
    )
    page.fill(".md-search__input", query)
    page.press(".md-search__input", "End")
    try:
        page.wait_for_selector(".md-search-result__item", timeout=20000)
    except sync_api.TimeoutError:
        meta = page.inner_text(".md-search-result__meta")
        raise AssertionError(f"no search results for {query!r}: {meta!r}") from None
    return page.inner_text(".md-search-result__list")


def page_urls(site, base):
    urls = []
    for lang in LANGS:
        for html in sorted((site / lang).rglob("index.html")):
            urls.append(urljoin(base, html.relative_to(site).as_posix().removesuffix("index.html")))
    return urls


def load_all_images(page):
    """Load every image (also the lazy and the hidden dark ones); return the broken ones."""
    page.evaluate("document.querySelectorAll('img').forEach(img => { img.loading = 'eager'; })")
    page.wait_for_function("[...document.images].every(img => img.complete)", timeout=20000)
    return page.evaluate("[...document.images].filter(img => img.naturalWidth === 0).map(img => img.src)")


def test_every_page_renders_without_errors_or_foreign_requests(browser, site, served):
    urls = page_urls(site, served)
    assert len(urls) >= 10
    log = {}
    for url in urls:
        visit = Visit(browser, url)
        broken = load_all_images(visit.page)
        assert broken == [], f"{url}: broken images {broken}"
        assert visit.errors == [], f"{url}: {visit.errors}"
        assert visit.page.locator("h1").count() == 1
        foreign = [r for r in visit.requests if not (r.startswith(served) or r.startswith("data:"))]
        assert foreign == [], f"{url} requested another host: {foreign}"
        log[url.removeprefix(served)] = sorted({r.removeprefix(served) for r in visit.requests})
        visit.close()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "requests.json").write_text(json.dumps(log, indent=1, ensure_ascii=False), encoding="utf-8")


def test_math_is_typeset(browser, served):
    visit = Visit(browser, served + "en/sliding-window/")
    assert visit.page.locator(".arithmatex .katex").count() >= 5
    visit.close()


@pytest.mark.parametrize("start, target", [("en", "zh"), ("zh", "en")])
def test_language_switch_keeps_page_and_anchor(browser, served, start, target):
    visit = Visit(browser, f"{served}{start}/sliding-window/#padding")
    visit.page.hover(".md-header__option .md-select")
    visit.page.click(f"a.md-select__link[hreflang={target}]")
    visit.page.wait_for_url(f"{served}{target}/sliding-window/#padding")
    assert visit.page.evaluate("document.getElementById('padding') !== null")
    visit.close()


@pytest.mark.parametrize(
    "lang, query, expected",
    [("zh", "感受野", "感受野"), ("zh", "步幅", "步幅"), ("en", "receptive field", "receptive field"),
     ("en", "dilation", "dilation")],
)
def test_search_finds_terms(browser, served, lang, query, expected):
    visit = Visit(browser, f"{served}{lang}/")
    text = search(visit.page, query)
    assert expected.lower() in text.lower()
    visit.close()


@pytest.mark.parametrize("locale, lang", [("zh-CN", "zh"), ("zh-TW", "zh"), ("en-US", "en"), ("de-DE", "en")])
def test_root_sends_the_browser_to_its_language(browser, served, locale, lang):
    visit = Visit(browser, served, locale=locale)
    visit.page.wait_for_url(f"{served}{lang}/")
    visit.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
def test_figures_follow_the_theme_and_screenshots(browser, served, lang, scheme):
    visit = Visit(browser, f"{served}{lang}/sliding-window/#output-size", color_scheme=scheme,
                  viewport={"width": 1280, "height": 1000})
    shown = visit.page.evaluate(
        "[...document.querySelectorAll('img[src*=\"figures/\"]')]"
        ".filter(img => img.offsetParent !== null).map(img => img.getAttribute('src'))"
    )
    assert shown, "no figure visible"
    assert all((".dark." in src) == (scheme == "dark") for src in shown), shown
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(path=str(SCREENSHOTS / f"{lang}-sliding-window-{scheme}.png"))
    visit.close()


def test_offline_copy_works_from_the_file_system(browser, tmp_path):
    import subprocess
    import sys

    target = tmp_path / "offline.zip"
    r = subprocess.run([sys.executable, "scripts/build_site.py", "--offline", "--zip", str(target)], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(target) as z:
        z.extractall(tmp_path)
    root = tmp_path / "convolution-visualized"
    visit = Visit(browser, (root / "index.html").as_uri(), locale="zh-CN")
    visit.page.wait_for_url(re.compile(r".*/zh/index\.html$"))
    visit.page.goto((root / "en" / "sliding-window.html").as_uri(), wait_until="load")
    assert load_all_images(visit.page) == []
    assert "stride" in search(visit.page, "stride").lower()
    visit.page.goto((root / "en" / "sliding-window.html").as_uri() + "#stride", wait_until="load")
    visit.page.hover(".md-header__option .md-select")
    visit.page.click("a.md-select__link[hreflang=zh]")
    visit.page.wait_for_url(re.compile(r".*/zh/sliding-window\.html#stride$"))
    foreign = [r for r in visit.requests if not r.startswith("file://") and not r.startswith("data:")]
    assert foreign == []
    assert visit.errors == [], visit.errors
    visit.close()


@pytest.mark.parametrize("lang", LANGS)
def test_cheat_sheet_prints_on_one_page(browser, served, lang):
    """The cheat sheet is one A4 page when printed, without the site's navigation, math typeset."""
    visit = Visit(browser, f"{served}{lang}/cheat-sheet/")
    try:
        page = visit.page
        page.wait_for_selector(".katex", timeout=20000)
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('.md-sidebar--primary')).display") == "none"
        pdf = page.pdf(format="A4", print_background=False)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / f"cheat-sheet-{lang}.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages == 1, f"{lang}/cheat-sheet/ prints on {pages} pages"
        assert page.evaluate("[...document.querySelectorAll('.arithmatex')].every(e => e.querySelector('.katex'))")
    finally:
        visit.close()
