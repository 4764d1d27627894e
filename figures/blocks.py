"""Block scenes: tensors drawn as the C×H×W blocks they are, as plain frozen data (no torch, no
matplotlib).

A block is a stack of channels, each an H×W plate of cells; ``draw.BlockRenderer`` draws the
plates in an oblique projection, one under the other, joined into a box. A frame says, per
block, which cells show their value, which cells a kernel reads (outlined on every channel it
spans and joined into a block), and which cells are being computed or moved. The builders below
turn the records of ``experiments.record_grouped`` and ``record_pixel_shuffle`` into scenes;
tests read the scenes to check every number and every highlight against torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

from .scene import HOLD_MS, MAX_NUMBERED, STEP_MS

Cell3 = tuple[int, int, int]  # (channel, row, column)
Values3 = tuple[tuple[tuple[float, ...], ...], ...]
Item = Union["Block", str]  # a block, or an operator symbol drawn between two blocks

SUB = "₀₁₂₃₄₅₆₇₈₉"


@dataclass(frozen=True)
class Block:
    """A C×H×W tensor. ``role`` colours its label and, unless ``tint`` is given, its cells;
    ``tint`` (C×H×W, or empty) gives each cell one of the theme's ``tints`` by number (a cell of
    a pixel shuffle keeps the tint of the channel it came from)."""

    label: str
    role: str
    values: Values3
    numbers: bool = True
    tint: tuple[tuple[tuple[int, ...], ...], ...] = ()

    @property
    def shape(self) -> tuple[int, int, int]:
        return len(self.values), len(self.values[0]), len(self.values[0][0])

    def cells(self) -> tuple[Cell3, ...]:
        c, h, w = self.shape
        return tuple((k, r, q) for k in range(c) for r in range(h) for q in range(w))


@dataclass(frozen=True)
class BlockState:
    """What one block shows in one frame: the cells that show their value (None: all), the
    cells a kernel reads (outlined), the cells being computed (outlined strongly), and, for a
    block whose numbers change (the kernel of the current output channel), this frame's values
    and label."""

    shown: Optional[tuple[Cell3, ...]] = None
    footprint: tuple[Cell3, ...] = ()
    current: tuple[Cell3, ...] = ()
    values: Optional[Values3] = None
    label: str = ""


@dataclass(frozen=True)
class BlockFrame:
    states: tuple[BlockState, ...]  # one per block, in reading order of the rows
    duration_ms: int


@dataclass(frozen=True)
class BlockScene:
    rows: tuple[tuple[Item, ...], ...]
    notes: tuple[str, ...]  # one line under each row ("" for none): symbols and numbers only
    frames: tuple[BlockFrame, ...]

    @property
    def blocks(self) -> tuple[Block, ...]:
        return tuple(item for row in self.rows for item in row if isinstance(item, Block))


def _values3(tensor_list) -> Values3:
    return tuple(tuple(tuple(float(v) for v in row) for row in plate) for plate in tensor_list)


def _size(shape) -> str:
    return "×".join(str(n) for n in shape)


def _block(label: str, role: str, values, **kwargs) -> Block:
    values = _values3(values)
    numbers = max(len(values[0]), len(values[0][0])) <= MAX_NUMBERED
    return Block(f"{label}  {_size((len(values), len(values[0]), len(values[0][0])))}", role, values, numbers,
                 **kwargs)


def _kernel(record, o: int) -> Values3:
    """The weights output channel ``o`` applies, one plate per input channel of its group."""
    return _values3(record.weight[o].tolist())


def _conv_frames(record, blocks_before: int, blocks_after: int, shown_before=None, kernel_label: str = "W",
                 input_shown=None) -> list[BlockFrame]:
    """One frame per output cell of a ``GroupedRecord``, for a row X ⊛ W = Y placed among
    ``blocks_before`` and ``blocks_after`` other blocks (held as they are: all shown, or as
    ``shown_before`` gives)."""
    frames = []
    done: list[Cell3] = []
    for window in record.windows:
        done.append(window.out)
        o = window.out[0]
        states = [BlockState(shown_before) for _ in range(blocks_before)]
        states += [BlockState(input_shown, footprint=window.cells),
                   BlockState(values=_kernel(record, o), label=f"{kernel_label}{SUB[o]}  {_size(record.weight.shape[1:])}"),
                   BlockState(tuple(done), current=(window.out,))]
        states += [BlockState(()) for _ in range(blocks_after)]
        frames.append(BlockFrame(tuple(states), STEP_MS))
    return frames


def channels_scene(record) -> BlockScene:
    """``nn.Conv2d(C_in, C_out, k)``: the kernel of one output channel, a k×k×C_in block, slides
    over the whole depth of the input; one frame per output cell, output channel by output
    channel; then every output channel, held."""
    c_out, c_in, kh, kw = record.weight.shape
    x, y = record.input, record.output
    rows = ((_block("X", "input", x.tolist()), "⊛",
             Block(f"W₀  {_size((c_in, kh, kw))}", "kernel", _kernel(record, 0)), "=",
             _block("Y", "output", y.tolist())),)
    frames = _conv_frames(record, 0, 0)
    frames.append(BlockFrame((BlockState(), BlockState(), BlockState()), HOLD_MS))
    bias = ", ".join(_number(b) for b in record.bias.tolist()) if record.bias is not None else ""
    note = (f"C_in={c_in}   C_out={c_out}   k={kh}      W: [{c_out}, {c_in}, {kh}, {kw}]"
            + (f"   b = [{bias}]" if bias else ""))
    return BlockScene(rows, (note,), tuple(frames))


def _number(v: float) -> str:
    v = float(v)
    return str(int(v)).replace("-", "−") if v.is_integer() else f"{v:g}".replace("-", "−")


def groups_scene(record) -> BlockScene:
    """A grouped convolution: each output channel's kernel is only C_in/g channels deep and
    reads only its own group of input channels."""
    c_out, per_group, kh, kw = record.weight.shape
    c_in = record.input.shape[0]
    rows = ((_block("X", "input", record.input.tolist()), "⊛",
             Block(f"W₀  {_size((per_group, kh, kw))}", "kernel", _kernel(record, 0)), "=",
             _block("Y", "output", record.output.tolist())),)
    frames = _conv_frames(record, 0, 0)
    frames.append(BlockFrame((BlockState(), BlockState(), BlockState()), HOLD_MS))
    note = (f"C_in={c_in}   C_out={c_out}   k={kh}   groups={record.groups}      "
            f"W: [{c_out}, {c_in}/{record.groups}, {kh}, {kw}]")
    return BlockScene(rows, (note,), tuple(frames))


def separable_scene(record) -> BlockScene:
    """A depthwise convolution (groups = C_in: each channel filtered on its own) into H, then a
    pointwise 1×1 convolution that mixes H's channels into Y."""
    dw, pw = record.depthwise, record.pointwise
    c_in = dw.input.shape[0]
    c_out = pw.output.shape[0]
    k = dw.weight.shape[-1]
    h_block = _block("H", "output", dw.output.tolist())
    rows = (
        (_block("X", "input", dw.input.tolist()), "⊛",
         Block(f"W₀  {_size(tuple(dw.weight.shape[1:]))}", "kernel", _kernel(dw, 0)), "=", h_block),
        (Block(h_block.label, "input", h_block.values), "⊛",
         Block(f"V₀  {_size(tuple(pw.weight.shape[1:]))}", "kernel", _kernel(pw, 0)), "=",
         _block("Y", "output", pw.output.tolist())),
    )
    # the second row's H fills in as the first row computes it; its Y waits
    frames = [BlockFrame(f.states[:3] + (BlockState(f.states[2].shown), BlockState(), BlockState(())), f.duration_ms)
              for f in _conv_frames(dw, 0, 3)]
    frames += _conv_frames(pw, 3, 0, kernel_label="V")
    frames.append(BlockFrame(tuple(BlockState() for _ in range(6)), HOLD_MS))
    notes = (f"C_in={c_in}   k={k}   groups={c_in}      W: [{c_in}, 1, {k}, {k}]",
             f"C_out={c_out}   k=1      V: [{c_out}, {c_in}, 1, 1]")
    return BlockScene(rows, notes, tuple(frames))


def pixel_shuffle_scene(record) -> BlockScene:
    """``F.pixel_shuffle``: one frame per input channel, whose cells land, each keeping its
    channel's tint, every r-th cell of the r-times larger output."""
    x, y, r = record.input, record.output, record.factor
    c_in, h, w = x.shape
    c_out = y.shape[0]
    x_tint = tuple(tuple(tuple(c for _ in range(w)) for _ in range(h)) for c in range(c_in))
    y_tint = tuple(tuple(tuple(record.sources[c, i, j][0] for j in range(w * r)) for i in range(h * r))
                   for c in range(c_out))
    rows = ((_block("X", "input", x.tolist(), tint=x_tint), "→", _block("Y", "output", y.tolist(), tint=y_tint)),)
    frames = []
    landed: list[Cell3] = []
    for c in range(c_in):
        plate = tuple((c, i, j) for i in range(h) for j in range(w))
        moved = tuple(out for out, source in sorted(record.sources.items()) if source[0] == c)
        landed += moved
        frames.append(BlockFrame((BlockState(footprint=plate), BlockState(tuple(landed), current=moved)),
                                 STEP_MS * 3 // 2))
    frames.append(BlockFrame((BlockState(), BlockState()), HOLD_MS))
    note = (f"r={r}   C·r²={c_in}      [1, {c_in}, {h}, {w}]  →  [1, {c_out}, {h * r}, {w * r}]")
    return BlockScene(rows, (note,), tuple(frames))
