"""Claims of the sequences chapter (docs/*/sequences.md), each swept over its domain."""

from __future__ import annotations

import itertools
import random
import warnings

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from .claim import claim

x64 = dict(dtype=torch.float64)


def jacobian(fn, length):
    """Row t: the output when only input t is 1 (fn is linear: column j of the matrix is fn(e_j))."""
    basis = torch.eye(length, **x64).unsqueeze(1)
    return fn(basis)[:, 0]


@claim("sequences", "sequences")
def test_formula_holds_on_each_axis_by_itself():
    """
    en: The arithmetic
      does not: the output-size formula holds on each axis by itself.
    zh: 算术没变：输出尺寸公式在每个轴上各自成立。
    domain: 400 random Conv1d/Conv3d layers (per-axis k 1–4, s 1–3, p 0–2, d 1–2, sizes 1–9) on the meta
      device: every axis's size is the formula with that axis's numbers.
    """
    rng = random.Random(0)
    for _ in range(400):
        dims = rng.choice([1, 3])
        k, s, p, d = ([rng.randint(lo, hi) for _ in range(dims)] for lo, hi in ((1, 4), (1, 3), (0, 2), (1, 2)))
        size = [rng.randint(1, 9) for _ in range(dims)]
        expected = [(n + 2 * pp - dd * (kk - 1) - 1) // ss + 1 for n, kk, ss, pp, dd in zip(size, k, s, p, d)]
        if any(n + 2 * pp < dd * (kk - 1) + 1 for n, kk, pp, dd in zip(size, k, p, d)):
            continue
        layer = (nn.Conv1d if dims == 1 else nn.Conv3d)(1, 1, k, stride=s, padding=p, dilation=d, device="meta")
        assert list(layer(torch.zeros(1, 1, *size, device="meta")).shape[2:]) == expected


@claim("sequences", "causal")
def test_causal_padding_ends_the_window_at_t():
    """
    en: A [causal convolution](glossary.md#causal-convolution) pads
      $d\\,(k-1)$ zeros on the left only, so the window ends at $t$.
    zh: 因果卷积只在左边补 $d\\,(k-1)$ 个零，让窗口正好止于 $t$。
    domain: every k 1–5, d 1–4, L 1–12, a random kernel with no zero weight: output t depends on input t
      and on no later one, and the length stays L.
    """
    for k, d, length in itertools.product(range(1, 6), range(1, 5), range(1, 13)):
        w = torch.rand(1, 1, k, generator=torch.Generator().manual_seed(k + 10 * d), **x64) + 0.5
        M = jacobian(lambda x: F.conv1d(F.pad(x, (d * (k - 1), 0)), w, dilation=d), length)
        assert M.shape == (length, length)
        assert torch.equal(M, M.triu()) and bool((M.diagonal() != 0).all())


@claim("sequences", "causal")
def test_pad_both_sides_then_cut_only_at_stride_one():
    """
    en: At stride 1, another
      common way gives the same numbers: pad $d\\,(k-1)$ on both sides, then cut that many steps off the
      right end. With a stride it does not: $k = 3$, $s = 2$ on 8 steps gives 4 outputs causally and 3
      after cutting.
    zh: 步幅为 1 时，另一种常见写法结果完全相同：两边各补 $d\\,(k-1)$ 个零，卷积之后再从右端切掉同样多的步数。
      带步幅时就不一样了：$k = 3$、$s = 2$、长为 8 步的输入，因果卷积得到 4 个输出，切完只剩 3 个。
    domain: every k 1–5, d 1–3, s 1–3, L 1–12, random values: at s = 1 the two agree exactly; at s ≥ 2
      with k ≥ 2 there is an L where they differ (in length or values), and at k = 3, s = 2, L = 8
      the lengths are 4 and 3.
    """
    g = torch.Generator().manual_seed(1)
    for k, d, s in itertools.product(range(1, 6), range(1, 4), range(1, 4)):
        differ = False
        w = torch.randn(1, 1, k, generator=g, **x64)
        for length in range(1, 13):
            x = torch.randn(1, 1, length, generator=g, **x64)
            pad = d * (k - 1)
            causal = F.conv1d(F.pad(x, (pad, 0)), w, stride=s, dilation=d)
            both = F.conv1d(x, w, stride=s, padding=pad, dilation=d)
            cut = both[..., : both.shape[-1] - pad]
            same = cut.shape == causal.shape and torch.allclose(cut, causal)
            if s == 1:
                assert same, (k, d, length)
            differ |= not same
        if s >= 2 and k >= 2:
            assert differ, (k, d, s)
    x = torch.zeros(1, 1, 8)
    assert F.conv1d(F.pad(x, (2, 0)), torch.zeros(1, 1, 3), stride=2).shape[-1] == 4
    assert F.conv1d(x, torch.zeros(1, 1, 3), stride=2, padding=2)[..., :-2].shape[-1] == 3


@claim("sequences", "dilated-causal-stack")
def test_one_path_per_input_for_doubling_dilations():
    """
    en: each of the 16 inputs reaches the output through exactly one path,
      so none is counted twice and none is skipped.
    zh: 16 个输入各自恰好有一条路径通到输出，既不重复计数，也没有漏掉的。
    domain: causal stacks with k = 2 and the dilations 1, 2, …, 2ⁿ⁻¹ for n 1–7, weights of one: the last
      output's gradient is 1 on each of the last 2ⁿ inputs and 0 elsewhere; and for k = 3 with the same
      dilations some input has two paths or more.
    """
    for k in (2, 3):
        for n in range(1, 8):
            x = torch.zeros(1, 1, 2 ** (n + 1) * (k - 1) + 4, **x64, requires_grad=True)
            y = x
            for i in range(n):
                y = F.conv1d(F.pad(y, (2 ** i * (k - 1), 0)), torch.ones(1, 1, k, **x64), dilation=2 ** i)
            y[0, 0, -1].backward()
            grad = x.grad[0, 0]
            if k == 2:
                assert torch.equal(grad[-2 ** n:], torch.ones(2 ** n, **x64)) and not grad[:-2 ** n].any()
            elif n >= 2:
                assert grad.max() >= 2


@claim("sequences", "dilated-causal-stack")
def test_stack_receptive_field():
    """
    en: The receptive field of a stack of stride-1 layers is $1 + (k-1)\\sum_i d_i$
    zh: 步幅全为 1 的若干层叠在一起，感受野是 $1 + (k-1)\\sum_i d_i$
    domain: 200 random causal stacks of 1–5 layers with one k (1–4) and dilations 1–8: the inputs the last
      output depends on span exactly that many steps.
    """
    rng = random.Random(2)
    for _ in range(200):
        k, dilations = rng.randint(1, 4), [rng.randint(1, 8) for _ in range(rng.randint(1, 5))]
        r = 1 + (k - 1) * sum(dilations)
        x = torch.zeros(1, 1, r + 6, **x64, requires_grad=True)
        y = x
        for d in dilations:
            y = F.conv1d(F.pad(y, (d * (k - 1), 0)), torch.ones(1, 1, k, **x64), dilation=d)
        y[0, 0, -1].backward()
        hit = x.grad[0, 0].nonzero().flatten()
        assert int(hit[-1]) == r + 5 and int(hit[-1] - hit[0]) + 1 == r


@claim("sequences", "conv3d")
def test_conv3d_is_a_sum_of_2d_convolutions():
    """
    en: A 3-D convolution is the sum, over the kernel's depth, of 2-D convolutions of
      consecutive slices
    zh: 三维卷积就是沿卷积核的深度，把相邻切片各自的二维卷积加起来
    domain: 60 random Conv3d without padding (C_in 1–2, k per axis 1–3, stride 1–2 in height and width, depth
      stride 1, volumes up to 5×6×6): output slice z equals the sum over j < k_D of conv2d(X[z + j], W[:, :, j]).
    """
    rng = random.Random(3)
    g = torch.Generator().manual_seed(3)
    for _ in range(60):
        cin, kd, kh, kw, s = rng.randint(1, 2), rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 2)
        x = torch.randn(1, cin, rng.randint(kd, 5), rng.randint(kh, 6), rng.randint(kw, 6), generator=g, **x64)
        w = torch.randn(2, cin, kd, kh, kw, generator=g, **x64)
        y = F.conv3d(x, w, stride=(1, s, s))
        for z in range(y.shape[2]):
            total = sum(F.conv2d(x[:, :, z + j], w[:, :, j], stride=s) for j in range(kd))
            assert torch.allclose(y[:, :, z], total)


@claim("sequences", "formula")
def test_causal_keeps_the_length_at_stride_one():
    """
    en: Causal padding puts
      $d\\,(k - 1)$ zeros on the left and none on the right; at stride 1 the length stays $L$.
    zh: 因果填充在左边补 $d\\,(k - 1)$ 个零，右边不补；
      步幅为 1 时长度仍是 $L$。
    domain: every k 1–6, d 1–5, L 1–30 (meta device), and at stride 2–3 the length is ⌈L/s⌉, not L.
    """
    for k, d, length in itertools.product(range(1, 7), range(1, 6), range(1, 31)):
        x = torch.zeros(1, 1, length, device="meta")
        w = torch.zeros(1, 1, k, device="meta")
        assert F.conv1d(F.pad(x, (d * (k - 1), 0)), w, dilation=d).shape[-1] == length
        for s in (2, 3):
            assert F.conv1d(F.pad(x, (d * (k - 1), 0)), w, stride=s, dilation=d).shape[-1] == -(-length // s)


@claim("sequences", "pitfalls")
def test_padding_same_reads_the_future():
    """
    en: It centres the kernel: the output at $t$ reads
      $\\lceil d\\,(k-1)/2 \\rceil$ future steps ($(k-1)/2$ for an odd $k$ without dilation).
    zh: 它让卷积核居中：$t$ 时刻的输出会读到 $\\lceil d\\,(k-1)/2 \\rceil$ 步未来（不膨胀、$k$ 为奇数时是 $(k-1)/2$ 步）。
    domain: every k 1–7, d 1–4, a random kernel with no zero weight, L 40, an output in the middle:
      the last input it depends on is t + ⌈d(k−1)/2⌉.
    """
    for k, d in itertools.product(range(1, 8), range(1, 5)):
        w = torch.rand(1, 1, k, generator=torch.Generator().manual_seed(k * 7 + d), **x64) + 0.5
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            M = jacobian(lambda x: F.conv1d(x, w, padding="same", dilation=d), 40)
        t = 20
        reads = M[:, t].nonzero().flatten()
        assert int(reads[-1]) - t == -(-d * (k - 1) // 2), (k, d)


@claim("sequences", "pitfalls")
def test_length_axis_last_or_refused():
    """
    en: Otherwise torch
      refuses it with its channel message, unless $L$ happens to equal $C_\\text{in}$: then the layer
      runs and silently convolves over the channels.
    zh: 不转置的话，torch 会报通道数不符的错；可如果 $L$ 恰好等于 $C_\\text{in}$，
      这一层就照常运行，悄悄地沿通道轴做了卷积。
    domain: every C_in 1–6, L 1–8, k 1–3 with k ≤ C_in: a batch (N, L, C_in) given to
      Conv1d(C_in, 4, k) is refused with "expected input … to have C_in channels, but got L channels"
      when L ≠ C_in, and runs when L = C_in.
    """
    for cin, length, k in itertools.product(range(1, 7), range(1, 9), range(1, 4)):
        if k > cin:
            continue
        layer = nn.Conv1d(cin, 4, k)
        x = torch.zeros(2, length, cin)
        if length == cin:
            assert layer(x).shape == (2, 4, cin - k + 1)
        else:
            with pytest.raises(RuntimeError, match=f"to have {cin} channels, but got {length} channels"):
                layer(x)


@claim("sequences", "pitfalls")
def test_cutting_k_minus_one_leaks_the_future():
    """
    en: drop exactly that many
      steps on the right. Dropping $(k-1)$ instead of $d\\,(k-1)$ leaves $(d-1)(k-1)$ steps too many
      as soon as $d > 1$; read as the last $L$ steps, each output then sees $(d-1)(k-1)$ steps of its
      future.
    zh: 右端要切掉的也正好是 $d\\,(k-1)$ 步。只切 $k-1$ 步的话，一旦 $d > 1$，输出就多出 $(d-1)(k-1)$ 步；
      把最后 $L$ 步当作这 $L$ 个时刻的输出，每个输出都会看到自己之后 $(d-1)(k-1)$ 步的未来。
    domain: every k 2–5, d 1–4, L 12, a kernel with no zero weight: cutting d(k−1) leaves L causal
      outputs; cutting k − 1 leaves L + (d−1)(k−1), and the last L of them, output t reads inputs up to
      t + (d−1)(k−1) (within the sequence).
    """
    length = 12
    for k, d in itertools.product(range(2, 6), range(1, 5)):
        w = torch.rand(1, 1, k, generator=torch.Generator().manual_seed(k + d), **x64) + 0.5
        pad, extra = d * (k - 1), (d - 1) * (k - 1)
        right = jacobian(lambda x: F.conv1d(x, w, padding=pad, dilation=d)[..., :-pad], length)
        assert right.shape == (length, length) and torch.equal(right, right.triu())
        wrong = jacobian(lambda x: F.conv1d(x, w, padding=pad, dilation=d)[..., : length + pad - (k - 1)], length)
        assert wrong.shape[1] == length + extra
        last = wrong[:, -length:]  # column t: output read as time t
        for t in range(length - extra):
            assert int(last[:, t].nonzero().flatten()[-1]) == t + extra, (k, d, t)


@claim("sequences", "pitfalls")
def test_a_3d_kernel_costs_kd_times():
    """
    en: **A 3-D kernel costs $k_D$ times a 2-D one**: $k_D$ times the weights, and $k_D$ times the
      multiply–adds per output cell; and a video's activations are $D$ times an image's.
    zh: **三维卷积核的开销是二维的 $k_D$ 倍**：权重是 $k_D$ 倍，每个输出格子的乘加次数也是 $k_D$ 倍；视频的激活值还是图像的 $D$ 倍。
    domain: C_in 1 and 3, C_out 1 and 2, k_D 1–3, k 1 and 3 (square), D 2 and 4 with padding keeping the sizes: weights
      and FlopCounterMode's FLOPs per output cell of Conv3d against Conv2d on one frame, and the
      activations' element counts.
    """
    for cin, cout, kd, k, depth in itertools.product((1, 3), (1, 2), range(1, 4), (1, 3), (2, 4)):
        c3 = nn.Conv3d(cin, cout, (kd, k, k), padding=(kd // 2, k // 2, k // 2))
        c2 = nn.Conv2d(cin, cout, k, padding=k // 2)
        assert c3.weight.numel() == kd * c2.weight.numel()
        video, image = torch.zeros(1, cin, depth, 6, 6), torch.zeros(1, cin, 6, 6)
        with FlopCounterMode(display=False) as f3:
            y3 = c3(video)
        with FlopCounterMode(display=False) as f2:
            y2 = c2(image)
        assert f3.get_total_flops() / y3.numel() == kd * f2.get_total_flops() / y2.numel()
        assert video.numel() == depth * image.numel()


@claim("sequences", "causal")
def test_pytorch_has_no_causal_padding_mode():
    """
    en: PyTorch has no causal padding mode, so a causal layer is a small subclass.
    zh: PyTorch 没有因果填充这一模式，因果卷积层要自己写个小子类。
    domain: nn.Conv1d's padding strings and padding modes: "same" and "valid" are accepted, "causal"
      is refused as a padding and as a padding_mode, and every padding mode torch accepts (zeros,
      reflect, replicate, circular) pads both sides alike: with padding=1 and k = 3, the output at t
      depends on input t + 1.
    """
    for good in ("same", "valid"):
        nn.Conv1d(1, 1, 3, padding=good)
    with pytest.raises(ValueError):
        nn.Conv1d(1, 1, 3, padding="causal")
    with pytest.raises(ValueError):
        nn.Conv1d(1, 1, 3, padding=1, padding_mode="causal")
    for mode in ("zeros", "reflect", "replicate", "circular"):
        layer = nn.Conv1d(1, 1, 3, padding=1, padding_mode=mode, bias=False).double()
        with torch.no_grad():
            layer.weight.fill_(1.0)
        x = torch.rand(1, 1, 8, **x64, requires_grad=True)
        layer(x)[0, 0, 4].backward()
        assert x.grad[0, 0, 5] != 0, mode  # it reads the future
