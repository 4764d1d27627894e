"""The command line: answers, files, and one clear line for every bad input."""

import json
import subprocess
import sys

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings, strategies as st
from PIL import Image

from figures import cli
from helpers import ROOT, run_cli


def shape(capsys, *args: str) -> tuple[int, str, str]:
    """``python -m figures shape …`` in this process: (exit status, stdout, stderr)."""
    code = cli.main(["shape", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_shape_prints_size_and_formula(capsys):
    code, out, _ = shape(capsys, "conv", "--input", "5", "--kernel", "3", "--stride", "2", "--padding", "1")
    assert code == 0
    assert out.splitlines() == ["conv: 5×5 → 3×3", "H_out = W_out = ⌊(5 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 3"]


def test_shape_json_non_square(capsys):
    _, out, _ = shape(capsys, "transposed", "--input", "16x8", "--kernel", "3", "--stride", "2", "--padding", "1",
                      "--output-padding", "1x0", "--json")
    data = json.loads(out)
    assert data["input"] == [16, 8] and data["output"] == [32, 15] and data["dims"] == 2
    assert "padding" not in data  # per-side paddings are printed for tf-same, same-lower and causal


def test_shape_pool_and_same(capsys):
    _, out, _ = shape(capsys, "pool", "--input", "5", "--kernel", "2", "--ceil-mode", "--json")
    assert json.loads(out)["output"] == [3, 3]
    _, out, _ = shape(capsys, "conv", "--input", "7x9", "--kernel", "4", "--padding", "same", "--json")
    assert json.loads(out)["output"] == [7, 9]


TF_SAME = ["conv", "--input", "224", "--kernel", "3", "--stride", "2", "--padding", "tf-same"]


def test_shape_tf_same_prints_the_four_paddings_and_the_pytorch_lines(capsys):
    code, out, _ = shape(capsys, *TF_SAME)
    assert code == 0
    assert out.splitlines() == [
        "conv: 224×224 → 112×112",
        "H_out = W_out = ⌊(224 + 0 + 1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 112",
        "padding: top 0, bottom 1, left 0, right 1",
        "x = F.pad(x, (0, 1, 0, 1))",
        "y = nn.Conv2d(C_in, C_out, kernel_size=3, stride=2, padding=0)(x)",
    ]
    code, out, _ = shape(capsys, *TF_SAME, "--json")
    assert json.loads(out) == {
        "op": "conv", "dims": 2, "input": [224, 224], "output": [112, 112],
        "formula": {"height": "⌊(224 + 0 + 1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 112",
                    "width": "⌊(224 + 0 + 1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 112"},
        "padding": {"top": 0, "bottom": 1, "left": 0, "right": 1},
        "pytorch": ["x = F.pad(x, (0, 1, 0, 1))", "y = nn.Conv2d(C_in, C_out, kernel_size=3, stride=2, padding=0)(x)"],
    }
    assert shape(capsys, *TF_SAME[:-1], "same-upper", "--json")[1] == out  # the same padding, two names
    _, out, _ = shape(capsys, *TF_SAME[:-1], "same-lower", "--json")
    assert json.loads(out)["padding"] == {"top": 1, "bottom": 0, "left": 1, "right": 0}


def test_shape_one_and_three_dimensions(capsys):
    code, out, _ = shape(capsys, "conv", "--input", "100", "--dims", "1", "--kernel", "3", "--dilation", "4",
                         "--padding", "causal")
    assert code == 0 and out.splitlines() == [
        "conv: 100 → 100", "L_out = ⌊(100 + 8 + 0 − 4·(3 − 1) − 1) / 1⌋ + 1 = 100", "padding: left 8, right 0",
        "x = F.pad(x, (8, 0))", "y = nn.Conv1d(C_in, C_out, kernel_size=3, padding=0, dilation=4)(x)"]
    _, out, _ = shape(capsys, "conv", "--input", "16x112x112", "--kernel", "3x7x7", "--stride", "1x2x2",
                      "--padding", "1x3x3", "--json")
    data = json.loads(out)
    assert data["dims"] == 3 and data["output"] == [16, 56, 56] and list(data["formula"]) == ["depth", "height", "width"]
    _, out, _ = shape(capsys, "max", "--input", "16x112x112", "--kernel", "1x3x3", "--stride", "1x2x2",
                      "--padding", "tf-same", "--json")
    data = json.loads(out)
    assert data["output"] == [16, 56, 56]
    assert data["padding"] == {"front": 0, "back": 0, "top": 0, "bottom": 1, "left": 0, "right": 1}
    assert data["pytorch"] == ['x = F.pad(x, (0, 1, 0, 1, 0, 0), value=float("-inf"))',
                               "y = nn.MaxPool3d(kernel_size=(1, 3, 3), stride=(1, 2, 2), padding=0)(x)"]
    assert shape(capsys, "transposed", "--input", "8", "--dims", "3", "--kernel", "4", "--stride", "2",
                 "--padding", "1")[1].splitlines()[0] == "transposed: 8×8×8 → 16×16×16"
    assert shape(capsys, "avg", "--input", "9", "--dims", "1", "--kernel", "2", "--ceil-mode")[1].startswith("pool: 9 → 5")


@st.composite
def side_padded(draw):
    """A configuration that `shape` pads per side, with the options as a reader types them."""
    dims = draw(st.sampled_from([1, 2, 3]))
    op = draw(st.sampled_from(["conv", "max"]))
    words = ["tf-same", "same-upper", "same-lower"] + (["causal"] if dims == 1 and op == "conv" else [])
    values = lambda lo, hi: draw(st.lists(st.integers(lo, hi), min_size=dims, max_size=dims))  # noqa: E731
    options = {"--input": values(1, 12 if dims < 3 else 6), "--kernel": values(1, 5), "--stride": values(1, 3),
               "--dilation": values(1, 2)}
    args = [op, "--dims", str(dims), "--padding", draw(st.sampled_from(words))]
    for option, v in options.items():
        args += [option, "x".join(map(str, v))]
    return args


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(side_padded())  # capsys is read (and emptied) by every call
def test_the_pytorch_lines_reproduce_the_shape(capsys, args):
    """The lines `shape --json` prints, run by torch on a random input: the output it says."""
    code, out, err = shape(capsys, *args, "--json")
    assert code == 0, err
    data = json.loads(out)
    torch.manual_seed(0)
    scope = {"F": F, "nn": nn, "C_in": 2, "C_out": 3, "x": torch.randn(1, 2, *data["input"])}
    for line in data["pytorch"]:
        exec(line, scope)
    assert list(scope["y"].shape[2:]) == data["output"]
    if args[0] == "max" and args[-1] == "x".join(["1"] * int(args[2])):
        # without dilation every window holds a real cell (with it, a window can read padding only,
        # and give −∞, as JAX's reduce_window "SAME" does too)
        assert torch.isfinite(scope["y"]).all()


def test_shape_does_not_import_torch():
    code = ("import sys; from figures.cli import main; main(['shape', 'conv', '--input', '5', '--kernel', '3']);"
            "main(['shape', 'max', '--input', '4x9x9', '--kernel', '3', '--padding', 'tf-same', '--json']);"
            "main(['shape', 'conv', '--input', '9', '--dims', '1', '--kernel', '3', '--padding', 'causal']);"
            "main(['list']); assert 'torch' not in sys.modules and 'matplotlib' not in sys.modules, 'imported'")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_list_prints_the_catalog():
    r = run_cli("list")
    lines = r.stdout.splitlines()
    assert len(lines) == len(__import__('figures.catalog').catalog.CATALOG)
    assert lines[0].split()[:2] == ["no-padding-no-strides", "conv"]
    assert any(line.startswith("padding-strides-odd-transposed") and "3×3 → 6×6" in line for line in lines)


BAD_SHAPE = [
    (["conv", "--input", "4", "--kernel", "5"], "kernel=5"),
    (["conv", "--input", "0", "--kernel", "3"], "'0'"),
    (["conv", "--input", "4x", "--kernel", "3"], "'4x'"),
    (["conv", "--input", "4x4x4x4", "--kernel", "3"], "'4x4x4x4' is not a size"),
    (["conv", "--input", "8", "--kernel", "3", "--stride", "2", "--padding", "same"], "padding='same'"),
    (["conv", "--input", "8", "--kernel", "3", "--padding", "-1"], "'-1'"),
    (["conv", "--input", "8", "--kernel", "3", "--padding", "full"], "'full'"),
    (["conv", "--input", "8", "--kernel", "3", "--padding", "SAME"], "'SAME'"),
    (["transposed", "--input", "4", "--kernel", "3", "--stride", "2", "--output-padding", "2"], "output_padding=2"),
    (["pool", "--input", "5", "--kernel", "3", "--padding", "2"], "padding=2"),
    (["conv", "--input", "5", "--kernel", "3", "--output-padding", "1"], "--output-padding"),
    (["cube", "--input", "5", "--kernel", "3"], "'cube'"),
    (["conv", "--input", "8", "--kernel", "3", "--padding", "causal"], "--padding causal: only a 1-D convolution"),
    (["conv", "--input", "8x8x8", "--kernel", "3", "--padding", "causal"], "this one is 3-D"),
    (["transposed", "--input", "8", "--dims", "1", "--kernel", "3", "--padding", "causal"], "--padding causal"),
    (["max", "--input", "8", "--dims", "1", "--kernel", "3", "--padding", "causal"], "--padding causal"),
    (["transposed", "--input", "8", "--kernel", "3", "--padding", "tf-same"], "--padding tf-same"),
    (["transposed", "--input", "8", "--kernel", "3", "--padding", "same-lower"], "--padding same-lower"),
    (["avg", "--input", "8", "--kernel", "3", "--padding", "tf-same"], "--padding tf-same"),
    (["max", "--input", "8", "--kernel", "3", "--padding", "same"], "--padding same"),
    (["max", "--input", "8", "--kernel", "3", "--padding", "tf-same", "--ceil-mode"], "--ceil-mode"),
    (["conv", "--input", "8", "--kernel", "3", "--padding", "tf-same", "--ceil-mode"], "--ceil-mode"),
    (["conv", "--input", "8x8", "--dims", "1", "--kernel", "3"], "--input 8x8"),
    (["conv", "--input", "8", "--dims", "1", "--kernel", "3x3"], "--kernel 3x3"),
    (["conv", "--input", "8x8x8", "--kernel", "3x3"], "--kernel 3x3: 2 sizes for a 3-D"),
    (["conv", "--input", "8", "--dims", "4", "--kernel", "3"], "--dims"),
    (["conv", "--input", "8x8x2", "--kernel", "3"], "(width)"),
    (["avg", "--input", "8x8x2", "--kernel", "3", "--padding", "1"], "AvgPool3d"),
    (["avg", "--input", "8", "--dims", "3", "--kernel", "3", "--dilation", "2"], "--dilation (2, 2, 2)"),
    (["avg", "--input", "8", "--dims", "1", "--kernel", "3", "--dilation", "2"], "--dilation 2: average"),
    (["conv", "--input", "8", "--dims", "1", "--kernel", "3", "--padding", "tf-same", "--stride", "0"], "'0'"),
]


@pytest.mark.parametrize("args, named", BAD_SHAPE, ids=[" ".join(a[:1]) + f" [{n}]" for a, n in BAD_SHAPE])
def test_shape_refuses_in_one_line_exit_2(capsys, args, named):
    code, out, err = shape(capsys, *args)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and named in lines[0], err


BAD = [
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
        "no-padding-no-strides.dark.steps.json", "no-padding-no-strides.dark.webp", "no-padding-no-strides.gif",
        "no-padding-no-strides.last.png", "no-padding-no-strides.print.png", "no-padding-no-strides.steps.json",
        "no-padding-no-strides.webp"]


def test_render_pooling(tmp_path):
    out = tmp_path / "pool.png"
    r = run_cli("render", "max", "--input", "5", "--kernel", "2", "--ceil-mode", "--frame", "8", "-o", str(out),
                env={"FIGURES_CACHE": str(tmp_path / "cache")})
    assert r.returncode == 0, r.stderr
    with Image.open(out) as im:
        assert im.format == "PNG"


def test_shape_names_max_and_average_pooling(capsys):
    code, out, _ = shape(capsys, "avg", "--input", "6x9", "--kernel", "2x3", "--ceil-mode")
    assert code == 0 and out.startswith("pool: 6×9 → 3×3")
    code, out, _ = shape(capsys, "max", "--input", "7", "--kernel", "3", "--dilation", "2")
    assert code == 0 and "7×7 → 1×1" in out  # stride = kernel: ⌊(7 − 4 − 1) / 3⌋ + 1
    code, _, err = shape(capsys, "avg", "--input", "7", "--kernel", "3", "--dilation", "2")
    assert code == 2 and err.strip().endswith("--dilation (2, 2): average pooling has no dilation")
