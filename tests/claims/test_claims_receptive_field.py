"""Claims of the receptive-field chapter (docs/*/receptive-field.md), each swept over its domain."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import torch
from torch import nn

from .claim import claim

from figures import networks, zoo

x64 = dict(dtype=torch.float64)


def supports(model: nn.Module, length: int, cells) -> list[tuple[int, int]]:
    """For each output cell, the first and last input cell whose gradient reaches it (1-D, float64):
    one backward pass, each cell in a batch item of its own."""
    cells = list(cells)
    x = torch.rand(1, 1, length, dtype=torch.float64).repeat(len(cells), 1, 1) + 0.5
    x.requires_grad_(True)
    y = model(x)
    y[torch.arange(len(cells)), 0, torch.tensor(cells)].sum().backward()
    found = []
    for n in range(len(cells)):
        nonzero = (x.grad[n, 0] != 0).nonzero().flatten()
        found.append((int(nonzero[0]), int(nonzero[-1])))
    return found


def positive_conv(k, s, p, d):
    conv = nn.Conv1d(1, 1, k, stride=s, padding=p, dilation=d).double()
    with torch.no_grad():
        conv.weight.uniform_(0.5, 1.5)
        conv.bias.fill_(0.1)  # positive inputs stay positive: a ReLU above cuts no path
    return conv


def random_layer(rng: random.Random):
    kind = rng.choice(["conv", "conv", "avg", "relu", "bn"])
    k, s, d = rng.randint(1, 5), rng.randint(1, 3), rng.randint(1, 2)
    p = rng.randint(0, (k - 1) * d // 2 + 1)
    if kind == "conv":
        return positive_conv(k, s, p, d), (k, s, p, d)
    if kind == "avg":
        p = min(p, k // 2)
        return nn.AvgPool1d(k, stride=s, padding=p), (k, s, p, 1)
    if kind == "relu":
        return nn.ReLU(), None
    bn = nn.BatchNorm1d(1).double().eval()
    with torch.no_grad():
        bn.weight.fill_(2.0)
    return bn, None


@claim("receptive-field", "formulas")
def test_closed_form_places_the_field():
    """
    en: output cell $u$ sees input cells $uJ_L - P_L$ to
      $uJ_L - P_L + r_L - 1$.
    zh: 输出格子 $u$ 看到的是第 $uJ_L - P_L$ 到第 $uJ_L - P_L + r_L - 1$ 个输入格子。
    domain: 300 random 1-D chains of 1–5 layers (convolutions and average poolings with k 1–5, s 1–3,
      d 1–2, p up to about half the span; ReLU; batch normalisation in eval mode), every output cell
      whose field lies inside the input: autograd's support is exactly
      that range.
    """
    rng = random.Random(0)
    torch.manual_seed(0)
    checked = 0
    for _ in range(300):
        layers, params = [], []
        for _ in range(rng.randint(1, 5)):
            layer, p = random_layer(rng)
            layers.append(layer)
            if p:
                params.append(p)
        r, jump, pad = 1, 1, 0
        for k, s, p, d in params:
            r, pad, jump = r + d * (k - 1) * jump, pad + p * jump, jump * s
        model = nn.Sequential(*layers)
        length = 60 + r
        try:
            out = model(torch.zeros(1, 1, length, dtype=torch.float64)).shape[-1]
        except RuntimeError:
            continue  # a pooling with more padding than torch allows, or an empty output
        cells = [u for u in range(out) if u * jump - pad >= 0 and u * jump - pad + r - 1 < length]
        if not cells:
            continue
        for u, found in zip(cells, supports(model, length, cells)):
            assert found == (u * jump - pad, u * jump - pad + r - 1), (params, u)
            checked += 1
    assert checked > 3000


@claim("receptive-field", "real-networks")
def test_a_layer_moves_the_centre():
    """
    en: a layer with kernel $k$, dilation $d$ and padding $p$ on both sides moves the centre
      by $d\\,(k - 1)/2 - p$ cells of the map it reads.
    zh: 卷积核为 $k$、膨胀率为 $d$、两侧各填充 $p$ 的一层，会让中心移动 $d\\,(k - 1)/2 - p$ 格（以这一层读入的那张特征图计）。
    domain: a first convolution ((k, s, p) = (1, 1, 0), (4, 2, 1), (2, 3, 0)) under a second layer, a convolution or an average
      pooling, with k 1–6, s 1–3, d 1–3 (1 for pooling), p 0 to half the kernel's span: the centre of
      autograd's support of every output cell inside the input, minus u·J, moves by d(k−1)/2 − p cells of
      the first layer's output.
    """
    torch.manual_seed(1)
    for k0, s0, p0 in [(1, 1, 0), (4, 2, 1), (2, 3, 0)]:
                first = positive_conv(k0, s0, p0, 1)
                before = Fraction(k0 - 1, 2) - p0
                for kind in ("conv", "avg"):
                    for k in range(1, 7):
                        for s in range(1, 4):
                            for d in (range(1, 4) if kind == "conv" else (1,)):
                                for p in range(0, d * (k - 1) // 2 + 1):
                                    if kind == "avg" and p > k // 2:
                                        continue
                                    second = (positive_conv(k, s, p, d) if kind == "conv"
                                              else nn.AvgPool1d(k, stride=s, padding=p))
                                    model = nn.Sequential(first, second)
                                    length = 48
                                    out = model(torch.zeros(1, 1, length, dtype=torch.float64)).shape[-1]
                                    for u, (lo, hi) in zip(range(out), supports(model, length, range(out))):
                                        start = u * s0 * s - (p0 + p * s0)
                                        if start < 0 or start + (k0 - 1) + d * (k - 1) * s0 >= length:
                                            continue  # the field is cut by the border
                                        centre = Fraction(lo + hi, 2) - u * s0 * s
                                        assert centre == before + (Fraction(d * (k - 1), 2) - p) * s0, (k0, s0, p0, kind, k, s, d, p, u)


def _pool_rows(name, pools):
    with torch.device("meta"):
        model = zoo.MODELS[name]()
    rows = dict(networks.stage_fields(model, zoo.INPUT[name], zoo.STAGES[name]))
    stages = dict(zoo.STAGES[name])
    return model, rows, stages


@claim("receptive-field", "real-networks")
def test_the_poolings_of_alexnet_googlenet_and_vgg():
    """
    en: VGG's 2×2 poolings move the centre by half a cell each time (15.5 at pool5); AlexNet's 3×3
      poolings and GoogLeNet's first three, which have no padding, move it by a whole cell each, and
      GoogLeNet's last, a 2×2 pooling, by half a cell (14 to 22 at pool4, where a cell of the map it
      pools is 16 pixels); AlexNet's 11×11 first convolution, padded by 2 instead of 5, moves it by 3.
    zh: VGG 的 2×2 池化每次让中心移动半格（到 pool5 时为 15.5）；AlexNet 的 3×3 池化和 GoogLeNet 的前三个池化都不加填充，每次移动一整格；
      GoogLeNet 的最后一个池化是 2×2 的，只移动半格（pool4 处从 14 变成 22，它所池化的特征图上一格是 16 个像素）；
      AlexNet 第一层的 11×11 卷积只填充 2 而不是 5，让中心移动了 3。
    domain: every pooling stage of the three networks as built by figures.zoo: the pooling's kernel,
      padding and stride read from the module, the centre before it (the previous pooling's, or the
      first convolution's) and after it from figures.networks; no other layer between them moves it.
    """
    expected = {"alexnet": (["pool1", "pool2", "pool5"], Fraction(3), 1),
                "googlenet": (["pool1", "pool2", "pool3", "pool4"], Fraction(0), None),
                "vgg16": (["pool1", "pool2", "pool3", "pool4", "pool5"], Fraction(0), Fraction(1, 2))}
    for name, (pools, centre, cells) in expected.items():
        model, rows, stages = _pool_rows(name, pools)
        if name == "alexnet":
            conv = model.features[0]
            assert conv.kernel_size == (11, 11) and conv.padding == (2, 2)
            assert Fraction(11 - 1, 2) - 2 == 3 == centre
        for pool in pools:
            module = model.get_submodule(stages[pool])
            k = module.kernel_size if isinstance(module.kernel_size, int) else module.kernel_size[0]
            s = module.stride if isinstance(module.stride, int) else module.stride[0]
            p = module.padding if isinstance(module.padding, int) else module.padding[0]
            axis = rows[pool].axes[0]
            jump_in = axis.jump / s
            moved = axis.centres[0] - centre
            assert p == 0 and moved == (Fraction(k - 1, 2) - p) * jump_in, (name, pool)
            whole = k == 3
            if name == "googlenet":
                assert whole == (pool != "pool4")
            if cells is not None:
                assert moved / jump_in == cells
            else:
                assert moved / jump_in == (1 if whole else Fraction(1, 2))
            centre = axis.centres[0]
        if name == "googlenet":
            assert rows["pool3"].axes[0].centres[0] == 14 and rows["pool4"].axes[0].centres[0] == 22
            assert rows["pool4"].axes[0].jump / 2 == 16


@claim("receptive-field", "pitfalls")
def test_a_field_larger_than_the_image_leaves_it_everywhere():
    """
    en: and then every cell's field reaches beyond the image into the padding, the middle
      cell's too: ResNet-18's middle cell of layer4 sees pixels −121 to 313, where the image has 0 to 223.
    zh: 这时每个格子的感受野都会越出图像、伸进填充区，中间那一格也不例外：ResNet-18 的 layer4 中间那一格看的是第 −121 到第 313 个像素，而图像只有第 0 到第 223 个。
    domain: every stage of the twelve networks of figures.zoo whose field is larger than its input, every
      cell of its map, both axes: the cell's window starts before pixel 0 or ends after the last pixel;
      ResNet-18's layer4 middle cell on both sides.
    """
    seen = 0
    for name in zoo.MODELS:
        with torch.device("meta"):
            model = zoo.MODELS[name]()
        size = zoo.INPUT[name]
        for label, field in networks.stage_fields(model, size, zoo.STAGES[name]):
            if field.global_ or not all(a.size > size for a in field.axes):
                continue
            for i in range(field.output[0]):
                for j in range(field.output[1]):
                    for first, last in networks.window(field, (i, j)):
                        assert first < 0 or last > size - 1, (name, label, i, j)
                        seen += 1
            if (name, label) == ("resnet18", "layer4"):
                assert networks.window(field, (3, 3)) == ((-121, 313), (-121, 313))
    assert seen > 100


def chain_support(layers, length, cell):
    """Autograd's support of output ``cell`` through 1-D convolutions of ones given as (k, s, p, d)."""
    model = nn.Sequential(*[nn.Conv1d(1, 1, k, stride=s, padding=p, dilation=d, bias=False).double()
                            for k, s, p, d in layers])
    with torch.no_grad():
        for conv in model:
            conv.weight.fill_(1.0)
    return supports(model, length, [cell])[0]


@claim("receptive-field", "stride-and-dilation")
def test_a_stride_doubles_what_each_later_layer_adds():
    """
    en: Every later kernel then steps over the input two cells at a
      time, so each later layer adds twice as much to the field. [Dilation](glossary.md#dilation)
      spreads a kernel's taps, so one layer adds $d\\,(k-1)$ instead of $k-1$
    zh: 之后每一层的卷积核在输入上都是两格两格地跨，所以之后每一层给感受野增加的量，都是没有这个步幅时的两倍。
      膨胀率让卷积核的各个权重彼此隔开，一层增加的是 $d\\,(k-1)$ 而不是 $k-1$
    domain: a first layer (k 1–4, stride 1 or 2) under 1–4 later layers of k 1–4 and d 1–3 (stride 1):
      each later layer adds d(k−1) times the first stride to the span autograd finds; with stride 2 it is
      twice what it is with stride 1.
    """
    rng = random.Random(4)
    for _ in range(120):
        k0 = rng.randint(1, 4)
        later = [(rng.randint(1, 4), 1, 0, rng.randint(1, 3)) for _ in range(rng.randint(1, 4))]
        added = {}
        for s0 in (1, 2):
            widths = []
            for n in range(len(later) + 1):
                lo, hi = chain_support([(k0, s0, 0, 1)] + later[:n], 120, 0)
                widths.append(hi - lo + 1)
            added[s0] = [b - a for a, b in zip(widths, widths[1:])]
            assert added[s0] == [d * (k - 1) * s0 for k, _, _, d in later]
        assert added[2] == [2 * a for a in added[1]]


@claim("receptive-field", "effective-receptive-field")
def test_sigma_of_uniform_three_by_three_stacks():
    """
    en: σ/√n stays constant while r/n tends to 2 … (For uniform 3×3 weights σ is exactly $\\sqrt{2n/3}$: the gradient is
      the $n$-fold convolution of a box of variance 2/3.)
    zh: σ/√n 保持不变，r/n 趋向 2 …（对均匀的 3×3 权重，σ 恰好是 $\\sqrt{2n/3}$：梯度是方差为 2/3 的方框函数自身卷积 $n$ 次。）
    domain: stacks of n = 1–24 uniform 3×3 convolutions (2-D, stride 1, no padding): the gradient of the
      centre cell, as weights over the input, has variance exactly 2n/3 along each axis (to 1e-9), so
      σ/√n = √(2/3) for every n, and r/n = (2n + 1)/n tends to 2.
    """
    for n in range(1, 25):
        size = 2 * n + 3
        x = torch.ones(1, 1, size, size, **x64, requires_grad=True)
        y = x
        for _ in range(n):
            y = torch.nn.functional.conv2d(y, torch.full((1, 1, 3, 3), 1 / 9, **x64))
        y[0, 0, y.shape[-2] // 2, y.shape[-1] // 2].backward()
        g = x.grad[0, 0]
        g = g / g.sum()
        coords = torch.arange(size, **x64)
        for marginal in (g.sum(0), g.sum(1)):
            mean = (marginal * coords).sum()
            variance = (marginal * (coords - mean) ** 2).sum()
            assert abs(float(variance) - 2 * n / 3) < 1e-9, n
        assert int((g != 0).sum(0).max()) == 2 * n + 1  # r = 2n + 1


@claim("receptive-field", "pitfalls")
def test_branches_are_a_union_and_a_shortcut_adds_nothing():
    """
    en: **Branches are a union, not the longest path.** A cell sees what any of its paths sees. A
      shortcut adds nothing to the field, but a branch with an even kernel or asymmetric padding moves
      the centre
    zh: **有分支时取并集，而不是取最长的那条路径。**任何一条路径看得到的，这个格子都看得到。捷径不会扩大感受野，
      但某条分支上的偶数卷积核或不对称填充会让中心偏移
    domain: y = f(x) + g(x) for every pair of 1-D branches f, g with k 1–6 and left/right paddings 0–3 that
      give the same output length (g = the identity is a shortcut), kernels of ones: each output cell's
      support is the union of the two branches' windows; with a shortcut it is f's alone; a branch's
      centre is u + (k − 1)/2 − left, which moves off u (by half a cell or more) exactly when k − 1 ≠ 2·left.
    """
    length = 30
    branches = [(k, left, right) for k in range(1, 7) for left in range(4) for right in range(4)]
    for (k1, l1, r1), (k2, l2, r2) in itertools.product(branches, repeat=2):
        if l1 + r1 - k1 != l2 + r2 - k2:
            continue
        def model(x, k1=k1, l1=l1, r1=r1, k2=k2, l2=l2, r2=r2):
            f = torch.nn.functional.conv1d(torch.nn.functional.pad(x, (l1, r1)), torch.ones(1, 1, k1, **x64))
            g = torch.nn.functional.conv1d(torch.nn.functional.pad(x, (l2, r2)), torch.ones(1, 1, k2, **x64))
            return f + g
        out = length + l1 + r1 - k1 + 1
        cells = [u for u in range(out) if min(u - l1, u - l2) >= 0 and max(u - l1 + k1, u - l2 + k2) <= length]
        for u, found in zip(cells, supports(model, length, cells)):
            assert found == (min(u - l1, u - l2), max(u - l1 + k1 - 1, u - l2 + k2 - 1))
            if (k2, l2, r2) == (1, 0, 0):  # a shortcut
                assert found == (u - l1, u - l1 + k1 - 1)
        moved = Fraction(k2 - 1, 2) - l2
        assert (moved != 0) == (k2 - 1 != 2 * l2) and (moved == 0 or abs(moved) >= Fraction(1, 2))


@claim("receptive-field", "pitfalls")
def test_squeeze_and_excitation_sees_the_whole_image():
    """
    en: **Squeeze-and-excitation sees the whole image.** From the first such block on, every cell depends
      on every input cell
    zh: **squeeze-and-excitation 看得到整张图。**从第一个这样的模块起，每个格子都依赖全部输入格子
    domain: a 3×3 convolution, then a squeeze-and-excitation block (global average, two 1×1 layers,
      sigmoid, a product with the map), then 0–2 more 3×3 convolutions, on inputs 6–12 square, random
      positive weights (no ReLU dead by chance): a corner, the middle and an edge cell's gradient is
      nonzero at every input cell.
    """
    torch.manual_seed(5)
    for size in range(6, 13, 2):
        for after in range(3):
            conv = nn.Conv2d(2, 4, 3, padding=1).double()
            squeeze = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(4, 2, 1), nn.ReLU(), nn.Conv2d(2, 4, 1),
                                    nn.Sigmoid()).double()
            rest = nn.Sequential(*[nn.Conv2d(4, 4, 3, padding=1) for _ in range(after)]).double()
            with torch.no_grad():  # positive weights: no ReLU is dead, so no path is cut by chance
                for layer in [conv, *squeeze, *rest]:
                    if isinstance(layer, nn.Conv2d):
                        layer.weight.uniform_(0.1, 1.0)
                        layer.bias.fill_(0.1)
            for i, j in ((0, 0), (size // 2, size // 2), (size - 1, 1)):
                x = torch.rand(1, 2, size, size, **x64, requires_grad=True)
                h = conv(x)
                rest(h * squeeze(h))[0, 0, i, j].backward()
                assert bool((x.grad.abs().sum(1) != 0).all()), (size, after, i, j)


def random_chain_2d(rng: random.Random, transposed: bool):
    """A 2-D chain of 1–4 layers from figures.receptive's layer types (square kernels)."""
    layers = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(["conv", "conv", "max", "avg", "relu", "bn"] + (["transposed"] * 3 if transposed else []))
        k, s, d = rng.randint(1, 4), rng.randint(1, 3), rng.randint(1, 2)
        if kind == "conv":
            layers.append(nn.Conv2d(1, 1, k, stride=s, padding=rng.randint(0, 2), dilation=d))
        elif kind == "transposed":
            layers.append(nn.ConvTranspose2d(1, 1, k, stride=s, padding=rng.randint(0, 1), dilation=d))
        elif kind == "max":
            layers.append(nn.MaxPool2d(k, s, rng.randint(0, k // 2), dilation=d, ceil_mode=rng.random() < 0.3))
        elif kind == "avg":
            layers.append(nn.AvgPool2d(k, s, rng.randint(0, k // 2)))
        elif kind == "relu":
            layers.append(nn.ReLU())
        else:
            layers.append(nn.BatchNorm2d(1))
    return nn.Sequential(*layers)


@claim("receptive-field", "receptive-fields")
def test_closed_form_and_autograd_agree_without_transposed_layers():
    """
    en: This chapter computes
      the answer in closed form and measures it with autograd; for chains of convolutions and
      poolings the two agree.
    zh: 这一章先用闭式公式算，再用自动求导去量；对由卷积和池化组成的层序列，两者一致。
    domain: 150 random 2-D chains of 1–4 layers (convolutions k 1–4, s 1–3, d 1–2, p 0–2; max poolings
      with dilation and ceil_mode; average poolings; ReLU; batch normalisation), inputs 10–18 square,
      every output cell whose closed-form window lies inside the input: the closed form's first and
      last cell on each axis are those of the cells autograd finds (receptive.measure).
    """
    from figures import receptive as R
    rng = random.Random(28)
    checked = 0
    for _ in range(150):
        model, n = random_chain_2d(rng, transposed=False), rng.randint(10, 18)
        try:
            fields = R.receptive_field(model, n)
        except ValueError:
            continue
        if not fields:
            continue
        oh, ow = fields[-1].output
        for cell in {(0, 0), (oh // 2, ow // 2), (oh - 1, ow - 1)}:
            window = fields[-1].window(cell)
            if any(lo < 0 or hi > n - 1 for lo, hi in window):
                continue
            rows, cols = R.measure(model, n, cell)
            assert window == ((min(rows), max(rows)), (min(cols), max(cols))), (model, n, cell)
            checked += 1
    assert checked > 100


@claim("receptive-field", "formulas")
def test_a_transposed_layer_makes_the_closed_form_a_bound():
    """
    en: A transposed convolution divides the effective stride by its stride; the field
      can then come out fractional, and the closed form only bounds the cells autograd finds
    zh: 转置卷积则把等效步幅除以它的步幅；这时感受野可能不是整数，闭式公式给出的范围只是把自动求导找到的格子包在里面，不一定正好相等
    domain: every ConvTranspose2d with k 1–3, s 1–3, p 0–1, followed by a Conv2d with k 1–3, on a 6×6
      input, every output row: J is 1/s after the transposed layer; autograd's cells lie within the
      closed form's window, and for some configurations the window is fractional and strictly larger.
    """
    from figures import receptive as R
    strictly_larger = 0
    for k, s, p, k2 in itertools.product(range(1, 4), range(1, 4), range(2), range(1, 4)):
        model = nn.Sequential(nn.ConvTranspose2d(1, 1, k, stride=s, padding=p), nn.Conv2d(1, 1, k2))
        try:
            fields = R.receptive_field(model, 6)
        except ValueError:
            continue
        assert fields[0].jump[0] == Fraction(1, s)
        for u in range(fields[-1].output[0]):
            (lo, hi), _ = fields[-1].window((u, 0))
            found = R.measure(model, 6, (u, 0))[0]
            if not found:
                continue  # a cell on inserted zeros depends on no input cell
            assert lo <= min(found) and max(found) <= hi, (k, s, p, k2, u)
            strictly_larger += (lo, hi) != (min(found), max(found))
    assert strictly_larger > 0
