"""The claims of the shape-debugging chapter (docs/en/shapes.md, docs/zh/shapes.md)."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from .claim import claim

PAGE = "shapes"
torch.manual_seed(0)


def small_net():
    return nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(8 * 2 * 2, 5),
    )


@claim(PAGE, "trace")
def test_forward_hook():
    r"""
    en: A forward hook is a function that PyTorch calls after a module's `forward`, with the module, its
    inputs and its output. Registering one on every leaf module prints the shapes layer by layer,
    without changing the model; removing the hooks afterwards leaves the model as it was:
    zh: 前向钩子（forward hook）是 PyTorch 在模块的 `forward` 之后调用的函数，参数是模块、它的输入和输出。给每个叶子模块都注册一个，
    就能逐层打印形状，而不必改动模型；用完把钩子移除，模型就恢复原样：
    domain: a small conv net on random 8 × 8 inputs of batch 1–3: each hook is called once per leaf, in
    order, after forward (its output is the module's own output for those inputs), with the module and
    a tuple of inputs; the model's output is the same with the hooks, and after remove() no hook is left
    and the state dict is unchanged.
    """
    net = small_net()
    state = {k: v.clone() for k, v in net.state_dict().items()}
    leaves = [m for m in net.modules() if not list(m.children())]
    for n in (1, 2, 3):
        x = torch.randn(n, 3, 8, 8)
        plain = net(x)
        calls, handles = [], []
        for leaf in leaves:
            def hook(mod, inputs, output):
                assert isinstance(inputs, tuple)
                assert torch.equal(output, mod.forward(*inputs))
                calls.append(mod)
            handles.append(leaf.register_forward_hook(hook))
        assert torch.equal(net(x), plain)
        assert calls == leaves
        for h in handles:
            h.remove()
        assert all(not m._forward_hooks for m in net.modules())
    assert all(torch.equal(v, state[k]) for k, v in net.state_dict().items())


@claim(PAGE, "trace")
def test_by_hand_sizes():
    r"""
    en: a 3×3 convolution with padding 1 keeps 32×32; each 2×2 max pooling halves it, 32 → 16 → 8;
    flattening 32 channels of 8×8 gives $32 · 8 · 8 = 2048$ numbers, the `in_features` of the linear layer.
    zh: 填充为 1 的 3×3 卷积保持 32×32 不变；每个 2×2 最大池化把尺寸减半，32 → 16 → 8；
    把 32 个 8×8 的通道拉平，得到 $32 · 8 · 8 = 2048$ 个数，这就是线性层的 `in_features`。
    domain: H 1–40: the 3×3 convolution with padding 1 keeps H; MaxPool2d(2) gives ⌊H/2⌋ (halves the
    even sizes of this trace); nn.Flatten of C × h × w gives C·h·w.
    """
    for h in range(1, 41):
        z = torch.zeros(1, 1, h, h, device="meta")
        assert F.conv2d(z, torch.zeros(1, 1, 3, 3, device="meta"), padding=1).shape[-1] == h
        if h >= 2:
            assert F.max_pool2d(z, 2).shape[-1] == h // 2
    for c, h, w in itertools.product((1, 3, 32), (1, 8), (1, 8, 5)):
        assert nn.Flatten()(torch.zeros(2, c, h, w)).shape == (2, c * h * w)


@claim(PAGE, "trace")
def test_meta_device():
    r"""
    en: The same trace runs on the `meta` device, where tensors have shapes but no data
    zh: 同样的追踪也能在 `meta` 设备上运行：那里的张量只有形状、没有数据。
    domain: Conv2d (k 1–5, stride 1–2, padding 0–2), MaxPool2d, ConvTranspose2d, Linear on inputs 5–9: the
    meta device gives the CPU's output shapes; a meta tensor has no values to read, and its storage
    has no bytes allocated.
    """
    for k, s, p, h in itertools.product(range(1, 6), (1, 2), range(0, 3), range(5, 10)):
        if h + 2 * p < k or p > k // 2:
            continue
        for layer in (nn.Conv2d(2, 3, k, stride=s, padding=p), nn.MaxPool2d(k, stride=s, padding=p),
                      nn.ConvTranspose2d(2, 3, k, stride=s, padding=p)):
            cpu = layer(torch.zeros(1, 2, h, h)).shape
            assert layer.to("meta")(torch.empty(1, 2, h, h, device="meta")).shape == cpu
    y = nn.Linear(4, 3).to("meta")(torch.empty(64, 4, device="meta"))
    assert y.shape == (64, 3) and y.is_meta
    with pytest.raises(Exception):
        y.tolist()
    assert torch.empty(64, 3, 1024, 1024, device="meta").untyped_storage().data_ptr() == 0


@claim(PAGE, "mistakes")
def test_torch_version():
    r"""
    en: Each message below is what torch 2.13 prints; the snippets under the table produce them.
    zh: 下面每条信息都是 torch 2.13 实际打印的；表格下方的代码片段会产生它们。
    domain: the installed torch (the snippets that print the messages run as tests on this version).
    """
    assert torch.__version__.startswith("2.13.")


@claim(PAGE, "mistakes")
def test_channels_last_message():
    r"""
    en: Images from PIL, NumPy or OpenCV are height × width × channels; a PyTorch
    convolution wants channels first. The message names the input shape it got and how many channels
    the weight expects:
    zh: 来自 PIL、NumPy 或 OpenCV 的图像是“高 × 宽 × 通道”，而 PyTorch 的卷积要求通道在前。报错信息给出了它收到的输入形状，
    以及权重期望的通道数：
    domain: PIL RGB and RGBA images of 5 × 7 read with numpy (OpenCV is not installed: its arrays are
    numpy's too); convolutions expecting 1–4 channels given NHWC inputs whose last axis is that number,
    heights 5–6 different from it: the message has the input's shape and the weight's channel count,
    and x.permute(0, 3, 1, 2) gives the same numbers as the image laid out channels first.
    """
    from PIL import Image

    for mode, c in (("RGB", 3), ("RGBA", 4)):
        assert np.asarray(Image.new(mode, (7, 5))).shape == (5, 7, c)
    for c, h in itertools.product(range(1, 5), (5, 6)):
        conv = nn.Conv2d(c, 2, 3, padding=1)
        nhwc = torch.randn(1, h, h + 1, c)
        with pytest.raises(RuntimeError) as err:
            conv(nhwc)
        msg = str(err.value)
        assert f"expected input{list(nhwc.shape)} to have {c} channels, but got {h} channels instead" in msg
        nchw = torch.stack([nhwc[0, :, :, i] for i in range(c)])[None]
        assert torch.equal(nhwc.permute(0, 3, 1, 2), nchw)


@claim(PAGE, "mistakes")
def test_weight_size_in_message():
    r"""
    en: The weight size in the message, `[64, 16, 3, 3]`, is
    `[out_channels, in_channels, k, k]`:
    zh: 信息里的权重尺寸 `[64, 16, 3, 3]`
    就是 `[out_channels, in_channels, k, k]`：
    domain: Conv2d(in 1–4, out 1–4, k 1–3) given one channel too many: the message's weight size is
    [out, in, k, k].
    """
    for ci, co, k in itertools.product(range(1, 5), range(1, 5), range(1, 4)):
        with pytest.raises(RuntimeError, match=re.escape(f"weight of size [{co}, {ci}, {k}, {k}]")):
            nn.Conv2d(ci, co, k)(torch.zeros(1, ci + 1, 6, 6))


@claim(PAGE, "mistakes")
def test_forgotten_padding():
    r"""
    en: Without padding a 3×3 convolution makes 32 into 30, which fails only later,
    where the map is added to (or concatenated with) one of the old size:
    zh: 不加填充的 3×3 卷积把 32 变成 30，但要到后面和旧尺寸的特征图相加（或拼接）时才报错：
    domain: H 4–40: the unpadded 3×3 convolution gives H − 2 without an error; adding it to the H-sized map,
    or concatenating the two along channels, raises; with padding 1 both work. (At H 3 the output is 1 × 1
    and the sum broadcasts without an error; the sentence is about 32.)
    """
    for h in range(4, 41):
        x = torch.zeros(1, 2, h, h)
        y = nn.Conv2d(2, 2, 3)(x)
        assert y.shape[-1] == h - 2
        with pytest.raises(RuntimeError, match="must match"):
            x + y
        with pytest.raises(RuntimeError, match="Sizes of tensors must match"):
            torch.cat([x, y], dim=1)
        same = nn.Conv2d(2, 2, 3, padding=1)(x)
        assert (x + same).shape == torch.cat([x, same], dim=1).shape[:1] + x.shape[1:]


@claim(PAGE, "mistakes")
def test_stride_forgets_odd():
    r"""
    en: a stride throws away whether the size was odd
    (output_padding). Pass the size you need:
    zh: 步幅把“原来是不是奇数”这一信息丢掉了（见输出填充）。把需要的尺寸传进去：
    domain: H 1–40, the page's pair Conv2d(3, stride 2, padding 1) and ConvTranspose2d(3, stride 2,
    padding 1): 2m − 1 and 2m go down to the same m; output_size=H brings every H back.
    """
    down = nn.Conv2d(1, 1, 3, stride=2, padding=1)
    up = nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1)
    for h in range(1, 41):
        m = down(torch.zeros(1, 1, h, h)).shape[-1]
        assert m == (h + 1) // 2
        assert up(torch.zeros(1, 1, m, m), output_size=[h, h]).shape[-2:] == (h, h)


@claim(PAGE, "mistakes")
def test_flatten_message():
    r"""
    en: The linear layer's `in_features` must equal what flattening produces; the message
    shows both matrices, `(batch × features)` and `(in_features × out_features)`. `view(-1)` flattens the batch
    too, so two images become one row of 4096:
    zh: 线性层的 `in_features` 必须等于拉平后的长度；报错信息给出两个矩阵的形状，`（批量 × 特征）`和`（in_features × out_features）`。
    `view(-1)` 连批量维也一起拉平，于是两张图变成了一行 4096 个数：
    domain: batch 1–3, features 2–6, in_features 1–7 ≠ features, out_features 1–3: the message is
    "(batch x features and in_features x out_features)"; view(-1) of N images of C·H·W features is
    one row of N·C·H·W (N 1–3, 2 × 4 × 4 … 32 × 8 × 8).
    """
    for b, f, i, o in itertools.product(range(1, 4), range(2, 7), range(1, 8), range(1, 4)):
        if i == f:
            continue
        with pytest.raises(RuntimeError, match=re.escape(f"({b}x{f} and {i}x{o})")):
            nn.Linear(i, o)(torch.zeros(b, f))
    for n, (c, h) in itertools.product(range(1, 4), ((2, 4), (32, 8))):
        flat = c * h * h
        x = torch.zeros(n, c, h, h)
        assert x.view(-1).shape == (n * flat,)
        if n > 1:
            with pytest.raises(RuntimeError, match=re.escape(f"(1x{n * flat} and {flat}x10)")):
                nn.Linear(flat, 10)(x.view(-1))


@claim(PAGE, "mistakes")
def test_conv_needs_3_or_4_dims():
    r"""
    en: A convolution needs `[C, H, W]` or `[N, C, H, W]`. A
    flattened tensor, or a grey image without its channel axis, has two:
    zh: 卷积需要 `[C, H, W]` 或 `[N, C, H, W]`。拉平后的张量、或者没有通道维的灰度图，都只有两维：
    domain: Conv2d(1, 2, 3) on tensors of 1–5 dimensions of size 1 × … × 6 × 6: only 3 and 4 work; a
    flattened batch and a bare H × W image have two dimensions; x[None, None] makes the image four.
    """
    conv = nn.Conv2d(1, 2, 3)
    for dims in range(1, 6):
        x = torch.zeros(*([1] * max(dims - 2, 0)), *([6, 6][-dims:] if dims <= 2 else [6, 6]))
        assert x.dim() == dims
        if dims in (3, 4):
            conv(x)
        else:
            with pytest.raises(RuntimeError, match="Expected 3D"):
                conv(x)
    assert torch.zeros(1, 3, 4, 4).flatten(1).dim() == 2
    assert torch.zeros(6, 6)[None, None].shape == (1, 1, 6, 6)


@claim(PAGE, "pitfalls")
def test_same_needs_stride_1():
    r"""
    en: `padding="same"` only works with stride 1.
    zh: `padding="same"` 只能用于步幅为 1 的卷积。
    domain: Conv1d/2d/3d with k 1–4, stride 1–3 (an int, or a tuple with one entry above 1).
    """
    for layer, k, s in itertools.product((nn.Conv1d, nn.Conv2d, nn.Conv3d), range(1, 5), range(1, 4)):
        if s == 1:
            layer(1, 1, k, padding="same")
        else:
            with pytest.raises(ValueError):
                layer(1, 1, k, stride=s, padding="same")
    with pytest.raises(ValueError):
        nn.Conv2d(1, 1, 3, stride=(1, 2), padding="same")


@claim(PAGE, "pitfalls")
def test_flatten_start_dims():
    r"""
    en: `nn.Flatten()` starts at dimension 1, `torch.flatten(x)` at dimension 0.
    zh: `nn.Flatten()` 从第 1 维开始拉平，而 `torch.flatten(x)` 从第 0 维开始。
    domain: tensors of 2–5 dimensions with sizes 2, 3, 4, 5, 6: nn.Flatten() keeps the first dimension and
    joins the rest; torch.flatten gives one dimension.
    """
    for dims in range(2, 6):
        x = torch.zeros(*range(2, 2 + dims))
        assert nn.Flatten()(x).shape == (x.shape[0], x[0].numel())
        assert torch.flatten(x).shape == (x.numel(),)


@claim(PAGE, "pitfalls")
def test_remove_hooks():
    r"""
    en: Remove hooks (`handle.remove()`), or every later forward pass prints too.
    zh: 记得移除钩子（`handle.remove()`），否则以后每次前向传播都会打印。
    domain: 1–4 later forward passes of a small net with a hook on each of its leaves, kept and removed.
    """
    net = small_net()
    leaves = [m for m in net.modules() if not list(m.children())]
    for passes in range(1, 5):
        calls = []
        handles = [m.register_forward_hook(lambda mod, i, o: calls.append(mod)) for m in leaves]
        for _ in range(passes):
            net(torch.zeros(1, 3, 8, 8))
        assert len(calls) == passes * len(leaves)
        for h in handles:
            h.remove()
        net(torch.zeros(1, 3, 8, 8))
        assert len(calls) == passes * len(leaves)


@claim(PAGE, "exercises")
def test_output_size_sets_output_padding():
    r"""
    en: `output_size=[31, 31]` sets the output padding to 1.
    zh: `output_size=[31, 31]` 把输出填充设为 1。
    domain: ConvTranspose2d with k 2–5, stride 2–3, padding 0–1, inputs 3–8 and every output padding a
    below the stride: output_size = the size without help + a gives the numbers of output_padding = a.
    """
    for k, s, p, h in itertools.product(range(2, 6), (2, 3), (0, 1), range(3, 9)):
        layer = nn.ConvTranspose2d(1, 2, k, stride=s, padding=p).double()
        x = torch.randn(1, 1, h, h, dtype=torch.float64)
        base = (h - 1) * s - 2 * p + k
        for a in range(s):
            by_size = layer(x, output_size=[base + a, base + a])
            by_padding = F.conv_transpose2d(x, layer.weight, layer.bias, stride=s, padding=p, output_padding=a)
            assert torch.allclose(by_size, by_padding)
