"""Convolution arithmetic: pure integer functions, no torch, no matplotlib.

This module is the one source of every output-size formula that the site prints.
Every function follows the same rules as PyTorch (the tests compare them with torch
over every parameter torch accepts) and returns the formula with its numbers filled in.

>>> conv_axis(5, kernel=3, stride=2, padding=1)
AxisSize(size=3, formula='⌊(5 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 3')
>>> conv_transpose_axis(3, kernel=3, stride=2, padding=1).formula
'(3 − 1)·2 − 2·1 + 1·(3 − 1) + 0 + 1 = 5'
>>> conv2d((224, 224), kernel=5, stride=2, padding=2).output
(112, 112)
>>> conv2d(4, kernel=3, padding=-1)
Traceback (most recent call last):
  ...
ValueError: padding=-1: padding must not be negative

TensorFlow's, Keras's and JAX's ``"SAME"`` (ONNX's ``SAME_UPPER``) pads ⌈i/s⌉ outputs' worth, the
extra cell after; ONNX's ``SAME_LOWER`` puts it before; a causal convolution pads before only:

>>> same_upper_padding(224, kernel=3, stride=2), same_lower_padding(224, kernel=3, stride=2)
((0, 1), (1, 0))
>>> conv2d(224, kernel=3, stride=2, padding="same-upper").output
(112, 112)
>>> conv1d(100, kernel=3, dilation=4, padding="causal").formulas
('⌊(100 + 8 + 0 − 4·(3 − 1) − 1) / 1⌋ + 1 = 100',)
>>> conv3d((16, 112, 112), kernel=3, stride=(1, 2, 2), padding=1).output
(16, 56, 56)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence, Union

IntOrPair = Union[int, Sequence[int]]

__all__ = [
    "AxisSize",
    "Shape",
    "conv_axis",
    "conv_transpose_axis",
    "pool_axis",
    "conv_axis_padded",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "pool1d",
    "pool2d",
    "pool3d",
    "same_padding",
    "same_upper_padding",
    "same_lower_padding",
    "causal_padding",
    "AXES",
    "SIDES",
    "transposed_of",
    "receptive_field_step",
]


@dataclass(frozen=True)
class AxisSize:
    """The output size along one axis, and the formula that gives it, numbers filled in."""

    size: int
    formula: str


# the axes of a 1-D, 2-D and 3-D operation (torch's names: L for a sequence, D×H×W for a volume)
AXES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}
SYMBOLS = {"length": "L", "depth": "D", "height": "H", "width": "W"}
# the two sides of each axis, in the axes' order (F.pad takes them last axis first)
SIDES = {"length": ("left", "right"), "depth": ("front", "back"), "height": ("top", "bottom"),
         "width": ("left", "right")}


@dataclass(frozen=True)
class Shape:
    """The output size of a 1-D, 2-D or 3-D operation, one size and one formula per axis
    (length; height, width; or depth, height, width). ``pads`` holds the (before, after)
    padding of each axis where the padding is per side ("same-upper", "same-lower", "causal",
    or pairs), else it is empty."""

    op: str
    input: tuple[int, ...]
    output: tuple[int, ...]
    formulas: tuple[str, ...]
    pads: tuple[tuple[int, int], ...] = ()

    @property
    def axes(self) -> tuple[str, ...]:
        return AXES[len(self.input)]

    def describe(self) -> str:
        """Human-readable lines: the sizes, then the formula of each axis (once if all are equal)."""
        lines = [f"{self.op}: {'×'.join(map(str, self.input))} → {'×'.join(map(str, self.output))}"]
        names = [f"{SYMBOLS[axis]}_out" for axis in self.axes]
        if len(set(self.formulas)) == 1:
            lines.append(f"{' = '.join(names)} = {self.formulas[0]}")
        else:
            lines.extend(f"{name} = {formula}" for name, formula in zip(names, self.formulas))
        return "\n".join(lines)


def _check_int(name: str, value: object, minimum: int, rule: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}={value!r}: {name} must be an integer")
    if value < minimum:
        raise ValueError(f"{name}={value}: {rule}")
    return value


def _check_common(i: int, k: int, s: int, d: int) -> None:
    _check_int("input", i, 1, "input size must be at least 1")
    _check_int("kernel", k, 1, "kernel size must be at least 1")
    _check_int("stride", s, 1, "stride must be at least 1")
    _check_int("dilation", d, 1, "dilation must be at least 1")


def _floor_div(a: int, b: int) -> int:
    return a // b  # Python rounds toward −∞, as torch's div_rtn does


def conv_axis(
    input: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> AxisSize:
    """Output size of a convolution along one axis.

    ``H_out = ⌊(H + 2p − d·(k − 1) − 1) / s⌋ + 1``

    >>> conv_axis(4, 3).size
    2
    >>> conv_axis(7, 3, dilation=2, padding=2).formula
    '⌊(7 + 2·2 − 2·(3 − 1) − 1) / 1⌋ + 1 = 7'
    >>> conv_axis(2, 3)
    Traceback (most recent call last):
      ...
    ValueError: kernel=3: the kernel spans 3 cells (d·(k − 1) + 1 with dilation=1), more than the padded input 2 (input 2 + 2·padding 0)
    """
    i, k, s, p, d = input, kernel, stride, padding, dilation
    _check_common(i, k, s, d)
    _check_int("padding", p, 0, "padding must not be negative")
    return _conv_axis_total_padding(i, k, s, 2 * p, d, f"2·{p}", f"2·padding {p}")


def _conv_axis_total_padding(
    i: int, k: int, s: int, total: int, d: int, shown: str, described: str
) -> AxisSize:
    span = d * (k - 1) + 1
    if span > i + total:
        raise ValueError(
            f"kernel={k}: the kernel spans {span} cells (d·(k − 1) + 1 with dilation={d}), "
            f"more than the padded input {i + total} (input {i} + {described})"
        )
    size = _floor_div(i + total - d * (k - 1) - 1, s) + 1
    formula = f"⌊({i} + {shown} − {d}·({k} − 1) − 1) / {s}⌋ + 1 = {size}"
    return AxisSize(size, formula)


def same_padding(kernel: int, dilation: int = 1) -> tuple[int, int]:
    """The padding that torch adds for ``padding="same"``: (before, after).

    The total is ``d·(k − 1)``; when it is odd, the extra cell goes after (bottom/right).

    >>> same_padding(3)
    (1, 1)
    >>> same_padding(4)
    (1, 2)
    """
    total = dilation * (kernel - 1)
    return total // 2, total - total // 2


def conv_axis_padded(
    input: int, kernel: int, stride: int = 1, before: int = 0, after: int = 0, dilation: int = 1
) -> AxisSize:
    """Output size of a convolution along one axis padded ``before`` and ``after`` (per side), as
    ``F.pad`` then a convolution with ``padding=0`` gives it.

    ``H_out = ⌊(H + before + after − d·(k − 1) − 1) / s⌋ + 1``

    >>> conv_axis_padded(224, 3, stride=2, before=0, after=1).formula
    '⌊(224 + 0 + 1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 112'
    >>> conv_axis_padded(2, 4, before=1, after=0)
    Traceback (most recent call last):
      ...
    ValueError: kernel=4: the kernel spans 4 cells (d·(k − 1) + 1 with dilation=1), more than the padded input 3 (input 2 + padding 1 + 0)
    """
    i, k, s, d = input, kernel, stride, dilation
    _check_common(i, k, s, d)
    _check_int("before", before, 0, "padding must not be negative")
    _check_int("after", after, 0, "padding must not be negative")
    return _conv_axis_total_padding(i, k, s, before + after, d, f"{before} + {after}", f"padding {before} + {after}")


def _same_total(input: int, kernel: int, stride: int, dilation: int) -> int:
    _check_common(input, kernel, stride, dilation)
    output = -(-input // stride)  # ⌈input / stride⌉
    return max(0, (output - 1) * stride + dilation * (kernel - 1) + 1 - input)


def same_upper_padding(input: int, kernel: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """TensorFlow's, Keras's and JAX's ``"SAME"``, ONNX's ``SAME_UPPER``: (before, after).

    The output has ⌈input / stride⌉ cells; the total padding is what that needs,
    ``max(0, (o − 1)·s + d·(k − 1) + 1 − i)``, and an odd cell goes after (bottom/right).

    >>> same_upper_padding(224, 3, stride=2)
    (0, 1)
    >>> same_upper_padding(5, 4)
    (1, 2)
    >>> same_upper_padding(7, 1, stride=3)
    (0, 0)
    """
    total = _same_total(input, kernel, stride, dilation)
    return total // 2, total - total // 2


def same_lower_padding(input: int, kernel: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """ONNX's ``SAME_LOWER``: the total of ``same_upper_padding``, the odd cell before (top/left).

    >>> same_lower_padding(224, 3, stride=2)
    (1, 0)
    """
    total = _same_total(input, kernel, stride, dilation)
    return total - total // 2, total // 2


def causal_padding(kernel: int, dilation: int = 1) -> tuple[int, int]:
    """A causal 1-D convolution (WaveNet, TCN, Keras's ``padding="causal"``): everything before,
    ``(d·(k − 1), 0)``, so that output t reads inputs t and earlier only.

    >>> causal_padding(3, dilation=4)
    (8, 0)
    """
    _check_common(1, kernel, 1, dilation)
    return dilation * (kernel - 1), 0


def conv_transpose_axis(
    input: int,
    kernel: int,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
    output_padding: int = 0,
) -> AxisSize:
    """Output size of a transposed convolution along one axis.

    ``H_out = (H − 1)·s − 2p + d·(k − 1) + a + 1``

    >>> conv_transpose_axis(16, 3, stride=2, padding=1, output_padding=1).size
    32
    >>> conv_transpose_axis(4, 3, stride=1, output_padding=1)
    Traceback (most recent call last):
      ...
    ValueError: output_padding=1: output_padding must be smaller than stride (1) or dilation (1)
    """
    i, k, s, p, d, a = input, kernel, stride, padding, dilation, output_padding
    _check_common(i, k, s, d)
    _check_int("padding", p, 0, "padding must not be negative")
    _check_int("output_padding", a, 0, "output_padding must not be negative")
    if a >= s and a >= d:
        raise ValueError(
            f"output_padding={a}: output_padding must be smaller than stride ({s}) or dilation ({d})"
        )
    size = (i - 1) * s - 2 * p + d * (k - 1) + a + 1
    formula = f"({i} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {a} + 1 = {size}"
    if size < 1:
        raise ValueError(
            f"padding={p}: the output would have {size} cells ({formula}); torch refuses an output of "
            f"fewer than 1 cell (\"Output size is too small\"), and so do we"
        )
    return AxisSize(size, formula)


def pool_axis(
    input: int,
    kernel: int,
    stride: int | None = None,
    padding: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> AxisSize:
    """Output size of max or average pooling along one axis (``stride`` defaults to ``kernel``).

    With ``ceil_mode`` the division rounds up, but a last window that would start in the
    right padding is dropped, as torch does.

    >>> pool_axis(5, 2).formula
    '⌊(5 + 2·0 − 1·(2 − 1) − 1) / 2⌋ + 1 = 2'
    >>> pool_axis(5, 2, ceil_mode=True).formula
    '⌈(5 + 2·0 − 1·(2 − 1) − 1) / 2⌉ + 1 = 3'
    >>> pool_axis(5, 3, padding=2)
    Traceback (most recent call last):
      ...
    ValueError: padding=2: padding must be at most half the kernel (3 // 2 = 1)
    """
    i, k, p, d = input, kernel, padding, dilation
    s = kernel if stride is None else stride
    _check_common(i, k, s, d)
    _check_int("padding", p, 0, "padding must not be negative")
    if p > k // 2:
        raise ValueError(f"padding={p}: padding must be at most half the kernel ({k} // 2 = {k // 2})")
    numerator = i + 2 * p - d * (k - 1) - 1
    if ceil_mode:
        size = _floor_div(numerator + s - 1, s) + 1
        if (size - 1) * s >= i + p:
            size -= 1
        brackets = "⌈⌉"
    else:
        size = _floor_div(numerator, s) + 1
        brackets = "⌊⌋"
    formula = f"{brackets[0]}({i} + 2·{p} − {d}·({k} − 1) − 1) / {s}{brackets[1]} + 1"
    if ceil_mode and size != _floor_div(numerator + s - 1, s) + 1:
        formula += f" − 1 = {size}  (the last window would start in the padding)"
    else:
        formula += f" = {size}"
    if size < 1:
        raise ValueError(
            f"kernel={k}: the output would have {size} cells ({formula}); it must be at least 1"
        )
    return AxisSize(size, formula)


# ------------------------------------------------------------------------ 1-D, 2-D, 3-D wrappers

SIDE_PADDINGS = ("same-upper", "same-lower", "causal")  # padded per side, as F.pad then padding=0 does


def _axes_tuple(name: str, value, dims: int) -> tuple:
    """One value per axis: an integer (the same on every axis) or exactly ``dims`` of them."""
    if isinstance(value, (list, tuple)):
        if len(value) != dims:
            axes = ", ".join(AXES[dims])
            shown = tuple(value)
            count = {2: "two", 3: "three"}.get(dims)
            raise ValueError(f"{name}={shown!r}: {name} must be one integer or {count} ({axes})"
                             if dims > 1 else f"{name}={shown!r}: {name} must be one integer (length)")
        return tuple(value)
    return (value,) * dims


def _pair(name: str, value: IntOrPair) -> tuple[int, int]:
    return _axes_tuple(name, value, 2)  # type: ignore[return-value]


def _per_axis(op: str, fn, input, dims: int, pads=(), **params) -> Shape:
    per_axis = {name: _axes_tuple(name, v, dims) if v is not None else (None,) * dims for name, v in params.items()}
    sizes = _axes_tuple("input", input, dims)
    results = []
    for axis, label in enumerate(AXES[dims]):
        kwargs = {name: values[axis] for name, values in per_axis.items()}
        try:
            results.append(fn(sizes[axis], **kwargs))
        except ValueError as err:
            same = len(set(sizes)) == 1 and all(len(set(values)) == 1 for values in per_axis.values())
            if same or dims == 1:
                raise
            raise ValueError(f"{err} ({label})") from None
    return Shape(op, sizes, tuple(r.size for r in results), tuple(r.formula for r in results), tuple(pads))


PaddingArg = Union[int, Sequence[int], Sequence[Sequence[int]],
                   Literal["same", "valid", "same-upper", "same-lower", "causal"]]


def _conv(op: str, dims: int, input, kernel, stride, padding, dilation) -> Shape:
    if isinstance(padding, str):
        if padding == "valid":
            return _per_axis(op, conv_axis, input, dims, kernel=kernel, stride=stride, padding=0, dilation=dilation)
        if padding == "same":
            strides = _axes_tuple("stride", stride, dims)
            if set(strides) != {1}:
                shown = strides if dims > 1 else strides[0]
                raise ValueError(f"padding='same': torch supports it only with stride 1, got stride={shown}")
            return _per_axis(op, _conv_axis_same, input, dims, kernel=kernel, dilation=dilation)
        if padding not in SIDE_PADDINGS:
            raise ValueError(f"padding={padding!r}: padding must be an integer, {'a pair' if dims == 2 else 'one per axis'}, "
                             f"pairs (before, after), 'same', 'valid', 'same-upper', 'same-lower' or 'causal'")
        if padding == "causal" and dims != 1:
            raise ValueError(f"padding='causal': only a 1-D convolution is causal (it pads the past, before the "
                             f"first cell), and this one is {dims}-D")
    pads = side_paddings(padding, input, kernel, stride, dilation, dims)
    if pads is None:
        return _per_axis(op, conv_axis, input, dims, kernel=kernel, stride=stride, padding=padding, dilation=dilation)
    befores, afters = tuple(p[0] for p in pads), tuple(p[1] for p in pads)
    return _per_axis(op, conv_axis_padded, input, dims, pads=pads, kernel=kernel, stride=stride,
                     before=befores, after=afters, dilation=dilation)


def side_paddings(padding, input, kernel, stride=1, dilation=1, dims: int = 2):
    """The (before, after) padding of each axis for "same-upper", "same-lower", "causal" or
    pairs; None for symmetric padding (an integer per axis, "same", "valid").

    >>> side_paddings("same-upper", (5, 224), 3, stride=2)
    ((1, 1), (0, 1))
    >>> side_paddings(((2, 0), (1, 1)), 5, 3)
    ((2, 0), (1, 1))
    """
    if isinstance(padding, str):
        if padding not in SIDE_PADDINGS:
            return None
        sizes = _axes_tuple("input", input, dims)
        kernels = _axes_tuple("kernel", kernel, dims)
        strides = _axes_tuple("stride", stride, dims)
        dilations = _axes_tuple("dilation", dilation, dims)
        pads = []
        for i, k, s, d in zip(sizes, kernels, strides, dilations):
            if padding == "causal":
                pads.append(causal_padding(k, d))
            elif padding == "same-upper":
                pads.append(same_upper_padding(i, k, s, d))
            else:
                pads.append(same_lower_padding(i, k, s, d))
        return tuple(pads)
    if isinstance(padding, (list, tuple)) and any(isinstance(p, (list, tuple)) for p in padding):
        pairs = _axes_tuple("padding", padding, dims)
        for pair in pairs:
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise ValueError(f"padding={tuple(padding)!r}: give one (before, after) pair per axis")
        return tuple((pair[0], pair[1]) for pair in pairs)
    return None


def conv1d(input: int, kernel: int, stride: int = 1, padding: PaddingArg = 0, dilation: int = 1) -> Shape:
    """Output size of ``torch.nn.Conv1d`` (padding: an int, "same", "valid", "causal",
    "same-upper", "same-lower" or ((before, after),)).

    >>> conv1d(100, kernel=5, stride=2).output
    (48,)
    >>> conv1d(100, kernel=3, dilation=2, padding="causal").pads
    ((4, 0),)
    """
    return _conv("conv", 1, input, kernel, stride, padding, dilation)


def conv2d(
    input: IntOrPair,
    kernel: IntOrPair,
    stride: IntOrPair = 1,
    padding: PaddingArg = 0,
    dilation: IntOrPair = 1,
) -> Shape:
    """Output size of ``torch.nn.Conv2d`` (padding may be an int, a pair, "same" or "valid";
    or per side: "same-upper", "same-lower", or a (before, after) pair per axis).

    >>> conv2d((6, 6), kernel=3, stride=2, padding=1).output
    (3, 3)
    >>> conv2d((5, 8), kernel=4, padding="same").output
    (5, 8)
    >>> conv2d(8, kernel=3, stride=2, padding="same")
    Traceback (most recent call last):
      ...
    ValueError: padding='same': torch supports it only with stride 1, got stride=(2, 2)
    >>> conv2d(224, kernel=3, stride=2, padding="same-lower").pads
    ((1, 0), (1, 0))
    """
    return _conv("conv", 2, input, kernel, stride, padding, dilation)


def conv3d(input, kernel, stride=1, padding: PaddingArg = 0, dilation=1) -> Shape:
    """Output size of ``torch.nn.Conv3d`` (depth, height, width; padding as for conv2d).

    >>> conv3d((16, 112, 112), kernel=(3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3)).output
    (16, 56, 56)
    """
    return _conv("conv", 3, input, kernel, stride, padding, dilation)


def _conv_axis_same(input: int, kernel: int, dilation: int = 1) -> AxisSize:
    _check_common(input, kernel, 1, dilation)
    before, after = same_padding(kernel, dilation)
    return _conv_axis_total_padding(
        input, kernel, 1, before + after, dilation, f"{before} + {after}", f"padding {before} + {after}"
    )


def _conv_transpose(dims: int, input, kernel, stride, padding, dilation, output_padding) -> Shape:
    if isinstance(padding, str):
        raise ValueError(f"padding={padding!r}: a transposed convolution takes integer padding")
    return _per_axis("transposed", conv_transpose_axis, input, dims, kernel=kernel, stride=stride,
                     padding=padding, dilation=dilation, output_padding=output_padding)


def conv_transpose1d(input: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1,
                     output_padding: int = 0) -> Shape:
    """Output size of ``torch.nn.ConvTranspose1d``.

    >>> conv_transpose1d(50, kernel=4, stride=2, padding=1).output
    (100,)
    """
    return _conv_transpose(1, input, kernel, stride, padding, dilation, output_padding)


def conv_transpose2d(
    input: IntOrPair,
    kernel: IntOrPair,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
    dilation: IntOrPair = 1,
    output_padding: IntOrPair = 0,
) -> Shape:
    """Output size of ``torch.nn.ConvTranspose2d``.

    >>> conv_transpose2d((2, 2), kernel=3, stride=2).output
    (5, 5)
    """
    return _conv_transpose(2, input, kernel, stride, padding, dilation, output_padding)


def conv_transpose3d(input, kernel, stride=1, padding=0, dilation=1, output_padding=0) -> Shape:
    """Output size of ``torch.nn.ConvTranspose3d``.

    >>> conv_transpose3d((8, 28, 28), kernel=(3, 4, 4), stride=(1, 2, 2), padding=1).output
    (8, 56, 56)
    """
    return _conv_transpose(3, input, kernel, stride, padding, dilation, output_padding)


def _pool(dims: int, input, kernel, stride, padding, dilation, ceil_mode: bool, average: bool = False) -> Shape:
    if average and set(_axes_tuple("dilation", dilation, dims)) != {1}:
        raise ValueError(f"dilation={dilation!r}: average pooling has no dilation")
    if isinstance(padding, str):
        if padding not in ("same-upper", "same-lower"):
            raise ValueError(f"padding={padding!r}: pooling takes integer padding, 'same-upper' or 'same-lower'")
        if ceil_mode:
            raise ValueError(f"ceil_mode=True: padding={padding!r} already fixes the output at ⌈input / stride⌉")
        strides = _axes_tuple("stride", kernel if stride is None else stride, dims)
        pads = side_paddings(padding, input, kernel, strides, dilation, dims)
        return _per_axis("pool", conv_axis_padded, input, dims, pads=pads, kernel=kernel, stride=strides,
                         before=tuple(p[0] for p in pads), after=tuple(p[1] for p in pads), dilation=dilation)
    def axis(i: int, **kw) -> AxisSize:
        size = pool_axis(i, ceil_mode=ceil_mode, **kw)
        if average and dims == 3 and i < kw["kernel"]:  # torch's AvgPool3d, padding or not
            raise ValueError(f"kernel={kw['kernel']}: AvgPool3d needs the input at least as large as the "
                             f"kernel on every axis, padding aside (input {i})")
        return size

    return _per_axis(
        "pool",
        axis,
        input,
        dims,
        kernel=kernel,
        stride=stride,
        padding=padding,
        dilation=dilation,
    )


def pool1d(input: int, kernel: int, stride: int | None = None, padding: int | str = 0, dilation: int = 1,
           ceil_mode: bool = False, average: bool = False) -> Shape:
    """Output size of ``MaxPool1d`` (and of ``AvgPool1d``: ``average=True``, no dilation).

    >>> pool1d(100, kernel=3, stride=2, ceil_mode=True).output
    (50,)
    """
    return _pool(1, input, kernel, stride, padding, dilation, ceil_mode, average)


def pool2d(
    input: IntOrPair,
    kernel: IntOrPair,
    stride: IntOrPair | None = None,
    padding: IntOrPair | str = 0,
    dilation: IntOrPair = 1,
    ceil_mode: bool = False,
    average: bool = False,
) -> Shape:
    """Output size of ``MaxPool2d`` (and of ``AvgPool2d``: ``average=True``, no dilation). With
    ``padding="same-upper"`` (TensorFlow's and JAX's "SAME") or "same-lower" (ONNX), the size of
    max pooling over the input padded per side (with −∞, ``F.pad`` then ``padding=0``).

    >>> pool2d((5, 5), kernel=2, ceil_mode=True).output
    (3, 3)
    >>> pool2d(112, kernel=3, stride=2, padding="same-upper").pads
    ((0, 1), (0, 1))
    """
    return _pool(2, input, kernel, stride, padding, dilation, ceil_mode, average)


def pool3d(input, kernel, stride=None, padding=0, dilation=1, ceil_mode: bool = False, average: bool = False) -> Shape:
    """Output size of ``MaxPool3d``, and with ``average=True`` of ``AvgPool3d`` (no dilation, and
    torch's AvgPool3d also refuses an input smaller than the kernel on any axis, padding aside).

    >>> pool3d((16, 56, 56), kernel=(1, 3, 3), stride=(1, 2, 2), padding=(0, 1, 1)).output
    (16, 28, 28)
    >>> pool3d((16, 56, 2), kernel=3, padding=1, average=True)
    Traceback (most recent call last):
      ...
    ValueError: kernel=3: AvgPool3d needs the input at least as large as the kernel on every axis, padding aside (input 2) (width)
    """
    return _pool(3, input, kernel, stride, padding, dilation, ceil_mode, average)


def transposed_of(
    input: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> tuple[int, int]:
    """The transposed convolution that undoes the shape of a convolution along one axis.

    Returns ``(o, a)``: the convolution's output size ``o`` (the transposed one's input) and the
    output padding ``a = (i + 2p − d·(k − 1) − 1) mod s`` that brings it back to ``i``.

    >>> transposed_of(6, 3, stride=2, padding=1)
    (3, 1)
    >>> conv_transpose_axis(3, 3, stride=2, padding=1, output_padding=1).size
    6
    """
    o = conv_axis(input, kernel, stride, padding, dilation).size
    a = (input + 2 * padding - dilation * (kernel - 1) - 1) % stride
    return o, a


def receptive_field_step(
    r: int, j: int, kernel: int, stride: int = 1, dilation: int = 1
) -> tuple[int, int]:
    """One step of the receptive-field recursion: ``r' = r + d·(k − 1)·j``, ``j' = j·s``.

    >>> r, j = 1, 1
    >>> for _ in range(3):
    ...     r, j = receptive_field_step(r, j, kernel=3)
    >>> r, j
    (7, 1)
    """
    _check_common(1, kernel, stride, dilation)
    return r + dilation * (kernel - 1) * j, j * stride
