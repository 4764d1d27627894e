"""The claims of the checkerboard chapter (docs/en/checkerboard.md, docs/zh/checkerboard.md)."""

from __future__ import annotations

import itertools

import torch
import torch.nn.functional as F
from torch import nn

from .claim import claim
from figures.growing import untrained_stack

PAGE = "checkerboard"
torch.manual_seed(0)


def counts_1d(k, s, n=30, d=1, p=0, a=0):
    return F.conv_transpose1d(torch.ones(1, 1, n, dtype=torch.float64), torch.ones(1, 1, k, dtype=torch.float64),
                              stride=s, dilation=d, padding=p, output_padding=a)[0, 0]


def inner(t, m):
    return t[m:-m] if t.dim() == 1 else t[m:-m, m:-m]


@claim(PAGE, "overlap")
def test_ones_count_stamps():
    r"""
    en: With all inputs and weights equal to 1, each output cell holds the
    number of stamps that reach it: the overlap count.
    zh: 输入和权重都取 1 时，
    每个输出格子里的数就是落到它上面的印章个数，即重叠次数。
    domain: inputs 1–8 long, k 1–6, stride 1–4, padding 0: torch's output at each cell equals the
    number of input cells i with i·s ≤ cell < i·s + k.
    """
    for n, k, s in itertools.product(range(1, 9), range(1, 7), range(1, 5)):
        y = counts_1d(k, s, n)
        for cell in range(y.shape[0]):
            assert y[cell] == sum(1 for i in range(n) if i * s <= cell < i * s + k)


@claim(PAGE, "overlap")
def test_both_layers_double():
    r"""
    en: both
    layers double the size (k=3 with padding 1 and output padding 1, k=4 with padding 1)
    zh: 两种层都把尺寸放大一倍（k=3 配填充 1 和输出填充 1，
    k=4 配填充 1）
    domain: every input size 1–40, torch's ConvTranspose1d.
    """
    for n in range(1, 41):
        assert counts_1d(3, 2, n, p=1, a=1).shape[0] == 2 * n == counts_1d(4, 2, n, p=1).shape[0]


@claim(PAGE, "overlap")
def test_counts_multiply_in_2d():
    r"""
    en: In 2D the counts multiply, row count times column count
    zh: 二维时次数相乘，等于行上的次数乘列上的次数
    domain: inputs 1–5 × 1–5, k 1–4 × 1–4, stride 1–3 on each axis, padding 0–1 (when it leaves an
    output): the 2-D counts are the outer product of the two 1-D counts.
    """
    for h, w, kh, kw, sh, sw in itertools.product(range(1, 6), (2, 5), range(1, 5), (2, 3), range(1, 4), (2,)):
        y = F.conv_transpose2d(torch.ones(1, 1, h, w, dtype=torch.float64), torch.ones(1, 1, kh, kw, dtype=torch.float64),
                               stride=(sh, sw))[0, 0]
        assert torch.equal(y, torch.outer(counts_1d(kh, sh, h), counts_1d(kw, sw, w)))


@claim(PAGE, "overlap")
def test_the_rule():
    r"""
    en: The rule (without dilation): when the kernel size is divisible by the stride, every inner output cell is reached by
    the same number of stamps, $k/s$ per axis; when it is not, some cells are reached
    $\lceil k/s \rceil$ times and others $\lfloor k/s \rfloor$ times.
    zh: 规律是（不带膨胀率时）：卷积核大小能被步幅整除时，内部每个输出格子被盖的次数相同，每个轴上都是 $k/s$ 次；不能整除时，有的格子被盖
    $\lceil k/s \rceil$ 次，有的只有 $\lfloor k/s \rfloor$ 次。
    domain: k 1–12, stride 1–6, dilation 1, 30 input cells, the counts at least k + s cells from either end;
    with dilation 2 the first half fails (k 2, s 2: inner counts 0 and 2), hence "without dilation".
    """
    for k, s in itertools.product(range(1, 13), range(1, 7)):
        c = inner(counts_1d(k, s), k + s)
        values = set(c.tolist())
        if k % s == 0:
            assert values == {k / s}
        else:
            assert values == {float(-(-k // s)), float(k // s)}
    assert set(inner(counts_1d(2, 2, d=2), 6).tolist()) == {0.0, 2.0}


@claim(PAGE, "stacked")
def test_unevenness_compounds():
    r"""
    en: The second layer's stamps land on a map whose cells are
    already uneven, and the unevenness compounds
    zh: 第二层的印章落在一张本来就不均匀的图上，不均匀便层层累积
    domain: stacks of 1–3 doubling layers (k 3 and 5, stride 2, padding (k − 1)/2, output padding 1), the
    counts away from the borders: the number of distinct values grows with every layer.
    """
    for k in (3, 5):
        distinct = []
        for layers in (1, 2, 3):
            t = torch.ones(1, 1, 32, dtype=torch.float64)
            for _ in range(layers):
                t = F.conv_transpose1d(t, torch.ones(1, 1, k, dtype=torch.float64), stride=2, padding=(k - 1) // 2,
                                       output_padding=1)
            distinct.append(len(set(inner(t[0, 0], k * 2 ** (layers + 1)).tolist())))
        assert distinct[0] < distinct[1] < distinct[2], (k, distinct)


@claim(PAGE, "stacked")
def test_divisible_stays_flat():
    r"""
    en: Two or three k=4 layers stay flat inside:
    zh: 两层、三层 k=4 的内部仍然平坦：
    domain: 1–3 layers of kernels of ones whose size is a multiple of the stride (k 2, 4, 6 at stride 2; 3,
    6 at stride 3; padding 0): the counts away from the borders take one value.
    """
    for k, s in ((2, 2), (4, 2), (6, 2), (3, 3), (6, 3)):
        for layers in (1, 2, 3):
            t = torch.ones(1, 1, 20, dtype=torch.float64)
            for _ in range(layers):
                t = F.conv_transpose1d(t, torch.ones(1, 1, k, dtype=torch.float64), stride=s)
            assert len(set(inner(t[0, 0], k * s ** layers).tolist())) == 1


@claim(PAGE, "phases")
def test_phases():
    r"""
    en: With stride 2 (and no dilation), the output cells fall into four classes by the parity of their row
    and column, and each class is reached by its own part of the kernel, `w[i::2, j::2]` (a quarter
    of it when $k$ is even). On a constant input, each output cell is the constant times the sum of its class's weights
    zh: 步幅为 2（不带膨胀率）时，输出格子按行号、列号的奇偶分成四类，
    每一类只用到卷积核的一部分，即 `w[i::2, j::2]`（$k$ 为偶数时正好是四分之一）。输入为常数时，每个输出格子等于这个常数乘上它那一类权重之和
    domain: random kernels k 2–6, stride 2 (and 3, with its nine classes), padding 0–2, a random constant
    input 6 × 6: every inner output cell (r, c) is the constant times w[(r + p) mod s::s, (c + p) mod s::s].sum();
    the parts hold a quarter of the weights exactly when k is even. With dilation 2 the odd classes get no
    weight at all (k 3, stride 2: zeros on odd cells), hence "no dilation".
    """
    for k, s, p in itertools.product(range(2, 7), (2, 3), range(0, 3)):
        w = torch.randn(k, k, dtype=torch.float64)
        c = float(torch.randn(()))
        y = F.conv_transpose2d(torch.full((1, 1, 6, 6), c, dtype=torch.float64), w[None, None], stride=s, padding=p)[0, 0]
        for r, col in itertools.product(range(k, y.shape[0] - k), range(k, y.shape[1] - k)):
            part = w[(r + p) % s::s, (col + p) % s::s]
            assert torch.isclose(y[r, col], c * part.sum())
        if s == 2:
            sizes = {w[i::2, j::2].numel() for i in range(2) for j in range(2)}
            assert (sizes == {k * k // 4}) == (k % 2 == 0)
    y = F.conv_transpose2d(torch.ones(1, 1, 6, 6, dtype=torch.float64), torch.rand(1, 1, 3, 3, dtype=torch.float64) + 0.5,
                           stride=2, dilation=2)[0, 0]
    assert (y[1::2] == 0).all() and (y[::2, ::2] > 0).all()


@claim(PAGE, "phases")
def test_unequal_sums_paint_a_pattern():
    r"""
    en: so
    unless the four sums are equal, even a k=4 kernel paints a 2×2 pattern:
    zh: 只要四个和不相等，
    即使 k=4 也会画出 2×2 的图案：
    domain: k 3–6, stride 2, padding 1, 20 random kernels each, and the same kernels with their four
    phase sums made equal: the inside of the output on a constant input is constant exactly when the
    sums are equal, and always repeats with period 2.
    """
    for k in range(3, 7):
        for _ in range(20):
            w = torch.randn(k, k, dtype=torch.float64)
            for equalise in (False, True):
                if equalise:
                    for i, j in itertools.product(range(2), range(2)):
                        part = w[i::2, j::2]
                        w[i::2, j::2] = part - part.mean() + 1.0 / part.numel()
                sums = [float(w[i::2, j::2].sum()) for i in range(2) for j in range(2)]
                y = inner(F.conv_transpose2d(torch.ones(1, 1, 6, 6, dtype=torch.float64), w[None, None], stride=2,
                                             padding=1)[0, 0], k)
                flat = bool(torch.allclose(y, y[0, 0].expand_as(y)))
                assert flat == (max(sums) - min(sums) < 1e-9)
                assert torch.allclose(y[2:, :], y[:-2, :]) and torch.allclose(y[:, 2:], y[:, :-2])


@claim(PAGE, "pitfalls")
def test_k4_not_a_cure():
    r"""
    en: k=4, s=2 is not a cure: it evens the overlap, not the weights.
    zh: k=4、s=2 不是万灵药：它让重叠均匀了，却管不了权重。
    domain: k 4, stride 2, padding 1: even overlap counts inside; 50 random kernels all give an uneven
    inside on a constant input.
    """
    assert len(set(inner(counts_1d(4, 2, p=1), 6).tolist())) == 1
    for _ in range(50):
        w = torch.randn(1, 1, 4, 4, dtype=torch.float64)
        y = inner(F.conv_transpose2d(torch.ones(1, 1, 6, 6, dtype=torch.float64), w, stride=2, padding=1)[0, 0], 4)
        assert y.max() - y.min() > 1e-6


@claim(PAGE, "pitfalls")
def test_period_doubles():
    r"""
    en: The pattern's period doubles with every layer: after three stride-2 layers it repeats
    every 8 pixels, which is easy to mistake for texture.
    zh: 图案的周期每过一层就翻一倍：三层步幅为 2 的层之后，每 8 个像素重复一次，很容易被误认为是纹理。
    domain: the page's untrained stacks (k 3 and 4) with 1–3 layers, seeds 0–2, on a constant 6 × 6 input:
    inside, the output repeats every 2ⁿ cells and not every 2ⁿ⁻¹.
    """
    x = torch.ones(1, 8, 6, 6, dtype=torch.float64)
    for kind, layers, seed in itertools.product(("transposed-3", "transposed-4"), (1, 2, 3), range(3)):
        with torch.no_grad():
            y = untrained_stack(kind, layers=layers, seed=seed)(x)[0, 0]
        period = 2 ** layers
        m = 2 ** (layers + 1)
        t = y[m:-m, m:-m]
        assert torch.allclose(t[period:, :], t[:-period, :]) and torch.allclose(t[:, period:], t[:, :-period])
        half = period // 2
        assert not (torch.allclose(t[half:, :], t[:-half, :]) and torch.allclose(t[:, half:], t[:, :-half]))


@claim(PAGE, "fix")
def test_resize_then_convolve():
    r"""
    en: first make the map larger
    with nearest (or bilinear) upsampling, which treats every output cell alike, then convolve with
    stride 1, where every output cell sees all the weights.
    zh: 先用最近邻（或双线性）上采样把图放大，这一步对每个输出格子一视同仁；
    再做步幅为 1 的卷积，这时每个输出格子都用到全部权重。
    domain: nearest and bilinear (scale 2 and 3) upsampling of random constant inputs 4–6, then a random
    3×3 or 5×5 convolution with padding: constant wherever the window does not reach the padding or
    the resized border; a one-hot input shows that each output cell's gradient reaches all k² weights.
    """
    for mode, scale, n, k in itertools.product(("nearest", "bilinear"), (2, 3), (4, 6), (3, 5)):
        c = float(torch.randn(()))
        up = F.interpolate(torch.full((1, 2, n, n), c, dtype=torch.float64), scale_factor=scale, mode=mode)
        assert torch.allclose(up, torch.full_like(up, c))
        w = torch.randn(3, 2, k, k, dtype=torch.float64)
        y = F.conv2d(up, w, padding=k // 2)[0]
        t = y[:, k:-k, k:-k]
        assert torch.allclose(t, t[:, :1, :1].expand_as(t))
        weight = w.clone().requires_grad_()
        F.conv2d(torch.randn(1, 2, 3 * k, 3 * k, dtype=torch.float64), weight)[0, 0, k, k].backward()
        assert (weight.grad[0] != 0).all()


@claim(PAGE, "fix")
def test_band_width():
    r"""
    en: The first convolution's
    padding changes one ring of its 12×12 output; each upsampling doubles a ring's width and each
    later 3×3 convolution adds one: $(1 \cdot 2 + 1) \cdot 2 + 1 = 7$.
    zh: 第一个卷积的填充改变了它 12×12 输出的最外一圈；之后每次上采样把圈宽翻倍，每个 3×3 卷积再加宽一格：$(1 \cdot 2 + 1) \cdot 2 + 1 = 7$。
    domain: the page's resize-conv stack with 1–3 layers, seeds 0–2, constant input 6 × 6: the cells equal
    to the centre's are exactly the block inside a band of width b, with b = 1, then 2b + 1 per layer.
    """
    x = torch.ones(1, 8, 6, 6, dtype=torch.float64)
    for layers, seed in itertools.product((1, 2, 3), range(3)):
        with torch.no_grad():
            y = untrained_stack("resize-conv", layers=layers, seed=seed)(x)[0, 0]
        b = 1
        for _ in range(layers - 1):
            b = 2 * b + 1
        n = y.shape[0]
        same = (y - y[n // 2, n // 2]).abs() < 1e-12
        expect = torch.zeros_like(same)
        expect[b:n - b, b:n - b] = True
        assert torch.equal(same, expect), (layers, seed)


@claim(PAGE, "fix")
def test_the_only_way_whatever_the_weights():
    r"""
    en: It is one of three ways out, and the only one that holds whatever the weights become. The other
    two depend on how the layer starts: a transposed convolution whose four phases are initialised
    with equal sums (the bilinear kernel is one; the kernel size need not be divisible by the
    stride, see exercise 2), or a pixel shuffle initialised with ICNR (Aitken et al., 2017). Training can make either uneven again.
    zh: 这是三条出路之一，也是唯一一条不管权重学成什么样都成立的。
    另外两条都取决于初始化：四类权重之和初始化得相等的转置卷积（双线性卷积核就是一例；卷积核大小不必能被步幅整除，见练习 2），
    或者用 ICNR（Aitken 等，2017）初始化的像素重排。训练之后，这两种都可能重新变得不均匀。
    domain: on constant inputs, 20 random weights each: resize-conv is constant inside every time; the
    bilinear k 4 kernel, the tent k 3 kernel and ICNR pixel shuffles (scale 2, 3) are constant inside;
    the same layers with random weights (what training may reach) are not.
    """
    for _ in range(20):
        up = F.interpolate(torch.ones(1, 1, 6, 6, dtype=torch.float64), scale_factor=2, mode="nearest")
        y = inner(F.conv2d(up, torch.randn(1, 1, 3, 3, dtype=torch.float64) * 10, padding=1)[0, 0], 2)
        assert torch.allclose(y, y[0, 0].expand_as(y))
    one = torch.ones(1, 1, 6, 6, dtype=torch.float64)
    b = torch.tensor([1., 3., 3., 1.], dtype=torch.float64) / 4
    tent = torch.tensor([1., 2., 1.], dtype=torch.float64) / 2
    for w, a in ((torch.outer(b, b), 0), (torch.outer(tent, tent), 1)):
        y = inner(F.conv_transpose2d(one, w[None, None], stride=2, padding=1, output_padding=a)[0, 0], 3)
        assert torch.allclose(y, torch.ones_like(y))
        rnd = inner(F.conv_transpose2d(one, torch.randn_like(w)[None, None], stride=2, padding=1, output_padding=a)[0, 0], 3)
        assert rnd.max() - rnd.min() > 1e-6
    for r in (2, 3):
        base = torch.randn(4, 1, 3, 3, dtype=torch.float64)
        icnr = base.repeat_interleave(r * r, dim=0)  # every sub-pixel of a channel starts with the same kernel
        x = torch.ones(1, 1, 6, 6, dtype=torch.float64)
        y = F.pixel_shuffle(F.conv2d(x, icnr, padding=1), r)[0]
        t = y[:, r:-r, r:-r]
        assert torch.allclose(t, t[:, :1, :1].expand_as(t))
        y = F.pixel_shuffle(F.conv2d(x, torch.randn_like(icnr), padding=1), r)[0]
        t = y[:, r:-r, r:-r]
        assert not torch.allclose(t, t[:, :1, :1].expand_as(t))


@claim(PAGE, "pitfalls")
def test_gradients_have_artifacts():
    r"""
    en: Gradients have artifacts too: a strided convolution's backward pass is a transposed
    convolution (see convolution as a matrix), so uneven overlap also shows in
    gradients, for instance in a discriminator's.
    zh: 梯度里也有伪影：带步幅的卷积，其反向传播就是转置卷积（见卷积即矩阵乘法），所以重叠不均匀也会出现在梯度里，比如判别器的梯度。
    domain: 2-D inputs 24 × 24, k 2–5, stride 2–3, padding 0–1, kernel of ones: the input's gradient of the
    summed output is the transposed convolution of ones, and it is uneven inside exactly when s does not divide k.
    """
    for k, s, p in itertools.product(range(2, 6), (2, 3), (0, 1)):
        x = torch.ones(1, 1, 24, 24, dtype=torch.float64, requires_grad=True)
        w = torch.ones(1, 1, k, k, dtype=torch.float64)
        y = F.conv2d(x, w, stride=s, padding=p)
        y.sum().backward()
        a = 24 - ((y.shape[-1] - 1) * s - 2 * p + k)
        assert torch.equal(x.grad, F.conv_transpose2d(torch.ones_like(y), w, stride=s, padding=p, output_padding=a))
        g = inner(x.grad[0, 0], k + p)
        assert (g.max() > g.min()) == (k % s != 0), (k, s, p)


@claim(PAGE, "exercises")
def test_tent_is_linear_interpolation():
    r"""
    en: It is linear interpolation: each input cell is kept, and
    the cells between get the average of their neighbours.
    zh: 它就是线性插值：每个输入格子原样保留，中间的格子取相邻格子的平均。
    domain: random inputs 2–6 × 2–6, the tent kernel, stride 2, padding 1, output padding 1: cell (2i, 2j) is
    x[i, j]; a cell between two input cells their mean, between four their mean; the whole block
    equals F.interpolate(bilinear, align_corners=True) to 2H − 1.
    """
    tent = torch.tensor([1., 2., 1.], dtype=torch.float64)
    w = torch.outer(tent, tent) / 4
    for h, wd in itertools.product(range(2, 7), range(2, 7)):
        x = torch.randn(1, 1, h, wd, dtype=torch.float64)
        y = F.conv_transpose2d(x, w[None, None], stride=2, padding=1, output_padding=1)[0, 0]
        block = y[:2 * h - 1, :2 * wd - 1]
        assert torch.allclose(block[::2, ::2], x[0, 0])
        assert torch.allclose(block[1::2, ::2], (x[0, 0, :-1] + x[0, 0, 1:]) / 2)
        assert torch.allclose(block[1::2, 1::2], (x[0, 0, :-1, :-1] + x[0, 0, 1:, :-1] + x[0, 0, :-1, 1:] + x[0, 0, 1:, 1:]) / 4)
        lin = F.interpolate(x, size=(2 * h - 1, 2 * wd - 1), mode="bilinear", align_corners=True)[0, 0]
        assert torch.allclose(block, lin)


@claim(PAGE, "exercises")
def test_bilinear_then_conv_constant():
    r"""
    en: Check that bilinear upsampling followed by a random 3×3 convolution keeps a constant input
    constant away from the border.
    zh: 验证：双线性上采样之后接一个随机的 3×3 卷积，常数输入在远离边缘处仍是常数。
    domain: constant inputs 3–8 × 3–8 of 1–4 channels, 10 random convolutions each: every output channel is
    constant two cells from the border.
    """
    for n, c in itertools.product(range(3, 9), range(1, 5)):
        for _ in range(10 if n == 6 else 1):
            up = nn.Sequential(nn.Upsample(scale_factor=2, mode="bilinear"), nn.Conv2d(c, 3, 3, padding=1)).double()
            with torch.no_grad():
                y = up(torch.full((1, c, n, n), 2.5, dtype=torch.float64))[0, :, 2:-2, 2:-2]
            assert torch.allclose(y, y[:, :1, :1].expand_as(y))


@claim(PAGE, "constant")
def test_untrained_stacks():
    r"""
    en: Both transposed stacks repeat a pattern every $2^3 = 8$ cells, k=4 included, because of the
    phases. The third stack has no pattern at all inside.
    zh: 两个转置卷积网络都每隔 $2^3 = 8$ 格重复一次图案，k=4 也不例外，原因就是上一节的四类权重。第三个网络内部完全没有图案。
    domain: the page's three untrained stacks (three layers, 8 channels) with seeds 0–4 on the constant 6 × 6
    input: inside (8 cells from the border) both transposed stacks repeat every 8 cells and vary; the
    resize-convolution stack is constant there.
    """
    x = torch.ones(1, 8, 6, 6, dtype=torch.float64)
    for seed in range(5):
        with torch.no_grad():
            out = {kind: untrained_stack(kind, seed=seed)(x)[0, 0, 8:40, 8:40] for kind in ("transposed-3", "transposed-4", "resize-conv")}
        for kind in ("transposed-3", "transposed-4"):
            t = out[kind]
            assert torch.allclose(t[8:], t[:-8]) and torch.allclose(t[:, 8:], t[:, :-8])
            assert t.max() - t.min() > 1e-6
        r = out["resize-conv"]
        assert torch.allclose(r, r[0, 0].expand_as(r), atol=1e-12)


@claim(PAGE, "fix")
def test_resize_conv_costs_more():
    r"""
    en: It costs more (the convolution runs at the large size, see the cost table).
    zh: 代价是计算量更大（卷积在大尺寸上进行，见计算量对比表）。
    domain: torch's FLOP counter on one doubling layer with C 1–16 channels in and out, inputs 4–16: a 3×3
    convolution after nearest upsampling counts more FLOPs than a stride-2 transposed convolution with
    k 3 or 4 giving the same size.
    """
    from torch.utils.flop_counter import FlopCounterMode

    def flops(f, x):
        with FlopCounterMode(display=False) as counter:
            f(x)
        return counter.get_total_flops()

    for c, n in itertools.product((1, 4, 16), (4, 8, 16)):
        x = torch.zeros(1, c, n, n)
        resize = nn.Sequential(nn.Upsample(scale_factor=2), nn.Conv2d(c, c, 3, padding=1))
        for k, a in ((3, 1), (4, 0)):
            up = nn.ConvTranspose2d(c, c, k, stride=2, padding=1, output_padding=a)
            assert up(x).shape == resize(x).shape
            assert flops(resize, x) > flops(up, x)
