"""The claims of the home page (docs/en/index.md, docs/zh/index.md)."""

from __future__ import annotations

import importlib.util
import itertools

import pytest
import torch
import torch.nn.functional as F

from .claim import claim
from figures.experiments import record_conv, record_transposed

PAGE = "index"
torch.manual_seed(0)
D = torch.float64


@claim(PAGE, "what-is-different")
def test_every_figure_is_computed():
    r"""
    en: Each animation is drawn from the tensors that the real PyTorch
    operation produced, and the figure engine checks its record against
    `torch.nn.functional` before it draws a single cell.
    zh: 每段动画都取自 PyTorch 真实运算得到的张量；绘图引擎画第一个格子之前，
    先拿记录下来的计算过程和 `torch.nn.functional` 的结果核对。
    domain: the engine's records of convolutions (inputs 3–6 × 4, k 1–3, stride 1–2, padding 0–1, dilation
    1–2) and transposed convolutions (inputs 2–4, k 1–3, stride 1–2, padding 0–1, output padding below the
    stride) on random values: each record's output is F.conv2d's / F.conv_transpose2d's.
    """
    for h, k, s, p, d in itertools.product(range(3, 7), range(1, 4), (1, 2), (0, 1), (1, 2)):
        if h + 2 * p < d * (k - 1) + 1 or 4 + 2 * p < d * (k - 1) + 1:
            continue
        x, w = torch.randn(h, 4, dtype=D), torch.randn(k, k, dtype=D)
        rec = record_conv(x, w, stride=s, padding=p, dilation=d)
        assert torch.allclose(rec.output, F.conv2d(x[None, None], w[None, None], stride=s, padding=p, dilation=d)[0, 0])
    for h, k, s, p in itertools.product(range(2, 5), range(1, 4), (1, 2), (0, 1)):
        for a in range(s):
            if (h - 1) * s - 2 * p + k + a < 1:
                continue
            x, w = torch.randn(h, h, dtype=D), torch.randn(k, k, dtype=D)
            rec = record_transposed(x, w, stride=s, padding=p, output_padding=a)
            expect = F.conv_transpose2d(x[None, None], w[None, None], stride=s, padding=p, output_padding=a)[0, 0]
            assert torch.allclose(rec.output, expect)


@claim(PAGE, "chapters")
def test_shift_equivariance_at_stride_1():
    r"""
    en: a shifted input giving a shifted feature map (at stride 1).
    zh: 以及输入平移、特征图随之平移（步幅为 1 时）。
    domain: random 12 × 12 inputs, k 1–4, circular padding (no border) and zero padding (away from the
    border), shifts 1–3 along both axes: at stride 1 the output shifts with the input; at stride 2 a
    shift by 1 does not give a shifted output, a shift by 2 gives one shifted by 1.
    """
    for k, dy, dx in itertools.product(range(1, 5), range(1, 4), range(0, 3)):
        x = torch.randn(1, 1, 12, 12, dtype=D)
        w = torch.randn(1, 1, k, k, dtype=D)
        shifted = torch.roll(x, (dy, dx), (2, 3))

        def circ(v, s=1):
            return F.conv2d(F.pad(v, (k - 1, 0, k - 1, 0), mode="circular"), w, stride=s)

        assert torch.allclose(circ(shifted), torch.roll(circ(x), (dy, dx), (2, 3)))
        zero, zero_shifted = F.conv2d(x, w), F.conv2d(shifted, w)
        assert torch.allclose(zero_shifted[..., 3 + dy:, 3 + dx:], zero[..., 3:zero.shape[-2] - dy, 3:zero.shape[-1] - dx])
        if k > 1:
            one = torch.roll(x, (1, 0), (2, 3))
            assert not torch.allclose(circ(one, 2), torch.roll(circ(x, 2), (1, 0), (2, 3)))
        two = torch.roll(x, (2, 0), (2, 3))
        assert torch.allclose(circ(two, 2), torch.roll(circ(x, 2), (1, 0), (2, 3)))


@claim(PAGE, "chapters")
def test_output_padding_rule():
    r"""
    en: and the rule `output_padding < max(stride, dilation)`.
    zh: 以及 `output_padding < max(stride, dilation)` 这条规则。
    domain: torch's conv_transpose1d on the CPU with input 3, k 2, stride 1–4, dilation 1–4, padding 0,
    output padding 0–5: accepted exactly when output_padding < max(stride, dilation).
    """
    for s, d, a in itertools.product(range(1, 5), range(1, 5), range(0, 6)):
        call = lambda: F.conv_transpose1d(torch.zeros(1, 1, 3), torch.zeros(1, 1, 2), stride=s, dilation=d, output_padding=a)
        if a < max(s, d):
            call()
        else:
            with pytest.raises(RuntimeError):
                call()


@claim(PAGE, "chapters")
def test_transposed_is_adjoint_not_inverse():
    r"""
    en: the transposed convolution multiplies by $C^\top$, the adjoint, not
    the inverse
    zh: 转置卷积就是乘 $C^\top$——是伴随，不是逆
    domain: 1-D, lengths 4–10, k 2–4, stride 1–2, padding 0–1, random kernels and vectors: ⟨Cx, y⟩ = ⟨x, Cᵀy⟩
    with Cᵀ = conv_transpose1d, and conv_transpose1d(conv1d(x)) ≠ x.
    """
    for n, k, s, p in itertools.product(range(4, 11), range(2, 5), (1, 2), (0, 1)):
        x, w = torch.randn(1, 1, n, dtype=D), torch.randn(1, 1, k, dtype=D)
        cx = F.conv1d(x, w, stride=s, padding=p)
        y = torch.randn_like(cx)
        a = n - ((cx.shape[-1] - 1) * s - 2 * p + k)
        ty = F.conv_transpose1d(y, w, stride=s, padding=p, output_padding=a)
        assert torch.allclose((cx * y).sum(), (x * ty).sum())
        assert not torch.allclose(F.conv_transpose1d(cx, w, stride=s, padding=p, output_padding=a), x)


@claim(PAGE, "chapters")
def test_causal_never_reads_the_future():
    r"""
    en: causal convolution that never reads the future
    zh: 绝不读取未来的因果卷积
    domain: 1-D signals of 12, k 1–4, dilation 1–4, left padding d(k − 1): the gradient of output t reaches
    inputs ≤ t only, and input t itself.
    """
    for k, d in itertools.product(range(1, 5), range(1, 5)):
        w = torch.rand(1, 1, k, dtype=D) + 0.5
        for t in range(12):
            x = torch.randn(1, 1, 12, dtype=D, requires_grad=True)
            y = F.conv1d(F.pad(x, (d * (k - 1), 0)), w, dilation=d)
            assert y.shape[-1] == 12
            y[0, 0, t].backward()
            reached = (x.grad[0, 0] != 0).nonzero().flatten().tolist()
            assert max(reached) == t


@claim(PAGE, "chapters")
def test_frameworks_run_where_installed():
    r"""
    en: each with the PyTorch code that reproduces it exactly (run against JAX and ONNX Runtime, which could be
    installed; the others from their documentation or source).
    zh: 每一种都给出在 PyTorch 里逐数复现的代码（能安装的 JAX 和 ONNX Runtime 都实际运行核对过，其余依据它们的文档或源码）。
    domain: the installed packages: jax and onnxruntime are there (the frameworks page's snippets run them);
    tensorflow, paddle and mindspore are not.
    """
    present = {m: importlib.util.find_spec(m) is not None for m in ("jax", "onnxruntime", "tensorflow", "paddle", "mindspore")}
    assert present == {"jax": True, "onnxruntime": True, "tensorflow": False, "paddle": False, "mindspore": False}


@claim(PAGE, "what-is-different")
def test_every_snippet_is_tested():
    r"""
    en: Every snippet is tested. The code on each page is run by the test suite, in both
    languages, and the output you see is the output it printed.
    zh: 每段代码都经过测试。两种语言页面上的代码都由测试套件实际运行，页面上看到的输出就是它打印出来的输出。
    domain: every page of docs/en and docs/zh: each `--8<--` include names a section of a file in docs/snippets,
    the two languages include the same sections, and the Sybil configuration collects both folders.
    """
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    include = re.compile(r'--8<-- "([\w.-]+\.pycon):([\w-]+)"')
    for page in sorted((root / "docs" / "en").glob("*.md")):
        found = {}
        for lang in ("en", "zh"):
            text = (root / "docs" / lang / page.name).read_text(encoding="utf-8")
            found[lang] = include.findall(text)
            for name, section in found[lang]:
                snippet = (root / "docs" / "snippets" / name).read_text(encoding="utf-8")
                assert f"[start:{section}]" in snippet and f"[end:{section}]" in snippet, (page.name, name, section)
        assert found["en"] == found["zh"], page.name
    conftest = (root / "conftest.py").read_text(encoding="utf-8")
    assert '"en/*.md"' in conftest and '"zh/*.md"' in conftest


@claim(PAGE, "reading-figures")
def test_colour_roles():
    r"""
    en: Every figure uses the same colours, chosen to be told apart by colour-blind readers too, and
    padding and inserted zeros also differ by pattern.
    zh: 每张图的配色都一样，色弱读者也能分清；填充和插入的零除了颜色不同，花纹也不同。
    domain: figures.theme: each role's strong colour is one of Okabe and Ito's eight colour-blind-safe colours
    and its hue is the table's (input blue, output green, kernel orange, current cell red, inserted zeros
    purple, padding grey); no two roles share a colour; padding and zeros have different hatches.
    """
    import colorsys

    from figures import theme

    okabe_ito = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"}
    colours = {"input": theme.BLUE, "output": theme.GREEN, "kernel": theme.ORANGE, "current": theme.VERMILLION,
               "zero": theme.PURPLE, "pad": theme.GREY}
    assert set(colours.values()) <= okabe_ito and len(set(colours.values())) == 6
    hue_ranges = {"input": (190, 220), "output": (150, 175), "kernel": (35, 50), "current": (15, 30), "zero": (300, 340)}
    for role, colour in colours.items():
        r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        h, _, s = colorsys.rgb_to_hls(r, g, b)
        if role == "pad":
            assert s == 0
        else:
            lo, hi = hue_ranges[role]
            assert lo <= h * 360 <= hi, (role, h * 360)
    assert theme.HATCH["pad"] != theme.HATCH["zero"]


@claim(PAGE, "figures-locally")
def test_render_any_configuration():
    r"""
    en: Every figure can be rendered again, in any configuration whose grid has at most 32 cells a side,
    with one command of the site's Python package
    zh: 本站的 Python 包一条命令就能重新生成任意配置的图（只要网格每边不超过 32 格）
    domain: figures.config.Config for convolutions on inputs 28–34 with k 3, padding 0–2: accepted exactly when
    the padded grid has at most 32 cells a side; every figure of the catalog has a configuration the CLI accepts.
    """
    from figures import catalog
    from figures.config import Config

    for n, p in itertools.product(range(28, 35), range(0, 3)):
        cfg = Config("conv", (n, n), (3, 3), (1, 1), (p, p))
        if n + 2 * p <= 32:
            cfg.check()
        else:
            with pytest.raises(ValueError, match="at most 32"):
                cfg.check()
    for e in catalog.CATALOG:
        config = e.config() if callable(e.config) else e.config
        config.check()
