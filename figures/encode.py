"""The encoder: frames to PNG or GIF bytes, with Pillow. No hand-written codec.

Deterministic (the same frames give the same bytes: no timestamps, no random sampling),
only distinct frames (equal neighbours are merged and their durations added), one small
palette shared by every frame, no dithering (digits stay crisp), and frame differencing
(Pillow writes only the rectangle that changed since the previous frame, unchanged pixels
transparent). A GIF frame has one such rectangle, so when a step changes two places far apart
(the kernel's footprint on the input, the new cell of the output), the step is written as one
short sub-frame per place: two small rectangles instead of one wide one that is mostly
unchanged pixels.
"""

from __future__ import annotations

import io
from typing import Iterable, Optional, Sequence

import numpy as np
from PIL import GifImagePlugin, Image

# A figure's palette is its theme's colours (every role's stroke, fill and label, text, lines,
# hatches; 22 in the light theme, 18 in the dark) and nothing else: the anti-aliased edges of the
# digits take the nearest of them. Each extra shade costs bytes in every frame (14 more made the
# classics 7% larger). PALETTE_COLOURS is the size of a palette computed from the frames.
PALETTE_COLOURS = 17
MAX_COLOURS = 32  # a 5-bit colour table, one entry of which is the transparent index
PALETTE_SAMPLES = 10  # frames that the palette is computed from
# unchanged pixels (rows or columns) that separate two changed places of one step: more than the
# one cell between the cells of a dilated footprint (so its outlines move as one), less than the
# gap between two grids
SPLIT_GAP = 40
SUBFRAME_MS = 20  # how long a sub-frame shows: the shortest delay browsers honour (10 ms becomes 100)
MAX_PLACES = 4  # a step is split into at most this many sub-frames (60 ms before it is complete)


def distinct(frames: Sequence[np.ndarray], durations: Sequence[int]) -> tuple[list[np.ndarray], list[int]]:
    """Merge runs of identical frames into one frame that lasts as long as the run."""
    kept: list[np.ndarray] = []
    times: list[int] = []
    for frame, ms in zip(frames, durations):
        if kept and np.array_equal(kept[-1], frame):
            times[-1] += ms
        else:
            kept.append(frame)
            times.append(ms)
    return kept, times


def _spans(changed: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) of the runs of True in ``changed``, runs closer than SPLIT_GAP joined."""
    where = np.flatnonzero(changed)
    if not len(where):
        return []
    cuts = np.flatnonzero(np.diff(where) > SPLIT_GAP)
    starts = np.concatenate([[where[0]], where[cuts + 1]])
    stops = np.concatenate([where[cuts], [where[-1]]]) + 1
    return list(zip(starts.tolist(), stops.tolist()))


def places(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Rectangles (top, bottom, left, right) around the changed pixels of ``mask``, cut apart
    wherever at least SPLIT_GAP unchanged columns, then rows, separate them (an XY cut)."""
    columns, rows = _spans(mask.any(axis=0)), _spans(mask.any(axis=1))
    if len(columns) <= 1 and len(rows) <= 1:
        return [(rows[0][0], rows[0][1], columns[0][0], columns[0][1])] if columns else []
    out = []
    if len(columns) > 1:
        for left, right in columns:
            out += [(t, b, l + left, r + left) for t, b, l, r in places(mask[:, left:right])]
    else:
        for top, bottom in rows:
            out += [(t + top, b + top, l, r) for t, b, l, r in places(mask[top:bottom])]
    return sorted(out, key=lambda box: (box[2], box[0]))


def _split(before: np.ndarray, after: np.ndarray, ms: int) -> list[tuple[np.ndarray, int]]:
    """The pictures (and how long each shows) that take ``before`` to ``after`` in one step:
    one sub-frame per place the step changes, in reading order, where that pays; else
    ``after`` alone. The sub-frames' SUBFRAME_MS are taken from the step's own duration."""
    differs = before != after
    boxes = places(differs if differs.ndim == 2 else differs[..., 0] | differs[..., 1] | differs[..., 2])
    # only where it pays (the places cover at most half of the one rectangle around them)
    # and the step lasts long enough to give SUBFRAME_MS to each sub-frame
    out = []
    if 1 < len(boxes) <= MAX_PLACES and ms > SUBFRAME_MS * len(boxes):
        around = (max(b[1] for b in boxes) - min(b[0] for b in boxes)) * (
            max(b[3] for b in boxes) - min(b[2] for b in boxes))
        if 2 * sum((b - t) * (r - l) for t, b, l, r in boxes) <= around:
            partial = before.copy()
            for t, b, l, r in boxes[:-1]:
                partial[t:b, l:r] = after[t:b, l:r]
                out.append((partial.copy(), SUBFRAME_MS))
            ms -= SUBFRAME_MS * (len(boxes) - 1)
    out.append((after, ms))
    return out


def split_steps(frames: Sequence[np.ndarray], durations: Sequence[int]) -> tuple[list[np.ndarray], list[int]]:
    """Each step that changes places far apart becomes one sub-frame per place (``_split``):
    every frame of the input is still shown, as long as before in all, and the loop lasts as
    long. ``frames`` are 2-D (palette indices) or 3-D (RGB) arrays of one shape."""
    out, times = [frames[0]], [durations[0]]
    for before, after, ms in zip(frames, frames[1:], durations[1:]):
        for picture, t in _split(before, after, ms):
            out.append(picture)
            times.append(t)
    return out, times


def _palette(frames: Sequence[np.ndarray], reserved: Sequence[str] = ()) -> Image.Image:
    """One palette for all frames: the most frequent exact colours of evenly spaced frames.

    Flat fills, lines and text are the most frequent colours, so each role keeps its exact
    colour; the rarer anti-aliasing shades map to their nearest neighbour in the palette.
    Ties are broken by the colour value, so the palette does not depend on anything else.
    ``reserved`` colours ("#RRGGBB", e.g. a label's colour that covers few pixels) always get
    an entry of their own.
    """
    n = len(frames)
    m = min(n, PALETTE_SAMPLES)
    picks = sorted({round(i * (n - 1) / max(1, m - 1)) for i in range(m)})
    pixels = np.concatenate([frames[i].reshape(-1, 3) for i in picks]).astype(np.uint32)
    packed = (pixels[:, 0] << 16) | (pixels[:, 1] << 8) | pixels[:, 2]
    colours, counts = np.unique(packed, return_counts=True)
    fixed = np.array(sorted({int(c.lstrip("#"), 16) for c in reserved}), dtype=np.uint32)
    order = np.lexsort((colours, -counts))
    frequent = colours[order][~np.isin(colours[order], fixed)][: max(0, PALETTE_COLOURS - len(fixed))]
    chosen = np.sort(np.concatenate([fixed, frequent]))
    return _palette_image(np.stack([(chosen >> 16) & 255, (chosen >> 8) & 255, chosen & 255], axis=1).astype(np.uint8))


def _palette_image(rgb: np.ndarray) -> Image.Image:
    palette = Image.new("P", (1, 1))
    palette.putpalette(rgb.reshape(-1).tolist())
    return palette


def _reserved_palette(reserved: Sequence[str]) -> Image.Image:
    """The palette of exactly the ``reserved`` colours, in the order of their values."""
    chosen = sorted({int(c.lstrip("#"), 16) for c in reserved})
    return _palette_image(np.array([((c >> 16) & 255, (c >> 8) & 255, c & 255) for c in chosen], np.uint8))


class _GifWriter:
    """Writes a looping GIF one frame at a time (Pillow encodes each frame's pixels): the first
    frame whole, every later one as the rectangle that changed, unchanged pixels transparent.
    Only the frame on screen is kept, never the whole animation."""

    def __init__(self, palette: Image.Image):
        colours = palette.getpalette()
        self.colours = len(colours) // 3
        self.transparent = self.colours  # the first free entry: no frame's pixel uses it
        self.table = colours + colours[:3]  # an entry for the transparent index (never shown)
        self.out = io.BytesIO()
        self.shown: Optional[np.ndarray] = None
        self.count = 0  # frames written

    def _image(self, index: np.ndarray) -> Image.Image:
        image = Image.fromarray(index)
        image.putpalette(self.table)
        return image

    def add(self, index: np.ndarray, ms: int) -> None:
        if self.shown is None:
            image = self._image(index)
            header, _ = GifImagePlugin.getheader(image, info={"loop": 0, "duration": ms})
            self.out.write(b"".join(header))
            self.out.write(b"".join(GifImagePlugin.getdata(image, (0, 0), duration=ms, disposal=1)))
        else:
            changed = index != self.shown
            rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
            top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
            part = index[top:bottom, left:right].copy()
            part[~changed[top:bottom, left:right]] = self.transparent
            data = GifImagePlugin.getdata(self._image(part), (int(left), int(top)), duration=ms, disposal=1,
                                          transparency=self.transparent)
            self.out.write(b"".join(data))
        self.shown = index
        self.count += 1

    def close(self) -> bytes:
        self.out.write(b";")
        return self.out.getvalue()


def gif(frames: Iterable[np.ndarray], durations: Iterable[int], reserved: Sequence[str] = (),
        exact: bool = False, shown_by: Optional[list] = None) -> bytes:
    """An endlessly looping GIF of the distinct frames, with per-frame durations in ms.

    With ``exact`` (a theme's colours: every colour the figure can contain) or a full palette of
    ``reserved`` colours, the palette is known before any frame is drawn, and the frames are
    encoded as they come, one at a time (an animation of any length in the memory of a few
    frames); otherwise the palette is computed from the frames, which are then all held first.
    ``shown_by``, if given, receives for every input frame the index of the GIF frame that shows
    it complete (the last of its sub-frames; merged identical frames share one)."""
    if exact and not 0 < len(set(reserved)) < MAX_COLOURS:
        raise ValueError(f"reserved: an exact palette has 1 to {MAX_COLOURS - 1} colours, not {len(set(reserved))}")
    if exact or len(set(reserved)) >= PALETTE_COLOURS:
        palette = _reserved_palette(reserved)
    else:
        frames = list(frames)
        if not frames:
            raise ValueError("frames: a GIF needs at least one frame")
        palette = _palette(frames, reserved)
    writer = _GifWriter(palette)
    shown = shown_by if shown_by is not None else []
    pending: Optional[list] = None  # [indices, ms, input frames] of a frame whose duration may still grow
    for frame, ms in zip(frames, durations):
        # each distinct frame is mapped to the palette once; sub-frames are cut from the indices
        index = np.asarray(Image.fromarray(frame).quantize(palette=palette, dither=Image.Dither.NONE))
        if pending is not None and np.array_equal(pending[0], index):
            pending[1] += ms
            pending[2] += 1
            continue
        if pending is not None:
            _emit(writer, pending[0], pending[1])
            shown += [writer.count - 1] * pending[2]
        pending = [index, ms, 1]
    if pending is None:
        raise ValueError("frames: a GIF needs at least one frame")
    _emit(writer, pending[0], pending[1])
    shown += [writer.count - 1] * pending[2]
    return writer.close()


def _emit(writer: _GifWriter, index: np.ndarray, ms: int) -> None:
    if writer.shown is None:
        writer.add(index, ms)
        return
    for picture, t in _split(writer.shown, index, ms):
        writer.add(picture, t)


def png(frame: np.ndarray, reserved: Sequence[str] = (), palette: bool = True, colours: int = 0) -> bytes:
    """One frame as an optimised PNG (no metadata, so bytes are reproducible): with the shared
    small palette, in full colour (``palette=False``, for smooth heat maps), or with the
    ``colours`` (at most 256) that median cut picks for this frame (photographs)."""
    image = Image.fromarray(frame)
    if colours:
        image = image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    elif palette:
        image = image.quantize(palette=_palette([frame], reserved), dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


STRIP_COLUMNS = 4
STRIP_GAP = 8
# A strip is one image: at most this many pixels (64 megapixels, within what Pillow and image
# viewers open without refusing it as a "decompression bomb", and about 200 MB while it is made)
MAX_STRIP_PIXELS = 64_000_000


def strip_size(n: int, height: int, width: int, columns: int = STRIP_COLUMNS, gap: int = STRIP_GAP) -> tuple[int, int]:
    """(height, width) in pixels of a strip of ``n`` frames of ``height`` × ``width``."""
    rows, cols = -(-n // columns), min(columns, n)
    return rows * height + (rows - 1) * gap, cols * width + (cols - 1) * gap


def strip_of(frames: Iterable[np.ndarray], durations: Sequence[int]) -> np.ndarray:
    """The strip of the distinct frames of an animation, refused (ValueError, one line) as soon
    as it would be larger than MAX_STRIP_PIXELS, before the rest is drawn."""
    kept: list[np.ndarray] = []
    for frame in frames:
        if kept and np.array_equal(kept[-1], frame):
            continue
        kept.append(frame)
        h, w = strip_size(len(kept), *frame.shape[:2])
        if h * w > MAX_STRIP_PIXELS:
            raise ValueError(  # the strip of one step fewer still fitted
                f"--strip: this figure has {len(durations)} steps of {frame.shape[1]}×{frame.shape[0]} px, and a strip "
                f"holds at most {MAX_STRIP_PIXELS:,} pixels ({len(kept) - 1} such steps); write a GIF, or one step "
                f"with --frame N")
    return strip(kept)


def strip(frames: Sequence[np.ndarray], columns: int = STRIP_COLUMNS, gap: int = STRIP_GAP) -> np.ndarray:
    """The distinct frames side by side, ``columns`` to a row, on the first pixel's colour."""
    h, w, _ = frames[0].shape
    rows = -(-len(frames) // columns)
    cols = min(columns, len(frames))
    out = np.empty((rows * h + (rows - 1) * gap, cols * w + (cols - 1) * gap, 3), dtype=np.uint8)
    out[:] = frames[0][0, 0]
    for n, frame in enumerate(frames):
        r, c = divmod(n, columns)
        out[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = frame
    return out
