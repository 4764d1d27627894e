"""Scenes: what a figure shows, as plain frozen data (no torch, no matplotlib).

A scene has three grids (input, kernel, output), a header of symbols and numbers, and a
sequence of frames. Each frame says which input cells the kernel covers, which output cell
is being computed and how many output cells already show their value. The builders below turn
an experiment's record into a scene; tests inspect scenes to check every number a figure shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from . import arith

Cell = tuple[int, int]

STEP_MS = 1000  # about one second per step
HOLD_MS = 3000  # the last frame stays longer
MAX_NUMBERED = 16  # grids larger than this (on either axis) show colours without numbers


@dataclass(frozen=True)
class Grid:
    """A grid of cells. ``role`` is the grid's colour role (input, kernel or output);
    ``cells`` gives each cell's own role (input, pad or zero for an input grid)."""

    label: str
    role: str
    values: tuple[tuple[float, ...], ...]
    cells: tuple[tuple[str, ...], ...]
    numbers: bool = True

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.values), len(self.values[0])


@dataclass(frozen=True)
class Frame:
    footprint: tuple[Cell, ...]  # input cells under the kernel
    current: Optional[Cell]  # the output cell being computed
    filled: int  # output cells (in reading order) that show their value
    duration_ms: int
    unread: tuple[Cell, ...] = ()  # the last frame: grid cells no window ever read (crossed out)


@dataclass(frozen=True)
class Scene:
    input: Grid
    kernel: Grid
    output: Grid
    params: str  # symbols and numbers only: the figure carries no words
    formula: str  # the output-size formula with the numbers filled in
    frames: tuple[Frame, ...]

    def shown_output(self, frame: Frame) -> dict[Cell, float]:
        """The output values that ``frame`` shows, by cell."""
        rows, cols = self.output.shape
        cells = [(r, c) for r in range(rows) for c in range(cols)]
        return {cell: self.output.values[cell[0]][cell[1]] for cell in cells[: frame.filled]}


def _tuple2(rows) -> tuple[tuple, ...]:
    return tuple(tuple(row) for row in rows)


def _size(shape: tuple[int, int]) -> str:
    return f"{shape[0]}×{shape[1]}"


def _frames(windows, grid_shape: tuple[int, int]) -> tuple[Frame, ...]:
    frames = [Frame(w.cells, w.out, n + 1, STEP_MS) for n, w in enumerate(windows)]
    read = {cell for w in windows for cell in w.cells}
    unread = tuple((r, c) for r in range(grid_shape[0]) for c in range(grid_shape[1]) if (r, c) not in read)
    frames.append(Frame((), None, len(windows), HOLD_MS, unread))
    return tuple(frames)


def _numbered(*shapes: tuple[int, int]) -> bool:
    return max(max(s) for s in shapes) <= MAX_NUMBERED


def _params(k, s, p, d, a=None) -> str:
    def show(v):
        return str(v[0]) if v[0] == v[1] else f"{v[0]}×{v[1]}"

    parts = [f"k={show(k)}", f"s={show(s)}", f"p={show(p)}"]
    if d != (1, 1):
        parts.append(f"d={show(d)}")
    if a is not None and a != (0, 0):
        parts.append(f"a={show(a)}")
    return "   ".join(parts)


def conv_scene(record) -> Scene:
    """A scene from an ``experiments.ConvRecord`` made by ``record_conv``."""
    grid_rows = _tuple2(record.grid.tolist())
    out = _tuple2(record.output.tolist())
    k = tuple(record.kernel.shape)
    in_shape, padding = record.input_shape, record.padding
    numbers = _numbered(record.grid.shape, tuple(record.output.shape))
    if padding in ("same", "valid"):
        shape = arith.conv2d(in_shape, k, record.stride, padding, record.dilation)
        pad_label = f"p={padding}"
        header_params = "   ".join(
            [f"k={k[0]}" if k[0] == k[1] else f"k={k[0]}×{k[1]}", pad_label]
            + ([f"d={record.dilation[0]}"] if record.dilation != (1, 1) else [])
        )
    else:
        shape = arith.conv2d(in_shape, k, record.stride, padding, record.dilation)
        header_params = _params(k, record.stride, padding, record.dilation)
    assert shape.output == tuple(record.output.shape), "arith and torch disagree"
    formula = _formula_line(shape)
    return Scene(
        input=Grid(f"X  {_size(in_shape)}", "input", grid_rows, record.roles, numbers),
        kernel=Grid(f"W  {_size(k)}", "kernel", _tuple2(record.kernel.tolist()),
                    _tuple2([["kernel"] * k[1]] * k[0]), numbers),
        output=Grid(f"Y  {_size(shape.output)}", "output", out,
                    _tuple2([["output"] * len(out[0])] * len(out)), numbers),
        params=header_params,
        formula=formula,
        frames=_frames(record.windows, tuple(record.grid.shape)),
    )


def transposed_scene(record) -> Scene:
    """A scene from an ``experiments.TransposedRecord``: the zero-inserted, padded grid, the
    kernel flipped by 180°, and the stride-1 convolution that gives torch's output."""
    direct = record.direct
    in_shape = tuple(record.input.shape)
    k = tuple(record.weight.shape)
    shape = arith.conv_transpose2d(in_shape, k, record.stride, record.padding, record.dilation,
                                   record.output_padding)
    assert shape.output == tuple(direct.output.shape), "arith and torch disagree"
    out = _tuple2(direct.output.tolist())
    numbers = _numbered(direct.grid.shape, shape.output)
    s, b = record.stride, record.border
    zeros = f"s−1={s[0] - 1}" if s[0] == s[1] else f"s−1={s[0] - 1}×{s[1] - 1}"
    border = f"d·(k−1)−p={b[0]}" if b[0] == b[1] else f"d·(k−1)−p={b[0]}×{b[1]}"
    params = (
        _params(k, record.stride, record.padding, record.dilation, record.output_padding)
        + f"      {zeros}   {border}"
    )
    return Scene(
        input=Grid(f"X  {_size(in_shape)}", "input", _tuple2(direct.grid.tolist()), direct.roles, numbers),
        kernel=Grid(f"W  {_size(k)}  ↻180°", "kernel", _tuple2(direct.kernel.tolist()),
                    _tuple2([["kernel"] * k[1]] * k[0]), numbers),
        output=Grid(f"Y  {_size(shape.output)}", "output", out,
                    _tuple2([["output"] * len(out[0])] * len(out)), numbers),
        params=params,
        formula=_formula_line(shape),
        frames=_frames(direct.windows, tuple(direct.grid.shape)),
    )


def _formula_line(shape: arith.Shape) -> str:
    if shape.formulas[0] == shape.formulas[1]:
        return shape.formulas[0]
    return f"{shape.formulas[0]};  {shape.formulas[1]}"


@dataclass(frozen=True)
class StackFrame:
    """Which cells of each map are traced so far (the others stay empty), and for how long."""

    traced: tuple[tuple[Cell, ...], ...]  # per map, input first
    duration_ms: int


@dataclass(frozen=True)
class StackScene:
    """Maps side by side, input first; each traced cell shows its value."""

    grids: tuple[Grid, ...]
    params: str
    formula: str
    frames: tuple[StackFrame, ...]


def trace_scene(record, kernels, strides, dilations) -> StackScene:
    """A scene from an ``experiments.TraceRecord``: the output cell first, then one map back at a
    time, each traced cell showing ∂y/∂(cell), the number of paths to the output cell."""
    n = len(record.sizes)
    labels = ["X"] + [f"h{'₁₂₃₄₅₆₇₈₉'[i]}" for i in range(n - 2)] + ["Y"]
    grids = []
    cells = []
    for i, (grad, size) in enumerate(zip(record.gradients, record.sizes)):
        role = "input" if i == 0 else "output"
        values = _tuple2(grad.tolist())
        grids.append(Grid(f"{labels[i]}  {_size(size)}", role, values, _tuple2([[role] * size[1]] * size[0]),
                          numbers=max(size) <= MAX_NUMBERED))
        cells.append(tuple((r, c) for r in range(size[0]) for c in range(size[1]) if values[r][c] != 0))
    frames = []
    for shown in range(1, n + 1):  # the last map only, then one more map back each step
        traced = tuple(cells[i] if i >= n - shown else () for i in range(n))
        frames.append(StackFrame(traced, HOLD_MS if shown == n else STEP_MS * 3 // 2))
    layers = "   ".join(
        f"k={k}" + (f" s={s}" if s != 1 else "") + (f" d={d}" if d != 1 else "")
        for k, s, d in zip(kernels, strides, dilations)
    )
    r = 1
    j = 1
    terms = []
    for k, s, d in zip(kernels, strides, dilations):
        terms.append(f"{d}·({k} − 1)·{j}" if d != 1 else f"({k} − 1)·{j}")
        r, j = arith.receptive_field_step(r, j, k, s, d)
    formula = f"r = 1 + {' + '.join(terms)} = {r}"
    return StackScene(tuple(grids), layers, formula, tuple(frames))


@dataclass(frozen=True)
class HeatScene:
    """Heat maps (each summing to 1) with their labels, and a growth plot: for each depth n,
    the measured spread σ and the theoretical receptive field r = 2n + 1."""

    maps: tuple[tuple[tuple[float, ...], ...], ...]  # cropped around the centre
    labels: tuple[str, ...]
    fields: tuple[int, ...]  # the theoretical receptive field of each map, outlined on it
    depths: tuple[int, ...]
    spread: tuple[float, ...]
    theoretical: tuple[int, ...]


def erf_scene(shown_record, measured_record) -> HeatScene:
    size = shown_record.size
    keep = min(size, max(shown_record.theoretical) + 4)  # the deepest field and a margin
    lo = (size - keep) // 2
    return HeatScene(
        maps=tuple(_tuple2(m[lo:lo + keep, lo:lo + keep].tolist()) for m in shown_record.maps),
        labels=tuple(f"n={n}" for n in shown_record.depths),
        fields=shown_record.theoretical,
        depths=measured_record.depths,
        spread=measured_record.spread,
        theoretical=measured_record.theoretical,
    )


@dataclass(frozen=True)
class FieldScene:
    """A photograph once per stage of a network, with the receptive field of one cell of that
    stage: the closed form's square (it may reach past the photograph) and the measured gradient
    as a heat map inside it."""

    photo: tuple[tuple[float, ...], ...]  # grey, 0 to 1
    maps: tuple[tuple[tuple[float, ...], ...], ...]  # the gradient, largest 1, one per stage
    labels: tuple[str, ...]  # symbols and numbers: "layer1  56×56  r=43"
    squares: tuple[tuple[int, int, int, int], ...]  # (first row, first column, height, width)
    centres: tuple[tuple[float, float], ...]  # the traced cell's centre, in photograph pixels

    @property
    def frames(self) -> tuple["Still"]:
        """One frame: a still picture."""
        return (Still(),)


@dataclass(frozen=True)
class Still:
    """The one frame of a still picture."""

    duration_ms: int = HOLD_MS


def field_scene(record) -> FieldScene:
    labels, squares, centres = [], [], []
    for label, out, r, ((top, bottom), (left, right)) in zip(record.labels, record.outputs, record.sizes,
                                                               record.windows):
        labels.append(f"{label}  {_size(out)}  r={r}")
        squares.append((top, left, bottom - top + 1, right - left + 1))
        centres.append(((top + bottom) / 2, (left + right) / 2))
    return FieldScene(_tuple2(record.image.tolist()),
                      tuple(_tuple2(g.tolist()) for g in record.gradients), tuple(labels), tuple(squares),
                      tuple(centres))


def pool_scene(record, mode: str, ceil_mode: bool) -> Scene:
    """A scene from ``experiments.record_pool``: the window has no weights, so the middle grid
    only shows its shape, labelled with the operation (max or avg)."""
    k = tuple(record.kernel.shape)
    shape = arith.pool2d(record.input_shape, k, record.stride, record.padding, record.dilation, ceil_mode)
    assert shape.output == tuple(record.output.shape), "arith and torch disagree"
    out = _tuple2(record.output.tolist())
    params = _params(k, record.stride, record.padding, record.dilation) + ("   ceil" if ceil_mode else "")
    empty = _tuple2([[0.0] * k[1]] * k[0])
    return Scene(
        input=Grid(f"X  {_size(record.input_shape)}", "input", _tuple2(record.grid.tolist()), record.roles,
                   _numbered(record.grid.shape, shape.output)),
        kernel=Grid(f"{mode}  {_size(k)}", "kernel", empty, _tuple2([["kernel"] * k[1]] * k[0]), numbers=False),
        output=Grid(f"Y  {_size(shape.output)}", "output", out, _tuple2([["output"] * len(out[0])] * len(out)),
                    _numbered(record.grid.shape, shape.output)),
        params=params,
        formula=_formula_line(shape),
        frames=_frames(record.windows, tuple(record.grid.shape)),
    )
