"""The command line: answers, files, and one clear line for every bad input."""

import json
import subprocess
import sys

import pytest
from PIL import Image

from helpers import ROOT, run_cli


def test_shape_prints_size_and_formula():
    r = run_cli("shape", "conv", "--input", "5", "--kernel", "3", "--stride", "2", "--padding", "1")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["conv: 5×5 → 3×3", "H_out = W_out = ⌊(5 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 3"]


def test_shape_json_non_square():
    r = run_cli("shape", "transposed", "--input", "16x8", "--kernel", "3", "--stride", "2", "--padding", "1",
                "--output-padding", "1x0", "--json")
    data = json.loads(r.stdout)
    assert data["input"] == [16, 8] and data["output"] == [32, 15]


def test_shape_pool_and_same():
    r = run_cli("shape", "pool", "--input", "5", "--kernel", "2", "--ceil-mode", "--json")
    assert json.loads(r.stdout)["output"] == [3, 3]
    r = run_cli("shape", "conv", "--input", "7x9", "--kernel", "4", "--padding", "same", "--json")
    assert json.loads(r.stdout)["output"] == [7, 9]


def test_shape_does_not_import_torch():
    code = ("import sys; from figures.cli import main; main(['shape', 'conv', '--input', '5', '--kernel', '3']);"
            "main(['list']); assert 'torch' not in sys.modules and 'matplotlib' not in sys.modules, 'imported'")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_list_prints_the_catalog():
    r = run_cli("list")
    lines = r.stdout.splitlines()
    assert len(lines) == len(__import__('figures.catalog').catalog.CATALOG)
    assert lines[0].split()[:2] == ["no-padding-no-strides", "conv"]
    assert any(line.startswith("padding-strides-odd-transposed") and "3×3 → 6×6" in line for line in lines)


BAD = [
    (["shape", "conv", "--input", "4", "--kernel", "5"], "kernel=5"),
    (["shape", "conv", "--input", "0", "--kernel", "3"], "'0'"),
    (["shape", "conv", "--input", "4x", "--kernel", "3"], "'4x'"),
    (["shape", "conv", "--input", "8", "--kernel", "3", "--stride", "2", "--padding", "same"], "padding='same'"),
    (["shape", "conv", "--input", "8", "--kernel", "3", "--padding", "-1"], "'-1'"),
    (["shape", "transposed", "--input", "4", "--kernel", "3", "--stride", "2", "--output-padding", "2"],
     "output_padding=2"),
    (["shape", "pool", "--input", "5", "--kernel", "3", "--padding", "2"], "padding=2"),
    (["shape", "conv", "--input", "5", "--kernel", "3", "--output-padding", "1"], "--output-padding"),
    (["shape", "cube", "--input", "5", "--kernel", "3"], "'cube'"),
    (["render", "conv", "--input", "4", "--kernel", "3", "-o", "OUT.jpg"], "OUT.jpg"),
    (["render", "conv", "--input", "4", "--kernel", "3", "--strip", "-o", "OUT.gif"], "--strip"),
    (["render", "conv", "--input", "4", "--kernel", "9", "-o", "OUT.gif"], "kernel=9"),
    (["render", "conv", "--input", "40", "--kernel", "3", "-o", "OUT.gif"], "at most 32"),
    (["render", "transposed", "--input", "3", "--kernel", "3", "--padding", "3", "-o", "OUT.png"], "padding=3"),
    (["render", "conv", "--input", "4", "--kernel", "3", "--values", "zeros", "-o", "OUT.gif"], "'zeros'"),
    (["render", "conv", "--input", "4", "--kernel", "3", "--theme", "sepia", "-o", "OUT.gif"], "'sepia'"),
    (["render", "conv", "--input", "5", "--kernel", "2", "--ceil-mode", "-o", "OUT.gif"], "--ceil-mode"),
    (["render", "avg", "--input", "5", "--kernel", "3", "--dilation", "2", "-o", "OUT.gif"], "dilation"),
    (["render", "max", "--input", "5", "--kernel", "3", "--padding", "2", "-o", "OUT.gif"], "padding=2"),
    (["build", "--only", "no-such-figure", "--out", "OUT"], "no-such-figure"),
    (["build", "--jobs", "0", "--out", "OUT"], "--jobs 0"),
]


@pytest.mark.parametrize("args, named", BAD, ids=[" ".join(a[:2]) + f" [{n}]" for a, n in BAD])
def test_bad_input_one_line_exit_2_no_file(tmp_path, args, named):
    args = [str(tmp_path / a) if a.startswith("OUT") else a for a in args]
    r = run_cli(*args, env={"FIGURES_CACHE": str(tmp_path / "cache")})
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr and named in lines[0]
    assert [p.name for p in tmp_path.iterdir() if p.name != "cache"] == [], "nothing may be written"
    assert not list((tmp_path / "cache").glob("*")) if (tmp_path / "cache").exists() else True


def test_render_gif_png_and_strip(tmp_path):
    env = {"FIGURES_CACHE": str(tmp_path / "cache")}
    gif = tmp_path / "a.gif"
    r = run_cli("render", "conv", "--input", "4x5", "--kernel", "3x2", "--stride", "1x2", "--padding", "1",
                "--values", "random", "--seed", "3", "-o", str(gif), env=env)
    assert r.returncode == 0, r.stderr
    with Image.open(gif) as im:
        assert im.format == "GIF" and im.n_frames >= 2 and im.info["loop"] == 0
    png = tmp_path / "a.png"
    r = run_cli("render", "transposed", "--input", "2", "--kernel", "3", "--stride", "2", "--theme", "dark",
                "-o", str(png), env=env)
    assert r.returncode == 0, r.stderr
    strip = tmp_path / "s.png"
    r = run_cli("render", "transposed", "--input", "2", "--kernel", "3", "--stride", "2", "--theme", "dark",
                "--strip", "-o", str(strip), env=env)
    with Image.open(png) as one, Image.open(strip) as many:
        assert one.format == many.format == "PNG"
        assert many.width > 3 * one.width  # four frames to a row
        assert one.getpixel((2, 2)) != (255, 255, 255)  # the dark background
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_build_only_writes_light_and_dark(tmp_path):
    out = tmp_path / "figs"
    r = run_cli("build", "--out", str(out), "--jobs", "1", "--only", "no-padding-no-strides",
                env={"FIGURES_CACHE": str(tmp_path / "cache")})
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "no-padding-no-strides.dark.gif", "no-padding-no-strides.dark.last.png", "no-padding-no-strides.dark.print.png",
        "no-padding-no-strides.dark.steps.json", "no-padding-no-strides.gif", "no-padding-no-strides.last.png",
        "no-padding-no-strides.print.png", "no-padding-no-strides.steps.json"]


def test_render_pooling(tmp_path):
    out = tmp_path / "pool.png"
    r = run_cli("render", "max", "--input", "5", "--kernel", "2", "--ceil-mode", "--frame", "8", "-o", str(out),
                env={"FIGURES_CACHE": str(tmp_path / "cache")})
    assert r.returncode == 0, r.stderr
    with Image.open(out) as im:
        assert im.format == "PNG"


def test_shape_names_max_and_average_pooling():
    r = run_cli("shape", "avg", "--input", "6x9", "--kernel", "2x3", "--ceil-mode")
    assert r.returncode == 0 and r.stdout.startswith("pool: 6×9 → 3×3")
    r = run_cli("shape", "max", "--input", "7", "--kernel", "3", "--dilation", "2")
    assert r.returncode == 0 and "7×7 → 1×1" in r.stdout  # stride = kernel: ⌊(7 − 4 − 1) / 3⌋ + 1
    r = run_cli("shape", "avg", "--input", "7", "--kernel", "3", "--dilation", "2")
    assert r.returncode == 2 and r.stderr.strip().endswith("--dilation (2, 2): average pooling has no dilation")
