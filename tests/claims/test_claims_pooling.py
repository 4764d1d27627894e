"""The claims of the pooling chapter (docs/en/pooling.md, docs/zh/pooling.md)."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from .claim import claim
from figures import arith

PAGE = "pooling"


def configs(sizes=range(1, 13), kernels=range(1, 5), strides=range(1, 4), dilations=range(1, 3)):
    """Every (H, k, s, p, d) that torch's pooling accepts and that leaves an output."""
    for h, k, s, d in itertools.product(sizes, kernels, strides, dilations):
        for p in range(0, k // 2 + 1):
            if h + 2 * p >= d * (k - 1) + 1:
                yield h, k, s, p, d


def floor_size(h, k, s, p, d):
    return (h + 2 * p - d * (k - 1) - 1) // s + 1


def ceil_size(h, k, s, p, d):
    o = -(-(h + 2 * p - d * (k - 1) - 1) // s) + 1
    return o - 1 if (o - 1) * s >= h + p else o


def windows(x, k, s, p, d, fill, ceil_mode=False):
    """The cells of each window of a 1-D signal, padded with ``fill`` (and, for ceil_mode, with
    ``fill`` again beyond the padding)."""
    h = x.shape[-1]
    o = ceil_size(h, k, s, p, d) if ceil_mode else floor_size(h, k, s, p, d)
    padded = F.pad(x, (p, p + d * (k - 1) + s), value=fill)
    return torch.stack([padded[n * s: n * s + d * (k - 1) + 1: d] for n in range(o)])


def signal(n, g, low=-1.0, high=1.0):
    return low + (high - low) * torch.rand(n, generator=g, dtype=torch.float64)


# --- the same window, another operation ------------------------------------------------------


@claim(PAGE, "pooling")
def test_pooling_takes_the_max_or_the_mean_of_the_convolution_window():
    r"""
    en: It slides a window exactly like a convolution, but instead of a weighted sum it takes
        the largest value (max pooling) or the mean (average pooling).
    zh: 它滑动窗口的方式和卷积一模一样，只是不做加权求和，而是取窗口里的最大值（最大池化）
        或平均值（平均池化）。
    domain: 1-D, H 1–12, k 1–4, s 1–3, d 1–2 (max), every padding torch accepts; the windows are those of
        F.unfold (a convolution's), unpadded for the average; random values.
    """
    g = torch.Generator().manual_seed(0)
    for h, k, s, p, d in configs():
        x = signal(h, g)
        win = windows(x, k, s, p, d, float("-inf"))
        assert torch.equal(F.max_pool1d(x[None, None], k, s, p, d)[0, 0], win.max(dim=1).values)
        if h >= k:  # the window of an unpadded convolution, by unfold
            cols = F.unfold(x[None, None, None], (1, k), stride=(1, s))[0]
            assert torch.allclose(F.avg_pool1d(x[None, None], k, s)[0, 0], cols.mean(dim=0))
            assert torch.equal(F.max_pool1d(x[None, None], k, s)[0, 0], cols.max(dim=0).values)


@claim(PAGE, "window")
def test_a_pooling_layer_has_no_parameters_and_its_stride_is_its_kernel():
    r"""
    en: A pooling layer has no parameters, and its stride defaults to its kernel size (a convolution's
        defaults to 1).
    zh: 池化层没有参数，步幅默认等于核大小（卷积的步幅默认是 1）。
    domain: MaxPool1d/2d/3d, AvgPool1d/2d/3d and LPPool1d/2d with k 1–5, against Conv1d/2d/3d: parameters,
        the stride attribute, and the output size on inputs of 1–12 cells.
    """
    pools = [nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d, nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d]
    for cls, k in itertools.product(pools, range(1, 6)):
        layer = cls(k)
        dims = int(cls.__name__[-2])
        assert sum(p.numel() for p in layer.parameters()) == 0
        assert layer.stride in (k, (k,) * dims)
        for h in range(k, 13):
            assert layer(torch.zeros((1, 1) + (h,) * dims)).shape[-1] == (h - k) // k + 1
    for cls, k in itertools.product([nn.LPPool1d, nn.LPPool2d], range(1, 6)):
        layer = cls(2, k)
        assert sum(p.numel() for p in layer.parameters()) == 0 and layer.stride in (k, None)
        dims = int(cls.__name__[-2])
        assert layer(torch.ones((1, 1) + (12,) * dims)).shape[-1] == (12 - k) // k + 1
    for cls in (nn.Conv1d, nn.Conv2d, nn.Conv3d):
        assert set(cls(1, 1, 3).stride) == {1}


# --- the output size, and ceil_mode ----------------------------------------------------------


@claim(PAGE, "output-size")
def test_pooling_uses_the_sliding_window_formula():
    r"""
    en: Pooling uses the formula of the sliding-window chapter, with the stride defaulting to $k$:
    zh: 池化用的就是“滑动窗口”一章的公式，只是步幅默认为 $k$：
    domain: H 1–12, k 1–4, s 1–3 (and the default), d 1–2, every padding torch accepts; max_pool1d and
        avg_pool1d (d = 1) against ⌊(H + 2p − d(k − 1) − 1)/s⌋ + 1, conv1d and figures.arith.pool_axis.
    """
    for h, k, s, p, d in configs():
        x = torch.zeros(1, 1, h)
        expected = floor_size(h, k, s, p, d)
        assert F.max_pool1d(x, k, s, p, d).shape[-1] == expected
        assert F.conv1d(x, torch.zeros(1, 1, k), stride=s, padding=p, dilation=d).shape[-1] == expected
        assert arith.pool_axis(h, kernel=k, stride=s, padding=p, dilation=d).size == expected
        if d == 1:
            assert F.avg_pool1d(x, k, s, p).shape[-1] == expected
        if s == k:
            assert F.max_pool1d(x, k, padding=p, dilation=d).shape[-1] == expected


@claim(PAGE, "output-size")
def test_ceil_mode_keeps_a_last_window_that_partly_fits():
    r"""
    en: With `ceil_mode=True` the floor becomes a ceiling: a last window that only partly fits is kept
        instead of dropped. One rule keeps it sane: a window may not *start* in the right padding.
    zh: 把 `ceil_mode` 设为 `True`，向下取整就换成了向上取整：最后一个只放得下一部分的窗口不再丢掉，而是保留。
        另有一条规则兜底：窗口不能*从*右侧的填充区开始。
    domain: H 1–12, k 1–4, s 1–3, d 1–2, every padding torch accepts; max_pool1d and avg_pool1d with
        ceil_mode=True against the ceiling with the rule, and figures.arith.pool_axis; every kept window
        starts before the right padding.
    """
    dropped = 0
    for h, k, s, p, d in configs():
        x = torch.zeros(1, 1, h)
        o = F.max_pool1d(x, k, s, p, d, ceil_mode=True).shape[-1]
        ceiling = -(-(h + 2 * p - d * (k - 1) - 1) // s) + 1
        assert o == ceil_size(h, k, s, p, d) == arith.pool_axis(h, kernel=k, stride=s, padding=p, dilation=d,
                                                                 ceil_mode=True).size
        assert (o - 1) * s < h + p  # the last window starts in the input or the left padding
        dropped += o == ceiling - 1
        if d == 1:
            assert F.avg_pool1d(x, k, s, p, ceil_mode=True).shape[-1] == o
    assert dropped  # the rule is needed


# --- padding ---------------------------------------------------------------------------------


@claim(PAGE, "padding")
def test_max_pooling_pads_with_minus_infinity():
    r"""
    en: Padding in max pooling is −∞, not 0: a padded cell can never win (except in the one window that
        holds nothing else: $k = 2$, $p = 1$ and $d = H + 1$, whose two cells are the padding on either side;
        it gives −∞).
    zh: 最大池化里的填充是 −∞ 而不是 0：填充格永远不会被选中（唯一的例外是整个窗口都落在填充上：$k = 2$、$p = 1$、$d = H + 1$，
        两个格子正好是两侧的填充，结果是 −∞）。
    domain: H 1–12, k 1–5, s 1–3, d 1–5, every padding torch accepts, with and without ceil_mode; random
        all-negative inputs: the result is the max over the window's real cells and its index a real cell,
        except where the window holds padding only, which happens exactly when k = 2, p = 1, d = H + 1.
    """
    g = torch.Generator().manual_seed(1)
    for (h, k, s, p, d), ceil in itertools.product(configs(kernels=range(1, 6), dilations=range(1, 6)),
                                                   (False, True)):
        x = signal(h, g, -2.0, -1.0)
        v, i = F.max_pool1d(x[None, None], k, s, p, d, ceil_mode=ceil, return_indices=True)
        assert torch.equal(v[0, 0], windows(x, k, s, p, d, float("-inf"), ceil).max(dim=1).values)
        only_padding = torch.isinf(v)
        assert only_padding.any() == (k == 2 and p == 1 and d == h + 1), (h, k, s, p, d, ceil)
        assert (v[~only_padding] < 0).all() and ((0 <= i[~only_padding]) & (i[~only_padding] < h)).all()


@claim(PAGE, "padding")
def test_average_pooling_counts_the_padding_by_default():
    r"""
    en: In
        average pooling it is 0 and, by default (`count_include_pad=True`), it *is* counted in the
        mean, which darkens the border cells; `count_include_pad=False` divides by the real cells only.
    zh: 平均池化里填充是 0，
        而且默认（`count_include_pad=True`）*要*算进平均值，边缘格子因此偏小；设 `count_include_pad=False` 则只除以真实格子的个数。
    domain: H 1–12, k 1–4, s 1–3, every padding torch accepts, with and without ceil_mode; random positive
        inputs: the default divides the window's sum by its cells inside the padded input, False by its real
        cells; where a window reaches into the padding the default is smaller.
    """
    g = torch.Generator().manual_seed(2)
    for (h, k, s, p, _), ceil in itertools.product(configs(dilations=(1,)), (False, True)):
        x = signal(h, g, 0.5, 1.0)
        mean = F.avg_pool1d(x[None, None], k, s, p, ceil_mode=ceil)[0, 0]
        real_only = F.avg_pool1d(x[None, None], k, s, p, ceil_mode=ceil, count_include_pad=False)[0, 0]
        for n in range(mean.shape[0]):
            cells = range(n * s - p, n * s - p + k)
            real = [j for j in cells if 0 <= j < h]
            counted = [j for j in cells if -p <= j < h + p]
            total = float(x[real].sum())
            assert math.isclose(mean[n], total / len(counted), rel_tol=1e-12)
            assert math.isclose(real_only[n], total / len(real), rel_tol=1e-12)
            if len(counted) > len(real):
                assert mean[n] < real_only[n]


@claim(PAGE, "pitfalls")
def test_average_pooling_counts_the_padding_unless_told_otherwise():
    r"""
    en: Average pooling counts the padding** unless told otherwise.
    zh: 平均池化默认把填充也算进去**，除非另行指定。
    domain: 2-D, H and W 1–7, k 1–3, s 1–2, every padding torch accepts: the default equals pooling the
        zero-padded input without padding; count_include_pad=False does not, wherever a window reaches the padding.
    """
    g = torch.Generator().manual_seed(3)
    for h, w, k, s in itertools.product(range(1, 8), range(1, 8), range(1, 4), range(1, 3)):
        for p in range(0, k // 2 + 1):
            if min(h, w) + 2 * p < k:
                continue
            x = torch.rand(1, 1, h, w, generator=g, dtype=torch.float64) + 0.5
            default = nn.AvgPool2d(k, s, p)(x)
            assert torch.allclose(default, F.avg_pool2d(F.pad(x, (p,) * 4), k, s))
            if p:
                assert not torch.allclose(default, nn.AvgPool2d(k, s, p, count_include_pad=False)(x))


# --- where the maximum came from -------------------------------------------------------------


@claim(PAGE, "indices")
def test_return_indices_are_flat_positions_into_the_input_map():
    r"""
    en: `MaxPool2d(return_indices=True)` also returns, for every output cell, the position (as a flat
        index into the input map) of the value it took.
    zh: `MaxPool2d(return_indices=True)` 还会给每个输出格子返回它取值的位置（在输入特征图里展平后的下标）。
    domain: 2-D, H and W 1–8, k 1–3, s 1–3, every padding torch accepts, dilation 1–2, 2 channels, random
        values: x.flatten(-2).gather(indices) is the output (leaving out the window of padding only, k = 2,
        p = 1, d = H + 1 or W + 1, whose index points outside the map).
    """
    g = torch.Generator().manual_seed(4)
    for h, w, k, s, d in itertools.product(range(1, 9), range(1, 9), range(1, 4), range(1, 4), range(1, 3)):
        for p in range(0, k // 2 + 1):
            if min(h, w) + 2 * p < d * (k - 1) + 1 or (k == 2 and p == 1 and d in (h + 1, w + 1)):
                continue
            x = torch.rand(1, 2, h, w, generator=g)
            v, i = nn.MaxPool2d(k, s, p, d, return_indices=True)(x)
            assert torch.equal(x.flatten(-2).gather(-1, i.flatten(-2)).view_as(v), v)


@claim(PAGE, "indices")
def test_unpooling_puts_each_maximum_back():
    r"""
    en: That is all
        unpooling needs to put each maximum back where it was, with zeros
        elsewhere
    zh: 反池化要的就是这个：把每个最大值放回原处，其余补零
    domain: 2-D, H and W 2–8, k = s 1–3 (and overlapping windows, k 2–3 with s 1), random values: every
        cell of max_unpool2d is the input cell if an index points at it, else 0.
    """
    g = torch.Generator().manual_seed(5)
    for h, w, k, s in itertools.product(range(2, 9), range(2, 9), range(1, 4), range(1, 4)):
        if (s != k and s != 1) or min(h, w) < k:
            continue
        x = torch.rand(1, 1, h, w, generator=g) + 0.1
        v, i = F.max_pool2d(x, k, s, return_indices=True)
        back = F.max_unpool2d(v, i, k, s, output_size=(h, w))
        kept = torch.zeros(h * w, dtype=torch.bool)
        kept[i.flatten()] = True
        assert torch.equal(back.flatten(), torch.where(kept, x.flatten(), 0.0))


@claim(PAGE, "indices")
def test_with_a_tie_the_first_position_wins():
    r"""
    en: With a tie, the first position wins.
    zh: 若有并列，取第一个位置。
    domain: 2-D inputs 2–7 cells high and wide with values 0 or 1 (ties everywhere), k 2–3, s 1–2, padding 0–1,
        1-D too: the index is the first maximum of the window in reading order.
    """
    g = torch.Generator().manual_seed(6)
    for h, w, k, s, p in itertools.product(range(2, 8), range(2, 8), range(2, 4), range(1, 3), range(0, 2)):
        if min(h, w) + 2 * p < k:
            continue
        x = torch.randint(0, 2, (h, w), generator=g).float()
        v, i = F.max_pool2d(x[None, None], k, s, p, return_indices=True)
        padded = F.pad(x, (p,) * 4, value=float("-inf"))
        for r, c in itertools.product(range(v.shape[2]), range(v.shape[3])):
            window = padded[r * s: r * s + k, c * s: c * s + k]
            first = int(torch.nonzero(window.flatten() == window.max())[0])
            fr, fc = divmod(first, k)
            assert int(i[0, 0, r, c]) == (r * s + fr - p) * w + (c * s + fc - p)
    for n in range(2, 12):
        x = torch.randint(0, 2, (1, 1, n), generator=g).float()
        v, i = F.max_pool1d(x, 2, 1, return_indices=True)
        for j in range(n - 1):
            assert int(i[0, 0, j]) == j + int(x[0, 0, j] < x[0, 0, j + 1])


# --- pooling and shifts ----------------------------------------------------------------------


def max_pool(x):
    """Stride-2 max pooling (k = 2) of a signal, or of a batch of signals (N, L)."""
    batch = x.reshape(-1, 1, x.shape[-1])
    return F.max_pool1d(batch, 2).reshape(*x.shape[:-1], -1)


def max_blur_pool(x, blur=torch.tensor([1., 2., 1.], dtype=torch.float64) / 4):
    """Max with stride 1, then [1, 2, 1]/4 with stride 2, wrapping around; a signal or (N, L)."""
    batch = x.reshape(-1, 1, x.shape[-1])
    m = F.max_pool1d(F.pad(batch, (0, 1), mode="circular"), 2, stride=1)
    z = F.conv1d(F.pad(m, (1, 1), mode="circular"), blur.to(x.dtype)[None, None], stride=2)
    return z.reshape(*x.shape[:-1], -1)


def binary_signals(n):
    """Every 0/1 signal of length n, as a batch (2ⁿ, n)."""
    return torch.tensor(list(itertools.product((0., 1.), repeat=n)), dtype=torch.float64)


def strided_conv(x, w, s):
    """A convolution with stride s of a signal that wraps around (the window starts at each cell)."""
    k = w.shape[-1]
    return F.conv1d(F.pad(x[None, None], (0, k - 1), mode="circular") if k > 1 else x[None, None],
                    w[None, None], stride=s)[0, 0]


def is_a_roll(a, b):
    return any(torch.allclose(a, torch.roll(b, n)) for n in range(len(b)))


@claim(PAGE, "aliasing")
def test_a_stride_keeps_up_only_with_even_shifts():
    r"""
    en: A stride of 2, in a pooling or a convolution, keeps only
        every second position, so it keeps up only with shifts by an even number of cells: shift the input by
        two cells and the output moves by exactly one; shift it by one and the output can be another pattern
        altogether.
    zh: 步幅为 2 时，不论是池化还是卷积，
        都只保留每隔一个的位置，所以只跟得上偶数格的平移：输入平移两格，输出恰好平移一格；平移一格，输出可能完全变成另一个样子。
    domain: signals that wrap around, of even length 4–16 (random, 20 each): stride-2 max pooling (k = 2) and
        stride-2 convolutions (k 1–4, random weights): every shift by 2 rolls the output by 1; for each layer
        some signal shifted by 1 gives an output that is no roll of the first.
    """
    g = torch.Generator().manual_seed(7)
    for n in range(4, 17, 2):
        layers = [max_pool] + [lambda x, w=torch.randn(k, generator=g, dtype=torch.float64): strided_conv(x, w, 2)
                               for k in range(1, 5)]
        for number, layer in enumerate(layers):
            other = 0
            for _ in range(20):
                x = signal(n, g)
                y = layer(x)
                for shift in range(0, n, 2):
                    assert torch.allclose(layer(torch.roll(x, shift)), torch.roll(y, shift // 2))
                other += not is_a_roll(layer(torch.roll(x, 1)), y)
            assert other, (n, number)


@claim(PAGE, "aliasing")
def test_max_blur_pooling_moves_by_one_when_shifted_by_two():
    r"""
    en: shifted by two, it moves by one cell, as the max pooling's does
    zh: 平移两格时，它和最大池化一样恰好平移一格
    domain: signals that wrap around, even lengths 2–16: 200 random ones each and every 0/1 signal of length 2–12.
    """
    g = torch.Generator().manual_seed(8)
    for n in range(2, 17, 2):
        x = torch.rand(200, n, generator=g, dtype=torch.float64)
        if n <= 12:
            x = torch.cat([x, binary_signals(n)])
        for f in (max_pool, max_blur_pool):
            assert torch.allclose(f(torch.roll(x, 2, -1)), torch.roll(f(x), 1, -1))


@claim(PAGE, "aliasing")
def test_shifted_by_one_max_pooling_changes_by_the_range_blur_by_half():
    r"""
    en: Shifted by one cell, a stride-2 max
        pooling's output can change by the input's whole range (its largest value minus its smallest), and
        never by more; the max-blur pooled output never changes by more than half of it.
    zh: 平移一格时，步幅为 2 的最大池化，输出的变化可能达到输入的整个取值范围（最大值减最小值），但不会更大；
        最大-模糊池化的输出，变化从不超过这个范围的一半。
    domain: signals that wrap around, even lengths 2–16, shifted one cell either way: 2,000 random ones each
        (values −3 to 5) and every 0/1 signal of length 2–12; both bounds are reached (lengths 4–12).
    """
    g = torch.Generator().manual_seed(9)
    for n in range(2, 17, 2):
        x = -3 + 8 * torch.rand(2000, n, generator=g, dtype=torch.float64)
        if n <= 12:
            x = torch.cat([x, binary_signals(n)])
        spread = x.max(-1).values - x.min(-1).values
        for shift in (1, -1):
            dy = (max_pool(torch.roll(x, shift, -1)) - max_pool(x)).abs().max(-1).values
            dz = (max_blur_pool(torch.roll(x, shift, -1)) - max_blur_pool(x)).abs().max(-1).values
            assert (dy <= spread + 1e-12).all() and (dz <= spread / 2 + 1e-12).all()
            if 4 <= n <= 12:
                assert ((spread > 0) & (dy == spread)).any() and ((spread > 0) & (dz - spread / 2).abs().lt(1e-12)).any()


@claim(PAGE, "aliasing")
def test_the_blur_does_not_make_it_equivariant_to_a_shift_by_one():
    r"""
    en: The blur does not make the layer equivariant to a shift by one cell
    zh: 模糊并不能让这一层对平移一格等变
    domain: the page's signal, and 20 random signals that wrap around for each even length 4–16: the
        max-blur pooled output of a signal shifted by one cell is no roll of the first (for the page's signal,
        and for some random signal of every length).
    """
    g = torch.Generator().manual_seed(10)
    x = torch.tensor([0., 0., 1., 1., 0., 0., 1., 1.], dtype=torch.float64)
    assert not is_a_roll(max_blur_pool(torch.roll(x, 1)), max_blur_pool(x))
    for n in range(4, 17, 2):
        signals = [signal(n, g) for _ in range(20)]
        assert any(not is_a_roll(max_blur_pool(torch.roll(x, 1)), max_blur_pool(x)) for x in signals), n


class Net(nn.Module):
    """Stride-1 convolutions with circular padding, leaky ReLU (no map dies), and poolings of stride 2."""

    def __init__(self, pools: int, blur: bool, g):
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv2d(2, 2, 3, padding=1, padding_mode="circular", dtype=torch.float64)
                                   for _ in range(pools + 1))
        with torch.no_grad():
            for conv in self.convs:
                conv.weight.copy_(torch.randn(conv.weight.shape, generator=g, dtype=torch.float64))
        self.pools, self.blur = pools, blur
        b = torch.tensor([1., 2., 1.], dtype=torch.float64)
        self.kernel = (torch.outer(b, b) / 16).expand(2, 1, 3, 3)

    def pool(self, x):
        if not self.blur:
            return F.max_pool2d(x, 2)
        m = F.max_pool2d(F.pad(x, (0, 1, 0, 1), mode="circular"), 2, stride=1)
        return F.conv2d(F.pad(m, (1,) * 4, mode="circular"), self.kernel, stride=2, groups=2)

    def forward(self, x):
        for n, conv in enumerate(self.convs):
            x = F.leaky_relu(conv(x), 0.1)
            if n < self.pools:
                x = self.pool(x)
        return x


@claim(PAGE, "aliasing")
def test_a_network_is_equivariant_to_multiples_of_its_total_stride_only():
    r"""
    en: built from stride-1 convolutions and poolings of stride 2 on inputs that wrap around (circular
        padding), it is equivariant to shifts by multiples of its total stride, and in general to no other
        shift.
    zh: 由步幅为 1 的卷积和步幅为 2 的池化搭成、输入首尾相接（循环填充）时，
        网络对总步幅整数倍的平移等变，对其他平移一般都不等变。
    domain: random networks of 1–3 poolings (total stride 2, 4, 8), max or max-blur, 2 channels, on a random
        16×16 input: every shift by multiples of the total stride (on both axes at once) rolls the output by
        the shift over the stride; every other shift along one axis (1–15 rows or columns) gives an output that
        is no roll of the first.
    """
    g = torch.Generator().manual_seed(11)
    with torch.no_grad():
        for pools, blur in itertools.product((1, 2, 3), (False, True)):
            net = Net(pools, blur, g)
            stride = 2 ** pools
            x = torch.randn(1, 2, 16, 16, generator=g, dtype=torch.float64)
            y = net(x)
            out = y.shape[-1]
            multiples = [(a, b) for a in range(0, 16, stride) for b in range(0, 16, stride)]
            others = [(d, 0) for d in range(1, 16) if d % stride] + [(0, d) for d in range(1, 16) if d % stride]
            shifts = multiples + others
            z = net(torch.cat([torch.roll(x, shift, (2, 3)) for shift in shifts]))
            rolls = torch.cat([torch.roll(y, (a, b), (2, 3)) for a in range(out) for b in range(out)])
            for n, (dr, dc) in enumerate(shifts):
                if (dr, dc) in multiples:
                    assert torch.allclose(z[n], torch.roll(y[0], (dr // stride, dc // stride), (1, 2)))
                else:
                    close = ((rolls - z[n]).abs().flatten(1).max(1).values < 1e-9).any()
                    assert not close, (pools, blur, dr, dc)


# --- pitfalls --------------------------------------------------------------------------------


@claim(PAGE, "pitfalls")
def test_the_default_stride_is_the_kernel_size():
    r"""
    en: The default stride is the kernel size**, not 1: `nn.MaxPool2d(3)` moves three cells at a
        time.
    zh: 默认步幅等于核大小**，而不是 1：`nn.MaxPool2d(3)` 一次挪三格。
    domain: nn.MaxPool2d(k), k 1–5, on every input 1–15 cells wide: the output is that of stride k, and the
        windows of MaxPool2d(3) start 3 cells apart (the indices of an increasing input).
    """
    for k, w in itertools.product(range(1, 6), range(1, 16)):
        if w < k:
            continue
        x = torch.arange(float(w)).reshape(1, 1, 1, w).expand(1, 1, k, w).contiguous()
        assert torch.equal(nn.MaxPool2d(k)(x), F.max_pool2d(x, k, stride=k))
        assert torch.equal(nn.MaxPool2d(k)(x)[0, 0, 0], torch.arange(float(k - 1), w, k)[: (w - k) // k + 1])


@claim(PAGE, "pitfalls")
def test_padding_is_at_most_half_the_kernel_whatever_the_dilation():
    r"""
    en: Padding may be at most half the kernel, $\lfloor k/2 \rfloor$, whatever the dilation.** PyTorch
        checks half the dilated span $d(k-1)+1$ as well, but half the kernel size is never larger, so it
        is the limit
    zh: 填充最多是核大小的一半，即 $\lfloor k/2 \rfloor$，有膨胀也不例外。** PyTorch 还会检查膨胀后跨度
        $d(k-1)+1$ 的一半，但核大小的一半从不比它大，所以真正起作用的是前者
    domain: k 1–7, d 1–4, p 0–5 on a 40-cell input: MaxPool1d and MaxPool2d (and AvgPool1d, d = 1) accept
        exactly p ≤ ⌊k/2⌋; ⌊k/2⌋ ≤ ⌊(d(k − 1) + 1)/2⌋ for every k 1–50, d 1–20.
    """
    for k, d in itertools.product(range(1, 51), range(1, 21)):
        assert k // 2 <= (d * (k - 1) + 1) // 2
    for k, d, p in itertools.product(range(1, 8), range(1, 5), range(0, 6)):
        for layer, shape in ((nn.MaxPool1d(k, 1, p, d), (1, 1, 40)), (nn.MaxPool2d(k, 1, p, d), (1, 1, 40, 40)),
                             *(((nn.AvgPool1d(k, 1, p), (1, 1, 40)),) if d == 1 else ())):
            try:
                layer(torch.zeros(shape))
                accepted = True
            except RuntimeError:
                accepted = False
            assert accepted == (p <= k // 2), (type(layer).__name__, k, d, p)
        if p > k // 2:
            with pytest.raises(ValueError):
                arith.pool_axis(40, kernel=k, stride=1, padding=p, dilation=d)
        else:
            arith.pool_axis(40, kernel=k, stride=1, padding=p, dilation=d)


@claim(PAGE, "pitfalls")
def test_ceil_mode_changes_shapes_where_a_last_window_partly_fits():
    r"""
    en: `ceil_mode` changes shapes** wherever a last window only partly fits and does not start in the
        right padding
    zh: `ceil_mode` 会改变形状**（只要最后一个窗口只放得下一部分、又不是从右侧填充区开始）
    domain: H 1–12, k 1–4, s 1–3, d 1–2, every padding torch accepts: ceil_mode changes max_pool1d's size
        exactly when (H + 2p − d(k − 1) − 1) is not a multiple of s and the next window would start before
        the right padding.
    """
    for h, k, s, p, d in configs():
        x = torch.zeros(1, 1, h)
        floor_o = F.max_pool1d(x, k, s, p, d).shape[-1]
        changed = F.max_pool1d(x, k, s, p, d, ceil_mode=True).shape[-1] != floor_o
        partly = (h + 2 * p - d * (k - 1) - 1) % s != 0
        assert changed == (partly and floor_o * s < h + p), (h, k, s, p, d)


# --- exercises -------------------------------------------------------------------------------


@claim(PAGE, "exercises")
def test_adaptive_pooling_does_not_need_the_size():
    r"""
    en: the adaptive version
        does not need to know the size.
    zh: 自适应版本不需要事先知道尺寸。
    domain: adaptive_avg_pool2d(x, 1) on random maps of every size 1–12 × 1–12 (3 channels): the mean of each
        map, shape (N, C, 1, 1).
    """
    g = torch.Generator().manual_seed(12)
    for h, w in itertools.product(range(1, 13), range(1, 13)):
        x = torch.rand(2, 3, h, w, generator=g, dtype=torch.float64)
        y = F.adaptive_avg_pool2d(x, 1)
        assert y.shape == (2, 3, 1, 1)
        assert torch.allclose(y, x.mean(dim=(2, 3), keepdim=True))
        assert torch.allclose(y, F.avg_pool2d(x, (h, w)))


@claim(PAGE, "padding")
def test_on_an_all_negative_input_pytorch_returns_the_real_maximum():
    r"""
    en: On an all-negative input, max pooling with zero padding would return 0 at the border; PyTorch
        returns the real maximum
    zh: 输入全为负数时，如果最大池化用 0 填充，边缘就会输出 0；PyTorch 返回的是真实的最大值
    domain: 2-D all-negative random maps 2–8 cells high and wide, k 2–3, s 1–2, p = 1: pooling the zero-padded
        map gives 0 in every window that reaches the padding; F.max_pool2d gives the max of the window's real cells.
    """
    g = torch.Generator().manual_seed(13)
    for h, w, k, s in itertools.product(range(2, 9), range(2, 9), (2, 3), (1, 2)):
        x = -torch.rand(1, 1, h, w, generator=g, dtype=torch.float64) - 0.5
        zero_padded = F.max_pool2d(F.pad(x, (1,) * 4), k, s)
        got = F.max_pool2d(x, k, s, padding=1)
        padded = F.pad(x, (1,) * 4, value=float("-inf"))[0, 0]
        for r, c in itertools.product(range(got.shape[2]), range(got.shape[3])):
            window = padded[r * s: r * s + k, c * s: c * s + k]
            assert got[0, 0, r, c] == window.max() < 0
            assert (zero_padded[0, 0, r, c] == 0) == bool(torch.isinf(window).any())
