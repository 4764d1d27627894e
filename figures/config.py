"""A figure's configuration: what to compute, checked by the arithmetic alone (no torch)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Union

from . import arith

KINDS = ("conv", "transposed", "max", "avg")
VALUES = ("arange", "ones", "random")
MAX_GRID = 32  # cells per axis of the grid a figure draws (padding and inserted zeros included)
MAX_SEED = 2**64 - 1  # torch.Generator.manual_seed takes 0 … 2**64 − 1 (a negative seed is one of these)

Pair = tuple[int, int]


@dataclass(frozen=True)
class Config:
    """One convolution or transposed convolution to draw, with its values."""

    kind: str
    input: Pair
    kernel: Pair
    stride: Pair = (1, 1)
    padding: Union[Pair, str] = (0, 0)  # a pair, or "same"/"valid" for a convolution
    dilation: Pair = (1, 1)
    output_padding: Pair = (0, 0)
    values: str = "arange"
    seed: int = 0
    ceil_mode: bool = False  # pooling only

    def check(self) -> arith.Shape:
        """The output shape; ValueError (naming the bad value) for an impossible configuration."""
        if self.kind not in KINDS:
            raise ValueError(f"kind={self.kind!r}: kind must be one of {', '.join(KINDS)}")
        if self.values not in VALUES:
            raise ValueError(f"values={self.values!r}: values must be one of {', '.join(VALUES)}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed <= MAX_SEED:
            raise ValueError(f"seed={self.seed!r}: a seed is an integer from 0 to {MAX_SEED} (torch's range)")
        if self.kind != "transposed" and self.output_padding != (0, 0):
            raise ValueError(
                f"output_padding={self.output_padding}: output_padding belongs to a transposed convolution"
            )
        if self.ceil_mode and self.kind not in ("max", "avg"):
            raise ValueError("ceil_mode=True: only pooling has a ceil mode")
        if self.kind == "conv":
            shape = arith.conv2d(self.input, self.kernel, self.stride, self.padding, self.dilation)
        elif self.kind in ("max", "avg"):
            if isinstance(self.padding, str):
                raise ValueError(f"padding={self.padding!r}: pooling takes integer padding")
            if self.kind == "avg" and self.dilation != (1, 1):
                raise ValueError(f"dilation={self.dilation}: average pooling has no dilation")
            shape = arith.pool2d(self.input, self.kernel, self.stride, self.padding, self.dilation, self.ceil_mode)
        else:
            if isinstance(self.padding, str):
                raise ValueError(f"padding={self.padding!r}: a transposed convolution takes integer padding")
            shape = arith.conv_transpose2d(
                self.input, self.kernel, self.stride, self.padding, self.dilation, self.output_padding
            )
        for axis, size in zip(("height", "width"), self.grid_size()):
            if size > MAX_GRID:
                raise ValueError(
                    f"input={self.input[0]}×{self.input[1]}: the grid to draw would be {size} cells "
                    f"high/wide ({axis}); figures draw at most {MAX_GRID}"
                )
        return shape

    def grid_size(self) -> Pair:
        """Cells per axis of the grid the kernel slides over, as the figure draws it."""
        sizes = []
        for axis in (0, 1):
            i, k, d = self.input[axis], self.kernel[axis], self.dilation[axis]
            if self.kind in ("max", "avg"):
                o = arith.pool_axis(i, k, self.stride[axis], self.padding[axis], d, self.ceil_mode).size
                reach = (o - 1) * self.stride[axis] + d * (k - 1) + 1  # where the last window ends
                sizes.append(max(i + 2 * self.padding[axis], reach))  # type: ignore[index]
            elif self.kind == "conv":
                if self.padding == "same":
                    sizes.append(i + d * (k - 1))
                elif self.padding == "valid":
                    sizes.append(i)
                else:
                    sizes.append(i + 2 * self.padding[axis])  # type: ignore[index]
            else:
                s, p, a = self.stride[axis], self.padding[axis], self.output_padding[axis]  # type: ignore[index]
                sizes.append((i - 1) * s + 1 + 2 * (d * (k - 1) - p) + a)
        return sizes[0], sizes[1]

    def as_dict(self) -> dict:
        return asdict(self)

    def options(self) -> str:
        """The command-line options that give this configuration."""

        def pair(v) -> str:
            return str(v[0]) if v[0] == v[1] else f"{v[0]}x{v[1]}"

        parts = [self.kind, f"--input {pair(self.input)}", f"--kernel {pair(self.kernel)}"]
        if self.stride != (1, 1):
            parts.append(f"--stride {pair(self.stride)}")
        if isinstance(self.padding, str):
            parts.append(f"--padding {self.padding}")
        elif self.padding != (0, 0):
            parts.append(f"--padding {pair(self.padding)}")
        if self.dilation != (1, 1):
            parts.append(f"--dilation {pair(self.dilation)}")
        if self.output_padding != (0, 0):
            parts.append(f"--output-padding {pair(self.output_padding)}")
        if self.values != "arange":
            parts.append(f"--values {self.values}")
        if self.values == "random":
            parts.append(f"--seed {self.seed}")
        if self.ceil_mode:
            parts.append("--ceil-mode")
        return " ".join(parts)


@dataclass(frozen=True)
class TraceConfig:
    """A stack of unpadded single-channel convolutions, one output cell traced back."""

    input: int
    kernels: tuple[int, ...]
    strides: tuple[int, ...]
    dilations: tuple[int, ...]
    kind: str = "trace"

    def check(self) -> arith.Shape:
        size = (self.input, self.input)
        for k, s, d in zip(self.kernels, self.strides, self.dilations):
            size = arith.conv2d(size, k, s, 0, d).output
        return arith.Shape("trace", (self.input, self.input), size, ("", ""))

    def steps(self) -> int:
        return len(self.kernels) + 2  # the output cell, one layer back at a time, the hold

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ErfConfig:
    """Effective receptive fields of stacks of 3×3 convolutions: heat maps and growth."""

    shown: tuple[int, ...]  # depths drawn as heat maps
    measured: tuple[int, ...]  # depths on the growth plot
    size: int  # input size of every stack
    kind: str = "erf"

    def check(self) -> arith.Shape:
        if 2 * max(self.shown + self.measured) + 1 > self.size:
            raise ValueError(f"size={self.size}: smaller than the receptive field of the deepest stack")
        return arith.Shape("erf", (self.size, self.size), (self.size, self.size), ("", ""))

    def steps(self) -> int:
        return 1

    def as_dict(self) -> dict:
        return asdict(self)


# Figures made of several panels, each computed by one experiment with fixed values:
# name → (input shape, output shape, frames, parameters as the gallery lists them)
PANEL_FIGURES = {
    "equivariance": ((7, 11), (5, 9), 1, "k=3 Δ=0,2,4"),
    "pooling-aliasing": ((1, 8), (1, 4), 1, "k=2 s=2 Δ=0,1,2 blur=1,2,1"),
    "padding-modes": ((4, 4), (8, 8), 1, "p=2 mode=zeros,reflect,replicate,circular"),
    "dilation-coverage": ((7, 7), (5, 5), 26, "k=3 d=1,p=0 d=2,p=1"),
    "channel-sum": ((4, 4), (2, 2), 5, "C_in=3 C_out=1 k=3"),
    "output-padding-ambiguity": ((8, 8), (4, 4), 17, "k=3 s=2 p=1 i=7,8"),
    "tf-same-padding": ((6, 6), (3, 3), 10, "k=3 s=2 SAME i=6,5"),
    "transposed-scatter": ((2, 2), (5, 5), 5, "k=3 s=2 p=0"),
    "photo-edges": ((144, 144), (144, 144), 1, "C_out=4 k=3 p=1"),
    "photo-stride": ((144, 144), (72, 72), 1, "k=3 s=2 p=1 groups=4"),
    "conv-matrix": ((4, 4), (2, 2), 5, "k=3 C=4×16"),
    "upsampling-compared": ((36, 36), (72, 72), 1, "scale=2 methods=7"),
    "overlap-counts": ((3, 3), (12, 12), 1, "s=2 k=3,4 layers=1,2"),
    "checkerboard-constant": ((6, 6), (48, 48), 1, "s=2 layers=3 C=8 seed=0"),
    "encoder-decoder": ((144, 144), (144, 144), 1, "k=3 s=2 ×2, k=4 s=2 ×2"),
    "receptive-field-resnet18": ((224, 224), (7, 7), 1, "resnet18 layer1-4"),
    "channels-3d": ((4, 4), (2, 2), 9, "C_in=3 C_out=2 k=3"),
    "groups-3d": ((3, 3), (2, 2), 17, "C_in=4 C_out=4 k=2 groups=2"),
    "depthwise-separable-3d": ((3, 3), (2, 2), 21, "C_in=3 k=2 groups=3, 1×1 C_out=2"),
    "pixel-shuffle-3d": ((2, 2), (4, 4), 5, "C·r²=4 r=2"),
    "conv1d": ((1, 10), (1, 8), 9, "k=3 W=1,0,−1"),
    "causal-conv1d": ((1, 8), (1, 8), 9, "k=3 p=(1,1),(2,0)"),
    "dilated-causal-stack": ((1, 16), (1, 16), 5, "k=2 d=1,2,4,8 causal"),
    "conv3d-slices": ((4, 4), (2, 2), 13, "D×H×W=4×4×4 k=2×3×3"),
}


@dataclass(frozen=True)
class PanelConfig:
    """A panel figure of the catalog, by name (its experiment has fixed values)."""

    figure: str
    kind: str = "panels"

    def check(self) -> arith.Shape:
        if self.figure not in PANEL_FIGURES:
            raise ValueError(f"figure={self.figure!r}: no panel figure of that name ({', '.join(PANEL_FIGURES)})")
        shape_in, shape_out, _, _ = PANEL_FIGURES[self.figure]
        return arith.Shape("panels", shape_in, shape_out, ("", ""))

    def steps(self) -> int:
        self.check()
        return PANEL_FIGURES[self.figure][2]

    def params(self) -> str:
        self.check()
        return PANEL_FIGURES[self.figure][3]

    def as_dict(self) -> dict:
        return asdict(self)
