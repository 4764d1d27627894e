"""The catalog: every figure the site uses, declared once, by a stable name.

Pages refer to figures by these names (``figures/NAME.gif`` and ``figures/NAME.dark.gif``);
the CLI's ``list`` and ``build`` read this list, and so does the site's adapter. Names are
public (courses link to them): add, never rename.

A ``transposed`` entry is declared by the direct convolution it transposes, as in
vdumoulin/conv_arithmetic: ``no-padding-strides-transposed`` is the transposed convolution that
maps the 2×2 output of ``no-padding-strides`` (i=5, k=3, s=2, p=0) back to 5×5.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

from . import arith
from .config import Config, ErfConfig, PanelConfig, TraceConfig

THEME_NAMES = ("light", "dark")


def step_filename(name: str, theme: str, number: int, count: int, fmt: str = "png") -> str:
    """``NAME-01.png`` (light) or ``NAME-01.dark.png``: step ``number`` of ``count``, numbered
    from 1 with at least two digits, so that the files sort in step order."""
    digits = max(2, len(str(count)))
    dark = "" if theme == "light" else f".{theme}"
    return f"{name}-{number:0{digits}d}{dark}.{fmt}"


class _Named:
    """What every catalog entry shares: the file names of its two theme variants."""

    name: str
    fmt: str

    def filename(self, theme: str = "light", fmt: str = "") -> str:
        ext = {"json": "steps.json", "last": "last.png", "strip": "print.png"}.get(fmt, fmt) or self.fmt
        return f"{self.name}.{ext}" if theme == "light" else f"{self.name}.{theme}.{ext}"

    def step_filename(self, theme: str, number: int, count: int, fmt: str = "png") -> str:
        """The file of step ``number`` (1 is the first) of ``count``: ``NAME-01.png``,
        ``NAME-01.dark.png`` (at least two digits, as many as the last step needs)."""
        return step_filename(self.name, theme, number, count, fmt)

    def outputs(self) -> tuple[str, ...]:
        """The formats this figure is published in: an animation also has its step data and its
        last step as a PNG (what a printed page shows in its place)."""
        return (self.fmt, "json", "last", "strip") if self.fmt == "gif" else (self.fmt,)


@dataclass(frozen=True)
class TraceEntry(_Named):
    """A stack of unpadded convolutions with one output cell traced back to the input."""

    name: str
    i: int
    kernels: tuple[int, ...]
    strides: tuple[int, ...]
    dilations: tuple[int, ...]
    fmt: str = "gif"
    frame: Optional[int] = None
    kind: str = "trace"

    def config(self) -> TraceConfig:
        return TraceConfig(self.i, self.kernels, self.strides, self.dilations)

    def command(self, theme: str = "light") -> str:
        extra = "" if theme == "light" else f" --theme {theme}"
        return f"python -m figures build --only {self.name}{extra}"

    def params(self) -> str:
        return "layers=" + ",".join(f"k{k}" + (f"s{s}" if s != 1 else "") + (f"d{d}" if d != 1 else "")
                                    for k, s, d in zip(self.kernels, self.strides, self.dilations))

    def describe(self) -> str:
        shape = self.config().check()
        size = f"{shape.input[0]}×{shape.input[1]} → {shape.output[0]}×{shape.output[1]}"
        return f"{self.name:<40} {self.kind:<11} {self.params():<24} {size}"


@dataclass(frozen=True)
class Entry(_Named):
    name: str
    kind: str  # "conv" or "transposed"
    i: int  # the direct convolution's input size (square)
    k: int
    s: int = 1
    p: int = 0
    d: int = 1
    fmt: str = "gif"
    frame: Optional[int] = None  # a PNG of this frame (0 = the first step) instead of the last
    ceil: bool = False  # pooling: ceil_mode

    def config(self) -> Config:
        if self.kind in ("conv", "max", "avg"):
            return Config(self.kind, (self.i, self.i), (self.k, self.k), (self.s, self.s), (self.p, self.p),
                          (self.d, self.d), ceil_mode=self.ceil)
        o, a = arith.transposed_of(self.i, self.k, self.s, self.p, self.d)
        return Config("transposed", (o, o), (self.k, self.k), (self.s, self.s), (self.p, self.p),
                      (self.d, self.d), (a, a))

    def command(self, theme: str = "light") -> str:
        """The one command that renders this figure."""
        extra = "" if theme == "light" else f" --theme {theme}"
        if self.frame is not None:
            extra += f" --frame {self.frame}"
        return f"python -m figures render {self.config().options()}{extra} -o {self.filename(theme)}"

    def params(self) -> str:
        """This figure's own configuration: ``i=2 k=3 s=2 p=0 a=0`` (for a transposed one, its
        input is the output of the convolution it transposes)."""
        c = self.config()
        params = f"i={c.input[0]} k={self.k} s={self.s} p={self.p}"
        if self.d != 1:
            params += f" d={self.d}"
        if self.kind == "transposed":
            params += f" a={c.output_padding[0]}"
        if self.ceil:
            params += " ceil"
        return params

    def transposes(self) -> Optional[str]:
        """For a transposed figure, the convolution it transposes: ``i=5 k=3 s=2 p=0``."""
        if self.kind != "transposed":
            return None
        return f"i={self.i} k={self.k} s={self.s} p={self.p}" + (f" d={self.d}" if self.d != 1 else "")

    def describe(self) -> str:
        shape = self.config().check()
        size = f"{shape.input[0]}×{shape.input[1]} → {shape.output[0]}×{shape.output[1]}"
        of = f"  (transposes conv {self.transposes()})" if self.kind == "transposed" else ""
        return f"{self.name:<40} {self.kind:<11} {self.params():<24} {size}{of}"


def _classic() -> list[Entry]:
    direct = [
        ("no-padding-no-strides", 4, 3, 1, 0),
        ("arbitrary-padding-no-strides", 5, 4, 1, 2),
        ("same-padding-no-strides", 5, 3, 1, 1),
        ("full-padding-no-strides", 5, 3, 1, 2),
        ("no-padding-strides", 5, 3, 2, 0),
        ("padding-strides", 5, 3, 2, 1),
        ("padding-strides-odd", 6, 3, 2, 1),
    ]
    entries = [Entry(name, "conv", i, k, s, p) for name, i, k, s, p in direct]
    entries += [Entry(f"{name}-transposed", "transposed", i, k, s, p) for name, i, k, s, p in direct]
    entries.append(Entry("dilation", "conv", 7, 3, 1, 0, d=2))
    # the legend: one step of a transposed convolution shows every colour role at once
    entries.append(Entry("legend", "transposed", 3, 3, 2, 1, fmt="png", frame=0))
    return entries


# the bytes of vdumoulin/conv_arithmetic's 15 GIFs that the classic animations correspond to
CONV_ARITHMETIC_BYTES = 3_398_746


def classics() -> list[Entry]:
    """The 15 animations that redraw conv_arithmetic's (the byte budget is measured on these)."""
    return [e for e in _classic() if e.fmt == "gif"]


@dataclass(frozen=True)
class ErfEntry(_Named):
    """The effective receptive field of stacks of 3×3 convolutions (heat maps and growth)."""

    name: str
    shown: tuple[int, ...]
    measured: tuple[int, ...]
    size: int
    fmt: str = "png"
    frame: Optional[int] = None
    kind: str = "erf"

    def config(self) -> ErfConfig:
        return ErfConfig(self.shown, self.measured, self.size)

    command = TraceEntry.command

    def params(self) -> str:
        return "n=" + ",".join(map(str, self.shown))

    def describe(self) -> str:
        return f"{self.name:<40} {self.kind:<11} {self.params():<24} {self.size}×{self.size} inputs"


def _pooling() -> list[Entry]:
    return [
        Entry("max-pooling", "max", 4, 2, 2, 0),
        Entry("average-pooling", "avg", 4, 2, 2, 0),
        Entry("max-pooling-ceil", "max", 5, 2, 2, 0, ceil=True),
        Entry("average-pooling-padding", "avg", 5, 3, 2, 1),
        PanelEntry("pooling-aliasing", "aliasing", fmt="png"),
    ]


def _receptive() -> list:
    return [
        ErfEntry("effective-receptive-field", (2, 4, 8, 16), (1, 2, 4, 8, 16, 32), 67),
        TraceEntry("receptive-field", 9, (3, 3, 3), (1, 1, 1), (1, 1, 1)),
        TraceEntry("receptive-field-stride", 15, (3, 3, 3), (2, 1, 1), (1, 1, 1)),
        TraceEntry("receptive-field-dilation", 15, (3, 3, 3), (1, 1, 1), (1, 2, 4)),
    ]


@dataclass(frozen=True)
class PanelEntry(_Named):
    """A figure of several panels (see ``figures.panels``), computed with fixed values."""

    name: str
    kind: str  # what the gallery calls it
    fmt: str = "gif"
    frame: Optional[int] = None

    def config(self) -> PanelConfig:
        return PanelConfig(self.name)

    command = TraceEntry.command

    def params(self) -> str:
        return self.config().params()

    def describe(self) -> str:
        shape = self.config().check()
        size = f"{shape.input[0]}×{shape.input[1]} → {shape.output[0]}×{shape.output[1]}"
        return f"{self.name:<40} {self.kind:<11} {self.params():<24} {size}"


def _chapters() -> list:
    return [
        Entry("strides-unread", "conv", 6, 3, 2, 0),
        PanelEntry("equivariance", "shift", fmt="png"),
        PanelEntry("padding-modes", "padding-modes", fmt="png"),
        PanelEntry("dilation-coverage", "lockstep"),
        TraceEntry("dilation-gridding", 13, (3, 3, 3), (1, 1, 1), (2, 2, 2)),
        PanelEntry("channel-sum", "channels"),
        PanelEntry("transposed-scatter", "scatter"),
        PanelEntry("output-padding-ambiguity", "lockstep"),
        PanelEntry("tf-same-padding", "same-upper"),
        PanelEntry("photo-edges", "photo", fmt="png"),
        PanelEntry("photo-stride", "photo", fmt="png"),
        PanelEntry("conv-matrix", "matrix"),
        PanelEntry("upsampling-compared", "upsample", fmt="png"),
        PanelEntry("overlap-counts", "overlap", fmt="png"),
        PanelEntry("checkerboard-constant", "constant", fmt="png"),
        PanelEntry("encoder-decoder", "encoder-decoder", fmt="png"),
        PanelEntry("receptive-field-resnet18", "network", fmt="png"),
        PanelEntry("channels-3d", "blocks"),
        PanelEntry("groups-3d", "groups"),
        PanelEntry("depthwise-separable-3d", "separable"),
        PanelEntry("pixel-shuffle-3d", "pixel-shuffle"),
        # sequences and volumes
        PanelEntry("conv1d", "sequence"),
        PanelEntry("causal-conv1d", "causal"),
        PanelEntry("dilated-causal-stack", "causal-stack"),
        PanelEntry("conv3d-slices", "volume"),
    ]


CATALOG: tuple[Union[Entry, TraceEntry, ErfEntry, PanelEntry], ...] = tuple(
    _classic() + _receptive() + _pooling() + _chapters())
BY_NAME = {entry.name: entry for entry in CATALOG}
assert len(BY_NAME) == len(CATALOG), "figure names must be unique"


def get(name: str) -> Entry:
    if name not in BY_NAME:
        raise ValueError(f"{name!r}: no figure of that name in the catalog (see: python -m figures list)")
    return BY_NAME[name]
