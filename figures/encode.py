"""The encoder: frames to PNG or GIF bytes, with Pillow. No hand-written codec.

Deterministic (the same frames give the same bytes: no timestamps, no random sampling),
only distinct frames (equal neighbours are merged and their durations added), one small
palette shared by every frame, no dithering (digits stay crisp), and frame differencing
(Pillow writes only the rectangle that changed since the previous frame).
"""

from __future__ import annotations

import io
from typing import Sequence

import numpy as np
from PIL import Image

PALETTE_COLOURS = 31  # the roles, their tints and shades for anti-aliased digits; 32 with the transparent index
PALETTE_SAMPLES = 10  # frames that the palette is computed from


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
    images = [
        Image.fromarray(f).quantize(palette=palette, dither=Image.Dither.NONE) for f in frames
    ]
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
