"""Step data: the numbers of every step of an animation, exported beside its GIF.

For each step of a scene (one output cell, one layer, one panel state), which GIF frame shows it
complete (the encoder may write a step as several short sub-frames; a player stops only on the
last), how long it shows, and what it computed, with the values torch produced:

- convolution and transposed convolution: the output cell, its value, and the window as
  (input value, weight) pairs in the kernel's reading order (for a transposed convolution, on the
  zero-inserted and padded grid, with the flipped kernel the figure shows);
- pooling: the output cell, its value, the operation, and the window's values (a max pooling's
  padding is −∞ to torch and is left out; an average pooling counts it as 0);
- a receptive-field trace: the map reached so far and the rows and columns traced on it;
- a panel figure: the cells this step computes (the panels' current cells, or the cells a
  trace reached), each with its panel's symbol and value;
- a figure of blocks (C×H×W tensors): the same, a cell named by (channel, row, column), and what
  the step read: the block's symbol, its channels, the rows and columns on them, and the kernel
  applied (its symbol, as the figure labels it) if any.

Plain data (no torch, no matplotlib): the scenes already hold torch's numbers. A player prints
them in the page's language; it never computes them.
"""

from __future__ import annotations

import json
from typing import Optional, Sequence

from . import theme
from .scene import Scene, StackScene

VERSION = 1


def _number(value: float):
    """An integer-valued float as an int (JSON without "4.0"), anything else rounded to 6 places."""
    return int(value) if float(value).is_integer() else round(float(value), 6)


def _grid_steps(scene: Scene, kind: str) -> list[dict]:
    rows, cols = scene.kernel.shape
    steps = []
    for frame in scene.frames:
        if frame.current is None:
            steps.append({"ms": frame.duration_ms, "out": None})
            continue
        r, c = frame.current
        step = {"ms": frame.duration_ms, "out": [r, c], "value": _number(scene.output.values[r][c])}
        values = [scene.input.values[i][j] for i, j in frame.footprint]
        if kind in ("max", "avg"):
            roles = [scene.input.cells[i][j] for i, j in frame.footprint]
            kept = [v for v, role in zip(values, roles) if kind == "avg" or role != "pad"]
            step.update(op=kind, window=[_number(v) for v in kept], count=len(values))
        else:
            weights = [scene.kernel.values[i][j] for i in range(rows) for j in range(cols)]
            step["window"] = [[_number(x), _number(w)] for x, w in zip(values, weights)]
        steps.append(step)
    return steps


def _trace_steps(scene: StackScene) -> list[dict]:
    steps = []
    for frame in scene.frames:
        reached = max((n for n, cells in enumerate(frame.traced) if cells), default=None)
        deepest = min((n for n, cells in enumerate(frame.traced) if cells), default=None)
        step = {"ms": frame.duration_ms}
        if deepest is not None:
            cells = frame.traced[deepest]
            step.update(map=deepest, label=scene.grids[deepest].label.split()[0],
                        rows=[min(r for r, _ in cells), max(r for r, _ in cells)],
                        cols=[min(c for _, c in cells), max(c for _, c in cells)],
                        cells=len(cells), start=reached)
        steps.append(step)
    return steps


def _panel_steps(scene) -> list[dict]:
    from .panels import Panel  # scene builders only: no torch, no matplotlib

    panels = [item for row in scene.rows for item in row if isinstance(item, Panel)]
    steps = []
    for frame in scene.frames:
        cells, seen = [], set()
        for panel, state in zip(panels, frame.states):
            computed = state.footprint if state.reached else ((state.current,) if state.current is not None else ())
            for r, c in computed:
                values = state.values if state.values is not None else panel.grid.values
                value = values[r][c]
                label = panel.grid.label.split()[0]
                same = (label, r, c, panel.grid.values)  # one quantity shown in two panels: named once
                if value == value and same not in seen:  # NaN: an empty cell, nothing computed there
                    seen.add(same)
                    cells.append({"label": label, "cell": [r, c], "value": _number(value)})
        steps.append({"ms": frame.duration_ms, "cells": cells})
    return steps


def _block_steps(scene) -> list[dict]:
    steps = []
    for frame in scene.frames:
        cells, reads = [], None
        for block, state in zip(scene.blocks, frame.states):
            label = (state.label or block.label).split()[0]
            values = state.values if state.values is not None else block.values
            if state.footprint and reads is None:
                foot = state.footprint
                reads = {"label": label, "channels": sorted({c for c, _, _ in foot}),
                         "rows": [min(r for _, r, _ in foot), max(r for _, r, _ in foot)],
                         "cols": [min(q for _, _, q in foot), max(q for _, _, q in foot)], "cells": len(foot)}
            for c, r, q in state.current:
                cells.append({"label": label, "cell": [c, r, q], "value": _number(values[c][r][q])})
        step = {"ms": frame.duration_ms, "cells": cells}
        if reads is not None:
            kernels = [(state.label or block.label).split()[0] for block, state in zip(scene.blocks, frame.states)
                       if block.role == "kernel" and state.values is not None]
            if kernels:  # the kernel this step applied
                reads["kernel"] = kernels[0]
            step["reads"] = reads
        steps.append(step)
    return steps


def step_data(scene, kind: str, gif_frames: Sequence[int], size: Sequence[int],
              output_box: Optional[Sequence[float]] = None) -> dict:
    """The step data of ``scene`` (a figure of ``kind``), its steps shown completely by the GIF
    frames ``gif_frames`` (one per scene frame, from the encoder), ``size`` = (width, height);
    ``output_box`` = [left, top, cell width, cell height] of the output grid in pixels, where a
    reader can point at the cell a step computed."""
    if isinstance(scene, StackScene):
        steps = _trace_steps(scene)
    elif isinstance(scene, Scene):
        steps = _grid_steps(scene, kind)
    elif hasattr(scene, "blocks"):  # a figure of blocks (figures.blocks)
        steps = _block_steps(scene)
    else:  # a panel figure
        steps = _panel_steps(scene)
    if len(gif_frames) != len(steps):
        raise ValueError(f"{kind}: {len(steps)} steps but {len(gif_frames)} GIF frame indices")
    # consecutive identical frames are merged by the encoder: they are one step to the reader
    merged: list[dict] = []
    for step, frame in zip(steps, gif_frames):
        if merged and merged[-1]["gif_frame"] == frame:
            merged[-1]["ms"] += step["ms"]
            continue
        merged.append({"gif_frame": frame, **step})
    # the height of a digit in the figure's pixels: an enlarged view scales the figure so that it
    # is at least as large as the page's text
    digit_px = round(theme.NUMBER_PT * theme.DPI / 72, 2)
    data = {"version": VERSION, "kind": kind, "size": list(size), "digit_px": digit_px, "steps": merged}
    if output_box is not None:
        rows, cols = scene.output.shape
        data["output"] = {"box": list(output_box), "rows": rows, "cols": cols}
    return data


def dumps(data: dict) -> bytes:
    """Deterministic bytes (sorted keys, no spaces)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
