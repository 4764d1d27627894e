"""The claims of the dilation chapter (docs/en/dilation.md, docs/zh/dilation.md)."""

from __future__ import annotations

import itertools
from collections import Counter

import torch
import torch.nn.functional as F
from torch import nn

from .claim import claim
from figures import arith

PAGE = "dilation"
torch.manual_seed(0)


def size(h, k, s=1, p=0, d=1):
    return F.conv1d(torch.zeros(1, 1, h, device="meta"), torch.zeros(1, 1, k, device="meta"), stride=s,
                    padding=p, dilation=d).shape[-1]


def reach_1d(dilations, k=3, strides=None):
    """Autograd, 1-D: the gradient of the first output cell of a stack of kernels of ones (paths per input cell)."""
    strides = strides or [1] * len(dilations)
    span = 1
    for d, s in zip(reversed(dilations), reversed(strides)):
        span = (span - 1) * s + d * (k - 1) + 1
    x = torch.ones(1, 1, span, dtype=torch.float64, requires_grad=True)
    y = x
    for d, s in zip(dilations, strides):
        y = F.conv1d(y, torch.ones(1, 1, k, dtype=torch.float64), dilation=d, stride=s)
    y[0, 0, 0].backward()
    return x.grad[0, 0]


def reach_fast(dilations, k=3):
    """The same counts without autograd: a one-hot cell scattered back through the stack (conv_transpose1d)."""
    y = torch.ones(1, 1, 1, dtype=torch.float64)
    for d in reversed(dilations):
        y = F.conv_transpose1d(y, torch.ones(1, 1, k, dtype=torch.float64), dilation=d)
    return y[0, 0]


def no_holes_rule(dilations):
    """The page's rule for 3×3 layers: taken from the smallest, each dilation at most the span of the ones before it."""
    span = 1
    for d in sorted(dilations):
        if d > span:
            return False
        span += 2 * d
    return True


@claim(PAGE, "dilation")
def test_stack_adds_two_per_layer():
    r"""
    en: a stack of 3×3 convolutions with stride 1 adds two
    cells per layer.
    zh: 每叠一层步幅为 1 的 3×3 卷积，只多看两格。
    domain: stacks of 1–8 layers of k 3, stride 1, autograd: the receptive field is 2n + 1.
    """
    for n in range(1, 9):
        g = reach_1d([1] * n)
        assert int((g != 0).sum()) == g.shape[0] == 2 * n + 1


@claim(PAGE, "dilation")
def test_strides_and_pooling_grow_faster():
    r"""
    en: Pooling and strides grow it faster, but they shrink the feature map
    zh: 池化和步幅能让它长得快些，代价是特征图变小
    domain: stacks of 2–6 3×3 layers with one of them at stride 2 (any position but the last), or a
    2×2 max pooling after the first: a larger field than 2n + 1, and a smaller output (torch).
    """
    for n in range(2, 7):
        for at in range(n - 1):
            strides = [1] * n
            strides[at] = 2
            g = reach_1d([1] * n, strides=strides)
            assert g.shape[0] > 2 * n + 1
        x = torch.ones(1, 1, 64, requires_grad=True)
        y = F.conv1d(x, torch.ones(1, 1, 3), padding=1)
        y = F.max_pool1d(y, 2)
        for _ in range(n - 1):
            y = F.conv1d(y, torch.ones(1, 1, 3), padding=1)
        y[0, 0, 16].backward()
        assert int((x.grad != 0).sum()) > 2 * n + 1 and y.shape[-1] < 64


@claim(PAGE, "dilation")
def test_no_more_weights_no_smaller_output():
    r"""
    en: spread the nine weights of a 3×3 kernel apart, so that they cover a wider area, with no more
    weights and, once the padding grows to match, no smaller output.
    zh: 把 3×3 卷积核的九个权重拉开，让它们覆盖更大的范围，权重一个不多；填充跟着加大，输出也不缩小。
    domain: k 3 (and odd k 1–7), dilation 1–5, H 1–20, stride 1: the weight has k² entries whatever d;
    padding d(k − 1)/2 keeps H; without it (k > 1, d > 1) the output is smaller.
    """
    for k, d in itertools.product(range(1, 8, 2), range(1, 6)):
        assert nn.Conv2d(1, 1, k, dilation=d).weight.numel() == k * k
        for h in range(1, 21):
            assert size(h, k, 1, d * (k - 1) // 2, d) == h
            if k > 1 and d > 1 and h >= d * (k - 1) + 1:
                assert size(h, k, 1, (k - 1) // 2, d) < h


@claim(PAGE, "dilated-kernel")
def test_neighbouring_weights_d_apart():
    r"""
    en: With dilation $d$, neighbouring weights sit $d$ cells apart: $d - 1$ cells are skipped between
    them.
    zh: 膨胀率为 $d$ 时，相邻两个权重相隔 $d$ 格，中间跳过 $d - 1$ 格。
    domain: k 1–4, dilation 1–5, a random 1-D input: output 0 of a one-hot kernel at tap j is input j·d,
    so the cells read are 0, d, 2d, …, and an input cell between taps changes nothing.
    """
    for k, d in itertools.product(range(1, 5), range(1, 6)):
        x = torch.randn(1, 1, d * (k - 1) + 1, dtype=torch.float64)
        for j in range(k):
            w = torch.zeros(1, 1, k, dtype=torch.float64)
            w[..., j] = 1
            assert F.conv1d(x, w, dilation=d)[0, 0, 0] == x[0, 0, j * d]
        bumped = x.clone()
        bumped[..., [i for i in range(x.shape[-1]) if i % d]] += 1
        w = torch.randn(1, 1, k, dtype=torch.float64)
        assert torch.allclose(F.conv1d(bumped, w, dilation=d), F.conv1d(x, w, dilation=d))


@claim(PAGE, "pytorch")
def test_dilation_is_an_argument():
    r"""
    en: Dilation is an argument of the layer, not a bigger weight
    zh: 膨胀率只是层的一个参数，权重并不会变大
    domain: nn.Conv1d/2d/3d with C 1–2, k 1–4, dilation 1–5: the weight's shape does not depend on d.
    """
    for layer, c, k, d in itertools.product((nn.Conv1d, nn.Conv2d, nn.Conv3d), (1, 2), range(1, 5), range(1, 6)):
        assert layer(c, c, k, dilation=d).weight.shape == layer(c, c, k).weight.shape


@claim(PAGE, "formula")
def test_formula():
    r"""
    en: cells per axis, and the output size is the formula of the
    sliding-window chapter with $k_\text{eff}$ in place of $k$:
    zh: 格；输出尺寸仍是“滑动窗口”一章的公式，只是把 $k$ 换成 $k_\text{eff}$：
    domain: H 1–14, k 1–5, stride 1–3, padding 0–2, dilation 1–4 with an output: torch's dilated size
    equals torch's undilated size with kernel d(k − 1) + 1, and figures.arith's.
    """
    for h, k, s, p, d in itertools.product(range(1, 15), range(1, 6), range(1, 4), range(0, 3), range(1, 5)):
        keff = d * (k - 1) + 1
        if h + 2 * p < keff:
            continue
        assert size(h, k, s, p, d) == size(h, keff, s, p) == arith.conv_axis(h, k, s, p, d).size


@claim(PAGE, "formula")
def test_keep_the_size():
    r"""
    en: To keep the size at stride 1, pad by $d\,(k-1)/2$ on each side; `padding="same"` does that for
    you (when $d\,(k-1)$ is odd, it puts the extra cell after).
    zh: 步幅为 1 时要保持尺寸，每边填充 $d\,(k-1)/2$；`padding="same"` 会替你算好（$d\,(k-1)$ 为奇数时，多出的一格补在后面）。
    domain: k 1–6, dilation 1–5, a random 1-D input of 12: padding="same" equals F.pad with
    ⌊d(k − 1)/2⌋ before and ⌈d(k − 1)/2⌉ after, and keeps the size; when d(k − 1) is even both are d(k − 1)/2.
    """
    x = torch.randn(1, 1, 12, dtype=torch.float64)
    for k, d in itertools.product(range(1, 7), range(1, 6)):
        w = torch.randn(1, 1, k, dtype=torch.float64)
        total = d * (k - 1)
        same = F.conv1d(x, w, padding="same", dilation=d)
        assert same.shape == x.shape
        assert torch.allclose(same, F.conv1d(F.pad(x, (total // 2, total - total // 2)), w, dilation=d))
        if total % 2 == 0:
            assert torch.allclose(same, F.conv1d(x, w, padding=total // 2, dilation=d))


@claim(PAGE, "gridding")
def test_same_dilation_even_offsets():
    r"""
    en: Three 3×3 layers, all with $d = 2$, span 13×13, but every step moves by an even number of
    cells, so the centre output cell only ever sees input cells at even offsets: 49 of the 169
    cells of its span.
    zh: 三层 $d = 2$ 的
    3×3 卷积跨度是 13×13，但每一层都只挪偶数格，于是中心那个输出格子只能看到偏移为偶数的输入格子：
    跨度内 169 个格子中只有 49 个。
    domain: stacks of 1–4 layers of k 3, all with one dilation d 1–4 (autograd, 1-D; 2-D is the
    product of two axes, checked on the page's 3 × d 2): the cells reached are exactly the offsets
    that are multiples of d.
    """
    for n, d in itertools.product(range(1, 5), range(1, 5)):
        g = reach_1d([d] * n)
        assert g.shape[0] == 2 * n * d + 1
        assert {i for i in range(g.shape[0]) if g[i] != 0} == set(range(0, g.shape[0], d))
    layers = [nn.Conv2d(1, 1, 3, dilation=2, bias=False) for _ in range(3)]
    for layer in layers:
        nn.init.ones_(layer.weight)
    x = torch.ones(1, 1, 13, 13, requires_grad=True)
    nn.Sequential(*layers)(x)[0, 0, 0, 0].backward()
    assert int((x.grad != 0).sum()) == 49


@claim(PAGE, "gridding")
def test_numbers_count_paths():
    r"""
    en: The figure traces that output cell back through the stack with autograd
    (each number counts the paths from a cell to the output)
    zh: 下图用自动求导把这个输出格子逐层往回追溯（每个数字是从该格子到输出的路径条数）
    domain: every stack of three 3-tap layers of ones with dilations 1–4: the gradient at each offset
    equals the number of tap choices (t1, t2, t3) whose offsets add up to it.
    """
    for ds in itertools.product(range(1, 5), repeat=3):
        g = reach_1d(list(ds))
        paths = Counter(sum(t * d for t, d in zip(taps, ds)) for taps in itertools.product(range(3), repeat=3))
        assert all(int(g[i]) == paths.get(i, 0) for i in range(g.shape[0]))


@claim(PAGE, "gridding")
def test_the_fix():
    r"""
    en: The fix is to choose dilations that share no common factor and grow gradually: taken from the
    smallest, each at most the span of the ones before it (for 3×3 layers, one plus twice the sum of
    their dilations; the smallest dilation 1), such as 1, 2, 4
    zh: 解决办法是让各层膨胀率没有公因数、并且逐步增大：从小到大排，每个膨胀率不超过排在它前面那些层的跨度
    （对 3×3 的各层，就是它们膨胀率之和的两倍再加 1；最小的膨胀率为 1），例如 1、2、4
    domain: every stack of one or two 3-tap layers with dilations 1–9, of three with dilations 1–7 (the
    counts of autograd, computed as a transposed convolution of one cell; 1-D): the span has no
    hole exactly when the rule holds (the order of the layers does not matter); a common factor above 1 always leaves holes; 1, 2, 4 and
    1, 2, 5 have none.
    """
    import math

    assert torch.equal(reach_fast([1, 2, 5]), reach_1d([1, 2, 5]))
    for n in (1, 2, 3):
        for ds in itertools.product(range(1, 10 if n < 3 else 8), repeat=n):
            g = reach_fast(list(ds))
            assert bool((g != 0).all()) == no_holes_rule(ds), ds
            if math.gcd(*ds) > 1:
                assert not (g != 0).all()
    assert no_holes_rule((1, 2, 4)) and no_holes_rule((1, 2, 5))


@claim(PAGE, "pitfalls")
def test_gridding_pitfall():
    r"""
    en: Gridding: a stack with the same dilation $d > 1$ in every layer only sees one cell in
    $d$ per axis. Include $d = 1$ and, taken from the smallest, let each rate be at most the
    span of the smaller ones: 1, 2, 5 has no holes, 1, 5 and 2, 3 have.
    zh: 网格效应：每层都用同一个大于 1 的膨胀率，每个轴上就只看得到 $d$ 格中的一格。
    要有一层 $d = 1$，并且从小到大排，每个膨胀率不超过比它小的那些层的跨度：1、2、5 没有空洞，1、5 和 2、3 都有。
    domain: stacks of 2–4 layers with one dilation 2–4 (cells reached: every d-th); the three stacks named
    (autograd, 1-D and 2-D).
    """
    for n, d in itertools.product(range(2, 5), range(2, 5)):
        g = reach_1d([d] * n)
        assert [i for i in range(g.shape[0]) if g[i] != 0] == list(range(0, g.shape[0], d))
    for ds, holes in (((1, 2, 5), False), ((1, 5), True), ((2, 3), True)):
        layers = [nn.Conv2d(1, 1, 3, dilation=d, bias=False) for d in ds]
        for layer in layers:
            nn.init.ones_(layer.weight)
        span = 1 + sum(2 * d for d in ds)
        x = torch.ones(1, 1, span, span, requires_grad=True)
        nn.Sequential(*layers)(x)[0, 0, 0, 0].backward()
        assert bool((x.grad == 0).any()) == holes == (not no_holes_rule(ds))


@claim(PAGE, "pitfalls")
def test_dilation_changes_size():
    r"""
    en: At stride 1, dilation changes the output size unless the padding grows with it:
    $p = d\,(k-1)/2$, not $(k-1)/2$.
    zh: 步幅为 1 时，膨胀率会改变输出尺寸，除非填充跟着变：$p = d\,(k-1)/2$，而不是 $(k-1)/2$。
    domain: H 1–20, odd k 3–7, dilation 2–5, stride 1: padding (k − 1)/2 changes the size, d(k − 1)/2
    keeps it; at stride 3 a dilation can leave the size as it was (6, k 3, p 1: d 1 and 2 both give 2),
    which is why the sentence says stride 1.
    """
    for h, k, d in itertools.product(range(1, 21), range(3, 8, 2), range(2, 6)):
        if h + k - 1 >= d * (k - 1) + 1:
            assert size(h, k, 1, (k - 1) // 2, d) != size(h, k, 1, (k - 1) // 2)
        assert size(h, k, 1, d * (k - 1) // 2, d) == h
    assert size(6, 3, 3, 1, 1) == size(6, 3, 3, 1, 2) == 2


@claim(PAGE, "pitfalls")
def test_wide_span_not_dense():
    r"""
    en: A wide span is not a dense view: a dilated 3×3 kernel still reads nine cells. Thin
    structures between its taps are invisible to that layer.
    zh: 跨度大不等于看得全：膨胀后的 3×3 卷积核仍然只读九个格子，落在它的“孔”之间的细小结构，这一层根本看不到。
    domain: k 3 (and 2–4), dilation 2–5, random kernel: one output cell has a nonzero gradient at k²
    input cells; a line drawn between the taps (every row, one column off the taps) changes no output cell.
    """
    for k, d in itertools.product(range(2, 5), range(2, 6)):
        span = d * (k - 1) + 1
        x = torch.randn(1, 1, span, span, dtype=torch.float64, requires_grad=True)
        w = torch.randn(1, 1, k, k, dtype=torch.float64)
        F.conv2d(x, w, dilation=d)[0, 0, 0, 0].backward()
        assert int((x.grad != 0).sum()) == k * k
        line = x.detach().clone()
        line[..., :, 1] += 5.0
        assert torch.allclose(F.conv2d(line, w, dilation=d), F.conv2d(x.detach(), w, dilation=d))


@claim(PAGE, "pitfalls")
def test_holes_are_not_weights():
    r"""
    en: The holes are not weights: a 3×3 kernel with dilation 2 computes what a 5×5 kernel with
    zeros between its weights would compute, but those zeros are not parameters; they stay zero
    through training.
    zh: 孔不是权重：膨胀率为 2 的 3×3 卷积核与在权重之间补零的 5×5 卷积核算出的结果相同，但那些零不是参数，训练中始终为零。
    domain: (k, d) = (2, 3) and the page's (3, 2), random inputs: the dilated layer equals the
    spread (d(k − 1) + 1)-wide kernel; it has k² + 1 parameters; after three SGD steps the
    spread kernel made from its weight still has zeros in every hole, while an undilated layer of
    the spread size, started from the spread kernel, does not keep them.
    """
    for k, d in ((2, 3), (3, 2)):
        span = d * (k - 1) + 1
        layer = nn.Conv2d(1, 1, k, dilation=d).double()
        assert sum(t.numel() for t in layer.parameters()) == k * k + 1
        wide = nn.Conv2d(1, 1, span).double()
        with torch.no_grad():
            wide.weight.zero_()
            wide.weight[..., ::d, ::d] = layer.weight
            wide.bias.copy_(layer.bias)
        x = torch.randn(2, 1, span + 2, span + 2, dtype=torch.float64)
        assert torch.allclose(layer(x), wide(x))
        target = torch.randn_like(layer(x))
        for net in (layer, wide):
            opt = torch.optim.SGD(net.parameters(), lr=0.01)
            for _ in range(3):
                opt.zero_grad()
                ((net(x) - target) ** 2).mean().backward()
                opt.step()
        holes = torch.ones(span, span, dtype=torch.bool)
        holes[::d, ::d] = False
        assert (wide.weight[0, 0][holes] != 0).any()
        assert layer.weight.shape[-1] == k  # the holes have nowhere to be stored


@claim(PAGE, "exercises")
def test_balanced_ternary():
    r"""
    en: 1, 3, 9 reaches every one of the 27×27 cells of its span (each offset is written
    uniquely as $a + 3b + 9c$ with $a, b, c \in \{-1, 0, 1\}$); 3, 3, 3 reaches only one
    cell in three per axis, 49 of 361.
    zh: 1、3、9 能覆盖跨度 27×27 内的每一个格子（每个偏移都能唯一写成 $a + 3b + 9c$，其中
    $a, b, c \in \{-1, 0, 1\}$）；3、3、3 每个轴上只覆盖三格中的一格，361 个格子里只有 49 个。
    domain: the 27 choices of a, b, c (every offset −13…13 once); autograd over the two 2-D stacks;
    and the path count of 1, 3, 9 is 1 at every cell (unique).
    """
    offsets = Counter(a + 3 * b + 9 * c for a, b, c in itertools.product((-1, 0, 1), repeat=3))
    assert sorted(offsets) == list(range(-13, 14)) and set(offsets.values()) == {1}
    assert (reach_1d([1, 3, 9]) == 1).all()
    for ds, reached in (((1, 3, 9), 729), ((3, 3, 3), 49)):
        layers = [nn.Conv2d(1, 1, 3, dilation=d, bias=False) for d in ds]
        for layer in layers:
            nn.init.ones_(layer.weight)
        span = 1 + sum(2 * d for d in ds)
        x = torch.ones(1, 1, span, span, requires_grad=True)
        nn.Sequential(*layers)(x)[0, 0, 0, 0].backward()
        assert int((x.grad != 0).sum()) == reached


@claim(PAGE, "dilated-kernel")
def test_lockstep_centres():
    r"""
    en: Both are centred on the same input cell in every frame; the
    dilated one has padding 1 so that both outputs are 5×5.
    zh: 每一帧两者都以同一个输入格子为中心；空洞卷积加了 1 圈填充，
    好让两个输出都是 5×5。
    domain: the figure's pair on 7 × 7 (and any H 3–12): a standard 3×3 kernel without padding and a d = 2
    one with padding 1 give outputs of one size, and output cell i of each is centred on input cell i + 1
    (the centre tap's one-hot picks the same cell).
    """
    for h in range(3, 13):
        x = torch.randn(1, 1, h, h, dtype=torch.float64)
        centre = torch.zeros(1, 1, 3, 3, dtype=torch.float64)
        centre[0, 0, 1, 1] = 1
        a = F.conv2d(x, centre)
        b = F.conv2d(x, centre, padding=1, dilation=2)
        assert a.shape == b.shape == (1, 1, h - 2, h - 2)
        assert torch.equal(a, b) and torch.equal(a, x[..., 1:-1, 1:-1])
