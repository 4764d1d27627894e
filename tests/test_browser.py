"""A real browser (Debian's chromium, driven by Playwright) against the built site on loopback.

Run locally after `apt-get install chromium` (see README). Without /usr/bin/chromium these tests
are skipped on a developer's machine and fail in CI (CI=true), where .ci/run installs it.
"""

import io
import json
import os
import re
import zipfile
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import numpy as np
import pytest
import yaml

from helpers import LANGS, ROOT

from browsing import ARGS, CHROMIUM, Visit, browser, sync_api  # noqa: F401  (browser: a fixture)

SCREENSHOTS = ROOT / "build" / "screenshots"


READY = ("Type to start searching", "键入以开始搜索")  # Material's prompt once its worker is ready


def search(page, query):
    """Type a query into Material's search; return the text of the results.

    Material sends a query when its web worker reports ready, on focus, and on `keyup`; a
    programmatic fill fires no keyup, so wait for the worker, fill, then press End."""
    page.click("label.md-search__icon, .md-search__input")
    page.wait_for_function(
        f"() => {list(READY)}.includes(document.querySelector('.md-search-result__meta').textContent.trim())",
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


# a page per figure (figures/NAME/) is made from one template: these stand for the others (an
# animation, a still panel in full colour, a receptive-field trace); tests/test_figure_pages.py
# checks every one of them in the built site
FIGURE_PAGES = ("padding-strides", "photo-edges", "receptive-field-dilation")


def page_urls(site, base):
    urls = []
    for lang in LANGS:
        for html in sorted((site / lang).rglob("index.html")):
            path = html.relative_to(site / lang).as_posix()
            if path.startswith("figures/") and path.split("/")[1] not in FIGURE_PAGES:
                continue
            urls.append(urljoin(base, html.relative_to(site).as_posix().removesuffix("index.html")))
    return urls


def load_all_images(page):
    """Load every image (also the lazy and the hidden dark ones); return the broken ones."""
    page.evaluate("document.querySelectorAll('img').forEach(img => { img.loading = 'eager'; })")
    page.wait_for_function("() => [...document.images].every(img => img.complete)", timeout=20000)
    return page.evaluate("[...document.images].filter(img => img.naturalWidth === 0).map(img => img.src)")


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
SCHEME = {"light": "default", "dark": "slate"}  # Material's names of our two palettes (mkdocs.yml theme.palette)
BODY = "() => ({scheme: document.body.dataset.mdColorScheme, background: getComputedStyle(document.body).backgroundColor})"


def to_dark(page):
    """Switch a loaded page to the dark palette as a reader does: the system asks for dark (the
    media query of our slate palette matches) and the header's palette toggle is pressed; Material
    then sets data-md-color-scheme/-primary/-accent on <body> as it does when a page loads in dark."""
    page.emulate_media(color_scheme="dark")
    page.locator("form[data-md-component=palette] label:not([hidden])").click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'"
                           " && document.body.dataset.mdColorMedia === '(prefers-color-scheme: dark)'"
                           " && !document.body.hasAttribute('data-md-color-switching')")


def luminance(css_colour):
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css_colour)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# axe.run in the page's next task: the evaluate returns at once, and the page checks itself while
# another page loads or is checked (two renderer processes, two cores); AXE_RESULT waits for it
AXE_START = ("o => { window.__axe_violations = new Promise((resolve, reject) => setTimeout(() =>"
             " axe.run(document, o).then((r) => resolve(r.violations), reject), 0)); }")
AXE_RESULT = "() => window.__axe_violations"


@pytest.fixture(scope="module")
def every_page(browser, site, served):  # noqa: F811
    """Each page of both languages, visited once with an empty cache: its errors, warnings,
    requests, broken images and h1s once every image (lazy, hidden) has loaded; then axe-core's
    WCAG A/AA rules in the light palette, and again once the same page is switched to the dark one.
    (The three tests below assert on this; one visit per page instead of three.) Pages overlap by
    one: the next page loads and is checked in the light palette while the previous one finishes."""
    from axe_playwright_python.sync_playwright import Axe

    axe_script = Axe().axe_script
    gathered, previous = {}, None
    for url in [*page_urls(site, served), None]:
        current = None
        if url is not None:
            visit = Visit(browser, url, color_scheme="light")
            page = visit.page
            seen = {"broken": load_all_images(page)}
            seen.update(errors=list(visit.errors), warnings=list(visit.warnings), requests=list(visit.requests),
                        h1=page.locator("h1").count(), light=page.evaluate(BODY))
            page.evaluate(axe_script)
            page.evaluate(AXE_START, AXE_OPTIONS)
            current = (url, visit, seen)
        if previous is not None:
            url_before, visit_before, seen_before = previous
            try:
                page = visit_before.page
                seen_before["light"]["violations"] = page.evaluate(AXE_RESULT)
                to_dark(page)
                seen_before["dark"] = page.evaluate(BODY)
                page.evaluate(AXE_START, AXE_OPTIONS)
                seen_before["dark"]["violations"] = page.evaluate(AXE_RESULT)
            finally:
                visit_before.close()
            gathered[url_before] = seen_before
        previous = current
    return gathered


def test_every_page_renders_without_errors_or_foreign_requests(every_page, served):
    assert len(every_page) >= 10
    log = {}
    for url, seen in every_page.items():
        broken = seen["broken"]
        assert broken == [], f"{url}: broken images {broken}"
        assert seen["errors"] == [], f"{url}: {seen['errors']}"
        katex = [w for w in seen["warnings"] if "LaTeX" in w or "KaTeX" in w or "strict mode" in w]
        assert katex == [], f"{url}: KaTeX fell back: {katex}"
        assert seen["h1"] == 1
        foreign = [r for r in seen["requests"] if not (r.startswith(served) or r.startswith("data:"))]
        assert foreign == [], f"{url} requested another host: {foreign}"
        log[url.removeprefix(served)] = sorted({r.removeprefix(served) for r in seen["requests"]})
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


@pytest.fixture(scope="module")
def served_with_language_404(site):
    """The site on a server that answers a missing address under /en/ or /zh/ with that language's
    404 page (status 404), as several hosts do, and collapses empty path segments as files go."""
    import functools
    import http.server
    import threading

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send_error(self, code, message=None, explain=None):
            lang = "zh" if self.path.lstrip("/").startswith("zh") else "en"
            if code != 404:
                return super().send_error(code, message, explain)
            body = (site / lang / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("path, expected", [
    ("/en////evil.example/path?x=1", "/zh/evil.example/path?x=1"),  # a 404 page: never another host
    ("/en///explore/", "/zh/explore/"),
    ("/en//%2F%2Fevil.example/", "/zh/%2F%2Fevil.example/"),
    ("/en/sliding-window/?h=padding#padding", "/zh/sliding-window/?h=padding#padding"),
])
def test_the_language_switch_stays_in_the_site_whatever_the_address(browser, served_with_language_404, path, expected):
    """The switch builds the other language's address from the path's segments below the site's
    root: from a crafted address answered by a 404 page, or one with empty segments, it goes to
    the same place in the other language on this host, never to a host the address names."""
    base = served_with_language_404
    visit = Visit(browser, base + path)
    visit.page.hover(".md-header__option .md-select")
    with visit.page.expect_navigation():
        visit.page.click("a.md-select__link[hreflang=zh]")
    assert visit.page.url == base + expected
    assert not any("evil.example" in urlsplit_host(r) for r in visit.requests)
    visit.close()


def urlsplit_host(url):
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


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


def test_offline_copy_works_from_the_file_system(browser, offline_copy):
    root = offline_copy  # conftest.py: built once per run, unzipped
    visit = Visit(browser, (root / "index.html").as_uri(), locale="zh-CN")
    visit.page.wait_for_url(re.compile(r".*/zh/index\.html$"))
    visit.page.goto((root / "en" / "sliding-window.html").as_uri(), wait_until="load")
    assert load_all_images(visit.page) == []
    # the player works from the file system: its step data and frames come with the page
    player = visit.page.locator(".player").first
    player.focus()
    visit.page.keyboard.press("ArrowRight")
    visit.page.wait_for_function("() => document.querySelector('.player__counter').textContent.includes(' / ')")
    assert visit.page.locator(".player__caption").first.inner_text().startswith("Y[")
    assert "stride" in search(visit.page, "stride").lower()
    visit.page.goto((root / "en" / "sliding-window.html").as_uri() + "#stride", wait_until="load")
    visit.page.hover(".md-header__option .md-select")
    visit.page.click("a.md-select__link[hreflang=zh]")
    visit.page.wait_for_url(re.compile(r".*/zh/sliding-window\.html#stride$"))
    visit.page.wait_for_load_state("networkidle")  # leaving earlier would cancel its images (a failed request)
    # the explorer computes from the file system too, and keeps its configuration in the address
    visit.page.goto((root / "zh" / "explore.html").as_uri() + "?op=transposed&input=16&kernel=3&stride=2&padding=1",
                    wait_until="networkidle")  # (the favicon too: a change of address would cancel it)
    assert visit.page.get_attribute("#explore-output", "data-shape") == "31×31"
    visit.page.fill("#explore-output_padding", "1")
    assert visit.page.get_attribute("#explore-output", "data-shape") == "32×32" and "output_padding=1" in visit.page.url
    assert visit.page.locator(".explorer__formula .katex").count() == 1  # the formula typeset
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


# Each glossary term and common phrase finds its chapter first, highlighted as one phrase, typed
# key by key or pasted (Material segments a Chinese query with the index's own words).
CHINESE_TERMS = {
    "转置卷积": "transposed", "输出尺寸": "sliding-window", "感受野": "receptive-field", "空洞卷积": "dilation",
    "步幅": "sliding-window", "填充": "sliding-window", "棋盘伪影": "checkerboard", "输出填充": "output-padding",
    "深度可分离卷积": "channels",
}


def open_search(page):
    page.click("label.md-search__icon, .md-search__input")
    page.wait_for_function(
        f"() => {list(READY)}.includes(document.querySelector('.md-search-result__meta').textContent.trim())",
        timeout=60000,
    )


def wait_until_results_settle(page):
    """Typing sends a query per key: wait until the list of results has stopped changing."""
    previous = None
    for _ in range(40):
        current = page.inner_html(".md-search-result__list")
        if current == previous:
            break
        previous = current
        page.wait_for_timeout(400)


def first_results(page, query):
    """(page path, highlighted words, words marked missing) of the first result, once the
    results for ``query`` are shown."""
    page.wait_for_function(
        "q => [...document.querySelectorAll('.md-search-result__item mark')].some(m => m.textContent === q)",
        arg=query, timeout=20000)
    # typing sends a query per key ("步" before "步幅", whose results also mark 步幅 as a prefix):
    # wait until the results have stopped changing
    wait_until_results_settle(page)
    href = page.eval_on_selector(".md-search-result__item > a", "a => decodeURIComponent(a.getAttribute('href'))")
    marks = page.eval_on_selector_all(".md-search-result__item mark", "els => [...new Set(els.map(e => e.textContent))]")
    missing = page.eval_on_selector_all(".md-search-result__item del", "els => els.map(e => e.textContent)")
    return href, marks, missing


@pytest.mark.parametrize("how", ["typed", "pasted"])
def test_chinese_search_finds_phrases_first_in_their_chapter(browser, served, how):
    visit = Visit(browser, f"{served}zh/", permissions=["clipboard-read", "clipboard-write"])
    page = visit.page
    open_search(page)
    found = {}
    for term, chapter in CHINESE_TERMS.items():
        page.fill(".md-search__input", "")
        if how == "typed":
            page.type(".md-search__input", term, delay=30)
        else:
            page.evaluate("t => navigator.clipboard.writeText(t)", term)
            page.focus(".md-search__input")
            page.keyboard.press("Control+V")
            page.press(".md-search__input", "End")
        href, marks, missing = first_results(page, term)
        found[term] = (href, marks, missing)
        assert f"/zh/{chapter}/?h=" in href, (term, href)
        assert marks == [term] and missing == [], (term, marks, missing)
    # the chapter the first result opens highlights the phrase, not its characters
    page.goto(f"{served}zh/transposed/?h=转置卷积", wait_until="load")
    page.wait_for_selector("mark[data-md-highlight]", timeout=10000)
    marks = page.eval_on_selector_all("mark[data-md-highlight]", "els => [...new Set(els.map(e => e.textContent))]")
    assert marks == ["转置卷积"], marks
    visit.close()


# Names readers bring from other books (docs/glossary.yml's aliases: 汇聚层 is Dive into Deep
# Learning's pooling layer) and phrases they type: each finds the chapter (and section) that
# teaches it first, not the glossary that explains the name (which still comes among the results).
GLOSSARY = yaml.safe_load((ROOT / "docs" / "glossary.yml").read_text(encoding="utf-8"))
READERS_WORDS = {
    "zh": {"汇聚层": "pooling", "步长": "sliding-window#stride", "补零": "sliding-window#padding",
           "反卷积": "transposed", "空洞卷积": "dilation", "感受野计算": "receptive-field"},
    "en": {"deconvolution": "transposed", "atrous": "dilation", "atrous convolution": "dilation",
           "fractionally strided convolution": "transposed"},
}


def readers_words(lang):
    """{query: (chapter, section or "", glossary id or None)}: the words above and every alias."""
    words = {query: (*place.partition("#")[::2], None) for query, place in READERS_WORDS[lang].items()}
    for term in GLOSSARY:
        for alias in term.get(f"aliases_{lang}") or {}:
            chapter, _, section = term["chapter"].removesuffix(".md").partition(".md#")
            assert words.get(alias, (chapter, section))[:2] == (chapter, section), alias
            words[alias] = (chapter, section, term["id"])
    return words


# the words of the terms themselves: a word of an alias that is one (strided, convolution) is not
# carried into the chapter's search entry (scripts/hooks.py), and the chapter may lack it
TERM_WORDS = {lang: {word for term in GLOSSARY for form in [term[lang], *term.get(f"match_{lang}", [])]
                     for word in re.split(r"[\s-]+", form.lower())} for lang in LANGS}


def settled_results(page, query):
    """The addresses of the results (path and section) in groups by page, and the words each
    address of the first group highlights (Material's ?h=: the words of the query found there),
    once the results are those of the whole ``query`` (the first group found its last word) and
    the list no longer changes."""
    page.wait_for_function(
        """q => [...document.querySelectorAll(".md-search-result__item:first-child a")].some(a =>
                  (new URL(a.href).searchParams.get("h") || "").replace(/\\s+/g, "")
                    .endsWith(q.toLowerCase().split(/\\s+/).pop()))""",
        arg=query, timeout=20000)
    wait_until_results_settle(page)
    firsts = page.eval_on_selector_all(
        ".md-search-result__item", "items => items.map(li => [...li.querySelectorAll('a')].map("
        "a => decodeURIComponent(new URL(a.href).pathname + new URL(a.href).hash)))")
    found = page.eval_on_selector_all(".md-search-result__item:first-child a",
                                      "els => els.map(a => new URL(a.href).searchParams.get('h') || '')")
    return firsts, found


def finds_every_word(query, lang, found):
    """Whether one address of the first result found every word of ``query`` (its ?h= words):
    a Chinese query is cut into the index's words, which together make it up; of an English
    one, every word that is no term's word."""
    if lang == "zh":
        return any(h.replace(" ", "") == query for h in found)
    return any(set(query.lower().split()) - TERM_WORDS[lang] <= set(h.split()) for h in found)


@pytest.mark.parametrize("lang, how", [("zh", "typed"), ("zh", "pasted on a phone"), ("en", "typed")])
def test_search_finds_a_readers_word_first_in_the_chapter_that_teaches_it(browser, served, lang, how):
    phone = "phone" in how
    visit = Visit(browser, f"{served}{lang}/", permissions=["clipboard-read", "clipboard-write"],
                  **({"viewport": {"width": 390, "height": 844}, "has_touch": True} if phone else {}))
    page = visit.page
    try:
        if phone:  # the phone's search button opens the search, then the field
            page.click("label.md-header__button[for=__search]")
            page.wait_for_function(
                f"() => {list(READY)}.includes(document.querySelector('.md-search-result__meta').textContent.trim())",
                timeout=60000)
        else:
            open_search(page)
        wrong = {}
        for query, (chapter, section, term) in readers_words(lang).items():
            page.fill(".md-search__input", "")
            if how == "typed":
                page.type(".md-search__input", query, delay=30)
            else:
                page.evaluate("t => navigator.clipboard.writeText(t)", query)
                page.focus(".md-search__input")
                page.keyboard.press("Control+V")
                page.press(".md-search__input", "End")
            results, found = settled_results(page, query)
            first = results[0]
            right = [first[0] == f"/{lang}/{chapter}/", not section or f"/{lang}/{chapter}/#{section}" in first,
                     finds_every_word(query, lang, found),
                     # the glossary, which explains an alias, comes among the results after it
                     term is None or f"/{lang}/glossary/#{term}" in sum(results[1:], [])]
            if not all(right):
                wrong[query] = (chapter, section, term, right, results[:3], found)
            if query == "汇聚层" and phone:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / "zh-search-汇聚层-phone.png"))
        assert wrong == {}
        assert visit.errors == [], visit.errors
    finally:
        visit.close()


@pytest.mark.parametrize("lang, query, how, chapter", [
    ("en", "dilation", "pointer", "dilation"), ("zh", "转置卷积", "keyboard", "transposed"),
    ("zh", "空洞卷积", "phone", "dilation"), ("en", "transposed", "address", "transposed")])
# (an address with ?h=, as a search result opens a page, fetches it too: Material highlights the
# words with the index's settings; test_chinese_search_finds_phrases_first_in_their_chapter)
def test_the_search_index_is_fetched_when_the_reader_first_searches(browser, served, lang, query, how, chapter):
    """A chapter's first load does not fetch the search index (the largest file it would load);
    going to search does, by pointer, by Material's keyboard shortcut, by the phone's search
    button, or by an address with ?q=; and the search then finds the chapter first."""
    phone = {"viewport": {"width": 390, "height": 844}} if how == "phone" else {}
    visit = Visit(browser, f"{served}{lang}/sliding-window/" + ("?q=" + query if how == "address" else ""), **phone)
    try:
        page = visit.page

        def fetched():
            return [r for r in visit.requests if r.endswith("/search/search_index.json")]

        if how != "address":  # with ?q=, Material opens the search with the query: the index comes at once
            page.wait_for_timeout(300)
            assert fetched() == [], "the index came with the page"
            if how == "pointer":
                page.click(".md-search__input")
            elif how == "keyboard":
                page.keyboard.press("/")
            else:
                page.click("label.md-header__button[for=__search]")
            page.keyboard.type(query)
        page.wait_for_selector(".md-search-result__item", timeout=20000)
        assert len(fetched()) == 1
        href = page.eval_on_selector(".md-search-result__item > a", "a => a.getAttribute('href')")
        assert href.startswith(f"{served}{lang}/{chapter}/"), href
        assert visit.errors == [], visit.errors
    finally:
        visit.close()


def test_copy_button_copies_the_code_of_a_session(browser, served):
    visit = Visit(browser, f"{served}en/pooling/", permissions=["clipboard-read", "clipboard-write"])
    page = visit.page
    block = page.locator(".highlight").filter(has_text="F.max_pool2d").first
    block.hover()
    block.locator("button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.splitlines() == [
        "import torch", "import torch.nn.functional as F", "x = torch.arange(1., 17).reshape(4, 4)", "x",
        "x[0:2, 0:2].max(), x[0:2, 0:2].mean()", "F.max_pool2d(x[None, None], kernel_size=2)[0, 0]",
        "F.avg_pool2d(x[None, None], kernel_size=2)[0, 0]"], copied
    # a multi-line statement keeps its continuation lines, without their "... " prompts
    codes = page.eval_on_selector_all(".highlight pre[data-copy]", "els => els.map(e => e.dataset.copy)")
    assert codes and all(">>>" not in c and not c.startswith("...") for c in codes)
    visit.close()
    # its name is in the page's language
    visit = Visit(browser, f"{served}zh/pooling/")
    titles = visit.page.eval_on_selector_all("button[data-md-type=copy]", "els => [...new Set(els.map(b => b.title))]")
    assert titles and all(re.search(r"[\u4e00-\u9fff]", t) for t in titles), titles
    visit.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violation_on_any_page(every_page, served, scheme):
    """axe-core, every WCAG 2.0/2.1/2.2 A and AA rule, on every page of both languages in both
    palettes (the dark one really dark: Material's slate scheme on <body>, a dark background)."""
    found = {}
    for url, seen in every_page.items():
        body = seen[scheme]
        assert body["scheme"] == SCHEME[scheme], (url, body)
        assert (luminance(body["background"]) < 0.25) == (scheme == "dark"), (url, body)
        violations = body["violations"]
        if violations:
            found[url.removeprefix(served)] = [
                (v["id"], len(v["nodes"]), v["nodes"][0]["target"], v["nodes"][0].get("failureSummary", "")[:200])
                for v in violations]
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


# --------------------------------------------------------------------------- the figure player

PLAYER_NAMES = {"en": ("Play", "Pause", "Previous step", "Next step"), "zh": ("播放", "暂停", "上一步", "下一步")}


def player_state(page, index=0):
    return page.evaluate(
        "i => { const p = document.querySelectorAll('.player')[i];"
        " return {counter: p.querySelector('.player__counter').textContent,"
        " caption: p.querySelector('.player__caption').textContent,"
        " toggle: p.querySelector('.player__toggle').getAttribute('aria-label')}; }", index)


@pytest.mark.parametrize("lang", LANGS)
def test_every_animation_has_a_player_named_in_the_pages_language(browser, served, lang):
    for page_name in ("sliding-window", "transposed", "receptive-field"):
        visit = Visit(browser, f"{served}{lang}/{page_name}/")
        page = visit.page
        animations = page.evaluate(
            "new Set([...document.querySelectorAll('.md-typeset img[src*=\"figures/\"][src*=\".gif\"]')]"
            ".map(img => img.closest('figure, a, p'))).size")
        assert animations > 0 and page.locator(".player").count() == animations, page_name
        # before the player takes over, its canvas holds no space (the page does not jump)
        assert page.evaluate("[...document.querySelectorAll('.player__canvas[hidden]')]"
                             ".every(c => c.offsetHeight === 0)"), page_name
        names = set(page.eval_on_selector_all(".player__button", "els => els.map(b => b.getAttribute('aria-label'))"))
        play, pause, previous, following = PLAYER_NAMES[lang]
        assert {previous, following} <= names and (play in names or pause in names), names
        # keyboard: stepping changes the counter and the caption
        player = page.locator(".player").first
        player.focus()
        page.keyboard.press("Home")
        page.wait_for_function("() => document.querySelector('.player__counter').textContent.startsWith('1 /')")
        first = player_state(page)
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.querySelector('.player__counter').textContent.startsWith('2 /')")
        second = player_state(page)
        assert first["caption"] != second["caption"] and second["toggle"] == play
        page.keyboard.press("End")
        page.wait_for_function("() => { const t = document.querySelector('.player__counter').textContent.split(' / ');"
                               " return t[0] === t[1]; }")
        assert visit.errors == [], visit.errors
        visit.close()


CAPTION = re.compile(r"Y\[(\d+),(\d+)\] = .* = (\(?−?[\d.]+\)?)$")  # after a transposed step's prefix


@pytest.mark.parametrize("page_name, figure", [("sliding-window", "no-padding-no-strides"),
                                               ("gallery", "padding-strides-odd-transposed"),
                                               ("pooling", "max-pooling")])
def test_every_caption_states_torchs_value(browser, served, page_name, figure):
    """Each step's caption ends in the value of the output cell it names, as torch computes it
    here (independently of the exported step data)."""
    import torch.nn.functional as F

    from figures import catalog, experiments

    c = catalog.get(figure).config()
    x, w = experiments.make_values(c.values, c.input, c.kernel, c.seed)
    x, w = x[None, None], w[None, None]
    expected = {"conv": lambda: F.conv2d(x, w, stride=c.stride, padding=c.padding),
                "transposed": lambda: F.conv_transpose2d(x, w, stride=c.stride, padding=c.padding,
                                                         output_padding=c.output_padding),
                "max": lambda: F.max_pool2d(x, c.kernel, c.stride, c.padding)}[c.kind]()[0, 0]
    visit = Visit(browser, f"{served}en/{page_name}/")
    page = visit.page
    index = page.evaluate("name => [...document.querySelectorAll('.player')].findIndex(p =>"
                          " p.parentElement.querySelector(`img[src*='figures/${name}.gif']`))", figure)
    assert index >= 0
    player = page.locator(".player").nth(index)
    player.focus()
    page.keyboard.press("Home")
    seen = set()
    for n in range(expected.numel()):
        page.wait_for_function("([i, n]) => document.querySelectorAll('.player__counter')[i].textContent"
                               ".startsWith(`${n} /`)", arg=[index, n + 1])
        m = CAPTION.search(player_state(page, index)["caption"])
        assert m, player_state(page, index)
        r, col, value = int(m.group(1)), int(m.group(2)), float(m.group(3).strip("()").replace("−", "-"))
        assert value == pytest.approx(float(expected[r, col]), abs=1e-3)
        seen.add((r, col))
        page.keyboard.press("ArrowRight")
    assert len(seen) == expected.numel()
    visit.close()


BLOCK_CAPTION = re.compile(r"^Y\[(\d+),(\d+),(\d+)\] = (\(?−?[\d.]+\)?)(.*)$")
READS = {"en": " — read from X: channels {0}, rows {1}–{2}, columns {3}–{4}, with W{5}.",
         "zh": "——读取 X 的通道 {0}，第 {1}–{2} 行、第 {3}–{4} 列，用卷积核 W{5}。"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_block_figures_captions_name_the_channels_it_read(browser, served, lang):
    """channels-3d: each step's caption names its output cell (channel, row, column) with the value
    torch computes here, and, in the page's language, the input channels, rows and columns read."""
    import torch.nn.functional as F

    from figures import experiments

    record = experiments.record_channels_3d()
    expected = F.conv2d(record.input[None], record.weight, record.bias)[0]
    visit = Visit(browser, f"{served}{lang}/channels/")
    page = visit.page
    index = page.evaluate("() => [...document.querySelectorAll('.player')].findIndex(p =>"
                          " p.parentElement.querySelector(\"img[src*='figures/channels-3d.gif']\"))")
    assert index >= 0
    page.locator(".player").nth(index).focus()
    page.keyboard.press("Home")
    sep = {"en": ", ", "zh": "、"}[lang]
    for n in range(expected.numel()):
        page.wait_for_function("([i, n]) => document.querySelectorAll('.player__counter')[i].textContent"
                               ".startsWith(`${n} /`)", arg=[index, n + 1])
        m = BLOCK_CAPTION.search(player_state(page, index)["caption"])
        assert m, player_state(page, index)
        o, r, c = (int(m.group(i)) for i in (1, 2, 3))
        assert (o, r, c) == (n // 4, *divmod(n % 4, 2))
        assert float(m.group(4).strip("()").replace("−", "-")) == expected[o, r, c].item()
        assert m.group(5) == READS[lang].format(sep.join("012"), r, r + 2, c, c + 2, "₀₁"[o])
        page.keyboard.press("ArrowRight")
    assert visit.errors == [], visit.errors
    visit.close()


def test_reduced_motion_starts_paused_on_the_last_step(browser, served):
    visit = Visit(browser, f"{served}en/sliding-window/", reduced_motion="reduce")
    page = visit.page
    page.wait_for_function("() => [...document.querySelectorAll('.player__counter')].every(c => {"
                           " const t = c.textContent.split(' / '); return t.length === 2 && t[0] === t[1]; })",
                           timeout=20000)
    assert set(page.eval_on_selector_all(".player__toggle", "els => els.map(b => b.dataset.state)")) == {"paused"}
    visit.close()


def test_an_animation_out_of_view_is_paused_and_resumes(browser, served):
    visit = Visit(browser, f"{served}en/transposed/", viewport={"width": 1280, "height": 800})
    page = visit.page
    player = page.locator(".player").first
    player.scroll_into_view_if_needed()
    page.mouse.wheel(0, 6000)  # far below: the first animation is out of view
    page.wait_for_function("() => document.querySelector('.player').dataset.visible === 'no'")
    page.wait_for_timeout(300)
    before = player_state(page)["counter"]
    page.wait_for_timeout(2500)  # more than two steps of playing time
    assert player_state(page)["counter"] == before
    player.scroll_into_view_if_needed()
    page.wait_for_function("c => document.querySelector('.player__counter').textContent !== c", arg=before,
                           timeout=5000)
    visit.close()


@pytest.mark.parametrize("lang", LANGS)
def test_enlarged_on_a_phone(browser, served, lang):
    visit = Visit(browser, f"{served}{lang}/sliding-window/", viewport={"width": 390, "height": 844},
                  device_scale_factor=1, is_mobile=True, has_touch=True)
    page = visit.page
    player = page.locator(".player").first
    player.scroll_into_view_if_needed()
    player.locator(".player__enlarge").click()
    page.wait_for_selector("dialog.player__dialog[open] canvas")
    box = page.locator("dialog.player__dialog .player__large").bounding_box()
    assert box["width"] >= 0.9 * 390
    canvas = page.locator("dialog.player__dialog canvas").bounding_box()
    natural = page.evaluate("document.querySelector('dialog.player__dialog canvas').width")
    text = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")
    from figures import theme

    digit = theme.NUMBER_PT * theme.DPI / 72
    assert canvas["width"] >= natural and digit * canvas["width"] / natural >= text  # digits as large as the text
    player_in_dialog = page.locator("dialog.player__dialog .player")
    player_in_dialog.locator(".player__next").click()
    page.wait_for_timeout(300)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{lang}-player-enlarged-phone.png"))
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog.player__dialog", state="detached")
    assert page.locator("figure .player").count() >= 1 and page.evaluate("document.activeElement.className").find(
        "player__enlarge") >= 0
    assert visit.errors == [], visit.errors
    visit.close()


@pytest.mark.parametrize("lang", LANGS)
def test_pointing_at_an_output_cell_shows_its_step(browser, served, lang):
    visit = Visit(browser, f"{served}{lang}/sliding-window/", viewport={"width": 1280, "height": 900})
    page = visit.page
    figure = page.locator("figure").filter(has=page.locator("img[src*='figures/no-padding-strides.gif']")).first
    figure.scroll_into_view_if_needed()
    box = page.evaluate("() => fetch(document.querySelector(\"img[src*='figures/no-padding-strides.gif']\")"
                        ".getAttribute('src').split('#')[0].replace('.gif', '.steps.json')).then(r => r.json())")
    left, top, w, h = box["output"]["box"]
    img = figure.locator("img[src*='no-padding-strides.gif'], canvas.player__canvas:not([hidden])").first
    shown = img.bounding_box()
    scale = shown["width"] / box["size"][0]
    # the output cell [1, 0] is the third step
    img.click(position={"x": (left + 0.5 * w) * scale, "y": (top + 1.5 * h) * scale})
    player = figure.locator(".player")
    page.wait_for_function("p => p.querySelector('.player__counter').textContent.startsWith('3 /')",
                           arg=player.element_handle())
    assert player.locator(".player__caption").inner_text().startswith("Y[1,0] = ")
    # desktop, paused, with its caption: the screenshot the issue asks for
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    figure.screenshot(path=str(SCREENSHOTS / f"{lang}-player-paused-desktop.png"))
    assert visit.errors == [], visit.errors
    visit.close()


def test_a_still_figure_can_be_enlarged(browser, served):
    visit = Visit(browser, f"{served}zh/feature-maps/", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = visit.page
    button = page.locator(".player__bar--still .player__enlarge").first
    button.scroll_into_view_if_needed()
    assert button.get_attribute("aria-label") == "放大这张图"
    button.click()
    page.wait_for_selector("dialog.player__dialog[open] img.player__still")
    assert page.locator("dialog.player__dialog .player__large").bounding_box()["width"] >= 0.9 * 390
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog.player__dialog", state="detached")
    visit.close()


def printed_pictures(page) -> list:
    """The pictures in the PDF that Chromium prints of ``page``, as RGB arrays."""
    pypdf = pytest.importorskip("pypdf")
    pictures = []
    for sheet in pypdf.PdfReader(io.BytesIO(page.pdf(format="A4"))).pages:
        pictures += [np.asarray(im.image.convert("RGB")) for im in sheet.images]
    return pictures


def printed_text(page) -> str:
    """The text of the PDF that Chromium prints of ``page``, without white space (a long address
    breaks across lines)."""
    pypdf = pytest.importorskip("pypdf")
    sheets = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
    return re.sub(r"\s+", "", "".join(sheet.extract_text() for sheet in sheets))


def last_step(path: Path):
    from PIL import Image

    with Image.open(path) as gif:
        gif.seek(gif.n_frames - 1)
        return np.asarray(gif.convert("RGB"))


def printed_step(path: Path):
    """What a printed page shows for the GIF ``path``: its steps side by side (NAME.print.png,
    where they fit on a page), else its last step."""
    from PIL import Image

    strip = path.with_name(path.name.removesuffix(".gif") + ".print.png")
    if not strip.exists():
        return last_step(path)
    with Image.open(strip) as image:
        steps = np.asarray(image.convert("RGB"))
    # the strip is every step of the GIF, side by side: its last picture is the GIF's last step
    last = last_step(path)
    assert any(np.array_equal(steps[r:r + last.shape[0], c:c + last.shape[1]], last)
               for r in range(0, steps.shape[0] - last.shape[0] + 1, last.shape[0] + 8)
               for c in range(0, steps.shape[1] - last.shape[1] + 1, last.shape[1] + 8)), path.name
    return steps


@pytest.mark.parametrize("how", ["untouched", "no-javascript", "taken-over"])
def test_printing_shows_every_animation_as_its_steps_or_last_step(browser, served, site, how):
    """A printed page shows each animation complete, never the frame on screen: its steps side by
    side where they fit on a page, else its last step; for a figure the reader never touched, a
    page without JavaScript, a figure the player took over and left on its first step. No GIF is
    printed, and on screen no print picture was fetched."""
    visit = Visit(browser, f"{served}en/sliding-window/", java_script_enabled=how != "no-javascript")
    page = visit.page
    if how == "taken-over":
        page.locator(".player").first.focus()
        page.keyboard.press("Home")
        page.wait_for_function("() => document.querySelector('.player__counter').textContent.startsWith('1 /')")
    else:
        page.wait_for_timeout(2500)  # the GIFs on screen have moved on from their first frame
    if how != "no-javascript":  # (without JavaScript a browser loads every image at once, lazy or not)
        assert not [r for r in visit.requests if r.endswith((".last.png", ".print.png"))]
    printed = printed_pictures(page)
    html = site / "en" / "sliding-window" / "index.html"
    gifs = [(html.parent / src).resolve() for src in
            re.findall(r'<img [^>]*src="([^"#]+\.gif)#only-light"', html.read_text(encoding="utf-8"))]
    assert len(gifs) >= 9
    strips = 0
    for path in gifs:
        last = printed_step(path)
        strips += last.shape != last_step(path).shape
        assert any(p.shape == last.shape and np.array_equal(p, last) for p in printed), f"{path.name} not printed whole"
    assert strips >= 2  # the chapter's small animations print every step
    assert len(printed) == len(gifs) + 1  # and the one still figure of the chapter; no GIF frame besides
    # a link of the text shows its address after it (data-print-href, extra.css), but a term's link to the
    # glossary does not; no navigation is printed
    text = printed_text(page)
    addresses = {unescape(a) for a in re.findall(r'data-print-href="([^"]+)"', html.read_text(encoding="utf-8"))}
    assert any("/references/#dumoulin-2016" in a for a in addresses)
    for address in addresses:  # (an address that breaks across two pages may come out in two pieces)
        shown = address in text or any(address[:k] in text and address[k:] in text for k in range(8, len(address) - 3))
        assert ("/glossary/#" in address) != shown, address
    assert "Tableofcontents" not in text and "Skiptocontent" not in text
    visit.close()


DECODE_EVERY_FRAME = """async (url) => {
  const bytes = await (await fetch(url)).arrayBuffer();
  const decoder = new ImageDecoder({ data: bytes, type: "image/gif" });
  await decoder.tracks.ready;
  const count = decoder.tracks.selectedTrack.frameCount;
  const frames = [];
  for (let n = 0; n < count; n++) {
    const { image } = await decoder.decode({ frameIndex: n });
    const canvas = new OffscreenCanvas(image.displayWidth, image.displayHeight);
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let text = "";  // RGB, as a binary string (Playwright carries strings well)
    for (let i = 0; i < rgba.length; i += 4) text += String.fromCharCode(rgba[i], rgba[i + 1], rgba[i + 2]);
    frames.push(btoa(text));
    image.close();
  }
  return frames;
}"""


@pytest.mark.parametrize("figure", ["receptive-field-dilation", "padding-strides-odd-transposed.dark"])
def test_chromium_decodes_every_gif_frame_as_pillow_does(browser, served, site, figure):
    """The browser readers use decodes our GIFs' blocks (tiles, per-image code sizes and
    transparent indices, an LZW table kept full) to the same pixels as Pillow, frame by frame:
    a figure with a large picture coded by our own LZW coder, and one with many sub-frames."""
    import base64
    import io

    import numpy as np
    from PIL import Image

    import json

    data = (site / "en" / "figures" / f"{figure}.gif").read_bytes()
    steps = json.loads((site / "en" / "figures" / f"{figure}.steps.json").read_text(encoding="utf-8"))["steps"]
    first = steps[0]["gif_frame"]  # the first picture is complete from here (its tiles before)
    assert first > 0
    visit = Visit(browser, served + "en/")
    try:
        got = visit.page.evaluate(DECODE_EVERY_FRAME, served + f"en/figures/{figure}.gif")
    finally:
        visit.close()
    with Image.open(io.BytesIO(data)) as im:
        assert len(got) == im.n_frames > 1
        for n, frame in enumerate(got):
            im.seek(n)
            want = np.asarray(im.convert("RGB"))
            shown = np.frombuffer(base64.b64decode(frame), np.uint8).reshape(want.shape)
            if n >= first:  # before, the tiles not yet drawn are transparent (shown black or white)
                assert np.array_equal(shown, want), f"{figure}: frame {n}"


def chapter_urls(base):
    """The chapters, in the order of mkdocs.yml's nav (from the home page to the cheat sheet), in
    both languages."""
    nav = re.search(r"^nav:\n((?:  - .*\n)+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)
    pages = re.findall(r"  - (\S+)\.md", nav.group(1))
    chapters = pages[: pages.index("cheat-sheet") + 1]
    assert len(chapters) == 18
    return [f"{base}{lang}/{'' if p == 'index' else p + '/'}" for lang in LANGS for p in chapters]


LAYOUT_SHIFTS = """() => new Promise((resolve) => {
  const shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const moved = e.sources.map((s) => s.node ? `${s.node.nodeName}.${s.node.className}` : "?").join(" ");
      shifts.push(`${e.value.toFixed(5)} at ${Math.round(e.startTime)} ms: ${moved}`);
    }
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(shifts), 400);
})"""
WATCH = f"() => {{ window.__shifts = ({LAYOUT_SHIFTS})(); }}"  # starts the 400 ms and returns; "() => window.__shifts" waits


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_no_chapter_moves_while_it_loads(browser, served, viewport):
    """Cumulative layout shift 0 on every chapter (the home page to the cheat sheet), in both
    languages, loaded with an empty cache: math is typeset when the site is built and its fonts
    are preloaded, the figures have their sizes, the figure controls and the search field appear
    in places held for them, and tables come wrapped as Material's script wraps them. The KaTeX
    fonts a chapter fetches are exactly those it preloads."""
    moved, fonts = {}, {}
    urls = chapter_urls(served)
    ready = Visit(browser, None, viewport=viewport)  # a new context (empty cache), not yet navigated
    for n, url in enumerate(urls):
        visit, ready = ready, None
        try:
            visit.goto(url)
            visit.page.evaluate(WATCH)
            if n + 1 < len(urls):  # the next chapter's context is made while this one is watched (once loaded)
                ready = Visit(browser, None, viewport=viewport)
            shifts = visit.page.evaluate("() => window.__shifts")
            preloaded = visit.page.evaluate(
                "[...document.querySelectorAll('link[rel=preload][as=font]')].map(l => l.href)")
            fetched = [u for u in visit.requests if u.endswith(".woff2")]
        finally:
            visit.close()
        if shifts:
            moved[url] = shifts
        if sorted(preloaded) != sorted(set(fetched)):
            fonts[url] = (preloaded, fetched)
    assert not moved, moved
    assert not fonts, fonts


# --------------------------------------------------------------------------- lossless WebP (issue 33)

DECODE_FRAMES_RGBA = """async ([url, type]) => {
  const bytes = await (await fetch(url)).arrayBuffer();
  const decoder = new ImageDecoder({ data: bytes, type });
  await decoder.tracks.ready;
  const track = decoder.tracks.selectedTrack;
  const frames = [];
  for (let n = 0; n < track.frameCount; n++) {
    const { image } = await decoder.decode({ frameIndex: n });
    const canvas = new OffscreenCanvas(image.displayWidth, image.displayHeight);
    canvas.getContext("2d").drawImage(image, 0, 0);
    const rgba = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let text = "";
    for (let i = 0; i < rgba.length; i++) text += String.fromCharCode(rgba[i]);
    frames.push({ pixels: btoa(text), width: canvas.width, height: canvas.height, duration: image.duration });
    image.close();
  }
  return { frames, loop: String(track.repetitionCount) };
}"""


def _rgba(frame) -> np.ndarray:
    import base64

    return np.frombuffer(base64.b64decode(frame["pixels"]), np.uint8).reshape(frame["height"], frame["width"], 4)


@pytest.mark.parametrize("figure", ["padding-strides-odd-transposed.dark", "dilation-coverage"])
def test_chromium_decodes_the_webp_to_the_gifs_frames(browser, served, site, figure):
    """ImageDecoder (what the player uses) decodes a figure's WebP and its GIF to the same frames,
    frame for frame, with the same durations and the same endless loop: every pixel of every
    frame once the first picture is whole (before, while its tiles arrive in the first 60 ms, the
    pixels the GIF has drawn)."""
    steps = json.loads((site / "en" / "figures" / f"{figure}.steps.json").read_text(encoding="utf-8"))["steps"]
    first = steps[0]["gif_frame"]
    visit = Visit(browser, served + "en/")
    try:
        gif = visit.page.evaluate(DECODE_FRAMES_RGBA, [served + f"en/figures/{figure}.gif", "image/gif"])
        webp = visit.page.evaluate(DECODE_FRAMES_RGBA, [served + f"en/figures/{figure}.webp", "image/webp"])
    finally:
        visit.close()
    assert len(webp["frames"]) == len(gif["frames"]) > 1 and webp["loop"] == gif["loop"] == "Infinity"
    for n, (a, b) in enumerate(zip(gif["frames"], webp["frames"])):
        assert a["duration"] == b["duration"], (figure, n)
        want, got = _rgba(a), _rgba(b)
        drawn = want[..., 3] == 255 if n < first else np.ones(want.shape[:2], bool)
        assert drawn.any() and np.array_equal(want[drawn], got[drawn]), (figure, n)


@pytest.mark.parametrize("lang, scheme", [("en", "light"), ("zh", "dark")])
def test_a_webp_figure_is_served_in_a_picture_and_the_player_steps_through_it(browser, served, site, lang, scheme):
    """On a chapter every animation is a <picture> whose WebP the browser takes (the GIF its <img>,
    with its size and alt text, for a browser without WebP); the player decodes the WebP it shows
    and draws, at every step, the GIF's frame of that step pixel for pixel, in either palette."""
    from PIL import Image

    visit = Visit(browser, f"{served}{lang}/sliding-window/")
    page = visit.page
    if scheme == "dark":
        to_dark(page)
    pictures = page.evaluate("""[...document.querySelectorAll('.md-typeset img[src*="figures/"][src*=".gif"]')].map(img => {
        const source = img.parentElement.matches('picture') && img.parentElement.querySelector('source');
        return {src: img.getAttribute('src'), alt: img.alt, width: img.getAttribute('width'),
                height: img.getAttribute('height'), type: source && source.type,
                srcset: source && source.getAttribute('srcset')}; })""")
    assert len(pictures) >= 4
    for p in pictures:
        assert p["type"] == "image/webp" and p["alt"] and p["width"] and p["height"], p
        assert p["srcset"] == p["src"].split("#")[0].removesuffix(".gif") + ".webp", p
    dark = ".dark" if scheme == "dark" else ""
    figure = re.search(r"figures/([^/#]+?)\.gif", pictures[0]["src"]).group(1) + dark  # the first player's
    player = page.locator(".player").first
    player.scroll_into_view_if_needed()
    page.wait_for_function("name => [...document.images].some(img => img.currentSrc.endsWith(`/${name}.webp`)"
                           " && img.complete)", arg=figure)
    steps = json.loads((site / lang / "figures" / f"{figure}.steps.json").read_text(encoding="utf-8"))["steps"]
    gif = Image.open(site / lang / "figures" / f"{figure}.gif")
    player.focus()
    page.keyboard.press("Home")
    for n, step in enumerate(steps):
        page.wait_for_function("n => document.querySelector('.player__counter').textContent.startsWith(`${n} /`)",
                               arg=n + 1)
        shown = page.evaluate("""() => { const c = document.querySelector('.player__canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let t = '';
            for (let k = 0; k < d.length; k++) t += String.fromCharCode(d[k]);
            return {pixels: btoa(t), width: c.width, height: c.height}; }""")
        gif.seek(step["gif_frame"])
        want = np.asarray(gif.convert("RGBA"))
        assert np.array_equal(_rgba(shown), want), (figure, n)
        page.keyboard.press("ArrowRight")
    fetched = [r for r in visit.requests if f"/{figure}." in r]
    assert any(r.endswith(f"{figure}.webp") for r in fetched) and not any(r.endswith(f"{figure}.gif") for r in fetched), fetched
    assert visit.errors == [], visit.errors
    visit.close()
