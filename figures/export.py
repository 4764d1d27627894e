"""The other encoders: vector pictures (PDF, SVG) from matplotlib itself, and video (MP4, WebM).

- PDF: one page per step (``\\includegraphics[page=3]`` or a Beamer overlay shows step 3), the
  text kept as text in an embedded TrueType subset of the figure's font (selectable, searchable,
  no bitmap of a digit), and no creation date: the same figure gives the same bytes.
- SVG: one step, every number a ``<text>`` element, the glyphs it uses embedded as a WOFF font
  subset (fontTools, which matplotlib already depends on) so it renders the same on a machine
  without DejaVu Sans; ids and metadata fixed, so the bytes are reproducible.
- Video: through imageio and its ffmpeg plugin (an optional extra: ``pip install
  convolution-visualized[video]``); H.264 in yuv420p (every player opens it) or VP9 in WebM,
  each step held for its duration (at the lowest frame rate that times every step exactly: the
  steps last whole half-seconds, so 2 frames a second, not 25 copies of each), drawn at twice the size (nearest neighbour) so that the
  chroma subsampling does not smear the digits.
"""

from __future__ import annotations

import base64
import io
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import matplotlib
import numpy as np
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from . import theme as th

VECTOR_FORMATS = ("pdf", "svg")
VIDEO_FORMATS = ("mp4", "webm")
MAX_FPS = 10  # a step's duration is at worst rounded to tenths of a second
MIN_FPS = 2  # a still step still has a frame every half second (players seek and show it promptly)
VIDEO_SCALE = 2  # each pixel drawn as 2×2: digits survive yuv420p's half-resolution colour
VIDEO_EXTRA = "pip install 'convolution-visualized[video]'  (imageio and imageio-ffmpeg)"
# libx264's constant quality (0 lossless … 51); 12 keeps 1 px lines and digits sharp in every frame
X264_CRF = "12"
VP9_CRF = "16"


@contextmanager
def vector_settings() -> Iterator[None]:
    """matplotlib's settings for reproducible vector files with text as text (call within
    ``draw.library_defaults()``)."""
    with matplotlib.rc_context({
        "pdf.fonttype": 42,  # TrueType, subset and embedded: text that can be selected
        "pdf.compression": 9,
        "svg.fonttype": "none",  # <text> elements; the font is embedded by svg() below
        "svg.hashsalt": "convolution-visualized",  # ids from a fixed salt, not a random one
        "svg.image_inline": True,
    }):
        yield


def pdf(figures: Iterable[Figure]) -> bytes:
    """A PDF with one page per figure state that ``figures`` yields (the figure is saved as it
    is when yielded)."""
    out = io.BytesIO()
    with vector_settings():
        with PdfPages(out, metadata={"Creator": "convolution-visualized", "CreationDate": None,
                                      "ModDate": None}) as pages:
            for fig in figures:
                pages.savefig(fig, facecolor=fig.get_facecolor())
    return out.getvalue()


FAMILY = re.compile(r"font-family: ('[^']*')")


def svg(fig: Figure) -> bytes:
    """One picture as SVG: shapes as paths, numbers and labels as text in the figure's font,
    whose glyphs are embedded (only those the picture uses)."""
    out = io.BytesIO()
    with vector_settings():
        fig.savefig(out, format="svg", facecolor=fig.get_facecolor(),
                    metadata={"Date": None, "Creator": "convolution-visualized"})
    text = out.getvalue().decode("utf-8")
    faces = _font_faces(fig)
    # the embedded font goes first in the document's own stylesheet; spaces inside a label ("X  5×5")
    # are kept, as the raster figure keeps them
    style = "".join(faces) + "text{white-space:pre}"
    text = text.replace('<style type="text/css">', f'<style type="text/css">{style}', 1)
    text = text.replace('<svg xmlns:xlink=', '<svg xml:space="preserve" xmlns:xlink=', 1)
    return text.encode("utf-8")


def _font_faces(fig: Figure) -> list[str]:
    """@font-face rules embedding, for each weight of the figure's font that its text uses, a
    subset holding only the characters drawn (WOFF, zlib-compressed)."""
    from fontTools import subset
    from matplotlib.font_manager import FontProperties, findfont

    used: dict[str, set[str]] = {}
    for artist in fig.findobj(matplotlib.text.Text):
        if artist.get_visible() and artist.get_text():
            weight = "bold" if artist.get_fontweight() in ("bold", 700, "heavy", "black") else "normal"
            used.setdefault(weight, set()).update(artist.get_text())
    faces = []
    for weight in sorted(used):
        path = findfont(FontProperties(family=th.FONT, weight=weight), fallback_to_default=True)
        options = subset.Options()
        options.flavor = "woff"
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.drop_tables += ["FFTM"]  # FontForge's timestamp table: not needed, not subsettable
        font = subset.load_font(path, options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(used[weight])))
        subsetter.subset(font)
        data = io.BytesIO()
        font.flavor = "woff"
        font.save(data, reorderTables=True)
        encoded = base64.b64encode(data.getvalue()).decode("ascii")
        faces.append(f"@font-face{{font-family:'{th.FONT}';font-weight:{'700' if weight == 'bold' else '400'};"
                     f"src:url(data:font/woff;base64,{encoded}) format('woff')}}")
    return faces


def video_writer_available() -> bool:
    """Whether the video extra (imageio with its ffmpeg plugin) is installed."""
    try:
        import imageio.v2  # noqa: F401
        import imageio_ffmpeg  # noqa: F401
    except ImportError:
        return False
    return True


def video(frames: Iterable[np.ndarray], durations: Sequence[int], fmt: str) -> bytes:
    """An MP4 (H.264, yuv420p) or WebM (VP9) of the frames, each held for its duration; written
    through a temporary folder (ffmpeg writes to a file) that is always removed."""
    if fmt not in VIDEO_FORMATS:
        raise ValueError(f"format={fmt!r}: a video is .mp4 or .webm")
    if not video_writer_available():
        raise ValueError(f".{fmt} needs the video extra: {VIDEO_EXTRA}")
    durations = list(durations)
    fps = video_fps(durations)
    with tempfile.TemporaryDirectory(prefix="figures-video-") as folder:
        return _video(frames, durations, fmt, fps, Path(folder) / f"video.{fmt}")


def _video(frames, durations, fmt: str, fps: int, tmp: Path) -> bytes:
    import imageio.v2 as imageio

    codec, options = {
        "mp4": ("libx264", ["-crf", X264_CRF, "-preset", "slow", "-tune", "animation", "-movflags", "+faststart"]),
        "webm": ("libvpx-vp9", ["-crf", VP9_CRF, "-b:v", "0", "-deadline", "good", "-cpu-used", "8", "-row-mt", "0"]),
    }[fmt]
    writer = imageio.get_writer(tmp, format="FFMPEG", mode="I", fps=fps, codec=codec, pixelformat="yuv420p",
                                macro_block_size=1, quality=None, ffmpeg_log_level="error",
                                output_params=[*options, "-threads", "1", "-fflags", "+bitexact",
                                               "-flags:v", "+bitexact", "-map_metadata", "-1"])
    try:
        for frame, ms in zip(frames, durations):
            big = np.repeat(np.repeat(frame, VIDEO_SCALE, axis=0), VIDEO_SCALE, axis=1)
            for _ in range(max(1, round(ms * fps / 1000))):
                writer.append_data(big)
    finally:
        writer.close()
    return tmp.read_bytes()


def video_fps(durations: Sequence[int]) -> int:
    """The frame rate of a video of steps lasting ``durations`` (ms): the lowest (at least
    MIN_FPS) at which every step lasts a whole number of frames, or MAX_FPS."""
    for fps in range(MIN_FPS, MAX_FPS + 1):
        if durations and all(int(ms) * fps % 1000 == 0 for ms in durations):
            return fps
    return MAX_FPS


def video_frames(durations: Sequence[int]) -> int:
    """How many frames the video of steps lasting ``durations`` (ms) has."""
    fps = video_fps(durations)
    return sum(max(1, round(ms * fps / 1000)) for ms in durations)
