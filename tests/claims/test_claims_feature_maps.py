"""The claims of the feature-maps chapter (docs/en/feature-maps.md, docs/zh/feature-maps.md)."""

from __future__ import annotations

import itertools
import math

import torch
import torch.nn.functional as F
from torch import nn

from .claim import claim
from figures.experiments import BLUR, EDGE_KERNELS, photograph

PAGE = "feature-maps"
torch.manual_seed(0)
D = torch.float64
W = torch.tensor(EDGE_KERNELS, dtype=D)  # W0 … W3


def conv(x, w, **kw):
    return F.conv2d(x, w[None, None] if w.dim() == 2 else w, **kw)


@claim(PAGE, "edges")
def test_edge_kernels():
    r"""
    en: $W_0$ subtracts the row below from the row above: it responds to *horizontal*
    edges. $W_1$, its transpose, responds to *vertical* edges. $W_2$ and $W_3$ are Sobel's two
    kernels, which weigh the middle row or column twice and so smooth a little along the edge.
    zh: $W_0$ 用上一行减去下一行，
    对*水平*边缘有响应；它的转置 $W_1$ 对*竖直*边缘有响应。$W_2$ 和 $W_3$ 是 Sobel 的两个卷积核，中间一行（或一列）的权重加倍，
    因此沿着边缘略有平滑。
    domain: random 6–9 × 6–9 images: W0's output is the window's top row sum minus its bottom row sum; W1 =
    W0ᵀ; on images that vary only down the columns (horizontal edges) W1, W3 give 0 and W0, W2 do not, and
    the other way round on images that vary only along the rows; W2 (W3) is the difference across the
    edge of a [1, 2, 1] smoothing along it.
    """
    w0, w1, w2, w3 = W
    assert torch.equal(w1, w0.T) and torch.equal(w3, w2.T)
    for h, wd in itertools.product(range(6, 10), range(6, 10)):
        x = torch.randn(1, 1, h, wd, dtype=D)
        unf = F.unfold(x, 3)[0].view(3, 3, -1)
        assert torch.allclose(conv(x, w0).flatten(), unf[0].sum(0) - unf[2].sum(0))
        rows = torch.randn(h, 1, dtype=D).expand(h, wd)[None, None]  # changes only from row to row
        cols = torch.randn(1, wd, dtype=D).expand(h, wd)[None, None]
        for k in (w1, w3):
            assert torch.allclose(conv(rows, k), torch.zeros(1, dtype=D))
            assert not torch.allclose(conv(cols, k), torch.zeros(1, dtype=D))
        for k in (w0, w2):
            assert torch.allclose(conv(cols, k), torch.zeros(1, dtype=D))
            assert not torch.allclose(conv(rows, k), torch.zeros(1, dtype=D))
        smooth = torch.tensor([[1., 2., 1.]], dtype=D)
        diff = torch.tensor([[1.], [0.], [-1.]], dtype=D)
        assert torch.allclose(conv(x, w2), conv(conv(x, smooth), diff))
        assert torch.allclose(conv(x, w3), conv(conv(x, smooth.T), diff.T))


@claim(PAGE, "edges")
def test_w1_adds_left_subtracts_right():
    r"""
    en: $W_1$ adds the left column and subtracts the right one
    zh: $W_1$ 加上左列、减去右列
    domain: random 3–8 × 3–8 images: each output of W1 is the window's left column sum minus its right
    column sum.
    """
    for h, wd in itertools.product(range(3, 9), range(3, 9)):
        x = torch.randn(1, 1, h, wd, dtype=D)
        unf = F.unfold(x, 3)[0].view(3, 3, -1)
        assert torch.allclose(conv(x, W[1]).flatten(), unf[:, 0].sum(0) - unf[:, 2].sum(0))


@claim(PAGE, "edges")
def test_padding_keeps_the_size():
    r"""
    en: The first layer has four 3×3 kernels and padding 1, so every map keeps the photograph's
    144×144 cells.
    zh: 第一层有四个 3×3 卷积核，填充为 1，所以每张特征图都保持照片的 144×144 大小。
    domain: the first layer on photographs (and zeros) of 8–160 cells, on the meta device for the sizes:
    four maps of the input's size.
    """
    layer = nn.Conv2d(1, 4, 3, padding=1, bias=False).to("meta")
    for h in range(8, 161):
        assert layer(torch.zeros(1, 1, h, h, device="meta")).shape == (1, 4, h, h)
    assert conv(photograph(144)[None, None], W[:, None], padding=1).shape == (1, 4, 144, 144)


@claim(PAGE, "stride-2")
def test_groups_own_channel():
    r"""
    en: With `groups=4` each output channel reads only its own input channel
    zh: `groups=4` 让每个输出通道只读
    自己对应的输入通道
    domain: grouped convolutions with 4 channels and groups 1, 2, 4 (and 6 channels, groups 3, 6), random
    weights: the gradient of output channel c reaches exactly the input channels of c's group (only c
    itself at groups = channels).
    """
    for c, g in ((4, 1), (4, 2), (4, 4), (6, 3), (6, 6)):
        w = torch.rand(c, c // g, 3, 3, dtype=D) + 0.5
        for out in range(c):
            x = torch.randn(1, c, 6, 6, dtype=D, requires_grad=True)
            F.conv2d(x, w, stride=2, padding=1, groups=g)[0, out].sum().backward()
            reached = {i for i in range(c) if x.grad[0, i].abs().sum() > 0}
            size = c // g
            assert reached == set(range(out // size * size, out // size * size + size))


@claim(PAGE, "stride-2")
def test_half_as_wide():
    r"""
    en: Drawn at the same scale, the maps are half as wide and half as
    high; the edges are still there, coarser.
    zh: 按同一比例画出来，特征图的宽和高都只剩一半；边缘还在，只是更粗糙。
    domain: the second layer (binomial blur, stride 2, padding 1, groups 4) on the page's first-layer maps of the
    photograph: 72 × 72 from 144 × 144; each halved map correlates with its map subsampled (r > 0.9):
    the edges are still where they were.
    """
    x = photograph(144)[None, None]
    h = conv(x, W[:, None], padding=1)
    blur = torch.tensor(BLUR, dtype=D) / 16
    g = F.conv2d(h, blur.expand(4, 1, 3, 3), stride=2, padding=1, groups=4)
    assert g.shape == (1, 4, 72, 72)
    for c in range(4):
        a, b = g[0, c].flatten(), h[0, c, ::2, ::2].flatten()
        assert torch.corrcoef(torch.stack([a, b]))[0, 1] > 0.9


@claim(PAGE, "stride-2")
def test_channels_from_kernels():
    r"""
    en: The channel count comes from the number of kernels, the spatial size from the formula.
    zh: 通道数来自卷积核的个数，空间尺寸来自公式。
    domain: Conv2d with 1–6 kernels of 1–3 input channels, k 1–3, stride 1–2, padding 0–1, on 9 × 9: the output's
    channels are the kernels, its size the formula.
    """
    for n, ci, k, s, p in itertools.product(range(1, 7), range(1, 4), range(1, 4), (1, 2), (0, 1)):
        y = nn.Conv2d(ci, n, k, stride=s, padding=p).to("meta")(torch.zeros(1, ci, 9, 9, device="meta"))
        assert y.shape == (1, n, (9 + 2 * p - k) // s + 1, (9 + 2 * p - k) // s + 1)


@claim(PAGE, "pitfalls")
def test_zero_padding_makes_edges():
    r"""
    en: Zero padding makes edges of its own. The photograph is bright at the top; the padding
    is 0, black. The horizontal-edge kernels see a strong edge along the whole first row, which
    is not in the photograph. `padding_mode="replicate"` (see
    padding modes) removes most of it:
    zh: 零填充会自己制造边缘。 照片顶部很亮，而填充是 0，也就是黑色。水平边缘卷积核因此在整个第一行上看到一条照片里并不存在的强边缘。
    改用 `padding_mode="replicate"`（见填充方式）可以去掉大部分：
    domain: constant images of 1–9 values from 0.1 to 0.9 (no edge at all), 5–9 cells: zero padding gives W0 and
    W2 a response of c·(sum of the bottom row) on the whole first row, replicate gives 0 everywhere; on the
    photograph (sizes 72, 144) replicate keeps less than a fifth of the zero-padded first-row response of W0 and W2.
    """
    for c, n in itertools.product([i / 10 for i in range(1, 10)], range(5, 10)):
        x = torch.full((1, 1, n, n), c, dtype=D)
        for k in (W[0], W[2]):
            zero = conv(x, k, padding=1)[0, 0]
            assert torch.allclose(zero[0, 1:-1], torch.full((n - 2,), c * float(k[2].sum()), dtype=D))
            rep = F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), k[None, None])
            assert torch.allclose(rep, torch.zeros_like(rep))
    for size in (72, 144):
        x = photograph(size)[None, None]
        for k in (W[0], W[2]):
            zero = conv(x, k, padding=1)[0, 0, 0].abs().mean()
            rep = F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), k[None, None])[0, 0, 0].abs().mean()
            assert rep < zero / 5


@claim(PAGE, "pitfalls")
def test_symmetric_limits():
    r"""
    en: The figures clip at the 99th percentile of $|h|$ so that the few
    strongest edges (the border, again) do not wash out the rest.
    zh: 图中按 $|h|$ 的第 99 百分位截断，
    免得少数最强的边缘（又是边界）把其余的都冲淡。
    domain: figures.panels._edge_limits on random signed maps (and the photograph's four maps): the limits
    are ±(the 99th percentile of |h|), symmetric about 0, below the maximum when a few cells are far stronger.
    """
    from figures import panels

    x = photograph(144)[None, None]
    maps = list(conv(x, W[:, None], padding=1)[0]) + [torch.randn(40, 40, dtype=D) for _ in range(3)]
    for m in maps:
        m = m.clone()
        m[0, :5] = 50.0  # a few strong cells
        lo, hi = panels._edge_limits([m.tolist()])
        top = sorted(m.abs().flatten().tolist())[int(0.99 * (m.numel() - 1))]
        assert lo == -hi and math.isclose(hi, top) and hi < 50.0


@claim(PAGE, "pitfalls")
def test_stride_without_blur_aliases():
    r"""
    en: A stride without a blur aliases. Taking every other cell of a map with fine detail
    (the flag's stripes) can create patterns that are not there; the binomial kernel smooths
    before the stride drops cells.
    zh: 只跨步不模糊会产生混叠。 在细节很密的特征图上（比如旗帜的条纹）隔一格取一格，可能造出原本没有的图样；
    二项式卷积核在步幅丢掉格子之前先做了平滑。
    domain: stripes cos(ωn) with ω from 0.55π to 0.95π (periods between 2 and 4 cells), 80 cells: every other
    cell is exactly a stripe of frequency 2π − 2ω, a coarser pattern the map does not have, at full
    amplitude; after the binomial kernel its amplitude is (1 + cos ω)/2 of that.
    """
    n = torch.arange(80, dtype=D)
    blur = torch.tensor([[[1., 2., 1.]]], dtype=D) / 4
    for step in range(11, 20):
        omega = step * 0.05 * math.pi
        x = torch.cos(omega * n)
        m = torch.arange(40, dtype=D)
        assert torch.allclose(x[::2], torch.cos((2 * math.pi - 2 * omega) * m))
        blurred = F.conv1d(x[None, None], blur, padding=1)[0, 0]
        assert torch.allclose(blurred[2:-2:2], (1 + math.cos(omega)) / 2 * x[2:-2:2])


@claim(PAGE, "pitfalls")
def test_no_flip():
    r"""
    en: PyTorch does not flip the kernel: $W_1$ responds negatively to a dark-to-bright edge
    (from left to right) because the kernel is applied as written.
    zh: PyTorch 不翻转卷积核：$W_1$ 对从左到右由暗变亮的边缘给出负响应，因为卷积核是照原样作用的。
    domain: step images dark (0–0.4) on the left, bright (0.6–1) on the right, the step at columns 2–6 of 8:
    W1 gives negative values at the step and none positive; the flipped kernel (a true convolution)
    gives the positive ones.
    """
    for lo, hi, at in itertools.product((0.0, 0.2, 0.4), (0.6, 1.0), range(2, 7)):
        x = torch.full((1, 1, 6, 8), lo, dtype=D)
        x[..., at:] = hi
        y = conv(x, W[1])
        assert (y <= 0).all() and (y < 0).any()
        assert torch.allclose(conv(x, torch.flip(W[1], (0, 1))), -y)


@claim(PAGE, "exercises")
def test_odd_size_rounds_up():
    r"""
    en: an odd size is rounded up, not halved exactly.
    zh: 奇数尺寸向上取整，并不是精确减半。
    domain: every size 1–300 through the stride-2 layer (k 3, padding 1), meta device: (H + 1)/2 for odd H, H/2 for even.
    """
    layer = nn.Conv2d(1, 1, 3, stride=2, padding=1).to("meta")
    for h in range(1, 301):
        assert layer(torch.zeros(1, 1, h, h, device="meta")).shape[-1] == (h + 1) // 2


@claim(PAGE, "exercises")
def test_groups_parameters():
    r"""
    en: without groups every output channel would read all four
    input channels, $4 \cdot 4 \cdot 3 \cdot 3 = 144$.
    zh: 不分组时每个输出通道都要读全部四个输入通道，$4 \cdot 4 \cdot 3 \cdot 3 = 144$。
    domain: Conv2d without bias, channels 4 and 6 (in = out), every group count that divides them, k 1–3: C_out·(C_in/g)·k² weights.
    """
    for c, k in itertools.product((4, 6), range(1, 4)):
        for g in (d for d in range(1, c + 1) if c % d == 0):
            assert sum(p.numel() for p in nn.Conv2d(c, c, k, groups=g, bias=False).parameters()) == c * (c // g) * k * k


@claim(PAGE, "exercises")
def test_diagonal_kernel():
    r"""
    en: Rotating the Sobel kernel by 45° gives one answer; its mean response is of the same
    order as the horizontal and vertical ones.
    zh: 把 Sobel 卷积核旋转 45° 就是一种答案；它的平均响应和水平、竖直边缘的在同一数量级。
    domain: the answer's kernel: its ring of eight weights is Sobel's (W2, W3 or their negatives) moved one
    place; on the photograph (72, 144) its mean |h| inside is within a factor 2 of each of W0–W3's.
    """
    diagonal = torch.tensor([[0., 1, 2], [-1, 0, 1], [-2, -1, 0]], dtype=D)
    ring = [(0, 0), (0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0), (1, 0)]

    def turned(k, by):
        out = k.clone()
        for i, (r, c) in enumerate(ring):
            out[ring[(i + by) % 8]] = k[r, c]
        return out

    sobels = [W[2], W[3], -W[2], -W[3]]
    assert any(torch.equal(turned(s, by), diagonal) for s in sobels for by in (1, -1))
    for size in (72, 144):
        x = photograph(size)[None, None]
        d = conv(x, diagonal, padding=1)[0, 0, 1:-1, 1:-1].abs().mean()
        for k in W:
            other = conv(x, k, padding=1)[0, 0, 1:-1, 1:-1].abs().mean()
            assert other / 2 < d < other * 2
