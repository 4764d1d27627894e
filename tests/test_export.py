"""Exports for courses: every format checked by opening what was written.

PDF (a page per step, text as text), SVG (the digits as <text>, the font embedded), one file per
step (equal to the player's steps, i.e. the GIF's frames the step data names), video (decodes to
the right number of frames at the right size), reproducible bytes, and the CLI's refusals.
"""

import io
import json
import xml.etree.ElementTree as ET
from base64 import b64decode
import re

import numpy as np
import pytest
from PIL import Image, ImageSequence

from figures import catalog, export, render
from helpers import run_cli

# a grid animation, a dilated one, a trace, a panel animation, a still panel in full colour, a
# pooling with padding (−∞ cells) and the legend (a PNG of frame 0)
NAMES = ["padding-strides", "receptive-field-stride", "channel-sum", "photo-edges", "max-pooling-ceil", "legend"]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FIGURES_CACHE", str(tmp_path / "cache"))


def _steps(entry, theme="light") -> dict:
    return json.loads(render.figure_bytes(entry.config(), theme, "json"))


def _gif_frames(data: bytes) -> list[np.ndarray]:
    with Image.open(io.BytesIO(data)) as im:
        return [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(im)]


def _digits(values) -> set:
    from figures.draw import fmt

    return {fmt(v) for v in values} - {""}


@pytest.mark.parametrize("name", NAMES)
def test_pdf_has_a_page_per_step_with_the_numbers_as_text(name):
    from pypdf import PdfReader

    entry = catalog.get(name)
    data = render.figure_bytes(entry.config(), "light", "pdf", frame=entry.frame)
    reader = PdfReader(io.BytesIO(data))
    if entry.fmt == "gif":
        steps = _steps(entry)["steps"]
        assert len(reader.pages) == len(steps)
        last = reader.pages[-1].extract_text()
        if "value" in steps[-2]:  # a grid animation: every output value is text on the last page
            sc = render.scene_for(entry.config())
            for value in _digits(v for row in sc.output.values for v in row):
                assert value in last.split(), (name, value)
    else:
        assert len(reader.pages) == 1
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(font["/BaseFont"])
            assert font["/Subtype"] == "/Type0", "TrueType (CID) fonts: text, not glyph procedures"
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"], "the font is embedded"
    assert fonts and all("DejaVuSans" in str(f) for f in fonts)


@pytest.mark.parametrize("name", ["padding-strides", "max-pooling-ceil", "channel-sum", "legend"])
def test_svg_keeps_the_digits_as_text_in_an_embedded_font(name):
    from fontTools.ttLib import TTFont

    entry = catalog.get(name)
    data = render.figure_bytes(entry.config(), "dark", "svg", frame=entry.frame)
    root = ET.fromstring(data)
    texts = [t.text for t in root.iter(f"{SVG}text") if t.text]
    assert not list(root.iter(f"{SVG}image")), "no bitmap in a grid figure"
    sc = render.scene_for(entry.config())
    grids = [sc.input, sc.kernel, sc.output] if hasattr(sc, "kernel") else [p.grid for p in sc.panels if p.grid]
    if entry.frame is None:  # the last step: every number of every grid is written
        for grid in (g for g in grids if g.numbers):
            assert _digits(v for row in grid.values for v in row) <= set(texts), name
    style = "".join(s.text or "" for s in root.iter(f"{SVG}style"))
    faces = re.findall(r"@font-face\{[^}]*base64,([A-Za-z0-9+/=]+)", style)
    assert faces, "the font is embedded"
    covered = set()
    for face in faces:
        font = TTFont(io.BytesIO(b64decode(face)))
        covered |= {chr(c) for c in font.getBestCmap()}
    assert set("".join(texts)) - {" "} <= covered, "every character drawn has its glyph in the file"


def test_every_step_file_is_the_players_step():
    """NAME-01.png … are the GIF frames that the step data names, pixel for pixel."""
    for name in ["padding-strides-transposed", "strides-unread", "dilation-coverage", "receptive-field"]:
        entry = catalog.get(name)
        steps = _steps(entry)["steps"]
        frames = _gif_frames(render.figure_bytes(entry.config(), "light", "gif"))
        files = render.step_files(entry.config(), "light", "png")
        assert len(files) == len(steps), name
        for step, data in zip(steps, files):
            with Image.open(io.BytesIO(data)) as im:
                assert np.array_equal(np.asarray(im.convert("RGB")), frames[step["gif_frame"]]), (name, step)


def test_step_files_as_svg_and_pdf():
    from pypdf import PdfReader

    entry = catalog.get("no-padding-strides")
    steps = _steps(entry)["steps"]
    svgs = render.step_files(entry.config(), "light", "svg")
    pdfs = render.step_files(entry.config(), "light", "pdf")
    assert len(svgs) == len(pdfs) == len(steps)
    assert all(len(PdfReader(io.BytesIO(p)).pages) == 1 for p in pdfs)
    # each step writes one more output value: the numbers written grow by one per step
    counts = [len([t for t in ET.fromstring(data).iter(f"{SVG}text") if t.text]) for data in svgs]
    outputs = len(render.scene_for(entry.config()).frames) - 1
    assert counts[:outputs] == list(range(counts[0], counts[0] + outputs)), counts
    assert len(set(svgs)) == len(svgs), "every step differs"


def test_vector_bytes_are_reproducible_across_processes(tmp_path):
    """Another process (another hash seed, fresh font caches) writes the same PDF and SVG bytes."""
    import subprocess
    import sys

    code = ("import hashlib, sys; from figures import catalog, render; c = catalog.get('padding-strides').config();"
            "print(*(hashlib.sha256(render.figure_bytes(c, 'light', f)).hexdigest() for f in ('pdf', 'svg')))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**__import__("os").environ, "FIGURES_CACHE": str(tmp_path / "c2")})
    assert r.returncode == 0, r.stderr
    entry = catalog.get("padding-strides")
    here = [render.figure_bytes(entry.config(), "light", fmt) for fmt in ("pdf", "svg")]
    import hashlib

    assert r.stdout.split() == [hashlib.sha256(data).hexdigest() for data in here]
    assert b"CreationDate" not in here[0]


@pytest.mark.skipif(not export.video_writer_available(), reason="the video extra is not installed")
@pytest.mark.parametrize("fmt", ["mp4", "webm"])
def test_video_decodes_to_every_step_at_twice_the_size(fmt, tmp_path):
    import imageio.v2 as imageio

    entry = catalog.get("no-padding-no-strides")
    data = render.figure_bytes(entry.config(), "light", fmt)
    gif = _gif_frames(render.figure_bytes(entry.config(), "light", "gif"))
    sc = render.scene_for(entry.config())
    durations = [f.duration_ms for f in sc.frames]
    (tmp_path / f"v.{fmt}").write_bytes(data)
    reader = imageio.get_reader(tmp_path / f"v.{fmt}", format="FFMPEG")
    frames = [np.asarray(f) for f in reader]
    assert len(frames) == export.video_frames(durations)
    height, width = gif[0].shape[:2]
    assert frames[0].shape == (2 * height, 2 * width, 3)
    assert reader.get_meta_data()["fps"] == export.video_fps(durations)
    # the last frame is the GIF's last picture: digits and lines crisp (mean error of a few levels)
    last = frames[-1][::2, ::2].astype(int)
    assert np.abs(last - gif[-1].astype(int)).mean() < 4


def test_video_frame_rate_times_every_step_exactly():
    assert export.video_fps([1000, 1000, 3000]) == 2
    assert export.video_fps([1000, 1500]) == 2
    assert export.video_fps([1000, 1200]) == 5
    assert export.video_fps([1000, 1333]) == export.MAX_FPS
    assert export.video_frames([1000, 3000]) == 8


def test_cli_steps_pdf_svg_and_build_formats(tmp_path, capsys):
    from figures import cli

    folder = tmp_path / "slides" / "conv"
    assert cli.main(["render", "conv", "--input", "4", "--kernel", "3", "--steps", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [f"conv-0{n}.png" for n in range(1, 6)]
    assert cli.main(["render", "conv", "--input", "4", "--kernel", "3", "--steps", str(folder), "--format", "svg",
                     "--theme", "dark"]) == 0
    assert len(list(folder.glob("conv-0?.dark.svg"))) == 5
    assert cli.main(["render", "conv", "--input", "4", "--kernel", "3", "--frame", "2", "-o",
                     str(tmp_path / "s.svg")]) == 0
    assert ET.parse(tmp_path / "s.svg").getroot().tag == f"{SVG}svg"
    out = tmp_path / "figs"
    assert cli.main(["build", "--out", str(out), "--jobs", "1", "--only", "no-padding-no-strides", "photo-edges",
                     "--format", "pdf"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "no-padding-no-strides.dark.pdf", "no-padding-no-strides.pdf", "photo-edges.dark.pdf", "photo-edges.pdf"]
    assert cli.main(["build", "--out", str(tmp_path / "st"), "--jobs", "2", "--only", "no-padding-no-strides",
                     "--theme", "light", "--steps"]) == 0
    assert sorted(p.name for p in (tmp_path / "st").iterdir()) == [
        f"no-padding-no-strides-0{n}.png" for n in range(1, 6)]
    assert not list(tmp_path.rglob("*.tmp"))
    assert capsys.readouterr().err == ""


BAD_EXPORTS = [
    (["-o", "OUT.gif", "--steps", "OUT"], "-o PATH"),
    ([], "--steps DIR"),
    (["-o", "OUT.svg", "--format", "svg"], "--format svg"),
    (["-o", "OUT.mp4", "--frame", "1"], "--frame 1"),
    (["-o", "OUT.webm", "--strip"], "--strip"),
    (["--steps", "OUT", "--strip"], "--strip"),
    (["--steps", "OUT", "--format", "gif"], "'gif'"),
    (["-o", "OUT.pdf", "--frame", "99"], "--frame 99"),
]


@pytest.mark.parametrize("extra, named", BAD_EXPORTS, ids=[n for _, n in BAD_EXPORTS])
def test_bad_export_one_line_exit_2_no_file(tmp_path, extra, named):
    extra = [str(tmp_path / a) if a.startswith("OUT") else a for a in extra]
    r = run_cli("render", "conv", "--input", "4", "--kernel", "3", *extra,
                env={"FIGURES_CACHE": str(tmp_path / "cache")})
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "Traceback" not in r.stderr, r.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name != "cache"] == []


def test_video_without_the_extra_names_it(tmp_path, monkeypatch, capsys):
    from figures import cli

    monkeypatch.setattr(export, "video_writer_available", lambda: False)
    out = tmp_path / "a.mp4"
    assert cli.main(["render", "conv", "--input", "4", "--kernel", "3", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "convolution-visualized[video]" in err[0] and not out.exists()
    assert cli.main(["build", "--out", str(tmp_path / "v"), "--format", "webm"]) == 2
    assert "convolution-visualized[video]" in capsys.readouterr().err


def test_steps_into_a_read_only_folder_one_line_no_file(tmp_path):
    import os

    if os.geteuid() == 0:  # root writes anywhere: make the folder's place a file instead
        (tmp_path / "ro").write_text("")
        folder = tmp_path / "ro" / "conv"
    else:
        (tmp_path / "ro").mkdir(mode=0o555)
        folder = tmp_path / "ro" / "conv"
    r = run_cli("render", "conv", "--input", "4", "--kernel", "3", "--steps", str(folder),
                env={"FIGURES_CACHE": str(tmp_path / "cache")})
    assert r.returncode in (1, 2) and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.stderr and str(tmp_path / "ro") in r.stderr
    assert not list(tmp_path.rglob("conv-*"))
