"""``python -m figures``: shapes, single figures and the whole catalog from the command line.

    python -m figures shape conv --input 5 --kernel 3 --stride 2 --padding 1
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
import json
import os
import re
import sys
from pathlib import Path
from typing import Optional, Sequence

from . import arith, catalog
from .config import MAX_SEED, VALUES, Config

PROG = "python -m figures"


class UsageError(Exception):
    """Bad input: reported as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block
        raise UsageError(message)


# sizes and counts are ASCII digits only (Python's int() would also take "５" or "٣")
SIZE = re.compile(r"\s*(-?[0-9]+)\s*(?:[x×,]\s*(-?[0-9]+)\s*)?", re.ASCII)
MAX_JOBS = max(64, os.cpu_count() or 1)


def _int(option: str, minimum: int, maximum: int):
    def parse(text: str) -> int:
        if not re.fullmatch(r"\s*-?[0-9]+\s*", text, re.ASCII):
            raise argparse.ArgumentTypeError(f"{option} {text!r}: not an integer (digits 0-9 only)")
        value = int(text)
        if not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(f"{option} {value}: give an integer from {minimum} to {maximum}")
        return value

    parse.__name__ = option
    return parse


def _pair(option: str, minimum: int):
    def parse(text: str) -> tuple[int, int]:
        m = SIZE.fullmatch(text)
        if not m:
            raise argparse.ArgumentTypeError(f"{text!r} is not a size: give N or HxW (integers)")
        h = int(m.group(1))
        w = int(m.group(2)) if m.group(2) is not None else h
        for v in (h, w):
            if v < minimum:
                rule = "positive" if minimum == 1 else "0 or more"
                raise argparse.ArgumentTypeError(f"{text!r}: {v} is not allowed, {option} must be {rule}")
        return h, w

    parse.__name__ = option
    return parse


def _padding(text: str):
    if text in ("same", "valid"):
        return text
    return _pair("--padding", 0)(text)


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
    _add_geometry(shape, pool=True)
    shape.add_argument("--ceil-mode", action="store_true", help="pooling only")
    shape.add_argument("--json", action="store_true", help="one JSON object")

    render = sub.add_parser("render", help="render one configuration as .gif, .png, .pdf, .svg, .mp4 or .webm")
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
    render.add_argument("-o", "--output", type=Path, metavar="PATH",
                        help=".gif, .png (last step), .pdf (a page per step), .svg (last step), .mp4, .webm")
    render.add_argument("--steps", type=Path, metavar="DIR",
                        help="every step as its own file: DIR/NAME-01.png … (NAME is the folder's name)")
    render.add_argument("--format", choices=STEP_FORMATS, default=None,
                        help="with --steps: the files' format (default png)")

    build = sub.add_parser("build", help="render the whole catalog")
    build.add_argument("--out", type=Path, default=Path("build/figures"), metavar="DIR")
    build.add_argument("--jobs", type=_int("--jobs", 1, MAX_JOBS), default=os.cpu_count() or 1, metavar="N",
                       help=f"processes (1 to {MAX_JOBS}; never more than there are figures to render)")
    build.add_argument("--only", nargs="+", default=None, metavar="NAME")
    build.add_argument("--theme", choices=(*catalog.THEME_NAMES, "both"), default="both",
                       help="the light or the dark variants, or both (default)")
    build.add_argument("--format", choices=EXPORT_FORMATS, default=None,
                       help="instead of the site's files (GIF or PNG, step data, last step): pdf (a page per "
                            "step), svg (the last step), mp4 or webm (animations only), png")
    build.add_argument("--steps", action="store_true",
                       help="every step as its own file, NAME-01.png … (--format png, svg or pdf)")

    sub.add_parser("list", help="the catalog: name, kind, configuration")

    receptive = sub.add_parser("receptive", help="receptive field at every stage of a network (torch.fx)")
    receptive.add_argument("model", metavar="MODEL",
                           help="a model of the zoo (alexnet, vgg16, resnet50, …) or module:function from the "
                                "current directory, returning an nn.Module")
    receptive.add_argument("--input", type=_pair("--input", 1), default=None, metavar="H[xW]",
                           help="input size (default: the paper's, 224 or 299)")
    receptive.add_argument("--json", action="store_true", help="every node: name, output size, r, J, P per axis")
    return parser


SHAPE_OPS = ("conv", "transposed", "max", "avg", "pool")
RENDER_FORMATS = ("gif", "png", "pdf", "svg", "mp4", "webm")
EXPORT_FORMATS = ("png", "pdf", "svg", "mp4", "webm")
STEP_FORMATS = ("png", "svg", "pdf")


def shape_of(op: str, input, kernel, stride=None, padding=(0, 0), dilation=(1, 1), output_padding=(0, 0),
             ceil_mode: bool = False) -> arith.Shape:
    """The verdict of ``shape`` on one configuration (parsed pairs, or "same"/"valid" padding):
    the shape, or UsageError/ValueError with the one-line reason. The explorer page states the
    same reasons (tests/test_explore.py compares them)."""
    if op not in SHAPE_OPS:
        raise UsageError(f"op {_q(op)}: give one of {', '.join(SHAPE_OPS)}")
    if op in ("max", "avg", "pool"):
        if output_padding != (0, 0):
            raise UsageError(f"--output-padding {output_padding}: pooling has no output padding")
        if isinstance(padding, str):
            raise UsageError(f"--padding {padding}: pooling takes integer padding")
        if op == "avg" and dilation != (1, 1):
            raise UsageError(f"--dilation {dilation}: average pooling has no dilation")
        return arith.pool2d(input, kernel, stride, padding, dilation, ceil_mode)
    if ceil_mode:
        raise UsageError("--ceil-mode: only pooling has a ceil mode")
    config = Config(op, input, kernel, stride or (1, 1), padding, dilation, output_padding)
    return _checked_shape(config, draw=False)


def _shape(args) -> int:
    result = shape_of(args.op, args.input, args.kernel, args.stride, args.padding, args.dilation,
                      args.output_padding, args.ceil_mode)
    if args.json:
        print(json.dumps({
            "op": args.op,
            "input": list(result.input),
            "output": list(result.output),
            "formula": {"height": result.formulas[0], "width": result.formulas[1]},
        }, ensure_ascii=False))
    else:
        print(result.describe())
    return 0


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
        raise UsageError(f"-o {_q(out)}: the folder {_q(out.parent)} does not exist")
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


def _receptive(args) -> int:
    from . import networks

    name, model, size, stages = networks.load(args.model)
    size = args.input or ((size, size) if size else (224, 224))
    gm, found = networks.analyse(model, size)
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


def _list(args) -> int:
    for entry in catalog.CATALOG:
        print(entry.describe())
    return 0


def _q(value) -> str:
    """A value as a message quotes it: on one line, whatever it holds."""
    text = str(value)
    return repr(text) if not text.isprintable() or not text or " " in text else text


def _one_line(message: str) -> str:
    """A message is one line: control characters (a newline inside a value) are escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


def _system_error(err: OSError) -> str:
    """One line for a failure of the system: the path, and what the system said."""
    where = err.filename if err.filename is not None else "a file"
    reason = err.strerror or err.__class__.__name__
    return f"{_q(where)}: {reason}" + (f" (→ {_q(err.filename2)})" if err.filename2 else "")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
        commands = {"shape": _shape, "render": _render, "build": _build, "list": _list, "receptive": _receptive}
        return commands[args.command](args)
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


if __name__ == "__main__":
    sys.exit(main())
