"""``python -m figures``: shapes, single figures and the whole catalog from the command line.

    python -m figures shape conv --input 5 --kernel 3 --stride 2 --padding 1
    python -m figures shape conv --input 224 --kernel 3 --stride 2 --padding tf-same   # TensorFlow's SAME
    python -m figures shape conv --input 100 --dims 1 --kernel 3 --dilation 4 --padding causal
    python -m figures shape max --input 16x112x112 --kernel 1x3x3 --stride 1x2x2 --json
    python -m figures render transposed --input 2 --kernel 3 --stride 2 -o up.gif
    python -m figures render conv --input 5 --kernel 3 -o steps.pdf      # one page per step
    python -m figures render conv --input 5 --kernel 3 --steps slides/conv --format svg
    python -m figures build --jobs 2
    python -m figures list

Bad input gets one line on stderr that names the bad value and the rule, exit status 2, no
traceback and no file. A failure of the system (a folder that cannot be written, a full disk)
gets one line naming the path and what the system said, exit status 1, and no half-written
file: every file is written under a temporary name in its folder and renamed when complete.
``shape`` and ``list`` never import torch.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import sys
from collections import OrderedDict
from pathlib import Path
from typing import Optional, Sequence

from . import arith, catalog
from .config import MAX_SEED, VALUES, Config

PROG = "python -m figures"


class UsageError(Exception):
    """Bad input: reported as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block
        if message.startswith("unrecognized arguments: "):  # each argument quoted short (a 100 KB one too)
            words = message[len("unrecognized arguments: "):].split(" ")
            message = "unrecognized arguments: " + " ".join(w if len(w) <= 40 else _quoted(w) for w in words)
        raise UsageError(message)

    # argparse quotes the value it refuses in full (repr): a 100 KB value made a 100 KB line
    def _get_value(self, action, arg_string):
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError as err:
            if len(arg_string) > 40:
                err.message = err.message.replace(repr(arg_string), _quoted(arg_string))
            raise

    def _check_value(self, action, value):
        if action.choices is not None and value not in action.choices:
            shown = repr(value) if len(repr(value)) <= 42 else (
                _quoted(value) if isinstance(value, str) else str(value)[:40] + "…")
            choices = ", ".join(map(repr, action.choices))
            raise argparse.ArgumentError(action, f"invalid choice: {shown} (choose from {choices})")


# sizes and counts are ASCII digits only (Python's int() would also take "５" or "٣")
SIZE = re.compile(r"\s*(-?[0-9]+)\s*(?:[x×,]\s*(-?[0-9]+)\s*)?", re.ASCII)
MAX_JOBS = max(64, os.cpu_count() or 1)


def _whole(text: str, signs: str = "-"):
    """``text`` as an integer if it is ASCII digits (int() would also take "５" or "٣"), else None;
    a number of 4,000 digits or more is cut there (int() takes at most 4,300; all are too large)."""
    if not re.fullmatch(rf"\s*[{signs}]?[0-9]+\s*", text, re.ASCII):
        return None
    return int(text.strip()[:4000])


def _shown_number(value: int, text: str):
    """A number in a message: itself, or the quoted text when it is too long to print."""
    return value if value.bit_length() <= 130 else _quoted(text)


def _int(option: str, minimum: int, maximum: int):
    def parse(text: str) -> int:
        value = _whole(text)
        if value is None:
            raise argparse.ArgumentTypeError(f"{option} {text!r}: not an integer (digits 0-9 only)")
        if not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(f"{option} {_shown_number(value, text)}: give an integer from {minimum} to {maximum}")
        return value

    parse.__name__ = option
    return parse


TORCH_INT = 2**31 - 1  # the largest kernel, stride, padding, dilation or output padding torch's convolutions take


def _quoted(text: str) -> str:
    """A value as a message quotes it (Python's repr), cut to 40 characters: one short line."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _big(v: int) -> str:
    """A number as a message says it: in full if it is short, else as "it" (the quoted text shows it)."""
    return str(v) if v.bit_length() <= 130 else "it"


TORCH_SIZE = 2**63 - 1  # the largest size of a torch tensor's axis


def _checked(text: str, option: str, values, minimum: int, maximum: Optional[int]) -> None:
    for v in values:
        if v < minimum:
            rule = "positive" if minimum == 1 else "0 or more"
            raise argparse.ArgumentTypeError(f"{_quoted(text)}: {_big(v)} is not allowed, {option} must be {rule}")
        if maximum is not None and v > maximum:
            why = "the largest size of a torch tensor" if maximum == TORCH_SIZE else "the largest torch's convolutions take"
            raise argparse.ArgumentTypeError(f"{_quoted(text)}: {_big(v)} is too large, {option} must be at most "
                                             f"{maximum} ({why})")


def _pair(option: str, minimum: int, maximum: Optional[int] = TORCH_INT):
    def parse(text: str) -> tuple[int, int]:
        m = SIZE.fullmatch(text)
        if not m:
            raise argparse.ArgumentTypeError(f"{_quoted(text)} is not a size: give N or HxW (integers)")
        h = int(m.group(1)) if len(m.group(1)) < 4000 else int(m.group(1)[:4000])  # a 5,000-digit number is too large anyway
        w = (int(m.group(2)) if len(m.group(2)) < 4000 else int(m.group(2)[:4000])) if m.group(2) is not None else h
        _checked(text, option, (h, w), minimum, maximum)
        return h, w

    parse.__name__ = option
    return parse


def _padding(text: str):
    if text in ("same", "valid"):
        return text
    return _pair("--padding", 0)(text)


SIZES = re.compile(r"\s*-?[0-9]+\s*(?:[x×,]\s*-?[0-9]+\s*){0,2}", re.ASCII)
# the paddings `shape` takes by name: torch's, TensorFlow's SAME (ONNX SAME_UPPER), ONNX SAME_LOWER, causal
PADDING_WORDS = {"same": "same", "valid": "valid", "tf-same": "same-upper", "same-upper": "same-upper",
                 "same-lower": "same-lower", "causal": "causal"}


def _sizes(option: str, minimum: int, maximum: Optional[int] = TORCH_INT):
    """One to three integers (N, HxW, DxHxW), as ``shape`` takes them for 1-D, 2-D and 3-D."""
    def parse(text: str) -> tuple[int, ...]:
        if not SIZES.fullmatch(text):
            raise argparse.ArgumentTypeError(f"{_quoted(text)} is not a size: give N, HxW or DxHxW (integers)")
        values = tuple(int(v.strip()[:4000]) for v in re.split(r"[x×,]", text))
        _checked(text, option, values, minimum, maximum)
        return values

    parse.__name__ = option
    return parse


class _Huge(int):
    """A number too long for int() (over 4,300 digits): refused as any other number but 1, 2 or 3."""


def _dims(text: str) -> int:
    """--dims as int() reads it (+3 is 3), and a number of 100,000 digits an invalid choice, as the
    explorer says (int() refuses it as "invalid int value" and quotes all of it)."""
    if len(text) > 4000 and re.fullmatch(r"\s*[-+]?[0-9]+\s*", text, re.ASCII):
        return _Huge(int(text.strip()[:4000]))
    return int(text)


_dims.__name__ = "int"


def _path(option: str):
    """argparse type: a path, refused in one line naming the option if it is empty (Path("") is
    the current folder) or holds a NUL character (no file name can)."""
    def parse(text: str) -> Path:
        if not text.strip():
            raise argparse.ArgumentTypeError(f"{_quoted(text)}: give a path")
        if "\0" in text:
            raise argparse.ArgumentTypeError(f"{_quoted(text)}: a path cannot hold a NUL character")
        return Path(text)

    parse.__name__ = option
    return parse


def _shape_padding(text: str):
    if text in PADDING_WORDS:
        return text
    return _sizes("--padding", 0)(text)


def _add_geometry(p: argparse.ArgumentParser, pool: bool = False) -> None:
    p.add_argument("--input", required=True, type=_pair("--input", 1), metavar="H[xW]")
    p.add_argument("--kernel", required=True, type=_pair("--kernel", 1), metavar="K[xK]")
    p.add_argument("--stride", type=_pair("--stride", 1), default=None if pool else (1, 1), metavar="S[xS]")
    p.add_argument("--padding", type=_padding, default=(0, 0), metavar="P[xP]",
                   help="integers, or same/valid for a convolution")
    p.add_argument("--dilation", type=_pair("--dilation", 1), default=(1, 1), metavar="D[xD]")
    p.add_argument("--output-padding", type=_pair("--output-padding", 0), default=(0, 0), metavar="A[xA]",
                   help="transposed convolution only")


def make_parser() -> Parser:
    parser = Parser(prog=PROG, description="Convolution figures drawn from torch's tensors.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    shape = sub.add_parser("shape", help="output size and its formula (no torch)")
    shape.add_argument("op", choices=SHAPE_OPS,
                       help="conv, transposed, max or avg pooling (pool is max)")
    shape.add_argument("--input", required=True, type=_sizes("--input", 1, TORCH_SIZE), metavar="[D×]H[×W]",
                       help="N (a square, or a length with --dims 1, a cube with --dims 3), HxW or DxHxW")
    shape.add_argument("--dims", type=_dims, choices=(1, 2, 3), default=None,
                       help="1-D, 2-D or 3-D (default: 3 for DxHxW, else 2)")
    shape.add_argument("--kernel", required=True, type=_sizes("--kernel", 1), metavar="K")
    shape.add_argument("--stride", type=_sizes("--stride", 1), default=None, metavar="S",
                       help="default 1 (pooling: the kernel)")
    shape.add_argument("--padding", type=_shape_padding, default=None, metavar="P",
                       help="integers; or same, valid (torch), tf-same = same-upper (TensorFlow, JAX, ONNX "
                            "SAME_UPPER), same-lower (ONNX), causal (1-D convolution)")
    shape.add_argument("--dilation", type=_sizes("--dilation", 1), default=None, metavar="D")
    shape.add_argument("--output-padding", type=_sizes("--output-padding", 0), default=None, metavar="A",
                       help="transposed convolution only")
    shape.add_argument("--ceil-mode", action="store_true", help="pooling only")
    shape.add_argument("--json", action="store_true", help="one JSON object")

    render = sub.add_parser("render", help="render one configuration as .gif, .webp, .png, .pdf, .svg, .mp4 or .webm")
    render.add_argument("kind", choices=("conv", "transposed", "max", "avg"),
                        help="a convolution, a transposed convolution, max or average pooling")
    _add_geometry(render, pool=True)
    render.add_argument("--ceil-mode", action="store_true", help="pooling only")
    render.add_argument("--values", choices=VALUES, default="arange")
    render.add_argument("--seed", type=_int("--seed", 0, MAX_SEED), default=0, help="for --values random")
    render.add_argument("--theme", choices=catalog.THEME_NAMES, default="light")
    render.add_argument("--strip", action="store_true", help="a PNG of every frame side by side")
    render.add_argument("--frame", type=_int("--frame", 0, 10**6), default=None, metavar="N",
                        help="step N (0 is the first) instead of the final frame (.png, .svg, .pdf)")
    render.add_argument("-o", "--output", type=_path("-o"), metavar="PATH",
                        help=".gif, .webp (lossless, the GIF's frames), .png (last step), .pdf (a page per step), "
                             ".svg (last step), .mp4, .webm")
    render.add_argument("--steps", type=_path("--steps"), metavar="DIR",
                        help="every step as its own file: DIR/NAME-01.png … (NAME is the folder's name)")
    render.add_argument("--format", choices=STEP_FORMATS, default=None,
                        help="with --steps: the files' format (default png)")

    build = sub.add_parser("build", help="render the whole catalog")
    build.add_argument("--out", type=_path("--out"), default=Path("build/figures"), metavar="DIR")
    build.add_argument("--jobs", type=_int("--jobs", 1, MAX_JOBS), default=os.cpu_count() or 1, metavar="N",
                       help=f"processes (1 to {MAX_JOBS}; never more than there are figures to render)")
    build.add_argument("--only", nargs="+", default=None, metavar="NAME")
    build.add_argument("--theme", choices=(*catalog.THEME_NAMES, "both"), default="both",
                       help="the light or the dark variants, or both (default)")
    build.add_argument("--format", choices=EXPORT_FORMATS, default=None,
                       help="instead of the site's files (GIF or PNG, WebP, step data, last step): webp (lossless), "
                            "pdf (a page per step), svg (the last step), mp4 or webm (animations only), png")
    build.add_argument("--steps", action="store_true",
                       help="every step as its own file, NAME-01.png … (--format png, svg or pdf)")

    sub.add_parser("list", help="the catalog: name, kind, configuration")

    receptive = sub.add_parser("receptive", help="receptive field at every stage of a network (torch.fx)")
    receptive.add_argument("model", metavar="MODEL",
                           help="a model of the zoo (alexnet, vgg16, resnet50, …) or module:function from the "
                                "current directory, returning an nn.Module (a single layer too). The module is "
                                "imported and the function and the model's forward are run, as `python FILE` "
                                "would run your code: give only code you trust")
    receptive.add_argument("--input", type=_pair("--input", 1), default=None, metavar="H[xW]",
                           help="input size (default: the paper's, 224 or 299)")
    receptive.add_argument("--json", action="store_true", help="every node: name, output size, r, J, P per axis")
    receptive.add_argument("--timeout", type=_number("--timeout", 1, 3600), default=60, metavar="SECONDS",
                           help="stop your code if importing it, building the model and tracing it take longer "
                                "(default 60)")
    return parser


def _number(option: str, low: int, high: int):
    """argparse type: an integer from low to high, or one line naming the option and the value."""
    def parse(text: str) -> int:
        value = _whole(text, signs="-+")
        if value is None:
            raise argparse.ArgumentTypeError(f"{_quoted(text)}: give a whole number of seconds")
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{_shown_number(value, text)}: give {low} to {high} seconds")
        return value
    parse.__name__ = option
    return parse


SHAPE_OPS = ("conv", "transposed", "max", "avg", "pool")
RENDER_FORMATS = ("gif", "webp", "png", "pdf", "svg", "mp4", "webm")
EXPORT_FORMATS = ("webp", "png", "pdf", "svg", "mp4", "webm")
STEP_FORMATS = ("png", "svg", "pdf")


def _shown(values: tuple) -> str:
    """Per-axis values as a message shows them: 2 for one axis, (2, 2) for two, (2, 2, 2) for three."""
    return str(values[0]) if len(values) == 1 else str(tuple(values))


def _per_axis_option(option: str, value, dims: int, default: int) -> tuple[int, ...]:
    if value is None:
        return (default,) * dims
    values = (value,) if isinstance(value, int) else tuple(value)
    if len(values) == 1:
        return values * dims
    if len(values) != dims:
        given = "x".join(map(str, values))
        allowed = f"1 or {dims}" if dims > 1 else "1"
        raise UsageError(f"{option} {given}: {len(values)} sizes for a {dims}-D configuration (give {allowed})")
    return values


def shape_of(op: str, input, kernel, stride=None, padding=None, dilation=None, output_padding=None,
             ceil_mode: bool = False, dims: Optional[int] = None) -> arith.Shape:
    """The verdict of ``shape`` on one configuration: the shape, or UsageError/ValueError with the
    one-line reason. Sizes are integers or tuples of 1 to 3 (one for every axis); ``dims`` is 1, 2
    or 3, by default 3 for three input sizes, else 2. ``padding`` may also be "same", "valid",
    "tf-same" = "same-upper", "same-lower" or "causal". The explorer page states the same reasons
    (tests/test_explore.py compares them)."""
    if op not in SHAPE_OPS:
        raise UsageError(f"op {_q(op)}: give one of {', '.join(SHAPE_OPS)}")
    sizes = (input,) if isinstance(input, int) else tuple(input)
    if dims is None:
        dims = 3 if len(sizes) == 3 else 2
    if dims not in (1, 2, 3):
        raise UsageError(f"--dims {dims}: give 1, 2 or 3")
    input = _per_axis_option("--input", sizes, dims, 1)
    kernel = _per_axis_option("--kernel", kernel, dims, 1)
    pooling = op in ("max", "avg", "pool")
    stride = _per_axis_option("--stride", stride, dims, 1) if stride is not None or not pooling else None
    if isinstance(padding, str):
        if padding not in PADDING_WORDS:
            raise UsageError(f"--padding {_q(padding)}: give integers or one of {', '.join(PADDING_WORDS)}")
        word, padding = padding, PADDING_WORDS[padding]
    else:
        padding = _per_axis_option("--padding", padding, dims, 0)
    dilation = _per_axis_option("--dilation", dilation, dims, 1)
    output_padding = _per_axis_option("--output-padding", output_padding, dims, 0)
    if pooling:
        if set(output_padding) != {0}:
            raise UsageError(f"--output-padding {_shown(output_padding)}: pooling has no output padding")
        if padding in ("same", "valid"):
            raise UsageError(f"--padding {padding}: pooling takes integer padding")
        if padding == "causal":
            raise UsageError("--padding causal: only a convolution is causal; pooling takes integer padding, "
                             "tf-same or same-lower")
        if op == "avg" and set(dilation) != {1}:
            raise UsageError(f"--dilation {_shown(dilation)}: average pooling has no dilation")
        if op == "avg" and isinstance(padding, str):
            raise UsageError(f"--padding {word}: TensorFlow's SAME average pooling leaves the padded cells out "
                             f"of each average, which F.pad and nn.AvgPool{dims}d cannot reproduce; give "
                             f"integer padding (or max pooling)")
        if ceil_mode and isinstance(padding, str):
            raise UsageError(f"--ceil-mode: --padding {word} already fixes the output at ⌈input / stride⌉")
        pool = {1: arith.pool1d, 2: arith.pool2d, 3: arith.pool3d}[dims]
        return pool(input, kernel, stride, padding, dilation, ceil_mode, average=op == "avg")
    if ceil_mode:
        raise UsageError("--ceil-mode: only pooling has a ceil mode")
    if op == "conv" and set(output_padding) != {0}:
        raise UsageError(f"--output-padding {_shown(output_padding)}: only a transposed convolution has one")
    if op == "transposed" and isinstance(padding, str):
        raise UsageError(f"--padding {word}: a transposed convolution takes integer padding")
    if padding == "causal" and dims != 1:
        raise UsageError(f"--padding causal: only a 1-D convolution is causal (--dims 1), and this one is {dims}-D")
    if op == "conv":
        return {1: arith.conv1d, 2: arith.conv2d, 3: arith.conv3d}[dims](input, kernel, stride, padding, dilation)
    transposed = {1: arith.conv_transpose1d, 2: arith.conv_transpose2d, 3: arith.conv_transpose3d}[dims]
    return transposed(input, kernel, stride, padding, dilation, output_padding)


def _arg(values: tuple) -> str:
    """A layer's argument as one writes it: 3 when every axis has 3, else (1, 3, 3)."""
    return str(values[0]) if len(set(values)) == 1 else str(tuple(values))


def pytorch_lines(op: str, shape: arith.Shape, kernel, stride, dilation) -> list[str]:
    """The PyTorch lines that reproduce a shape padded per side: F.pad, then the layer with
    padding=0 (max pooling pads with −∞)."""
    dims = len(shape.input)
    kernel, dilation = tuple(kernel), tuple(dilation)
    if stride is None:
        stride = kernel if op in ("max", "pool") else (1,) * dims
    stride = tuple(stride)
    flat = [n for before_after in reversed(shape.pads) for n in before_after]  # F.pad: last axis first
    fill = ', value=float("-inf")' if op in ("max", "pool") else ""
    args = [f"kernel_size={_arg(kernel)}"]
    if op in ("max", "pool") or set(stride) != {1}:
        args.append(f"stride={_arg(stride)}")
    args.append("padding=0")
    if set(dilation) != {1}:
        args.append(f"dilation={_arg(dilation)}")
    layer = f"nn.Conv{dims}d(C_in, C_out, " if op == "conv" else f"nn.MaxPool{dims}d("
    return [f"x = F.pad(x, ({', '.join(map(str, flat))}){fill})", f"y = {layer}{', '.join(args)})(x)"]


def _shape(args) -> int:
    result = shape_of(args.op, args.input, args.kernel, args.stride, args.padding, args.dilation,
                      args.output_padding, args.ceil_mode, args.dims)
    padding, lines = {}, []
    if result.pads:
        for axis, (before, after) in zip(result.axes, result.pads):
            first, second = arith.SIDES[axis]
            padding.update({first: before, second: after})
        dims = len(result.input)
        stride = args.stride and shape_of_option(args.stride, dims)
        lines = pytorch_lines(args.op, result, shape_of_option(args.kernel, dims), stride,
                              shape_of_option(args.dilation or (1,), dims))
    if args.json:
        data = {
            "op": args.op,
            "dims": len(result.input),
            "input": list(result.input),
            "output": list(result.output),
            "formula": dict(zip(result.axes, result.formulas)),
        }
        if padding:
            data.update(padding=padding, pytorch=lines)
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(result.describe())
        if padding:
            print("padding: " + ", ".join(f"{side} {n}" for side, n in padding.items()))
            print("\n".join(lines))
    return 0


def shape_of_option(values: tuple, dims: int) -> tuple[int, ...]:
    """An option's sizes, one per axis (a single size stands for every axis)."""
    return tuple(values) * dims if len(values) == 1 else tuple(values)


def _checked_shape(config: Config, draw: bool) -> arith.Shape:
    """The arithmetic's verdict; with ``draw``, also the limits of what a figure can draw."""
    if config.kind == "conv" and config.output_padding != (0, 0):
        raise UsageError(f"--output-padding {config.output_padding}: only a transposed convolution has one")
    if config.kind == "transposed" and isinstance(config.padding, str):
        raise UsageError(f"--padding {config.padding}: a transposed convolution takes integer padding")
    if config.ceil_mode and config.kind not in ("max", "avg"):
        raise UsageError("--ceil-mode: only pooling has a ceil mode")
    if draw:
        return config.check()
    if config.kind == "conv":
        return arith.conv2d(config.input, config.kernel, config.stride, config.padding, config.dilation)
    return arith.conv_transpose2d(config.input, config.kernel, config.stride, config.padding,
                                  config.dilation, config.output_padding)


def _render(args) -> int:
    if (args.output is None) == (args.steps is None):
        raise UsageError("give -o PATH (one file) or --steps DIR (a file per step), one of the two")
    if args.steps is not None:
        return _render_steps(args)
    if args.format is not None:
        raise UsageError(f"--format {args.format}: only with --steps; with -o the file name's ending is the format")
    out: Path = args.output
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in RENDER_FORMATS:
        raise UsageError(f"-o {_q(out)}: the file name must end in {', '.join('.' + f for f in RENDER_FORMATS)}")
    if args.strip and fmt != "png":
        raise UsageError(f"--strip: a frame strip is a PNG, but -o {_q(out)} ends in .{fmt}")
    if args.frame is not None and fmt not in STEP_FORMATS:
        raise UsageError(f"--frame {args.frame}: one step is a .png, .svg or .pdf, but -o {_q(out)} ends in .{fmt}")
    if args.frame is not None and args.strip:
        raise UsageError(f"--frame {args.frame}: a strip already shows every frame; give --strip or --frame")
    if out.is_dir():
        raise UsageError(f"-o {_q(out)}: is a folder; give a file name ending in .{fmt}")
    if not out.parent.is_dir():
        why = "is a file, not a folder" if out.parent.exists() else "does not exist"
        raise UsageError(f"-o {_q(out)}: the folder {_q(out.parent)} {why}")
    config = _config(args)
    from . import cache, export  # imports torch only when it renders

    if fmt in export.VIDEO_FORMATS and not export.video_writer_available():
        raise UsageError(f"-o {_q(out)}: a video needs the video extra: {export.VIDEO_EXTRA}")
    data = cache.load(config, args.theme, fmt, args.strip, args.frame)
    cache.write_atomic(out, data)
    print(out)
    return 0


def _config(args) -> Config:
    """The configuration ``render`` draws, checked (and within --frame's range)."""
    pooling = args.kind in ("max", "avg")
    stride = args.stride if args.stride is not None else (args.kernel if pooling else (1, 1))
    config = Config(args.kind, args.input, args.kernel, stride, args.padding, args.dilation,
                    args.output_padding, args.values, args.seed, args.ceil_mode)
    shape = _checked_shape(config, draw=True)
    steps = shape.output[0] * shape.output[1] + 1  # one frame per output cell, and the final one
    if args.frame is not None and args.frame >= steps:
        raise UsageError(f"--frame {args.frame}: this figure has frames 0 to {steps - 1}")
    return config


def _render_steps(args) -> int:
    folder: Path = args.steps
    fmt = args.format or "png"
    if args.strip or args.frame is not None:
        raise UsageError(f"{'--strip' if args.strip else '--frame'}: --steps already writes every step, one file each")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--steps {_q(folder)}: is a file; give a folder (it is made if it does not exist)")
    name = folder.resolve().name
    if not name:
        raise UsageError(f"--steps {_q(folder)}: give a folder with a name (it names the files: NAME-01.{fmt})")
    config = _config(args)
    from . import cache, render  # imports torch only when it renders

    made = render.step_files(config, args.theme, fmt)  # every step rendered before one is written
    for n, data in enumerate(made, 1):
        target = folder / catalog.step_filename(name, args.theme, n, len(made), fmt)
        cache.write_atomic(target, data)
    print(f"{len(made)} steps in {folder} ({catalog.step_filename(name, args.theme, 1, len(made), fmt)} …)")
    return 0


def _build(args) -> int:
    for name in args.only or ():
        if name not in catalog.BY_NAME:
            raise UsageError(f"--only {_q(name)}: no figure of that name (see: {PROG} list)")
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {_q(args.out)}: is a file, not a folder")
    from . import build

    if args.steps and args.format not in (None, *STEP_FORMATS):
        raise UsageError(f"--format {args.format}: --steps writes each step as png, svg or pdf")
    fmt = ("png" if args.steps else "site") if args.format is None else args.format
    if fmt in ("mp4", "webm"):
        from . import export

        if not export.video_writer_available():
            raise UsageError(f"--format {fmt}: a video needs the video extra: {export.VIDEO_EXTRA}")
    themes = catalog.THEME_NAMES if args.theme == "both" else (args.theme,)
    written = build.build(args.out, args.jobs, args.only, progress=sys.stderr.isatty(), themes=themes,
                          fmt=fmt, steps=args.steps)
    total = sum(p.stat().st_size for p in written)
    print(f"{len(written)} figures in {args.out} ({total:,} bytes)")
    return 0


@contextlib.contextmanager
def _time_limit(seconds: int, what: str):
    """Your code runs at most ``seconds``: then one line says so (a loop in it cannot hang us)."""
    class TimedOut(BaseException):  # not an Exception: the reader's own `except Exception` cannot swallow it
        pass

    def stop(signum, frame):
        raise TimedOut

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except TimedOut:
        whose = "your code" if ":" in what else "loading and tracing it"  # a zoo model runs none of the reader's code
        raise UsageError(f"{what}: {whose} did not finish within {seconds} s (--timeout {seconds})") from None
    except SystemExit as exit_:  # sys.exit() or exit() inside the reader's module, builder or forward
        raise UsageError(f"{what}: your code called sys.exit({exit_.code!r}); nothing was measured") from None
    except (KeyboardInterrupt, MemoryError):
        raise
    except BaseException as err:  # GeneratorExit and the like: not an Exception, so nothing in networks caught it
        if isinstance(err, Exception):
            raise
        raise UsageError(f"{what}: your code raised {type(err).__name__}; nothing was measured") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _receptive(args) -> int:
    from torch import nn

    from . import networks

    spec = f"model {_quoted(args.model)}"
    # what the reader's code prints goes to standard error: standard output stays the table (or the JSON)
    with _time_limit(args.timeout, spec), contextlib.redirect_stdout(sys.stderr):
        name, model, size, stages = networks.load(args.model)
        if not any(isinstance(m, _spatial_layers()) for m in model.modules()):
            raise UsageError(f"{spec}: has no convolution or pooling layer, so nothing in it has a receptive field")
        if not list(model.children()):  # a single layer: the model is that layer
            model = nn.Sequential(OrderedDict([(type(model).__name__.lower(), model)]))
        size = args.input or ((size, size) if size else (224, 224))
        gm, found = networks.analyse(model, size)
        inputs = {n.name for n in gm.graph.nodes if n.op == "placeholder"}
        if all(f.node in inputs for f in found):
            raise UsageError(f"{spec}: its forward makes no feature map (a tensor with height and width): "
                             f"nothing in it has a receptive field")
    rows = stages or [(label, module) for label, module in networks.top_level(model)]
    outs = networks.module_outputs(gm, [module for _, module in rows], strict=stages is not None)
    by_node = {f.node: f for f in found}
    table = [(label, by_node[outs[module]]) for label, module in rows if outs.get(module) in by_node]
    if args.json:
        print(json.dumps({"model": name, "input": list(size),
                          "stages": [dict(label=label, **f.as_dict()) for label, f in table],
                          "nodes": [f.as_dict() for f in found]}, ensure_ascii=False, indent=1))
        return 0
    print(f"{name}, input {size[0]}×{size[1]}")
    print("\n".join(networks.table(table)))
    print("r: receptive field; J: effective stride; P: effective padding; cell u is centred on input cell "
          "u·J + centre")
    return 0


def _spatial_layers() -> tuple:
    from torch import nn

    return (nn.modules.conv._ConvNd, nn.modules.pooling._MaxPoolNd, nn.modules.pooling._AvgPoolNd,
            nn.modules.pooling._AdaptiveAvgPoolNd, nn.modules.pooling._AdaptiveMaxPoolNd)


def _list(args) -> int:
    for entry in catalog.CATALOG:
        print(entry.describe())
    return 0


def _q(value) -> str:
    """A value as a message quotes it: on one line, whatever it holds, and a long one (a path of
    100,000 characters) cut in the middle to 200."""
    text = str(value)
    if len(text) > 200:
        text = text[:140] + "…" + text[-59:]
    return repr(text) if not text.isprintable() or not text or " " in text else text


def _one_line(message: str) -> str:
    """A message is one line: control characters (a newline inside a value) are escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


def _system_error(err: OSError) -> str:
    """One line for a failure of the system: the path, and what the system said."""
    where = err.filename if err.filename is not None else "a file"
    reason = err.strerror or err.__class__.__name__
    return f"{where if where == 'standard output' else _q(where)}: {reason}" + (f" (→ {_q(err.filename2)})" if err.filename2 else "")


class _Stdout:
    """Standard output, naming itself in the error of a failed write (a full disk, /dev/full)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        try:
            return self.stream.write(text)
        except OSError as err:
            err.filename = err.filename or "standard output"
            raise

    def flush(self):
        try:
            self.stream.flush()
        except OSError as err:
            err.filename = err.filename or "standard output"
            raise

    def __getattr__(self, name):
        return getattr(self.stream, name)


def _quiet_after_closed_pipe() -> None:
    """The reader of our output went away (``list | head -1``): no error, as other tools behave. What
    is still buffered goes nowhere, so that Python's own flush at exit does not complain either."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())
    except (OSError, AttributeError, ValueError):
        pass


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = make_parser()
    real = sys.stdout
    sys.stdout = _Stdout(real)
    try:
        args = parser.parse_args(argv)
        commands = {"shape": _shape, "render": _render, "build": _build, "list": _list, "receptive": _receptive}
        status = commands[args.command](args)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        _quiet_after_closed_pipe()
        return 0
    except (UsageError, ValueError) as err:
        print(_one_line(f"{PROG}: error: {err}"), file=sys.stderr)
        return 2
    except OSError as err:  # the system refused: a read-only folder, a full disk, a folder for a file
        print(_one_line(f"{PROG}: error: {_system_error(err)}"), file=sys.stderr)
        return 1
    except MemoryError:
        print(f"{PROG}: error: out of memory", file=sys.stderr)
        return 1
    except RuntimeError as err:  # a worker process died (killed by the system)
        print(_one_line(f"{PROG}: error: {err}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing half-written was left", file=sys.stderr)
        return 130
    finally:
        sys.stdout = real


if __name__ == "__main__":
    sys.exit(main())
