"""Claims of the glossary (docs/glossary.yml, the source of both languages' glossary pages)."""

from __future__ import annotations

import itertools

import torch
import torch.nn.functional as F
from torch import nn

from .claim import claim

x64 = dict(dtype=torch.float64)


@claim("glossary", "convolution")
def test_convolution_does_not_flip():
    """
    en: What deep-learning libraries call convolution does not flip the kernel (strictly, it is cross-correlation).
    zh: 深度学习框架里的“卷积”不翻转卷积核，严格说是互相关。
    domain: every kernel length 1–5 and input 5–9, random values (1-D and 2-D): F.conv1d/F.conv2d equal
      the sum of products of the window with the kernel as it is, not flipped.
    """
    g = torch.Generator().manual_seed(0)
    for k, n in itertools.product(range(1, 6), range(5, 10)):
        x, w = torch.randn(n, generator=g, **x64), torch.randn(k, generator=g, **x64)
        by_hand = torch.stack([(x[i:i + k] * w).sum() for i in range(n - k + 1)])
        assert torch.allclose(F.conv1d(x.view(1, 1, -1), w.view(1, 1, -1))[0, 0], by_hand)
        X, W = torch.randn(n, n, generator=g, **x64), torch.randn(k, k, generator=g, **x64)
        hand2 = torch.tensor([[(X[i:i + k, j:j + k] * W).sum() for j in range(n - k + 1)] for i in range(n - k + 1)], **x64)
        assert torch.allclose(F.conv2d(X.view(1, 1, n, n), W.view(1, 1, k, k))[0, 0], hand2)


@claim("glossary", "kernel")
def test_kernel_shape():
    """
    en: A small grid of learnable weights, of shape [C_out, C_in/g, kH, kW] in nn.Conv2d (g groups, usually 1)
    zh: 一小块可学习的权重，在 nn.Conv2d 里形状为 [C_out, C_in/g, kH, kW]（g 为分组数，通常是 1）
    domain: every g 1–3, C_in and C_out multiples of g up to 6, kH, kW 1–3 (meta device).
    """
    for g, a, b, kh, kw in itertools.product(range(1, 4), range(1, 3), range(1, 3), range(1, 4), range(1, 4)):
        conv = nn.Conv2d(a * g, b * g, (kh, kw), groups=g, device="meta")
        assert conv.weight.shape == (b * g, a, kh, kw)


@claim("glossary", "padding")
def test_same_and_full_padding_at_stride_one():
    """
    en: At stride 1, same padding keeps the size and full padding makes the output larger.
    zh: 步幅为 1 时，same 填充保持尺寸，full 填充让输出变大。
    domain: every k 2–7, d 1–3, input 1–12, stride 1 and 2 (meta device): padding="same" keeps the size at
      stride 1 (torch refuses it with a stride); full padding p = d(k−1) makes the output d(k−1) larger at
      stride 1, and at stride 2 it need not (input 12, k 2, d 1 gives 7 < 12).
    """
    import warnings
    for k, d, n in itertools.product(range(2, 8), range(1, 4), range(1, 13)):
        x, w = torch.zeros(1, 1, n, device="meta"), torch.zeros(1, 1, k, device="meta")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert F.conv1d(x, w, padding="same", dilation=d).shape[-1] == n
        assert F.conv1d(x, w, padding=d * (k - 1), dilation=d).shape[-1] == n + d * (k - 1)
    assert F.conv1d(torch.zeros(1, 1, 12), torch.zeros(1, 1, 2), stride=2, padding=1).shape[-1] == 7


@claim("glossary", "dilation")
def test_dilated_span():
    """
    en: with dilation d, a kernel of k cells spans d·(k−1)+1 cells.
    zh: 膨胀率为 d 时，k 格的卷积核跨过 d·(k−1)+1 格。
    domain: every k 1–6, d 1–5: the output length on an input of exactly d(k−1)+1 cells is 1, and one
      cell fewer is refused.
    """
    import pytest
    for k, d in itertools.product(range(1, 7), range(1, 6)):
        span = d * (k - 1) + 1
        assert F.conv1d(torch.zeros(1, 1, span), torch.zeros(1, 1, k), dilation=d).shape[-1] == 1
        if span > 1:
            with pytest.raises(RuntimeError):
                F.conv1d(torch.zeros(1, 1, span - 1), torch.zeros(1, 1, k), dilation=d)


@claim("glossary", "grouped-convolution")
def test_groups_shrink_the_weights():
    """
    en: Input and output channels are split into g groups and each group only sees its own; the weights shrink to 1/g.
    zh: 把输入和输出通道各分成 g 组，每组只和自己那组相连，权重数变为 1/g。
    domain: every g 1–4 with C_in, C_out multiples of g up to 8, k 1–3: the weight count is 1/g of
      groups=1's, and output channel j's gradient reaches only the input channels of its group.
    """
    torch.manual_seed(1)
    for g, a, b, k in itertools.product(range(1, 5), range(1, 3), range(1, 3), (1, 3)):
        cin, cout = a * g, b * g
        grouped, full = nn.Conv2d(cin, cout, k, groups=g), nn.Conv2d(cin, cout, k)
        assert grouped.weight.numel() * g == full.weight.numel()
        for j in range(cout):
            x = torch.rand(1, cin, 5, 5, requires_grad=True)
            grouped(x)[0, j].sum().backward()
            seen = (x.grad.abs().sum((0, 2, 3)) != 0).nonzero().flatten().tolist()
            group = j // (cout // g)
            assert seen == list(range(group * a, (group + 1) * a))


@claim("glossary", "output-padding")
def test_output_padding_definition():
    """
    en: only values smaller than the stride give a size a convolution really maps from (PyTorch accepts up to max(stride, dilation) − 1).
    zh: 小于步幅的值才对应卷积真正的输入尺寸（PyTorch 接受到 max(步幅, 膨胀率) − 1）。
    domain: every k 1–3, s 1–3, d 1–3, p 0–1, input 1–5, a up to max(s, d): torch accepts a exactly below
      max(s, d), and the convolution maps the result back to the input size exactly when a < s.
    """
    import pytest
    for k, s, d, p, n in itertools.product(range(1, 4), range(1, 4), range(1, 4), range(2), range(1, 6)):
        if (n - 1) * s - 2 * p + d * (k - 1) + 1 < 1:
            continue
        for a in range(max(s, d) + 1):
            run = lambda: F.conv_transpose1d(torch.zeros(1, 1, n), torch.zeros(1, 1, k), stride=s, padding=p,
                                             dilation=d, output_padding=a)
            if a >= max(s, d):
                with pytest.raises(RuntimeError):
                    run()
                continue
            size = run().shape[-1]
            back = (size + 2 * p - d * (k - 1) - 1) // s + 1
            assert (back == n) == (a < s)


@claim("glossary", "transposed-convolution")
def test_transposed_is_the_transpose_and_zero_insertion():
    """
    en: Multiplication by the transpose of a convolution's matrix; equivalent to zero insertion followed by a stride-1 convolution. Not a "deconvolution": it does not invert a convolution.
    zh: 乘以卷积矩阵的转置；等价于零插入后再做步幅为 1 的卷积。常被误称为“反卷积”，但它不是卷积的逆运算。
    domain: every k 1–3, s 1–3, input 3–6 (1-D, random values): conv_transpose1d equals the transpose of
      the convolution's matrix, and the stride-1 convolution of the zero-inserted, padded input with the
      flipped kernel; applied after the convolution it does not give the input back.
    """
    g = torch.Generator().manual_seed(2)
    for k, s, n in itertools.product(range(1, 4), range(1, 4), range(3, 7)):
        if n < k:
            continue
        w = torch.randn(1, 1, k, generator=g, **x64) + 3.0
        C = F.conv1d(torch.eye(n, **x64).unsqueeze(1), w, stride=s)[:, 0].T  # (out, n)
        out = C.shape[0]
        a = (n - k) % s
        CT = F.conv_transpose1d(torch.eye(out, **x64).unsqueeze(1), w, stride=s, output_padding=a)[:, 0].T
        assert torch.allclose(CT, C.T)
        y = torch.randn(1, 1, out, generator=g, **x64)
        inserted = torch.zeros(1, 1, (out - 1) * s + 1, **x64)
        inserted[..., ::s] = y
        assert torch.allclose(F.conv1d(F.pad(inserted, (k - 1, k - 1 + a)), w.flip(-1)),
                              F.conv_transpose1d(y, w, stride=s, output_padding=a))
        x = torch.randn(1, 1, n, generator=g, **x64)
        back = F.conv_transpose1d(F.conv1d(x, w, stride=s), w, stride=s, output_padding=a)
        assert not torch.allclose(back, x)


@claim("glossary", "causal-convolution")
def test_causal_definition():
    """
    en: A 1-D convolution padded with d·(k−1) zeros on the left (the past) only: the output at time t reads only inputs at t and before, and at stride 1 the length stays the same.
    zh: 只在序列左边（过去一侧）补 d·(k−1) 个零的一维卷积：时刻 t 的输出只读取时刻 t 及以前的输入；步幅为 1 时长度不变。
    domain: every k 1–4, d 1–3, length 1–10, stride 1 and 2: the Jacobian is upper-triangular (input t
      reaches outputs t and later only) at stride 1 with the length kept; at stride 2 the length is ⌈L/2⌉.
    """
    for k, d, n in itertools.product(range(1, 5), range(1, 4), range(1, 11)):
        w = torch.rand(1, 1, k, **x64) + 0.5
        M = F.conv1d(F.pad(torch.eye(n, **x64).unsqueeze(1), (d * (k - 1), 0)), w, dilation=d)[:, 0]
        assert M.shape == (n, n) and torch.equal(M, M.triu())
        assert F.conv1d(F.pad(torch.zeros(1, 1, n), (d * (k - 1), 0)), torch.zeros(1, 1, k), stride=2,
                        dilation=d).shape[-1] == -(-n // 2)
