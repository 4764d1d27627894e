"""Claims of the cheat sheet (docs/*/cheat-sheet.md): every row is a rule, each swept over its domain."""

from __future__ import annotations

import itertools
import math
import random

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from .claim import claim

x64 = dict(dtype=torch.float64)


def conv_formula(h, k, s, p, d):
    return (h + 2 * p - d * (k - 1) - 1) // s + 1


def conv_size(h, k, s=1, p=0, d=1):
    return F.conv1d(torch.zeros(1, 1, h), torch.zeros(1, 1, k), stride=s, padding=p, dilation=d).shape[-1]


@claim("cheat-sheet", "sizes")
def test_convolution_formula():
    """
    en: | [Convolution](glossary.md#convolution) | $\\left\\lfloor \\dfrac{H + 2p - d(k-1) - 1}{s} \\right\\rfloor + 1$ |
    zh: | [卷积](glossary.md#convolution) | $\\left\\lfloor \\dfrac{H + 2p - d(k-1) - 1}{s} \\right\\rfloor + 1$ |
    domain: every H 1–12, k 1–5, s 1–4, p 0–2, d 1–3: torch's size where the formula gives at least 1,
      and a refusal where it does not.
    """
    for h, k, s, p, d in itertools.product(range(1, 13), range(1, 6), range(1, 5), range(3), range(1, 4)):
        if conv_formula(h, k, s, p, d) >= 1 and h + 2 * p >= d * (k - 1) + 1:
            assert conv_size(h, k, s, p, d) == conv_formula(h, k, s, p, d)
        elif (h, s) == (1, 1):
            with pytest.raises(RuntimeError):
                conv_size(h, k, s, p, d)


@claim("cheat-sheet", "sizes")
def test_span_of_a_dilated_kernel():
    """
    en: | Span of a dilated kernel | $d(k-1) + 1$ |
    zh: | 膨胀后卷积核的跨度 | $d(k-1) + 1$ |
    domain: every k 1–6, d 1–5: the input cells one output cell depends on (autograd) run from the
      first to the last of d(k−1) + 1 cells.
    """
    for k, d in itertools.product(range(1, 7), range(1, 6)):
        x = torch.ones(1, 1, 40, **x64, requires_grad=True)
        F.conv1d(x, torch.ones(1, 1, k, **x64), dilation=d)[0, 0, 3].backward()
        hit = x.grad[0, 0].nonzero().flatten()
        assert int(hit[-1] - hit[0]) + 1 == d * (k - 1) + 1


@claim("cheat-sheet", "sizes")
def test_causal_padding_and_stack():
    """
    en: causal: $d(k-1)$ zeros on the left only; stride-1 stack: $r = 1 + (k_1 - 1) d_1 + (k_2 - 1) d_2 + \\cdots$
    zh: 因果：只在左边补 $d(k-1)$ 个零；步幅为 1 的堆叠：$r = 1 + (k_1 - 1) d_1 + (k_2 - 1) d_2 + \\cdots$
    domain: every k 1–5, d 1–4, L 1–12: F.pad(x, (d(k−1), 0)) then padding 0 keeps the length and output
      t depends on inputs up to t only; 200 random stride-1 stacks of 1–4 layers (k 1–5, d 1–4): the
      inputs the last output cell depends on span exactly r cells (with holes inside when every
      dilation shares a factor, the gridding of the dilation chapter).
    """
    for k, d, length in itertools.product(range(1, 6), range(1, 5), range(1, 13)):
        w = torch.randn(1, 1, k, generator=torch.Generator().manual_seed(k * 10 + d), **x64)
        basis = torch.eye(length, **x64).unsqueeze(1)  # every unit input at once: row t of M is y(e_t)
        M = F.conv1d(F.pad(basis, (d * (k - 1), 0)), w, dilation=d)[:, 0]
        assert M.shape == (length, length)
        assert torch.equal(M, M.triu()), (k, d, length)  # input t reaches outputs t and later only
    rng = random.Random(1)
    for _ in range(200):
        layers = [(rng.randint(1, 5), rng.randint(1, 4)) for _ in range(rng.randint(1, 4))]
        r = 1 + sum((k - 1) * d for k, d in layers)
        x = torch.ones(1, 1, r + 5, **x64, requires_grad=True)
        y = x
        for k, d in layers:
            y = F.conv1d(F.pad(y, (d * (k - 1), 0)), torch.ones(1, 1, k, **x64), dilation=d)
        y[0, 0, -1].backward()
        hit = x.grad[0, 0].nonzero().flatten()
        assert int(hit[-1] - hit[0]) + 1 == r and int(hit[-1]) == r + 4


@claim("cheat-sheet", "sizes")
def test_padding_same_split():
    """
    en: | `padding="same"` ($s = 1$) | total $d(k-1)$: half per side if it is even, else one more after |
    zh: | `padding="same"`（$s = 1$） | 共补 $d(k-1)$：为偶数时两侧各一半，为奇数时后面多补一格 |
    domain: every k 1–7, d 1–4, L 1–10, random values: torch's padding="same" equals F.pad with
      (⌊d(k−1)/2⌋, ⌈d(k−1)/2⌉) then padding 0.
    """
    import warnings
    g = torch.Generator().manual_seed(2)
    for k, d, length in itertools.product(range(1, 8), range(1, 5), range(1, 11)):
        x, w = torch.randn(1, 1, length, generator=g, **x64), torch.randn(1, 1, k, generator=g, **x64)
        total = d * (k - 1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            same = F.conv1d(x, w, padding="same", dilation=d)
        assert torch.equal(same, F.conv1d(F.pad(x, (total // 2, total - total // 2)), w, dilation=d))


@claim("cheat-sheet", "sizes")
def test_same_padding_of_tensorflow_and_jax():
    """
    en: | <span id="frameworks"></span>[SAME padding](glossary.md#same-padding) (TF, JAX; ONNX `SAME_UPPER`) | $o = \\lceil H/s \\rceil$, $P = \\max(0, (o-1)s + d(k-1) + 1 - H)$: $\\lfloor P/2 \\rfloor$ before, the rest after; [VALID](glossary.md#valid-padding): $p = 0$ |
    zh: | <span id="frameworks"></span>[SAME 填充](glossary.md#same-padding)（TF、JAX；ONNX `SAME_UPPER`） | $o = \\lceil H/s \\rceil$，$P = \\max(0, (o-1)s + d(k-1) + 1 - H)$：前面 $\\lfloor P/2 \\rfloor$，其余在后面；[VALID](glossary.md#valid-padding)：$p = 0$ |
    domain: every H 1–15, k 1–6, s 1–4, d 1–3: JAX's own "SAME" and "VALID" paddings
      (lax.padtype_to_pads, on the dilated window), and torch's size after F.pad with them is o.
    """
    from jax import lax
    for h, k, s, d in itertools.product(range(1, 16), range(1, 7), range(1, 5), range(1, 4)):
        o = -(-h // s)
        total = max(0, (o - 1) * s + d * (k - 1) + 1 - h)
        ((before, after),) = lax.padtype_to_pads((h,), (d * (k - 1) + 1,), (s,), "SAME")
        assert (before, after) == (total // 2, total - total // 2)
        assert conv_size(h + total, k, s, 0, d) == o
        assert lax.padtype_to_pads((h,), (d * (k - 1) + 1,), (s,), "VALID") == [(0, 0)]


def pool_formula(h, k, s, p, d, ceil):
    n = h + 2 * p - d * (k - 1) - 1
    if not ceil:
        return n // s + 1
    size = -(-n // s) + 1
    if (size - 1) * s >= h + p:  # the last window would start in the padding after the input
        size -= 1
    return size


@claim("cheat-sheet", "sizes")
def test_pooling_sizes():
    """
    en: | [Pooling](glossary.md#pooling) | as convolution; `ceil_mode=True`: $\\lceil\\cdot\\rceil$, a last window must start inside input or left padding; $p \\le \\lfloor k/2 \\rfloor$, dilated or not |
    zh: | [池化](glossary.md#pooling) | 同卷积；`ceil_mode=True` 时改为 $\\lceil\\cdot\\rceil$，最后一个窗口必须从输入或左侧填充内开始；$p \\le \\lfloor k/2 \\rfloor$（有膨胀也一样） |
    domain: max and average pooling (average without dilation), every H 1–10, k 1–5, s 1–4, p 0–3,
      d 1–3, ceil_mode off and on: torch accepts exactly p ≤ ⌊k/2⌋ (where the output is not empty) and
      gives the formula's size.
    """
    x = torch.zeros(1, 1, 14)
    for h, k, s, p, d, ceil in itertools.product(range(1, 11), range(1, 6), range(1, 5), range(4), range(1, 4),
                                                 (False, True)):
        size = pool_formula(h, k, s, p, d, ceil)
        for op in ("max", "avg"):
            if op == "avg" and d > 1:
                continue
            call = (lambda: F.max_pool1d(x[..., :h], k, s, p, d, ceil_mode=ceil)) if op == "max" else (
                lambda: F.avg_pool1d(x[..., :h], k, s, p, ceil_mode=ceil))
            if p > k // 2:
                with pytest.raises(RuntimeError, match="half"):
                    call()
            elif size >= 1:
                assert call().shape[-1] == size, (op, h, k, s, p, d, ceil)


@claim("cheat-sheet", "sizes")
def test_transposed_sizes_and_a():
    """
    en: | [Transposed convolution](glossary.md#transposed-convolution) | $(H - 1)s - 2p + d(k-1) + a + 1$, with $0 \\le a < \\max(s, d)$ |
    zh: | [转置卷积](glossary.md#transposed-convolution) | $(H - 1)s - 2p + d(k-1) + a + 1$，其中 $0 \\le a < \\max(s, d)$ |
    domain: every H 1–6, k 1–4, s 1–4, p 0–2, d 1–3, a 0–max(s, d): torch's size, and its refusal of
      a ≥ max(s, d).
    """
    for h, k, s, p, d in itertools.product(range(1, 7), range(1, 5), range(1, 5), range(3), range(1, 4)):
        for a in range(max(s, d) + 1):
            size = (h - 1) * s - 2 * p + d * (k - 1) + a + 1
            call = lambda: F.conv_transpose1d(torch.zeros(1, 1, h), torch.zeros(1, 1, k), stride=s, padding=p,
                                              dilation=d, output_padding=a)
            if a >= max(s, d):
                with pytest.raises(RuntimeError, match="output padding"):
                    call()
            elif size >= 1:
                assert call().shape[-1] == size


@claim("cheat-sheet", "sizes")
def test_a_that_restores():
    """
    en: | $a$ that restores $H_\\text{in}$ | $(H_\\text{in} + 2p - d(k-1) - 1) \\bmod s$ |
    zh: | 还原 $H_\\text{in}$ 所需的 $a$ | $(H_\\text{in} + 2p - d(k-1) - 1) \\bmod s$ |
    domain: every H_in 1–20, k 1–4, s 1–4, p 0–2, d 1–3 that torch's convolution accepts (and whose
      way back torch accepts): the transposed convolution with that a gives H_in.
    """
    for h, k, s, p, d in itertools.product(range(1, 21), range(1, 5), range(1, 5), range(3), range(1, 4)):
        if h + 2 * p < d * (k - 1) + 1:
            continue
        o = conv_size(h, k, s, p, d)
        a = (h + 2 * p - d * (k - 1) - 1) % s
        if (o - 1) * s - 2 * p + d * (k - 1) + 1 < 1:
            continue
        back = F.conv_transpose1d(torch.zeros(1, 1, o), torch.zeros(1, 1, k), stride=s, padding=p, dilation=d,
                                  output_padding=a)
        assert back.shape[-1] == h


@claim("cheat-sheet", "sizes")
def test_zero_insertion_view():
    """
    en: | [Zero insertion](glossary.md#zero-insertion) view | $s - 1$ zeros between cells, $d(k-1) - p$ around (negative: cropped) and $a$ more after, kernel flipped and still dilated by $d$, stride 1 |
    zh: | [零插入](glossary.md#zero-insertion)视角 | 格子之间插 $s - 1$ 个零，两端各补 $d(k-1) - p$ 格（为负则裁掉），末端再多补 $a$ 格，卷积核翻转、膨胀率仍为 $d$，步幅 1 |
    domain: every H 1–4, k 1–4, s 1–3, d 1–3, p 0–3, a < max(s, d), random values (1-D; each axis of a
      2-D one is the same): F.conv_transpose1d equals the stride-1 convolution of the zero-inserted,
      padded (or cropped) input with the flipped kernel at dilation d.
    """
    g = torch.Generator().manual_seed(3)
    for h, k, s, d, p in itertools.product(range(1, 5), range(1, 5), range(1, 4), range(1, 4), range(4)):
        for a in range(max(s, d)):
            if (h - 1) * s - 2 * p + d * (k - 1) + a + 1 < 1:
                continue
            x, w = torch.randn(1, 1, h, generator=g, **x64), torch.randn(1, 1, k, generator=g, **x64)
            inserted = torch.zeros(1, 1, (h - 1) * s + 1, **x64)
            inserted[..., ::s] = x
            ring = d * (k - 1) - p
            grid = F.pad(inserted, (ring, ring + a))  # F.pad crops where the amount is negative
            y = F.conv1d(grid, w.flip(-1), dilation=d)
            assert torch.allclose(y, F.conv_transpose1d(x, w, stride=s, padding=p, dilation=d, output_padding=a))


@claim("cheat-sheet", "sizes")
def test_adaptive_pooling_windows():
    """
    en: | Adaptive pooling to $O$ | window $i$: cells $\\lfloor iH/O \\rfloor$ to $\\lceil (i+1)H/O \\rceil - 1$ |
    zh: | 自适应池化到 $O$ | 第 $i$ 个窗口：第 $\\lfloor iH/O \\rfloor$ 到第 $\\lceil (i+1)H/O \\rceil - 1$ 格 |
    domain: every H 1–20 and O 1–20, random values: adaptive average pooling is the mean, adaptive max
      pooling the maximum, of exactly those cells (smaller and larger O than H alike).
    """
    g = torch.Generator().manual_seed(4)
    for h in range(1, 21):
        x = torch.randn(1, 1, h, generator=g, **x64)
        for o in range(1, 21):
            avg, mx = F.adaptive_avg_pool1d(x, o)[0, 0], F.adaptive_max_pool1d(x, o)[0, 0]
            for i in range(o):
                window = x[0, 0, (i * h) // o: -(-((i + 1) * h) // o)]
                assert torch.allclose(avg[i], window.mean()) and mx[i] == window.max(), (h, o, i)


@claim("cheat-sheet", "sizes")
def test_interpolate_scale_factor():
    """
    en: | `interpolate(scale_factor=f)` | $\\lfloor H f \\rfloor$ |
    zh: | `interpolate(scale_factor=f)` | $\\lfloor H f \\rfloor$ |
    domain: every H 1–40 and f = m/n for m 1–24, n in 1, 2, 3, 4, 5, 8, 10, modes nearest and linear:
      torch's size is ⌊Hf⌋ (computed as torch does, in double precision) wherever that is at least 1.
    """
    for h, m, n in itertools.product(range(1, 41), range(1, 25), (1, 2, 3, 4, 5, 8, 10)):
        f = m / n
        if math.floor(h * f) < 1:
            continue
        for mode in ("nearest", "linear"):
            assert F.interpolate(torch.zeros(1, 1, h), scale_factor=f, mode=mode).shape[-1] == math.floor(h * f)


@claim("cheat-sheet", "sizes")
def test_pixel_shuffle_and_flatten():
    """
    en: | `PixelShuffle(r)` | $[N, C r^2, H, W] \\to [N, C, rH, rW]$ | … | `Flatten()` then `Linear` | `in_features` $= C \\cdot H \\cdot W$ |
    zh: | `PixelShuffle(r)` | $[N, C r^2, H, W] \\to [N, C, rH, rW]$ | … | `Flatten()` 后接 `Linear` | `in_features` $= C \\cdot H \\cdot W$ |
    domain: every N 1–2, C 1–3, r 1–4, H and W 1–4: the shapes; and Linear(C·H·W, 5) after Flatten()
      accepts [N, C, H, W] while C·H·W ± 1 is refused.
    """
    for n, c, r, h, w in itertools.product(range(1, 3), range(1, 4), range(1, 5), range(1, 5), range(1, 5)):
        assert nn.PixelShuffle(r)(torch.zeros(n, c * r * r, h, w)).shape == (n, c, r * h, r * w)
        x = torch.zeros(n, c, h, w)
        assert nn.Sequential(nn.Flatten(), nn.Linear(c * h * w, 5))(x).shape == (n, 5)
        with pytest.raises(RuntimeError, match="cannot be multiplied"):
            nn.Sequential(nn.Flatten(), nn.Linear(c * h * w + 1, 5))(x)


def flops(module, x):
    with FlopCounterMode(display=False) as counter:
        module(x)
    return counter.get_total_flops()


@claim("cheat-sheet", "parameters")
def test_parameters_and_flops():
    """
    en: | `Conv2d` | $C_\\text{out} \\cdot \\frac{C_\\text{in}}{g} \\cdot k_h k_w + C_\\text{out}$ | $2N\\, C_\\text{out} H_\\text{out} W_\\text{out} \\cdot \\frac{C_\\text{in}}{g} k_h k_w$ | … | `ConvTranspose2d` | $C_\\text{in} \\cdot \\frac{C_\\text{out}}{g} \\cdot k_h k_w + C_\\text{out}$ | $2N\\, C_\\text{in} H W \\cdot \\frac{C_\\text{out}}{g} k_h k_w$ |
    zh: | `Conv2d` | $C_\\text{out} \\cdot \\frac{C_\\text{in}}{g} \\cdot k_h k_w + C_\\text{out}$ | $2N\\, C_\\text{out} H_\\text{out} W_\\text{out} \\cdot \\frac{C_\\text{in}}{g} k_h k_w$ | … | `ConvTranspose2d` | $C_\\text{in} \\cdot \\frac{C_\\text{out}}{g} \\cdot k_h k_w + C_\\text{out}$ | $2N\\, C_\\text{in} H W \\cdot \\frac{C_\\text{out}}{g} k_h k_w$ |
    domain: 60 random layers each (N 1–2, channels multiples of g, g 1–3, k_h, k_w 1–4, stride 1–3,
      padding 0–1, dilation 1–2, inputs 5–9): parameters counted by torch, FLOPs by FlopCounterMode.
    """
    rng = random.Random(5)
    for _ in range(60):
        g = rng.randint(1, 3)
        cin, cout = g * rng.randint(1, 3), g * rng.randint(1, 3)
        kh, kw, s, p, d = rng.randint(1, 4), rng.randint(1, 4), rng.randint(1, 3), rng.randint(0, 1), rng.randint(1, 2)
        n, h, w = rng.randint(1, 2), rng.randint(5, 9), rng.randint(5, 9)
        if min(h, w) + 2 * p < d * (max(kh, kw) - 1) + 1:
            continue
        conv = nn.Conv2d(cin, cout, (kh, kw), stride=s, padding=p, dilation=d, groups=g)
        x = torch.zeros(n, cin, h, w)
        ho, wo = conv(x).shape[-2:]
        assert sum(t.numel() for t in conv.parameters()) == cout * cin // g * kh * kw + cout
        assert flops(conv, x) == 2 * n * cout * ho * wo * cin // g * kh * kw
        up = nn.ConvTranspose2d(cin, cout, (kh, kw), stride=s, padding=p if p <= d * (min(kh, kw) - 1) else 0,
                                dilation=d, groups=g)
        assert sum(t.numel() for t in up.parameters()) == cin * cout // g * kh * kw + cout
        assert flops(up, x) == 2 * n * cin * h * w * cout // g * kh * kw


@claim("cheat-sheet", "parameters")
def test_depthwise_pointwise_and_linear():
    """
    en: | Depthwise + pointwise | $C_\\text{in} k^2 + C_\\text{in} + C_\\text{in} C_\\text{out} + C_\\text{out}$ | $2N H_\\text{out} W_\\text{out} (C_\\text{in} k^2 + C_\\text{in} C_\\text{out})$ | … | `Linear` | $n_\\text{in} n_\\text{out} + n_\\text{out}$ | $2\\, N n_\\text{in} n_\\text{out}$ |
    zh: | 逐通道 + 逐点 | $C_\\text{in} k^2 + C_\\text{in} + C_\\text{in} C_\\text{out} + C_\\text{out}$ | $2N H_\\text{out} W_\\text{out} (C_\\text{in} k^2 + C_\\text{in} C_\\text{out})$ | … | `Linear` | $n_\\text{in} n_\\text{out} + n_\\text{out}$ | $2\\, N n_\\text{in} n_\\text{out}$ |
    domain: every C_in 1–4, C_out 1–4, k 1–3, stride 1–2, N 1–2 on a 7×7 input (depthwise with
      groups = C_in, then a 1×1); Linear for n_in, n_out 1–6 and N 1–3.
    """
    for cin, cout, k, s, n in itertools.product(range(1, 5), range(1, 5), range(1, 4), range(1, 3), range(1, 3)):
        block = nn.Sequential(nn.Conv2d(cin, cin, k, stride=s, groups=cin), nn.Conv2d(cin, cout, 1))
        x = torch.zeros(n, cin, 7, 7)
        ho, wo = block(x).shape[-2:]
        assert sum(t.numel() for t in block.parameters()) == cin * k * k + cin + cin * cout + cout
        assert flops(block, x) == 2 * n * ho * wo * (cin * k * k + cin * cout)
    for nin, nout, n in itertools.product(range(1, 7), range(1, 7), range(1, 4)):
        lin = nn.Linear(nin, nout)
        assert sum(t.numel() for t in lin.parameters()) == nin * nout + nout
        assert flops(lin, torch.zeros(n, nin)) == 2 * n * nin * nout


def chain_window(layers, u):
    r, jump, pad = 1, 1, 0
    for k, s, p, d in layers:
        r, pad, jump = r + d * (k - 1) * jump, pad + p * jump, jump * s
    return u * jump - pad, u * jump - pad + r - 1, r, jump, pad


@claim("cheat-sheet", "fields")
def test_receptive_field_and_where_a_cell_looks():
    """
    en: | [Receptive field](glossary.md#receptive-field) | $r_l = r_{l-1} + d_l (k_l - 1) J_{l-1}$, $J_l = J_{l-1} s_l$, $r_0 = J_0 = 1$ | … | Where cell $u$ looks | $uJ_L - P_L$ to $uJ_L - P_L + r_L - 1$, centre $uJ_L + (r_L - 1)/2 - P_L$; $P_l = P_{l-1} + p_l J_{l-1}$, $P_0 = 0$ |
    zh: | [感受野](glossary.md#receptive-field) | $r_l = r_{l-1} + d_l (k_l - 1) J_{l-1}$，$J_l = J_{l-1} s_l$，$r_0 = J_0 = 1$ | … | 格子 $u$ 看哪里 | 第 $uJ_L - P_L$ 到第 $uJ_L - P_L + r_L - 1$ 格，中心在 $uJ_L + (r_L - 1)/2 - P_L$；$P_l = P_{l-1} + p_l J_{l-1}$，$P_0 = 0$ |
    domain: 200 random 1-D chains of 1–4 convolutions (k 1–5, s 1–3, p 0–2, d 1–2), every output cell
      whose window lies inside the input: autograd's support is that window (so r is its width and the
      centre its middle).
    """
    rng = random.Random(6)
    for _ in range(200):
        layers = [(rng.randint(1, 5), rng.randint(1, 3), rng.randint(0, 2), rng.randint(1, 2))
                  for _ in range(rng.randint(1, 4))]
        length = 40 + chain_window(layers, 0)[2]
        try:
            n_out = length
            for k, s, p, d in layers:
                n_out = conv_size(n_out, k, s, p, d)
        except RuntimeError:
            continue
        cells = [u for u in range(n_out) if chain_window(layers, u)[0] >= 0 and chain_window(layers, u)[1] < length]
        if not cells:
            continue
        x = torch.ones(len(cells), 1, length, **x64, requires_grad=True)
        y = x
        for k, s, p, d in layers:
            y = F.conv1d(y, torch.ones(1, 1, k, **x64), stride=s, padding=p, dilation=d)
        y[torch.arange(len(cells)), 0, torch.tensor(cells)].sum().backward()
        for row, u in enumerate(cells):
            hit = x.grad[row, 0].nonzero().flatten()
            first, last, r, jump, pad = chain_window(layers, u)
            assert (int(hit[0]), int(hit[-1])) == (first, last)
            assert (first + last) / 2 == u * jump + (r - 1) / 2 - pad


def conv_matrix(shape, fn):
    """The matrix of a linear map of tensors of ``shape``: column j is fn(e_j)."""
    size = math.prod(shape)
    basis = torch.eye(size, **x64).reshape(size, *shape)
    return torch.stack([fn(e.unsqueeze(0))[0].flatten() for e in basis], dim=1)


@claim("cheat-sheet", "fields")
def test_convolution_as_a_matrix_and_its_adjoint():
    """
    en: | Convolution as a matrix | $\\operatorname{vec}(Y) = C \\operatorname{vec}(X)$, $C$ is $C_\\text{out}H_\\text{out}W_\\text{out} \\times C_\\text{in}HW$; `conv_transpose2d` multiplies by $C^\\top$ | … | Adjoint, not inverse | $\\langle Cx, y\\rangle = \\langle x, C^\\top y\\rangle$; in general $C^\\top C \\ne I$ |
    zh: | 卷积即矩阵乘法 | $\\operatorname{vec}(Y) = C \\operatorname{vec}(X)$，$C$ 为 $C_\\text{out}H_\\text{out}W_\\text{out} \\times C_\\text{in}HW$；`conv_transpose2d` 乘的是 $C^\\top$ | … | 是伴随，不是逆 | $\\langle Cx, y\\rangle = \\langle x, C^\\top y\\rangle$；一般 $C^\\top C \\ne I$ |
    domain: 60 random Conv2d (C_in, C_out 1–2, k 1–3, s 1–2, p 0–1, d 1–2) on 4×4 or 5×3 inputs, random
      weights: the matrix built from torch's outputs has that shape, conv_transpose2d with the same
      weight (and output_padding for the size) is its transpose, and CᵀC is not the identity; it is
      exactly when the kernel is a single 1 (k = 1, s = 1, one channel).
    """
    rng = random.Random(7)
    g = torch.Generator().manual_seed(7)
    for _ in range(60):
        cin, cout, k, s, p, d = (rng.randint(1, 2), rng.randint(1, 2), rng.randint(1, 3), rng.randint(1, 2),
                                 rng.randint(0, 1), rng.randint(1, 2))
        h, w = rng.choice([(4, 4), (5, 3)])
        if min(h, w) + 2 * p < d * (k - 1) + 1:
            continue
        weight = torch.randn(cout, cin, k, k, generator=g, **x64)
        conv = lambda t: F.conv2d(t, weight, stride=s, padding=p, dilation=d)
        ho, wo = conv(torch.zeros(1, cin, h, w, **x64)).shape[-2:]
        a = ((h + 2 * p - d * (k - 1) - 1) % s, (w + 2 * p - d * (k - 1) - 1) % s)
        C = conv_matrix((cin, h, w), conv)
        assert C.shape == (cout * ho * wo, cin * h * w)
        CT = conv_matrix((cout, ho, wo), lambda t: F.conv_transpose2d(t, weight, stride=s, padding=p, dilation=d,
                                                                       output_padding=a))
        assert torch.allclose(CT, C.T)
        assert not torch.allclose(C.T @ C, torch.eye(cin * h * w, **x64))
    one = torch.ones(1, 1, 1, 1, **x64)
    C = conv_matrix((1, 4, 4), lambda t: F.conv2d(t, one))
    assert torch.equal(C.T @ C, torch.eye(16, **x64))


@claim("cheat-sheet", "fields")
def test_even_overlap():
    """
    en: | Even overlap (stride $s$) | $k \\bmod s = 0$: every inner cell gets $k/s$ stamps per axis |
    zh: | 重叠均匀（步幅 $s$） | $k \\bmod s = 0$：内部每个格子在每个轴上被盖 $k/s$ 次 |
    domain: every s 1–4, k a multiple of s up to 8, input 3–8 (1-D, ones): the transposed convolution's
      count at every cell from k − 1 to (H − 1)s, the cells every stamp can reach; and for k not a
      multiple of s (k ≥ s), the inner counts are uneven.
    """
    for s, k, h in itertools.product(range(1, 5), range(1, 9), range(3, 9)):
        counts = F.conv_transpose1d(torch.ones(1, 1, h), torch.ones(1, 1, k), stride=s)[0, 0]
        inner = counts[k - 1: (h - 1) * s + 1]
        if k % s == 0:
            assert torch.all(inner == k // s), (s, k, h)
        elif k >= s and inner.numel() >= s:
            assert inner.min() < inner.max(), (s, k, h)


@claim("cheat-sheet", "fields")
def test_phases_of_a_stride_two_kernel():
    """
    en: | Phases of a stride-2 kernel | output parity class $(i, j)$ uses `w[i::2, j::2]` ($p$ even, $d$ odd; odd $p$ swaps the classes) |
    zh: | 步幅为 2 时卷积核的四类 | 输出奇偶类 $(i, j)$ 只用 `w[i::2, j::2]`（$p$ 为偶数、$d$ 为奇数；$p$ 为奇数时奇偶对调） |
    domain: every k 1–6, p 0–3, d 1 and 3, random 2-D kernels, a constant 6×6 input: every inner output
      cell of parity (i, j) equals the constant times the sum of w[i::2, j::2] (of w[1−i::2, 1−j::2]
      when p is odd).
    """
    g = torch.Generator().manual_seed(8)
    for k, p, d in itertools.product(range(1, 7), range(4), (1, 3)):
        if p > d * (k - 1):
            continue
        w = torch.randn(1, 1, k, k, generator=g, **x64)
        y = F.conv_transpose2d(torch.full((1, 1, 6, 6), 3.0, **x64), w, stride=2, padding=p, dilation=d)[0, 0]
        span = d * (k - 1)
        for row in range(y.shape[0]):
            for col in range(y.shape[1]):
                full_r, full_c = row + p, col + p  # index in the uncropped output
                if not (span <= full_r <= 10 and span <= full_c <= 10):
                    continue  # a border cell: some stamps are missing
                i, j = row % 2, col % 2
                if p % 2:
                    i, j = 1 - i, 1 - j
                assert torch.isclose(y[row, col], 3.0 * w[0, 0, i::2, j::2].sum()), (k, p, d, row, col)
