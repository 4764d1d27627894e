"""The built site: both languages build with --strict; every local link, anchor and image
resolves; nothing is requested from another host; figures are the catalog's."""

import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser

from conftest import DOCS_BEFORE, docs_snapshot
from figures import catalog
from helpers import LANGS, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from check_site import broken_links, external_resources, parsed  # noqa: E402


def test_both_languages_and_the_root_page(site):
    for lang in LANGS:
        assert (site / lang / "index.html").exists()
        assert (site / lang / "sliding-window" / "index.html").exists()
    root = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="zh/"' in root and 'href="en/"' in root and "navigator.languages" in root
    assert '<html lang="zh">' in (site / "zh" / "index.html").read_text(encoding="utf-8") or \
        'lang="zh"' in (site / "zh" / "index.html").read_text(encoding="utf-8")


def test_every_local_link_anchor_and_image_resolves(site):
    assert broken_links(site) == []


def test_a_build_keeps_its_formulas_for_the_next(site):
    """Each language's formulas, typeset by the site's KaTeX, are kept beside the figure cache
    (scripts/kept.py, the store named by katex.min.js): a warm build typesets only what changed.
    Every kept formula is one that the built pages show."""
    import html as entities

    from figures import cache

    for lang in LANGS:
        kept = list((cache.directory().parent / "kept").glob(f"katex-{lang}-*.json"))
        assert len(kept) == 1, kept
        formulas = json.loads(kept[0].read_text(encoding="utf-8"))
        shown = set()
        for page in (site / lang).rglob("index.html"):
            shown |= {entities.unescape(t) for t in re.findall(r'<annotation encoding="application/x-tex">(.*?)</annotation>',
                                                               page.read_text(encoding="utf-8"), re.DOTALL)}
        assert len(formulas) > 100
        assert all(key[0] in "([" and html.startswith('<span class="katex') for key, html in formulas.items())
        assert {key[1:] for key in formulas} == shown


def test_a_data_uri_is_no_other_host():
    from check_site import is_external

    assert not is_external("data:image/svg+xml,%3Csvg%3E") and not is_external("../assets/x.css")
    assert is_external("https://cdn.jsdelivr.net/x.js") and is_external("//fonts.googleapis.com/css")


def test_no_resource_from_another_host(site):
    assert external_resources(site) == []


def test_check_site_finds_a_broken_link_anchor_and_image(site, tmp_path):
    """The checker the Pages workflow runs before it deploys: it fails on each kind of breakage."""
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(site / "en" / "dilation", copy / "en" / "dilation")
    page = copy / "en" / "dilation" / "index.html"
    page.write_text('<a href="../missing/">x</a><a href="#no-such-anchor">y</a><img src="../figures/none.gif">',
                    encoding="utf-8")
    r = subprocess.run([sys.executable, "scripts/check_site.py", str(copy)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 1
    assert "missing en/missing/index.html" in r.stderr and "no anchor #no-such-anchor" in r.stderr
    assert "figures/none.gif" in r.stderr
    page.write_text('<h2 id="here">x</h2><a href="#here">y</a><a href="./">z</a>', encoding="utf-8")
    r = subprocess.run([sys.executable, "scripts/check_site.py", str(copy)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_figures_are_the_catalogs_with_alt_text(site):
    for lang in LANGS:
        served = {p.name for p in (site / lang / "figures").iterdir() if p.is_file()}
        expected = {e.filename(t, fmt) for e in catalog.CATALOG for t in catalog.THEME_NAMES
                    for fmt in (*e.outputs(), "webp")}
        optional = {e.filename(t, "webp") for e in catalog.CATALOG if e.fmt != "gif" for t in catalog.THEME_NAMES}
        # an animation's print strip is published where its steps fit on a printed page (test_steps.py); a
        # still figure's WebP where it is smaller than its PNG (tests/test_webp.py)
        assert served <= expected
        assert {n for n in expected - served - optional if not n.endswith(".print.png")} == set()
        # and a folder per figure: its own page (tests/test_figure_pages.py)
        assert {p.name for p in (site / lang / "figures").iterdir() if p.is_dir()} == set(catalog.BY_NAME)
        for html in (site / lang).rglob("*.html"):
            gallery = html.parent.name == "gallery"  # shows both variants side by side
            for img in parsed(html).imgs:
                if "figures/" in img["src"]:
                    assert img.get("alt", "").strip(), f"{html}: {img['src']} has no alt text"
                    if gallery:
                        continue
                    light = "#only-light" in img["src"]
                    assert light or "#only-dark" in img["src"]
                    assert (".dark." in img["src"]) != light


def test_figures_match_the_cache(site):
    from figures import build

    cached = dict(build.files())
    for lang in LANGS:
        for name, data in cached.items():
            assert (site / lang / "figures" / name).read_bytes() == data


CLASSICS_BUDGET = 500_000  # under 15% of conv_arithmetic's 3,398,746 bytes


def test_the_classic_animations_stay_within_15_percent_of_conv_arithmetics_bytes(site):
    """A byte budget, not a timing: the figures are deterministic (scripts/bench.py prints them)."""
    from PIL import Image

    from figures import theme

    classics = catalog.classics()
    assert len(classics) == 15
    sizes = {e.name: (site / "en" / "figures" / e.filename("light")).stat().st_size for e in classics}
    assert sum(sizes.values()) <= CLASSICS_BUDGET <= 0.15 * catalog.CONV_ARITHMETIC_BYTES, sizes
    # with numbers in cells, and cells larger than conv_arithmetic's (0.5 cm at 150 dpi, 29.5 px)
    assert theme.CELL_PX >= 30
    for entry in classics:
        with Image.open(site / "en" / "figures" / entry.filename("light")) as im:
            assert im.n_frames > 1 and min(im.size) >= 300


def test_math_is_typeset_when_the_site_is_built(site):
    """Every formula is KaTeX's HTML and MathML in the page as built (by the site's own KaTeX, run
    by hooks.py): no TeX source left to typeset, no math script loaded; the stylesheet and its
    fonts come from the site."""
    html = (site / "en" / "sliding-window" / "index.html").read_text(encoding="utf-8")
    assert 'class="arithmatex"' in html and 'class="katex-mathml"' in html and 'class="katex-display"' in html
    assert re.search(r'href="[./]*assets/katex/katex\.min\.css"', html)
    assert "katex.min.js" not in html and "auto-render" not in html
    assert (site / "en" / "assets" / "katex" / "fonts" / "KaTeX_Main-Regular.woff2").exists()
    for lang in LANGS:
        for page in (site / lang).rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            for formula in re.findall(r'<(?:span|div) class="arithmatex">(.{0,40})', text):
                assert formula.startswith('<span class="katex'), (page, formula)


def test_chinese_search_index_is_segmented(site):
    index = json.loads((site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    # jieba (with our glossary as its user dictionary) splits words with zero-width spaces
    for term in ("卷积核", "步幅", "输出尺寸", "特征图"):
        assert f"\u200b{term}\u200b" in text, term


def test_anchors_are_the_same_in_both_languages(site):
    for page in ("index.html", "sliding-window/index.html", "gallery/index.html", "glossary/index.html",
                 "instructors/index.html"):
        en = {i for i in parsed(site / "en" / page).ids if not i.startswith("__")}
        zh = {i for i in parsed(site / "zh" / page).ids if not i.startswith("__")}
        assert en == zh


def test_nothing_generated_in_docs(site):
    assert docs_snapshot() == DOCS_BEFORE, "the build wrote into docs/"


def test_offline_copy(tmp_path):
    import zipfile

    target = tmp_path / "offline.zip"
    r = subprocess.run([sys.executable, "scripts/build_site.py", "--offline", "--zip", str(target)], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    with zipfile.ZipFile(target) as z:
        names = set(z.namelist())
        for lang in LANGS:
            assert f"convolution-visualized/{lang}/sliding-window.html" in names  # no directory URLs
            assert f"convolution-visualized/{lang}/search/search_index.js" in names  # search from file://
            html = z.read(f"convolution-visualized/{lang}/sliding-window.html").decode()
            assert "unpkg.com" not in html and "iframe-worker/shim.js" in html
            # the chapter's notebook, downloaded from beside its title (test_notebooks.py)
            assert f"convolution-visualized/{lang}/notebooks/sliding-window.ipynb" in names
            assert '<a href="notebooks/sliding-window.ipynb" download' in html
            # a figure's own page, standing alone: its pictures through figures/ (tests/test_figure_pages.py)
            page = z.read(f"convolution-visualized/{lang}/figures/padding-strides.html").decode()
            assert 'src="../figures/padding-strides.gif#only-light"' in page
        assert "convolution-visualized/index.html" in names


def test_published_anchors_never_disappear(site):
    import importlib.util

    spec = importlib.util.spec_from_file_location("anchors", ROOT / "scripts" / "anchors.py")
    anchors = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(anchors)
    published = anchors.published()
    assert len(published) > 50
    for lang in LANGS:
        current = anchors.site_anchors(site / lang)
        gone = sorted(published - current)
        assert gone == [], f"{lang}: published anchors that disappeared (courses link to them): {gone}"
        new = sorted(current - published)
        assert new == [], f"{lang}: new anchors; record them: python scripts/anchors.py site/en --record: {new}"


def test_the_gallery_describes_a_transposed_figure_by_its_own_configuration(site):
    """Its own parameters once, and the convolution it transposes once, in the page's language;
    brackets balanced (no repeated fragment, no stray bracket)."""
    words = {"en": "takes the output of the convolution", "zh": "把卷积"}
    for lang in LANGS:
        page = parsed(site / lang / "gallery" / "index.html")
        for entry in (e for e in catalog.CATALOG if e.kind == "transposed"):
            alts = [img["alt"] for img in page.imgs if f"/{entry.name}." in img["src"] and ".last.png" not in img["src"]]
            assert len(alts) == 2, entry.name  # light and dark (the print pictures repeat the same alt)
            for alt in alts:
                comma, paren = (", ", " (") if lang == "en" else ("，", "（")
                assert alt.count(entry.params() + comma) == 1, alt
                assert alt.count(entry.transposes() + paren) == 1, alt
                assert words[lang] in alt and alt.count("i=") == 2, alt
                for pair in ("()", "（）"):
                    assert alt.count(pair[0]) == alt.count(pair[1]), alt


def test_every_figure_has_its_intrinsic_size(site):
    """No layout shift: each figure's <img> says its pixel size before it loads."""
    from PIL import Image

    checked = 0
    for lang in LANGS:
        for html in (site / lang).rglob("*.html"):
            for img in parsed(html).imgs:
                if "figures/" not in img["src"]:
                    continue
                name = img["src"].split("figures/")[1].split("#")[0]
                with Image.open(site / lang / "figures" / name) as im:
                    assert (img.get("width"), img.get("height")) == (str(im.size[0]), str(im.size[1])), (html, name)
                checked += 1
    assert checked > 100


def test_math_renderer_only_where_there_is_math(site):
    for lang in LANGS:
        for html in (site / lang).rglob("*.html"):
            text = html.read_text(encoding="utf-8")
            has_math = 'class="arithmatex"' in text
            explorer = '<div id="explorer"' in text  # typesets the reader's formulas in the browser
            assert ("katex.min.css" in text) == (has_math or explorer), html
            assert ("katex.min.js" in text) == explorer, html
        for page in ("gallery", "glossary", "instructors", "references"):
            assert "katex" not in (site / lang / page / "index.html").read_text(encoding="utf-8")


def test_search_previews_show_no_raw_latex(site):
    for lang in LANGS:
        index = json.loads((site / lang / "search" / "search_index.json").read_text(encoding="utf-8"))
        text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
        assert "\\(" not in text and "\\[" not in text and "\\frac" not in text and "\\text" not in text
        assert "⌊" in text  # the output-size formula, readable


def test_the_search_index_holds_only_what_a_reader_can_search_for(site):
    """A Python session is indexed as the code typed at its prompts, without the prompts and
    without what Python printed; no word break (U+200B) beside a character that already breaks
    words; every session's code is there."""
    sessions = sorted((ROOT / "docs" / "snippets").glob("*.pycon"))
    for lang in LANGS:
        index = json.loads((site / lang / "search" / "search_index.json").read_text(encoding="utf-8"))
        text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
        assert "&gt;&gt;&gt;" not in text and ">>> " not in text
        assert "layer(torch.zeros(8, 3, 32, 32)).shape" in text  # channels.pycon, typed
        assert "torch.Size([8, 64, 32, 32])" not in text  # ... and what it printed
        for session in sessions:
            typed = [line[4:] for line in session.read_text(encoding="utf-8").splitlines() if line.startswith(">>> ")]
            assert html.escape(typed[-1], quote=False) in text, session.name
        assert not re.search(r"\u200b[\s、。，？！；]|[\s、。，？！；]\u200b", text)


def test_the_chinese_site_has_no_english_interface_text(site):
    english = ("Permanent link", "Dark mode", "Light mode", "Switch to", "Made with", "Copy to clipboard")
    for html in (site / "zh").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert not [word for word in english if word in text], html
    zh = (site / "zh" / "index.html").read_text(encoding="utf-8")
    assert "本节链接" in (site / "zh" / "sliding-window" / "index.html").read_text(encoding="utf-8")
    assert "切换到深色模式" in zh and "由 <a" in zh and "构建" in zh


def test_a_wrong_address_gets_a_root_404_that_leads_home(site):
    page = parsed(site / "404.html")
    assert {"/zh/", "/en/"} <= set(page.links)  # absolute: a 404 is served at any depth
    text = (site / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in text and "Page not found" in text and "__BASE__" not in text


def test_the_hosting_workflow_links_the_repository_and_the_offline_copy():
    sys.path.insert(0, str(ROOT / "scripts"))
    import hooks

    text = "With {repository|the repository}; {offline-zip|the offline copy}."
    assert hooks.linked_places(text, "instructors/", {}) == "With the repository; the offline copy."
    linked = hooks.linked_places(text, "instructors/", {"repository": "https://example.org/r",
                                                       "offline_zip": "convolution-visualized-offline.zip"})
    assert linked == ('With [the repository](https://example.org/r); '
                      '<a href="../convolution-visualized-offline.zip">the offline copy</a>.')
    for lang in LANGS:
        assert "{repository|" in (ROOT / "docs" / lang / "instructors.md").read_text(encoding="utf-8")
        assert "{offline-zip|" in (ROOT / "docs" / lang / "instructors.md").read_text(encoding="utf-8")
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert "REPO_URL: ${{ github.server_url }}/${{ github.repository }}" in workflow
    assert "OFFLINE_ZIP: convolution-visualized-offline.zip" in workflow
    assert "--zip site/convolution-visualized-offline.zip" in workflow


def test_no_list_item_rendered_as_a_paragraph(site):
    """A list item after a code block needs a blank line; without it "- item" shows as text."""
    broken = []
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        broken += [f"{html.relative_to(site)}: {m.group(1)[:60]!r}" for m in PARAGRAPH.finditer(text)
                   if re.search(r"(^|\n)- \S", m.group(1))]
    assert broken == []


PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
assert re.search(r"(^|\n)- \S", PARAGRAPH.search("<p><code>x</code> too.\n- <strong>Average</strong></p>").group(1))


class _Head(HTMLParser):
    """The <head> of a page: its <meta> tags ({name or property: [content]}) and <link> tags."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.done = {}, [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.meta.setdefault(a.get("property") or a.get("name"), []).append(a.get("content"))
        elif tag == "link":
            self.links.append(a)

    def handle_endtag(self, tag):
        self.done = self.done or tag == "head"


def head(path):
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def site_file(site, root: str, address: str):
    """The file of the built site that serves ``address`` (absolute, under the site's ``root``)."""
    assert address.startswith(root), f"{address} is not under the site's address {root}"
    path = address.removeprefix(root).split("#")[0]
    return site / (path + "index.html" if path.endswith("/") or not path else path)


def test_every_page_previews_well_and_links_its_other_language(site):
    """A page's address pasted into a forum or a chat app shows the page's own title, its own
    description (not the site's) and its first figure as a PNG (an animation's last step); every
    address absolute. The hreflang alternates are the same page in each language, and x-default
    (the English page; the root for the home page); Material's links to each language's home are
    gone, and its script fetches no sitemap beside them."""
    from PIL import Image

    from pages import FIGURE

    root = None
    for lang in LANGS:
        home = head(site / lang / "index.html")
        site_url = home.meta["og:url"][0]
        root = root or site_url.removesuffix(f"{lang}/")
        assert site_url == root + f"{lang}/" and re.match(r"https?://", root)
        site_description = next(m.group(1) for m in re.finditer(r'^site_description: (.*)$', (
            ROOT / ("mkdocs.yml" if lang == "en" else "mkdocs.zh.yml")).read_text(encoding="utf-8"), re.MULTILINE))
        pages = sorted((site / lang).rglob("index.html"))
        assert len(pages) >= 21
        descriptions = {}
        for page in pages:
            rel = page.parent.relative_to(site / lang).as_posix()
            rel = "" if rel == "." else rel + "/"
            where = f"{lang}/{rel}"
            tags = head(page)
            one = {name: values[0] for name, values in tags.meta.items() if len(values) == 1}
            for name in ("description", "og:title", "og:description", "og:url", "og:type", "og:locale", "og:site_name",
                         "twitter:card", "twitter:title", "twitter:description"):
                assert name in one, f"{where}: no (or more than one) {name}"
            canonical = [link["href"] for link in tags.links if link.get("rel") == "canonical"]
            assert canonical == [one["og:url"]] == [site_url + rel], where
            assert one["og:locale"] == {"en": "en_GB", "zh": "zh_CN"}[lang]
            assert one["og:type"] == ("website" if rel == "" else "article")
            assert one["og:title"] == one["twitter:title"] and one["og:title"] in page.read_text(encoding="utf-8")
            assert one["description"] == one["og:description"] == one["twitter:description"], where
            assert one["description"] != site_description.strip('"'), f"{where}: the site's description, not its own"
            assert one["description"] not in descriptions, f"{where}: the description of {descriptions.get(one['description'])}"
            descriptions[one["description"]] = where
            # the first figure of the page, as a PNG of the built site, at its size
            source = ROOT / "docs" / lang / ((rel.rstrip("/") or "index") + ".md")
            first = FIGURE.search(source.read_text(encoding="utf-8")) if source.exists() else None
            if "og:image" in one:
                image = site_file(site, root, one["og:image"])
                assert image.suffix == ".png" and image.exists(), f"{where}: og:image {one['og:image']}"
                with Image.open(image) as picture:
                    assert (one["og:image:width"], one["og:image:height"]) == tuple(map(str, picture.size))
                assert one["og:image"].startswith(site_url + "figures/")
                assert one["twitter:card"] == "summary_large_image" and one["twitter:image"] == one["og:image"]
                assert one["og:image:alt"] and one["twitter:image:alt"] == one["og:image:alt"]
                if source.exists():
                    assert first, f"{where}: a picture, but no figure in its markdown"
                    assert image.name in (f"{first.group(1)}.last.png", f"{first.group(1)}.png"), where
            else:
                assert one["twitter:card"] == "summary" and "twitter:image" not in one
                assert not first, f"{where}: no picture, although it shows figures/{first.group(1)}"
            # alternates: exactly one set, the same page in each language (absolute), and x-default
            alternates = {link.get("hreflang"): link["href"] for link in tags.links if link.get("rel") == "alternate"}
            assert len(alternates) == len([link for link in tags.links if link.get("rel") == "alternate"]), where
            assert set(alternates) == {"en", "zh", "x-default"}, where
            for other in LANGS:
                assert alternates[other] == f"{root}{other}/{rel}", where
                assert site_file(site, root, alternates[other]).exists()
            assert alternates["x-default"] == (root if rel == "" else f"{root}en/{rel}")
            assert site_file(site, root, alternates["x-default"]).exists()
        assert len(descriptions) == len(pages)
        # Material's script looks for sitemaps beside alternates without hreflang only (none)
        bundle = next((site / lang / "assets" / "javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
        assert '("link[rel=alternate]:not([hreflang])")' in bundle


def test_a_printed_link_carries_its_address(site):
    """A link of a page's text carries its absolute address (data-print-href), which extra.css
    prints after it; an in-page anchor, a heading's permalink and a link around a figure do not."""
    root = head(site / "en" / "index.html").meta["og:url"][0].removesuffix("en/")
    for lang in LANGS:
        text = (site / lang / "sliding-window" / "index.html").read_text(encoding="utf-8")
        article = text[text.index('<article'):text.index('</article>')]
        links = re.findall(r'<a\b[^>]*>', article)
        printed = {html.unescape(m) for m in re.findall(r'data-print-href="([^"]*)"', article)}
        assert f"{root}{lang}/references/#dumoulin-2016" in printed
        assert f"{root}{lang}/glossary/#kernel" in printed  # (extra.css prints no address after a term)
        assert any(a.startswith(f"{root}{lang}/explore/?op=conv&") for a in printed)
        for link in links:
            href = html.unescape(re.search(r'href="([^"]*)"', link).group(1))
            if href.startswith("#"):  # in-page anchors and permalinks
                assert "data-print-href" not in link, link
        gallery = (site / lang / "gallery" / "index.html").read_text(encoding="utf-8")
        around = re.findall(r'<a\b[^>]*>\s*(?:<picture><source\b[^>]*>)?<img', gallery)  # (its WebP in a <picture>)
        assert around and not [a for a in around if "data-print-href" in a]
    css = (ROOT / "overrides" / "assets" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert 'content: " (" attr(data-print-href) ")"' in css
