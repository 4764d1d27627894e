"""The renderer: matplotlib draws a scene, and does nothing else.

The artists are built once per figure and the static picture is drawn once. Each frame then
restores that picture and draws only what moves (the kernel footprint and the current-cell
outline, matplotlib's "blitting"); an output cell that gets its value is drawn once into the
saved picture. Colours, sizes and fonts come from ``theme``.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Optional, Sequence

import matplotlib
import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from . import theme as th
from .scene import Frame, Grid, Scene

GAP = 1.4  # cells between two grids
MARGIN = 0.6  # cells around the figure
LABEL_ROWS = 1.3  # cells above the grids for their labels
SIDE_GAP = 0.35  # cells between a label beside its grid and the grid
LINK_LW = 1.44  # a line from a traced cell to a cell it read: 2 px
FOOTER_ROWS = 2.4  # cells below the grids for the parameters and the formula


def fmt(value: float) -> str:
    """A cell's number as the figure prints it: integers without a decimal point, others with
    at most two decimals, −∞ for max pooling's padding, nothing for a cell that is not read."""
    value = float(value)
    if value != value:  # NaN: outside the padded input, not part of any sum
        return ""
    if value in (float("inf"), float("-inf")):
        return "∞" if value > 0 else "−∞"
    if value.is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0")


def _number_size(grid: Grid) -> float:
    widest = max(len(fmt(v)) for row in grid.values for v in row)
    # a digit of DejaVu Sans is about 0.64 em wide; keep the number inside 86% of the cell
    room_pt = 0.86 * th.CELL_PX * 72 / th.DPI
    return min(th.NUMBER_PT, room_pt / (0.64 * widest))


def _is_block(cells, shape) -> bool:
    """Whether ``cells`` (in kernel order) are a solid block of ``shape``: no dilation."""
    r0, c0 = cells[0]
    return tuple(cells) == tuple((r0 + r, c0 + c) for r in range(shape[0]) for c in range(shape[1]))


def _text_cells(*lines: str) -> float:
    """About how many cells wide the longest of ``lines`` is, at the label size."""
    return max(len(line) for line in lines) * 0.6 * th.LABEL_PT / 72 * th.DPI / th.CELL_PX


@contextmanager
def library_defaults() -> Iterator[None]:
    """Draw with matplotlib's own defaults, whatever the user's matplotlibrc or style says (the
    figures' bytes, and so the cache key, must not depend on them); restored afterwards."""
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        yield


def _canvas(width: float, height: float, theme: th.Theme):
    """A figure of ``width`` × ``height`` cells (even pixel sizes) and one axes in cell units,
    y pointing down."""
    px_w, px_h = round(width * th.CELL_PX), round(height * th.CELL_PX)
    px_w += px_w % 2
    px_h += px_h % 2
    fig = Figure(figsize=(px_w / th.DPI, px_h / th.DPI), dpi=th.DPI, facecolor=theme.background)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, px_w / th.CELL_PX)
    ax.set_ylim(px_h / th.CELL_PX, 0)
    ax.set_axis_off()
    ax.set_facecolor(theme.background)
    return fig, canvas, ax, (px_w, px_h)


def _footer(ax, width: float, y: float, params: str, formula: str, theme: th.Theme) -> None:
    """The parameters and the formula, centred under the grids."""
    for dy, line in ((0, params), (0.85, formula)):
        ax.text(width / 2, y + dy, line, ha="center", va="center", color=theme.text, fontsize=th.LABEL_PT,
                family=th.FONT)


def _add(ax, patch):
    """``ax.add_patch`` without its update of the data limits (the axes' limits are set once, in
    cell units, and never follow the data): a fifth of the drawing time of a grid figure, the
    same pixels."""
    return ax.add_artist(patch)


def _cell(xy, theme: th.Theme, fill: str, role: str = "", size=(1, 1), **kwargs) -> Rectangle:
    """A cell (or a frame around a picture) with a crisp 1 px border; padding and inserted zeros
    hatched."""
    patch = Rectangle(xy, *size, facecolor=fill, edgecolor=theme.line, linewidth=th.LINE_LW, antialiased=False,
                      **kwargs)
    if role in th.HATCH:
        patch.set_hatch(th.HATCH[role])
        patch.set_hatch_linewidth(th.HATCH_LW)
        patch.set_hatchcolor(theme.hatch[role])
    return patch


def _digit_style(theme: th.Theme, role: str, fill: str) -> dict:
    """A digit's colour, and in a hatched cell a halo of the cell's fill: the hatch never runs
    through a digit, which stays readable against the fill (theme.TEXT_CONTRAST)."""
    if role not in th.HATCH:
        return {"color": theme.digit(role, fill)}
    return {"color": theme.digit(role, fill),
            "path_effects": [patheffects.withStroke(linewidth=th.HALO_LW, foreground=fill)]}


def _outline(colour: str, width: float, size=(1, 1), **kwargs) -> Rectangle:
    """A crisp outline that moves from frame to frame (the footprint, the current cell)."""
    return Rectangle((0, 0), *size, fill=False, edgecolor=colour, linewidth=width, antialiased=False, **kwargs)


class Renderer:
    """Draws the frames of one scene in one theme, reusing one figure and its artists."""

    def __init__(self, scene: Scene, theme: th.Theme):
        self.scene, self.theme = scene, theme
        grids = (scene.input, scene.kernel, scene.output)
        heights = [g.shape[0] for g in grids]
        widths = [g.shape[1] for g in grids]
        self.x0 = [MARGIN, MARGIN + widths[0] + GAP, MARGIN + widths[0] + GAP + widths[1] + GAP]
        grid_width = self.x0[2] + widths[2] + MARGIN
        width = max(grid_width, _text_cells(scene.params, scene.formula) + 2 * MARGIN)
        self.shift = (width - grid_width) / 2  # centre the grids when the text is wider
        self.top = MARGIN + LABEL_ROWS
        height = self.top + max(heights) + FOOTER_ROWS + MARGIN * 0.5
        self.fig, self.canvas, self.ax, self.size = _canvas(width, height, theme)
        ax = self.ax
        self.cell_text = {}
        self.cell_patch = {}
        for key, grid, x0 in zip(("input", "kernel", "output"), grids, self.x0):
            self._grid(key, grid, x0 + self.shift)
        kh, kw = scene.kernel.shape
        t = theme
        self.footprint_edge = [
            _add(ax, _outline(t.strong["kernel"], th.FOOTPRINT_LW, visible=False, zorder=4, animated=True))
            for _ in range(kh * kw)
        ]
        # the footprint is outlined, not tinted: the numbers under it stay as they are, and a
        # frame differs from the previous one in few pixels (small GIFs). Without dilation the
        # kernel covers a block of cells: one outline around the block; with dilation, one per cell
        self.window = _add(ax, _outline(t.strong["kernel"], th.FOOTPRINT_LW, (kw, kh), visible=False, zorder=4,
                                            animated=True))
        self.current = _add(ax, _outline(t.strong["current"], th.CURRENT_LW, visible=False, zorder=5, animated=True))
        # cells that no window read: crossed out in the last frame
        self.unread = ax.add_collection(LineCollection([], colors=t.strong["current"], linewidths=1.3, zorder=5.5,
                                                       visible=False, animated=True))
        _footer(ax, width, self.top + max(heights) + 0.75, scene.params, scene.formula, t)
        self._filled = 0
        self.canvas.draw()  # the static picture: everything but the animated artists
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)

    def _grid(self, key: str, grid: Grid, x0: float) -> None:
        t, ax = self.theme, self.ax
        rows, cols = grid.shape
        ax.text(x0, self.top - 0.45, grid.label, ha="left", va="baseline", color=t.label[grid.role],
                fontsize=th.LABEL_PT, fontweight="bold", family=th.FONT)
        size = _number_size(grid)
        for r in range(rows):
            for c in range(cols):
                role = grid.cells[r][c]
                fill = t.fill["empty"] if key == "output" else t.fill[role]
                patch = _add(ax, _cell((x0 + c, self.top + r), t, fill, role, zorder=1))
                self.cell_patch[key, r, c] = patch
                if grid.numbers:
                    text = "" if key == "output" else fmt(grid.values[r][c])
                    self.cell_text[key, r, c] = ax.text(
                        x0 + c + 0.5, self.top + r + 0.53, text, ha="center", va="center", fontsize=size,
                        family=th.FONT, zorder=6, **_digit_style(t, role, fill),
                    )

    def _cell_xy(self, key: str, cell) -> tuple[float, float]:
        index = ("input", "kernel", "output").index(key)
        return self.x0[index] + self.shift + cell[1], self.top + cell[0]

    def _fill_outputs(self, filled: int) -> None:
        """Bring the saved picture to ``filled`` output cells showing their values."""
        rows, cols = self.scene.output.shape
        if filled < self._filled:  # going back: start again from the empty output
            for n in range(rows * cols):
                r, c = divmod(n, cols)
                self.cell_patch["output", r, c].set_facecolor(self.theme.fill["empty"])
                if ("output", r, c) in self.cell_text:
                    self.cell_text["output", r, c].set_text("")
            self.canvas.draw()
            self._filled = 0
        if filled == self._filled:
            return
        self.canvas.restore_region(self.background)
        for n in range(self._filled, filled):
            r, c = divmod(n, cols)
            patch = self.cell_patch["output", r, c]
            patch.set_facecolor(self.theme.fill["output"])
            self.ax.draw_artist(patch)
            if ("output", r, c) in self.cell_text:
                text = self.cell_text["output", r, c]
                text.set_text(fmt(self.scene.output.values[r][c]))
                self.ax.draw_artist(text)
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)
        self._filled = filled

    def _moving(self, frame: Frame) -> list:
        """Place what moves (the footprint, the current cell, the crossed-out cells) for
        ``frame``, hide the rest; the artists to draw, in order."""
        shown = []
        for edge in self.footprint_edge:
            edge.set_visible(False)
        self.window.set_visible(False)
        cells = frame.footprint
        if cells and _is_block(cells, self.scene.kernel.shape):
            self.window.set_xy(self._cell_xy("input", cells[0]))
            self.window.set_visible(True)
            shown.append(self.window)
        else:
            for n, cell in enumerate(cells):
                self.footprint_edge[n].set_xy(self._cell_xy("input", cell))
                self.footprint_edge[n].set_visible(True)
                shown.append(self.footprint_edge[n])
        self.current.set_visible(frame.current is not None)
        if frame.current is not None:
            self.current.set_xy(self._cell_xy("output", frame.current))
            shown.append(self.current)
        self.unread.set_visible(bool(frame.unread))
        if frame.unread:
            segments = []
            for cell in frame.unread:
                x, y = self._cell_xy("input", cell)
                segments += [((x + 0.18, y + 0.18), (x + 0.82, y + 0.82)), ((x + 0.18, y + 0.82), (x + 0.82, y + 0.18))]
            self.unread.set_segments(segments)
            shown.append(self.unread)
            for r, c in frame.unread:  # the numbers stay readable above the cross
                if ("input", r, c) in self.cell_text:
                    shown.append(self.cell_text["input", r, c])
        return shown

    def draw(self, frame: Frame) -> np.ndarray:
        """The RGB pixels of one frame."""
        self._fill_outputs(frame.filled)
        self.canvas.restore_region(self.background)
        for artist in self._moving(frame):
            self.ax.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()

    def pose(self, frame: Frame) -> None:
        """Set every artist to ``frame``, for a picture drawn whole (vector output)."""
        rows, cols = self.scene.output.shape
        for n in range(rows * cols):
            r, c = divmod(n, cols)
            done = n < frame.filled
            self.cell_patch["output", r, c].set_facecolor(self.theme.fill["output" if done else "empty"])
            if ("output", r, c) in self.cell_text:
                self.cell_text["output", r, c].set_text(fmt(self.scene.output.values[r][c]) if done else "")
        self._moving(frame)

    def output_box(self) -> list[float]:
        """[left, top, cell width, cell height] of the output grid, in the picture's pixels from
        its top-left corner (where a reader points at an output cell)."""
        x, y = self._cell_xy("output", (0, 0))
        (left, bottom), (right, top) = self.ax.transData.transform([(x, y), (x + 1, y + 1)])
        height = self.size[1]
        return [round(float(left), 2), round(height - float(bottom), 2), round(float(right - left), 2),
                round(float(bottom - top), 2)]

    def close(self) -> None:
        self.fig.clear()


def render(scene: Scene, theme: th.Theme, geometry: Optional[dict] = None) -> Iterator[np.ndarray]:
    """Every frame of ``scene`` in ``theme``, as RGB arrays of one size, one at a time (an
    animation of a thousand steps is never all in memory). ``geometry``, if given, receives
    where the output grid is in the picture (``Renderer.output_box``)."""
    renderer = Renderer(scene, theme)
    if geometry is not None:
        geometry["output"] = renderer.output_box()
    try:
        for frame in scene.frames:
            yield renderer.draw(frame)
    finally:
        renderer.close()


class StackRenderer:
    """Draws a StackScene: maps side by side, input first, traced cells filled with their
    values and outlined in the kernel colour, the output cell in the current-cell colour."""

    def __init__(self, scene, theme: th.Theme):
        self.scene, self.theme = scene, theme
        shapes = [g.shape for g in scene.grids]
        self.x0 = []
        x = MARGIN
        for h, w in shapes:
            self.x0.append(x)
            x += max(w, 2.6) + GAP  # room for the label of a narrow map
        grid_width = x - GAP + MARGIN
        width = max(grid_width, _text_cells(scene.params, scene.formula) + 2 * MARGIN)
        shift = (width - grid_width) / 2
        self.x0 = [x0 + shift for x0 in self.x0]
        tallest = max(h for h, _ in shapes)
        self.top = MARGIN + LABEL_ROWS
        self.y0 = [self.top + (tallest - h) / 2 for h, _ in shapes]  # centred vertically
        height = self.top + tallest + FOOTER_ROWS + MARGIN * 0.5
        self.fig, self.canvas, ax, _ = _canvas(width, height, theme)
        self.ax = ax
        self.patches, self.texts, self.outlines = [], [], []
        for g, (grid, x0, y0) in enumerate(zip(scene.grids, self.x0, self.y0)):
            ax.text(x0, y0 - 0.45, grid.label, ha="left", va="baseline", color=theme.label[grid.role],
                    fontsize=th.LABEL_PT, fontweight="bold", family=th.FONT)
            size = _number_size(grid)
            rows, cols = grid.shape
            patches, texts = {}, {}
            for r in range(rows):
                for c in range(cols):
                    patches[r, c] = _add(ax, _cell((x0 + c, y0 + r), theme, theme.fill["empty"]))
                    if grid.numbers:
                        texts[r, c] = ax.text(x0 + c + 0.5, y0 + r + 0.53, "", ha="center", va="center",
                                              color=theme.text, fontsize=size, family=th.FONT, zorder=6)
            self.patches.append(patches)
            self.texts.append(texts)
            last = g == len(scene.grids) - 1
            self.outlines.append(_add(ax, _outline(
                theme.strong["current" if last else "kernel"], th.CURRENT_LW if last else th.FOOTPRINT_LW, zorder=5,
                visible=False)))
        _footer(ax, width, self.top + tallest + 0.75, scene.params, scene.formula, theme)

    def pose(self, frame) -> None:
        """Set every artist to ``frame``."""
        for g, (grid, cells) in enumerate(zip(self.scene.grids, frame.traced)):
            traced = set(cells)
            for (r, c), patch in self.patches[g].items():
                patch.set_facecolor(self.theme.fill[grid.role] if (r, c) in traced else self.theme.fill["empty"])
                if (r, c) in self.texts[g]:
                    self.texts[g][r, c].set_text(fmt(grid.values[r][c]) if (r, c) in traced else "")
            outline = self.outlines[g]
            if cells:
                rows = [r for r, _ in cells]
                cols = [c for _, c in cells]
                outline.set_bounds(self.x0[g] + min(cols), self.y0[g] + min(rows),
                                   max(cols) - min(cols) + 1, max(rows) - min(rows) + 1)
            outline.set_visible(bool(cells))

    def draw(self, frame) -> np.ndarray:
        self.pose(frame)
        self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()


def render_stack(scene, theme: th.Theme) -> Iterator[np.ndarray]:
    renderer = StackRenderer(scene, theme)
    for frame in scene.frames:
        yield renderer.draw(frame)


def heat_figure(scene, theme: th.Theme):
    """(figure, canvas) of a heat scene: the heat maps side by side, then the growth plot (log-log): the measured σ
    against √n, and the receptive field r = 2n + 1 against n. Viridis: safe for colour-blind
    readers and readable in grey."""
    n = len(scene.maps)
    fig = Figure(figsize=(2.1 * n + 3.6, 2.9), dpi=th.DPI, facecolor=theme.background)
    canvas = FigureCanvasAgg(fig)
    grid = fig.add_gridspec(1, n + 1, width_ratios=[1] * n + [1.9], left=0.02, right=0.98, top=0.86,
                            bottom=0.17, wspace=0.18)
    for i, (values, label, field) in enumerate(zip(scene.maps, scene.labels, scene.fields)):
        ax = fig.add_subplot(grid[0, i])
        values = np.asarray(values)
        ax.imshow(values, cmap="viridis", interpolation="nearest")
        corner = (values.shape[0] - field) / 2 - 0.5  # the theoretical field, centred
        _add(ax, Rectangle((corner, corner), field, field, fill=False, edgecolor=theme.strong["kernel"],
                               linewidth=1.2))
        ax.set_title(label, color=theme.text, fontsize=th.LABEL_PT, family=th.FONT)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color(theme.line)
    ax = fig.add_subplot(grid[0, n])
    ax.set_facecolor(theme.background)
    depths = np.asarray(scene.depths, dtype=float)
    ax.loglog(depths, scene.theoretical, "s", color=theme.strong["kernel"], markersize=5, label="r = 2n + 1")
    ax.loglog(depths, scene.spread, "o", color=theme.strong["input"], markersize=5, label="σ")
    ax.loglog(depths, scene.spread[0] * np.sqrt(depths / depths[0]), "--", color=theme.strong["input"],
              linewidth=1, label="∝ √n")
    ax.loglog(depths, 2 * depths + 1, ":", color=theme.strong["kernel"], linewidth=1)
    ax.set_xlabel("n", color=theme.text, fontsize=th.LABEL_PT, family=th.FONT)
    ax.tick_params(colors=theme.text, labelsize=th.NUMBER_PT, which="both")
    for spine in ax.spines.values():
        spine.set_color(theme.line)
    legend = ax.legend(frameon=False, fontsize=th.NUMBER_PT, loc="upper left")
    for text in legend.get_texts():
        text.set_color(theme.text)
    return fig, canvas


def still_figure(scene, theme: th.Theme):
    """(figure, canvas) of a still scene in full colour: heat maps, or fields over a photograph."""
    from .scene import FieldScene

    return field_figure(scene, theme) if isinstance(scene, FieldScene) else heat_figure(scene, theme)


def render_still(scene, theme: th.Theme) -> list[np.ndarray]:
    """The one frame of a still scene in full colour, as RGB pixels."""
    fig, canvas = still_figure(scene, theme)
    canvas.draw()
    return [np.asarray(canvas.buffer_rgba())[:, :, :3].copy()]


FIELD_CMAP = "inferno"  # the gradient over the photograph: dark to bright yellow, safe for colour-blind readers


FIELD_DECADES = 6  # the heat map's colour scale: from the largest gradient down to a millionth of it


def field_figure(scene, theme: th.Theme):
    """(figure, canvas) of a field scene: two by two panels, each the photograph (grey), the
    gradient of one cell as a heat map on a log scale (FIELD_DECADES decades; fainter where it
    is smaller, absent where it is 0), the closed form's square and the traced cell's centre.
    Each panel shows the whole photograph and the whole square."""
    import matplotlib

    photo = np.asarray(scene.photo)
    h, w = photo.shape
    cols = 2
    rows = (len(scene.maps) + cols - 1) // cols
    fig = Figure(figsize=(3.3 * cols, 3.55 * rows), dpi=th.DPI, facecolor=theme.background)
    canvas = FigureCanvasAgg(fig)
    grid = fig.add_gridspec(rows, cols, left=0.02, right=0.98, top=0.95, bottom=0.02, wspace=0.06, hspace=0.12)
    heat = matplotlib.colormaps[FIELD_CMAP]
    for i, (values, label, (top, left, sh, sw), (cy, cx)) in enumerate(
            zip(scene.maps, scene.labels, scene.squares, scene.centres)):
        ax = fig.add_subplot(grid[i // cols, i % cols])
        ax.set_facecolor(theme.background)
        ax.imshow(photo, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        values = np.asarray(values)
        with np.errstate(divide="ignore"):
            level = np.clip(1 + np.log10(values) / FIELD_DECADES, 0, 1)  # 1 at the largest, 0 below the scale
        rgba = heat(0.25 + 0.75 * level)
        rgba[..., 3] = np.where(values > 0, 0.35 + 0.6 * level, 0)
        ax.imshow(rgba, interpolation="nearest")
        _add(ax, Rectangle((-0.5, -0.5), w, h, fill=False, edgecolor=theme.line, linewidth=0.8))
        _add(ax, Rectangle((left - 0.5, top - 0.5), sw, sh, fill=False, edgecolor=theme.strong["kernel"],
                           linewidth=1.6))
        for width, colour in ((4.2, theme.background), (1.8, theme.strong["current"])):  # outlined: on any heat
            ax.plot([cx], [cy], marker="+", markersize=10, markeredgewidth=width, color=colour)
        lo, hi = min(0, top, left) - 4, max(h, w, top + sh, left + sw) + 3
        ax.set_xlim(lo - 0.5, hi + 0.5)
        ax.set_ylim(hi + 0.5, lo - 0.5)
        ax.set_title(label, color=theme.text, fontsize=th.LABEL_PT, family=th.FONT)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
    return fig, canvas


OPERATOR_W = 1.1  # cells for an operator symbol (⊛, =, +) between two panels
NOTE_ROWS = 1.0  # cells under a row for its note


def _operator(ax, theme: th.Theme, symbol: str, x: float, middle: float) -> None:
    """An operator symbol (⊛, =, +, →) centred in its OPERATOR_W cells at ``x``, between two items."""
    ax.text(x + OPERATOR_W / 2, middle, symbol, ha="center", va="center", color=theme.text,
            fontsize=th.LABEL_PT * 1.3, family=th.FONT)


def _rows_size(layout, notes) -> tuple[float, float]:
    """(width, height) in cells of rows laid out as (placed items, row width, tallest item), each
    with its note line under it: the figure of a panel or a block scene."""
    widest = max(w for _, w, _ in layout)
    width = max(widest, _text_cells(*notes)) + 2 * MARGIN
    height = MARGIN * 0.5
    for (_, _, tallest), note in zip(layout, notes):
        height += LABEL_ROWS + tallest + (NOTE_ROWS if note else 0.3)
    height += MARGIN * 0.5
    return width, height


class PanelRenderer:
    """Draws a ``panels.PanelScene``: rows of grids and images, with operators between them.
    The artists are made once; a frame sets what each grid shows and redraws."""

    def __init__(self, scene, theme: th.Theme):
        from .panels import Panel

        self.scene, self.theme = scene, theme
        # labels beside their grids (rows of 1-D signals) share one column, so that the rows align
        side_w = max((_text_cells(p.grid.label) * 0.9 + SIDE_GAP for p in scene.panels if p.side), default=0.0)
        layout = []  # (row, [(item, x)], row width, panel height)
        for row in scene.rows:
            x, placed, tallest = 0.0, [], 0.0
            for n, item in enumerate(row):
                if isinstance(item, Panel):
                    if n and isinstance(row[n - 1], Panel):
                        x += GAP
                    x += (side_w if item.side else 0.0) + item.pad[0]
                    placed.append((item, x))
                    x += (item.size[1] if item.side else max(item.size[1], _text_cells(item.grid.label) * 0.9))
                    x += item.pad[1]
                    tallest = max(tallest, item.size[0])
                else:
                    placed.append((item, x))
                    x += OPERATOR_W
            layout.append((placed, x, tallest))
        width, height = _rows_size(layout, scene.notes)
        self.fig, self.canvas, ax, _ = _canvas(width, height, theme)
        self.ax = ax
        self.grids = []  # per panel: (panel, x0, y0, patches, texts) for grids, None for images
        y = MARGIN * 0.5
        for (placed, row_width, tallest), note in zip(layout, scene.notes):
            top = y + LABEL_ROWS
            shift = (width - row_width) / 2
            for item, x in placed:
                x += shift
                if not isinstance(item, Panel):
                    _operator(ax, theme, item, x, top + tallest / 2)
                    continue
                h, w = item.size
                y0 = top + (tallest - h) / 2
                if item.side:
                    ax.text(x - item.pad[0] - SIDE_GAP, y0 + h / 2, item.grid.label, ha="right", va="center",
                            color=theme.label[item.grid.role], fontsize=th.LABEL_PT, fontweight="bold", family=th.FONT)
                else:
                    ax.text(x, y0 - 0.45, item.grid.label, ha="left", va="baseline", color=theme.label[item.grid.role],
                            fontsize=th.LABEL_PT, fontweight="bold", family=th.FONT)
                if item.cmap:
                    lo, hi = item.limits
                    ax.imshow(item.grid.values, cmap=item.cmap, vmin=lo, vmax=hi, interpolation="antialiased",
                              extent=(x, x + w, y0 + h, y0), zorder=1)
                    _add(ax, _cell((x, y0), theme, "none", size=(w, h), zorder=2))
                    self.grids.append(None)
                    continue
                states = [f.states[len(self.grids)] for f in scene.frames]
                dynamic = any(s.shown is not None or s.values is not None for s in states)
                self.grids.append(self._grid(item.grid, x, y0, dynamic, item.limits if item.shade else None))
            if note:
                ax.text(width / 2, top + tallest + 0.6, note, ha="center", va="center", color=theme.text,
                        fontsize=th.LABEL_PT, family=th.FONT)
            y = top + tallest + (NOTE_ROWS if note else 0.3)
        # what a cell read, as lines from it to the cells below or above (a trace), drawn under the outlines
        self.links = ax.add_collection(LineCollection([], colors=theme.strong["kernel"], linewidths=LINK_LW,
                                                      antialiased=False, zorder=3, animated=True), autolim=False)
        ax.set_xlim(0, self.fig.get_figwidth() * th.DPI / th.CELL_PX)  # imshow must not rescale the axes
        ax.set_ylim(self.fig.get_figheight() * th.DPI / th.CELL_PX, 0)
        ax.set_aspect("auto")
        # blitting: the static picture is drawn once; a frame redraws only the grids that fill
        # in step by step and the outlines
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)

    def _grid(self, grid, x0: float, y0: float, dynamic: bool, shade=None):
        """A grid of cells; with ``shade`` = (low, high), each cell tinted by its value."""
        t, ax = self.theme, self.ax
        rows, cols = grid.shape
        size = _number_size(grid)
        patches, texts = {}, {}
        for r in range(rows):
            for c in range(cols):
                role = grid.cells[r][c]
                fill = t.fill[role]
                if shade is not None:
                    lo, hi = shade
                    fill = th.mix(t.strong[role], t.background, th.shade(grid.values[r][c], lo, hi))
                patches[r, c] = _add(ax, _cell((x0 + c, y0 + r), t, fill, role, zorder=1, animated=dynamic))
                if grid.numbers:
                    texts[r, c] = ax.text(x0 + c + 0.5, y0 + r + 0.53, fmt(grid.values[r][c]), ha="center",
                                          va="center", fontsize=size, family=th.FONT, zorder=6, animated=dynamic,
                                          **_digit_style(t, role, fill))
        window = _add(ax, _outline(t.strong["kernel"], th.FOOTPRINT_LW, visible=False, zorder=4, animated=True))
        cells = [_add(ax, _outline(t.strong["kernel"], th.FOOTPRINT_LW, visible=False, zorder=4, animated=True))
                 for _ in range(rows * cols)]
        current = _add(ax, _outline(t.strong["current"], th.CURRENT_LW, visible=False, zorder=5, animated=True))
        return grid, x0, y0, patches, texts, window, cells, current, dynamic

    def _set(self, frame) -> tuple[list, list]:
        """Set the grids and outlines to ``frame``: (the cells that change, in drawing order; the
        outlines shown, drawn above every grid's cells)."""
        t = self.theme
        changing, outlines = [], []
        for drawn, state in zip(self.grids, frame.states):
            if drawn is None:
                continue
            grid, x0, y0, patches, texts, window, cells, current, dynamic = drawn
            rows, cols = grid.shape
            values = state.values if state.values is not None else grid.values
            for (r, c), patch in patches.items() if dynamic else ():
                value = values[r][c]
                visible = (state.shown is None or r * cols + c < state.shown) and value == value  # NaN: empty
                patch.set_facecolor(t.fill[grid.cells[r][c]] if visible else t.fill["empty"])
                changing.append(patch)
                if (r, c) in texts:
                    texts[r, c].set_text(fmt(value) if visible else "")
                    changing.append(texts[r, c])
            for patch in cells:
                patch.set_visible(False)
            window.set_visible(False)
            foot = state.footprint
            if foot:
                rs = [r for r, _ in foot]
                cs = [c for _, c in foot]
                block = (max(rs) - min(rs) + 1, max(cs) - min(cs) + 1)
                if _is_block(foot, block):
                    window.set_bounds(x0 + min(cs), y0 + min(rs), block[1], block[0])
                    window.set_visible(True)
                else:
                    for patch, (r, c) in zip(cells, foot):
                        patch.set_xy((x0 + c, y0 + r))
                        patch.set_visible(True)
            current.set_visible(state.current is not None)
            if state.current is not None:
                current.set_xy((x0 + state.current[1], y0 + state.current[0]))
            outlines += [a for a in (window, *cells, current) if a.get_visible()]
        segments = []
        for a, (ra, ca), b, (rb, cb) in frame.links:
            (_, xa, ya, *_), (_, xb, yb, *_) = self.grids[a], self.grids[b]
            down = 1 if ya + ra < yb + rb else 0  # from the lower edge of the upper cell to the upper edge of the other
            segments.append(((xa + ca + 0.5, ya + ra + down), (xb + cb + 0.5, yb + rb + 1 - down)))
        self.links.set_segments(segments)
        self.links.set_visible(bool(segments))
        return changing, ([self.links] if segments else []) + outlines

    def pose(self, frame) -> None:
        """Set every artist to ``frame``, for a picture drawn whole (vector output)."""
        self._set(frame)

    def draw(self, frame) -> np.ndarray:
        self.canvas.restore_region(self.background)
        changing, outlines = self._set(frame)
        for artist in changing + outlines:  # the outlines above every grid's cells
            self.ax.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()


def render_panels(scene, theme: th.Theme) -> Iterator[np.ndarray]:
    renderer = PanelRenderer(scene, theme)
    try:
        for frame in scene.frames:
            yield renderer.draw(frame)
    finally:
        renderer.fig.clear()


def posed(scene, theme: th.Theme, frames: Optional[Sequence[int]] = None) -> Iterator[Figure]:
    """For vector output: the figure of ``scene``, every artist set to each of its frames in turn
    (all of them, or those numbered in ``frames``), to be saved whole (nothing is blitted)."""
    from .blocks import BlockScene
    from .panels import PanelScene
    from .scene import FieldScene, HeatScene, StackScene

    if isinstance(scene, (HeatScene, FieldScene)):
        yield still_figure(scene, theme)[0]
        return
    if isinstance(scene, BlockScene):
        renderer = BlockRenderer(scene, theme)
    elif isinstance(scene, PanelScene):
        renderer = PanelRenderer(scene, theme)
    elif isinstance(scene, StackScene):
        renderer = StackRenderer(scene, theme)
    else:
        renderer = Renderer(scene, theme)
    fig = renderer.fig
    for artist in fig.findobj(lambda a: a.get_animated()):
        artist.set_animated(False)  # drawn with the rest: the whole picture, in drawing order
    for text in fig.findobj(matplotlib.text.Text):
        effects = text.get_path_effects()
        if effects:  # a digit's halo would turn it into a path: a box of the cell's fill instead
            fill = effects[0]._gc.get("foreground")
            text.set_path_effects([])
            text.set_bbox({"boxstyle": "square,pad=0.1", "facecolor": fill, "edgecolor": "none", "linewidth": 0})
    try:
        for n in range(len(scene.frames)) if frames is None else frames:
            renderer.pose(scene.frames[n])
            yield fig
    finally:
        fig.clear()


# --- blocks: C×H×W tensors in an oblique projection (figures.blocks) -------------------------

DEPTH_X, DEPTH_Y = 0.5, 0.62  # one row of a plate, going back: this far left (cells) and down
PLATE_GAP = 0.55  # cells between two channels' plates
INDEX_W = 0.55  # cells left of a block for its channels' numbers


def block_size(shape: tuple[int, int, int]) -> tuple[float, float]:
    """(height, width) in cells of a C×H×W block as drawn."""
    c, h, w = shape
    return c * h * DEPTH_Y + (c - 1) * PLATE_GAP, w + h * DEPTH_X


class BlockRenderer:
    """Draws a ``blocks.BlockScene``: each tensor a stack of plates (one per channel, an H×W
    grid seen obliquely from above), the plates joined into a box by its edges; a kernel's
    footprint outlined on every plate it spans and joined into a block; the cells computed
    outlined in the current-cell colour. The artists are made once; a frame sets them."""

    def __init__(self, scene, theme: th.Theme):
        from matplotlib.patches import Polygon

        from .blocks import Block

        self._polygon = Polygon
        self.scene, self.theme = scene, theme
        layout = []  # per row: ([(item, x)], row width, tallest)
        for row in scene.rows:
            x, placed, tallest = 0.0, [], 0.0
            for n, item in enumerate(row):
                if isinstance(item, Block):
                    if n and isinstance(row[n - 1], Block):
                        x += GAP
                    x += INDEX_W
                    height, width = block_size(item.shape)
                    placed.append((item, x))
                    x += max(width, _text_cells(item.label) * 0.9)
                    tallest = max(tallest, height)
                else:
                    placed.append((item, x))
                    x += OPERATOR_W
            layout.append((placed, x, tallest))
        width, height = _rows_size(layout, scene.notes)
        self.fig, self.canvas, ax, _ = _canvas(width, height, theme)
        self.ax = ax
        self.blocks = []
        y = MARGIN * 0.5
        for (placed, row_width, tallest), note in zip(layout, scene.notes):
            top = y + LABEL_ROWS
            shift = (width - row_width) / 2
            for item, x in placed:
                x += shift
                if not isinstance(item, Block):
                    _operator(ax, theme, item, x, top + tallest / 2)
                    continue
                h, _ = block_size(item.shape)
                self.blocks.append(self._block(item, x, top + (tallest - h) / 2))
            if note:
                ax.text(width / 2, top + tallest + 0.6, note, ha="center", va="center", color=theme.text,
                        fontsize=th.LABEL_PT, family=th.FONT)
            y = top + tallest + (NOTE_ROWS if note else 0.3)

    def _block(self, block, x0: float, y0: float) -> dict:
        t, ax = self.theme, self.ax
        c_n, h, w = block.shape
        size = min(th.NUMBER_PT, _number_size_of(block.values))
        pitch = h * DEPTH_Y + PLATE_GAP

        def point(c: int, r: float, q: float) -> tuple[float, float]:
            return x0 + (h - r) * DEPTH_X + q, y0 + c * pitch + r * DEPTH_Y

        label = ax.text(x0, y0 - 0.45, block.label, ha="left", va="baseline", color=t.label[block.role],
                        fontsize=th.LABEL_PT, fontweight="bold", family=th.FONT)
        # the box's edges, behind the plates: seen between them, they join the plates into a block
        corners = [(0, 0), (0, w), (h, w), (h, 0)]
        ax.add_collection(LineCollection([(point(0, r, q), point(c_n - 1, r, q)) for r, q in corners],
                                         colors=t.line, linewidths=th.LINE_LW * 1.5, zorder=0.5))
        cells, texts = {}, {}
        for c in range(c_n):
            ax.text(point(c, h / 2, 0)[0] - 0.25, point(c, h / 2, 0)[1], str(c), ha="right", va="center",
                    color=t.label[block.role], fontsize=th.NUMBER_PT, family=th.FONT)
            for r in range(h):
                for q in range(w):
                    fill = self._fill(block, (c, r, q))
                    cells[c, r, q] = _add(ax, self._polygon(
                        [point(c, r, q), point(c, r, q + 1), point(c, r + 1, q + 1), point(c, r + 1, q)],
                        closed=True, facecolor=fill, edgecolor=t.line, linewidth=th.LINE_LW, zorder=1))
                    if block.numbers:
                        cx, cy = point(c, r + 0.5, q + 0.5)
                        texts[c, r, q] = ax.text(cx, cy + 0.03, fmt(block.values[c][r][q]), ha="center",
                                                 va="center", fontsize=size, family=th.FONT, zorder=6,
                                                 color=t.digit(block.role, fill))
        footprint = [_add(ax, self._polygon([(0, 0)] * 4, closed=True, fill=False, edgecolor=t.strong["kernel"],
                                            linewidth=th.FOOTPRINT_LW, zorder=4, visible=False)) for _ in range(c_n)]
        joins = ax.add_collection(LineCollection([], colors=t.strong["kernel"], linewidths=th.FOOTPRINT_LW,
                                                 zorder=0.6, visible=False))
        current = [_add(ax, self._polygon([(0, 0)] * 4, closed=True, fill=False, edgecolor=t.strong["current"],
                                          linewidth=th.CURRENT_LW, zorder=5, visible=False))
                   for _ in range(c_n * h * w)]
        return {"block": block, "point": point, "label": label, "cells": cells, "texts": texts,
                "footprint": footprint, "joins": joins, "current": current}

    def _fill(self, block, cell) -> str:
        if block.tint:
            c, r, q = cell
            return self.theme.tints[block.tint[c][r][q]]
        return self.theme.fill[block.role]

    def pose(self, frame) -> None:
        """Set every artist to ``frame``."""
        t = self.theme
        for drawn, state in zip(self.blocks, frame.states):
            block, point = drawn["block"], drawn["point"]
            values = state.values if state.values is not None else block.values
            drawn["label"].set_text(state.label or block.label)
            shown = None if state.shown is None else set(state.shown)
            for cell, patch in drawn["cells"].items():
                visible = shown is None or cell in shown
                fill = self._fill(block, cell) if visible else t.fill["empty"]
                patch.set_facecolor(fill)
                if cell in drawn["texts"]:
                    c, r, q = cell
                    text = drawn["texts"][cell]
                    text.set_text(fmt(values[c][r][q]) if visible else "")
                    text.set_color(t.digit(block.role, fill))
            by_channel: dict = {}
            for c, r, q in state.footprint:
                by_channel.setdefault(c, []).append((r, q))
            for c, outline in enumerate(drawn["footprint"]):
                outline.set_visible(c in by_channel)
                if c in by_channel:
                    rs = [r for r, _ in by_channel[c]]
                    qs = [q for _, q in by_channel[c]]
                    r0, r1, q0, q1 = min(rs), max(rs) + 1, min(qs), max(qs) + 1
                    outline.set_xy([point(c, r0, q0), point(c, r0, q1), point(c, r1, q1), point(c, r1, q0)])
            joins = drawn["joins"]
            joins.set_visible(len(by_channel) > 1)
            if len(by_channel) > 1:
                first, last = min(by_channel), max(by_channel)
                rs = [r for r, _ in by_channel[first]]
                qs = [q for _, q in by_channel[first]]
                r0, r1, q0, q1 = min(rs), max(rs) + 1, min(qs), max(qs) + 1
                joins.set_segments([(point(first, r, q), point(last, r, q))
                                    for r, q in ((r0, q0), (r0, q1), (r1, q1), (r1, q0))])
            for n, outline in enumerate(drawn["current"]):
                outline.set_visible(n < len(state.current))
                if n < len(state.current):
                    c, r, q = state.current[n]
                    outline.set_xy([point(c, r, q), point(c, r, q + 1), point(c, r + 1, q + 1), point(c, r + 1, q)])

    def draw(self, frame) -> np.ndarray:
        self.pose(frame)
        self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()


def _number_size_of(values) -> float:
    """The digits' size for a block: every number inside 86% of a cell's width."""
    widest = max(len(fmt(v)) for plate in values for row in plate for v in row)
    room_pt = 0.86 * th.CELL_PX * 72 / th.DPI
    return min(th.NUMBER_PT, room_pt / (0.64 * widest))


def render_blocks(scene, theme: th.Theme) -> Iterator[np.ndarray]:
    renderer = BlockRenderer(scene, theme)
    try:
        for frame in scene.frames:
            yield renderer.draw(frame)
    finally:
        renderer.fig.clear()
