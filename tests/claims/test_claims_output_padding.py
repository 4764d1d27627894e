"""Claims of the output-padding chapter (docs/*/output-padding.md), each swept over its domain."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from .claim import claim



def conv_len(n, k, s, p, d):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def tconv(x, k, s, p, d, a):
    """torch's 1-D transposed convolution of x (a length) with a kernel of ones, no bias."""
    return F.conv_transpose1d(x.view(1, 1, -1), torch.ones(1, 1, k), stride=s, padding=p, dilation=d,
                              output_padding=a)[0, 0]


def configs(max_k=4, max_s=4, max_d=3):
    """Every (k, s, p, d, a) torch accepts with k, s, d up to the bounds, p up to d(k-1), a < max(s, d)."""
    for k, s, d in itertools.product(range(1, max_k + 1), range(1, max_s + 1), range(1, max_d + 1)):
        for p in range(0, d * (k - 1) + 1):
            for a in range(max(s, d)):
                yield k, s, p, d, a


@claim("output-padding", "choose")
def test_transposed_gives_the_smallest_candidate():
    """
    en: The transposed convolution with the same $k$, $s$, $p$ maps 4×4 to the *smallest* candidate
    zh: $k$、$s$、$p$ 相同的转置卷积把 4×4 变成候选中*最小*的那个
    domain: k 1–5, s 1–4, p 0–3, d 1–3, every output size 1–12: the transposed size at a = 0 is the
      smallest input size that the convolution maps to that output size, wherever torch accepts the
      transposed layer (a padding so large that the formula gives less than 1 is refused).
    """
    for k, s, p, d in itertools.product(range(1, 6), range(1, 5), range(4), range(1, 4)):
        for o in range(1, 13):
            sources = [n for n in range(1, 80) if n + 2 * p >= d * (k - 1) + 1 and conv_len(n, k, s, p, d) == o]
            if not sources:
                continue
            if (o - 1) * s - 2 * p + d * (k - 1) + 1 < 1:  # the formula's size is not a size: torch refuses
                with pytest.raises(RuntimeError):
                    tconv(torch.ones(o), k, s, p, d, 0)
                continue
            assert tconv(torch.ones(o), k, s, p, d, 0).numel() == min(sources), (k, s, p, d, o)


@claim("output-padding", "choose")
def test_first_cells_do_not_change():
    """
    en: The first 7×7 cells do not change, whatever $k$, $s$, $p$, $d$ and $a$ are.
    zh: 无论 $k$、$s$、$p$、$d$、$a$ 取什么值，前面 7×7 个格子都完全不变。
    domain: every k 1–4, s 1–4, d 1–3, p 0–d(k−1), a < max(s, d), input lengths 1–6, random values:
      the output with a equals the output with a = 0 on its first cells, and has a more at the end.
    """
    g = torch.Generator().manual_seed(0)
    for k, s, p, d, a in configs():
        for n in range(1, 7):
            if (n - 1) * s - 2 * p + d * (k - 1) + 1 < 1:
                continue
            x = torch.randn(n, generator=g, dtype=torch.float64).float()
            small, large = tconv(x, k, s, p, d, 0), tconv(x, k, s, p, d, a)
            assert large.numel() == small.numel() + a
            assert torch.equal(large[: small.numel()], small), (k, s, p, d, a, n)


@claim("output-padding", "choose")
def test_extra_cells_computed_only_when_a_at_most_p():
    """
    en: That the extra cells hold computed values needs $a \\le p$: `padding` crops $p$ cells at the start of each
      axis and $p - a$ at the end, so with $a \\le p$ the extra cells are cells of the full transposed
      output that the padding would have cropped. With $a > p$ the last $a - p$ rows and columns lie
      beyond every stamp of the kernel and hold only the bias
    zh: 多出的格子里要是算出来的值，前提是 $a \\le p$：`padding` 在每个轴的开头裁掉 $p$ 格、末尾裁掉 $p - a$ 格，
      所以 $a \\le p$ 时，多出的格子本来就是完整转置卷积输出里的格子，只是原本会被填充裁掉。
      $a > p$ 时，最后 $a - p$ 行和列落在卷积核所有印章的范围之外，只有偏置
    domain: every k 1–4, s 1–4, d 1–3, p 0–d(k−1), a < max(s, d), input lengths 1–6, random values and a
      bias: the output is the full transposed output (padding 0) cropped by p at the start and p − a at the
      end when a ≤ p; when a > p it is the full output cropped by p at the start, then a − p cells equal to
      the bias.
    """
    g = torch.Generator().manual_seed(1)
    for k, s, p, d, a in configs():
        for n in range(1, 7):
            if (n - 1) * s - 2 * p + d * (k - 1) + 1 < 1:
                continue
            x = torch.randn(1, 1, n, generator=g, dtype=torch.float64)
            w = torch.randn(1, 1, k, generator=g, dtype=torch.float64)
            b = torch.tensor([0.5], dtype=torch.float64)
            y = F.conv_transpose1d(x, w, b, stride=s, padding=p, dilation=d, output_padding=a)[0, 0]
            full = F.conv_transpose1d(x, w, b, stride=s, dilation=d)[0, 0]
            if a <= p:
                expected = full[p: full.numel() - (p - a)]
            else:
                expected = torch.cat([full[p:], torch.full((a - p,), 0.5, dtype=torch.float64)])
            assert torch.allclose(y, expected), (k, s, p, d, a, n)


@claim("output-padding", "pitfalls")
def test_pitfall_not_zero_padding_when_a_le_p():
    """
    en: **It does not pad with zeros, as long as $a \\le p$**: then the extra rows and columns hold
      computed values; when $a > p$, the last $a - p$ of them hold only the bias.
    zh: **只要 $a \\le p$，它就不是补零**：这时多出的行和列里是算出来的值；$a > p$ 时，最后 $a - p$ 行和列里只有偏置。
    domain: every k 1–4, s 1–4, d 1–3, p 0–d(k−1), a < max(s, d), input lengths 1–6, an all-ones input
      and kernel: an extra cell is nonzero iff the full transposed output has a stamp there, and with
      a > p the last a − p cells are zero (no bias), while with a ≤ p an extra cell is zero only where the
      full output, which no padding changes, has a hole between stamps.
    """
    for k, s, p, d, a in configs():
        for n in range(1, 7):
            if a == 0 or (n - 1) * s - 2 * p + d * (k - 1) + 1 < 1:
                continue
            y = tconv(torch.ones(n), k, s, p, d, a)
            full = tconv(torch.ones(n), k, s, 0, d, 0)
            extra = range(y.numel() - a, y.numel())
            for i in extra:
                inside = i + p < full.numel()
                assert (a <= p) <= inside  # a <= p: every extra cell lies in the full output
                if not inside:
                    assert y[i] == 0, (k, s, p, d, a, n, i)
                else:
                    assert y[i] == full[i + p]


@claim("output-padding", "pitfalls")
def test_output_padding_is_one_sided():
    """
    en: **`output_padding` is one-sided**: the extra cells are at the bottom and right only.
    zh: **`output_padding` 只加在一侧**：多出的格子只在下边和右边。
    domain: 2-D, k 1–3, s 1–3, p 0–2, d 1–2, every accepted pair (a_h, a_w), random 3×4 inputs: the
      output with (a_h, a_w) holds the output with (0, 0) in its top-left corner, a_h more rows, a_w more
      columns.
    """
    g = torch.Generator().manual_seed(2)
    for k, s, p, d in itertools.product(range(1, 4), range(1, 4), range(3), range(1, 3)):
        if p > d * (k - 1):
            continue
        x, w = torch.randn(1, 1, 3, 4, generator=g), torch.randn(1, 1, k, k, generator=g)
        if 2 * s - 2 * p + d * (k - 1) + 1 < 1:
            continue
        base = F.conv_transpose2d(x, w, stride=s, padding=p, dilation=d)
        for ah, aw in itertools.product(range(max(s, d)), repeat=2):
            y = F.conv_transpose2d(x, w, stride=s, padding=p, dilation=d, output_padding=(ah, aw))
            assert y.shape[-2:] == (base.shape[-2] + ah, base.shape[-1] + aw)
            assert torch.equal(y[..., : base.shape[-2], : base.shape[-1]], base)


@claim("output-padding", "choose")
def test_output_size_works_out_the_padding_and_refuses():
    """
    en: pass the size you want to the layer's `forward`, `output_size=[8, 8]`, and PyTorch works
      out the [output padding](glossary.md#output-padding) itself (and refuses a size it cannot reach)
    zh: 也可以在调用层的 `forward` 时直接给出想要的尺寸 `output_size=[8, 8]`，由 PyTorch 自己算出输出填充（做不到的尺寸它会拒绝）
    domain: k 1–4, s 1–4, d 1–3, p 0–d(k−1), input 1–5: `output_size` is accepted exactly for the sizes
      made with 0 ≤ a < s (so the sizes a convolution maps back from), and gives the same tensor as
      that `output_padding`.
    """
    torch.manual_seed(3)
    for k, s, d in itertools.product(range(1, 5), range(1, 5), range(1, 4)):
        for p in range(d * (k - 1) + 1):
            layer = nn.ConvTranspose1d(1, 1, k, stride=s, padding=p, dilation=d)
            for n in range(1, 6):
                smallest = (n - 1) * s - 2 * p + d * (k - 1) + 1
                if smallest < 1:
                    continue
                x = torch.randn(1, 1, n)
                for size in range(max(1, smallest - 1), smallest + max(s, d) + 1):
                    a = size - smallest
                    if 0 <= a < s:
                        y = layer(x, output_size=[size])
                        assert torch.equal(y, F.conv_transpose1d(x, layer.weight, layer.bias, stride=s, padding=p,
                                                                 dilation=d, output_padding=a))
                    else:
                        with pytest.raises(ValueError, match="valid sizes range"):
                            layer(x, output_size=[size])


@claim("output-padding", "rule")
def test_output_padding_is_the_remainder():
    """
    en: The output padding that brings a convolution's output back to its input size $H_\\text{in}$ is
      the remainder the floor dropped, $a = (H_\\text{in} + 2p - d\\,(k-1) - 1) \\bmod s$.
    zh: 把卷积的输出还原成它的输入尺寸 $H_\\text{in}$ 所需的输出填充，正是向下取整丢掉的余数：$a = (H_\\text{in} + 2p - d\\,(k-1) - 1) \\bmod s$。
    domain: every k 1–5, s 1–4, d 1–3, p 0–d(k−1), input sizes 1–30 that torch's convolution accepts:
      torch's transposed convolution with that a gives back the input size.
    """
    for k, s, d in itertools.product(range(1, 6), range(1, 5), range(1, 4)):
        for p in range(d * (k - 1) + 1):
            for n in range(1, 31):
                if n + 2 * p < d * (k - 1) + 1:
                    continue
                o = F.conv1d(torch.zeros(1, 1, n), torch.zeros(1, 1, k), stride=s, padding=p, dilation=d).shape[-1]
                a = (n + 2 * p - d * (k - 1) - 1) % s
                assert tconv(torch.zeros(o), k, s, p, d, a).numel() == n, (k, s, p, d, n)


@claim("output-padding", "rule")
def test_only_a_below_s_goes_back():
    """
    en: A remainder of a division by $s$ is smaller than $s$, so only $0 \\le a < s$ picks a size that a
      convolution with these parameters really maps from. From $\\max(s, d)$ up, PyTorch refuses
    zh: 除以 $s$ 的余数总小于 $s$，所以只有 $0 \\le a < s$ 选出的尺寸，才真有一个同参数的卷积能把它变回来。
      $a$ 达到 $\\max(s, d)$ 时，PyTorch 直接报错
    domain: every k 1–4, s 1–4, d 1–4, p 0–d(k−1), input 1–6, a 0–max(s, d): torch refuses a ≥ max(s, d);
      for the accepted a, the convolution with the same parameters maps the transposed output back to
      the input size exactly when a < s; and the sizes made with a < s are exactly the sizes the
      convolution maps to that input size.
    """
    for k, s, d in itertools.product(range(1, 5), range(1, 5), range(1, 5)):
        for p in range(d * (k - 1) + 1):
            for n in range(1, 7):
                if (n - 1) * s - 2 * p + d * (k - 1) + 1 < 1:
                    continue
                made = []
                for a in range(max(s, d) + 1):
                    if a >= max(s, d):
                        with pytest.raises(RuntimeError, match="output padding must be smaller"):
                            tconv(torch.zeros(n), k, s, p, d, a)
                        continue
                    size = tconv(torch.zeros(n), k, s, p, d, a).numel()
                    back = conv_len(size, k, s, p, d)
                    assert (back == n) == (a < s), (k, s, p, d, n, a)
                    if a < s:
                        made.append(size)
                sources = [m for m in range(1, 60) if m + 2 * p >= d * (k - 1) + 1 and conv_len(m, k, s, p, d) == n]
                assert made == sources, (k, s, p, d, n)


@claim("output-padding", "rule")
def test_dilation_above_stride_accepts_sizes_of_no_convolution():
    """
    en: when the [dilation](glossary.md#dilation) is larger than
      the stride, it accepts values of $a$ that undo no convolution.
    zh: [膨胀率](glossary.md#dilation)比步幅大时，它会接受一些哪个卷积都还原不回去的 $a$。
    domain: every s 1–3, d from s+1 to 4, k 2–4, p 0–d(k−1), input 1–6, every a from s to d−1: torch
      accepts the layer, and the convolution with the same parameters maps its output to another size.
    """
    for s in range(1, 4):
        for d in range(s + 1, 5):
            for k in range(2, 5):
                for p in range(d * (k - 1) + 1):
                    for n in range(1, 7):
                        if (n - 1) * s - 2 * p + d * (k - 1) + 1 < 1:
                            continue
                        for a in range(s, d):
                            size = tconv(torch.zeros(n), k, s, p, d, a).numel()
                            assert conv_len(size, k, s, p, d) != n


@claim("output-padding", "output-padding")
def test_several_input_sizes_one_output():
    """
    en: But a stride throws … information about the size away: several input sizes give the same output size.
    zh: 可是步幅把尺寸的信息丢掉了一部分：好几个输入尺寸会得到同一个输出尺寸。
    domain: every s 2–5, k 1–5, d 1–3, p 0–d(k−1), every output size 2–15 whose smallest source is at
      least 1: exactly s input sizes give it (torch's convolution).
    """
    for s, k, d in itertools.product(range(2, 6), range(1, 6), range(1, 4)):
        for p in range(d * (k - 1) + 1):
            counts = {}
            for n in range(1, 120):
                if n + 2 * p < d * (k - 1) + 1:
                    continue
                o = F.conv1d(torch.zeros(1, 1, n), torch.zeros(1, 1, k), stride=s, padding=p, dilation=d).shape[-1]
                counts[o] = counts.get(o, 0) + 1
            for o in range(2, 16):
                if (o - 1) * s - 2 * p + d * (k - 1) + 1 >= 1:  # its smallest source is a size
                    assert counts[o] == s, (s, k, d, p, o)
