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


# --- the GIF's blocks: what a small GIF needs and Pillow's writer cannot express ---------------

def gif_images(data: bytes):
    """The images of a GIF, block by block: [(left, top, width, height, local table, LZW code
    size, transparent index or None, delay in cs)], and the global colour table's size."""
    import struct

    assert data[:6] == b"GIF89a"
    flags, pos = data[10], 13
    table = 2 << (flags & 7) if flags & 0x80 else 0
    pos += 3 * table
    images, control = [], (None, 0)
    while data[pos] != 0x3B:
        if data[pos] == 0x21:
            if data[pos + 1] == 0xF9:
                packed, delay, index = data[pos + 3], struct.unpack("<H", data[pos + 4 : pos + 6])[0], data[pos + 6]
                control = (index if packed & 1 else None, delay)
            pos += 2
            while data[pos]:
                pos += data[pos] + 1
            pos += 1
            continue
        left, top, width, height = struct.unpack("<HHHH", data[pos + 1 : pos + 9])
        local = data[pos + 9] & 0x80
        pos += 10 + (3 * (2 << (data[pos + 9] & 7)) if local else 0)
        bits = data[pos]
        pos += 1
        while data[pos]:
            pos += data[pos] + 1
        pos += 1
        images.append((left, top, width, height, bool(local), bits, *control))
        control = (None, 0)
    return images, table


def test_one_global_colour_table_of_the_colours_drawn_and_the_fewest_bits():
    """No image repeats the colour table; the table holds the colours the figure shows (most
    drawn first); every image's LZW code size is the fewest bits its indices need; every image
    after the first may leave pixels transparent, with an index of its own choosing."""
    from figures import catalog, render

    data = render.figure_bytes(catalog.get("padding-strides-odd").config())
    images, table = gif_images(data)
    assert not any(image[4] for image in images)
    with Image.open(io.BytesIO(data)) as im:
        colours = set()
        for n in range(im.n_frames):
            im.seek(n)
            colours |= {c for _, c in im.convert("RGB").getcolors()}
        assert table == 1 << max(1, (len(colours) - 1).bit_length())  # 2^k ≥ the colours shown, no larger
    with Image.open(io.BytesIO(data)) as im:
        im.seek(0)
        first = np.asarray(im)
    # the commonest colour (the background) is index 0
    assert np.bincount(first.reshape(-1)).argmax() == 0
    assert len({image[6] for image in images[1:]} - {None}) > 1  # the transparent index varies
    assert min(image[5] for image in images) < max(image[5] for image in images)  # and so does the code size


def decode_one(data: bytes, shape):
    """The indices of a GIF made of one image with ``encode.lzw``'s pixel data, decoded by Pillow."""
    import struct

    h, w = shape
    screen = struct.pack("<6sHHBBB", b"GIF89a", w, h, 0x87, 0, 0) + bytes(3 * 256)
    image = struct.pack("<BHHHHB", 0x2C, 0, 0, w, h, 0) + data
    with Image.open(io.BytesIO(screen + image + b";")) as im:
        im.load()
        return np.asarray(im)


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 200), st.integers(1, 200), st.integers(1, 31), st.integers(0, 2**32 - 1),
       st.sampled_from(["noise", "rows", "blocks"]))
def test_our_lzw_coder_decodes_to_the_pixels(h, w, colours, seed, kind):
    """The coder of our own (it keeps a full code table instead of starting a new one) gives
    pixel data that Pillow's decoder reads back exactly, whether its table fills or not."""
    rng = np.random.default_rng(seed)
    if kind == "noise":
        pixels = rng.integers(0, colours, (h, w))
    elif kind == "rows":  # a table full of long strings
        pixels = np.tile(rng.integers(0, colours, (1, w)), (h, 1))
    else:
        pixels = np.kron(rng.integers(0, colours, (-(-h // 7), -(-w // 5))), np.ones((7, 5), int))[:h, :w]
    pixels = pixels.astype(np.uint8)
    bits = max(2, int(pixels.max()).bit_length())
    data = encode._lzw_keeping(pixels, bits)
    assert data[0] == bits and data[-1] == 0
    assert np.array_equal(decode_one(data, pixels.shape), pixels)
    assert np.array_equal(decode_one(encode.lzw(pixels), pixels.shape), pixels)


def test_a_large_image_keeps_its_full_code_table_where_that_is_shorter():
    """A large picture of repeated strings: a table that fills, kept, codes shorter than Pillow's
    coder, which starts again; lzw() takes the shorter."""
    rng = np.random.default_rng(0)
    cells = rng.integers(0, 16, (30, 30))
    pixels = np.kron(cells, np.ones((24, 24), int)).astype(np.uint8)
    pixels[::24] = 16  # grid lines
    pixels[:, ::24] = 16
    pillow, kept = encode._pillow_lzw(pixels), encode._lzw_keeping(pixels, 5)
    assert len(pillow) > encode.KEEP_TABLE_FROM and len(kept) < len(pillow)
    assert encode.lzw(pixels) == kept


def test_a_trace_figure_has_a_picture_coded_with_a_kept_table(monkeypatch):
    """receptive-field-dilation (the browser test decodes it in Chromium) has images that our
    coder codes shorter than Pillow's."""
    from figures import catalog, render

    shorter = []
    keeping = encode._lzw_keeping

    def spy(pixels, bits):
        kept = keeping(pixels, bits)
        shorter.append(len(kept) < len(encode._pillow_lzw(pixels)))
        return kept

    monkeypatch.setattr(encode, "_lzw_keeping", spy)
    render.figure_bytes(catalog.get("receptive-field-dilation").config())
    assert any(shorter)


def test_the_first_picture_is_cut_into_tiles_that_cover_it():
    from figures import catalog, render

    data = render.figure_bytes(catalog.get("arbitrary-padding-no-strides").config())
    images, _ = gif_images(data)
    with Image.open(io.BytesIO(data)) as im:
        width, height = im.size
    first = [image for image in images if image[6] is None]  # drawn whole, nothing transparent
    assert 1 < len(first) <= encode.MAX_PLACES
    assert sum(image[2] * image[3] for image in first) == width * height
    assert [image[7] for image in first[:-1]] == [encode.SUBFRAME_MS // 10] * (len(first) - 1)


def _animations():
    from figures import build, catalog

    return dict(build.files([e.name for e in catalog.CATALOG if e.fmt == "gif"]))


def test_every_gif_is_within_2_percent_of_gifsicle(tmp_path):
    """gifsicle -O3 (the standard lossless GIF optimiser; it changes no pixel) makes none of the
    catalog's GIFs more than 2% smaller: our encoder is at the lossless optimum that gifsicle
    knows. gifsicle is the yardstick, not a dependency: skipped where it is not installed, but
    CI installs it (Debian's package)."""
    import os
    import shutil
    import subprocess

    import pytest

    if shutil.which("gifsicle") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's gifsicle (apt-get install gifsicle)", pytrace=False)
        pytest.skip("gifsicle is not installed (apt-get install gifsicle)")
    worse = {}
    gifs = {name: data for name, data in _animations().items() if name.endswith(".gif")}
    assert len(gifs) >= 50
    for name, data in gifs.items():
        (tmp_path / "in.gif").write_bytes(data)
        subprocess.run(["gifsicle", "-O3", str(tmp_path / "in.gif"), "-o", str(tmp_path / "out.gif")], check=True)
        optimum = (tmp_path / "out.gif").stat().st_size
        if len(data) > 1.02 * optimum:
            worse[name] = (len(data), optimum)
    assert not worse, worse
