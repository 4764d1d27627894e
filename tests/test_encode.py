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


def two_places():
    """A step that changes two places far apart (like the footprint and the output cell)."""
    a = np.full((40, 200, 3), 255, np.uint8)
    b = a.copy()
    b[5:10, 5:10] = (0, 114, 178)
    b[30:35, 180:190] = (213, 94, 0)
    return [a, b], [1000, 3000]


def test_a_step_that_changes_two_places_is_written_as_two_small_rectangles():
    data = encode.gif(*two_places())
    with Image.open(io.BytesIO(data)) as im:
        assert im.n_frames == 3
        durations, pictures, boxes = [], [], []
        for n in range(im.n_frames):
            im.seek(n)
            durations.append(im.info["duration"])
            pictures.append(np.asarray(im.convert("RGB")))
            boxes.append(im.dispose_extent)
    a, b = two_places()[0]
    # the step still starts after 1000 ms and the loop still lasts 4000 ms
    assert durations == [1000, encode.SUBFRAME_MS, 3000 - encode.SUBFRAME_MS]
    assert np.array_equal(pictures[0], a) and np.array_equal(pictures[-1], b)
    # the sub-frame shows the first place (left to right) changed and the second not yet
    assert np.array_equal(pictures[1][:, :100], b[:, :100]) and np.array_equal(pictures[1][:, 100:], a[:, 100:])
    assert boxes[1] == (5, 5, 10, 10) and boxes[2] == (180, 30, 190, 35)


def test_places_far_apart_are_cut_apart_and_near_ones_kept_together():
    mask = np.zeros((60, 300), bool)
    mask[10:20, 10:20] = mask[10:20, 25:30] = True  # 5 columns apart: one place
    mask[40:50, 250:260] = True  # far to the right
    mask[50:55, 100:110] = True  # below, in between
    assert encode.places(mask) == [(10, 20, 10, 30), (50, 55, 100, 110), (40, 50, 250, 260)]
    assert encode.places(np.zeros((5, 5), bool)) == []


def test_a_short_step_or_a_scattered_change_is_not_split():
    (a, b), _ = two_places()
    short = encode.gif([a, b], [1000, encode.SUBFRAME_MS])
    with Image.open(io.BytesIO(short)) as im:
        assert im.n_frames == 2
    scattered = a.copy()
    scattered[::2, ::45] = 0  # five columns of dots, far apart: more places than MAX_PLACES
    with Image.open(io.BytesIO(encode.gif([a, scattered], [1000, 1000]))) as im:
        assert im.n_frames == 2


def test_a_classic_keeps_every_step_and_its_timing():
    """The sub-frames of a real figure: every step of the scene is still a frame of its own,
    shown for nearly as long as before, and the loop lasts exactly as long."""
    from figures import catalog, render, theme

    config = catalog.get("padding-strides-odd").config()
    scene = render.scene_for(config)
    with Image.open(io.BytesIO(render.figure_bytes(config))) as im:
        durations, colours = [], set()
        for n in range(im.n_frames):
            im.seek(n)
            durations.append(im.info["duration"])
            colours |= {c for _, c in im.convert("RGB").getcolors()}
    # the palette is the theme's colours and no others
    assert colours <= {tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in theme.LIGHT.colours()}
    assert len(theme.LIGHT.colours()) < encode.MAX_COLOURS
    steps = [d for d in durations if d > encode.SUBFRAME_MS]
    assert len(steps) == len(scene.frames) < len(durations)  # some steps were split
    assert sum(durations) == sum(f.duration_ms for f in scene.frames)
    assert min(steps) >= scene.frames[0].duration_ms - (encode.MAX_PLACES - 1) * encode.SUBFRAME_MS
