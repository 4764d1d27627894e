"""From a configuration to the bytes of a figure: experiment → scene → frames → PNG/GIF.

This is the only module that joins the layers; it imports torch (through experiments).
"""

from __future__ import annotations

import io
from collections import deque
from contextlib import closing
from itertools import islice
from typing import Iterator, Optional, Union

from PIL import Image

import numpy as np

from . import blocks, draw, encode, experiments, export, growing, panels, scene, steps
from . import theme as themes
from .config import Config, ErfConfig, PanelConfig, TraceConfig

PANELS = {  # panel figure → its experiment and scene builder
    "equivariance": lambda: panels.shift_scene(experiments.record_shift()),
    "pooling-aliasing": lambda: panels.aliasing_scene(experiments.record_aliasing()),
    "padding-modes": lambda: panels.padding_modes_scene(experiments.record_padding_modes()),
    "dilation-coverage": lambda: panels.lockstep_scene(experiments.record_dilation_coverage()),
    "channel-sum": lambda: panels.channels_scene(experiments.record_channels()),
    "output-padding-ambiguity": lambda: panels.lockstep_scene(experiments.record_two_sizes(), show="formula"),
    "tf-same-padding": lambda: panels.lockstep_scene(experiments.record_same_upper(), show="same"),
    "transposed-scatter": lambda: panels.scatter_scene(
        experiments.record_scatter(*experiments.make_values("arange", 2, 3), stride=2)),
    "photo-edges": lambda: panels.photo_edges_scene(experiments.record_photo()),
    "photo-stride": lambda: panels.photo_stride_scene(experiments.record_photo()),
    "conv-matrix": lambda: panels.matrix_scene(growing.record_matrix()),
    "upsampling-compared": lambda: panels.upsampling_scene(growing.record_upsampling()),
    "overlap-counts": lambda: panels.overlap_scene(growing.record_overlap()),
    "checkerboard-constant": lambda: panels.constant_scene(growing.record_constant()),
    "encoder-decoder": lambda: panels.encoder_decoder_scene(growing.record_encoder_decoder()),
    "receptive-field-resnet18": lambda: scene.field_scene(experiments.record_network_fields("resnet18", 224)),
    # tensors drawn as C×H×W blocks (figures.blocks)
    "channels-3d": lambda: blocks.channels_scene(experiments.record_channels_3d()),
    "groups-3d": lambda: blocks.groups_scene(experiments.record_groups_3d()),
    "depthwise-separable-3d": lambda: blocks.separable_scene(experiments.record_separable()),
    "pixel-shuffle-3d": lambda: blocks.pixel_shuffle_scene(experiments.record_pixel_shuffle()),
    # sequences and volumes: 1-D, causal and 3-D convolutions
    "conv1d": lambda: panels.sequence_scene(experiments.record_sequence()),
    "causal-conv1d": lambda: panels.causal_scene(*experiments.record_causal()),
    "dilated-causal-stack": lambda: panels.causal_stack_scene(experiments.record_causal_stack()),
    "conv3d-slices": lambda: panels.volume_scene(experiments.record_conv3d()),
}

# json: the step data of an animation (figures.steps); last: its last step as a PNG; strip: its
# steps side by side as a PNG, what a printed page shows, or b"" where they do not fit on a page
# (the page prints the last step); pdf: every step, one per page; svg: one step; mp4, webm: the animation as a video
FORMATS = ("gif", "png", "json", "last", "strip", *export.VECTOR_FORMATS, *export.VIDEO_FORMATS)
STEP_FORMATS = ("png", *export.VECTOR_FORMATS)  # what each step can be written as, one file per step


STILLS = (scene.HeatScene, scene.FieldScene)  # one picture in full colour, drawn by draw.still_figure


def scene_for(config: Union[Config, TraceConfig, ErfConfig, PanelConfig]):
    """The scene of a configuration, computed by torch (checked against torch.nn.functional)."""
    config.check()
    if isinstance(config, PanelConfig):
        return PANELS[config.figure]()
    if isinstance(config, ErfConfig):
        shown = experiments.record_erf(config.shown, config.size)
        measured = experiments.record_erf(config.measured, config.size)
        return scene.erf_scene(shown, measured)
    if isinstance(config, TraceConfig):
        record = experiments.record_trace(config.input, config.kernels, config.strides, config.dilations)
        return scene.trace_scene(record, config.kernels, config.strides, config.dilations)
    x, w = experiments.make_values(config.values, config.input, config.kernel, config.seed)
    if config.kind in ("max", "avg"):
        record = experiments.record_pool(x, config.kind, config.kernel, config.stride, config.padding,
                                         config.dilation, config.ceil_mode)
        return scene.pool_scene(record, config.kind, config.ceil_mode)
    if config.kind == "conv":
        record = experiments.record_conv(x, w, config.stride, config.padding, config.dilation)
        return scene.conv_scene(record)
    record = experiments.record_transposed(
        x, w, config.stride, config.padding, config.dilation, config.output_padding
    )
    return scene.transposed_scene(record)


def figure_bytes(config: Config, theme: str = "light", fmt: str = "gif", strip: bool = False,
                 frame: Optional[int] = None) -> bytes:
    """The encoded figure: a GIF of every frame, or a PNG of the final frame, of frame number
    ``frame`` (0 is the first step), or of every distinct frame side by side (``strip``); or, as
    ``json``, an animation's step data (``figures.steps``)."""
    return _figure(config, theme, fmt, strip, frame)[fmt]


def animation(config: Config, theme: str = "light") -> tuple[bytes, bytes, bytes, bytes]:
    """An animated figure's GIF, its step data (JSON bytes), its last step as a PNG and its print
    strip (b"" if its steps do not fit on a printed page), from one drawing of its frames."""
    made = _figure(config, theme, "gif")
    return made["gif"], made["json"], made["last"], made["strip"]


def _figure(config: Config, theme: str, fmt: str, strip: bool = False, frame: Optional[int] = None) -> dict:
    """{format: bytes}: the one asked for, and for an animation both its GIF and its step data."""
    if fmt not in FORMATS:
        raise ValueError(f"format={fmt!r}: figures are written as .gif, .png, .pdf, .svg, .mp4 or .webm "
                         f"(or .json: an animation's steps)")
    if strip and fmt != "png":
        raise ValueError("--strip: gives a PNG; give an output path ending in .png")
    if frame is not None and fmt not in ("png", *export.VECTOR_FORMATS):
        raise ValueError("--frame: gives one picture; give an output path ending in .png, .svg or .pdf")
    if strip and frame is not None:
        raise ValueError("--frame: a strip already shows every frame; give --strip or --frame, not both")
    t = themes.get(theme)
    sc = scene_for(config)
    if frame is not None and not 0 <= frame < len(sc.frames):
        raise ValueError(f"frame={frame}: this figure has frames 0 to {len(sc.frames) - 1}")
    # photographs, colour maps and grids tinted by value: a still picture with a palette of its own
    full_colour = isinstance(sc, panels.PanelScene) and any(p.cmap or p.shade for p in sc.panels)
    still = full_colour or isinstance(sc, STILLS)
    if still and fmt not in ("png", *export.VECTOR_FORMATS):
        raise ValueError(f"format={fmt!r}: this figure is a still picture in full colour; "
                         f"write it as .png, .pdf or .svg")
    if fmt in export.VECTOR_FORMATS:
        return {fmt: vector(sc, t, fmt, frame, still)}
    if fmt in export.VIDEO_FORMATS:
        with draw.library_defaults(), closing(drawn(sc, t)) as frames:
            return {fmt: export.video(frames, [f.duration_ms for f in sc.frames], fmt)}
    with draw.library_defaults():
        if isinstance(sc, STILLS):  # full colour: no palette banding
            return {fmt: encode.png(draw.render_still(sc, t)[0], palette=False)}
        if full_colour:  # a palette of its own, 256 colours
            return {fmt: encode.png(_nth(draw.render_panels(sc, t), None), colours=256)}
        colours = palette(sc, t)
        geometry: dict = {}  # where a drawn grid figure puts its output cells
        frames = drawn(sc, t, geometry)
        # the frames are drawn one at a time as the encoder asks for them: never all in memory
        with closing(frames):
            durations = [f.duration_ms for f in sc.frames]
            if fmt in ("gif", "json", "last", "strip"):
                shown_by: list = []
                last: list = []  # the frame on screen: the last one, once the encoder has them all
                kept: list = []  # the steps, while they are few enough to print side by side
                data = encode.gif(_keeping(frames, last, kept), durations, reserved=colours, exact=True,
                                  shown_by=shown_by)
                with Image.open(io.BytesIO(data)) as image:
                    size = image.size
                box = geometry.get("output")
                return {"gif": data, "json": steps.dumps(steps.step_data(sc, config.kind, shown_by, size, box)),
                        "last": encode.png(last[0], reserved=colours),
                        "strip": _print_strip(kept, colours)}
            if strip:
                return {fmt: encode.png(encode.strip_of(frames, durations), reserved=colours)}
            return {fmt: encode.png(_nth(frames, frame), reserved=colours)}


def palette(sc, t: themes.Theme) -> list[str]:
    """The exact colours of a drawn figure's palette: the theme's, and its channel tints if the
    scene shows them (figures.blocks)."""
    return t.colours(tints=isinstance(sc, blocks.BlockScene) and any(b.tint for b in sc.blocks))


def vector(sc, t: themes.Theme, fmt: str, frame: Optional[int] = None, still: bool = False) -> bytes:
    """A scene as PDF (every step, one per page; or step ``frame`` alone) or SVG (its last step,
    or step ``frame``)."""
    with draw.library_defaults():
        if still:
            numbers = None if isinstance(sc, STILLS) else [len(sc.frames) - 1]
        elif frame is not None:
            numbers = [frame]
        elif fmt == "pdf":
            numbers = [first for first, _ in step_runs(sc, t)]
        else:
            numbers = [len(sc.frames) - 1]
        figures = draw.posed(sc, t, numbers)
        with closing(figures):
            if fmt == "pdf":
                return export.pdf(figures)
            return export.svg(next(figures))


def step_runs(sc, t: themes.Theme) -> list[tuple[int, int]]:
    """The steps a reader steps through: (the first scene frame of each run of identical frames,
    the run's duration in ms), as the GIF merges them and the player shows them. Call within
    ``draw.library_defaults()``."""
    if isinstance(sc, STILLS):
        return [(0, 0)]
    return [(first, ms) for first, _, ms in _runs(sc, t)]


def _runs(sc, t: themes.Theme) -> Iterator[tuple[int, object, int]]:
    """(first scene frame, its pixels, duration in ms) of each run of identical frames, drawn
    once, one frame in memory at a time."""
    run = None
    with closing(drawn(sc, t)) as frames:
        for n, (pixels, frame) in enumerate(zip(frames, sc.frames)):
            if run is not None and np.array_equal(run[1], pixels):
                run[2] += frame.duration_ms
                continue
            if run is not None:
                yield tuple(run)
            run = [n, pixels, frame.duration_ms]
    if run is not None:
        yield tuple(run)


def step_files(config, theme: str = "light", fmt: str = "png") -> list[bytes]:
    """Every step of a figure as its own picture (PNG, SVG or a one-page PDF), in order: the
    steps of its player. A still figure has one."""
    if fmt not in STEP_FORMATS:
        raise ValueError(f"format={fmt!r}: a step is written as .png, .svg or .pdf")
    t = themes.get(theme)
    sc = scene_for(config)
    full_colour = isinstance(sc, panels.PanelScene) and any(p.cmap or p.shade for p in sc.panels)
    if full_colour or isinstance(sc, STILLS):
        return [_figure(config, theme, "png")["png"] if fmt == "png" else vector(sc, t, fmt, still=True)]
    with draw.library_defaults():
        if fmt == "png":  # one drawing: each run of identical frames is one step
            return [encode.png(pixels, reserved=palette(sc, t)) for _, pixels, _ in _runs(sc, t)]
        numbers = [first for first, _ in step_runs(sc, t)]  # the steps, then each drawn as vectors
        with closing(draw.posed(sc, t, numbers)) as figures:
            return [export.pdf([fig]) if fmt == "pdf" else export.svg(fig) for fig in figures]


def drawn(sc, t: themes.Theme, geometry: Optional[dict] = None) -> Iterator:
    """The frames of an animated figure's scene, drawn one at a time (RGB arrays, the colours
    anti-aliased; the encoder maps them to the theme's palette). Call within
    ``draw.library_defaults()``; ``geometry``, if given, receives where a grid figure puts its
    output cells."""
    if isinstance(sc, blocks.BlockScene):
        return draw.render_blocks(sc, t)
    if isinstance(sc, panels.PanelScene):
        return draw.render_panels(sc, t)
    if isinstance(sc, scene.StackScene):
        return draw.render_stack(sc, t)
    return draw.render(sc, t, geometry)


def _keeping(frames: Iterator, last: list, steps: Optional[list] = None) -> Iterator:
    """The frames, keeping the latest one in ``last``, and in ``steps`` every distinct one while
    there are at most encode.PRINT_MAX_STEPS (then ``steps`` is emptied and stays so)."""
    full = False
    for frame in frames:
        last[:] = [frame]
        if steps is not None and not full and not (steps and np.array_equal(steps[-1], frame)):
            steps.append(frame)
            if len(steps) > encode.PRINT_MAX_STEPS:
                steps.clear()
                full = True
        yield frame


def _print_strip(steps: list, colours: list) -> bytes:
    """What a printed page shows for an animation: its steps side by side if they fit on a page
    (encode.print_columns), as a PNG; else nothing (b"": the page prints the last step)."""
    if not steps:
        return b""
    columns = encode.print_columns(len(steps), *steps[0].shape[:2])
    if columns is None:
        return b""
    return encode.png(encode.strip(steps, columns), reserved=colours)


def _nth(frames: Iterator, n: Optional[int]):
    """Frame ``n`` of an iterator of frames (the last if ``n`` is None), drawing no further."""
    if n is None:
        return deque(frames, maxlen=1)[0]
    return next(islice(frames, n, None))
