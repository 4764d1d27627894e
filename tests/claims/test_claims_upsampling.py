"""The claims of the upsampling chapter (docs/en/upsampling.md, docs/zh/upsampling.md)."""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import floor

import torch
import torch.nn.functional as F
from torch import nn

from .claim import claim

PAGE = "upsampling"
HALF = Fraction(1, 2)


def picked(x_len: int, mode: str, **size) -> list[int]:
    """Which input cell each output cell of ``F.interpolate`` copied (1-D, float32)."""
    x = torch.arange(x_len, dtype=torch.float32)[None, None]
    return F.interpolate(x, mode=mode, **size)[0, 0].long().tolist()


def rule(position: Fraction, x_len: int, got: int) -> bool:
    """``got`` is ⌊position⌋ (clamped to the last cell), or, where the position is a whole
    number, possibly the cell before (torch computes it in single precision)."""
    exact = min(floor(position), x_len - 1)
    return got == exact or (position.denominator == 1 and got == exact - 1)


# --- nearest and nearest-exact -------------------------------------------------------------


@claim(PAGE, "nearest-exact")
def test_nearest_reads_the_left_edge_nearest_exact_the_centre():
    r"""
    en: `mode="nearest"` copies the input cell under its left edge, $\lfloor i · \text{in}/\text{out} \rfloor$;
        `mode="nearest-exact"` copies the one under its centre, $\lfloor (i + \tfrac{1}{2}) · \text{in}/\text{out} \rfloor$.
    zh: `mode="nearest"` 复制这一段左端所在的输入格子，即 $\lfloor i · \text{in}/\text{out} \rfloor$；
        `mode="nearest-exact"` 复制中点所在的那一格，即 $\lfloor (i + \tfrac{1}{2}) · \text{in}/\text{out} \rfloor$。
    domain: every input length 1–24 and output length 1–48 given as size=, 1-D float32, both modes; at an
        exact whole-number position one cell lower is allowed (the single-precision caveat, swept below).
    """
    for n, out in itertools.product(range(1, 25), range(1, 49)):
        for mode, offset in (("nearest", 0), ("nearest-exact", HALF)):
            got = picked(n, mode, size=out)
            for i, g in enumerate(got):
                assert rule((i + offset) * Fraction(n, out), n, g), (n, out, mode, i, g)


@claim(PAGE, "nearest-exact")
def test_scale_factor_takes_the_place_of_in_over_out():
    r"""
    en: With `scale_factor=f` instead of `size`, $1/f$ takes the place of in/out (unless `recompute_scale_factor=True`)
    zh: 不传 `size` 而传 `scale_factor=f` 时，公式里的 in/out 换成 $1/f$（除非设 `recompute_scale_factor=True`）
    domain: input lengths 1–16, scale factors 1/8 to 39/8 in steps of 1/8 (those that leave an output), both
        modes; with recompute_scale_factor=True the size rule of the sentence before holds instead.
    """
    differs = 0
    for n, eighths in itertools.product(range(1, 17), range(1, 40)):
        f = Fraction(eighths, 8)
        if floor(n * f) < 1:
            continue
        for mode, offset in (("nearest", 0), ("nearest-exact", HALF)):
            got = picked(n, mode, scale_factor=float(f))
            assert len(got) == floor(n * f)
            for i, g in enumerate(got):
                assert rule((i + offset) / f, n, g), (n, f, mode, i, g)
            again = picked(n, mode, scale_factor=float(f), recompute_scale_factor=True)
            out = len(again)
            for i, g in enumerate(again):
                assert rule((i + offset) * Fraction(n, out), n, g), (n, f, mode, i, g)
            differs += got != again
    assert differs  # the two rules are not the same rule


@claim(PAGE, "nearest-exact")
def test_the_modes_agree_at_whole_multiples():
    r"""
    en: The two agree whenever the output is a whole multiple of the input: both then repeat every cell $f$ times.
    zh: 只要输出是输入的整数倍，两者就完全一致：都把每个格子重复 $f$ 次。
    domain: 1-D inputs of length 1–32 and 2-D inputs up to 8×8 (random values), every whole factor 1–12, given as
        size=, as an int scale_factor and as a float one.
    """
    g = torch.Generator().manual_seed(0)
    for n, f in itertools.product(range(1, 33), range(1, 13)):
        x = torch.rand(1, 1, n, generator=g)
        repeated = x.repeat_interleave(f, dim=-1)
        for size in (dict(size=n * f), dict(scale_factor=f), dict(scale_factor=float(f))):
            for mode in ("nearest", "nearest-exact"):
                assert torch.equal(F.interpolate(x, mode=mode, **size), repeated), (n, f, size, mode)
    for h, w, f in itertools.product(range(1, 9), range(1, 9), range(1, 6)):
        x = torch.rand(1, 2, h, w, generator=g)
        a = F.interpolate(x, scale_factor=f, mode="nearest")
        assert torch.equal(a, F.interpolate(x, size=(h * f, w * f), mode="nearest-exact"))
        assert torch.equal(a, x.repeat_interleave(f, -1).repeat_interleave(f, -2))


@claim(PAGE, "nearest-exact")
def test_shrinking_by_a_whole_factor_they_never_agree():
    r"""
    en: Shrinking by a whole factor $f$ of 2 or more they never agree: `nearest` keeps the first cell
        of every $f$, `nearest-exact` cell $\lfloor f/2 \rfloor$ of every $f$
    zh: 反过来按 2 及以上的整数 $f$ 缩小时，两者从不一致：
        `nearest` 保留每 $f$ 格中的第 0 格，`nearest-exact` 保留其中的第 $\lfloor f/2 \rfloor$ 格
    domain: output lengths 1–16, whole factors 2–12 (input = f · output), given as size=.
    """
    for out, f in itertools.product(range(1, 17), range(2, 13)):
        n = out * f
        assert picked(n, "nearest", size=out) == [j * f for j in range(out)]
        assert picked(n, "nearest-exact", size=out) == [j * f + f // 2 for j in range(out)]


@claim(PAGE, "nearest-exact")
def test_a_whole_number_position_can_come_out_lower():
    r"""
    en: for a float32 tensor torch works the position out in single
        precision, so where it is exactly a whole number it can come out a hair lower and copy the cell before
    zh: 对 float32 张量，torch 用单精度计算位置，位置恰好是整数时，算出来可能略小一点，于是复制了前一格
    domain: input lengths 1–24, output lengths 1–48 (size=), nearest-exact, float32: away from whole-number
        positions the rule is exact; at them both outcomes occur, and never anything else; float64: always exact.
    """
    lower = exact_at_whole = 0
    for n, out in itertools.product(range(1, 25), range(1, 49)):
        got = picked(n, "nearest-exact", size=out)
        x64 = torch.arange(n, dtype=torch.float64)[None, None]
        in64 = F.interpolate(x64, size=out, mode="nearest-exact")[0, 0].long().tolist()
        assert in64 == [min(floor((i + HALF) * Fraction(n, out)), n - 1) for i in range(out)]
        for i, g in enumerate(got):
            position = (i + HALF) * Fraction(n, out)
            exact = min(floor(position), n - 1)
            if position.denominator != 1:
                assert g == exact, (n, out, i)
            elif g == exact:
                exact_at_whole += 1
            else:
                assert g == exact - 1, (n, out, i)
                lower += 1
    assert lower and exact_at_whole
    assert picked(6, "nearest-exact", size=37)[18] == 2


# --- one photograph, seven ways -----------------------------------------------------------


@claim(PAGE, "compared")
def test_unpooling_leaves_three_cells_in_four_empty():
    r"""
    en: unpooling leaves three cells in four empty (its mean is
        exactly a quarter of nearest's)
    zh: 反池化让四个格子里有三个是空的（均值恰好是 nearest 的四分之一）
    domain: 2×2 max pooling of random positive maps 2–20 cells high and wide (even), unpooled: one non-zero
        cell in each 2×2 block, and the mean a quarter of the nearest upsampling's (float64).
    """
    g = torch.Generator().manual_seed(20)
    for h, w in itertools.product(range(2, 21, 2), range(2, 21, 2)):
        x = torch.rand(1, 1, h, w, generator=g, dtype=torch.float64) + 0.1
        pooled, where = F.max_pool2d(x, 2, return_indices=True)
        back = F.max_unpool2d(pooled, where, 2)
        blocks = (back != 0).reshape(h // 2, 2, w // 2, 2).sum(dim=(1, 3))
        assert (blocks == 1).all()
        nearest = F.interpolate(pooled, scale_factor=2, mode="nearest")
        assert torch.isclose(back.mean(), nearest.mean() / 4)


@claim(PAGE, "compared")
def test_the_transposed_convolution_cells_receive_one_two_or_four():
    r"""
    en: its output cells receive one, two or four contributions of ¼
    zh: 它的输出格子分别收到一份、两份或四份 ¼ 的贡献
    domain: ConvTranspose2d k=3, s=2, p=1, output_padding=1 (the figure's) on inputs 1–20 cells high and wide:
        the number of kernel cells that reach each output cell (all-ones weights and input).
    """
    for h, w in itertools.product(range(1, 21), range(1, 21)):
        counts = F.conv_transpose2d(torch.ones(1, 1, h, w), torch.ones(1, 1, 3, 3), stride=2, padding=1,
                                    output_padding=1)
        assert set(counts.unique().tolist()) <= {1.0, 2.0, 4.0}
        if h > 1 and w > 1:
            assert set(counts.unique().tolist()) == {1.0, 2.0, 4.0}


# --- nearest and bilinear, by hand ---------------------------------------------------------


def coordinates(n, out, align_corners):
    """Where each output cell of linear interpolation lands in the input: interpolating 0, 1, …, n − 1."""
    x = torch.arange(n, dtype=torch.float64)[None, None]
    return F.interpolate(x, size=out, mode="linear", align_corners=align_corners)[0, 0]


@claim(PAGE, "interpolate")
def test_nearest_copies_each_cell_into_a_2x2_block():
    r"""
    en: Nearest-neighbour upsampling copies each cell into a 2×2 block.
    zh: 最近邻上采样把每个格子复制成一个 2×2 的块。
    domain: scale_factor=2, mode="nearest", random maps 1–10 cells high and wide, 2 channels.
    """
    g = torch.Generator().manual_seed(21)
    for h, w in itertools.product(range(1, 11), range(1, 11)):
        x = torch.rand(1, 2, h, w, generator=g)
        blocks = x.repeat_interleave(2, -1).repeat_interleave(2, -2)
        assert torch.equal(F.interpolate(x, scale_factor=2, mode="nearest"), blocks)


@claim(PAGE, "interpolate")
def test_bilinear_maps_the_centre_and_repeats_the_edge():
    r"""
    en: `align_corners=False` (the default): cells are squares, and an output cell's centre is mapped
        to input coordinate $(j + \tfrac{1}{2})/2 - \tfrac{1}{2}$. … Beyond the outer centres the edge value is repeated.
    zh: `align_corners=False`（默认）：格子是小方块，输出格子的中心映射到输入坐标 $(j + \tfrac{1}{2})/2 - \tfrac{1}{2}$。
        … 超出最外侧格子中心的部分，重复边缘的值。
    domain: scale_factor=2, linear (1-D) on 0, 1, …, n − 1 for n 1–30: the coordinate, clamped to [0, n − 1];
        bilinear (2-D) on random maps up to 8×8: the blend of the four nearest cells with those weights.
    """
    for n in range(1, 31):
        x = torch.arange(n, dtype=torch.float64)[None, None]
        got = F.interpolate(x, scale_factor=2, mode="linear")[0, 0]
        j = torch.arange(2 * n, dtype=torch.float64)
        assert torch.allclose(got, ((j + 0.5) / 2 - 0.5).clamp(0, n - 1))
    g = torch.Generator().manual_seed(22)
    for h, w in itertools.product(range(1, 9), range(1, 9)):
        x = torch.rand(h, w, generator=g, dtype=torch.float64)
        got = F.interpolate(x[None, None], scale_factor=2, mode="bilinear")[0, 0]
        for r, c in itertools.product(range(2 * h), range(2 * w)):
            u, v = min(max((r + 0.5) / 2 - 0.5, 0), h - 1), min(max((c + 0.5) / 2 - 0.5, 0), w - 1)
            r0, c0 = int(u), int(v)
            r1, c1 = min(r0 + 1, h - 1), min(c0 + 1, w - 1)
            a, b = u - r0, v - c0
            blend = ((1 - a) * (1 - b) * x[r0, c0] + (1 - a) * b * x[r0, c1] + a * (1 - b) * x[r1, c0]
                     + a * b * x[r1, c1])
            assert torch.isclose(got[r, c], blend)


@claim(PAGE, "interpolate")
def test_align_corners_spreads_the_cells_evenly_between_the_corners():
    r"""
    en: `align_corners=True`: the corner cells' centres of input and output coincide, and the cells
        in between are spread evenly
    zh: `align_corners=True`：输入和输出四个角上格子的中心重合，中间的格子均匀分布
    domain: linear interpolation of 0, 1, …, n − 1, n 2–12, to every size 2–30: output cell j lands at
        j · (n − 1)/(out − 1).
    """
    for n, out in itertools.product(range(2, 13), range(2, 31)):
        j = torch.arange(out, dtype=torch.float64)
        assert torch.allclose(coordinates(n, out, True), j * (n - 1) / (out - 1))


@claim(PAGE, "interpolate")
def test_upsample_is_interpolate_as_a_layer():
    r"""
    en: Neither has parameters. `nn.Upsample` wraps the same function as a layer.
    zh: 两者都没有参数。`nn.Upsample` 只是把同一个函数包装成层。
    domain: nn.Upsample with scale factors 1, 1.5, 2, 3 and sizes 5, 9, modes nearest, nearest-exact, bilinear
        (both align_corners) and bicubic, on random 4×6 maps: no parameters, the same numbers as F.interpolate.
    """
    g = torch.Generator().manual_seed(23)
    x = torch.rand(1, 2, 4, 6, generator=g)
    for mode, corners in [("nearest", None), ("nearest-exact", None), ("bilinear", False), ("bilinear", True),
                          ("bicubic", False)]:
        for size in [dict(scale_factor=f) for f in (1, 1.5, 2, 3)] + [dict(size=s) for s in (5, 9)]:
            layer = nn.Upsample(mode=mode, align_corners=corners, **size)
            assert sum(p.numel() for p in layer.parameters()) == 0
            assert torch.equal(layer(x), F.interpolate(x, mode=mode, align_corners=corners, **size))


# --- max unpooling -------------------------------------------------------------------------


@claim(PAGE, "unpooling")
def test_each_maximum_goes_back_and_every_other_cell_is_zero():
    r"""
    en: each maximum goes back to the
        place it came from (the indices that `return_indices=True` kept), and every other cell is zero.
    zh: 每个最大值回到它原来的位置（也就是 `return_indices=True` 记下的下标），其余格子全是零。
    domain: max_pool2d with k = s 2–3 on random maps 3–12 cells high and wide, then max_unpool2d with the
        original size: at the kept indices the maxima, everywhere else 0.
    """
    g = torch.Generator().manual_seed(24)
    for h, w, k in itertools.product(range(3, 13), range(3, 13), (2, 3)):
        x = torch.rand(1, 1, h, w, generator=g) + 0.1
        pooled, where = F.max_pool2d(x, k, return_indices=True)
        back = F.max_unpool2d(pooled, where, k, output_size=(h, w)).flatten()
        kept = torch.zeros(h * w, dtype=torch.bool)
        kept[where.flatten()] = True
        assert torch.equal(back[where.flatten()], pooled.flatten())
        assert torch.equal(back[where.flatten()], x.flatten()[where.flatten()])
        assert (back[~kept] == 0).all()


# --- learnable -----------------------------------------------------------------------------


@claim(PAGE, "learnable")
def test_a_transposed_convolution_is_zero_insertion_and_a_convolution():
    r"""
    en: stride-2 zero insertion and a convolution in one
        layer
    zh: 步幅为 2 的零插入加一次卷积，合成一层
    domain: stride 2, k 1–5, p 0 to k − 1, input 1–8 cells (1-D, random): 1 zero between cells, k − 1 − p
        zeros on each side, a stride-1 convolution with the kernel flipped.
    """
    g = torch.Generator().manual_seed(25)
    for n, k in itertools.product(range(1, 9), range(1, 6)):
        for p in range(0, k):
            if (n - 1) * 2 - 2 * p + k < 1:
                continue
            x = torch.rand(n, generator=g, dtype=torch.float64)
            w = torch.rand(k, generator=g, dtype=torch.float64)
            grid = torch.zeros(2 * n - 1, dtype=torch.float64)
            grid[::2] = x
            conv = F.conv1d(F.pad(grid[None, None], (k - 1 - p,) * 2), w.flip(0)[None, None])[0, 0]
            assert torch.allclose(F.conv_transpose1d(x[None, None], w[None, None], stride=2, padding=p)[0, 0], conv)


@claim(PAGE, "learnable")
def test_pixel_shuffle_rearranges_each_group_into_a_block():
    r"""
    en: an ordinary convolution at the
        small size makes $r^2$ times the channels, and `nn.PixelShuffle(r)` rearranges every group of
        $r^2$ channels into an $r × r$ block of one channel.
    zh: 先在小尺寸上做普通卷积，得到 $r^2$ 倍的通道，
        再由 `nn.PixelShuffle(r)` 把每 $r^2$ 个通道重排成一个通道里的 $r × r$ 小块。
    domain: r 1–4, 1–3 output channels, maps 1–4 cells high and wide: output[c, i·r + a, j·r + b] is
        input[c·r² + a·r + b, i, j], nothing computed.
    """
    for r, c, h, w in itertools.product(range(1, 5), range(1, 4), range(1, 5), range(1, 5)):
        x = torch.arange(float(c * r * r * h * w)).reshape(1, c * r * r, h, w)
        y = nn.PixelShuffle(r)(x)[0]
        assert y.shape == (c, h * r, w * r)
        for ch, i, j, a, b in itertools.product(range(c), range(h), range(w), range(r), range(r)):
            assert y[ch, i * r + a, j * r + b] == x[0, ch * r * r + a * r + b, i, j]


@claim(PAGE, "learnable")
def test_channel_i_r_plus_j_fills_row_i_column_j_of_every_square():
    r"""
    en: channel $i \cdot r + j$ fills row $i$ and column $j$ of every 2×2 square, so each square of the output holds one cell of every channel
    zh: 第 $i \cdot r + j$ 个通道填进每个 2×2 小块的第 $i$ 行、第 $j$ 列，所以输出的每个小块里，每个通道各占一格
    domain: r = 2, four channels (the figure's), maps 1–6 cells high and wide: every 2×2 square holds one cell
        of each channel, channel i·r + j at row i and column j.
    """
    for h, w in itertools.product(range(1, 7), range(1, 7)):
        channel = torch.arange(4.0).reshape(1, 4, 1, 1).expand(1, 4, h, w)
        y = nn.PixelShuffle(2)(channel)[0, 0]
        squares = y.reshape(h, 2, w, 2).permute(0, 2, 1, 3)
        assert torch.equal(squares, torch.tensor([[0., 1.], [2., 3.]]).expand(h, w, 2, 2))


@claim(PAGE, "learnable")
def test_icnr_starts_as_nearest_upsampling_of_a_convolved_map():
    r"""
    en: Initialised with the same kernel in all
        four sub-pixel channels (ICNR, Aitken et al., 2017) it starts out as nearest upsampling of a
        convolved map
    zh: 如果四个子像素通道用同一个卷积核初始化（ICNR，Aitken 等，2017），
        它一开始就等于“卷积之后做最近邻上采样”
    domain: r 2–3, 1–2 input and output channels, random 3×3 kernels (padding 1) and maps 1–7 cells high and
        wide: conv with each kernel repeated r² times, then PixelShuffle(r), equals nearest ×r of the conv.
    """
    g = torch.Generator().manual_seed(26)
    for r, c_in, c_out, h, w in itertools.product((2, 3), (1, 2), (1, 2), range(1, 8), range(1, 8)):
        kernel = torch.randn(c_out, c_in, 3, 3, generator=g, dtype=torch.float64)
        x = torch.randn(1, c_in, h, w, generator=g, dtype=torch.float64)
        icnr = kernel.repeat_interleave(r * r, dim=0)
        shuffled = F.pixel_shuffle(F.conv2d(x, icnr, padding=1), r)
        assert torch.allclose(shuffled, F.interpolate(F.conv2d(x, kernel, padding=1), scale_factor=r))


# --- parameters and cost -------------------------------------------------------------------


def flops(fn, *args):
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter, torch.no_grad():
        fn(*args)
    return counter.get_total_flops()


@claim(PAGE, "cost")
def test_flop_counter_counts_two_per_multiply_add_and_no_interpolation():
    r"""
    en: which counts the floating-point operations of the matrix
        multiplications and convolutions that actually run (one multiply-add counts as two). It does
        not count interpolation or unpooling
    zh: 统计实际执行的矩阵乘法和卷积的浮点运算次数
        （一次乘加算两次）。它不统计插值和反池化
    domain: conv2d and conv_transpose2d with 1–3 channels in and out, k 1–3, stride 1–2, on maps 4–6: 2 ·
        (multiply-adds); interpolate (nearest, nearest-exact, bilinear, bicubic) and max_unpool2d: 0.
    """
    g = torch.Generator().manual_seed(27)
    for c_in, c_out, k, s, h in itertools.product((1, 3), (1, 2), (1, 3), (1, 2), (4, 6)):
        x = torch.randn(1, c_in, h, h, generator=g)
        y = F.conv2d(x, torch.randn(c_out, c_in, k, k), stride=s)
        assert flops(F.conv2d, x, torch.randn(c_out, c_in, k, k), None, s) == 2 * c_out * c_in * k * k * y[0, 0].numel()
        assert flops(lambda t: F.conv_transpose2d(t, torch.randn(c_in, c_out, k, k), stride=s), x) == \
            2 * c_out * c_in * k * k * h * h
    x = torch.randn(1, 2, 6, 6, generator=g)
    for mode in ("nearest", "nearest-exact", "bilinear", "bicubic"):
        assert flops(lambda t: F.interpolate(t, scale_factor=2, mode=mode), x) == 0
    assert flops(lambda t: F.max_unpool2d(*F.max_pool2d(t, 2, return_indices=True), 2), x) == 0


@claim(PAGE, "cost")
def test_pixel_shuffle_and_resize_convolution_cost_four_times_as_much():
    r"""
    en: The transposed convolution with $k = 3$ is the cheapest learnable upsampler: it convolves at the
        small size and each of its output cells gets only 1, 2 or 4 of the 9 weights. Pixel shuffle and
        resize-convolution cost four times as much
    zh: $k = 3$ 的转置卷积是最便宜的可学习上采样：它在小尺寸上卷积，每个输出格子只用到 9 个权重中的 1、2 或 4 个。
        像素重排和“先放大再卷积”的运算量都是它的四倍
    domain: C 1–16 channels in and out, maps 2–12 (×2 upsampling, k = 3): FLOPs of ConvTranspose2d(s=2, p=1,
        a=1), conv → PixelShuffle(2) and nearest → conv; the ratio is exactly 4, and each transposed output cell
        gets 1, 2 or 4 weights.
    """
    for c, h in itertools.product((1, 4, 16), (2, 5, 12)):
        x = torch.randn(1, c, h, h)
        transposed = flops(nn.ConvTranspose2d(c, c, 3, stride=2, padding=1, output_padding=1), x)
        shuffle = flops(nn.Sequential(nn.Conv2d(c, 4 * c, 3, padding=1), nn.PixelShuffle(2)), x)
        resize = flops(nn.Sequential(nn.Upsample(scale_factor=2), nn.Conv2d(c, c, 3, padding=1)), x)
        assert shuffle == resize == 4 * transposed
        reached = F.conv_transpose2d(torch.ones(1, 1, h, h), torch.ones(1, 1, 3, 3), stride=2, padding=1,
                                     output_padding=1)
        assert set(reached.unique().tolist()) == {1.0, 2.0, 4.0}


def interior_is_flat(y, border):
    inner = y[..., border:-border, border:-border]
    return bool(torch.allclose(inner, inner.flatten()[0].expand_as(inner)))


@claim(PAGE, "cost")
def test_resize_convolution_avoids_checkerboards_whatever_its_weights():
    r"""
    en: resize-convolution
        avoids them whatever its weights, pixel shuffle only when it starts from ICNR.
    zh: “先放大再卷积”不论权重如何都不会出现棋盘伪影，像素重排则只有用 ICNR 初始化时才能避免。
    domain: a constant 8×8 input, ×2, 20 random 3×3 kernels each (padding 1): nearest → conv is flat away from the
        border for every kernel; conv → PixelShuffle is flat with ICNR weights and not flat with random ones.
    """
    g = torch.Generator().manual_seed(28)
    x = torch.ones(1, 1, 8, 8, dtype=torch.float64)
    for _ in range(20):
        w = torch.randn(1, 1, 3, 3, generator=g, dtype=torch.float64)
        assert interior_is_flat(F.conv2d(F.interpolate(x, scale_factor=2), w, padding=1), 2)
        assert interior_is_flat(F.pixel_shuffle(F.conv2d(x, w.repeat(4, 1, 1, 1), padding=1), 2), 2)
        random4 = torch.randn(4, 1, 3, 3, generator=g, dtype=torch.float64)
        assert not interior_is_flat(F.pixel_shuffle(F.conv2d(x, random4, padding=1), 2), 2)


@claim(PAGE, "cost")
def test_a_transposed_convolution_can_start_free_of_checkerboards():
    r"""
    en: A transposed
        convolution can start free of them too, when its phases (the sets of weights that reach the
        output cells of one position modulo the stride) have equal sums, as the bilinear kernel below does;
        the kernel size need not be divisible by the stride.
    zh: 转置卷积也可以一开始就没有棋盘伪影：输出格子按位置对步幅取余分成几类，只要落到每一类上的那组权重之和都相等就行，
        下面的双线性卷积核就是这样，卷积核大小也不必能被步幅整除。
    domain: stride 2–4, every k from s to 3s, on a constant 8×8 input: random kernels scaled so that each of the s²
        phases sums to 1 give an output that is flat away from the border; random kernels do not; the bilinear
        kernels for f = 2–5 (k = 4, 5, 8, 9) have phases of equal sum and give a flat output.
    """
    g = torch.Generator().manual_seed(29)
    x = torch.ones(1, 1, 8, 8, dtype=torch.float64)
    for s, k in itertools.product((2, 3, 4), range(2, 13)):
        if not s <= k <= 3 * s:
            continue
        w = torch.rand(k, k, generator=g, dtype=torch.float64) + 0.1
        phase = torch.arange(k) % s
        sums = torch.zeros(s, s, dtype=torch.float64).index_put_((phase[:, None].expand(k, k), phase[None].expand(k, k)),
                                                              w, accumulate=True)
        equal = w / sums[phase[:, None], phase[None]]  # every phase now sums to 1
        assert interior_is_flat(F.conv_transpose2d(x, equal[None, None], stride=s), k)
        assert not interior_is_flat(F.conv_transpose2d(x, w[None, None], stride=s), k)
    for f in (2, 3, 4, 5):
        w = bilinear_kernel(f)
        k = w.shape[0]
        phase = torch.arange(k) % f
        sums = torch.zeros(f, f, dtype=torch.float64).index_put_((phase[:, None].expand(k, k), phase[None].expand(k, k)),
                                                              w, accumulate=True)
        assert torch.allclose(sums, sums[0, 0].expand(f, f))
        assert interior_is_flat(F.conv_transpose2d(x, w[None, None], stride=f), k)


# --- a transposed convolution that is bilinear upsampling ----------------------------------


def bilinear_kernel(f):
    """The page's snippet, in float64."""
    k = 2 * f - f % 2
    centre = (k - 1) / 2 if k % 2 else f - 0.5
    v = 1 - (torch.arange(k, dtype=torch.float64) - centre).abs() / f
    return torch.outer(v, v)


@claim(PAGE, "bilinear-init")
def test_the_tent_kernel_computes_bilinear_upsampling():
    r"""
    en: A transposed convolution can compute exactly bilinear upsampling: with stride $f$ and the
        $(2f - f \bmod 2)$-square "tent" kernel (the outer product of $1 - |i - c|/f$), each output cell
        gets the two-by-two blend of its neighbours that bilinear interpolation gives.
    zh: 转置卷积可以精确地算出双线性上采样：步幅取 $f$，卷积核取边长 $(2f - f \bmod 2)$ 的“帐篷”核（$1 - |i - c|/f$ 的外积），
        每个输出格子得到的正是双线性插值给出的相邻格子的混合。
    domain: f 1–8, padding (k − f)/2, random maps 1–6 cells high and wide: equal to
        F.interpolate(scale_factor=f, mode="bilinear", align_corners=False) away from a ring ⌊f/2⌋ wide.
    """
    g = torch.Generator().manual_seed(30)
    for f, h, w in itertools.product(range(1, 9), range(1, 7), range(1, 7)):
        kernel = bilinear_kernel(f)
        p = (kernel.shape[0] - f) // 2
        x = torch.rand(1, 1, h, w, generator=g, dtype=torch.float64)
        y = F.conv_transpose2d(x, kernel[None, None], stride=f, padding=p)
        z = F.interpolate(x, scale_factor=f, mode="bilinear", align_corners=False)
        r = f // 2
        assert y.shape == z.shape
        assert torch.allclose(y[..., r:y.shape[-2] - r, r:y.shape[-1] - r], z[..., r:z.shape[-2] - r, r:z.shape[-1] - r])


@claim(PAGE, "bilinear-init")
def test_padded_by_its_edge_the_tent_agrees_everywhere():
    r"""
    en: pad the input
        by repeating its edge first, and the two agree everywhere
    zh: 先把输入按边缘值补一圈，两者就处处相等
    domain: f 1–8, random maps 1–6 cells high and wide, replicate-padded by one cell, padding (k − f)/2 + f: equal
        to F.interpolate(scale_factor=f, mode="bilinear", align_corners=False) everywhere; without the edge, not
        (f ≥ 2).
    """
    g = torch.Generator().manual_seed(31)
    for f, h, w in itertools.product(range(1, 9), range(1, 7), range(1, 7)):
        kernel = bilinear_kernel(f)[None, None]
        p = (kernel.shape[-1] - f) // 2
        x = torch.rand(1, 1, h, w, generator=g, dtype=torch.float64) + 0.5
        z = F.interpolate(x, scale_factor=f, mode="bilinear", align_corners=False)
        edge = F.conv_transpose2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), kernel, stride=f, padding=p + f)
        assert torch.allclose(edge, z)
        if f >= 2:
            assert not torch.allclose(F.conv_transpose2d(x, kernel, stride=f, padding=p), z)


# --- FCN-32s -------------------------------------------------------------------------------


@claim(PAGE, "fcn")
def test_vgg_convolutions_keep_the_size_and_poolings_halve_it():
    r"""
    en: VGG-16's thirteen 3×3 convolutions have padding 1 and keep the size;
        each of its five 2×2 max poolings halves it (rounding down)
    zh: VGG-16 的 13 个 3×3 卷积都填充 1 格，尺寸不变；
        5 个 2×2 最大池化各把尺寸减半一次（向下取整）
    domain: every size 1–600: Conv1d(k=3, p=1) keeps it, MaxPool1d(2) gives ⌊H/2⌋ (H ≥ 2).
    """
    for h in range(1, 601):
        x = torch.empty(1, 1, h, device="meta")
        assert F.conv1d(x, torch.empty(1, 1, 3, device="meta"), padding=1).shape[-1] == h
        if h >= 2:
            assert F.max_pool1d(x, 2).shape[-1] == h // 2


@claim(PAGE, "fcn")
def test_padding_16_makes_it_exactly_32_times_larger():
    r"""
    en: The output size of a transposed
        convolution is $(i - 1)\,s - 2p + k = (i - 1) · 32 - 2p + 64 = 32\,i + 32 - 2p$, which is
        $32\,i$ when $p = 16 = s/2 = (k - s)/2$.
    zh: 转置卷积的输出尺寸是 $(i - 1)\,s - 2p + k = (i - 1) · 32 - 2p + 64 = 32\,i + 32 - 2p$，
        只有 $p = 16 = s/2 = (k - s)/2$ 时才等于 $32\,i$。
    domain: k = 64, s = 32, every padding 0–40 and input 1–40 (1-D, meta device): the size is 32i + 32 − 2p, and
        32i exactly when p = 16.
    """
    for p, i in itertools.product(range(0, 41), range(1, 41)):
        if 32 * i + 32 - 2 * p < 1:
            continue
        out = F.conv_transpose1d(torch.empty(1, 1, i, device="meta"), torch.empty(1, 1, 64, device="meta"),
                                 stride=32, padding=p).shape[-1]
        assert out == 32 * i + 32 - 2 * p
        assert (out == 32 * i) == (p == 16)


@claim(PAGE, "fcn")
def test_every_output_cell_lies_under_two_kernels_per_axis():
    r"""
    en: The kernels of neighbouring input cells, 32 apart,
        overlap by half, so along each axis every output cell lies under exactly two of them, and in
        the plane under four
    zh: 相邻输入格子的卷积核相距 32，
        彼此重叠一半，所以沿每条轴，每个输出格子都恰好落在两个卷积核之下，在平面上则是四个
    domain: k = 64, s = 32, p = 16, inputs of 2–12 cells (1-D) and 2–5 (2-D): away from the ring of 16 cells
        (s/2) at the border, the count of kernels reaching each output cell is 2 (1-D) and 4 (2-D).
    """
    for i in range(2, 13):
        counts = F.conv_transpose1d(torch.ones(1, 1, i), torch.ones(1, 1, 64), stride=32, padding=16)[0, 0]
        assert (counts[16:-16] == 2).all() and (counts[:16] == 1).all() and (counts[-16:] == 1).all()
    for i in range(2, 6):
        counts = F.conv_transpose2d(torch.ones(1, 1, i, i), torch.ones(1, 1, 64, 64), stride=32, padding=16)
        assert (counts[..., 16:-16, 16:-16] == 4).all()


@claim(PAGE, "fcn")
def test_the_ring_where_it_differs_is_16_wide_for_every_input():
    r"""
    en: it agrees except on a ring 16 cells wide, $s/2$
    zh: 只有最外面宽 16 格（$s/2$）的一圈不同
    domain: the bilinear kernel for f = 32, p = 16, along one axis (1-D, separable) for random inputs of 2–12
        cells: equal to linear interpolation ×32 with 16 cells cropped at each end, different with 15.
    """
    g = torch.Generator().manual_seed(32)
    v = 1 - (torch.arange(64, dtype=torch.float64) - 31.5).abs() / 32  # the 1-D tent
    for i in range(2, 13):
        x = torch.rand(1, 1, i, generator=g, dtype=torch.float64) + 0.5
        y = F.conv_transpose1d(x, v[None, None], stride=32, padding=16)[0, 0]
        z = F.interpolate(x, scale_factor=32, mode="linear", align_corners=False)[0, 0]
        assert torch.allclose(y[16:-16], z[16:-16]) and not torch.allclose(y[15:-15], z[15:-15])


@claim(PAGE, "fcn")
def test_copied_into_every_pair_the_kernel_sums_the_channels():
    r"""
    en: Copying the bilinear kernel into all of them
        makes every output channel the sum of all 21 upsampled ones; FCN's reference
        implementation puts it on the diagonal only (channel $i$ to channel
        $i$), which is the same as `groups=21`
    zh: 把双线性核复制到所有这些位置，每个输出通道就成了全部 21 个通道各自放大后的总和；
        FCN 的参考实现只把它放在对角线上（第 $i$ 个通道到第 $i$ 个通道），效果和 `groups=21` 相同
    domain: C 1–5 channels (21 on the page), the bilinear kernel for f = 2 and 4, random 3×3 inputs: the full
        copy gives the channels' sum in every channel, the diagonal gives groups=C.
    """
    g = torch.Generator().manual_seed(33)
    for c, f in itertools.product(range(1, 6), (2, 4)):
        k = bilinear_kernel(f)
        p = (k.shape[0] - f) // 2
        x = torch.randn(1, c, 3, 3, generator=g, dtype=torch.float64)
        grouped = F.conv_transpose2d(x, k.expand(c, 1, *k.shape), stride=f, padding=p, groups=c)
        full = F.conv_transpose2d(x, k.expand(c, c, *k.shape), stride=f, padding=p)
        diagonal = torch.zeros(c, c, *k.shape, dtype=torch.float64)
        diagonal[range(c), range(c)] = k
        assert torch.allclose(full, grouped.sum(1, keepdim=True).expand_as(grouped))
        assert torch.allclose(F.conv_transpose2d(x, diagonal, stride=f, padding=p), grouped)


@claim(PAGE, "fcn")
def test_pooling_rounds_down_and_drops_a_row_where_the_size_is_odd():
    r"""
    en: PyTorch's pooling rounds down
        (see pooling) and drops a row wherever the size is odd
    zh: PyTorch 的池化向下取整（见池化），
        尺寸是奇数时就丢掉一行（列）
    domain: MaxPool2d(2) on every height 2–600 (meta device): ⌊H/2⌋ rows, the last row read only when H is even.
    """
    for h in range(2, 601):
        out = F.max_pool2d(torch.empty(1, 1, h, 2, device="meta"), 2).shape[-2]
        assert out == h // 2 and (2 * out == h) == (h % 2 == 0)


@claim(PAGE, "fcn")
def test_output_size_is_the_same_output_padding_and_keeps_the_first_cells():
    r"""
    en: `output_padding=(20, 23)`, or
        `output_size=(500, 375)` in `forward`, which works out the same
        output padding, gives 500×375, and the first 480×352 cells do not change
    zh: `output_padding=(20, 23)`，或者在 `forward` 里传 `output_size=(500, 375)`（它算出的是同一个输出填充），
        都能得到 500×375，而且左上方那 480×352 个格子不变
    domain: k = 64, s = 32, p = 16 (1-D), inputs 1–16 cells, every output padding 0–31: output_size=(32i + a)
        equals output_padding=a, and the first 32i cells equal those without output padding.
    """
    g = torch.Generator().manual_seed(34)
    layer = nn.ConvTranspose1d(1, 1, 64, stride=32, padding=16, bias=False, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.rand(1, 1, 64, generator=g, dtype=torch.float64))
        for i, a in itertools.product(range(1, 17), range(0, 32)):
            x = torch.rand(1, 1, i, generator=g, dtype=torch.float64)
            short = layer(x)
            padded = F.conv_transpose1d(x, layer.weight, stride=32, padding=16, output_padding=a)
            assert torch.equal(layer(x, output_size=[32 * i + a]), padded)
            assert torch.equal(padded[..., : 32 * i], short)


@claim(PAGE, "fcn")
def test_the_output_padding_has_to_stay_below_the_stride():
    r"""
    en: The output padding has to stay below the stride (or the dilation, if that is larger), so 480 + 31 = 511
        is the largest height there is; asking for 512 is refused
    zh: 输出填充必须小于步幅（若膨胀率更大，则小于膨胀率），所以高度最多是 480 + 31 = 511，要求 512 会被拒绝
    domain: stride 1–4, dilation 1–3, output padding 0–5 (1-D, k = 3): torch accepts exactly a < max(s, d);
        the FCN-32s layer on 15 rows accepts output_size 480–511 and refuses 479 and 512.
    """
    for s, d, a in itertools.product(range(1, 5), range(1, 4), range(0, 6)):
        try:
            F.conv_transpose1d(torch.zeros(1, 1, 5), torch.zeros(1, 1, 3), stride=s, dilation=d, output_padding=a)
            accepted = True
        except RuntimeError:
            accepted = False
        assert accepted == (a < max(s, d)), (s, d, a)
    layer = nn.ConvTranspose1d(1, 1, 64, stride=32, padding=16, bias=False)
    x = torch.zeros(1, 1, 15)
    for size in range(478, 514):
        try:
            layer(x, output_size=[size])
            accepted = True
        except ValueError:
            accepted = False
        assert accepted == (480 <= size <= 511), size


def caffe_fcn32s(h: int):
    """The height of the Caffe FCN-32s's upsampled scores for an image h rows high (None: no score map):
    conv1_1 pads 100, 3×3 convolutions keep the size, five 2×2 poolings round up, fc6 is 7×7 unpadded,
    the upsampling k = 64, s = 32, p = 0."""
    h = h + 2 * 100 - 2
    for _ in range(5):
        h = -(-(h - 2) // 2) + 1
    h -= 6
    return (h - 1) * 32 + 64 if h >= 1 else None


@claim(PAGE, "fcn")
def test_the_caffe_network_covers_every_image():
    r"""
    en: Every
        image then gets a score map that covers it
    zh: 这样每张图像得到的得分图都能覆盖整张图像
    domain: every image height (or width) 1–2000: the upsampled scores reach 19 + H, so the crop at 19 fits; the
        arithmetic checked against the network itself on the meta device for 40 sizes.
    """
    for h in range(1, 2001):
        big = caffe_fcn32s(h)
        assert big is not None and big >= 19 + h, h
    with torch.device("meta"):
        layers = []
        c = 1
        for v in [1, 1, "M", 1, 1, "M", 1, 1, 1, "M", 1, 1, 1, "M", 1, 1, 1, "M"]:
            if v == "M":
                layers.append(nn.MaxPool1d(2, ceil_mode=True))
            else:
                layers.append(nn.Conv1d(1, 1, 3, padding=100 if not layers else 1))
        net = nn.Sequential(*layers, nn.Conv1d(1, 1, 7), nn.ConvTranspose1d(1, 1, 64, stride=32))
        for h in list(range(1, 21)) + list(range(480, 500)):
            assert net(torch.empty(1, 1, h)).shape[-1] == caffe_fcn32s(h), h


# --- pitfalls ------------------------------------------------------------------------------


@claim(PAGE, "pitfalls")
def test_align_corners_shifts_by_up_to_half_a_cell():
    r"""
    en: the two settings shift the image by up to half a cell.
    zh: 两种设置会让图像最多错开半个格子。
    domain: linear interpolation from every size 2–16 up to every size up to 8 times as large: the input
        coordinates the two settings sample differ by at most ½ input cell, and by more than 0.4 somewhere
        (read from torch by interpolating 0, 1, …).
    """
    worst = 0.0
    for n in range(2, 17):
        for out in range(n, 8 * n + 1):
            gap = float((coordinates(n, out, False) - coordinates(n, out, True)).abs().max())
            assert gap <= 0.5 + 1e-12, (n, out)
            worst = max(worst, gap)
    assert worst > 0.4


@claim(PAGE, "pitfalls")
def test_a_non_integer_scale_factor_floors_the_size():
    r"""
    en: a non-integer `scale_factor` floors the size
    zh: 非整数的 `scale_factor` 会把尺寸向下取整
    domain: input sizes 1–40, scale factors k/8 (1–5), k/10 (1–4) and k/3 (1–4): the size is ⌊n · f⌋ for every mode.
    """
    factors = [k / 8 for k in range(8, 40)] + [k / 10 for k in range(10, 40)] + [k / 3 for k in range(3, 12)]
    for n, f in itertools.product(range(1, 41), factors):
        for mode in ("nearest", "linear"):
            assert F.interpolate(torch.zeros(1, 1, n), scale_factor=f, mode=mode).shape[-1] == floor(n * f)


@claim(PAGE, "pitfalls")
def test_k_not_divisible_by_s_overlaps_unevenly():
    r"""
    en: A transposed convolution with $k$ not divisible by $s$** overlaps unevenly
    zh: $k$ 不能被 $s$ 整除的转置卷积**重叠不均匀
    domain: stride 2–4, k 1–12, inputs of 12 cells (1-D, all ones): away from the ends the number of kernel cells
        reaching each output cell is constant exactly when s divides k.
    """
    for s, k in itertools.product(range(2, 5), range(1, 13)):
        counts = F.conv_transpose1d(torch.ones(1, 1, 12), torch.ones(1, 1, k), stride=s)[0, 0]
        inner = counts[k:-k]
        assert (inner.min() == inner.max()) == (k % s == 0), (s, k)


@claim(PAGE, "pitfalls")
def test_a_bilinear_kernel_goes_in_with_groups_or_on_the_diagonal():
    r"""
    en: A bilinear kernel in a layer with many channels** goes in with `groups=C`, or on the
        diagonal of the weight only; copied into every pair of channels, it adds all the channels
        together
    zh: 在多通道的层里放双线性核**：要么设 `groups=C`，要么只放在权重的对角线上；如果复制到每一对通道上，所有通道就会被加到一起
    domain: C 2–6, f 2 and 3, random 4×4 inputs: groups=C and the diagonal upsample each channel on its own (as
        the one-channel layer does); the full copy gives every channel the sum.
    """
    g = torch.Generator().manual_seed(35)
    for c, f in itertools.product(range(2, 7), (2, 3)):
        k = bilinear_kernel(f)
        p = (k.shape[0] - f) // 2
        x = torch.randn(1, c, 4, 4, generator=g, dtype=torch.float64)
        alone = torch.cat([F.conv_transpose2d(x[:, j:j + 1], k[None, None], stride=f, padding=p) for j in range(c)], 1)
        grouped = F.conv_transpose2d(x, k.expand(c, 1, *k.shape), stride=f, padding=p, groups=c)
        diagonal = torch.zeros(c, c, *k.shape, dtype=torch.float64)
        diagonal[range(c), range(c)] = k
        full = F.conv_transpose2d(x, k.expand(c, c, *k.shape), stride=f, padding=p)
        assert torch.allclose(grouped, alone) and torch.allclose(F.conv_transpose2d(x, diagonal, stride=f, padding=p), alone)
        assert torch.allclose(full, alone.sum(1, keepdim=True).expand_as(alone))


@claim(PAGE, "pitfalls")
def test_an_input_not_a_multiple_of_the_stride_comes_back_smaller():
    r"""
    en: An input that is not a multiple of the total stride** comes back smaller
    zh: 输入不是总步幅的倍数**，放大回来就会变小
    domain: the PyTorch FCN-32s of the page (five 2×2 poolings rounding down, k = 64, s = 32, p = 16), every size
        32–700: it comes back as 32·⌊H/32⌋, smaller exactly when 32 does not divide H.
    """
    for h in range(32, 701):
        t = h
        for _ in range(5):
            t = F.max_pool1d(torch.empty(1, 1, t, device="meta"), 2).shape[-1]
        out = F.conv_transpose1d(torch.empty(1, 1, t, device="meta"), torch.empty(1, 1, 64, device="meta"),
                                 stride=32, padding=16).shape[-1]
        assert out == 32 * (h // 32) and (out < h) == (h % 32 != 0)
