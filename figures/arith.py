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
    "conv2d",
    "conv_transpose2d",
    "pool2d",
    "same_padding",
    "transposed_of",
    "receptive_field_step",
]


@dataclass(frozen=True)
class AxisSize:
    """The output size along one axis, and the formula that gives it, numbers filled in."""

    size: int
    formula: str


@dataclass(frozen=True)
class Shape:
    """The output size of a 2-D operation: (height, width), with one formula per axis."""

    op: str
    input: tuple[int, int]
    output: tuple[int, int]
    formulas: tuple[str, str]

    def describe(self) -> str:
        """Human-readable lines: the sizes, then the formula of each axis (once if equal)."""
        h, w = self.input
        oh, ow = self.output
        lines = [f"{self.op}: {h}×{w} → {oh}×{ow}"]
        if self.formulas[0] == self.formulas[1]:
            lines.append(f"H_out = W_out = {self.formulas[0]}")
        else:
            lines.append(f"H_out = {self.formulas[0]}")
            lines.append(f"W_out = {self.formulas[1]}")
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


# ----------------------------------------------------------------------------- 2-D wrappers

def _pair(name: str, value: IntOrPair) -> tuple[int, int]:
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ValueError(f"{name}={tuple(value)!r}: {name} must be one integer or two (height, width)")
        return int(value[0]), int(value[1])
    return value, value  # type: ignore[return-value]


def _per_axis(op: str, fn, input: IntOrPair, **params) -> Shape:
    pairs = {name: _pair(name, v) if v is not None else (None, None) for name, v in params.items()}
    hw = _pair("input", input)
    results = []
    for axis, label in enumerate(("height", "width")):
        kwargs = {name: pair[axis] for name, pair in pairs.items()}
        try:
            results.append(fn(hw[axis], **kwargs))
        except ValueError as err:
            same = hw[0] == hw[1] and all(pair[0] == pair[1] for pair in pairs.values())
            if same:
                raise
            raise ValueError(f"{err} ({label})") from None
    return Shape(op, hw, (results[0].size, results[1].size), (results[0].formula, results[1].formula))


PaddingArg = Union[int, Sequence[int], Literal["same", "valid"]]


def conv2d(
    input: IntOrPair,
    kernel: IntOrPair,
    stride: IntOrPair = 1,
    padding: PaddingArg = 0,
    dilation: IntOrPair = 1,
) -> Shape:
    """Output size of ``torch.nn.Conv2d`` (padding may be an int, a pair, "same" or "valid").

    >>> conv2d((6, 6), kernel=3, stride=2, padding=1).output
    (3, 3)
    >>> conv2d((5, 8), kernel=4, padding="same").output
    (5, 8)
    >>> conv2d(8, kernel=3, stride=2, padding="same")
    Traceback (most recent call last):
      ...
    ValueError: padding='same': torch supports it only with stride 1, got stride=(2, 2)
    """
    if isinstance(padding, str):
        if padding == "valid":
            return _per_axis("conv", conv_axis, input, kernel=kernel, stride=stride, padding=0, dilation=dilation)
        if padding != "same":
            raise ValueError(f"padding={padding!r}: padding must be an integer, a pair, 'same' or 'valid'")
        strides = _pair("stride", stride)
        if strides != (1, 1):
            raise ValueError(f"padding='same': torch supports it only with stride 1, got stride={strides}")
        return _per_axis("conv", _conv_axis_same, input, kernel=kernel, dilation=dilation)
    return _per_axis("conv", conv_axis, input, kernel=kernel, stride=stride, padding=padding, dilation=dilation)


def _conv_axis_same(input: int, kernel: int, dilation: int = 1) -> AxisSize:
    _check_common(input, kernel, 1, dilation)
    before, after = same_padding(kernel, dilation)
    return _conv_axis_total_padding(
        input, kernel, 1, before + after, dilation, f"{before} + {after}", f"padding {before} + {after}"
    )


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
    return _per_axis(
        "transposed",
        conv_transpose_axis,
        input,
        kernel=kernel,
        stride=stride,
        padding=padding,
        dilation=dilation,
        output_padding=output_padding,
    )


def pool2d(
    input: IntOrPair,
    kernel: IntOrPair,
    stride: IntOrPair | None = None,
    padding: IntOrPair = 0,
    dilation: IntOrPair = 1,
    ceil_mode: bool = False,
) -> Shape:
    """Output size of ``MaxPool2d`` (and of ``AvgPool2d`` with ``dilation=1``).

    >>> pool2d((5, 5), kernel=2, ceil_mode=True).output
    (3, 3)
    """
    shape = _per_axis(
        "pool",
        lambda i, **kw: pool_axis(i, ceil_mode=ceil_mode, **kw),
        input,
        kernel=kernel,
        stride=stride,
        padding=padding,
        dilation=dilation,
    )
    return shape


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
