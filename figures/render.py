"""From a configuration to the bytes of a figure: experiment → scene → frames → PNG/GIF.

This is the only module that joins the layers; it imports torch (through experiments).
"""

from __future__ import annotations

from . import draw, encode, experiments, scene
from . import theme as themes
from .config import Config

FORMATS = ("gif", "png")


def scene_for(config: Config) -> scene.Scene:
    """The scene of a configuration, computed by torch (checked against torch.nn.functional)."""
    config.check()
    x, w = experiments.make_values(config.values, config.input, config.kernel, config.seed)
    if config.kind == "conv":
        record = experiments.record_conv(x, w, config.stride, config.padding, config.dilation)
        return scene.conv_scene(record)
    record = experiments.record_transposed(
        x, w, config.stride, config.padding, config.dilation, config.output_padding
    )
    return scene.transposed_scene(record)


def figure_bytes(config: Config, theme: str = "light", fmt: str = "gif", strip: bool = False) -> bytes:
    """The encoded figure. A PNG is the final frame, or every frame side by side with ``strip``."""
    if fmt not in FORMATS:
        raise ValueError(f"format={fmt!r}: figures are written as .gif or .png")
    if strip and fmt != "png":
        raise ValueError("--strip: a frame strip is a PNG; give an output path ending in .png")
    t = themes.get(theme)
    sc = scene_for(config)
    frames = draw.render(sc, t)
    if fmt == "gif":
        return encode.gif(frames, [f.duration_ms for f in sc.frames], reserved=t.colours())
    if strip:
        kept, _ = encode.distinct(frames, [f.duration_ms for f in sc.frames])
        return encode.png(encode.strip(kept), reserved=t.colours())
    return encode.png(frames[-1], reserved=t.colours())
