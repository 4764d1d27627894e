"""The claims of the sliding-window chapter (docs/en/sliding-window.md, docs/zh/sliding-window.md)."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from .claim import claim
from figures import arith

PAGE = "sliding-window"
torch.manual_seed(0)


def size(h, k, s=1, p=0, d=1):
    """torch's output size (tensors on the meta device: torch's shape rules without the arithmetic)."""
    return F.conv1d(torch.zeros(1, 1, h, device="meta"), torch.zeros(1, 1, k, device="meta"), stride=s,
                    padding=p, dilation=d).shape[-1]


def fits(h, k, p=0, d=1):
    return h + 2 * p >= d * (k - 1) + 1


def sweep(hs=range(1, 11), ks=range(1, 5), ss=range(1, 4), ps=range(0, 3), ds=range(1, 3)):
    for h, k, s, p, d in itertools.product(hs, ks, ss, ps, ds):
        if fits(h, k, p, d):
            yield h, k, s, p, d


def true_convolution(x, w):
    """Convolution as signal processing defines it: the kernel flipped, y[i, j] = Σ x[i − a, j − b] w[a, b]."""
    kh, kw = w.shape
    H, W = x.shape
    y = torch.zeros(H - kh + 1, W - kw + 1, dtype=x.dtype)
    for i, j in itertools.product(range(y.shape[0]), range(y.shape[1])):
        for a, b in itertools.product(range(kh), range(kw)):
            y[i, j] += x[i + kh - 1 - a, j + kw - 1 - b] * w[a, b]
    return y


@claim(PAGE, "sliding-window-and-output-size")
def test_larger_only_with_padding():
    r"""
    en: A convolution layer takes a feature map and returns a smaller one, the same size, or (with
    enough padding) a larger one.
    zh: 卷积层读进一张特征图，吐出一张新的特征图：可能变小，可能一样大，填充够多时甚至会变大。
    domain: H 1–10, k 1–4, stride 1–3, padding 0–2, dilation 1–2 with an output (torch's sizes):
    without padding never larger; larger only when 2p > d(k − 1); all three outcomes occur.
    """
    seen = set()
    for h, k, s, p, d in sweep():
        o = size(h, k, s, p, d)
        seen.add((o > h) - (o < h))
        if o > h:
            assert p > 0 and 2 * p > d * (k - 1)
    assert seen == {-1, 0, 1}


@claim(PAGE, "sliding-window")
def test_output_is_the_number_of_positions():
    r"""
    en: Every position the kernel can take without leaving the input gives one output
    cell, so the output's size is simply the number of positions.
    zh: 卷积核不越出输入能摆放的每一个位置，都对应输出的一个格子，所以输出有多大，就看卷积核能摆多少个位置。
    domain: 2-D inputs 1–5 × 1–5, kernels 1–3 × 1–3, stride 1, no padding, random values: torch's output
    has one cell per position (i, j) with the kernel inside, and that cell is the sum of the products there.
    """
    for h, w, kh, kw in itertools.product(range(1, 6), range(1, 6), range(1, 4), range(1, 4)):
        if kh > h or kw > w:
            continue
        x = torch.randn(h, w, dtype=torch.float64)
        k = torch.randn(kh, kw, dtype=torch.float64)
        y = F.conv2d(x[None, None], k[None, None])[0, 0]
        positions = [(i, j) for i in range(h) for j in range(w) if i + kh <= h and j + kw <= w]
        assert y.numel() == len(positions)
        for i, j in positions:
            assert torch.isclose(y[i, j], (x[i:i + kh, j:j + kw] * k).sum())


@claim(PAGE, "by-hand")
def test_no_flip_cross_correlation():
    r"""
    en: Note that `F.conv2d` does not flip the kernel: what deep-learning libraries call convolution is,
    strictly speaking, cross-correlation.
    zh: 注意 `F.conv2d` 不会翻转卷积核：深度学习框架里的“卷积”，严格说是互相关。
    domain: random 2-D inputs 2–4 × 2–4 and kernels 1–3 × 1–3 with at least one side over 1: F.conv2d is
    the unflipped sum (cross-correlation) and differs from the flipped one (true convolution).
    """
    for h, w, kh, kw in itertools.product(range(2, 5), range(2, 5), range(1, 4), range(1, 4)):
        if kh > h or kw > w:
            continue
        x, k = torch.randn(h, w, dtype=torch.float64), torch.randn(kh, kw, dtype=torch.float64)
        y = F.conv2d(x[None, None], k[None, None])[0, 0]
        cross = torch.stack([torch.stack([(x[i:i + kh, j:j + kw] * k).sum() for j in range(w - kw + 1)])
                             for i in range(h - kh + 1)])
        assert torch.allclose(y, cross)
        if kh * kw > 1:
            assert not torch.allclose(y, true_convolution(x, k))


@claim(PAGE, "by-hand")
def test_learned_kernels_absorb_the_flip():
    r"""
    en: For learned kernels the difference does not matter (the
    network learns the flipped kernel instead); for a hand-made kernel it does.
    zh: 对学出来的卷积核来说这无关紧要（网络会直接学到翻转后的那个）；但手工设计的卷积核就要当心。
    domain: random inputs 2–5 × 2–5 and kernels 1–3 × 1–3: the true convolution with a kernel is
    F.conv2d with that kernel turned by 180° (so any convolution is one of F.conv2d's).
    """
    for h, w, kh, kw in itertools.product(range(2, 6), range(2, 6), range(1, 4), range(1, 4)):
        if kh > h or kw > w:
            continue
        x, k = torch.randn(h, w, dtype=torch.float64), torch.randn(kh, kw, dtype=torch.float64)
        assert torch.allclose(true_convolution(x, k), F.conv2d(x[None, None], torch.flip(k, (0, 1))[None, None])[0, 0])


@claim(PAGE, "pitfalls")
def test_flip_a_copied_kernel():
    r"""
    en: PyTorch does not flip the kernel. When you copy a
    hand-designed kernel from a signal-processing text, flip it yourself.
    zh: PyTorch 不翻转卷积核。从信号处理教材里抄来的手工卷积核，要自己先翻转。
    domain: random 1-D and 2-D signals and kernels (lengths 2–8, kernels 1–4): a textbook convolution
    (numpy.convolve's "valid" mode, and the 2-D sum with the kernel flipped) equals F.conv with the kernel flipped.
    """
    import numpy as np

    for n, k in itertools.product(range(2, 9), range(1, 5)):
        if k > n:
            continue
        x, w = torch.randn(n, dtype=torch.float64), torch.randn(k, dtype=torch.float64)
        textbook = torch.from_numpy(np.convolve(x.numpy(), w.numpy(), mode="valid"))
        assert torch.allclose(textbook, F.conv1d(x[None, None], torch.flip(w, (0,))[None, None])[0, 0])
    x, w = torch.randn(5, 6, dtype=torch.float64), torch.randn(3, 2, dtype=torch.float64)
    assert torch.allclose(true_convolution(x, w), F.conv2d(x[None, None], torch.flip(w, (0, 1))[None, None])[0, 0])


@claim(PAGE, "edge-detection")
def test_difference_kernel():
    r"""
    en: The 1×2 kernel `[-1, 1]` answers "how much larger is this
    cell than its left neighbour?".
    zh: 1×2 的卷积核 `[-1, 1]` 问的是：“这个格子比它左边的邻居大多少？”
    domain: random inputs 1–6 × 2–8: output (i, j) is x[i, j + 1] − x[i, j].
    """
    for h, w in itertools.product(range(1, 7), range(2, 9)):
        x = torch.randn(h, w, dtype=torch.float64)
        y = F.conv2d(x[None, None], torch.tensor([[[[-1., 1.]]]], dtype=torch.float64))[0, 0]
        assert torch.allclose(y, x[:, 1:] - x[:, :-1])


@claim(PAGE, "edge-detection")
def test_one_column_less():
    r"""
    en: The 1×2 kernel fits in every row, but only in four positions per row of five cells, so
    the output has one column less than the input.
    zh: 1×2 的卷积核每一行都放得下，但一行五个格子里只有四个位置可放，所以输出比输入少一列。
    domain: every input 1–8 × 2–12 (the page's 5 columns among them): the 1×2 kernel's output has the
    input's rows and one column less.
    """
    for h, w in itertools.product(range(1, 9), range(2, 13)):
        assert F.conv2d(torch.zeros(1, 1, h, w), torch.zeros(1, 1, 1, 2)).shape[-2:] == (h, w - 1)


@claim(PAGE, "output-size")
def test_output_size_formula():
    r"""
    en: With input size $H$, kernel size $k$, stride
    $s$, padding $p$ on each side and dilation $d$:
    zh: 设输入尺寸为 $H$，卷积核大小为 $k$，步幅为 $s$，每侧填充 $p$，膨胀率为 $d$：
    domain: the formula ⌊(H + 2p − d(k − 1) − 1)/s⌋ + 1 against torch's Conv1d and figures.arith for
    H 1–16, k 1–5, stride 1–4, padding 0–3, dilation 1–3, whenever the kernel fits.
    """
    n = 0
    for h, k, s, p, d in sweep(range(1, 17), range(1, 6), range(1, 5), range(0, 4), range(1, 4)):
        o = (h + 2 * p - d * (k - 1) - 1) // s + 1
        assert size(h, k, s, p, d) == o == arith.conv_axis(h, k, s, p, d).size, (h, k, s, p, d)
        n += 1
    assert n > 3000


@claim(PAGE, "output-size")
def test_width_too():
    r"""
    en: The same formula holds for the width.
    zh: 宽度的公式完全一样。
    domain: 2-D convolutions with their own kernel, stride, padding and dilation per axis (H, W 3–7,
    k 1–3, s 1–2, p 0–1, d 1–2 drawn on each axis): torch's output is the formula on each axis.
    """
    def f(h, k, s, p, d):
        return (h + 2 * p - d * (k - 1) - 1) // s + 1

    axes = [c for c in itertools.product(range(3, 8), range(1, 4), range(1, 3), range(0, 2), range(1, 3))
            if fits(c[0], c[1], c[3], c[4])]
    for a, b in zip(axes, reversed(axes)):
        (h, kh, sh, ph, dh), (w, kw, sw, pw, dw) = a, b
        y = F.conv2d(torch.zeros(1, 1, h, w, device="meta"), torch.zeros(1, 1, kh, kw, device="meta"),
                     stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw))
        assert y.shape[-2:] == (f(*a), f(*b))


@claim(PAGE, "exercises")
def test_axes_on_their_own():
    r"""
    en: Each axis is computed on its own: height and width may have different output sizes.
    zh: 高和宽各算各的，两个轴的输出尺寸可以不同。
    domain: H, W 1–8 with k 1–4, s 1–3, p 0–1 (the same on both axes): torch's output on each axis is
    the 1-D size of that axis alone, and differs between the axes when H and W do (here for every
    pair with different 1-D sizes).
    """
    for h, w, k, s, p in itertools.product(range(1, 9), range(1, 9), range(1, 5), range(1, 4), range(0, 2)):
        if not (fits(h, k, p) and fits(w, k, p)):
            continue
        y = F.conv2d(torch.zeros(1, 1, h, w, device="meta"), torch.zeros(1, 1, k, k, device="meta"), stride=s,
                     padding=p)
        assert y.shape[-2:] == (arith.conv_axis(h, k, s, p).size, arith.conv_axis(w, k, s, p).size)
    assert arith.conv2d((32, 48), kernel=5, stride=3, padding=2).output == (11, 16)


@claim(PAGE, "padding")
def test_ring_adds_two():
    r"""
    en: At stride 1, each extra ring of padding adds two
    to the output size:
    zh: 步幅为 1 时，每多补一圈，输出就多 2：
    domain: H 1–12, k 1–5, padding 0–4, dilation 1–3, stride 1 (torch's sizes); and at stride 2 one
    more ring adds exactly 1, which is why the sentence says stride 1.
    """
    for h, k, p, d in itertools.product(range(1, 13), range(1, 6), range(0, 5), range(1, 4)):
        if fits(h, k, p, d):
            assert size(h, k, 1, p + 1, d) == size(h, k, 1, p, d) + 2
            assert size(h, k, 2, p + 1, d) == size(h, k, 2, p, d) + 1


@claim(PAGE, "padding")
def test_named_paddings():
    r"""
    en: Valid (no padding) keeps only the windows that lie
    entirely inside the input. Same padding, $p = (k-1)/2$ for an odd kernel, keeps the size at stride 1
    (with dilation $d$ it is $d\,(k-1)/2$). Full padding, $p = k - 1$, lets the kernel touch each
    input cell in every possible position, so at stride 1 the output is $k - 1$ cells larger than the input.
    zh: valid（不填充）只保留完全落在输入内部的窗口。same 填充，
    奇数卷积核取 $p = (k-1)/2$，步幅为 1 时输出与输入一样大（膨胀率为 $d$ 时取 $d\,(k-1)/2$）。full 填充取 $p = k - 1$，
    卷积核与输入只要有一格重叠就算一个位置，所以步幅为 1 时输出比输入大 $k - 1$ 格。
    domain: H 1–16, k 1–7, stride 1: valid gives H − k + 1 (the windows inside); same (odd k, dilation
    1–3) gives H; full gives H + k − 1, the number of positions that overlap the input in at least one
    cell; and same at stride 2 does not keep the size (H ≥ 2).
    """
    for h, k in itertools.product(range(1, 17), range(1, 8)):
        if k <= h:
            assert size(h, k) == h - k + 1
        full = size(h, k, 1, k - 1)
        assert full == h + k - 1 == sum(1 for start in range(-(k - 1), h) if start + k > 0)
        if k % 2:
            for d in range(1, 4):
                assert size(h, k, 1, d * (k - 1) // 2, d) == h
            if h >= 2:
                assert size(h, k, 2, (k - 1) // 2) != h


@claim(PAGE, "padding")
def test_same_string_padding():
    r"""
    en: The total padding is $d\,(k-1)$; when it is odd (an even
    kernel at an odd dilation, such as 1), PyTorch puts the extra row and column at the bottom and right;
    zh: 总填充量是 $d\,(k-1)$；它为奇数时（偶数卷积核配奇数膨胀率，比如 1），多出来的那一行一列补在下边和右边；
    domain: padding="same" in torch's Conv2d for k 1–6, dilation 1–4, inputs 6 × 7, random values:
    its output is F.conv2d after F.pad with ⌊d(k − 1)/2⌋ before and the rest after, on both axes; and
    arith.same_padding says the same.
    """
    x = torch.randn(1, 1, 6, 7, dtype=torch.float64)
    for k, d in itertools.product(range(1, 7), range(1, 5)):
        conv = nn.Conv2d(1, 1, k, padding="same", dilation=d, bias=False).double()
        total = d * (k - 1)
        lo, hi = total // 2, total - total // 2
        assert (hi - lo == 1) == (k % 2 == 0 and d % 2 == 1)
        expect = F.conv2d(F.pad(x, (lo, hi, lo, hi)), conv.weight, dilation=d)
        assert torch.allclose(conv(x), expect), (k, d)
        assert arith.same_padding(k, dilation=d) == (lo, hi)


@claim(PAGE, "padding")
def test_same_refused_when_strided():
    r"""
    en: `padding="same"` is refused for strided convolutions:
    zh: 带步幅的卷积不能用 `padding="same"`：
    domain: torch's Conv1d/Conv2d with padding="same", k 1–5, stride 2–4 (refused), stride 1 (accepted).
    """
    for k, s in itertools.product(range(1, 6), range(1, 5)):
        for layer in (nn.Conv1d, nn.Conv2d):
            if s == 1:
                layer(1, 1, k, padding="same")
            else:
                with pytest.raises(ValueError, match="strided"):
                    layer(1, 1, k, stride=s, padding="same")


@claim(PAGE, "pitfalls")
def test_same_pitfall():
    r"""
    en: `padding="same"` needs stride 1, and pads asymmetrically when $d\,(k-1)$ is odd (an even
    kernel at an odd dilation).
    zh: `padding="same"` 只能配步幅 1，而且 $d\,(k-1)$ 为奇数时（偶数卷积核配奇数膨胀率）填充两侧不对称。
    domain: k 1–8, dilation 1–4, stride 1–3: torch refuses any stride above 1; the padding it adds
    (found from outputs of a one-hot kernel) is symmetric exactly when d(k − 1) is even.
    """
    for k, d in itertools.product(range(1, 9), range(1, 5)):
        for s in (2, 3):
            with pytest.raises(ValueError):
                nn.Conv1d(1, 1, k, stride=s, padding="same", dilation=d)
        # a kernel that reads only its first tap shows where the window starts: x[i − before]
        w = torch.zeros(1, 1, k, dtype=torch.float64)
        w[..., 0] = 1
        x = torch.arange(1., 21, dtype=torch.float64)[None, None]
        y = F.conv1d(x, w, padding="same", dilation=d)[0, 0]
        before = int((y == 0).sum())  # the first outputs read the zeros before the input
        after = d * (k - 1) - before
        assert (before == after) == (d * (k - 1) % 2 == 0), (k, d)


@claim(PAGE, "padding-modes")
def test_padding_modes():
    r"""
    en: `nn.Conv2d` also takes `padding_mode="reflect"` (mirror the input
    without repeating its edge), `"replicate"` (repeat the edge cell) and `"circular"` (wrap
    around, as if the input were tiled). The output size is the same in every mode; only the
    values in the padding differ, and with them the outputs near the border.
    zh: `nn.Conv2d` 还接受 `padding_mode="reflect"`（以边缘为轴镜像，边缘本身不重复）、`"replicate"`（重复边缘格子）
    和 `"circular"`（首尾相接，仿佛输入铺满了整个平面）。各种方式下输出尺寸都一样，不同的只是填充格里的数值，以及随之改变的边界附近的输出。
    domain: 1-D inputs of length 2–8 (F.pad on a row), padding 1 up to length − 1: each mode's padded
    cells by their definition; nn.Conv2d on random inputs of 4 or 5 × 4 or 6, k 1–3, p 0–3 (below the input):
    the same output size in every mode, and the same outputs wherever the window does not touch
    the padding.
    """
    for n in range(2, 9):
        x = torch.randn(n, dtype=torch.float64)
        for p in range(1, n):
            r = F.pad(x[None, None], (p, p), mode="reflect")[0, 0]
            assert torch.equal(r[:p], torch.flip(x[1:p + 1], (0,))) and torch.equal(r[-p:], torch.flip(x[-p - 1:-1], (0,)))
            e = F.pad(x[None, None], (p, p), mode="replicate")[0, 0]
            assert (e[:p] == x[0]).all() and (e[-p:] == x[-1]).all()
            c = F.pad(x[None, None], (p, p), mode="circular")[0, 0]
            tiled = torch.cat([x, x, x])
            assert torch.equal(c, tiled[n - p: 2 * n + p])
    for h, w, k, p in itertools.product((4, 5), (4, 6), range(1, 4), range(0, 4)):
        if p >= min(h, w) or not fits(min(h, w), k, p):
            continue
        x = torch.randn(1, 1, h, w, dtype=torch.float64)
        outs = []
        for mode in ("zeros", "reflect", "replicate", "circular"):
            conv = nn.Conv2d(1, 1, k, padding=p, padding_mode=mode).double()
            with torch.no_grad():
                conv.weight.copy_(torch.arange(1., k * k + 1).view(1, 1, k, k))
                conv.bias.zero_()
                outs.append(conv(x)[0, 0])
                # the layer is the unpadded convolution of the grid F.pad makes
                grid = F.pad(x, (p,) * 4, mode="constant" if mode == "zeros" else mode)
                assert torch.allclose(outs[-1], F.conv2d(grid, conv.weight)[0, 0])
        assert len({o.shape for o in outs}) == 1
        inner = slice(p, outs[0].shape[0] - p) if outs[0].shape[0] > 2 * p else slice(0, 0)
        inner_w = slice(p, outs[0].shape[1] - p) if outs[0].shape[1] > 2 * p else slice(0, 0)
        for o in outs[1:]:
            assert torch.allclose(o[inner, inner_w], outs[0][inner, inner_w])
            if p:
                assert not torch.allclose(o, outs[0])


@claim(PAGE, "padding-modes")
def test_reflection_needs_smaller_padding():
    r"""
    en: Reflection needs a padding smaller than the input:
    zh: 镜像填充的圈数必须小于输入尺寸：
    domain: nn.Conv2d with padding_mode="reflect" on inputs 2–6 × 2–6, padding 1–7, k 1: accepted
    exactly when the padding is below both sides of the input.
    """
    for h, w, p in itertools.product(range(2, 7), range(2, 7), range(1, 8)):
        conv = nn.Conv2d(1, 1, 1, padding=p, padding_mode="reflect")
        if p < min(h, w):
            conv(torch.zeros(1, 1, h, w))
        else:
            with pytest.raises(RuntimeError, match="Padding size should be less"):
                conv(torch.zeros(1, 1, h, w))


@claim(PAGE, "stride")
def test_stride_2_about_half():
    r"""
    en: A stride of 2 skips every other position, so the
    output is about half the size
    zh: 步幅为 2 时每隔一个位置才算一次，输出大约缩小一半
    domain: H 1–24, k 1–5, padding 0–2, dilation 1–2 (torch's sizes): the stride-2 output is the
    stride-1 output halved, rounded up (every other position, the first one included).
    """
    for h, k, s, p, d in sweep(range(1, 25), range(1, 6), (2,), range(0, 3), range(1, 3)):
        assert size(h, k, 2, p, d) == (size(h, k, 1, p, d) + 1) // 2


@claim(PAGE, "stride")
def test_sizes_share_an_output():
    r"""
    en: Because of the floor in the
    formula, several input sizes share one output size: with $k = 3$, $s = 2$ and $p = 1$, a 5×5 and a 6×6
    input both give 3×3
    zh: 由于公式里有向下取整，几个不同的输入尺寸会得到同一个输出尺寸：取 $k = 3$、$s = 2$、$p = 1$ 时，5×5 和 6×6 的输入都得到 3×3
    domain: H 1–40, k 1–4, stride 1–4, padding 0–1 (torch's sizes): each output size that a full run of
    inputs reaches comes from exactly s input sizes (one at stride 1); and 5, 6 → 3 at k 3, s 2, p 1.
    """
    for k, s, p in itertools.product(range(1, 5), range(1, 5), range(0, 2)):
        counts = {}
        for h in range(1, 41):
            if fits(h, k, p):
                counts.setdefault(size(h, k, s, p), []).append(h)
        inner = sorted(counts)[1:-1]  # the first and last output sizes may be cut by the range
        assert inner and all(len(counts[o]) == s for o in inner)
    assert size(5, 3, 2, 1) == size(6, 3, 2, 1) == 3


@claim(PAGE, "stride")
def test_unread_cells_have_zero_gradient():
    r"""
    en: Their
    gradient is zero, which is how the figure's test finds them:
    zh: 这些格子的梯度为零，图的测试正是这样把它们找出来的：
    domain: 1-D inputs 1–9, k 1–4, stride 1–4, dilation 1–2, no padding, a kernel of ones: an input cell
    has gradient 0 exactly when no window reads it (positions listed by index).
    """
    for h, k, s, p, d in sweep(range(1, 10), range(1, 5), range(1, 5), (0,), range(1, 3)):
        x = torch.ones(1, 1, h, requires_grad=True)
        F.conv1d(x, torch.ones(1, 1, k), stride=s, dilation=d).sum().backward()
        read = {start * s + j * d for start in range(size(h, k, s, 0, d)) for j in range(k)}
        assert {i for i in range(h) if x.grad[0, 0, i] != 0} == read


@claim(PAGE, "dilation")
def test_dilation_spreads_weights():
    r"""
    en: Dilation spreads the kernel's weights apart: with $d = 2$ there is one skipped cell between
    neighbouring weights, so a 3×3 kernel spans $d\,(k-1)+1$ cells per axis with the same nine
    weights.
    zh: 空洞卷积把卷积核的权重拉开：膨胀率 $d = 2$ 时，相邻两个权重之间空出一格，于是同样九个权重的 3×3 卷积核，
    每个轴上要跨 $d\,(k-1)+1$ 格。
    domain: k 1–4, dilation 1–4, random 2-D inputs large enough: the dilated convolution equals the
    undilated one with a kernel of side d(k − 1) + 1 holding the k × k weights d cells apart (d − 1
    zeros between neighbours).
    """
    for k, d in itertools.product(range(1, 5), range(1, 5)):
        span = d * (k - 1) + 1
        x = torch.randn(1, 1, span + 3, span + 2, dtype=torch.float64)
        w = torch.randn(1, 1, k, k, dtype=torch.float64)
        spread = torch.zeros(1, 1, span, span, dtype=torch.float64)
        spread[..., ::d, ::d] = w
        assert torch.allclose(F.conv2d(x, w, dilation=d), F.conv2d(x, spread))


@claim(PAGE, "pytorch-checks")
def test_weight_shape():
    r"""
    en: The weight of `nn.Conv2d(C_in, C_out, k)` has the shape `[C_out, C_in, k, k]`: one kernel
    per output channel, each as deep as the input. The output's channel count is the number of
    kernels, not anything the formula above decides.
    zh: `nn.Conv2d(C_in, C_out, k)` 的权重形状是 `[C_out, C_in, k, k]`：每个输出通道一个卷积核，每个卷积核都和输入一样“厚”。
    输出有几个通道取决于卷积核的个数，与上面的尺寸公式无关。
    domain: C_in 1–3, C_out 1–3, k 1–3, stride 1–2, padding 0–1, inputs 5 × 5: the weight's shape,
    output channel c is the convolution with kernel c over all input channels, and the output's
    channels are C_out whatever k, s, p.
    """
    x = torch.randn(1, 4, 5, 5, dtype=torch.float64)
    for ci, co, k, s, p in itertools.product(range(1, 4), range(1, 4), range(1, 4), range(1, 3), range(0, 2)):
        conv = nn.Conv2d(ci, co, k, stride=s, padding=p, bias=False).double()
        assert conv.weight.shape == (co, ci, k, k)
        y = conv(x[:, :ci])
        assert y.shape[1] == co
        for c in range(co):
            assert torch.allclose(y[:, c], F.conv2d(x[:, :ci], conv.weight[c:c + 1], stride=s, padding=p)[:, 0])


@claim(PAGE, "pitfalls")
def test_kernel_larger_than_padded_input():
    r"""
    en: A kernel larger than the padded input is an error, not an empty output.
    zh: 卷积核比填充后的输入还大会直接报错，而不是得到空输出。
    domain: H 1–6, k 1–8, padding 0–2, dilation 1–3, stride 1–2: torch's conv1d and figures.arith raise
    exactly when d(k − 1) + 1 > H + 2p, and otherwise give at least one cell.
    """
    for h, k, p, d, s in itertools.product(range(1, 7), range(1, 9), range(0, 3), range(1, 4), range(1, 3)):
        if fits(h, k, p, d):
            assert size(h, k, s, p, d) >= 1 and arith.conv_axis(h, k, s, p, d).size >= 1
        else:
            with pytest.raises(RuntimeError):
                size(h, k, s, p, d)
            with pytest.raises(ValueError):
                arith.conv_axis(h, k, s, p, d)


@claim(PAGE, "pitfalls")
def test_floor_drops_cells():
    r"""
    en: The floor drops cells. With a stride, input rows after the last full window are never
    read, as the stride example above shows. Pad, or choose sizes where
    $H + 2p - d\,(k-1) - 1$ is a multiple of $s$, if those cells matter.
    zh: 向下取整会丢格子。有步幅时，最后一个完整窗口之后的输入行根本不会被读到，上面步幅一节的例子就是这样。
    如果这些格子很重要，就加填充，或者让 $H + 2p - d\,(k-1) - 1$ 恰好是 $s$ 的倍数。
    domain: H 1–14, k 1–4, stride 1–4, padding 0–2, dilation 1–2: the padded rows after the last window
    are (H + 2p − d(k − 1) − 1) mod s in number (none exactly when it is a multiple of s), and their
    input cells get no gradient.
    """
    for h, k, s, p, d in sweep(range(1, 15), range(1, 5), range(1, 5), range(0, 3), range(1, 3)):
        o = size(h, k, s, p, d)
        last = (o - 1) * s + d * (k - 1)  # the last padded row a window reads
        after = h + 2 * p - 1 - last
        assert after == (h + 2 * p - d * (k - 1) - 1) % s
        if not any(p <= row < p + h for row in range(last + 1, h + 2 * p)):
            continue
        x = torch.ones(1, 1, h, requires_grad=True)
        F.conv1d(x, torch.ones(1, 1, k), stride=s, padding=p, dilation=d).sum().backward()
        for row in range(last + 1, h + 2 * p):
            if p <= row < p + h:
                assert x.grad[0, 0, row - p] == 0


@claim(PAGE, "by-hand")
def test_recorded_windows():
    r"""
    en: Our figure engine records the same computation window by window, from `torch.nn.functional.unfold`,
    and checks it against `F.conv2d` before drawing anything. Each window lists the cells it read,
    as (row, column):
    zh: 本站的绘图引擎用 `torch.nn.functional.unfold` 把同样的计算逐个窗口记录下来，画图之前先和 `F.conv2d`
    的结果核对一遍。每个窗口都列出了它读过的格子，格式是（行, 列）：
    domain: figures.experiments.record_conv on random 3–6 × 4–5 inputs, k 1–3, stride 1–2, padding 0–1, dilation
    1–2: one window per output cell in raster order; window (r, c) lists the padded grid's cells
    (r·s + a·d, c·s + b·d) in kernel order with their values, and the output is F.conv2d's.
    """
    from figures.experiments import record_conv

    for h, w, k, s, p, d in itertools.product(range(3, 7), (4, 5), range(1, 4), (1, 2), (0, 1), (1, 2)):
        if min(h, w) + 2 * p < d * (k - 1) + 1:
            continue
        x, kern = torch.randn(h, w, dtype=torch.float64), torch.randn(k, k, dtype=torch.float64)
        rec = record_conv(x, kern, stride=s, padding=p, dilation=d)
        out = F.conv2d(x[None, None], kern[None, None], stride=s, padding=p, dilation=d)[0, 0]
        assert torch.allclose(rec.output, out)
        grid = F.pad(x, (p,) * 4)
        assert len(rec.windows) == out.numel()
        for n, win in enumerate(rec.windows):
            r, c = divmod(n, out.shape[1])
            cells = tuple((r * s + a * d, c * s + b * d) for a in range(k) for b in range(k))
            assert win.out == (r, c) and win.cells == cells
            assert torch.allclose(torch.tensor(win.values, dtype=torch.float64), torch.stack([grid[i, j] for i, j in cells]))


@claim(PAGE, "sliding-window")
def test_figure_values():
    r"""
    en: numbers are the real values that PyTorch produced (input 1, 2, 3, … and a kernel of
    ones, so each output is the sum of its window).
    zh: 格子里的数字都是 PyTorch 真实算出来的
    （输入依次是 1、2、3……，卷积核全为 1，所以每个输出就是它那个窗口里的数之和）。
    domain: make_values("arange") for inputs 2–7 and kernels 1–3 (2-D pairs too), recorded by record_conv with
    stride 1–2 and padding 0–1: the input is 1, 2, 3, … in reading order, the kernel ones, and every output
    is the sum of the values its window read, and F.conv2d's.
    """
    from figures.experiments import make_values, record_conv

    for n, k, s, p in itertools.product(range(2, 8), range(1, 4), (1, 2), (0, 1)):
        if n + 2 * p < k:
            continue
        x, w = make_values("arange", n, k)
        assert torch.equal(x.flatten(), torch.arange(1., n * n + 1, dtype=x.dtype)) and (w == 1).all()
        rec = record_conv(x, w, stride=s, padding=p)
        assert torch.equal(rec.output, F.conv2d(x[None, None], w[None, None], stride=s, padding=p)[0, 0])
        for win in rec.windows:
            assert rec.output[win.out] == sum(win.values)
    x, w = make_values("arange", (3, 5), (2, 3))
    assert x.shape == (3, 5) and w.shape == (2, 3) and x[-1, -1] == 15


@claim(PAGE, "output-size")
def test_explorer_limits():
    r"""
    en: To try any other configuration and see the window of every output cell (for inputs up to 16×16
    whose grid has at most 32 cells a side), open
    zh: 想换一组参数试试，看看每个输出格子的窗口落在哪里（输入不超过 16×16、网格每边不超过 32 格时才画得出），可以打开
    domain: the explorer's grid script: windows are drawn only for inputs up to 16 and grids up to 32 cells a side.
    """
    import re
    from pathlib import Path

    grids = (Path(__file__).resolve().parents[2] / "overrides" / "assets" / "javascripts" / "explore-grids.js").read_text(encoding="utf-8")
    assert re.search(r"const MAX_INPUT = 16;", grids) and re.search(r"const MAX_GRID = 32;", grids)
    assert "c.input[0] > MAX_INPUT || c.input[1] > MAX_INPUT || R > MAX_GRID || C > MAX_GRID" in grids
