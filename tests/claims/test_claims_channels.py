"""The claims of the chapter on channels and groups (docs/*/channels.md), each swept over its
domain with torch (and, for TensorFlow's depthwise convolution, its documented formula computed
directly and JAX's feature_group_count)."""

from __future__ import annotations

import itertools
import os

os.environ.setdefault("XLA_FLAGS", "--xla_backend_optimization_level=0 --xla_llvm_disable_expensive_passes=true")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

from .claim import claim  # noqa: E402

PAGE = "channels"
D = torch.double


def gen(*config) -> torch.Generator:
    return torch.Generator().manual_seed(hash(config) % 2**31)


def randn(*shape, g=None) -> torch.Tensor:
    return torch.randn(*shape, dtype=D, generator=g)


def reads(layer: nn.Module, c_in: int, size: int = 5) -> list[set[int]]:
    """For each output channel, the input channels its values depend on (by autograd)."""
    x = torch.randn(1, c_in, size, size, dtype=D, requires_grad=True)
    y = layer(x)
    found = []
    for j in range(y.shape[1]):
        (grad,) = torch.autograd.grad(y[0, j].sum(), x, retain_graph=True)
        found.append({c for c in range(c_in) if grad[0, c].abs().sum() > 0})
    return found


def conv(c_in, c_out, k, groups=1, bias=True) -> nn.Conv2d:
    layer = nn.Conv2d(c_in, c_out, k, groups=groups, bias=bias, dtype=D)
    with torch.no_grad():  # no weight exactly 0, so that every dependence shows in the gradient
        layer.weight.copy_(layer.weight.sign().clamp(min=0) * 2 - 1 + layer.weight)
    return layer


# ------------------------------------------------------------------------------- channel-sum

@claim(PAGE, "channel-sum")
def test_weight_shape():
    """
    en: The weight of `nn.Conv2d(C_in, C_out, k)` has the shape $[C_\\text{out}, C_\\text{in}, k, k]$.
    zh: `nn.Conv2d(C_in, C_out, k)` 的权重形状是 $[C_\\text{out}, C_\\text{in}, k, k]$。
    domain: C_in 1…6, C_out 1…6, k 1…5
    """
    for c_in, c_out, k in itertools.product(range(1, 7), range(1, 7), range(1, 6)):
        assert nn.Conv2d(c_in, c_out, k).weight.shape == (c_out, c_in, k, k)


@claim(PAGE, "channel-sum")
def test_one_convolution_per_input_channel_summed_plus_one_bias():
    """
    en: Each slice is convolved with its own input channel, exactly as in the single-channel
        pictures, and the $C_\\text{in}$ results are added, cell by cell, plus one bias.
    zh: 每一片和它对应的输入通道做卷积，和单通道的图完全一样；
        然后把 $C_\\text{in}$ 个结果逐格相加，再加上一个偏置。
    domain: one output channel, C_in 1…5, k 1…4, stride 1…2, padding 0…1, a 6×7 input: the
        layer against the sum of C_in single-channel F.conv2d plus the bias
    """
    for c_in, k, s, p in itertools.product(range(1, 6), range(1, 5), range(1, 3), range(0, 2)):
        g = gen(c_in, k, s, p)
        x, w, b = randn(1, c_in, 6, 7, g=g), randn(1, c_in, k, k, g=g), randn(1, g=g)
        parts = sum(F.conv2d(x[:, c:c + 1], w[:, c:c + 1], stride=s, padding=p) for c in range(c_in))
        assert torch.allclose(F.conv2d(x, w, b, stride=s, padding=p), parts + b)


# --------------------------------------------------------------------------- output-channels

@claim(PAGE, "output-channels")
def test_each_output_channel_is_its_own_kernel_reading_all_inputs():
    """
    en: $C_\\text{out}$ output channels are $C_\\text{out}$ such kernels, each with its own bias,
        each reading *all* input channels.
    zh: $C_\\text{out}$ 个输出通道就是 $C_\\text{out}$ 个这样的卷积核，各有各的偏置，每一个都读取*全部*输入通道。
    domain: C_in 1…4, C_out 1…4, k 1…3: output channel j equals the one-output convolution with
        weight[j] and bias[j], and depends on every input channel (autograd)
    """
    for c_in, c_out, k in itertools.product(range(1, 5), range(1, 5), range(1, 4)):
        layer = conv(c_in, c_out, k)
        x = randn(1, c_in, 5, 5, g=gen(c_in, c_out, k))
        y = layer(x)
        for j in range(c_out):
            alone = F.conv2d(x, layer.weight[j:j + 1], layer.bias[j:j + 1])
            assert torch.allclose(y[:, j:j + 1], alone)
        assert reads(layer, c_in) == [set(range(c_in))] * c_out


@claim(PAGE, "output-channels")
def test_channel_count_and_parameters():
    """
    en: the channel count is simply the number of kernels:
        $$ \\text{parameters} = C_\\text{out} \\cdot C_\\text{in} \\cdot k^2 + C_\\text{out} $$
    zh: 通道数就是卷积核的个数：
        $$ \\text{参数量} = C_\\text{out} \\cdot C_\\text{in} \\cdot k^2 + C_\\text{out} $$
    domain: C_in 1…8, C_out 1…8, k 1…5: the output's channel count and the layer's parameter count
    """
    for c_in, c_out, k in itertools.product(range(1, 9), range(1, 9), range(1, 6)):
        layer = nn.Conv2d(c_in, c_out, k)
        assert sum(p.numel() for p in layer.parameters()) == c_out * c_in * k * k + c_out
        assert layer.weight.shape[0] == c_out
    for c_in, c_out, k in itertools.product(range(1, 4), range(1, 5), range(1, 4)):
        assert nn.Conv2d(c_in, c_out, k)(torch.zeros(1, c_in, 6, 6)).shape[1] == c_out


# -------------------------------------------------------------------------------- one-by-one

@claim(PAGE, "one-by-one")
def test_one_by_one_is_a_fully_connected_layer_per_pixel():
    """
    en: With $k = 1$ the window is a single cell: the layer mixes the channels of each pixel with
        the same matrix, and never looks at the neighbours. It is a fully connected layer applied
        to every pixel
    zh: $k = 1$ 时窗口只有一个格子：这一层用同一个矩阵混合每个像素的各个通道，从不看邻居。
        它相当于对每个像素各做一次全连接
    domain: C_in 1…6, C_out 1…6, maps 1×1…4×5, batch 2: the layer against nn.Linear with its
        weight on every pixel; and output pixel (h, w) depends on input pixel (h, w) only (autograd)
    """
    for c_in, c_out, h, w in itertools.product(range(1, 7), range(1, 7), range(1, 5), (1, 5)):
        layer = nn.Conv2d(c_in, c_out, 1, dtype=D)
        linear = nn.Linear(c_in, c_out, dtype=D)
        with torch.no_grad():
            linear.weight.copy_(layer.weight[:, :, 0, 0])
            linear.bias.copy_(layer.bias)
        x = randn(2, c_in, h, w, g=gen(c_in, c_out, h, w))
        assert torch.allclose(layer(x), linear(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2))
    layer = conv(3, 2, 1)
    x = torch.randn(1, 3, 4, 5, dtype=D, requires_grad=True)
    for h, w in itertools.product(range(4), range(5)):
        (grad,) = torch.autograd.grad(layer(x)[0, :, h, w].sum(), x)
        assert (grad[0].abs().sum(0) > 0).nonzero().tolist() == [[h, w]]


# ------------------------------------------------------------------------------------ groups

@claim(PAGE, "groups")
def test_groups_are_g_separate_convolutions():
    """
    en: `groups=g` splits the input channels and the output channels into $g$ groups; each group
        of outputs only reads its own group of inputs. The weight becomes $[C_\\text{out},
        C_\\text{in}/g, k, k]$, $1/g$ of the ungrouped layer's, and the layer is exactly $g$
        separate convolutions side by side.
    zh: `groups=g` 把输入通道和输出通道各分成 $g$ 组，每组输出只读自己那组输入。权重变成 $[C_\\text{out}, C_\\text{in}/g, k, k]$，
        缩小为不分组时的 $1/g$；这一层恰好就是 $g$ 个并排的独立卷积。
    domain: g 1…4, C_in and C_out multiples of g up to 8, k 1…3: the weight shape and size, the
        layer against the g convolutions of its slices concatenated, and which inputs each output
        reads (autograd)
    """
    for g, k in itertools.product(range(1, 5), range(1, 4)):
        for c_in, c_out in itertools.product(range(g, 9, g), range(g, 9, g)):
            layer = conv(c_in, c_out, k, groups=g, bias=False)
            assert layer.weight.shape == (c_out, c_in // g, k, k)
            assert layer.weight.numel() * g == nn.Conv2d(c_in, c_out, k, bias=False).weight.numel()
            x = randn(1, c_in, 5, 5, g=gen(g, k, c_in, c_out))
            i, o = c_in // g, c_out // g
            parts = [F.conv2d(x[:, n * i:(n + 1) * i], layer.weight[n * o:(n + 1) * o]) for n in range(g)]
            assert torch.allclose(layer(x), torch.cat(parts, 1))
            if k == 2 and c_in <= 4:
                assert reads(layer, c_in) == [set(range(j // o * i, (j // o + 1) * i)) for j in range(c_out)]


@claim(PAGE, "groups")
def test_both_channel_counts_divisible_by_g():
    """
    en: Both channel counts must be divisible by $g$.
    zh: 两个通道数都必须能被 $g$ 整除。
    domain: C_in 1…8, C_out 1…8, g 1…8: nn.Conv2d accepts exactly when g divides both
    """
    for c_in, c_out, g in itertools.product(range(1, 9), range(1, 9), range(1, 9)):
        try:
            nn.Conv2d(c_in, c_out, 3, groups=g)
            accepted = True
        except ValueError as error:
            assert "divisible by groups" in str(error)
            accepted = False
        assert accepted == (c_in % g == 0 and c_out % g == 0), (c_in, c_out, g)


@claim(PAGE, "groups")
def test_the_box_never_crosses_into_the_other_half():
    """
    en: With $g = 2$, four input channels and four output channels, each kernel is only two
        channels deep, and the box it slides never crosses into the other half of the input
    zh: 取 $g = 2$，输入、输出各四个通道：每个卷积核只有两个通道深，它滑动时的方块从不伸进输入的另一半
    domain: the page's layer (4 → 4, g = 2, k = 2) on every input size 2…6: weight depth 2, and
        outputs 0, 1 read inputs 0, 1 only, outputs 2, 3 inputs 2, 3 only (autograd)
    """
    layer = conv(4, 4, 2, groups=2)
    assert layer.weight.shape[1] == 2
    for size in range(2, 7):
        assert reads(layer, 4, size) == [{0, 1}, {0, 1}, {2, 3}, {2, 3}]


# ------------------------------------------------------------------------ depthwise-separable

@claim(PAGE, "depthwise-separable")
def test_depthwise_never_mixes_the_channels():
    """
    en: With $g = C_\\text{in}$ (a *depthwise* convolution) every channel is filtered on its own,
        and nothing mixes the channels.
    zh: 当 $g = C_\\text{in}$ 时（*逐通道*卷积，depthwise），每个通道各自滤波，通道之间完全不混合。
    domain: C_in 1…5, channel multiplier m 1…3 (C_out = m·C_in), k 1…3: every output channel
        reads exactly one input channel (autograd), and equals that channel's own convolution
    """
    for c_in, m, k in itertools.product(range(1, 6), range(1, 4), range(1, 4)):
        layer = conv(c_in, m * c_in, k, groups=c_in, bias=False)
        assert all(len(r) == 1 for r in reads(layer, c_in))
        x = randn(1, c_in, 5, 5, g=gen(c_in, m, k))
        y = layer(x)
        for j in range(m * c_in):
            assert torch.allclose(y[:, j:j + 1], F.conv2d(x[:, j // m:j // m + 1], layer.weight[j:j + 1]))


def cost(layer: nn.Module, shape) -> tuple[int, int]:
    with FlopCounterMode(display=False) as counter:
        layer(torch.zeros(shape))
    return sum(p.numel() for p in layer.parameters()), counter.get_total_flops()


@claim(PAGE, "depthwise-separable")
def test_the_cost_table():
    """
    en: For $C_\\text{in} \\to C_\\text{out}$ channels, a $k \\times k$ kernel and an output of
        $H \\times W$ cells, without biases, the work counted in multiply–adds:
    zh: 从 $C_\\text{in}$ 到 $C_\\text{out}$ 个通道、$k \\times k$ 卷积核、输出 $H \\times W$ 个格子，不计偏置，运算量按乘加次数计：
    domain: the table's rows (standard, depthwise + 1×1, their ratio 1/C_out + 1/k²), C_in 1…6,
        C_out 1, 2, 5, 8, k 1…5, output 3×4 (padding k // 2 on odd k, none on even ones): parameters
        counted by torch (no biases), multiply–adds by FlopCounterMode (two operations each), ratio exact
    """
    for c_in, c_out, k in itertools.product(range(1, 7), (1, 2, 5, 8), range(1, 6)):
        p = k // 2 if k % 2 else 0
        shape = (1, c_in, 3 + k - 1 - 2 * p, 4 + k - 1 - 2 * p)
        standard = nn.Conv2d(c_in, c_out, k, padding=p, bias=False)
        separable = nn.Sequential(nn.Conv2d(c_in, c_in, k, padding=p, groups=c_in, bias=False),
                                  nn.Conv2d(c_in, c_out, 1, bias=False))
        (ps, fs), (pd, fd) = cost(standard, shape), cost(separable, shape)
        assert (ps, fs) == (c_out * c_in * k * k, 2 * 3 * 4 * c_out * c_in * k * k)
        assert (pd, fd) == (c_in * k * k + c_out * c_in, 2 * 3 * 4 * (c_in * k * k + c_out * c_in))
        assert pd * c_out * k * k == ps * (k * k + c_out)  # pd / ps = 1/C_out + 1/k², exactly
        assert fd * ps == fs * pd


@claim(PAGE, "depthwise-separable")
def test_the_two_shares_of_the_ratio():
    """
    en: 0.119 of the parameters and of the work, about an eighth: $1/9$ for the 1×1 convolution and
        $1/128$ for the depthwise one.
    zh: 参数量和计算量都只剩 0.119，约八分之一：1×1 卷积占 $1/9$，逐通道卷积占 $1/128$。
    domain: the page's 64 → 128, k = 3 (0.1189); and over C_in 1…6, C_out 1…6, k 1…5 the 1×1
        layer's share of the standard layer's parameters is 1/k² and the depthwise layer's 1/C_out
    """
    assert round(8768 / 73728, 3) == round(1 / 128 + 1 / 9, 3) == 0.119
    for c_in, c_out, k in itertools.product(range(1, 7), range(1, 7), range(1, 6)):
        standard = nn.Conv2d(c_in, c_out, k, bias=False).weight.numel()
        pointwise = nn.Conv2d(c_in, c_out, 1, bias=False).weight.numel()
        depthwise = nn.Conv2d(c_in, c_in, k, groups=c_in, bias=False).weight.numel()
        assert pointwise * k * k == standard and depthwise * c_out == standard


@claim(PAGE, "depth-multiplier")
def test_multiplier_weight_shape_and_output_order():
    """
    en: `nn.Conv2d(C_in, m * C_in, k, groups=C_in)`, whose weight is $[m \\cdot C_\\text{in}, 1, k, k]$.
        The output channels come in blocks of $m$: output channel $j$ filters input channel
        $\\lfloor j / m \\rfloor$
    zh: `nn.Conv2d(C_in, m * C_in, k, groups=C_in)`，权重形状为 $[m \\cdot C_\\text{in}, 1, k, k]$。输出通道 $m$ 个一组：
        第 $j$ 个输出通道滤的是第 $\\lfloor j / m \\rfloor$ 个输入通道
    domain: C_in 1…5, m 1…4, k 1…3: the weight shape, and the input channel each output reads
        (autograd)
    """
    for c_in, m, k in itertools.product(range(1, 6), range(1, 5), range(1, 4)):
        layer = conv(c_in, m * c_in, k, groups=c_in, bias=False)
        assert layer.weight.shape == (m * c_in, 1, k, k)
        assert reads(layer, c_in, 4) == [{j // m} for j in range(m * c_in)]


def tf_depthwise(x: torch.Tensor, w: torch.Tensor, stride: int = 1) -> torch.Tensor:
    """tf.nn.depthwise_conv2d(x, w, [1, s, s, 1], "VALID") as its documentation defines it (NHWC):
    out[b, i, j, c·m + q] = Σ_{di, dj} x[b, s·i + di, s·j + dj, c] · w[di, dj, c, q]."""
    k, _, c_in, m = w.shape
    windows = x.unfold(1, k, stride).unfold(2, k, stride)
    out = torch.einsum("bijcxy,xycq->bijcq", windows, w)
    return out.reshape(*out.shape[:3], c_in * m)


@claim(PAGE, "depth-multiplier")
def test_tensorflow_order_and_the_port():
    """
    en: TensorFlow orders them the same way, output channel $c \\cdot m + q$ for filter $q$ of input
        channel $c$, and keeps the filter as $[k, k, C_\\text{in}, m]$: a `reshape` to $[k, k, m \\cdot
        C_\\text{in}]$ and a `permute` port it.
    zh: TensorFlow 的顺序相同：输入通道 $c$ 的第 $q$ 个滤波器给出第 $c \\cdot m + q$ 个输出通道；它的卷积核存成 $[k, k, C_\\text{in}, m]$，
        先 `reshape` 成 $[k, k, m \\cdot C_\\text{in}]$，再 `permute`，就移植过来了。
    domain: C_in 1…4, m 1…3, k 1…3, s 1…2, a 6×5 NHWC input: TensorFlow's documented formula
        (computed directly) against torch with the ported weight; JAX's feature_group_count (how
        TensorFlow runs it) against the formula on 2 of them
    """
    from jax import lax

    for c_in, m, k, s in itertools.product(range(1, 5), range(1, 4), range(1, 4), (1, 2)):
        g = gen(c_in, m, k, s)
        x_tf, w_tf = randn(1, 6, 5, c_in, g=g), randn(k, k, c_in, m, g=g)
        w_pt = w_tf.reshape(k, k, c_in * m).permute(2, 0, 1)[:, None]
        y_pt = F.conv2d(x_tf.permute(0, 3, 1, 2), w_pt, stride=s, groups=c_in)
        assert torch.allclose(y_pt.permute(0, 2, 3, 1), tf_depthwise(x_tf, w_tf, s))
    for c_in, m, k in ((1, 3, 2), (4, 3, 3)):
        x_tf, w_tf = randn(1, 6, 5, c_in), randn(k, k, c_in, m)
        y = lax.conv_general_dilated(x_tf.float().numpy(), w_tf.reshape(k, k, 1, c_in * m).float().numpy(), (1, 1),
                                     "VALID", feature_group_count=c_in, dimension_numbers=("NHWC", "HWIO", "NHWC"))
        assert np.allclose(np.asarray(y), tf_depthwise(x_tf, w_tf).numpy(), atol=1e-5)


# ------------------------------------------------------------------------------------ layout

@claim(PAGE, "layout")
def test_image_libraries_give_h_w_c():
    """
    en: Image libraries (Pillow through NumPy, OpenCV, matplotlib) give $H \\times W \\times C$.
    zh: 图像库（经 NumPy 读出的 Pillow 图像、OpenCV、matplotlib）给的却是 $H \\times W \\times C$。
    domain: RGB and RGBA images of W × H = 640 × 480, 5 × 3 and 1 × 2, made by Pillow, read back
        through np.asarray and by matplotlib.pyplot.imread from a PNG; OpenCV is not installed here
        (its documentation: an H × W × C array, in BGR order)
    """
    import io

    import matplotlib.image
    from PIL import Image

    for (w, h), mode in itertools.product(((640, 480), (5, 3), (1, 2)), ("RGB", "RGBA")):
        image = Image.new(mode, (w, h))
        c = len(mode)
        assert np.asarray(image).shape == (h, w, c)
        png = io.BytesIO()
        image.save(png, format="PNG")
        png.seek(0)
        assert matplotlib.image.imread(png).shape == (h, w, c)


@claim(PAGE, "layout")
def test_hwc_fed_directly():
    """
    en: Feed that directly and PyTorch reads the height as the channel count, and says so (unless
        the height happens to equal `in_channels`: then it computes, silently, on the wrong axes)
    zh: 直接喂进去，PyTorch 会把高当成通道数，并且在报错里说清楚（除非高恰好等于 `in_channels`，那时它不报错，在错的轴上照算不误）
    domain: an H × W × 3 image (H 1…8, W 3…6) with a batch axis added, into nn.Conv2d(3, 2, k)
        for k 1…3 where the sizes allow: refused with "but got H channels" when H ≠ 3, computed on
        the wrong axes (numbers unlike the permuted image's) when H = 3
    """
    for h, w, k in itertools.product(range(1, 9), range(3, 7), range(1, 4)):
        if k > w:  # the "height" of the misread tensor is W, its "width" 3
            continue
        if k > 3:
            continue
        layer = conv(3, 2, k)
        image = randn(h, w, 3, g=gen(h, w, k))
        if h != 3:
            with pytest.raises(RuntimeError, match=f"but got {h} channels instead"):
                layer(image[None])
        else:
            wrong = layer(image[None])
            right = layer(image.permute(2, 0, 1)[None]) if k <= min(h, w) else None
            assert right is None or wrong.shape != right.shape or not torch.allclose(wrong, right)


@claim(PAGE, "layout")
def test_channels_last_changes_strides_never_the_shape():
    """
    en: `channels_last` is a different thing: it changes how the tensor is laid out in memory
        (what `stride()` reports), never its shape.
    zh: `channels_last` 是另一回事：它改变的是张量在内存里的排列（即 `stride()` 的结果），从不改变形状。
    domain: N 1…2, C 1…4, H 1…4, W 1…4: the shape unchanged, stride() that of an N×H×W×C block,
        the values and a convolution's result unchanged
    """
    for n, c, h, w in itertools.product(range(1, 3), range(1, 5), range(1, 5), range(1, 5)):
        x = randn(n, c, h, w, g=gen(n, c, h, w))
        last = x.to(memory_format=torch.channels_last)
        assert last.shape == x.shape and torch.equal(last, x)
        assert last.stride() == (h * w * c, 1, w * c, c)
        layer = conv(c, 2, 1)
        assert torch.allclose(layer(last), layer(x))


# ---------------------------------------------------------------------------------- pitfalls

@claim(PAGE, "pitfalls")
def test_in_channels_must_match_the_second_axis():
    """
    en: `in_channels` must match the input's second axis, not its last: the error message names
        both numbers.
    zh: `in_channels` 要对上输入的第二个轴，而不是最后一个：报错信息会把两个数都写出来。
    domain: nn.Conv2d(C_in, 2, 1) on inputs of C 1…6 channels (second axis) and a last axis of 1…6
    """
    for c_in, c, last in itertools.product(range(1, 7), range(1, 7), range(1, 7)):
        layer = nn.Conv2d(c_in, 2, 1)
        x = torch.zeros(1, c, 3, last)
        if c == c_in:
            layer(x)
        else:
            with pytest.raises(RuntimeError) as error:
                layer(x)
            assert f"to have {c_in} channels, but got {c} channels instead" in str(error.value)


@claim(PAGE, "pitfalls")
def test_bias_is_one_per_output_channel_after_the_sum():
    """
    en: The bias is one number per output channel, added after the sum over input channels, not
        one per input channel.
    zh: 偏置是每个输出通道一个，在对输入通道求和之后才加，而不是每个输入通道一个。
    domain: C_in 1…5, C_out 1…5, k 1…3: the bias has C_out numbers, and the output is the
        bias-free output plus bias[j] once per channel j (not C_in times)
    """
    for c_in, c_out, k in itertools.product(range(1, 6), range(1, 6), range(1, 4)):
        layer = nn.Conv2d(c_in, c_out, k, dtype=D)
        assert layer.bias.shape == (c_out,)
        x = randn(1, c_in, 4, 4, g=gen(c_in, c_out, k))
        plain = F.conv2d(x, layer.weight)
        assert torch.allclose(layer(x), plain + layer.bias.view(1, -1, 1, 1))


@claim(PAGE, "pitfalls")
def test_grouped_weight_has_c_in_over_g_input_channels():
    """
    en: `groups` must divide both channel counts; and a grouped layer's weight has
        $C_\\text{in}/g$ input channels, which surprises code that reads `weight.shape[1]`.
    zh: `groups` 必须同时整除两个通道数；分组层权重的第二个维度是 $C_\\text{in}/g$，直接读 `weight.shape[1]` 的代码常会因此出错。
    domain: C_in, C_out 1…8, g 1…8 where g divides both: weight.shape[1] is C_in/g (not C_in
        unless g = 1); the refusals where it does not are test_both_channel_counts_divisible_by_g's
    """
    for c_in, c_out, g in itertools.product(range(1, 9), range(1, 9), range(1, 9)):
        if c_in % g or c_out % g:
            continue
        shape = nn.Conv2d(c_in, c_out, 3, groups=g).weight.shape
        assert shape[1] == c_in // g and (shape[1] == c_in) == (g == 1)


@claim(PAGE, "pitfalls")
def test_depthwise_alone_never_combines_channels():
    """
    en: Depthwise is not separable: without the 1×1 convolution after it, a depthwise layer never
        combines information across channels.
    zh: 逐通道卷积不等于深度可分离卷积：少了后面的 1×1 卷积，逐通道卷积层永远不会把不同通道的信息合在一起。
    domain: C_in 2…5, m 1…2, k 1…3: every output of the depthwise layer reads one input channel;
        with the 1×1 layer after it (C_out 1…3) every output reads all of them (autograd)
    """
    for c_in, m, k in itertools.product(range(2, 6), range(1, 3), range(1, 4)):
        depthwise = conv(c_in, m * c_in, k, groups=c_in)
        assert all(len(r) == 1 for r in reads(depthwise, c_in))
        for c_out in range(1, 4):
            separable = nn.Sequential(depthwise, conv(m * c_in, c_out, 1))
            assert reads(separable, c_in) == [set(range(c_in))] * c_out


@claim(PAGE, "pitfalls")
def test_reshape_keeps_memory_order_and_scrambles():
    """
    en: `permute` is not `reshape`/`view`: `x.reshape(1, 3, 480, 640)` on an $H \\times W \\times C$
        image keeps the numbers in memory order and scrambles the picture.
    zh: `permute` 不是 `reshape`/`view`：对 $H \\times W \\times C$ 的图像做 `x.reshape(1, 3, 480, 640)`，数字按内存顺序重新排列，图像就乱了。
    domain: the page's 480×640×3 image of distinct numbers, and every H 1…6, W 1…6 with 3
        channels: the reshape is the flat memory order, and differs from the permute whenever the
        image has more than one pixel
    """
    for h, w in list(itertools.product(range(1, 7), range(1, 7))) + [(480, 640)]:
        x = torch.arange(h * w * 3.0).reshape(h, w, 3)
        reshaped = x.reshape(1, 3, h, w)
        assert torch.equal(reshaped.flatten(), x.flatten())
        assert torch.equal(reshaped, x.permute(2, 0, 1)[None]) == (h * w == 1)


# --------------------------------------------------------------------------------- exercises

@claim(PAGE, "exercises")
def test_exercise_one_a_quarter_of_the_weights():
    """
    en: $256 \\cdot (128/4) \\cdot 3 \\cdot 3 + 256$: a quarter of the weights of the ungrouped layer.
    zh: $256 \\cdot (128/4) \\cdot 3 \\cdot 3 + 256$：权重只有不分组时的四分之一。
    domain: the exercise's layer (73,984 parameters, a quarter of 294,912 weights), and over
        C_in, C_out multiples of 4 up to 32, k 1…3: groups=4 keeps a quarter of the weights
    """
    layer = nn.Conv2d(128, 256, 3, groups=4)
    assert sum(p.numel() for p in layer.parameters()) == 256 * (128 // 4) * 3 * 3 + 256 == 73984
    assert layer.weight.numel() * 4 == nn.Conv2d(128, 256, 3).weight.numel()
    for c_in, c_out, k in itertools.product(range(4, 33, 4), range(4, 33, 4), range(1, 4)):
        assert nn.Conv2d(c_in, c_out, k, groups=4).weight.numel() * 4 == c_out * c_in * k * k


@claim(PAGE, "exercises")
def test_exercise_two_the_ratio():
    """
    en: $1 / (1/128 + 1/9) \\approx 8.4$.
    zh: $1 / (1/128 + 1/9) \\approx 8.4$。
    domain: the exercise's 128 → 128, k = 3, 28×28 (FlopCounterMode: 8.41); and the operation
        ratio of a standard to a separable layer is 1 / (1/C_out + 1/k²) for C_in = C_out 1…8,
        k 1…5 (exact, as a fraction)
    """
    full = cost(nn.Conv2d(128, 128, 3, padding=1, bias=False), (1, 128, 28, 28))[1]
    sep = cost(nn.Sequential(nn.Conv2d(128, 128, 3, padding=1, groups=128, bias=False),
                             nn.Conv2d(128, 128, 1, bias=False)), (1, 128, 28, 28))[1]
    assert round(full / sep, 1) == round(1 / (1 / 128 + 1 / 9), 1) == 8.4
    for c, k in itertools.product(range(1, 9), range(1, 6)):
        p = k // 2 if k % 2 else 0
        shape = (1, c, 3 + k - 1 - 2 * p, 3 + k - 1 - 2 * p)
        full = cost(nn.Conv2d(c, c, k, padding=p, bias=False), shape)[1]
        sep = cost(nn.Sequential(nn.Conv2d(c, c, k, padding=p, groups=c, bias=False),
                                 nn.Conv2d(c, c, 1, bias=False)), shape)[1]
        assert full * (k * k + c) == sep * c * k * k  # full / sep = 1 / (1/C + 1/k²)


@claim(PAGE, "exercises")
def test_exercise_three_frames_become_the_batch():
    """
    en: The frames become the batch axis; the colour axis moves to position 1.
    zh: 帧数成为批量轴，颜色轴挪到第 1 个位置。
    domain: clips of F 1…4 frames of H 1…3 × W 1…3 × 3 distinct numbers: permute(0, 3, 1, 2)
        gives batch[f, c, h, w] = clip[f, h, w, c], accepted by nn.Conv2d(3, …)
    """
    layer = nn.Conv2d(3, 2, 1)
    for f, h, w in itertools.product(range(1, 5), range(1, 4), range(1, 4)):
        clip = torch.arange(f * h * w * 3.0).reshape(f, h, w, 3)
        batch = clip.permute(0, 3, 1, 2)
        for n, c, y, x in itertools.product(range(f), range(3), range(h), range(w)):
            assert batch[n, c, y, x] == clip[n, y, x, c]
        assert layer(batch).shape == (f, 2, h, w)
