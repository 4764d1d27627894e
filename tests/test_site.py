"""The built site: both languages build with --strict; every local link, anchor and image
resolves; nothing is requested from another host; figures are the catalog's."""

import json
import re
import subprocess
import sys

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
        served = {p.name for p in (site / lang / "figures").iterdir()}
        expected = {e.filename(t) for e in catalog.CATALOG for t in catalog.THEME_NAMES}
        assert served == expected
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


CLASSICS_BUDGET = catalog.CONV_ARITHMETIC_BYTES // 5  # 679,749: the "680 KB", taken strictly


def test_the_classic_animations_stay_within_a_fifth_of_conv_arithmetics_bytes(site):
    """A byte budget, not a timing: the figures are deterministic (scripts/bench.py prints them)."""
    from PIL import Image

    from figures import theme

    classics = catalog.classics()
    assert len(classics) == 15
    sizes = {e.name: (site / "en" / "figures" / e.filename("light")).stat().st_size for e in classics}
    assert sum(sizes.values()) <= CLASSICS_BUDGET, sizes
    # with numbers in cells, and cells larger than conv_arithmetic's (0.5 cm at 150 dpi, 29.5 px)
    assert theme.CELL_PX >= 30
    for entry in classics:
        with Image.open(site / "en" / "figures" / entry.filename("light")) as im:
            assert im.n_frames > 1 and min(im.size) >= 300


def test_math_is_rendered_by_the_sites_own_katex(site):
    html = (site / "en" / "sliding-window" / "index.html").read_text(encoding="utf-8")
    assert 'class="arithmatex"' in html
    assert re.search(r'src="[./]*assets/katex/katex\.min\.js"', html)
    assert (site / "en" / "assets" / "katex" / "fonts" / "KaTeX_Main-Regular.woff2").exists()


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
