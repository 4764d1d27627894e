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
from typing import Sequence

import numpy as np
from PIL import Image

# A figure's palette is its theme's 17 colours (every role's stroke and fill, text, lines,
# hatches) and nothing else: the anti-aliased edges of the digits take the nearest of them. Each
# extra shade costs bytes in every frame (14 more made the classics 7% larger).
PALETTE_COLOURS = 17
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


def split_steps(frames: Sequence[np.ndarray], durations: Sequence[int]) -> tuple[list[np.ndarray], list[int]]:
    """Each step that changes places far apart becomes one sub-frame per place, in reading
    order: all but the last show for SUBFRAME_MS, taken from the step's own duration, so every
    frame of the input is still shown, as long as before in all, and the loop lasts as long.
    ``frames`` are 2-D (palette indices) or 3-D (RGB) arrays of one shape."""
    out, times = [frames[0]], [durations[0]]
    for before, after, ms in zip(frames, frames[1:], durations[1:]):
        differs = before != after
        boxes = places(differs if differs.ndim == 2 else differs[..., 0] | differs[..., 1] | differs[..., 2])
        # only where it pays (the places cover at most half of the one rectangle around them)
        # and the step lasts long enough to give SUBFRAME_MS to each sub-frame
        if 1 < len(boxes) <= MAX_PLACES and ms > SUBFRAME_MS * len(boxes):
            around = (max(b[1] for b in boxes) - min(b[0] for b in boxes)) * (
                max(b[3] for b in boxes) - min(b[2] for b in boxes))
            if 2 * sum((b - t) * (r - l) for t, b, l, r in boxes) <= around:
                partial = before.copy()
                for t, b, l, r in boxes[:-1]:
                    partial[t:b, l:r] = after[t:b, l:r]
                    out.append(partial.copy())
                    times.append(SUBFRAME_MS)
                ms -= SUBFRAME_MS * (len(boxes) - 1)
        out.append(after)
        times.append(ms)
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
    rgb = np.stack([(chosen >> 16) & 255, (chosen >> 8) & 255, chosen & 255], axis=1).astype(np.uint8)
    palette = Image.new("P", (1, 1))
    palette.putpalette(rgb.reshape(-1).tolist())
    return palette


def gif(frames: Sequence[np.ndarray], durations: Sequence[int], reserved: Sequence[str] = ()) -> bytes:
    """An endlessly looping GIF of the distinct frames, with per-frame durations in ms."""
    if not frames:
        raise ValueError("frames: a GIF needs at least one frame")
    frames, durations = distinct(frames, durations)
    palette = _palette(frames, reserved)
    # each distinct frame is mapped to the palette once; sub-frames are cut from the indices
    indices = [
        np.asarray(Image.fromarray(f).quantize(palette=palette, dither=Image.Dither.NONE)) for f in frames
    ]
    indices, durations = split_steps(indices, durations)
    images = []
    for index in indices:
        image = Image.fromarray(index)
        image.putpalette(palette.getpalette())
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=list(durations),
        loop=0,
        # With one shared palette that has a free entry, optimize makes Pillow store each frame
        # as the rectangle that changed, with unchanged pixels transparent (frame differencing).
        optimize=True,
        disposal=1,  # keep the previous frame under the next one
    )
    return buffer.getvalue()


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


def strip(frames: Sequence[np.ndarray], columns: int = 4, gap: int = 8) -> np.ndarray:
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
