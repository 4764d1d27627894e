"""The claims of the transposed-convolution chapter (docs/en/transposed.md, docs/zh/transposed.md)."""

from __future__ import annotations

import itertools

import torch
import torch.nn.functional as F
from torch import nn

from .claim import claim
from figures import arith, catalog

PAGE = "transposed"
torch.manual_seed(0)


def out_size(i, k, s=1, p=0, d=1, a=0):
    return (i - 1) * s - 2 * p + d * (k - 1) + a + 1


def configs(sizes=range(1, 7), kernels=range(1, 5), strides=range(1, 4), dilations=range(1, 3)):
    """Every (H, k, s, d) in the ranges, with every padding that leaves an output."""
    for h, k, s, d in itertools.product(sizes, kernels, strides, dilations):
        for p in range(0, d * (k - 1) + 2):
            if out_size(h, k, s, p, d) >= 1:
                yield h, k, s, p, d


def scatter(x, w, s, d=1):
    """View one, by hand: every input cell adds its value times the kernel, s cells further on."""
    k = w.shape[-1]
    y = torch.zeros((x.shape[-1] - 1) * s + d * (k - 1) + 1, dtype=x.dtype)
    for i, v in enumerate(x):
        y[i * s: i * s + d * (k - 1) + 1: d] += v * w
    return y


def zero_inserted(x, w, s, p, d=1, a=0, flip=True):
    """View two, by hand: s − 1 zeros between cells, d(k − 1) − p on each side (a more after), stride 1."""
    k = w.shape[-1]
    grid = torch.zeros((x.shape[-1] - 1) * s + 1, dtype=x.dtype)
    grid[::s] = x
    border = d * (k - 1) - p
    grid = F.pad(grid[None, None], (border, border + a))
    kernel = torch.flip(w, (0,)) if flip else w
    return F.conv1d(grid, kernel[None, None], dilation=d)[0, 0]


def transposed(x, w, s=1, p=0, d=1, a=0):
    return F.conv_transpose1d(x[None, None], w[None, None], stride=s, padding=p, dilation=d,
                              output_padding=a)[0, 0]


@claim(PAGE, "transposed-convolution")
def test_stride_2_halves():
    r"""
    en: A convolution with stride 2 and "same" padding halves a feature map (an odd size rounds up).
    zh: 步幅为 2、带 same 填充的卷积把特征图缩小一半（奇数尺寸向上取整）。
    domain: H 1–24, odd k 1–9, dilation 1–3, padding d(k − 1)/2, stride 2, torch's Conv1d.
    """
    for h, k, d in itertools.product(range(1, 25), range(1, 10, 2), range(1, 4)):
        p = d * (k - 1) // 2
        if h + 2 * p < d * (k - 1) + 1:
            continue
        got = F.conv1d(torch.zeros(1, 1, h, device="meta"), torch.zeros(1, 1, k, device="meta"), stride=2,
                       padding=p, dilation=d).shape[-1]
        assert got == (h + 1) // 2, (h, k, d, got)


@claim(PAGE, "scatter")
def test_scatter_view():
    r"""
    en: Take each input cell in turn, multiply the whole kernel by its value, and add that weighted
    copy into the output, moving $s$ output cells for every input cell. Where two stamps overlap,
    their values add up.
    zh: 依次取每个输入格子，把整个卷积核乘上它的值，再把这份加权的副本加到输出上；输入每挪一格，输出上就挪 $s$ 格。
    两个印章重叠的地方，数值相加。
    domain: H 1–6, k 1–4, stride 1–3, random input and kernel, padding 0, against F.conv_transpose1d;
    and the 2-D stamps of random 1–4 × 1–4 inputs with k 1–4, stride 1–3 against F.conv_transpose2d.
    """
    for h, k, s in itertools.product(range(1, 7), range(1, 5), range(1, 4)):
        x, w = torch.randn(h, dtype=torch.float64), torch.randn(k, dtype=torch.float64)
        assert torch.allclose(scatter(x, w, s), transposed(x, w, s))
    for h, wd, k, s in itertools.product(range(1, 5), range(1, 5), range(1, 5), range(1, 4)):
        x, w = torch.randn(h, wd, dtype=torch.float64), torch.randn(k, k, dtype=torch.float64)
        y = torch.zeros((h - 1) * s + k, (wd - 1) * s + k, dtype=torch.float64)
        for i, j in itertools.product(range(h), range(wd)):
            y[i * s: i * s + k, j * s: j * s + k] += x[i, j] * w
        assert torch.allclose(y, F.conv_transpose2d(x[None, None], w[None, None], stride=s)[0, 0])


@claim(PAGE, "zero-insertion")
def test_zero_insertion_view():
    r"""
    en: put $s - 1$ zeros between neighbouring input cells (purple, dotted), pad the result with
    $d\,(k-1) - p$ zeros on every side (grey, hatched; a negative number crops), flip the kernel by
    180°, and slide it with stride 1 (and the layer's dilation $d$).
    zh: 在相邻输入格子之间插入 $s - 1$ 个零（紫色点纹），四周再补 $d\,(k-1) - p$ 圈零（灰色斜线；这个数为负时改为裁掉），
    把卷积核旋转 180°，以步幅 1（膨胀率仍为 $d$）滑过去。
    domain: H 1–6, k 1–4, stride 1–3, dilation 1–2, every padding 0…d(k − 1) + 1 that leaves an
    output, random input and kernel, against F.conv_transpose1d.
    """
    n = 0
    for h, k, s, p, d in configs():
        x, w = torch.randn(h, dtype=torch.float64), torch.randn(k, dtype=torch.float64)
        assert torch.allclose(zero_inserted(x, w, s, p, d), transposed(x, w, s, p, d)), (h, k, s, p, d)
        n += 1
    assert n > 450


@claim(PAGE, "zero-insertion")
def test_flip_matters():
    r"""
    en: With a kernel that is not symmetric, the flip matters.
    zh: 卷积核不对称时，翻转就很要紧。
    domain: H 2–6, k 2–4, stride 1–3, random (never symmetric) kernels, and every symmetric
    kernel made by adding a random one to its mirror: without the flip, only the symmetric agree.
    """
    for h, k, s in itertools.product(range(2, 7), range(2, 5), range(1, 4)):
        x = torch.randn(h, dtype=torch.float64)
        w = torch.randn(k, dtype=torch.float64)
        assert not torch.allclose(zero_inserted(x, w, s, 0, flip=False), transposed(x, w, s))
        sym = w + torch.flip(w, (0,))
        assert torch.allclose(zero_inserted(x, sym, s, 0, flip=False), transposed(x, sym, s))


@claim(PAGE, "zero-insertion")
def test_scatter_is_the_gradient():
    r"""
    en: The scatter view is how the layer is usually implemented (and why it is the gradient of a
    convolution with respect to its input)
    zh: 散布视角是这一层通常的实现方式（也说明了它为什么是卷积对输入的梯度）
    domain: conv1d with H 1–6, k 1–4, stride 1–3, dilation 1–2, every padding that leaves an output;
    the gradient of ⟨conv(x), g⟩ with respect to x against conv_transpose1d(g) with the output
    padding that gives back H.
    """
    for h, k, s, p, d in itertools.product(range(1, 7), range(1, 5), range(1, 4), range(0, 3), range(1, 3)):
        if h + 2 * p < d * (k - 1) + 1:
            continue
        x = torch.randn(1, 1, h, dtype=torch.float64, requires_grad=True)
        w = torch.randn(1, 1, k, dtype=torch.float64)
        y = F.conv1d(x, w, stride=s, padding=p, dilation=d)
        g = torch.randn_like(y)
        (grad,) = torch.autograd.grad((y * g).sum(), x)
        a = h - out_size(y.shape[-1], k, s, p, d)
        back = F.conv_transpose1d(g, w, stride=s, padding=p, dilation=d, output_padding=a)
        assert torch.allclose(grad, back), (h, k, s, p, d)


@claim(PAGE, "classic-cases")
def test_every_convolution_has_its_transpose():
    r"""
    en: Each convolution of the sliding-window chapter has a transposed convolution that maps its
    output size back to its input size
    zh: “滑动窗口”一章里的每个卷积，都有一个把输出尺寸变回输入尺寸的转置卷积
    domain: every H 1–12, k 1–5, stride 1–4, padding 0–2, dilation 1–3 with an output: torch's
    ConvTranspose1d with the same k, s, p, d and output_padding = (H + 2p − d(k − 1) − 1) mod s
    (always below the stride, as torch requires) gives H back; figures.arith.transposed_of agrees.
    """
    for h, k, s, p, d in itertools.product(range(1, 13), range(1, 6), range(1, 5), range(0, 3), range(1, 4)):
        if h + 2 * p < d * (k - 1) + 1:
            continue
        o = F.conv1d(torch.zeros(1, 1, h), torch.zeros(1, 1, k), stride=s, padding=p, dilation=d).shape[-1]
        a = (h + 2 * p - d * (k - 1) - 1) % s
        assert a < s
        back = F.conv_transpose1d(torch.zeros(1, 1, o), torch.zeros(1, 1, k), stride=s, padding=p,
                                  dilation=d, output_padding=a).shape[-1]
        assert back == h, (h, k, s, p, d)
        assert arith.transposed_of(h, k, s, p, dilation=d) == (o, a)


@claim(PAGE, "classic-cases")
def test_only_the_odd_case_needs_output_padding():
    r"""
    en: Only the "odd" case needs an output padding: a stride-2 convolution maps both 5×5 and 6×6
    to 3×3
    zh: 只有“奇数”情形需要输出填充：步幅为 2 的卷积把 5×5 和 6×6 都变成 3×3
    domain: the seven transposed classic cases of the catalog (output padding from torch's sizes);
    and the odd case's convolution (k 3, stride 2, padding 1) on 5 and 6.
    """
    needs = []
    for e in catalog.CATALOG:
        if e.kind == "transposed" and e.fmt == "gif":
            o = F.conv1d(torch.zeros(1, 1, e.i), torch.zeros(1, 1, e.k), stride=e.s, padding=e.p).shape[-1]
            if (e.i + 2 * e.p - e.k) % e.s:
                needs.append(e.name)
            assert arith.transposed_of(e.i, e.k, e.s, e.p)[0] == o
    assert needs == ["padding-strides-odd-transposed"]
    for h in (5, 6):
        assert nn.Conv2d(1, 1, 3, stride=2, padding=1)(torch.zeros(1, 1, h, h)).shape[-2:] == (3, 3)


@claim(PAGE, "paper")
def test_paper_p_prime():
    r"""
    en: The paper's $p'$ is the padding of the equivalent direct convolution ($k - p - 1$)
    zh: 论文里的 $p'$ 是等价的直接卷积的填充（$k - p - 1$）
    domain: dilation 1, H 1–6, k 1–4, stride 1–3, every padding 0…k that leaves an output: a
    stride-1 convolution with the flipped kernel and k − p − 1 zeros (negative: cropped) around
    the zero-inserted input gives F.conv_transpose1d's numbers.
    """
    for h, k, s, p, d in configs(dilations=(1,)):
        x, w = torch.randn(h, dtype=torch.float64), torch.randn(k, dtype=torch.float64)
        grid = torch.zeros((h - 1) * s + 1, dtype=torch.float64)
        grid[::s] = x
        q = k - p - 1
        direct = F.conv1d(F.pad(grid[None, None], (q, q)), torch.flip(w, (0,))[None, None])[0, 0]
        assert torch.allclose(direct, transposed(x, w, s, p))


@claim(PAGE, "paper")
def test_relationship_14():
    r"""
    en: Relationship 14, $o' = s\,(i' - 1) + a + k - 2p$, is our formula with $d = 1$
    zh: 论文的关系式 14，$o' = s\,(i' - 1) + a + k - 2p$，就是本章 $d = 1$ 时的公式
    domain: i′ 1–8, k 1–5, stride 1–4, padding 0–3, every output padding below the stride, with an
    output: the paper's expression, figures.arith and torch's ConvTranspose1d agree.
    """
    for i, k, s, p in itertools.product(range(1, 9), range(1, 6), range(1, 5), range(0, 4)):
        for a in range(s):
            o = s * (i - 1) + a + k - 2 * p
            if o < 1:
                continue
            assert arith.conv_transpose_axis(i, k, s, p, output_padding=a).size == o
            got = F.conv_transpose1d(torch.zeros(1, 1, i), torch.zeros(1, 1, k), stride=s, padding=p,
                                     output_padding=a).shape[-1]
            assert got == o, (i, k, s, p, a)


@claim(PAGE, "formula")
def test_formula():
    r"""
    en: Counting the cells of the zero-inserted, padded grid and sliding the kernel ($d\,(k-1)+1$
    cells wide) over it gives
    zh: 数一数插零、补零后的网格有多少格，再让卷积核（宽 $d\,(k-1)+1$ 格）滑过去，就得到
    domain: H 1–8, k 1–5, stride 1–4, padding 0–3, dilation 1–3, every output padding torch accepts
    (below the stride or the dilation), with an output: the formula, figures.arith and torch's
    ConvTranspose1d agree, and so does the stride-1 convolution over the grid with a zeros after.
    """
    n = 0
    for h, k, s, p, d in itertools.product(range(1, 9), range(1, 6), range(1, 5), range(0, 4), range(1, 4)):
        for a in range(max(s, d)):
            o = (h - 1) * s - 2 * p + d * (k - 1) + a + 1
            if o < 1:
                continue
            assert arith.conv_transpose_axis(h, k, s, p, d, a).size == o
            got = F.conv_transpose1d(torch.zeros(1, 1, h), torch.zeros(1, 1, k), stride=s, padding=p,
                                     dilation=d, output_padding=a).shape[-1]
            assert got == o, (h, k, s, p, d, a)
            n += 1
    assert n > 5000
    for h, k, s, p, d in configs():
        for a in range(max(s, d)):
            x, w = torch.randn(h, dtype=torch.float64), torch.randn(k, dtype=torch.float64)
            if out_size(h, k, s, p, d, a) >= 1 and d * (k - 1) - p + a >= -((h - 1) * s + 1):
                assert torch.allclose(zero_inserted(x, w, s, p, d, a), transposed(x, w, s, p, d, a))


@claim(PAGE, "formula")
def test_formula_read_as_scatter():
    r"""
    en: Read it as the scatter view: $(H-1)\,s$ is where the last stamp starts, $d\,(k-1)+1$ is the width of
    one stamp, and $2p$ is cut off.
    zh: 用散布视角来读：$(H-1)\,s$ 是最后一个印章的起点，$d\,(k-1)+1$ 是一个印章的宽度，$2p$ 被裁掉。
    domain: H 1–6, k 1–4, stride 1–3, dilation 1–2, every padding that leaves an output, random
    values: the stamps of scatter(), d apart, end at (H − 1)s + d(k − 1) + 1, and torch's output
    with padding p is that row with p cells cut off at each end.
    """
    for h, k, s, p, d in configs():
        x, w = torch.randn(h, dtype=torch.float64), torch.randn(k, dtype=torch.float64)
        full = scatter(x, w, s, d)
        assert full.shape[-1] == (h - 1) * s + d * (k - 1) + 1
        assert torch.allclose(full[p: full.shape[-1] - p], transposed(x, w, s, p, d))


@claim(PAGE, "formula")
def test_padding_crops():
    r"""
    en: In a transposed convolution, `padding` crops: the output of `padding=1` is the output of
    `padding=0` without its outer ring.
    zh: 在转置卷积里，`padding` 的作用是裁剪：`padding=1` 的输出，就是 `padding=0` 的输出去掉最外一圈。
    domain: 2-D inputs 1–4 × 1–4, k 1–4, stride 1–3, dilation 1–2, output padding 0, random values:
    padding 1 against padding 0 without its outer ring (and padding p without p rings), whenever
    torch gives an output.
    """
    for h, wd, k, s, d in itertools.product(range(1, 5), range(1, 5), range(1, 5), range(1, 4), range(1, 3)):
        x = torch.randn(1, 1, h, wd, dtype=torch.float64)
        w = torch.randn(1, 1, k, k, dtype=torch.float64)
        full = F.conv_transpose2d(x, w, stride=s, dilation=d)
        for p in range(1, 4):
            if min(full.shape[-2:]) - 2 * p < 1:
                break
            got = F.conv_transpose2d(x, w, stride=s, padding=p, dilation=d)
            assert torch.allclose(got, full[..., p:-p, p:-p])


@claim(PAGE, "dilation")
def test_dilation_spreads_stamps():
    r"""
    en: Dilation spreads every stamp: each input cell now stamps its $k^2$ weights $d$ cells apart, and
    the output grows by $(d - 1)(k - 1)$.
    zh: 膨胀率让每个印章散开：每个输入格子盖下的 $k^2$ 个权重两两相隔 $d$ 格，输出随之增大 $(d - 1)(k - 1)$。
    domain: H 1–6, k 1–4, stride 1–3, dilation 1–4, padding 0, random values: torch's output is the
    scatter of stamps with weights d apart, and its size is the d = 1 size plus (d − 1)(k − 1).
    """
    for h, k, s, d in itertools.product(range(1, 7), range(1, 5), range(1, 4), range(1, 5)):
        x, w = torch.randn(h, dtype=torch.float64), torch.randn(k, dtype=torch.float64)
        got = transposed(x, w, s, 0, d)
        assert torch.allclose(got, scatter(x, w, s, d))
        assert got.shape[-1] == transposed(x, w, s).shape[-1] + (d - 1) * (k - 1)


@claim(PAGE, "dilation")
def test_even_stride_and_dilation_leave_holes():
    r"""
    en: With stride 2 and dilation 2 the stamps of a 3×3 kernel of ones only ever land on rows and
    columns with an even index (0, 2, 4, 6)
    zh: 步幅 2 加膨胀率 2 时，全 1 的 3×3 卷积核盖下的印章只落在下标为偶数（0、2、4、6）的行和列上
    domain: padding 0, inputs 1–6 × 1–6 of random positive values, a k×k kernel of ones for k 1–4
    (the page's 3 among them): every cell with an odd row or column index is 0, every other one is not.
    """
    for h, wd, k in itertools.product(range(1, 7), range(1, 7), range(1, 5)):
        x = torch.rand(1, 1, h, wd, dtype=torch.float64) + 0.5
        y = F.conv_transpose2d(x, torch.ones(1, 1, k, k, dtype=torch.float64), stride=2, dilation=2)[0, 0]
        assert (y[1::2, :] == 0).all() and (y[:, 1::2] == 0).all()
        assert (y[::2, ::2] > 0).all()


@claim(PAGE, "pitfalls")
def test_not_the_inverse():
    r"""
    en: It is not the inverse. A transposed convolution restores the *shape* of the direct
    convolution's input, not its values.
    zh: 它不是逆运算。 转置卷积还原的是正向卷积输入的*形状*，不是它的数值。
    domain: conv1d with H 2–10, k 2–4, stride 1–3, padding 0–1, random input and kernel: the
    transposed convolution (same weight, output padding that gives H back) of the output has the
    input's shape and other values.
    """
    for h, k, s, p in itertools.product(range(2, 11), range(2, 5), range(1, 4), range(0, 2)):
        if h + 2 * p < k:
            continue
        x, w = torch.randn(1, 1, h, dtype=torch.float64), torch.randn(1, 1, k, dtype=torch.float64)
        y = F.conv1d(x, w, stride=s, padding=p)
        a = (h + 2 * p - k) % s
        back = F.conv_transpose1d(y, w, stride=s, padding=p, output_padding=a)
        assert back.shape == x.shape
        assert not torch.allclose(back, x)


@claim(PAGE, "pitfalls")
def test_padding_removes_cells():
    r"""
    en: `padding` removes cells. To make the output larger, increase the stride or the kernel, not
    the padding.
    zh: `padding` 会去掉格子。 想让输出更大，应该加大步幅或卷积核，而不是填充。
    domain: torch's ConvTranspose1d sizes for H 2–8 (a map of one cell has no second stamp to move),
    k 1–5, stride 1–4, padding 0–3, dilation 1–2: one more padding takes two cells away, one more
    stride or kernel cell adds at least one.
    """
    def size(h, k, s, p, d):
        return F.conv_transpose1d(torch.zeros(1, 1, h), torch.zeros(1, 1, k), stride=s, padding=p,
                                  dilation=d).shape[-1]

    for h, k, s, p, d in itertools.product(range(2, 9), range(1, 6), range(1, 5), range(0, 4), range(1, 3)):
        if out_size(h, k, s, p + 1, d) < 1:
            continue
        base = size(h, k, s, p, d)
        assert size(h, k, s, p + 1, d) == base - 2
        assert size(h, k, s + 1, p, d) > base
        assert size(h, k + 1, s, p, d) > base


@claim(PAGE, "pitfalls")
def test_weight_shape_is_swapped():
    r"""
    en: The weight shape is swapped: `nn.ConvTranspose2d(C_in, C_out, k)` has the weight
    $[C_\text{in}, C_\text{out}, k, k]$, the shape of the `nn.Conv2d(C_out, C_in, k)` it transposes.
    zh: 权重形状是反过来的：`nn.ConvTranspose2d(C_in, C_out, k)` 的权重形状是 $[C_\text{in}, C_\text{out}, k, k]$，
    正是它所转置的 `nn.Conv2d(C_out, C_in, k)` 的权重形状。
    domain: C_in 1–4, C_out 1–4, k 1–3 (torch's layers; the weight tensors only).
    """
    for ci, co, k in itertools.product(range(1, 5), range(1, 5), range(1, 4)):
        t = nn.ConvTranspose2d(ci, co, k).weight.shape
        assert t == (ci, co, k, k) == nn.Conv2d(co, ci, k).weight.shape


@claim(PAGE, "pitfalls")
def test_uneven_overlaps():
    r"""
    en: Overlaps are uneven when $k$ is not a multiple of $s$: some output cells receive more stamps
    than their neighbours.
    zh: $k$ 不是 $s$ 的倍数时，重叠不均匀：有的输出格子比邻居收到更多印章。
    domain: the stamp counts (a transposed convolution of ones by ones) away from the border, k 1–8,
    stride 1–5, dilation 1–3: uneven whenever s does not divide k; at dilation 1, even whenever it does.
    """
    for k, s, d in itertools.product(range(1, 9), range(1, 6), range(1, 4)):
        counts = F.conv_transpose1d(torch.ones(1, 1, 30), torch.ones(1, 1, k), stride=s, dilation=d)[0, 0]
        inner = counts[d * k + s: -(d * k + s)]
        if k % s:
            assert inner.max() > inner.min(), (k, s, d)
        elif d == 1:
            assert inner.max() == inner.min(), (k, s, d)


@claim(PAGE, "pitfalls")
def test_mixing_views_mirrors_the_kernel():
    r"""
    en: The zero-insertion view flips the kernel; the scatter view does not. Mixing the two by hand
    gives the result of the mirrored kernel, not PyTorch's.
    zh: 零插入视角要翻转卷积核，散布视角不用。手算时两者混用，得到的是卷积核旋转 180° 后的结果，而不是 PyTorch 的。
    domain: H 2–6, k 2–4, stride 1–3, dilation 1–2, every padding with an output, random values:
    zero insertion without the flip equals torch with the flipped kernel (and, at padding 0, differs
    from torch with the kernel itself).
    """
    for h, k, s, p, d in configs(sizes=range(2, 7), kernels=range(2, 5)):
        x, w = torch.randn(h, dtype=torch.float64), torch.randn(k, dtype=torch.float64)
        unflipped = zero_inserted(x, w, s, p, d, flip=False)
        assert torch.allclose(unflipped, transposed(x, torch.flip(w, (0,)), s, p, d))
        if p == 0:
            assert not torch.allclose(unflipped, transposed(x, w, s, p, d))


@claim(PAGE, "exercises")
def test_k4_s2_p1_doubles():
    r"""
    en: with $k = 4$, $s = 2$, $p = 1$ the size doubles exactly.
    zh: $k = 4$、$s = 2$、$p = 1$ 时尺寸恰好翻倍。
    domain: every H 1–64, torch's ConvTranspose1d.
    """
    for h in range(1, 65):
        got = F.conv_transpose1d(torch.zeros(1, 1, h), torch.zeros(1, 1, 4), stride=2, padding=1).shape[-1]
        assert got == 2 * h


@claim(PAGE, "exercises")
def test_same_stays_same_at_stride_1():
    r"""
    en: with stride 1 the transposed convolution of "same" padding is again "same".
    zh: 步幅为 1 时，“same”填充的转置仍然是“same”。
    domain: H 1–12, odd k 1–9, dilation 1–3, padding d(k − 1)/2: torch's Conv1d and ConvTranspose1d
    both keep H.
    """
    for h, k, d in itertools.product(range(1, 13), range(1, 10, 2), range(1, 4)):
        p = d * (k - 1) // 2
        z = torch.zeros(1, 1, h)
        assert F.conv1d(z, torch.zeros(1, 1, k), padding=p, dilation=d).shape[-1] == h
        assert F.conv_transpose1d(z, torch.zeros(1, 1, k), padding=p, dilation=d).shape[-1] == h


@claim(PAGE, "exercises")
def test_run_backwards():
    r"""
    en: The same shape: the transposed layer uses the weight of the convolution from 16 to 3
    channels, run backwards.
    zh: 形状相同：转置层用的正是从 16 个通道到 3 个通道的那个卷积的权重，只是倒着运行。
    domain: the page's 3 and 16 channels and k 5, and C 1–3 × 1–3, k 1–3, stride 1–2: with one
    weight, ⟨conv2d(y), x⟩ = ⟨y, conv_transpose2d(x)⟩ for random y and x (the adjoint: "backwards").
    """
    for ci, co, k, s in [(3, 16, 5, 1)] + list(itertools.product(range(1, 4), range(1, 4), range(1, 4), range(1, 3))):
        w = torch.randn(ci, co, k, k, dtype=torch.float64)  # ConvTranspose2d(ci, co, k)'s weight
        x = torch.randn(1, ci, 4, 4, dtype=torch.float64)
        up = F.conv_transpose2d(x, w, stride=s)
        y = torch.randn_like(up)
        down = F.conv2d(y, w, stride=s)  # the Conv2d(co, ci, k) with the same weight
        assert torch.allclose((down * x).sum(), (y * up).sum())


@claim(PAGE, "formula")
def test_output_padding_in_the_grid():
    r"""
    en: with $a$ the `output_padding` ($a$ more rows and columns of zeros at the grid's bottom and right).
    zh: 其中 $a$ 是 `output_padding`（在网格的下边和右边再补 $a$ 行、$a$ 列零）。
    domain: 2-D, inputs 2–4 × 2–4, k 1–3, stride 2–3, padding 0–1, dilation 1–2, every output padding torch
    accepts, random values: the stride-1 convolution of the flipped kernel over the zero-inserted grid with
    d(k − 1) − p zeros around and a more at the bottom and right is F.conv_transpose2d's output.
    """
    for h, w, k, s, p, d in itertools.product(range(2, 5), range(2, 5), range(1, 4), (2, 3), (0, 1), (1, 2)):
        border = d * (k - 1) - p
        for a in range(max(s, d)):
            x = torch.randn(1, 1, h, w, dtype=torch.float64)
            kern = torch.randn(1, 1, k, k, dtype=torch.float64)
            grid = torch.zeros(1, 1, (h - 1) * s + 1, (w - 1) * s + 1, dtype=torch.float64)
            grid[..., ::s, ::s] = x
            grid = F.pad(grid, (border, border + a, border, border + a))
            if min(grid.shape[-2:]) < d * (k - 1) + 1:
                continue
            direct = F.conv2d(grid, torch.flip(kern, (2, 3)), dilation=d)
            expect = F.conv_transpose2d(x, kern, stride=s, padding=p, dilation=d, output_padding=a)
            assert torch.allclose(direct, expect), (h, w, k, s, p, d, a)


@claim(PAGE, "formula")
def test_explorer_limits():
    r"""
    en: computes this formula for any configuration and, for inputs up to 16×16 whose grid has at most 32
    cells a side, draws the zero-inserted grid
    zh: 页面能把任意一组参数代入这个公式；
    输入不超过 16×16、网格每边不超过 32 格时，还会画出插零后的网格；
    domain: the explorer's scripts: its grid limits are 16 (input) and 32 (grid, figures.config.MAX_GRID's value),
    and the drawing is refused beyond either; the formula is computed before the check.
    """
    import re
    from pathlib import Path

    from figures.config import MAX_GRID

    js = Path(__file__).resolve().parents[2] / "overrides" / "assets" / "javascripts"
    grids = (js / "explore-grids.js").read_text(encoding="utf-8")
    assert int(re.search(r"const MAX_INPUT = (\d+);", grids).group(1)) == 16
    assert int(re.search(r"const MAX_GRID = (\d+);", grids).group(1)) == MAX_GRID == 32
    assert "c.input[0] > MAX_INPUT || c.input[1] > MAX_INPUT || R > MAX_GRID || C > MAX_GRID" in grids
