"""Panel scenes: several grids (or images) in rows, as plain frozen data (no torch, no matplotlib).

A panel figure shows what one three-grid scene cannot: two convolutions in lockstep (standard
against dilated), one convolution per input channel and their sum, the same input padded four
ways, a shifted input and its shifted feature map, or a photograph and its feature maps. The
builders below turn experiment records into panel scenes; tests read the scenes to check every
number against torch, and ``draw.render_panels`` draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

from . import arith
from .scene import HOLD_MS, MAX_NUMBERED, STEP_MS, Cell, Grid, _size, _tuple2

Item = Union["Panel", str]  # a panel, or an operator symbol drawn between two panels


@dataclass(frozen=True)
class Panel:
    """A numbered grid, or an image (``cmap`` set) drawn ``extent`` cells high and wide."""

    grid: Grid
    cmap: str = ""  # "" for a grid of cells; a matplotlib colour map for an image
    extent: tuple[float, float] = (0.0, 0.0)  # (height, width) in cells, images only
    limits: tuple[float, float] = (0.0, 0.0)  # (vmin, vmax) of the colour map or of the shading
    shade: bool = False  # a numbered grid whose cells are tinted by value, from ``limits[0]`` to ``limits[1]``
    pad: tuple[float, float] = (0.0, 0.0)  # blank cells before and after the grid in its row (aligns rows)
    side: bool = False  # the label left of the grid, not above it (rows of 1-D signals)

    @property
    def size(self) -> tuple[float, float]:
        return self.extent if self.cmap else self.grid.shape


@dataclass(frozen=True)
class State:
    """What one panel shows in one frame: its first ``shown`` cells in reading order (None: all),
    the cells under a kernel (outlined), the cell being computed (outlined strongly), and,
    for a grid whose numbers change from frame to frame, this frame's ``values``."""

    shown: Optional[int] = None
    footprint: tuple[Cell, ...] = ()
    current: Optional[Cell] = None
    values: Optional[tuple[tuple[float, ...], ...]] = None  # this frame's numbers (NaN: an empty cell)
    reached: bool = False  # the footprint's cells are what this step computed (a trace): the step data lists them


@dataclass(frozen=True)
class PanelFrame:
    states: tuple[State, ...]  # one per panel, in reading order of the rows
    duration_ms: int
    links: tuple[tuple[int, Cell, int, Cell], ...] = ()  # lines from (panel, cell) to (panel, cell): what a cell read


@dataclass(frozen=True)
class PanelScene:
    rows: tuple[tuple[Item, ...], ...]
    notes: tuple[str, ...]  # one line under each row ("" for none): symbols and numbers only
    frames: tuple[PanelFrame, ...]

    @property
    def panels(self) -> tuple[Panel, ...]:
        return tuple(item for row in self.rows for item in row if isinstance(item, Panel))


def _grid(label: str, role: str, values, roles=None, numbers: Optional[bool] = None) -> Grid:
    values = _tuple2(values)
    rows, cols = len(values), len(values[0])
    cells = _tuple2(roles) if roles is not None else _tuple2([[role] * cols] * rows)
    return Grid(label, role, values, cells, max(rows, cols) <= MAX_NUMBERED if numbers is None else numbers)


def _held(rows) -> PanelFrame:
    """The closing frame: every panel of ``rows`` shown whole, held."""
    return PanelFrame(tuple(State() for row in rows for item in row if isinstance(item, Panel)), HOLD_MS)


def _conv_row(record, label: str, kernel_label: str) -> tuple[Panel, str, Panel, str, Panel]:
    """X ⊛ W = Y for one ``experiments.ConvRecord``."""
    k = tuple(record.kernel.shape)
    out = record.output.tolist()
    return (
        Panel(_grid(f"{label}  {_size(record.input_shape)}", "input", record.grid.tolist(), record.roles)),
        "⊛",
        Panel(_grid(f"{kernel_label}  {_size(k)}", "kernel", record.kernel.tolist())),
        "=",
        Panel(_grid(f"Y  {_size((len(out), len(out[0])))}", "output", out)),
    )


def _conv_note(record, show: str) -> str:
    k, s, p, d = record.kernel.shape[0], record.stride[0], record.padding[0], record.dilation[0]
    if show == "formula":  # the output size, with the numbers filled in
        return f"k={k}   s={s}   p={p}      " + arith.conv_axis(record.input_shape[0], k, s, p, d).formula
    if show == "same":  # TensorFlow's SAME: ⌈i/s⌉ cells, the padding they need, split before + after
        i, o = record.input_shape[0], record.output.shape[0]
        after = record.grid.shape[0] - i - p
        need = f"({o} − 1)·{s} + {d * (k - 1) + 1} − {i}"
        return f"k={k}   s={s}      ⌈{i} / {s}⌉ = {o}      {need} = {p + after} = {p} + {after}"
    return f"k={k}   d={d}   p={p}   s={s}      d·(k−1)+1 = {d * (k - 1) + 1}"


def lockstep_scene(records, show: str = "span") -> PanelScene:
    """Convolutions with the same number of output cells, one per row, stepping together; under
    each row its parameters and the kernel's span (``show="span"``), the output-size formula
    (``"formula"``), or TensorFlow's ``"SAME"`` arithmetic: ⌈i/s⌉ and the padding split (``"same"``)."""
    counts = {len(r.windows) for r in records}
    assert len(counts) == 1, "lockstep rows need the same number of output cells"
    rows = tuple(_conv_row(r, "X", "W") for r in records)
    frames = []
    for n in range(counts.pop()):
        states = []
        for r in records:
            window = r.windows[n]
            states += [State(None, window.cells), State(), State(n + 1, (), window.out)]
        frames.append(PanelFrame(tuple(states), STEP_MS))
    frames.append(_held(rows))
    return PanelScene(rows, tuple(_conv_note(r, show) for r in records), tuple(frames))


def shift_scene(record) -> PanelScene:
    """One row per shift, in one still frame: the shifted input, the kernel, its feature map.
    Zero cells stay white, so the pattern and its response stand out."""
    rows, notes = [], []
    for shift, x, y in zip(record.shifts, record.inputs, record.outputs):
        x_roles = [["input" if v else "empty" for v in row] for row in x.tolist()]
        y_roles = [["output" if v else "empty" for v in row] for row in y.tolist()]
        rows.append((
            Panel(_grid(f"X  {_size(tuple(x.shape))}", "input", x.tolist(), x_roles)),
            "⊛",
            Panel(_grid(f"W  {_size(tuple(record.kernel.shape))}", "kernel", record.kernel.tolist())),
            "=",
            Panel(_grid(f"Y  {_size(tuple(y.shape))}", "output", y.tolist(), y_roles)),
        ))
        notes.append(f"Δ = {shift}")
    return PanelScene(tuple(rows), tuple(notes), (_held(rows),))


def aliasing_scene(record) -> PanelScene:
    """One row per shift, in one still frame: the rolled signal X, its stride-2 max pooling Y and
    its blur pooling Z. Zero cells stay white. Under the first row what Y and Z are; under a
    row of an odd shift the largest change from the first row; under an even one, the roll."""
    rows, notes = [], []
    y0, z0 = record.pooled[0], record.blurred[0]
    weights = " ".join(_number_text(4 * v) for v in record.blur.tolist())
    for n, (shift, x, y, z) in enumerate(zip(record.shifts, record.inputs, record.pooled, record.blurred)):
        d = SUB[shift]
        row = []
        for name, role, t in (("X", "input", x), ("Y", "output", y), ("Z", "output", z)):
            values = [t.tolist()]
            cells = [[role if v else "empty" for v in values[0]]]
            if row:
                row.append("→" if name == "Y" else " ")
            row.append(Panel(_grid(f"{name}{d}  1×{len(values[0])}", role, values, cells)))
        rows.append(tuple(row))
        if n == 0:
            notes.append(f"Δ = {shift}      Y: max k=2 s=2      Z: max k=2 s=1 → [{weights}]/4 s=2")
        elif shift % 2:
            dy = float((y - y0).abs().max())
            dz = float((z - z0).abs().max())
            notes.append(f"Δ = {shift}      max|Y{d} − Y₀| = {_number_text(dy)}      max|Z{d} − Z₀| = {_number_text(dz)}")
        else:
            notes.append(f"Δ = {shift}      Y{d} = roll(Y₀, {shift // 2})      Z{d} = roll(Z₀, {shift // 2})")
    return PanelScene(tuple(rows), tuple(notes), (_held(rows),))


def padding_modes_scene(record, per_row: int = 2) -> PanelScene:
    """The same input padded by every ``padding_mode``, ``per_row`` grids to a row."""
    panels = [Panel(_grid(mode, "input", grid.tolist(), record.roles)) for mode, grid in zip(record.modes, record.grids)]
    rows = tuple(tuple(panels[i:i + per_row]) for i in range(0, len(panels), per_row))
    h, w = record.input.shape
    g = record.grids[0].shape
    notes = tuple("" for _ in rows[:-1]) + (f"X  {h}×{w}   p={record.padding}   →   {g[0]}×{g[1]}",)
    return PanelScene(rows, notes, (_held(rows),))


SUB = "₀₁₂₃₄₅₆₇₈₉"


def channels_scene(record) -> PanelScene:
    """One row per input channel (X[c] ⊛ W[c] = Y[c]), then the sum row
    Y₀ + Y₁ + … + b = Y; every step computes one output cell in every row."""
    rows = []
    for c, r in enumerate(record.per_channel):
        x, _, w, _, y = _conv_row(r, f"X{SUB[c]}", f"W{SUB[c]}")
        y = Panel(_grid(f"Y{SUB[c]}  {_size(tuple(r.output.shape))}", "output", r.output.tolist()))
        rows.append((x, "⊛", w, "=", y))
    total: list = []
    for c, r in enumerate(record.per_channel):
        total += [Panel(_grid(f"Y{SUB[c]}", "output", r.output.tolist())), "+"]
    total += [Panel(_grid("b", "kernel", [[record.bias]])), "=",
              Panel(_grid(f"Y  {_size(tuple(record.output.shape))}", "output", record.output.tolist()))]
    rows.append(tuple(total))
    n_out = len(record.per_channel[0].windows)
    c_in = len(record.per_channel)
    frames = []
    for n in range(n_out + 1):
        step = n < n_out
        states = []
        for r in record.per_channel:
            window = r.windows[n] if step else None
            states += [State(None, window.cells if step else ()), State(),
                       State(n + 1 if step else None, (), window.out if step else None)]
        current = record.per_channel[0].windows[n].out if step else None
        states += [State(n + 1 if step else None, (), current) for _ in range(c_in)]
        states += [State(), State(n + 1 if step else None, (), current)]
        frames.append(PanelFrame(tuple(states), STEP_MS * 3 // 2 if step else HOLD_MS))
    k = tuple(record.weight.shape)
    note = f"[C_out, C_in, k, k] = [1, {c_in}, {k[1]}, {k[2]}]"
    return PanelScene(tuple(rows), tuple("" for _ in rows[:-1]) + (note,), tuple(frames))


PHOTO_SCALE = 1.5  # figure pixels per photograph pixel


def _image(label: str, values, cmap: str, limits: tuple[float, float], scale: float = PHOTO_SCALE) -> Panel:
    """An image panel drawn ``scale`` figure pixels per value."""
    from .theme import CELL_PX

    values = _tuple2(values)
    h, w = len(values), len(values[0])
    grid = Grid(label, "output" if cmap != "gray" else "input", values, (), numbers=False)
    return Panel(grid, cmap, (h * scale / CELL_PX, w * scale / CELL_PX), limits)


EDGE_CMAP = "PuOr_r"  # diverging, safe for colour-blind readers: negative purple, positive orange


def _edge_limits(maps) -> tuple[float, float]:
    """Symmetric limits at the 99th percentile of |value|: a few strong edges (the photograph's
    border against the zero padding) would otherwise wash every other edge out."""
    magnitudes = sorted(abs(v) for m in maps for row in m for v in row)
    top = magnitudes[int(0.99 * (len(magnitudes) - 1))]
    return -top, top


def photo_edges_scene(record) -> PanelScene:
    """The photograph, then each hand-set kernel and the feature map it gives."""
    h, w = record.image.shape
    photo = _image(f"X  {h}×{w}", record.image.tolist(), "gray", (0.0, 1.0))
    maps = [m.tolist() for m in record.edges]
    limits = _edge_limits(maps)
    pairs = []
    for c, m in enumerate(maps):
        pairs.append((Panel(_grid(f"W{SUB[c]}", "kernel", record.kernels[c].tolist())), "→",
                      _image(f"h{SUB[c]}  {h}×{w}", m, EDGE_CMAP, limits)))
    rows = ((photo,), pairs[0] + pairs[1], pairs[2] + pairs[3])
    notes = ("", "", f"[1, 1, {h}, {w}]  →  k=3  p=1  →  [1, 4, {h}, {w}]")
    return PanelScene(rows, notes, (_held(rows),))


def photo_stride_scene(record) -> PanelScene:
    """Two feature maps before and after the stride-2 layer, at the same scale: half the size."""
    h, w = record.edges.shape[1:]
    gh, gw = record.halved.shape[1:]
    limits = _edge_limits([m.tolist() for m in record.edges])
    row = []
    for c in (0, 1):
        if row:
            row.append(" ")
        row += [_image(f"h{SUB[c]}  {h}×{w}", record.edges[c].tolist(), EDGE_CMAP, limits), "→",
                _image(f"g{SUB[c]}  {gh}×{gw}", record.halved[c].tolist(), EDGE_CMAP, limits)]
    note = f"[1, 4, {h}, {w}]  →  k=3  s=2  p=1  groups=4  →  [1, 4, {gh}, {gw}]"
    rows = (tuple(row),)
    return PanelScene(rows, (note,), (_held(rows),))


def scatter_scene(record) -> PanelScene:
    """The scatter view of a transposed convolution: each input cell, in turn, stamps its value
    times the kernel into the output at stride steps; where stamps overlap they add up."""
    nan = float("nan")
    h, w = record.input.shape
    k = tuple(record.weight.shape)
    out = record.output.tolist()
    oh, ow = len(out), len(out[0])
    rows = ((
        Panel(_grid(f"X  {h}×{w}", "input", record.input.tolist())),
        Panel(_grid(f"W  {_size(k)}", "kernel", record.weight.tolist())),
        "→",
        Panel(_grid(f"x·W  {_size(k)}", "kernel", record.stamps[0].tolist())),
        "→",
        Panel(_grid(f"Y  {oh}×{ow}", "output", out)),
    ),)
    frames = []
    for n, (cell, stamp, partial, region) in enumerate(zip(record.cells, record.stamps, record.partials,
                                                           record.regions)):
        shown = tuple(tuple(v if touched else nan for v, touched in zip(vr, tr))
                      for vr, tr in zip(partial.tolist(), record.touched[n].tolist()))
        frames.append(PanelFrame((State(None, (), cell), State(), State(values=_tuple2(stamp.tolist())),
                                  State(None, region, None, shown)), STEP_MS * 3 // 2))
    frames.append(PanelFrame((State(), State(), State(values=_tuple2([[nan] * k[1]] * k[0])), State()), HOLD_MS))
    s, p = record.stride[0], record.padding[0]
    note = f"k={k[0]}   s={s}   p={p}      ({h} − 1)·{s} − 2·{p} + ({k[0]} − 1) + 1 = {oh}"
    return PanelScene(rows, (note,), tuple(frames))


# --- the chapters on growing a feature map back (records of figures.growing) --------------


def matrix_scene(record) -> PanelScene:
    """X ⊛ W = Y, and the matrix C with vec(X) under it: each frame lights one output cell, its
    window in X, and the row of C that computes it (the kernel's numbers where the window lies)."""
    x, w, c = record.input.tolist(), record.weight.tolist(), record.matrix.tolist()
    h, wd = len(x), len(x[0])
    oh, ow = record.output.shape
    n_out, n_in = len(c), len(c[0])
    roles = [["kernel" if v else "zero" for v in row] for row in c]
    rows = (
        (Panel(_grid(f"X  {h}×{wd}", "input", x)), "⊛", Panel(_grid(f"W  {_size(record.weight.shape)}", "kernel", w)),
         "=", Panel(_grid(f"Y  {oh}×{ow}", "output", record.output.tolist()))),
        (Panel(_grid(f"C  {n_out}×{n_in}", "kernel", c, roles)),),
        (Panel(_grid(f"vec(X)ᵀ  1×{n_in}", "input", [[v for row in x for v in row]])),),
    )
    notes = ("", f"vec(Y) = C · vec(X)      [{n_out}] = [{n_out}×{n_in}] · [{n_in}]",
             "Cᵀ: [{0}×{1}]  →  conv_transpose2d   ⟨C x, y⟩ = ⟨x, Cᵀ y⟩".format(n_in, n_out))
    frames = []
    for i, window in enumerate(record.windows):
        cols = tuple(r * wd + q for r, q in window)
        out_cell = divmod(i, ow)
        frames.append(PanelFrame((State(None, window), State(), State(i + 1, (), out_cell),
                                  State(None, tuple((i, j) for j in cols)),
                                  State(None, tuple((0, j) for j in cols))), STEP_MS * 2))
    frames.append(_held(rows))
    return PanelScene(rows, notes, tuple(frames))


UPSAMPLE_LABELS = {
    "nearest": "nearest", "bilinear": "bilinear", "bilinear-corners": "bilinear, align_corners",
    "unpool": "MaxUnpool2d", "transposed": "ConvTranspose2d", "pixel-shuffle": "conv → PixelShuffle",
    "resize-conv": "nearest → conv",
}
UPSAMPLE_SCALE = 3.0  # figure pixels per output pixel (the input is drawn twice as large per pixel)


def upsampling_scene(record) -> PanelScene:
    """The max-pooled photograph and its seven upsamplings to twice the size, all drawn the same
    size on the page, in one grey scale."""
    h, w = record.input.shape
    panels = [_image(f"X  {h}×{w}", record.input.tolist(), "gray", (0.0, 1.0), 2 * UPSAMPLE_SCALE)]
    for name, out in record.outputs.items():
        panels.append(_image(UPSAMPLE_LABELS[name], out.tolist(), "gray", (0.0, 1.0), UPSAMPLE_SCALE))
    rows = (tuple(panels[:4]), tuple(panels[4:]))
    notes = ("", f"×2: {h}×{w} → {2 * h}×{2 * w}   k=3   ConvTranspose2d: s=2 p=1 a=1 w=¼")
    return PanelScene(rows, notes, (_held(rows),))


def overlap_scene(record) -> PanelScene:
    """Overlap counts of stride-2 transposed convolutions (all ones), tinted by count: per kernel
    size one layer and two layers, 1D above, 2D below."""
    rows, notes = [], []
    for layers in (1, 2):
        for k in record.kernels:
            counts = record.counts_1d[k, layers]
            top = float(counts.max())
            rows.append((Panel(_grid(f"k={k}  ×{layers}  1×{len(counts)}", "output", [counts.tolist()], numbers=True),
                               limits=(0.0, top), shade=True),))
            notes.append("")
    for layers in (1, 2):
        row = []
        for k in record.kernels:
            counts = record.counts_2d[k, layers]
            top = float(counts.max())
            row.append(Panel(_grid(f"k={k}  ×{layers}  {_size(tuple(counts.shape))}", "output", counts.tolist(),
                                   numbers=True), limits=(0.0, top), shade=True))
        rows.append(tuple(row))
        notes.append("")
    notes[-1] = "s=2:  k=3 p=1 a=1,   k=4 p=1 a=0"
    return PanelScene(tuple(rows), tuple(notes), (_held(rows),))


STACK_LABELS = {"transposed-3": "ConvTranspose2d k=3", "transposed-4": "ConvTranspose2d k=4",
                "resize-conv": "nearest → Conv2d k=3"}
CONSTANT_CMAP = "cividis"  # sequential, perceptually uniform, safe for colour-blind readers


def constant_scene(record) -> PanelScene:
    """The output of three untrained upsampling stacks on a constant input; each image on its
    own colour scale (its minimum to its maximum), so any pattern shows."""
    panels = []
    for kind, out in record.outputs.items():
        lo, hi = float(out.min()), float(out.max())
        panels.append(_image(f"{STACK_LABELS[kind]}", out.tolist(), CONSTANT_CMAP, (lo, hi), 4.0))
    n, c, h, w = record.input_shape
    oh, ow = record.outputs["resize-conv"].shape
    note = f"ones [{n}, {c}, {h}, {w}]  →  3 × (×2, ReLU)  →  [{n}, 1, {oh}, {ow}]"
    rows = (tuple(panels),)
    return PanelScene(rows, (note,), (_held(rows),))


def encoder_decoder_scene(record) -> PanelScene:
    """The photograph down twice and up twice, every stage drawn the same size; below, the
    U-Net style block: the upsampled map, the skip from the encoder, and their 1×1 mix."""
    st = record.stages
    size = st["x"].shape[0]

    def img(label, t):
        return _image(f"{label}  {t.shape[0]}×{t.shape[1]}", t.tolist(), "gray", (0.0, 1.0),
                      PHOTO_SCALE * size / t.shape[0])

    rows = (
        (img("X", st["x"]), "→", img("h₁", st["down1"]), "→", img("h₂", st["down2"])),
        (img("u₁", st["up1"]), "→", img("u₂", st["up2"])),
        (img("u₁", record.skip_up[0]), "∥", img("h₁", record.skip_up[1]), "→", img("1×1 conv", record.skip_up[2])),
    )
    notes = ("Conv2d k=3 s=2 p=1", "ConvTranspose2d k=4 s=2 p=1",
             "cat([u₁, h₁], dim=1)  [1, 2, {0}, {0}]  →  [1, 1, {0}, {0}]".format(st["down1"].shape[0]))
    return PanelScene(rows, notes, (_held(rows),))


# --- sequences and volumes (the sequences chapter) -------------------------------------------

NAN = float("nan")


def _signal(label: str, role: str, values, roles=None, pad=(0.0, 0.0), size: bool = True) -> Panel:
    """A 1-D signal as a 1×L grid, its label (with its size, unless ``size`` is False) beside it,
    ``pad`` blank cells before and after."""
    values = [float(v) for v in values]
    if size:
        label = f"{label}  1×{len(values) - (roles or []).count('pad')}"
    return Panel(_grid(label, role, [values], [roles] if roles else None), pad=tuple(float(p) for p in pad), side=True)


def _pad_roles(record) -> list[str]:
    left, right = record.padding
    return ["pad"] * left + ["input"] * len(record.signal) + ["pad"] * right


def sequence_scene(record) -> PanelScene:
    """``conv1d``: the signal X, the kernel W and the output Y in three rows, each output cell
    under the centre of the window it read; one output cell per step."""
    x = record.padded.tolist()
    k, n = len(record.kernel), len(record.output)
    width = len(x)
    centre = (k - 1) * record.dilation // 2
    rows = ((_signal("X", "input", x, _pad_roles(record)),),
            (_signal("W", "kernel", record.kernel.tolist(), pad=((width - k) / 2, (width - k) / 2)),),
            (_signal("Y", "output", record.output.tolist(), pad=(centre, width - n - centre)),))
    frames = [PanelFrame((State(None, tuple((0, c) for c in cells)), State(), State(t + 1, (), (0, t))), STEP_MS)
              for t, cells in enumerate(record.windows)]
    frames.append(_held(rows))
    note = f"k={k}      " + arith.conv_axis(len(record.signal), k, 1, 0, record.dilation).formula
    return PanelScene(rows, ("", "", note), tuple(frames))


def causal_scene(centred, causal) -> PanelScene:
    """``causal-conv1d``: the same signal and kernel padded the centred way (top pair) and the
    causal way (bottom pair); every output cell sits under the input of its own time step, so a
    window that reaches to its right reads the future. One time step per frame, in lockstep."""
    shift = causal.padding[0]  # the column of time step 0
    width = shift + len(causal.signal) + max(centred.padding[1], causal.padding[1])
    rows, notes = [], []
    for record in (centred, causal):
        left, right = record.padding
        x_pad = (shift - left, width - shift - len(record.signal) - right)
        rows.append((_signal("X", "input", record.padded.tolist(), _pad_roles(record), x_pad),))
        rows.append((_signal("Y", "output", record.output.tolist(),
                             pad=(shift, width - shift - len(record.output))),))
        weights = ", ".join(_number_text(v) for v in record.kernel.tolist())
        notes += ["", f"k={len(record.kernel)}   W = [{weights}]   p = ({left}, {right})"]
    frames = []
    for t in range(len(causal.output)):
        states = []
        for record in (centred, causal):
            states += [State(None, tuple((0, c) for c in record.windows[t])), State(t + 1, (), (0, t))]
        frames.append(PanelFrame(tuple(states), STEP_MS))
    frames.append(_held(rows))
    return PanelScene(tuple(rows), tuple(notes), tuple(frames))


def _number_text(value: float) -> str:
    """A weight as the figure writes it: 1, -1 or 0.5."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def causal_stack_scene(record) -> PanelScene:
    """``dilated-causal-stack``: the output on top, the input at the bottom, one 1×L row per map.
    The last output cell first; then each step goes one layer down: the cells reached (each with
    ∂y/∂cell, the number of paths from it to the output cell) and a line from every traced cell
    to each cell it read."""
    n = len(record.gradients)
    names = ["X"] + [f"h{SUB[i]}" for i in range(1, n - 1)] + ["Y"]
    order = list(range(n - 1, -1, -1))  # rows from the top: Y, …, h₁, X
    grads = [g.tolist() for g in record.gradients]
    rows = tuple((_signal(names[m], "input" if m == 0 else "output", grads[m], size=False),) for m in order)
    traced = [tuple((0, t) for t, v in enumerate(g) if v != 0) for g in grads]
    row_of = {m: i for i, m in enumerate(order)}

    def values(m: int, shown: bool):
        return (tuple(v if shown and v != 0 else NAN for v in grads[m]),)

    frames = []
    links: list = []
    for step in range(n):  # step 0: the output cell; step s: map n−1−s reached
        reached = n - 1 - step
        if step:
            layer = reached  # the layer from map ``reached`` to map ``reached + 1``
            for t, cells in record.reads[layer]:
                links += [(row_of[reached + 1], (0, t), row_of[reached], (0, c)) for c in cells]
        states = []
        for m in order:
            state = State(values=values(m, m >= reached), footprint=traced[m] if m == reached else (),
                          reached=m == reached, current=(0, record.length - 1) if m == n - 1 else None)
            states.append(state)
        frames.append(PanelFrame(tuple(states), HOLD_MS if step == n - 1 else STEP_MS * 3 // 2, tuple(links)))
    field, jump = 1, 1
    for d in record.dilations:
        field, jump = arith.receptive_field_step(field, jump, record.kernel, 1, d)
    k = record.kernel
    dil = " + ".join(map(str, record.dilations))
    note = f"k={k}   d={','.join(map(str, record.dilations))}      r = 1 + ({k} − 1)·({dil}) = {field}"
    return PanelScene(rows, tuple("" for _ in rows[:-1]) + (note,), tuple(frames))


def volume_scene(record, per_row: int = 2) -> PanelScene:
    """``conv3d-slices``: a D×H×W volume as its depth slices X₀, X₁, … (``per_row`` to a row), the
    kernel's slices W₀, W₁, … and the output's Y₀, Y₁, …; each step outlines the kD consecutive
    input slices one output cell read."""
    depth = record.input.shape[0]
    kd, kh, kw = record.kernel.shape
    od, oh, ow = record.output.shape
    xs = [Panel(_grid(f"X{SUB[j]}", "input", record.input[j].tolist())) for j in range(depth)]
    ws = [Panel(_grid(f"W{SUB[j]}", "kernel", record.kernel[j].tolist())) for j in range(kd)]
    ys = [Panel(_grid(f"Y{SUB[j]}", "output", record.output[j].tolist())) for j in range(od)]
    rows = tuple(tuple(xs[i:i + per_row]) for i in range(0, depth, per_row)) + (tuple(ws), tuple(ys))
    frames = []
    for n, ((d, r, c), cells) in enumerate(record.windows):
        x_states = [State(None, tuple((rr, cc) for dd, rr, cc in cells if dd == j)) for j in range(depth)]
        y_states = [State(None if j < d else (r * ow + c + 1 if j == d else 0), (), (r, c) if j == d else None)
                    for j in range(od)]
        frames.append(PanelFrame(tuple(x_states) + tuple(State() for _ in ws) + tuple(y_states), STEP_MS))
    frames.append(_held(rows))
    h = record.input.shape[1]
    x_rows = len(rows) - 2
    notes = (("",) * (x_rows - 1) + (f"X  {depth}×{h}×{h}", f"W  {kd}×{kh}×{kw}",
             f"Y  {od}×{oh}×{ow}      {depth} − {kd} + 1 = {od}   {h} − {kh} + 1 = {oh}"))
    return PanelScene(rows, notes, tuple(frames))
