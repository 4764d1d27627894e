"""Claims of the why-convolution chapter (docs/*/why-convolution.md), each swept over its domain."""

from __future__ import annotations

import itertools
import random

import torch
import torch.nn.functional as F
from torch import nn

from .claim import claim

x64 = dict(dtype=torch.float64)


def count(layer):
    return sum(p.numel() for p in layer.parameters())


def locally_connected(x, weights, k):
    """A layer with a k×k window at every position and weights of its own there (no sharing):
    weights has shape (H_out·W_out, C_out, C_in·k²)."""
    cols = F.unfold(x, k)  # (N, C_in·k², L)
    out = torch.einsum("ncl,loc->nol", cols, weights)
    side = int(round(cols.shape[-1] ** 0.5))
    return out.reshape(x.shape[0], -1, side, side)


@claim("why-convolution", "flattening")
def test_only_weight_sharing_makes_the_count_independent_of_the_size():
    """
    en: The convolution's count does not depend on the image size at all. Of the two ideas below, the
      first, local connectivity, makes each output cell cheap; the second, weight sharing, is what makes
      the count independent of $H$ and $W$. A *locally connected* layer, with a 3×3 window everywhere
      but its own weights at every position, still grows with the image:
      $H_\\text{out} W_\\text{out}\\, C_\\text{out}\\, C_\\text{in}\\, k^2$ weights
    zh: 卷积的参数量和图片大小完全无关。下面两个想法里，第一个（局部连接）让每个输出格子的代价变小；
      第二个（权重共享）才让参数量与 $H$、$W$ 无关。*局部连接层*处处只看 3×3 的窗口，但每个位置都有自己的一套权重，
      参数量仍随图片增长：共 $H_\\text{out} W_\\text{out}\\, C_\\text{out}\\, C_\\text{in}\\, k^2$ 个权重
    domain: every C_in 1–3, C_out 1–3, k 1–3, square sizes k–7: a Conv2d has the same parameter count at
      every size (its output is torch's for each); a locally connected layer (torch's unfold) with the
      conv's weights copied to every position gives the conv's output, and has
      H_out·W_out·C_out·C_in·k² weights, which grows with the size.
    """
    g = torch.Generator().manual_seed(0)
    for cin, cout, k in itertools.product(range(1, 4), range(1, 4), range(1, 4)):
        conv = nn.Conv2d(cin, cout, k, bias=False).double()
        counts = set()
        for size in range(k, 8):
            x = torch.randn(1, cin, size, size, generator=g, **x64)
            out = size - k + 1
            shared = conv.weight.reshape(1, cout, cin * k * k).expand(out * out, -1, -1)
            assert torch.allclose(locally_connected(x, shared, k), conv(x))
            counts.add(count(conv))
            assert shared.shape.numel() == out * out * cout * cin * k * k
        assert counts == {cout * cin * k * k}
    assert 224 * 224 * 64 * 3 * 3 * 3 == 86_704_128


@claim("why-convolution", "local-connectivity")
def test_one_output_cell_reads_one_window_of_every_channel():
    """
    en: Each output cell of a 3×3 convolution depends on a 3×3 window of every input channel, 27
      numbers, and on nothing else.
    zh: 3×3 卷积的每个输出格子，只取决于每个输入通道上的一个 3×3 窗口，共 27 个数，别的一概不管。
    domain: C_in 1–4, k 1–3, padding 0–1, an 8×8 input, random weights with no zero: every output cell's
      gradient is nonzero exactly on its k×k window (inside the input) of each channel, C_in·k² numbers
      for a cell away from the border.
    """
    torch.manual_seed(1)
    for cin, k, p in itertools.product(range(1, 5), range(1, 4), range(2)):
        conv = nn.Conv2d(cin, 2, k, padding=p).double()
        with torch.no_grad():
            conv.weight.uniform_(0.5, 1.5)
        for i, j in itertools.product(range(8 + 2 * p - k + 1), repeat=2):
            x = torch.rand(1, cin, 8, 8, **x64, requires_grad=True)
            conv(x)[0, 1, i, j].backward()
            rows = range(max(0, i - p), min(8, i - p + k))
            cols = range(max(0, j - p), min(8, j - p + k))
            mask = torch.zeros(1, cin, 8, 8, dtype=torch.bool)
            mask[..., rows.start:rows.stop, cols.start:cols.stop] = True
            assert torch.equal(x.grad != 0, mask)
            if len(rows) == len(cols) == k:
                assert int(mask.sum()) == cin * k * k


@claim("why-convolution", "weight-sharing")
def test_the_matrix_of_a_convolution():
    """
    en: Written as a matrix, a convolution is a very
      particular fully connected layer: mostly zeros, and the same few weights repeated along the
      diagonals.
    zh: 写成矩阵，卷积就是一种非常特殊的全连接层：绝大多数元素是零，
      少数几个权重沿对角线反复出现。
    domain: every k 1–4 and n k+1–7 (one channel, no padding, stride 1), a kernel of k² distinct nonzero
      values: the (n−k+1)²×n² matrix built from torch's outputs has (n−k+1)²·k² nonzero entries (fewer
      than half of them when n ≥ 2k), its distinct values are exactly the kernel's, and entry (r, c)
      depends only on c − r for rows of one output row (a Toeplitz band).
    """
    for k in range(1, 5):
        w = (torch.arange(1, k * k + 1, **x64)).reshape(1, 1, k, k)
        for n in range(k + 1, 8):
            eye = torch.eye(n * n, **x64).reshape(n * n, 1, n, n)
            C = F.conv2d(eye, w).reshape(n * n, -1).T  # column j: the output of the unit input j
            out = n - k + 1
            assert C.shape == (out * out, n * n)
            assert int((C != 0).sum()) == out * out * k * k
            if n >= 2 * k:
                assert (C != 0).sum() * 2 < C.numel()
            assert set(C[C != 0].tolist()) == set(w.flatten().tolist())
            for r in range(out * out):
                row_start = (r // out) * out
                if r > row_start:  # the next output cell of the same row: the row shifted by one
                    assert torch.equal(C[r, 1:], C[r - 1, :-1])


def shift(x, delta):
    return torch.roll(x, delta, dims=-1)


@claim("why-convolution", "equivariance")
def test_shift_the_input_and_the_map_shifts():
    """
    en: Shift the input, and the feature map shifts
      by the same amount, unchanged
    zh: 输入平移多少，特征图就原样平移多少。
    domain: 100 random kernels (k 1–5, C_in 1–2) and inputs (6–10 × 8–14), every shift Δ of the columns
      up to 4: with circular padding (no border) the output of the shifted input is the shifted output
      exactly; with zero padding, every output cell whose window stays inside the input in both.
    """
    rng = random.Random(2)
    g = torch.Generator().manual_seed(2)
    for _ in range(100):
        k, cin, h, w = rng.randint(1, 5), rng.randint(1, 2), rng.randint(6, 10), rng.randint(8, 14)
        weight = torch.randn(1, cin, k, k, generator=g, **x64)
        x = torch.randn(1, cin, h, w, generator=g, **x64)
        for delta in range(5):
            circular = lambda t: F.conv2d(F.pad(t, (k // 2, (k - 1) // 2, k // 2, (k - 1) // 2), mode="circular"), weight)
            assert torch.allclose(circular(shift(x, delta)), shift(circular(x), delta))
            y, ys = F.conv2d(x, weight), F.conv2d(shift(x, delta), weight)
            inner = w - k + 1 - delta  # output columns whose window never wraps around
            if inner > 0:
                assert torch.allclose(ys[..., delta:delta + inner], y[..., :inner])


@claim("why-convolution", "pitfalls")
def test_a_stride_breaks_it_for_small_shifts():
    """
    en: A stride-2 convolution is equivariant to shifts
      by 2 (its output moves by 1), but a shift by 1 gives a different pattern, not a shifted one
    zh: 步幅为 2 的卷积对平移 2 格是等变的（输出移 1 格），平移 1 格得到的却是另一种图样，而不是挪了位置的原图样
    domain: strides 2–3, 60 random kernels (k 1–4) and inputs each, circular padding (no border): a shift
      by a multiple m·s of the stride moves the output by m; a shift by 1 gives an output that is no
      shift of the original (random inputs; a constant input would be the exception).
    """
    g = torch.Generator().manual_seed(3)
    for s in (2, 3):
        for trial in range(60):
            k = 1 + trial % 4
            weight = torch.randn(1, 1, 1, k, generator=g, **x64)
            x = torch.randn(1, 1, 1, 12 * s, generator=g, **x64)
            conv = lambda t: F.conv2d(F.pad(t, (0, k - 1, 0, 0), mode="circular"), weight, stride=(1, s))
            y = conv(x)
            for m in range(1, 3):
                assert torch.allclose(conv(shift(x, m * s)), shift(y, m))
            y1 = conv(shift(x, 1))
            assert not any(torch.allclose(y1, shift(y, d)) for d in range(y.shape[-1]))


@claim("why-convolution", "pitfalls")
def test_equivariance_is_not_invariance():
    """
    en: **Equivariance is not invariance.** The feature map moves with the input; it does not stay
      the same. Invariance (the same answer wherever the cat is) comes later, from
      [pooling](glossary.md#pooling) over the whole map, for example.
    zh: **等变不是不变。** 特征图随输入移动，而不是保持不变。不变性（猫在哪里答案都一样）要靠后面的操作，比如对整张图做[池化](glossary.md#pooling)。
    domain: 50 random kernels and inputs, every column shift 1–5, circular padding: the map changes (it is
      not the same tensor), while its global average and global maximum stay the same.
    """
    g = torch.Generator().manual_seed(4)
    for trial in range(50):
        k = 1 + trial % 3 * 2
        weight = torch.randn(2, 1, k, k, generator=g, **x64)
        x = torch.randn(1, 1, 8, 10, generator=g, **x64)
        conv = lambda t: F.conv2d(F.pad(t, (k // 2,) * 4, mode="circular"), weight)
        y = conv(x)
        for delta in range(1, 6):
            ys = conv(shift(x, delta))
            assert not torch.allclose(ys, y)
            assert torch.allclose(ys.mean((-2, -1)), y.mean((-2, -1)))
            assert torch.equal(ys.amax((-2, -1)), y.amax((-2, -1)))


@claim("why-convolution", "flattening")
def test_a_fully_connected_layer_has_a_weight_per_pair_and_a_bias_per_unit():
    """
    en: A fully connected layer (`nn.Linear`) has one weight for every pair of input number and output
      unit, plus one bias per unit.
    zh: 全连接层（`nn.Linear`）对每一对“输入数—输出单元”都有一个权重，每个单元再加一个偏置。
    domain: every nn.Linear with 1–12 inputs and 1–12 outputs: the weight is [n_out, n_in], the bias
      [n_out], and output j is the sum over i of weight[j, i]·x[i] plus bias[j] (random values).
    """
    g = torch.Generator().manual_seed(0)
    for n_in, n_out in itertools.product(range(1, 13), range(1, 13)):
        layer = nn.Linear(n_in, n_out).double()
        assert layer.weight.shape == (n_out, n_in) and layer.bias.shape == (n_out,)
        assert sum(p.numel() for p in layer.parameters()) == n_in * n_out + n_out
        x = torch.randn(n_in, generator=g, **x64)
        by_pair = torch.stack([sum(layer.weight[j, i] * x[i] for i in range(n_in)) + layer.bias[j]
                               for j in range(n_out)])
        assert torch.allclose(layer(x), by_pair)


@claim("why-convolution", "equivariance")
def test_conv2d_does_not_flip_the_kernel():
    """
    en: `F.conv2d` slides the kernel
      as it is, without flipping it
    zh: `F.conv2d` 直接拿卷积核滑动，不翻转
    domain: every kernel 1–4 × 1–4 on inputs up to 6×6 (random values, stride 1, no padding): each output
      cell (i, j) is the sum of x[i + a, j + b]·w[a, b], a cross-correlation, and not the flipped sum
      (for kernels larger than 1×1 the two differ).
    """
    g = torch.Generator().manual_seed(1)
    for kh, kw in itertools.product(range(1, 5), repeat=2):
        for h, w in itertools.product(range(kh, 7), range(kw, 7)):
            x = torch.randn(h, w, generator=g, **x64)
            k = torch.randn(kh, kw, generator=g, **x64)
            y = F.conv2d(x[None, None], k[None, None])[0, 0]
            windows = x.unfold(0, kh, 1).unfold(1, kw, 1)  # [h_out, w_out, kh, kw]
            assert torch.allclose(y, (windows * k).sum((-1, -2)))
            if kh * kw > 1:
                assert not torch.allclose(y, (windows * k.flip(0, 1)).sum((-1, -2)))
