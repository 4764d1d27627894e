"""Claims of the receptive-field chapter (docs/*/receptive-field.md), each swept over its domain."""

from __future__ import annotations

import random
from fractions import Fraction

import torch
from torch import nn

from claim import claim
from figures import networks, zoo


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
