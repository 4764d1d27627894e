"""The step data exported beside every animation: each step's numbers are torch's (computed here
again with torch, independently of the scene), and each step points at the GIF frame that shows
it complete, never at one of the encoder's short sub-frames."""

import io
import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image, ImageSequence

from figures import build, catalog, draw, encode, experiments, render, theme

ANIMATIONS = [e for e in catalog.CATALOG if e.fmt == "gif"]


@pytest.fixture(scope="module")
def published():
    return dict(build.files([e.name for e in ANIMATIONS]))


def torch_output(entry) -> torch.Tensor:
    """The output torch computes for a convolution, transposed convolution or pooling entry."""
    c = entry.config()
    x, w = experiments.make_values(c.values, c.input, c.kernel, c.seed)
    x, w = x[None, None], w[None, None]
    if c.kind == "conv":
        return F.conv2d(x, w, stride=c.stride, padding=c.padding, dilation=c.dilation)[0, 0]
    if c.kind == "transposed":
        return F.conv_transpose2d(x, w, stride=c.stride, padding=c.padding, dilation=c.dilation,
                                  output_padding=c.output_padding)[0, 0]
    if c.kind == "max":
        return F.max_pool2d(x, c.kernel, c.stride, c.padding, c.dilation, ceil_mode=c.ceil_mode)[0, 0]
    return F.avg_pool2d(x, c.kernel, c.stride, c.padding, ceil_mode=c.ceil_mode)[0, 0]


@pytest.mark.parametrize("entry", [e for e in ANIMATIONS if e.kind in ("conv", "transposed", "max", "avg")],
                         ids=lambda e: e.name)
def test_every_step_holds_torchs_numbers(entry, published):
    expected = torch_output(entry)
    for theme_name in catalog.THEME_NAMES:
        data = json.loads(published[entry.filename(theme_name, "json")])
        assert data["kind"] == entry.kind
        cells = [s for s in data["steps"] if s["out"] is not None]
        assert len(cells) == expected.numel()  # one step per output cell, in reading order
        for n, step in enumerate(cells):
            r, c = step["out"]
            assert (r, c) == divmod(n, expected.shape[1])
            assert step["value"] == pytest.approx(float(expected[r, c]), abs=1e-6)
            if entry.kind in ("conv", "transposed"):  # the window's products add up to the value
                assert sum(x * w for x, w in step["window"]) == pytest.approx(step["value"], abs=1e-6)
            elif entry.kind == "max":
                assert max(step["window"]) == step["value"]
            else:  # average pooling counts the padding (count_include_pad)
                assert sum(step["window"]) / step["count"] == pytest.approx(step["value"], abs=1e-6)


@pytest.mark.parametrize("entry", ANIMATIONS, ids=lambda e: e.name)
def test_steps_point_at_whole_frames_and_keep_the_timing(entry, published):
    for theme_name in catalog.THEME_NAMES:
        data = json.loads(published[entry.filename(theme_name, "json")])
        with Image.open(io.BytesIO(published[entry.filename(theme_name)])) as im:
            durations = []
            for n in range(im.n_frames):
                im.seek(n)
                durations.append(im.info["duration"])
            assert data["size"] == list(im.size)
        frames = [s["gif_frame"] for s in data["steps"]]
        assert frames == sorted(set(frames)) and frames[-1] == len(durations) - 1
        assert sum(s["ms"] for s in data["steps"]) == sum(durations)
        # a step ends where its GIF frame ends: the sub-frames before it belong to it
        ends = np.cumsum(durations)
        assert [int(ends[f]) for f in frames] == list(np.cumsum([s["ms"] for s in data["steps"]]))


@pytest.mark.parametrize("theme_name", catalog.THEME_NAMES)
@pytest.mark.parametrize("entry", ANIMATIONS, ids=lambda e: e.name)
def test_every_step_of_every_gif_decodes_to_the_drawn_step(entry, theme_name, published):
    """Decoded (by Pillow) at the frame the step data gives, every GIF of the catalog shows
    exactly the step the renderer drew, mapped to the theme's colours: the encoder's tiles,
    sub-frames, transparency and LZW codings never change a pixel."""
    from contextlib import closing

    t = theme.get(theme_name)
    steps = json.loads(published[entry.filename(theme_name, "json")])["steps"]
    sc = render.scene_for(entry.config())
    palette = encode._reserved_palette(render.palette(sc, t))
    with draw.library_defaults(), closing(render.drawn(sc, t)) as frames, \
            Image.open(io.BytesIO(published[entry.filename(theme_name)])) as im:
        drawn = 0
        for step, picture in zip(steps, frames):
            im.seek(step["gif_frame"])
            shown = np.asarray(im.convert("RGB"))
            want = np.asarray(Image.fromarray(picture).quantize(palette=palette, dither=Image.Dither.NONE).convert("RGB"))
            assert np.array_equal(shown, want), f"{entry.name} ({theme_name}): step {drawn + 1} differs"
            drawn += 1
    assert drawn == len(steps) == len(sc.frames)


def test_a_trace_reaches_its_receptive_field(published):
    data = json.loads(published[catalog.get("receptive-field").filename("light", "json")])
    maps = [s for s in data["steps"] if "map" in s]
    assert [s["map"] for s in maps][:4] == [3, 2, 1, 0]  # the output cell, then one map back at a time
    last = maps[-1]
    assert last["label"] == "X" and last["rows"][1] - last["rows"][0] + 1 == 7  # three 3×3 layers: 7×7
    assert last["cols"][1] - last["cols"][0] + 1 == 7 and last["cells"] == 49


def test_the_output_box_is_where_the_output_cells_are():
    """Pointing at an output cell needs its place in the picture: the box's cells are the output
    grid's (drawn in the output's fill once computed; the last frame shows them all)."""
    entry = catalog.get("no-padding-strides")
    gif, steps_json, *_ = render.animation(entry.config(), "light")
    data = json.loads(steps_json)
    left, top, w, h = data["output"]["box"]
    assert (data["output"]["rows"], data["output"]["cols"]) == (2, 2) and w == h == theme.CELL_PX
    with Image.open(io.BytesIO(gif)) as im:
        im.seek(im.n_frames - 1)
        picture = np.asarray(im.convert("RGB"))
    fill = tuple(int(theme.LIGHT.fill["output"][i:i + 2], 16) for i in (1, 3, 5))
    for r in range(2):
        for c in range(2):  # a point inside each cell, off its digits, has the output's fill
            x, y = int(left + c * w + 4), int(top + r * h + 4)
            assert tuple(picture[y, x]) == fill, (r, c)


def test_a_panel_step_names_the_cells_it_computes(published):
    """dilation-coverage: each step computes one cell of the standard and of the dilated
    convolution of the same 7×7 input (torch computes both here)."""
    x = torch.arange(1.0, 50).reshape(1, 1, 7, 7)
    w = torch.ones(1, 1, 3, 3)
    standard = F.conv2d(x, w)[0, 0]
    dilated = F.conv2d(x, w, padding=1, dilation=2)[0, 0]
    data = json.loads(published[catalog.get("dilation-coverage").filename("light", "json")])
    computing = [s for s in data["steps"] if s["cells"]]
    assert len(computing) == standard.numel()
    for n, step in enumerate(computing):
        r, c = divmod(n, 5)
        assert [(x["label"], x["cell"]) for x in step["cells"]] == [("Y", [r, c]), ("Y", [r, c])]
        assert [x["value"] for x in step["cells"]] == [standard[r, c].item(), dilated[r, c].item()]


@pytest.mark.parametrize("entry", ANIMATIONS, ids=lambda e: e.name)
def test_the_print_picture_is_the_last_step(entry, published):
    """NAME.last.png, what a printed page shows in the animation's place, is the GIF's last step,
    pixel for pixel, in both themes."""
    for theme_name in catalog.THEME_NAMES:
        with Image.open(io.BytesIO(published[entry.filename(theme_name)])) as gif:
            gif.seek(gif.n_frames - 1)
            last = np.asarray(gif.convert("RGB"))
        with Image.open(io.BytesIO(published[entry.filename(theme_name, "last")])) as png:
            assert png.format == "PNG" and np.array_equal(np.asarray(png.convert("RGB")), last)


@pytest.mark.parametrize("entry", ANIMATIONS, ids=lambda e: e.name)
def test_the_print_strip_is_every_step_where_they_fit_on_a_page(entry, published):
    """NAME.print.png, what a printed page shows where an animation's steps fit on a page
    (encode.print_columns), is every step of the GIF side by side, in order; where they do not
    fit there is none (the page prints the last step)."""
    for theme_name in catalog.THEME_NAMES:
        data = json.loads(published[entry.filename(theme_name, "json")])
        width, height = data["size"]
        columns = encode.print_columns(len(data["steps"]), height, width)
        strip = published.get(entry.filename(theme_name, "strip"))
        if columns is None or len(data["steps"]) > encode.PRINT_MAX_STEPS:
            assert strip is None, entry.name
            continue
        with Image.open(io.BytesIO(published[entry.filename(theme_name)])) as gif:
            frames = [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(gif)]
        with Image.open(io.BytesIO(strip)) as png:
            pixels = np.asarray(png.convert("RGB"))
        for n, step in enumerate(data["steps"]):
            r, c = divmod(n, columns)
            y, x = r * (height + encode.STRIP_GAP), c * (width + encode.STRIP_GAP)
            assert np.array_equal(pixels[y:y + height, x:x + width], frames[step["gif_frame"]]), (entry.name, n)
        rows = -(-len(data["steps"]) // columns)
        scale = min(1, encode.PRINT_WIDTH / pixels.shape[1])
        assert scale >= encode.PRINT_MIN_SCALE and pixels.shape[0] * scale <= encode.PRINT_HEIGHT
        assert pixels.shape[0] == rows * height + (rows - 1) * encode.STRIP_GAP
    assert encode.print_columns(5, 310, 468) == 2 and encode.print_columns(10, 418, 612) is None
