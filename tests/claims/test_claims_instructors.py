"""The claims of the instructors' page (docs/en/instructors.md, docs/zh/instructors.md)."""

from __future__ import annotations

import itertools

import torch
import torch.nn.functional as F

from .claim import claim
from figures import catalog
from figures.config import MAX_GRID, Config
from figures.experiments import make_values, record_conv, record_transposed

PAGE = "instructors"


def torch_accepts(kind, i, k, s, p, d, a):
    x = torch.zeros(1, 1, *i)
    w = torch.zeros(1, 1, *k)
    try:
        if kind == "conv":
            F.conv2d(x, w, stride=s, padding=p, dilation=d)
        else:
            F.conv_transpose2d(x, w, stride=s, padding=p, dilation=d, output_padding=a)
    except RuntimeError:
        return False
    return True


@claim(PAGE, "customise")
def test_what_can_be_drawn():
    r"""
    en: that PyTorch accepts can be drawn,
    square or not (`5x7`), as long as the grid drawn (padding and inserted zeros included) has at most
    32 cells a side.
    zh: 都能画，正方形与否都可以（写作 `5x7`），只要画出的网格（连同填充和插入的零）每边不超过 32 格。
    domain: convolutions and transposed convolutions with inputs 1–7 × (1, 5, 30), k 1–4 × (1, 3), stride
    1–3, padding 0–2, dilation 1–2, output padding 0–2: figures.config.Config accepts exactly the
    configurations torch (CPU) accepts whose grid has at most 32 cells a side; both kinds reach past 32.
    """
    refused_for_size = set()
    for kind, h, wd, kh, kw, s, p, d, a in itertools.product(
            ("conv", "transposed"), range(1, 8), (1, 5, 30), range(1, 5), (1, 3), range(1, 4), range(0, 3), (1, 2), range(0, 3)):
        if kind == "conv" and a:
            continue
        cfg = Config(kind, (h, wd), (kh, kw), (s, s), (p, p), (d, d), (a, a))
        ok = torch_accepts(kind, (h, wd), (kh, kw), s, p, d, a)
        try:
            cfg.check()
            drawn = True
        except ValueError:
            drawn = False
        if ok:
            fits = max(cfg.grid_size()) <= MAX_GRID
            assert drawn == fits, cfg
            if not fits:
                refused_for_size.add(kind)
        else:
            assert not drawn, cfg
    assert refused_for_size == {"conv", "transposed"} and MAX_GRID == 32


@claim(PAGE, "customise")
def test_ones_values():
    r"""
    en: `ones` (all ones: a convolution's output counts the input cells
    under each window, a transposed convolution's the stamps on each cell)
    zh: `ones`（全为 1：卷积的输出是每个窗口盖住的输入格子数，转置卷积的输出是每个格子上落下的印章数）
    domain: make_values("ones") with inputs 2–6, k 1–3, stride 1–2, padding 0–2, dilation 1–2: the recorded
    convolution's output is the number of non-padding cells among each window's taps; the recorded
    transposed convolution's is the number of stamps (input cell i, tap j with i·s + j·d − p at that cell).
    """
    for n, k, s, p, d in itertools.product(range(2, 7), range(1, 4), (1, 2), range(0, 3), (1, 2)):
        x, w = make_values("ones", n, k)
        assert (x == 1).all() and (w == 1).all()
        if n + 2 * p >= d * (k - 1) + 1:
            out = record_conv(x, w, stride=s, padding=p, dilation=d).output
            for r, c in itertools.product(range(out.shape[0]), range(out.shape[1])):
                rows = sum(1 for j in range(k) if 0 <= r * s + j * d - p < n)
                cols = sum(1 for j in range(k) if 0 <= c * s + j * d - p < n)
                assert out[r, c] == rows * cols
        if (n - 1) * s - 2 * p + d * (k - 1) + 1 >= 1 and p <= d * (k - 1):
            out = record_transposed(x, w, stride=s, padding=p, dilation=d).output
            for r in range(out.shape[0]):
                stamps = sum(1 for i in range(n) for j in range(k) if i * s + j * d - p == r)
                assert out[r, 0] == stamps * sum(1 for i in range(n) for j in range(k) if i * s + j * d - p == 0)


@claim(PAGE, "licence")
def test_fifteen_classics():
    r"""
    en: The fifteen classic animations (seven cases of a convolution, their transposes, and dilation)
    zh: 十五个经典动画（七种情形、它们的转置，以及空洞卷积）
    domain: figures.catalog.classics(): 15 entries, seven convolutions without dilation, their seven transposes
    (each named after its convolution), and one dilated convolution.
    """
    c = catalog.classics()
    conv = [e for e in c if e.kind == "conv" and e.name != "dilation"]
    transposed = [e for e in c if e.kind == "transposed"]
    assert len(c) == 15 and len(conv) == 7 and len(transposed) == 7
    assert sorted(e.name for e in transposed) == sorted(e.name + "-transposed" for e in conv)
    assert [e.name for e in c if e not in conv and e not in transposed] == ["dilation"]


@claim(PAGE, "linking")
def test_same_addresses_and_anchors():
    r"""
    en: Every page has the same address in both languages, with the language as the first part of the
    path, and every heading has an anchor that is the same in both languages:
    zh: 每个页面在两种语言里的地址相同，只是路径的第一段是语言；每个标题都有锚点，两种语言里也一样：
    domain: every page of docs/en and docs/zh: the same file names; every heading has an explicit {#id}; the
    ids, in order, are the same in both languages.
    """
    import re
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs"
    en = sorted(p.name for p in (docs / "en").glob("*.md"))
    assert en == sorted(p.name for p in (docs / "zh").glob("*.md"))
    heading = re.compile(r"^#{1,6}\s")
    anchored = re.compile(r"^#{1,6}\s.*\{#([\w-]+)[^}]*\}\s*$")
    for name in en:
        ids = {}
        for lang in ("en", "zh"):
            lines = (docs / lang / name).read_text(encoding="utf-8").split("\n")
            fence, found = False, []
            for line in lines:
                if line.lstrip().startswith("```"):
                    fence = not fence
                if fence or not heading.match(line):
                    continue
                m = anchored.match(line)
                assert m, (lang, name, line)
                found.append(m.group(1))
            ids[lang] = found
        assert ids["en"] == ids["zh"], name


@claim(PAGE, "linking")
def test_published_anchors_stay():
    r"""
    en: Chapter names, section anchors and figure names are stable: once published
    they are never renamed or removed (a test fails if one disappears)
    zh: 章节名、小节锚点和图的名字都是稳定的：一经发布，
    就不会改名或删除（一旦消失，测试就会失败）
    domain: every line of docs/published_anchors.txt whose page is written in Markdown (docs/en, docs/zh): the
    page exists in both languages with that heading id; and every figure named in a gallery or figures/ line
    is still in the catalog (those pages are generated: the site build's tests check their anchors).
    """
    import re
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs"
    names = {e.name for e in catalog.CATALOG}
    checked = 0
    for line in (docs / "published_anchors.txt").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        page, anchor = line.split("/#")
        page = "index" if page == "." else page
        if page.startswith("figures/"):
            assert page.split("/")[1] in names, line
            continue
        if page == "gallery" and anchor in names:
            continue
        if not (docs / "en" / f"{page}.md").exists():
            continue  # glossary, references and the gallery's own headings are generated pages
        for lang in ("en", "zh"):
            text = (docs / lang / f"{page}.md").read_text(encoding="utf-8")
            assert re.search(r"\{#" + re.escape(anchor) + r"[\s}]", text), (lang, line)
        checked += 1
    assert checked > 100
