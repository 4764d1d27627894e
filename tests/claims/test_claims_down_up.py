"""The claims of the down-and-up chapter (docs/en/down-up.md, docs/zh/down-up.md)."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from .claim import claim
from figures import arith

PAGE = "down-up"
torch.manual_seed(0)


def down(h):
    return arith.conv_axis(h, 3, 2, 1).size


def up4(h, a=0):
    return arith.conv_transpose_axis(h, 4, 2, 1, output_padding=a).size


def meta(*shape):
    return torch.zeros(*shape, device="meta")


@claim(PAGE, "encoder-decoder")
def test_blur_reduces_aliasing():
    r"""
    en: the encoder blurs with the 3×3 binomial
    kernel before each stride (a blur reduces the aliasing a stride causes)
    zh: 编码器在每次跨步之前用 3×3 的二项式核做模糊
    （先模糊可以减轻跨步带来的混叠）
    domain: cosines cos(ωn) of 64 cells with ω from 0.05π to 0.95π, the binomial [1, 2, 1]/4 (one axis of
    the 3×3 kernel), stride 2: above ω = π/2 (where the stride aliases) the blurred, strided signal has
    amplitude (1 + cos ω)/2 times the unblurred one, below 1 and, short of π, above 0: reduced, not removed.
    """
    n = torch.arange(64, dtype=torch.float64)
    blur = torch.tensor([[[1., 2., 1.]]], dtype=torch.float64) / 4
    for step in range(1, 20):
        omega = step * 0.05 * math.pi
        x = torch.cos(omega * n)[None, None]
        strided = x[..., 1:-1:2]
        blurred = F.conv1d(x, blur, stride=2)
        gain = (1 + math.cos(omega)) / 2
        assert torch.allclose(blurred, gain * strided)
        if omega > math.pi / 2:
            assert 0 < gain < 1


@claim(PAGE, "encoder-decoder")
def test_one_number_per_block():
    r"""
    en: At 36×36 one number is left for every 4×4 block of
    the photograph
    zh: 到了 36×36，照片里每个 4×4 的块只剩下一个数
    domain: the figure's one-channel encoder (two k 3, s 2, p 1 convolutions) on sizes 4m, m 1–40: 16 input
    cells per number left; n stages leave one per 2ⁿ × 2ⁿ block (n 1–4, sizes multiples of 2ⁿ).
    """
    for m in range(1, 41):
        assert (4 * m) ** 2 == 16 * down(down(4 * m)) ** 2
    for stages, m in itertools.product(range(1, 5), range(1, 9)):
        h = 2 ** stages * m
        for _ in range(stages):
            h = down(h)
        assert h == m


@claim(PAGE, "unet")
def test_concatenation():
    r"""
    en: concatenation adds channels and
    needs equal heights and widths.
    zh: 拼接会增加通道数，并且要求高和宽相等。
    domain: torch.cat along dim 1 of maps with 1–3 and 1–3 channels, heights and widths 3–5 each: the
    channels add when H and W agree; any difference in H or W raises.
    """
    for c1, c2, h1, w1, h2, w2 in itertools.product((1, 3), (1, 2), (3, 5), (3, 4), (3, 5), (3, 4)):
        a, b = torch.zeros(1, c1, h1, w1), torch.zeros(1, c2, h2, w2)
        if (h1, w1) == (h2, w2):
            assert torch.cat([a, b], dim=1).shape == (1, c1 + c2, h1, w1)
        else:
            with pytest.raises(RuntimeError, match="Sizes of tensors must match except in dimension 1"):
                torch.cat([a, b], dim=1)


@claim(PAGE, "odd")
def test_strides_floor_transposed_doubles():
    r"""
    en: The strides floor: 145 → 73 → 37. The transposed
    convolution doubles: 37 → 74
    zh: 跨步时向下取整：145 → 73 → 37。转置卷积把尺寸翻倍：37 → 74
    domain: H 1–80 on the meta device: Conv2d(3, stride 2, padding 1) gives ⌊(H − 1)/2⌋ + 1; the up block's
    ConvTranspose2d(2, stride 2) gives exactly 2H.
    """
    for h in range(1, 81):
        assert nn.Conv2d(1, 1, 3, stride=2, padding=1).to("meta")(meta(1, 1, h, h)).shape[-1] == (h - 1) // 2 + 1
        assert nn.ConvTranspose2d(1, 1, 2, stride=2).to("meta")(meta(1, 1, h, h)).shape[-1] == 2 * h
    assert [down(145), down(down(145))] == [73, 37]


@claim(PAGE, "odd")
def test_2x2_makes_two_sizes():
    r"""
    en: A 2×2 kernel with stride 2 can only make 74 or 75 from 37 (output padding 0 or 1), so asking for
    `output_size` is refused.
    zh: 步幅为 2 的 2×2 卷积核从 37 只能得到 74 或 75（输出填充为 0 或 1），所以指定 `output_size` 会被拒绝。
    domain: inputs 1–40 to ConvTranspose2d(2, stride 2): output_size 2H and 2H + 1 work, 2H − 1 and 2H + 2 are
    refused with torch's message.
    """
    layer = nn.ConvTranspose2d(1, 1, 2, stride=2)
    for h in range(1, 41):
        x = torch.zeros(1, 1, h, h)
        for size in (2 * h, 2 * h + 1):
            assert layer(x, output_size=[size, size]).shape[-1] == size
        for size in (2 * h - 1, 2 * h + 2):
            if size >= 1:
                with pytest.raises(ValueError, match="valid sizes range from"):
                    layer(x, output_size=[size, size])


@claim(PAGE, "odd")
def test_three_fixes():
    r"""
    en: Three fixes that work: a kernel that can reach 73 (k=3, p=1, and the
    size passed as `output_size`, see output_padding); cropping the upsampled map to the
    skip's size (the original U-Net cropped the skip instead); or interpolating to `size=`:
    zh: 可行的修正有三种：换一个能得到 73 的卷积核（k=3、p=1，并把尺寸作为 `output_size` 传入，见输出填充）；把上采样后的特征图裁剪成跳跃连接的大小
    （最初的 U-Net 裁剪的是跳跃连接）；或者用 `size=` 插值：
    domain: every skip size S 1–60 (its stride-2 map m = ⌈S/2⌉): ConvTranspose2d(3, 2, 1) with output_size=S
    gives S; the 2×2 up block's 2m is at least S, so cropping gives S; F.interpolate(size=S) gives S; each
    result concatenates with the skip. (The original U-Net's cropping is the paper's, not checked here.)
    """
    fix = nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1)
    block = nn.ConvTranspose2d(1, 1, 2, stride=2)
    for s in range(1, 61):
        skip = torch.zeros(1, 1, s, s)
        h = nn.Conv2d(1, 1, 3, stride=2, padding=1)(skip)
        for y in (fix(h, output_size=[s, s]), block(h)[..., :s, :s], F.interpolate(h, size=(s, s), mode="nearest")):
            assert torch.cat([y, skip], dim=1).shape == (1, 2, s, s)


@claim(PAGE, "pitfalls")
def test_sizes_not_divisible():
    r"""
    en: Sizes not divisible by $2^n$ after $n$ stride-2 stages do not come back; pad the input to a
    multiple, or pass `output_size=skip.shape[-2:]` to a transposed convolution that can reach it
    (k=3, p=1 can; from 37 the 2×2 and 4×4 kernels above make 74 or 75, never 73).
    zh: 尺寸不能被 $2^n$ 整除时，经过 $n$ 级步幅为 2 的缩小后就回不到原尺寸；要么把输入补到 $2^n$ 的倍数，要么把 `output_size=skip.shape[-2:]` 传给一个能得到这个尺寸的转置卷积（k=3、p=1 可以；上面 2×2 和 4×4 的卷积核从 37 只能得到 74 或 75，得不到 73）。
    domain: n 1–3 stages of the page's layers (k 3, s 2, p 1 down; k 4, s 2, p 1 up), H 1–64: the round trip
    gives H back exactly when 2ⁿ divides H, and the padded input (next multiple) comes back; with
    output_size, k 3, p 1 reaches every skip size S 1–64 from ⌈S/2⌉, the 2×2 and 4×4 layers only the even ones.
    """
    for n, h in itertools.product(range(1, 4), range(1, 65)):
        t = h
        for _ in range(n):
            t = down(t)
        for _ in range(n):
            t = up4(t)
        assert (t == h) == (h % 2 ** n == 0)
        assert t == -(-h // 2 ** n) * 2 ** n
    for s in range(1, 65):
        m = down(s)
        reach3 = {arith.conv_transpose_axis(m, 3, 2, 1, output_padding=a).size for a in (0, 1)}
        reach4 = {up4(m, a) for a in (0, 1)}
        reach2 = {arith.conv_transpose_axis(m, 2, 2, 0, output_padding=a).size for a in (0, 1)}
        assert s in reach3
        assert (s in reach4) == (s in reach2) == (s % 2 == 0)
    assert {up4(37, a) for a in (0, 1)} == {arith.conv_transpose_axis(37, 2, 2, 0, output_padding=a).size for a in (0, 1)} == {74, 75}


@claim(PAGE, "pitfalls")
def test_concatenation_channels():
    r"""
    en: Concatenation adds channels: the convolution after it needs `in_channels` = upsampled + skip.
    zh: 拼接会增加通道数：后面那个卷积的 `in_channels` 等于上采样的通道数加上跳跃连接的通道数。
    domain: upsampled 1–4 and skip 1–4 channels: Conv2d(up + skip) accepts the concatenation, one less or
    one more is refused.
    """
    for cu, cs in itertools.product(range(1, 5), range(1, 5)):
        cat = torch.cat([torch.zeros(1, cu, 4, 4), torch.zeros(1, cs, 4, 4)], dim=1)
        nn.Conv2d(cu + cs, 2, 3, padding=1)(cat)
        for wrong in (cu + cs - 1, cu + cs + 1):
            with pytest.raises(RuntimeError):
                nn.Conv2d(wrong, 2, 3, padding=1)(cat)


@claim(PAGE, "pitfalls")
def test_bottleneck_decides():
    r"""
    en: The bottleneck decides what survives: without skips the decoder cannot restore detail the
    encoder dropped.
    zh: 瓶颈决定了什么能留下来：没有跳跃连接，解码器无法恢复编码器丢掉的细节。
    domain: the figure's one-channel encoder (binomial blur, stride 2, twice) on 16 × 16 inputs, as a matrix
    from its Jacobian: 240 of 256 input directions (its null space) reach the bottleneck as zero, so an
    input plus any of them gives the same bottleneck and the same decoder output (bilinear 4×4, twice);
    a U-Net mix with the skip does change.
    """
    blur = torch.tensor([[1., 2., 1.], [2., 4., 2.], [1., 2., 1.]], dtype=torch.float64)[None, None] / 16
    b = torch.tensor([1., 3., 3., 1.], dtype=torch.float64) / 4
    bil = torch.outer(b, b)[None, None]

    def encode(x):
        return F.conv2d(F.conv2d(x, blur, stride=2, padding=1), blur, stride=2, padding=1)

    def decode(z):
        return F.conv_transpose2d(F.conv_transpose2d(z, bil, stride=2, padding=1), bil, stride=2, padding=1)

    J = torch.autograd.functional.jacobian(lambda v: encode(v.view(1, 1, 16, 16)).flatten(), torch.zeros(256, dtype=torch.float64))
    assert torch.linalg.matrix_rank(J) == 16
    null = torch.linalg.svd(J, full_matrices=True).Vh[16:]
    assert null.shape[0] == 240
    x = torch.rand(1, 1, 16, 16, dtype=torch.float64)
    detail = (null[:5].sum(0)).view(1, 1, 16, 16)
    assert not torch.allclose(x, x + detail)
    assert torch.allclose(encode(x + detail), encode(x), atol=1e-12)
    assert torch.allclose(decode(encode(x + detail)), decode(encode(x)), atol=1e-12)
    skip = F.conv2d(x + detail, blur, stride=2, padding=1)
    assert not torch.allclose(skip, F.conv2d(x, blur, stride=2, padding=1))


@claim(PAGE, "exercises")
def test_multiples_of_4_come_back():
    r"""
    en: The multiples of 4 (140, 144, 148); every other size is rounded up to the next multiple of 4.
    zh: 4 的倍数（140、144、148）；其他尺寸都被向上凑到下一个 4 的倍数。
    domain: every input size 1–200 through the page's encoder–decoder (torch, meta device).
    """
    net = nn.Sequential(
        nn.Conv2d(1, 2, 3, stride=2, padding=1), nn.Conv2d(2, 2, 3, stride=2, padding=1),
        nn.ConvTranspose2d(2, 2, 4, stride=2, padding=1), nn.ConvTranspose2d(2, 1, 4, stride=2, padding=1),
    ).to("meta")
    for h in range(1, 201):
        assert net(meta(1, 1, h, h)).shape[-1] == -(-h // 4) * 4


@claim(PAGE, "exercises")
def test_odd_sizes_come_back_with_k3():
    r"""
    en: Odd sizes come
    back exactly with k=3; even sizes would need `output_padding=1`.
    zh: 奇数尺寸用 k=3 能精确还原；偶数尺寸则需要 `output_padding=1`。
    domain: sizes 1–200 through Conv2d(3, 2, 1) and back through ConvTranspose2d(3, 2, 1): output padding 0
    gives back every odd size, 1 every even one (torch, and figures.arith.transposed_of).
    """
    for h in range(1, 201):
        m = down(h)
        a = 0 if h % 2 else 1
        assert arith.transposed_of(h, 3, 2, 1) == (m, a)
        got = nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=a).to("meta")(meta(1, 1, m, m)).shape[-1]
        assert got == h


@claim(PAGE, "unet")
def test_mix_lets_the_skip_through():
    r"""
    en: In the figure's bottom row the mix is a
    1×1 convolution with weights ½ and ½, so the sharp edges of the skip come through
    zh: 图中第三行的混合是权重为 ½、½ 的 1×1 卷积，所以跳跃连接带来的清晰边缘能透过来
    domain: figures.growing.record_encoder_decoder at 64, 144 and 200: the mix is (up1 + skip)/2, and its edges
    (mean absolute difference of neighbours) are stronger than the decoder's up1 alone.
    """
    from figures.growing import record_encoder_decoder

    def edges(t):
        return (t[1:, :] - t[:-1, :]).abs().mean() + (t[:, 1:] - t[:, :-1]).abs().mean()

    for size in (64, 144, 200):
        u1, skip, mixed = record_encoder_decoder(size).skip_up
        assert torch.allclose(mixed, (u1 + skip) / 2)
        assert edges(mixed) > edges(u1)
