"""A page per figure (/en/figures/NAME/, /zh/figures/NAME/): in the built site, in both languages,
linked from the gallery and from a figure's enlarged view, inside an <iframe>, and offline."""

import functools
import http.server
import re
import shlex
import sys
import threading
from html import unescape

import pytest

from figures import catalog, cli
from helpers import LANGS, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import figure_pages  # noqa: E402

from browsing import Visit, browser  # noqa: E402,F401  (browser: a fixture)

HEADINGS = ["figure", "files", "commands", "used", "licence", "cite"]


def test_every_command_of_a_figure_page_is_one_the_cli_accepts():
    parser = cli.make_parser()
    for entry in catalog.CATALOG:
        rows = figure_pages.commands(entry)
        assert {key for key, _ in rows} >= {"fmt_site", "fmt_svg", "fmt_pdf"}
        if entry.fmt == "gif":
            assert {key for key, _ in rows} >= {"fmt_steps", "fmt_mp4", "fmt_webm"}
        for key, command in rows:
            words = shlex.split(command)
            assert words[:3] == ["python", "-m", "figures"]
            parser.parse_args(words[3:])  # UsageError if the CLI refused it
        site = dict(rows)["fmt_site"]
        assert site == entry.command(), "the command the gallery gives"


@pytest.mark.parametrize("lang", LANGS)
def test_a_page_per_figure_in_both_languages(site, lang):
    gallery = (site / lang / "gallery" / "index.html").read_text(encoding="utf-8")
    for entry in catalog.CATALOG:
        page = site / lang / "figures" / entry.name / "index.html"
        html = page.read_text(encoding="utf-8")
        for theme in catalog.THEME_NAMES:  # the figure, through figures/ as on every page (the player finds it)
            assert f'src="../../figures/{entry.filename(theme)}#only-{theme}"' in html, (lang, entry.name)
        assert re.findall(r'<h[12] id="([a-z]+)"', html) == HEADINGS
        text = unescape(re.sub(r"<[^>]+>", "", html))  # what a reader reads (code is highlighted in spans)
        for _, command in figure_pages.commands(entry):
            assert command in text, (entry.name, command)
        assert f"@misc{{convolution-visualized-{entry.name}," in text
        assert re.search(rf"url\s*=\s*\{{http[^}}]*/{lang}/figures/{entry.name}/\}}", text)  # cited by its own address
        description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
        assert entry.name in description and len(description) > len(entry.name) + 20
        for fmt in entry.outputs():  # the files the site publishes, linked (a print strip where there is one)
            published = (site / lang / "figures" / entry.filename("dark", fmt)).exists()
            assert (f'href="../{entry.filename("dark", fmt)}"' in html) == published, (entry.name, fmt)
        assert f'href="../figures/{entry.name}/"' in gallery, "the gallery links to the page"


def test_figure_pages_are_not_in_the_search_index(site):
    for lang in LANGS:
        index = (site / lang / "search" / "search_index.json").read_text(encoding="utf-8")
        assert '"location":"figures/' not in index.replace(" ", "")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_a_figure_page_inside_an_iframe(browser, served, tmp_path):
    """What a learning platform embeds: the figure with its player, without the site's chrome,
    nothing from another host."""
    (tmp_path / "course.html").write_text(
        f'<!doctype html><title>course</title><link rel="icon" href="data:,"><p>course</p><iframe src="{served}zh/figures/padding-strides/" '
        f'title="figure" width="760" height="600"></iframe>', encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(tmp_path))
    host = http.server.ThreadingHTTPServer(("localhost", 0), handler)  # another origin than the site's
    threading.Thread(target=host.serve_forever, daemon=True).start()
    course = f"http://localhost:{host.server_address[1]}/"
    v = Visit(browser, f"{course}course.html", viewport={"width": 800, "height": 700})
    try:
        frame = v.page.frame_locator("iframe")
        frame.locator(".player__bar").first.wait_for(timeout=20000)
        assert frame.locator(".md-header").first.is_hidden()
        assert frame.locator("h1").inner_text().startswith("图 padding-strides")
        frame.locator("button.player__next, .player__bar button").first.wait_for()
        names = frame.locator(".player__bar button").evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")
        assert "下一步" in names, names
        assert [u for u in v.requests if not u.startswith((served, course, "about:", "data:"))] == []
        assert v.errors == []
    finally:
        v.context.close()
        host.shutdown()
    # the same page on its own keeps the site's header
    v = Visit(browser, f"{served}en/figures/padding-strides/")
    try:
        assert v.page.locator(".md-header").first.is_visible()
    finally:
        v.context.close()


CONTRAST = """(el) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const fg = lum(rgb(getComputedStyle(el).color));
  const bg = lum(rgb(getComputedStyle(el.closest("dialog")).backgroundColor));
  return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGS)
def test_an_enlarged_figure_links_to_its_page(browser, served, lang, scheme):
    v = Visit(browser, f"{served}{lang}/pooling/", color_scheme=scheme)
    try:
        v.page.locator(".player__enlarge").first.click()
        link = v.page.locator("dialog .player__page")
        link.wait_for(timeout=10000)
        href = link.get_attribute("href")
        assert re.fullmatch(rf"{re.escape(served)}{lang}/figures/[a-z-]+/", href), href
        assert link.inner_text() == {"en": "The figure's page: its files, PDF, SVG, video and citation",
                                     "zh": "这张图的单独页面：文件、PDF、SVG、视频与引用"}[lang]
        assert link.evaluate(CONTRAST) >= 4.5, "the link reads on the dialog (WCAG AA)"
        response = v.page.request.get(href)
        assert response.status == 200
    finally:
        v.context.close()
