"""The encoder: frames to PNG, GIF or lossless WebP bytes, on top of Pillow.

Deterministic (the same frames give the same bytes: no timestamps, no random sampling),
only distinct frames (equal neighbours are merged and their durations added), one small
palette shared by every frame, no dithering (digits stay crisp), and frame differencing: each
GIF image is only the rectangle that changed since the picture before it. A GIF image has one
such rectangle, so when a step changes two places far apart (the kernel's footprint on the
input, the new cell of the output), the step is written as one short sub-frame per place: two
small rectangles instead of one wide one that is mostly unchanged pixels.

The GIF is assembled here, block by block, around Pillow's own LZW coder, because Pillow's GIF
writer cannot express what a small GIF needs (it repeats the colour table in every image and
always codes pixels as 8-bit symbols): one global colour table holding only the colours the
figure shows, most drawn first; in every image the smallest LZW code size its pixels allow; a
transparent index chosen per image (the lowest one the image does not need) and, of two ways to
use it on the unchanged pixels, the one that codes smaller; and a first picture cut into up to
MAX_PLACES tiles where separate LZW tables code it smaller than one. The one codec of our own
is ``_lzw_keeping``, for the large images whose LZW table fills (see ``lzw``). gifsicle -O3, the
standard lossless optimiser, is the yardstick (tests/test_encode.py, scripts/bench.py): it does
not make any of our GIFs more than 2% smaller.
"""

from __future__ import annotations

import io
import struct
from typing import Iterable, Optional, Sequence

import numpy as np
from PIL import Image

# A figure's palette is its theme's colours (every role's stroke, fill and label, text, lines,
# hatches; 22 in the light theme, 18 in the dark) and nothing else: the anti-aliased edges of the
# digits take the nearest of them. Each extra shade costs bytes in every frame (14 more made the
# classics 7% larger). PALETTE_COLOURS is the size of a palette computed from the frames.
PALETTE_COLOURS = 17
MAX_COLOURS = 32  # a 5-bit colour table, one entry of which is the transparent index
PALETTE_SAMPLES = 10  # frames that the palette is computed from
# unchanged pixels (rows or columns) that separate two changed places of one step: fewer than the
# gap between two grids; measured on the classics, 20 codes 2% smaller than 40 (10 and 30 no better)
SPLIT_GAP = 20
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


class _Image:
    """One GIF image: ``pixels`` (theme palette indices) at (``left``, ``top``), shown for ``ms``;
    ``changed`` marks the pixels that differ from the picture beneath it (None: every pixel
    must be drawn, as in the first picture, which has nothing beneath it the first time)."""

    __slots__ = ("left", "top", "pixels", "changed", "ms")

    def __init__(self, left: int, top: int, pixels: np.ndarray, changed: Optional[np.ndarray], ms: int):
        self.left, self.top, self.pixels, self.changed, self.ms = left, top, pixels, changed, ms


# bytes of one image besides its pixels: graphic control extension (8), image descriptor (10),
# LZW code size (1), block terminator (1)
IMAGE_OVERHEAD = 20
# a single-colour run of unchanged pixels at least this long is also worth making transparent
# (one of the ways tried on every image; measured on the classics: 4 is the best single value)
TRANSPARENT_RUN = 4


def lzw(pixels: np.ndarray, coded: Optional[bytes] = None) -> bytes:
    """An image's pixel data as a GIF stores it: the LZW code size (the fewest bits that hold
    its largest index, at least 2), the data sub-blocks and their terminator.

    Coded by Pillow's LZW coder (``coded``, if already known), which starts a new code table as
    soon as one is full. Where a table may have filled (a large image), our coder that keeps
    using the full table instead (``_lzw_keeping``) is also tried, and the shorter kept: on the
    large pictures of the trace figures it is up to 15% shorter (Pillow's coder on the very pixels
    gifsicle chose was 6.5% longer than gifsicle's coding, which keeps the table too, and cutting
    such an image into tiles with fresh tables made it longer, not shorter)."""
    coded = coded or _pillow_lzw(pixels)
    if len(coded) > KEEP_TABLE_FROM:
        kept = _lzw_keeping(pixels, coded[0])
        if len(kept) < len(coded):
            return kept
    return coded


def _pillow_lzw(pixels: np.ndarray) -> bytes:
    """``lzw`` by Pillow's own GIF LZW coder, asked for the image's code size (Pillow's GIF
    writer always asks it for 8 bits)."""
    bits = max(2, int(pixels.max()).bit_length())
    image = Image.fromarray(np.ascontiguousarray(pixels), "L")
    coder = Image._getencoder("L", "gif", ("L", bits, 0))
    coder.setimage(image.im, (0, 0, *image.size))
    out = [bytes([bits])]
    while True:
        _, status, data = coder.encode(1 << 16)
        out.append(data)
        if status:
            break
    coder.cleanup()
    if status < 0:
        raise ValueError(f"GIF: Pillow's LZW coder failed (error {status})")
    out.append(b"\0")
    return b"".join(out)


# pixel data longer than this may have filled an LZW code table (4,096 codes, 9 to 12 bits each)
KEEP_TABLE_FROM = 6000
MAX_CODE = 4096  # codes are at most 12 bits
# the first picture is cut only along runs of at least this many lines of one colour (the gaps
# between grids and lines of text; measured on the catalog, 4 codes as small as 1 in 3/4 the time)
MIN_CUT = 4


def _lzw_keeping(pixels: np.ndarray, bits: int) -> bytes:
    """Greedy GIF LZW (the longest known string, then one pixel more becomes a new code) that,
    once its table holds MAX_CODE codes, goes on coding with that table and never clears it (a
    decoder then adds no codes either, as the GIF specification has it): the strings of a
    picture's top rows are the strings of the rows below. Same layout as ``lzw``."""
    clear = 1 << bits
    codes = [clear]
    table: dict = {}
    known, emit = table.get, codes.append
    free = clear + 2
    data = pixels.tobytes()
    prefix = data[0]
    for pixel in data[1:]:
        key = prefix << 8 | pixel
        code = known(key)
        if code is not None:
            prefix = code
            continue
        emit(prefix)
        if free < MAX_CODE:
            table[key] = free
            free += 1
        prefix = pixel
    emit(prefix)
    emit(clear + 1)
    # pack the codes, least significant bit first; a code is one bit wider from the code after
    # the one whose table entry needs the extra bit (the decoder lags one code behind the coder)
    packed, size, defined, acc, used = bytearray(), bits + 1, clear + 2, 0, 0  # defined: the decoder's table size
    for n, code in enumerate(codes):
        acc |= code << used
        used += size
        while used >= 8:
            packed.append(acc & 255)
            acc >>= 8
            used -= 8
        if n >= 2 and defined < MAX_CODE:  # the decoder defines a code from the second code on
            defined += 1
        if defined == 1 << size and size < 12:
            size += 1
    if used:
        packed.append(acc & 255)
    blocks = b"".join(bytes([len(packed[i : i + 255])]) + packed[i : i + 255] for i in range(0, len(packed), 255))
    return bytes([bits]) + blocks + b"\0"


def _box(changed: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def _runs(pixels: np.ndarray, free: np.ndarray, transparent: int, longer: int) -> np.ndarray:
    """``pixels`` with some runs (in the order LZW reads them) of ``free`` pixels (unchanged:
    they may be drawn transparent) made transparent: every run of two or more colours (a run of
    one colour codes as well in its colour, and may join neighbours of that colour), and every
    run at least ``longer`` long."""
    flat, free = pixels.reshape(-1).copy(), free.reshape(-1)
    edges = np.diff(np.concatenate([[0], free.view(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    if not len(starts):
        return pixels
    where = np.flatnonzero(free)
    values = flat[where]
    offsets = np.concatenate([[0], np.cumsum(stops - starts)[:-1]])
    cover = (np.minimum.reduceat(values, offsets) != np.maximum.reduceat(values, offsets)) | (stops - starts >= longer)
    flat[where[np.repeat(cover, stops - starts)]] = transparent
    return flat.reshape(pixels.shape)


def _coded(image: _Image, order: np.ndarray) -> tuple[bytes, Optional[int]]:
    """(pixel data, transparent index or None) of one image in the global palette ``order``
    (theme index → GIF index): the smallest of the ways tried."""
    pixels = order[image.pixels]
    if image.changed is None:
        return lzw(pixels), None
    needed = np.zeros(257, bool)
    needed[np.unique(pixels[image.changed])] = True
    transparent = int(np.argmin(needed))  # the lowest index this image does not need
    plain = np.where(needed[pixels], pixels, transparent).astype(np.uint8)  # unneeded colours: transparent
    free = ~image.changed
    ways = (_runs(plain, free, transparent, TRANSPARENT_RUN), np.where(free, transparent, plain).astype(np.uint8))
    coded = [_pillow_lzw(way) for way in ways]
    best = min(range(len(ways)), key=lambda n: len(coded[n]))
    return lzw(ways[best], coded[best]), transparent


def _tiles(index: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The first picture as up to MAX_PLACES rectangles (top, bottom, left, right) that tile it,
    cut along lines of one colour, wherever separate LZW tables code the parts smaller than the
    whole (a guillotine cut at a time, the one that saves most)."""
    cost: dict = {}

    def size(box):
        if box not in cost:
            t, b, l, r = box
            cost[box] = len(_pillow_lzw(index[t:b, l:r])) + IMAGE_OVERHEAD
        return cost[box]

    def cuts(box):
        t, b, l, r = box
        part = index[t:b, l:r]
        for axis, lines in ((0, (part == part[:, :1]).all(axis=1)), (1, (part == part[:1]).all(axis=0))):
            edges = np.diff(np.concatenate([[0], lines.view(np.int8), [0]]))
            for start, stop in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
                if 0 < start and stop < len(lines) and stop - start >= MIN_CUT:
                    at = int(start + stop) // 2
                    yield ((t, t + at, l, r), (t + at, b, l, r)) if axis == 0 else ((t, b, l, l + at), (t, b, l + at, r))

    tiles = [(0, index.shape[0], 0, index.shape[1])]
    while len(tiles) < MAX_PLACES:
        gain, best = 0, None
        for n, box in enumerate(tiles):
            for a, b in cuts(box):
                saved = size(box) - size(a) - size(b)
                if saved > gain:
                    gain, best = saved, (n, a, b)
        if best is None:
            break
        n, a, b = best
        tiles[n : n + 1] = [a, b]
    return sorted(tiles)


def _header(width: int, height: int, rgb: np.ndarray) -> bytes:
    bits = max(1, (len(rgb) - 1).bit_length())
    table = np.zeros((1 << bits, 3), np.uint8)
    table[: len(rgb)] = rgb
    screen = struct.pack("<6sHHBBB", b"GIF89a", width, height, 0x80 | (bits - 1) << 4 | (bits - 1), 0, 0)
    loop = b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # loop forever
    return screen + table.tobytes() + loop


def _block(image: _Image, data: bytes, transparent: Optional[int]) -> bytes:
    """Graphic control extension (disposal "leave in place", delay, transparency), image
    descriptor (no local colour table) and pixel data of one image."""
    h, w = image.pixels.shape
    control = struct.pack("<3sBHBB", b"!\xf9\x04", 1 << 2 | (transparent is not None), image.ms // 10,
                          transparent or 0, 0)
    return control + struct.pack("<BHHHHB", 0x2C, image.left, image.top, w, h, 0) + data


def gif(frames: Iterable[np.ndarray], durations: Iterable[int], reserved: Sequence[str] = (),
        exact: bool = False, shown_by: Optional[list] = None) -> bytes:
    """An endlessly looping GIF of the distinct frames, with per-frame durations in ms.

    With ``exact`` (a theme's colours: every colour the figure can contain) or a full palette of
    ``reserved`` colours, the palette is known before any frame is drawn, and the frames are
    mapped to it as they come: only the rectangles that change are kept, never the whole
    animation (an animation of any length in the memory of a few frames and its changes);
    otherwise the palette is computed from the frames, which are then all held first.
    ``shown_by``, if given, receives for every input frame the index of the GIF image that shows
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
    images: list[_Image] = []
    shown = shown_by if shown_by is not None else []
    screen: Optional[np.ndarray] = None  # the picture the images so far leave on screen
    pending: Optional[list] = None  # [indices, ms, input frames] of a frame whose duration may still grow

    def emit(index: np.ndarray, ms: int, count: int) -> None:
        nonlocal screen
        if screen is None:
            tiles = _tiles(index) if ms > SUBFRAME_MS * MAX_PLACES else [(0, index.shape[0], 0, index.shape[1])]
            for n, (t, b, l, r) in enumerate(tiles):
                last = n == len(tiles) - 1
                images.append(_Image(l, t, index[t:b, l:r], None, ms - SUBFRAME_MS * n if last else SUBFRAME_MS))
        else:
            for picture, t in _split(screen, index, ms):
                changed = picture != screen
                top, bottom, left, right = _box(changed)
                # copies: a view would keep the whole picture alive as long as the image
                images.append(_Image(left, top, picture[top:bottom, left:right].copy(),
                                     changed[top:bottom, left:right].copy(), t))
                screen = picture
        screen = index
        shown.extend([len(images) - 1] * count)

    for frame, ms in zip(frames, durations):
        index = np.asarray(Image.fromarray(frame).quantize(palette=palette, dither=Image.Dither.NONE))
        if pending is not None and np.array_equal(pending[0], index):
            pending[1] += ms
            pending[2] += 1
            continue
        if pending is not None:
            emit(*pending)
        pending = [index, ms, 1]
    if pending is None:
        raise ValueError("frames: a GIF needs at least one frame")
    emit(*pending)
    return _assemble(images, screen.shape, palette)


def _assemble(images: list[_Image], shape: tuple, palette: Image.Image) -> bytes:
    """The GIF's bytes: the global colour table holds the colours the images draw, the most
    drawn first (images that draw only common colours then code with fewer bits)."""
    counts = np.zeros(256, np.int64)
    for image in images:
        drawn = image.pixels if image.changed is None else image.pixels[image.changed]
        counts += np.bincount(drawn.reshape(-1), minlength=256)
    used = np.flatnonzero(counts)
    used = used[np.lexsort((used, -counts[used]))]
    order = np.zeros(256, np.uint8)
    order[used] = np.arange(len(used))
    blocks, largest = [], len(used) - 1
    for image in images:
        data, transparent = _coded(image, order)
        largest = max(largest, transparent or 0)
        blocks.append(_block(image, data, transparent))
    rgb = np.array(palette.getpalette(), np.uint8).reshape(-1, 3)[used]
    rgb = np.concatenate([rgb, np.zeros((largest + 1 - len(rgb), 3), np.uint8)])
    return _header(shape[1], shape[0], rgb) + b"".join(blocks) + b";"


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


# A printed page (A4 or Letter, the browser's margins) holds about 680 × 900 CSS pixels of a
# chapter's column. An animation prints as its steps side by side where they fit on one page with
# each step at least PRINT_MIN_SCALE of its size (digits of 13 px at least 6 px: about 4.5 pt);
# otherwise as its last step.
PRINT_WIDTH = 680
PRINT_HEIGHT = 900
PRINT_MIN_SCALE = 0.45
PRINT_MAX_STEPS = 16


def print_columns(n: int, height: int, width: int, gap: int = STRIP_GAP) -> Optional[int]:
    """How many steps to a row the printed strip of ``n`` steps of ``height`` × ``width`` has (the
    fewest columns, the largest steps, that fit on a page), or None: the strip does not fit."""
    for columns in range(1, min(n, PRINT_MAX_STEPS) + 1):
        h, w = strip_size(n, height, width, columns, gap)
        scale = min(1.0, PRINT_WIDTH / w)
        if scale >= PRINT_MIN_SCALE and h * scale <= PRINT_HEIGHT:
            return columns
    return None


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


# Lossless WebP, chosen by measuring the 38 light animations of the site (1,243,201 bytes of GIF;
# gif2webp -min_size makes 484,872 of them): with libwebp's key frames off (kmin = kmax = 0: every
# frame only the rectangle that changed; Pillow's default, a key frame every 9 to 17 frames, made
# 998,734 bytes at method 2, 2,754,538 at its defaults), method 2 and quality 100 make 483,530
# bytes (0.389 of the GIFs, 0.997 of gif2webp's) in 5.0 s (one core, GIF decoding included: 6 s);
# method 4 482,020 in 14.7 s, method 6 438,830 in 268 s; quality 50 498,948 and method 0 1,685,486
# in about the same time as method 2 (the time is the animation encoder's, per frame, whatever the
# method); minimize_size (a full frame tried at every frame) only adds time. A still figure (12 in
# the light theme, 958,377 bytes of PNG): method 1, quality 50, 692,916 bytes in 0.9 s (method 4:
# 651,040 in 1.9 s; method 0 is larger than the PNGs).
WEBP_OPTIONS = dict(lossless=True, method=2, quality=100, kmin=0, kmax=0, allow_mixed=False, minimize_size=False)
WEBP_STILL_OPTIONS = dict(lossless=True, method=1, quality=50)


def gif_frames(data: bytes) -> tuple[list[np.ndarray], list[int], int]:
    """(every image of a GIF as a browser composites it, as RGB arrays; each one's duration in
    ms; the loop count, 0 for ever). For tests and tools: it holds every frame in memory."""
    frames = []
    with Image.open(io.BytesIO(data)) as image:
        loop = image.info.get("loop", 1)
        for n in range(image.n_frames):
            image.seek(n)
            frames.append(np.asarray(image.convert("RGB")))
    return frames, gif_durations(data), loop


def gif_durations(data: bytes) -> list[int]:
    """The duration in ms of every image of a GIF, read from its blocks (no pixel is decoded):
    an image without a graphic control extension lasts 0 ms."""
    flags = data[10]
    at = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    durations, delay = [], 0
    while at < len(data) and data[at] != 0x3B:
        if data[at] == 0x21:  # an extension: its label, then sub-blocks
            if data[at + 1] == 0xF9:
                delay = struct.unpack_from("<H", data, at + 4)[0] * 10
            at += 2
        elif data[at] == 0x2C:  # an image: its descriptor, local colour table, LZW code size, sub-blocks
            flags = data[at + 9]
            at += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0) + 1
            durations.append(delay)
            delay = 0
        else:
            raise ValueError(f"not a GIF block at byte {at}: {data[at]:#x}")
        while data[at]:  # sub-blocks, up to the empty one
            at += data[at] + 1
        at += 1
    return durations


def webp(data: bytes) -> bytes:
    """A GIF (or a PNG) as lossless WebP: for an animation every image of the GIF as it is shown,
    with its duration and the GIF's loop, so the same frames with the same pixels (decoded one
    at a time, as the encoder takes them); deterministic bytes (no metadata, no timestamps)."""
    with Image.open(io.BytesIO(data)) as image:
        buffer = io.BytesIO()
        if image.format == "PNG":
            still = image.convert("RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
                                  else "RGB")
            still.save(buffer, format="WEBP", **WEBP_STILL_OPTIONS)
        elif image.n_frames == 1:  # Pillow writes one frame as a still WebP: the same picture
            image.convert("RGB").save(buffer, format="WEBP", **WEBP_STILL_OPTIONS)
        else:
            image.save(buffer, format="WEBP", save_all=True, duration=gif_durations(data),
                       loop=image.info.get("loop", 1), **WEBP_OPTIONS)
        return buffer.getvalue()
