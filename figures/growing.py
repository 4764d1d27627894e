"""Experiments of the chapters on growing a feature map back (torch only computes; no drawing).

Convolution as a matrix, the ways to upsample compared on a photograph, the overlap counts
and checkerboard artifacts of transposed convolutions, and a small encoder–decoder. Every
record is checked against the torch operation it stands for before it is returned.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .experiments import BLUR, photograph


def bilinear_kernel(factor: int = 2) -> torch.Tensor:
    """The (2f − f mod 2)-square kernel with which ``conv_transpose2d(stride=f)`` interpolates
    bilinearly (the initialisation of Long, Shelhamer & Darrell's FCN)."""
    k = 2 * factor - factor % 2
    centre = (k - 1) / 2 if k % 2 else factor - 0.5
    r = torch.arange(k, dtype=torch.float64)
    v = 1 - (r - centre).abs() / factor
    return torch.outer(v, v)


def bilinear_transposed(x: torch.Tensor, factor: int = 2) -> torch.Tensor:
    """Bilinear upsampling (``align_corners=False``) as a transposed convolution: the input is
    first padded by one edge cell (``interpolate`` repeats the edge; a transposed convolution
    would see zeros), and the padding cropped off again. x: (N, C, H, W)."""
    c = x.shape[1]
    w = bilinear_kernel(factor).to(x.dtype).expand(c, 1, -1, -1)
    k = w.shape[-1]
    crop = (k - factor) // 2 + factor  # the transposed convolution's own crop, plus the padded cell
    return F.conv_transpose2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), w, stride=factor, padding=crop, groups=c)


# --- convolution as a matrix ---------------------------------------------------------------


@dataclass(frozen=True)
class MatrixRecord:
    """The matrix C of a stride-1 convolution without padding: vec(Y) = C · vec(X)."""

    input: torch.Tensor  # (H, W)
    weight: torch.Tensor  # (k, k)
    matrix: torch.Tensor  # (H_out·W_out, H·W)
    output: torch.Tensor  # (H_out, W_out)
    windows: tuple[tuple[tuple[int, int], ...], ...]  # the input cells each output cell reads


def conv_matrix(weight: torch.Tensor, shape: tuple[int, int]) -> torch.Tensor:
    """The matrix of ``F.conv2d(·, weight)`` on inputs of ``shape``, from the gradient: row i is
    the gradient of output cell i with respect to the input."""
    def conv(v: torch.Tensor) -> torch.Tensor:
        return F.conv2d(v.reshape(1, 1, *shape), weight[None, None]).flatten()

    return torch.autograd.functional.jacobian(conv, torch.zeros(shape[0] * shape[1], dtype=weight.dtype))


def record_matrix(size: int = 4, kernel: int = 3) -> MatrixRecord:
    x = torch.arange(1.0, size * size + 1, dtype=torch.float64).reshape(size, size)
    w = torch.arange(1.0, kernel * kernel + 1, dtype=torch.float64).reshape(kernel, kernel)
    c = conv_matrix(w, (size, size))
    y = F.conv2d(x[None, None], w[None, None])[0, 0]
    if not torch.equal(c @ x.flatten(), y.flatten()):
        raise AssertionError("C · vec(X) is not torch.nn.functional.conv2d")
    # the matrix from unfold agrees: each row holds the kernel where its window lies
    patches = F.unfold(torch.arange(size * size, dtype=torch.float64).reshape(1, 1, size, size), kernel)[0]
    rows = torch.zeros_like(c)
    for i in range(c.shape[0]):
        rows[i, patches[:, i].long()] = w.flatten()
    if not torch.equal(rows, c):
        raise AssertionError("the matrix from unfold differs from the matrix from the gradient")
    windows = tuple(tuple(divmod(int(j), size) for j in torch.nonzero(c[i]).flatten()) for i in range(c.shape[0]))
    return MatrixRecord(x, w, c, y, windows)


# --- ways to upsample ----------------------------------------------------------------------

@dataclass(frozen=True)
class UpsampleRecord:
    """One photograph, reduced by 2×2 max pooling, then brought back to twice its size by each
    way of upsampling; the learnable ones with hand-set weights (listed in ``weights``)."""

    original: torch.Tensor  # (2H, 2W): what max pooling reduced
    input: torch.Tensor  # (H, W)
    outputs: dict  # method → (2H, 2W)
    weights: dict  # method → the weight it used (learnable methods only)


def upsample_modules(channels: int) -> dict:
    """The learnable upsamplers for ``channels`` → ``channels`` at factor 2, torch's default init."""
    return {
        "transposed": nn.ConvTranspose2d(channels, channels, 3, stride=2, padding=1, output_padding=1),
        "pixel-shuffle": nn.Sequential(nn.Conv2d(channels, 4 * channels, 3, padding=1), nn.PixelShuffle(2)),
        "resize-conv": nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(channels, channels, 3, padding=1)),
    }


def record_upsampling(size: int = 36) -> UpsampleRecord:
    original = photograph(2 * size)[None, None]
    x, indices = F.max_pool2d(original, 2, return_indices=True)
    blur = torch.tensor(BLUR, dtype=torch.float64) / 16
    quarter = torch.full((3, 3), 0.25, dtype=torch.float64)
    modules = upsample_modules(1)
    with torch.no_grad():
        for m in modules.values():
            for p in m.parameters():
                p.zero_()
        modules["transposed"].weight.copy_(quarter)
        modules["pixel-shuffle"][0].weight.copy_(blur.expand(4, 1, 3, 3))  # ICNR: four equal sub-pixels
        modules["resize-conv"][1].weight.copy_(blur)
        modules = {name: m.double() for name, m in modules.items()}
        outputs = {
            "nearest": F.interpolate(x, scale_factor=2, mode="nearest"),
            "bilinear": F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False),
            "bilinear-corners": F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True),
            "unpool": F.max_unpool2d(x, indices, 2),
            **{name: m(x) for name, m in modules.items()},
        }
    unpooled = outputs["unpool"].flatten()
    if not torch.equal(unpooled[indices.flatten()], x.flatten()) or unpooled.count_nonzero() > x.numel():
        raise AssertionError("max unpooling did not put each maximum back where it came from")
    if not torch.allclose(outputs["pixel-shuffle"], F.interpolate(F.conv2d(x, blur[None, None], padding=1), scale_factor=2)):
        raise AssertionError("the ICNR-initialised pixel shuffle is not nearest upsampling of the blurred input")
    weights = {"transposed": quarter, "pixel-shuffle": blur, "resize-conv": blur}
    return UpsampleRecord(original[0, 0], x[0, 0], {k: v[0, 0] for k, v in outputs.items()}, weights)


# --- overlap and checkerboard artifacts ----------------------------------------------------

@dataclass(frozen=True)
class OverlapRecord:
    """How many kernel cells land on each output cell of stacked transposed convolutions with
    stride 2 (input and kernels all ones): for each kernel size, after one and after two layers,
    in 1D and in 2D."""

    kernels: tuple[int, ...]
    counts_1d: dict  # (k, layers) → (L,)
    counts_2d: dict  # (k, layers) → (H, W)


def doubling(kernel: int) -> dict:
    """The padding and output padding with which a stride-2 transposed convolution of this
    kernel size doubles its input: k = 3: p=1, a=1; k = 4: p=1, a=0."""
    return {"stride": 2, "padding": (kernel - 1) // 2, "output_padding": kernel % 2}


def overlap_counts(kernel: int, size, layers: int) -> torch.Tensor:
    """The overlap count map, computed by torch: ones through ``layers`` transposed
    convolutions with all-ones kernels (1D for an int ``size``, 2D for a pair)."""
    two_d = not isinstance(size, int)
    t = torch.ones((1, 1, *size) if two_d else (1, 1, size), dtype=torch.float64)
    op = F.conv_transpose2d if two_d else F.conv_transpose1d
    w = torch.ones((1, 1, kernel, kernel) if two_d else (1, 1, kernel), dtype=torch.float64)
    for _ in range(layers):
        t = op(t, w, **doubling(kernel))
    return t[0, 0]


def record_overlap(kernels=(3, 4), length: int = 6, size: int = 3) -> OverlapRecord:
    one = {(k, n): overlap_counts(k, length, n) for k in kernels for n in (1, 2)}
    two = {(k, n): overlap_counts(k, (size, size), n) for k in kernels for n in (1, 2)}
    return OverlapRecord(tuple(kernels), one, two)


STACKS = ("transposed-3", "transposed-4", "resize-conv")


def untrained_stack(kind: str, channels: int = 8, layers: int = 3, seed: int = 0) -> nn.Sequential:
    """``layers`` upsampling layers at factor 2 with torch's default (random) initialisation,
    ReLU between them, ending in one channel."""
    torch.manual_seed(seed)
    blocks = []
    for n in range(layers):
        c_out = 1 if n == layers - 1 else channels
        if kind == "resize-conv":
            blocks += [nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(channels, c_out, 3, padding=1)]
        else:
            k = int(kind.rsplit("-", 1)[1])
            blocks.append(nn.ConvTranspose2d(channels, c_out, k, **doubling(k)))
        if n < layers - 1:
            blocks.append(nn.ReLU())
    return nn.Sequential(*blocks).double()


@dataclass(frozen=True)
class ConstantRecord:
    """The output of each untrained stack on a constant input (all ones)."""

    input_shape: tuple[int, ...]
    outputs: dict  # stack kind → (H, W)


def record_constant(size: int = 6, channels: int = 8, layers: int = 3) -> ConstantRecord:
    x = torch.ones(1, channels, size, size, dtype=torch.float64)
    with torch.no_grad():
        outputs = {kind: untrained_stack(kind, channels, layers)(x)[0, 0] for kind in STACKS}
    return ConstantRecord(tuple(x.shape), outputs)


# --- down and up again ---------------------------------------------------------------------


@dataclass(frozen=True)
class EncoderDecoderRecord:
    """A photograph through two stride-2 convolutions (a 3×3 blur) and back through two
    stride-2 transposed convolutions (the 4×4 bilinear kernel); and a U-Net style up block
    that concatenates the upsampled map with the encoder's map of the same size (the skip)
    and mixes the two channels with a 1×1 convolution of weights ½, ½."""

    stages: dict  # name → (H, W), in order: x, down1, down2, up1, up2
    skip_up: tuple  # (up1, skip = down1, mixed), each (H/2, W/2)
    shapes: dict  # name → the full tensor shape


def record_encoder_decoder(size: int = 144) -> EncoderDecoderRecord:
    x = photograph(size)[None, None]
    blur = torch.tensor(BLUR, dtype=torch.float64)[None, None] / 16
    bil = bilinear_kernel(2)[None, None]
    down = nn.Conv2d(1, 1, 3, stride=2, padding=1, bias=False).double()
    up = nn.ConvTranspose2d(1, 1, 4, stride=2, padding=1, bias=False).double()
    mix = nn.Conv2d(2, 1, 1, bias=False).double()
    with torch.no_grad():
        down.weight.copy_(blur)
        up.weight.copy_(bil)
        mix.weight.fill_(0.5)
        d1 = down(x)
        d2 = down(d1)
        u1 = up(d2)
        u2 = up(u1)
        cat = torch.cat([u1, d1], dim=1)
        mixed = mix(cat)
    stages = {"x": x, "down1": d1, "down2": d2, "up1": u1, "up2": u2}
    if u2.shape != x.shape:
        raise AssertionError("the decoder did not restore the input's shape")
    shapes = {**{k: tuple(v.shape) for k, v in stages.items()}, "cat": tuple(cat.shape), "mixed": tuple(mixed.shape)}
    return EncoderDecoderRecord({k: v[0, 0] for k, v in stages.items()}, (u1[0, 0], d1[0, 0], mixed[0, 0]), shapes)
