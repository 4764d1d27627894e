"""The encoder: reproducible bytes, distinct frames with their durations, one small palette."""

import io

import numpy as np
from PIL import Image

from figures import encode


def frames():
    a = np.full((20, 30, 3), 255, np.uint8)
    b = a.copy()
    b[5:10, 5:10] = (0, 114, 178)
    c = b.copy()
    c[12:15, 20:25] = (213, 94, 0)
    return [a, b, b, c], [1000, 1000, 1000, 3000]


def test_gif_merges_equal_frames_and_keeps_durations():
    data = encode.gif(*frames())
    with Image.open(io.BytesIO(data)) as im:
        assert im.n_frames == 3
        durations = []
        for n in range(im.n_frames):
            im.seek(n)
            durations.append(im.info["duration"])
        assert durations == [1000, 2000, 3000]
        assert im.info["loop"] == 0
        im.seek(2)
        last = np.asarray(im.convert("RGB"))
    assert np.array_equal(last, frames()[0][3])  # exact colours: nothing lost to dithering


def test_gif_bytes_are_reproducible():
    assert encode.gif(*frames()) == encode.gif(*frames())


def test_one_small_shared_palette():
    data = encode.gif(*frames())
    with Image.open(io.BytesIO(data)) as im:
        assert len(im.getpalette()) // 3 <= encode.PALETTE_COLOURS
        for n in range(im.n_frames):
            im.seek(n)
            assert "local_palette" not in im.info or im.info.get("local_palette") is None


def test_reserved_colours_survive():
    frame = np.full((50, 50, 3), 255, np.uint8)
    frame[0, 0] = (0x12, 0x34, 0x56)  # one pixel only: too rare to be chosen by frequency
    rng = np.random.default_rng(0)
    frame[10:40, 10:40] = rng.integers(0, 255, (30, 30, 3))  # many other colours
    data = encode.png(frame, reserved=["#123456"])
    with Image.open(io.BytesIO(data)) as im:
        assert im.convert("RGB").getpixel((0, 0)) == (0x12, 0x34, 0x56)


def test_strip_lays_frames_side_by_side():
    a, b, _, c = frames()[0]
    out = encode.strip([a, b, c], columns=2, gap=4)
    assert out.shape == (20 * 2 + 4, 30 * 2 + 4, 3)
