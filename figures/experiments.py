"""Experiments: run the real torch operation and record what happened.

A figure is a view of these records, never a re-implementation that could drift: every
record checks itself against ``torch.nn.functional`` before it is returned.

>>> x = torch.tensor([[1., 2, 0, 0], [5, 3, 0, 4], [2, 1, 3, 1], [0, 2, 1, 2]])
>>> w = torch.tensor([[1., 0], [0, -1]])
>>> rec = record_conv(x, w)
>>> rec.output.tolist()
[[-2.0, 2.0, -4.0], [4.0, 0.0, -1.0], [0.0, 0.0, 1.0]]
>>> rec.windows[0].cells
((0, 0), (0, 1), (1, 0), (1, 1))
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, replace
from typing import Optional, Sequence, Union

import torch
import torch.nn.functional as F

from . import arith

Pair = tuple[int, int]
IntOrPair = Union[int, Sequence[int]]

# Roles of the cells of a grid that a convolution reads.
INPUT, PAD, ZERO = "input", "pad", "zero"

VALUE_KINDS = ("arange", "ones", "random")


def _pair(v: IntOrPair) -> Pair:
    if isinstance(v, (tuple, list)):
        return int(v[0]), int(v[1])
    return int(v), int(v)


@dataclass(frozen=True)
class Window:
    """One output cell and the cells of the (padded) grid that it read, in kernel order."""

    out: Pair
    cells: tuple[Pair, ...]
    values: tuple[float, ...]


@dataclass(frozen=True)
class ConvRecord:
    """A stride-s convolution of ``grid`` (already padded) with ``kernel``, recorded."""

    grid: torch.Tensor  # the grid the kernel slides over (padding included)
    roles: tuple[tuple[str, ...], ...]  # INPUT / PAD / ZERO for every cell of grid
    kernel: torch.Tensor  # the kernel as it is applied to the grid
    stride: Pair
    dilation: Pair
    windows: tuple[Window, ...]  # raster order of the output
    output: torch.Tensor
    input_shape: Pair = (0, 0)  # the input before padding (set by record_conv)
    padding: Union[Pair, str] = (0, 0)  # the padding as given to torch


@dataclass(frozen=True)
class TransposedRecord:
    """A transposed convolution, recorded as the equivalent stride-1 direct convolution."""

    input: torch.Tensor
    weight: torch.Tensor  # the kernel as the user gave it (before the 180° flip)
    stride: Pair
    padding: Pair
    dilation: Pair
    output_padding: Pair
    border: Pair  # d·(k − 1) − p zeros on each side (negative: that many cells cropped)
    direct: ConvRecord  # the zero-inserted, padded grid convolved with the flipped kernel

    @property
    def output(self) -> torch.Tensor:
        return self.direct.output


def make_values(kind: str, input_size: IntOrPair, kernel_size: IntOrPair, seed: int = 0):
    """The input and the kernel a figure shows, as float64 tensors with integer values.

    ``arange``: input 1, 2, …, H·W in reading order, kernel of ones (outputs are window sums);
    ``ones``: input and kernel of ones (outputs count how many cells each window covers);
    ``random``: input digits 0–9 and kernel −1, 0 or 1, from ``torch.manual_seed(seed)``.
    """
    h, w = _pair(input_size)
    kh, kw = _pair(kernel_size)
    if kind == "arange":
        x = torch.arange(1, h * w + 1, dtype=torch.float64).reshape(h, w)
        k = torch.ones(kh, kw, dtype=torch.float64)
    elif kind == "ones":
        x = torch.ones(h, w, dtype=torch.float64)
        k = torch.ones(kh, kw, dtype=torch.float64)
    elif kind == "random":
        gen = torch.Generator().manual_seed(seed)
        x = torch.randint(0, 10, (h, w), generator=gen).to(torch.float64)
        k = torch.randint(-1, 2, (kh, kw), generator=gen).to(torch.float64)
    else:
        raise ValueError(f"values={kind!r}: values must be one of {', '.join(VALUE_KINDS)}")
    return x, k


def _as_batch(t: torch.Tensor) -> torch.Tensor:
    return t.reshape(1, 1, *t.shape[-2:])


def _slide(grid: torch.Tensor, roles, kernel: torch.Tensor, stride: Pair, dilation: Pair) -> ConvRecord:
    """Slide ``kernel`` over ``grid`` (no padding added here), recording every window by unfold."""
    gh, gw = grid.shape
    kh, kw = kernel.shape
    index = torch.arange(gh * gw, dtype=torch.float64).reshape(gh, gw)
    cols_index = F.unfold(_as_batch(index), (kh, kw), dilation=dilation, stride=stride)[0]
    cols_value = F.unfold(_as_batch(grid), (kh, kw), dilation=dilation, stride=stride)[0]
    out = (kernel.reshape(1, -1) @ cols_value).reshape(-1)
    oh = arith.conv_axis(gh, kh, stride[0], 0, dilation[0]).size
    ow = arith.conv_axis(gw, kw, stride[1], 0, dilation[1]).size
    windows = []
    for n in range(oh * ow):
        cells = tuple(divmod(int(v), gw) for v in cols_index[:, n].tolist())
        windows.append(Window(divmod(n, ow), cells, tuple(cols_value[:, n].tolist())))
    output = out.reshape(oh, ow)
    torch_out = F.conv2d(_as_batch(grid), _as_batch(kernel), stride=stride, dilation=dilation)[0, 0]
    if not torch.allclose(output, torch_out):
        raise AssertionError("the recorded windows do not reproduce torch.nn.functional.conv2d")
    return ConvRecord(grid, roles, kernel, stride, dilation, tuple(windows), torch_out)


def record_conv(
    x: torch.Tensor,
    weight: torch.Tensor,
    stride: IntOrPair = 1,
    padding: Union[IntOrPair, str] = 0,
    dilation: IntOrPair = 1,
) -> ConvRecord:
    """Record ``F.conv2d(x, weight, stride, padding, dilation)`` window by window.

    ``x`` is (H, W) and ``weight`` (kH, kW). The padded grid, the cells every output read, and
    the output are recorded; the output is checked against ``F.conv2d`` on the unpadded input.
    """
    stride, dilation = _pair(stride), _pair(dilation)
    kh, kw = weight.shape
    if padding == "same":
        (top, bottom), (left, right) = (arith.same_padding(kh, dilation[0]), arith.same_padding(kw, dilation[1]))
    elif padding == "valid":
        top = bottom = left = right = 0
    else:
        (top, left) = _pair(padding)
        bottom, right = top, left
    arith.conv2d(tuple(x.shape), (kh, kw), stride, padding, dilation)  # same rules, same errors
    grid = F.pad(x, (left, right, top, bottom))
    mask = F.pad(torch.ones_like(x), (left, right, top, bottom))
    roles = tuple(tuple(INPUT if m else PAD for m in row) for row in mask.tolist())
    rec = _slide(grid, roles, weight, stride, dilation)
    rec = replace(rec, input_shape=tuple(x.shape), padding=padding if isinstance(padding, str) else (top, left))
    with warnings.catch_warnings():  # torch warns that "same" with an even kernel copies the input
        warnings.simplefilter("ignore", UserWarning)
        expected = F.conv2d(
            _as_batch(x), _as_batch(weight), stride=stride, padding=padding, dilation=dilation
        )[0, 0]
    if not torch.allclose(rec.output, expected):
        raise AssertionError("padding the input by hand does not reproduce torch's padding")
    return rec


def record_transposed(
    x: torch.Tensor,
    weight: torch.Tensor,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
    dilation: IntOrPair = 1,
    output_padding: IntOrPair = 0,
) -> TransposedRecord:
    """Record ``F.conv_transpose2d`` as the direct convolution it equals.

    Insert ``s − 1`` zeros between the inputs, pad ``d·(k − 1) − p`` zeros on each side (crop if
    that is negative) plus ``output_padding`` at the bottom and right, and convolve with stride 1,
    the same dilation and the kernel flipped by 180°. The result is checked against
    ``F.conv_transpose2d`` on the same tensors.
    """
    s, p, d, a = _pair(stride), _pair(padding), _pair(dilation), _pair(output_padding)
    kh, kw = weight.shape
    arith.conv_transpose2d(tuple(x.shape), (kh, kw), s, p, d, a)  # same rules, same errors
    h, w = x.shape
    zh, zw = (h - 1) * s[0] + 1, (w - 1) * s[1] + 1
    inserted = torch.zeros(zh, zw, dtype=x.dtype)
    inserted[:: s[0], :: s[1]] = x
    kind = torch.full((zh, zw), 1.0, dtype=torch.float64)  # 1 = inserted zero
    kind[:: s[0], :: s[1]] = 2.0  # 2 = input
    border = (d[0] * (kh - 1) - p[0], d[1] * (kw - 1) - p[1])
    pads = (border[1], border[1] + a[1], border[0], border[0] + a[0])  # negative pads crop
    grid = F.pad(inserted, pads)
    kinds = F.pad(kind, pads)  # 0 = padding
    roles = tuple(tuple({0.0: PAD, 1.0: ZERO, 2.0: INPUT}[v] for v in row) for row in kinds.tolist())
    flipped = torch.flip(weight, dims=(0, 1))
    direct = _slide(grid, roles, flipped, (1, 1), d)
    expected = F.conv_transpose2d(
        _as_batch(x), _as_batch(weight), stride=s, padding=p, output_padding=a, dilation=d
    )[0, 0]
    if not torch.allclose(direct.output, expected):
        raise AssertionError("zero insertion does not reproduce torch.nn.functional.conv_transpose2d")
    return TransposedRecord(x, weight, s, p, d, a, border, direct)


@dataclass(frozen=True)
class TraceRecord:
    """One output cell of a stack of convolutions, traced back by autograd: for the input and
    every layer's output, ∂y[cell]/∂(that map) with all weights 1 (so each value counts the
    paths from that cell to the output cell, and nothing cancels)."""

    sizes: tuple[Pair, ...]  # input, then every layer's output
    cell: Pair  # the traced cell of the last map
    gradients: tuple[torch.Tensor, ...]  # one per map, same order as sizes


def record_trace(input_size: IntOrPair, kernels: Sequence[int], strides: Sequence[int],
                 dilations: Sequence[int], cell: Optional[Pair] = None) -> TraceRecord:
    """Trace the centre (or ``cell``) of the last map of a stack of single-channel, unpadded
    convolutions back to the input, with autograd; checked against receptive.input_cells."""
    from . import receptive

    layers = [torch.nn.Conv2d(1, 1, k, stride=s, dilation=d, bias=False, dtype=torch.float64)
              for k, s, d in zip(kernels, strides, dilations)]
    with torch.no_grad():
        for layer in layers:
            layer.weight.fill_(1.0)
    x = torch.ones(1, 1, *_pair(input_size), dtype=torch.float64, requires_grad=True)
    maps = [x]
    for layer in layers:
        maps.append(layer(maps[-1]))
        maps[-1].retain_grad()
    h, w = maps[-1].shape[-2:]
    cell = cell if cell is not None else (h // 2, w // 2)
    maps[-1][0, 0, cell[0], cell[1]].backward()
    grads = tuple(m.grad[0, 0].detach().clone() for m in maps)
    rows, cols = receptive.input_cells(torch.nn.Sequential(*layers), tuple(x.shape[-2:]), cell)
    support = grads[0] != 0
    if not torch.equal(support, torch.outer(_mask(rows, support.shape[0]), _mask(cols, support.shape[1]))):
        raise AssertionError("autograd and receptive.input_cells disagree")
    return TraceRecord(tuple(tuple(m.shape[-2:]) for m in maps), cell, grads)


def _mask(indices, n: int) -> torch.Tensor:
    mask = torch.zeros(n, dtype=torch.bool)
    mask[sorted(indices)] = True
    return mask


@dataclass(frozen=True)
class ErfRecord:
    """The effective receptive field (Luo et al., 2016) of stacks of n 3×3 convolutions with
    uniform weights: the gradient of the centre output cell over the input, for every n."""

    depths: tuple[int, ...]
    size: int  # the input is size × size
    maps: tuple[torch.Tensor, ...]  # |∂y/∂x| of the centre cell, one per depth, summing to 1
    spread: tuple[float, ...]  # σ of each map along one axis, in cells
    theoretical: tuple[int, ...]  # the receptive-field size 2n + 1


def record_erf(depths: Sequence[int], size: int) -> ErfRecord:
    """Measure by autograd; σ is the standard deviation of the gradient along one axis."""
    maps, spreads, sizes = [], [], []
    for n in depths:
        layers = []
        for _ in range(n):
            conv = torch.nn.Conv2d(1, 1, 3, padding=1, bias=False, dtype=torch.float64)
            with torch.no_grad():
                conv.weight.fill_(1 / 9)
            layers.append(conv)
        x = torch.zeros(1, 1, size, size, dtype=torch.float64, requires_grad=True)
        y = torch.nn.Sequential(*layers)(x)
        y[0, 0, size // 2, size // 2].backward()
        g = x.grad[0, 0].abs()
        g = g / g.sum()
        profile = g.sum(dim=0)
        pos = torch.arange(size, dtype=torch.float64)
        mean = (profile * pos).sum()
        spreads.append(float(((profile * (pos - mean) ** 2).sum()).sqrt()))
        maps.append(g)
        sizes.append(2 * n + 1)
    return ErfRecord(tuple(depths), size, tuple(maps), tuple(spreads), tuple(sizes))


@dataclass(frozen=True)
class NetworkFieldRecord:
    """The receptive field of one cell of several stages of a real network, on a photograph:
    the closed form's window (figures.networks) and the gradient autograd measures for it."""

    image: torch.Tensor  # (H, W), the photograph, values 0 to 1
    labels: tuple[str, ...]  # the stages: layer1 …
    outputs: tuple[Pair, ...]  # each stage's output size
    cells: tuple[Pair, ...]  # the cell traced at each stage: the middle one
    windows: tuple[tuple[Pair, Pair], ...]  # the closed form's (first, last) input row and column
    sizes: tuple[int, ...]  # r
    gradients: tuple[torch.Tensor, ...]  # (H, W): |∂ cell / ∂ x| on the positive twin, max 1


@functools.lru_cache(maxsize=2)  # both themes of a figure from one measurement
def record_network_fields(name: str = "resnet18", size: int = 224) -> NetworkFieldRecord:
    """resnet18's ``layer1`` … ``layer4`` (figures.zoo; built on the meta device, measured on its
    positive twin): each stage's middle cell, its field by the closed form and by autograd. The
    record checks that the gradient is non-zero exactly on the closed form's window (clipped to
    the photograph)."""
    from . import networks, zoo

    with torch.device("meta"):
        model = zoo.MODELS[name]()
    stages = [(label, module) for label, module in zoo.STAGES[name] if label.startswith("layer")]
    rows = networks.stage_fields(model, size, stages)
    cells = {f.node: ((f.output[0] - 1) // 2, (f.output[1] - 1) // 2) for _, f in rows}
    grads = networks.gradients(model, size, cells)
    windows, maps = [], []
    for label, f in rows:
        (top, bottom), (left, right) = networks.window(f, cells[f.node])
        window = ((int(top), int(bottom)), (int(left), int(right)))
        g = grads[f.node]
        seen = torch.nonzero(g > 0)
        clipped = ((max(0, window[0][0]), min(size - 1, window[0][1])),
                   (max(0, window[1][0]), min(size - 1, window[1][1])))
        measured = ((int(seen[:, 0].min()), int(seen[:, 0].max())), (int(seen[:, 1].min()), int(seen[:, 1].max())))
        assert measured == clipped, f"{label}: autograd sees {measured}, the closed form {clipped}"
        windows.append(window)
        maps.append(g / g.max())
    return NetworkFieldRecord(photograph(size), tuple(label for label, _ in rows), tuple(f.output for _, f in rows),
                              tuple(cells[f.node] for _, f in rows), tuple(windows),
                              tuple(int(f.axes[0].size) for _, f in rows), tuple(maps))


def record_pool(x: torch.Tensor, mode: str, kernel: IntOrPair, stride: Optional[IntOrPair] = None,
                padding: IntOrPair = 0, dilation: IntOrPair = 1, ceil_mode: bool = False) -> ConvRecord:
    """Record ``F.max_pool2d`` or ``F.avg_pool2d`` window by window (``mode`` "max" or "avg").

    The grid is the input with its padding (−∞ for max pooling, 0 for average pooling, which
    counts it) and, with ``ceil_mode``, the cells a last window reaches past the padding: they
    belong to no window's sum (NaN; max: −∞). Every output is recomputed from its window and
    checked against torch.
    """
    k, d, p = _pair(kernel), _pair(dilation), _pair(padding)
    s = _pair(stride) if stride is not None else k
    shape = arith.pool2d(tuple(x.shape), k, s, p, d, ceil_mode)
    h, w = x.shape
    reach = [(o - 1) * st + dd * (kk - 1) + 1 for o, st, dd, kk in zip(shape.output, s, d, k)]
    extra = [max(0, r - (n + 2 * pp)) for r, n, pp in zip(reach, (h, w), p)]
    pad_value = float("-inf") if mode == "max" else 0.0
    beyond = float("-inf") if mode == "max" else float("nan")
    grid = torch.full((h + 2 * p[0] + extra[0], w + 2 * p[1] + extra[1]), beyond, dtype=torch.float64)
    grid[: h + 2 * p[0], : w + 2 * p[1]] = pad_value
    grid[p[0]: p[0] + h, p[1]: p[1] + w] = x
    roles = tuple(tuple(INPUT if p[0] <= r < p[0] + h and p[1] <= c < p[1] + w else PAD
                        for c in range(grid.shape[1])) for r in range(grid.shape[0]))
    gh, gw = grid.shape
    index = torch.arange(gh * gw, dtype=torch.float64).reshape(gh, gw)
    cols_index = F.unfold(_as_batch(index), k, dilation=d, stride=s)[0]
    n_out = shape.output[0] * shape.output[1]
    windows, values = [], []
    for n in range(n_out):
        cells = tuple(divmod(int(v), gw) for v in cols_index[:, n].tolist())
        vals = tuple(grid[c].item() for c in cells)
        windows.append(Window(divmod(n, shape.output[1]), cells, vals))
        if mode == "max":
            values.append(max(vals))
        else:  # count_include_pad: the padding counts, cells past it do not
            counted = [v for v in vals if v == v]
            values.append(sum(counted) / len(counted))
    output = torch.tensor(values, dtype=torch.float64).reshape(shape.output)
    if mode == "max":
        expected = F.max_pool2d(_as_batch(x), k, s, p, d, ceil_mode=ceil_mode)[0, 0]
    else:
        expected = F.avg_pool2d(_as_batch(x), k, s, p, ceil_mode=ceil_mode)[0, 0]
    if not torch.allclose(output, expected):
        raise AssertionError(f"the recorded windows do not reproduce {mode} pooling")
    return ConvRecord(grid, roles, torch.ones(k, dtype=torch.float64), s, d, tuple(windows), expected,
                      input_shape=tuple(x.shape), padding=p)


@dataclass(frozen=True)
class ShiftRecord:
    """A convolution of an input and of shifted copies of it: the feature map shifts with it."""

    kernel: torch.Tensor
    shifts: tuple[int, ...]  # columns to the right
    inputs: tuple[torch.Tensor, ...]
    outputs: tuple[torch.Tensor, ...]


def _shift_right(t: torch.Tensor, n: int) -> torch.Tensor:
    """``t`` moved ``n`` columns to the right, zeros entering on the left."""
    return F.pad(t, (n, 0))[:, : t.shape[1]] if n else t.clone()


def record_shift(shifts: Sequence[int] = (0, 2, 4)) -> ShiftRecord:
    """A small bright cross on a dark 7×11 input, convolved with the Sobel kernel for vertical
    edges, then the same input shifted right. Checked: conv(shift(x)) == shift(conv(x))."""
    x = torch.zeros(7, 11, dtype=torch.float64)
    x[2:5, 2:5] = torch.tensor([[0., 1, 0], [1, 2, 1], [0, 1, 0]])
    w = torch.tensor([[1., 0, -1], [2, 0, -2], [1, 0, -1]], dtype=torch.float64)
    y0 = F.conv2d(_as_batch(x), _as_batch(w))[0, 0]
    inputs, outputs = [], []
    for n in shifts:
        xs = _shift_right(x, n)
        ys = F.conv2d(_as_batch(xs), _as_batch(w))[0, 0]
        if not torch.equal(ys, _shift_right(y0, n)):
            raise AssertionError("the feature map of the shifted input is not the shifted feature map")
        inputs.append(xs)
        outputs.append(ys)
    return ShiftRecord(w, tuple(shifts), tuple(inputs), tuple(outputs))


@dataclass(frozen=True)
class AliasingRecord:
    """A 1-D signal that wraps around, and copies of it shifted right by ``shifts`` cells, each
    max-pooled with stride 2 (``pooled``) and pooled the anti-aliased way (``blurred``: max with
    stride 1, then the ``blur`` kernel with stride 2, as in Zhang 2019)."""

    blur: torch.Tensor
    shifts: tuple[int, ...]
    inputs: tuple[torch.Tensor, ...]
    pooled: tuple[torch.Tensor, ...]
    blurred: tuple[torch.Tensor, ...]


def max_pool_wrapped(x: torch.Tensor) -> torch.Tensor:
    """``F.max_pool1d(x, 2)`` of a 1-D signal of even length (its windows never wrap)."""
    return F.max_pool1d(x.reshape(1, 1, -1), 2)[0, 0]


def blur_pool_wrapped(x: torch.Tensor, blur: torch.Tensor) -> torch.Tensor:
    """Max over windows of 2 with stride 1, then ``blur`` (odd length, centred) with stride 2,
    on a signal that wraps around (circular padding)."""
    m = F.max_pool1d(F.pad(x.reshape(1, 1, -1), (0, 1), mode="circular"), 2, stride=1)
    half = (len(blur) - 1) // 2
    return F.conv1d(F.pad(m, (half, half), mode="circular"), blur.reshape(1, 1, -1), stride=2)[0, 0]


ALIASING_SIGNAL = (0., 0., 1., 1., 0., 0., 1., 1.)
ALIASING_BLUR = (0.25, 0.5, 0.25)  # [1, 2, 1] / 4


def record_aliasing(shifts: Sequence[int] = (0, 1, 2)) -> AliasingRecord:
    """The signal 0 0 1 1 0 0 1 1, rolled right by each shift, max-pooled with stride 2 and
    blur-pooled. Checked: rolled by 2 cells, both outputs roll by exactly 1; the blur-pooled
    output is also the stride-1 output subsampled (blur then subsample)."""
    x = torch.tensor(ALIASING_SIGNAL, dtype=torch.float64)
    blur = torch.tensor(ALIASING_BLUR, dtype=torch.float64)
    inputs, pooled, blurred = [], [], []
    for n in shifts:
        xs = torch.roll(x, n)
        y, z = max_pool_wrapped(xs), blur_pool_wrapped(xs, blur)
        dense = F.conv1d(F.pad(F.max_pool1d(F.pad(xs.reshape(1, 1, -1), (0, 1), mode="circular"), 2, stride=1),
                               (1, 1), mode="circular"), blur.reshape(1, 1, -1))[0, 0]
        if not torch.allclose(z, dense[::2]):
            raise AssertionError("the blur-pooled signal is not the blurred signal subsampled")
        inputs.append(xs)
        pooled.append(y)
        blurred.append(z)
    for n, y, z in zip(shifts, pooled, blurred):
        if n % 2 == 0 and not (torch.equal(y, torch.roll(pooled[0], n // 2))
                               and torch.allclose(z, torch.roll(blurred[0], n // 2))):
            raise AssertionError("an even shift does not move the pooled signal by half as many cells")
    return AliasingRecord(blur, tuple(shifts), tuple(inputs), tuple(pooled), tuple(blurred))


PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


@dataclass(frozen=True)
class PaddingModesRecord:
    input: torch.Tensor
    padding: int
    modes: tuple[str, ...]
    grids: tuple[torch.Tensor, ...]  # the input padded by each mode
    roles: tuple[tuple[str, ...], ...]  # INPUT or PAD, the same for every mode


def record_padding_modes(size: int = 4, padding: int = 2) -> PaddingModesRecord:
    """The input 1, 2, … padded by ``nn.Conv2d``'s four padding modes. Checked: a layer with
    that ``padding_mode`` computes exactly the unpadded convolution of the padded grid."""
    x = torch.arange(1, size * size + 1, dtype=torch.float64).reshape(size, size)
    grids = []
    for mode in PADDING_MODES:
        grid = F.pad(_as_batch(x), (padding,) * 4, mode="constant" if mode == "zeros" else mode)[0, 0]
        layer = torch.nn.Conv2d(1, 1, 3, padding=padding, padding_mode=mode, bias=False, dtype=torch.float64)
        with torch.no_grad():
            layer.weight.copy_(torch.arange(1., 10, dtype=torch.float64).reshape(1, 1, 3, 3))
            expected = layer(_as_batch(x))[0, 0]
        if not torch.equal(F.conv2d(_as_batch(grid), layer.weight)[0, 0], expected):
            raise AssertionError(f"padding_mode={mode!r}: F.pad does not reproduce the layer's padding")
        grids.append(grid)
    mask = F.pad(torch.ones_like(x), (padding,) * 4)
    roles = tuple(tuple(INPUT if m else PAD for m in row) for row in mask.tolist())
    return PaddingModesRecord(x, padding, PADDING_MODES, tuple(grids), roles)


def record_dilation_coverage(size: int = 7) -> tuple[ConvRecord, ConvRecord]:
    """A 3×3 kernel without and with dilation 2 on the same input; padding 1 for the dilated
    one, so that both outputs are 5×5 and every step centres both kernels on the same cell."""
    x, w = make_values("arange", size, 3)
    return record_conv(x, w, 1, 0, 1), record_conv(x, w, 1, 1, 2)


@dataclass(frozen=True)
class ChannelsRecord:
    """A convolution of a C-channel input with one output channel, channel by channel."""

    input: torch.Tensor  # (C, H, W)
    weight: torch.Tensor  # (C, kH, kW): the one kernel of the layer, [1, C, kH, kW] squeezed
    bias: float
    per_channel: tuple[ConvRecord, ...]  # X[c] ⊛ W[c], each a one-channel convolution
    output: torch.Tensor  # Σ per-channel outputs + bias


def record_channels(channels: int = 3, size: int = 4, kernel: int = 3, seed: int = 1,
                    bias: float = 1.0) -> ChannelsRecord:
    """``nn.Conv2d(C, 1, k)`` taken apart: the per-channel convolutions of its kernel, their sum
    and the bias; checked against the layer itself."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randint(0, 10, (channels, size, size), generator=gen).to(torch.float64)
    w = torch.randint(-1, 2, (channels, kernel, kernel), generator=gen).to(torch.float64)
    layer = torch.nn.Conv2d(channels, 1, kernel, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(w[None])
        layer.bias.fill_(bias)
        expected = layer(x[None])[0, 0]
    per_channel = tuple(record_conv(x[c], w[c]) for c in range(channels))
    output = sum(r.output for r in per_channel) + bias
    if not torch.equal(output, expected):
        raise AssertionError("the per-channel sums and the bias do not reproduce nn.Conv2d")
    return ChannelsRecord(x, w, bias, per_channel, expected)


EDGE_KERNELS = (  # hand-set: horizontal edges, vertical edges, and Sobel's two
    ((1., 1, 1), (0, 0, 0), (-1, -1, -1)),
    ((1., 0, -1), (1, 0, -1), (1, 0, -1)),
    ((1., 2, 1), (0, 0, 0), (-1, -2, -1)),
    ((1., 0, -1), (2, 0, -2), (1, 0, -1)),
)
BLUR = ((1., 2, 1), (2, 4, 2), (1, 2, 1))  # ÷ 16


def photograph(size: int = 144) -> torch.Tensor:
    """Grace Hopper's portrait, which matplotlib ships (no download): grey, cropped square around
    the face, reduced to ``size`` × ``size`` by area averaging; values 0 to 1, shape (H, W)."""
    from matplotlib import cbook
    from PIL import Image

    with cbook.get_sample_data("grace_hopper.jpg") as f, Image.open(f) as image:
        grey = torch.tensor(list(image.convert("L").getdata()), dtype=torch.float64).reshape(image.height, image.width)
    top = (grey.shape[0] - grey.shape[1]) // 3
    square = grey[top: top + grey.shape[1]] / 255
    return F.interpolate(square[None, None], size=(size, size), mode="area")[0, 0]


@dataclass(frozen=True)
class PhotoRecord:
    """A two-layer convolution of a photograph: hand-set edge kernels (padding 1, the size is
    kept), then a stride-2 blur per channel (groups = channels), which halves the maps."""

    image: torch.Tensor  # (H, W)
    kernels: torch.Tensor  # (4, 3, 3): the first layer's weight, [4, 1, 3, 3] squeezed
    edges: torch.Tensor  # (4, H, W): the first layer's output
    blur: torch.Tensor  # (3, 3): the second layer's kernel, the same for every channel
    halved: torch.Tensor  # (4, H/2, W/2): the second layer's output


def record_photo(size: int = 144) -> PhotoRecord:
    x = photograph(size)[None, None]
    edges = torch.nn.Conv2d(1, 4, 3, padding=1, bias=False, dtype=torch.float64)
    halve = torch.nn.Conv2d(4, 4, 3, stride=2, padding=1, groups=4, bias=False, dtype=torch.float64)
    kernels = torch.tensor(EDGE_KERNELS, dtype=torch.float64)
    blur = torch.tensor(BLUR, dtype=torch.float64) / 16
    with torch.no_grad():
        edges.weight.copy_(kernels[:, None])
        halve.weight.copy_(blur.expand(4, 1, 3, 3))
        h = edges(x)
        g = halve(h)
    for c in range(4):  # each channel is its own convolution of the photograph
        if not torch.allclose(h[0, c], F.conv2d(x, kernels[c][None, None], padding=1)[0, 0]):
            raise AssertionError("the first layer is not the four edge convolutions")
    return PhotoRecord(x[0, 0], kernels, h[0], blur, g[0])


@dataclass(frozen=True)
class ScatterRecord:
    """A transposed convolution as scattered stamps: input cell (i, j) adds x[i, j]·W into the
    output at (i·s, j·s); ``padding`` then crops p cells from every side."""

    input: torch.Tensor
    weight: torch.Tensor
    stride: Pair
    padding: Pair
    cells: tuple[Pair, ...]  # the input cells in reading order
    stamps: tuple[torch.Tensor, ...]  # x[i, j]·W
    partials: tuple[torch.Tensor, ...]  # the (cropped) output after each stamp
    touched: tuple[torch.Tensor, ...]  # which output cells some stamp has reached so far
    regions: tuple[tuple[Pair, ...], ...]  # the output cells each stamp covers (after cropping)
    output: torch.Tensor


def record_scatter(x: torch.Tensor, weight: torch.Tensor, stride: IntOrPair = 1,
                   padding: IntOrPair = 0) -> ScatterRecord:
    """Record ``F.conv_transpose2d`` stamp by stamp; the sum is checked against torch."""
    s, p = _pair(stride), _pair(padding)
    h, w = x.shape
    kh, kw = weight.shape
    full = torch.zeros((h - 1) * s[0] + kh, (w - 1) * s[1] + kw, dtype=x.dtype)
    reached = torch.zeros_like(full, dtype=torch.bool)
    crop = (slice(p[0], full.shape[0] - p[0]), slice(p[1], full.shape[1] - p[1]))
    cells, stamps, partials, touched, regions = [], [], [], [], []
    for i in range(h):
        for j in range(w):
            r0, c0 = i * s[0], j * s[1]
            stamp = x[i, j] * weight
            full[r0:r0 + kh, c0:c0 + kw] += stamp
            reached[r0:r0 + kh, c0:c0 + kw] = True
            cells.append((i, j))
            stamps.append(stamp)
            partials.append(full[crop].clone())
            touched.append(reached[crop].clone())
            regions.append(tuple((r - p[0], c - p[1]) for r in range(r0, r0 + kh) for c in range(c0, c0 + kw)
                                 if p[0] <= r < full.shape[0] - p[0] and p[1] <= c < full.shape[1] - p[1]))
    expected = F.conv_transpose2d(_as_batch(x), _as_batch(weight), stride=s, padding=p)[0, 0]
    if not torch.allclose(full[crop], expected):
        raise AssertionError("the stamps do not add up to torch.nn.functional.conv_transpose2d")
    return ScatterRecord(x, weight, s, p, tuple(cells), tuple(stamps), tuple(partials), tuple(touched),
                         tuple(regions), expected)


def record_two_sizes(sizes: Sequence[int] = (7, 8), kernel: int = 3, stride: int = 2,
                     padding: int = 1) -> tuple[ConvRecord, ...]:
    """One strided convolution on inputs of different sizes that give the same output size."""
    records = tuple(record_conv(*make_values("arange", n, kernel), stride, padding) for n in sizes)
    if len({tuple(r.output.shape) for r in records}) != 1:
        raise AssertionError(f"sizes={tuple(sizes)}: the outputs differ in size")
    return records


def record_padded(x: torch.Tensor, weight: torch.Tensor, pads: tuple[int, int, int, int],
                  stride: IntOrPair = 1, dilation: IntOrPair = 1) -> ConvRecord:
    """A convolution of ``x`` padded explicitly by ``pads`` = (top, bottom, left, right), as a port
    of TensorFlow's ``"SAME"`` does it: ``F.pad`` first, then the convolution with padding 0.
    Checked against ``F.conv2d`` on ``F.pad(x, (left, right, top, bottom))``."""
    top, bottom, left, right = pads
    stride, dilation = _pair(stride), _pair(dilation)
    grid = F.pad(x, (left, right, top, bottom))
    mask = F.pad(torch.ones_like(x), (left, right, top, bottom))
    roles = tuple(tuple(INPUT if m else PAD for m in row) for row in mask.tolist())
    rec = _slide(grid, roles, weight, stride, dilation)
    expected = F.conv2d(F.pad(_as_batch(x), (left, right, top, bottom)), _as_batch(weight),
                        stride=stride, dilation=dilation)[0, 0]
    if not torch.equal(rec.output, expected):
        raise AssertionError("the recorded windows do not reproduce F.conv2d on the padded input")
    return replace(rec, input_shape=tuple(x.shape), padding=(top, left))


def record_same_upper(sizes: Sequence[int] = (6, 5), kernel: int = 3, stride: int = 2) -> tuple[ConvRecord, ...]:
    """TensorFlow's ``"SAME"`` (ONNX ``SAME_UPPER``) with a stride on square inputs of each size:
    the padding of ``arith.same_upper_padding`` on each axis (the odd cell after: bottom, right),
    then a convolution with padding 0. Every output is ⌈size / stride⌉ cells wide."""
    records = []
    for n in sizes:
        before, after = arith.same_upper_padding(n, kernel, stride)
        x, w = make_values("arange", n, kernel)
        rec = record_padded(x, w, (before, after, before, after), stride)
        if tuple(rec.output.shape) != (-(-n // stride),) * 2:
            raise AssertionError(f"size={n}: SAME gives ⌈{n}/{stride}⌉ cells, not {tuple(rec.output.shape)}")
        records.append(rec)
    return tuple(records)


# --- tensors as blocks: channels, groups, pixel shuffle (drawn by figures.blocks) ------------

Cell3 = tuple[int, int, int]  # (channel, row, column)


@dataclass(frozen=True)
class BlockWindow:
    """One output cell (channel, row, column) and the input cells it read, in the weight's
    order (input channel of its group, then kernel row, then kernel column), with their values
    and the weights they were multiplied by."""

    out: Cell3
    cells: tuple[Cell3, ...]
    values: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float = 0.0


@dataclass(frozen=True)
class GroupedRecord:
    """``F.conv2d(x, weight, bias, groups=groups)`` on one (C_in, H, W) input, window by window."""

    input: torch.Tensor  # (C_in, H, W)
    weight: torch.Tensor  # (C_out, C_in / groups, kH, kW)
    bias: Optional[torch.Tensor]  # (C_out,) or None
    groups: int
    windows: tuple[BlockWindow, ...]  # output channel by output channel, each in reading order
    output: torch.Tensor  # (C_out, H_out, W_out)


def record_grouped(x: torch.Tensor, weight: torch.Tensor, groups: int = 1,
                   bias: Optional[torch.Tensor] = None) -> GroupedRecord:
    """Record a (grouped) convolution of a C×H×W tensor: which input cells of which channels
    every output cell read (by ``F.unfold`` of the cells' own indices), and its value, checked
    against ``F.conv2d(..., groups=groups)``."""
    c_in, h, w = x.shape
    c_out, per_group, kh, kw = weight.shape
    if c_in % groups or c_out % groups or per_group != c_in // groups:
        raise ValueError(f"groups={groups}: does not fit {c_in} input and {c_out} output channels "
                         f"with a weight of {per_group} input channels")
    index = torch.arange(c_in * h * w, dtype=torch.float64).reshape(1, c_in, h, w)
    cols_index = F.unfold(index, (kh, kw))[0]  # (C_in·kH·kW, L): input channel, then the window
    cols_value = F.unfold(x[None], (kh, kw))[0]
    oh, ow = h - kh + 1, w - kw + 1
    out_per_group = c_out // groups
    windows, values = [], []
    for o in range(c_out):
        g = o // out_per_group
        rows = slice(g * per_group * kh * kw, (g + 1) * per_group * kh * kw)  # this group's channels only
        weights = tuple(weight[o].reshape(-1).tolist())
        b = float(bias[o]) if bias is not None else 0.0
        for n in range(oh * ow):
            cells = tuple(_cell3(int(v), h, w) for v in cols_index[rows, n].tolist())
            vals = tuple(cols_value[rows, n].tolist())
            windows.append(BlockWindow((o, *divmod(n, ow)), cells, vals, weights, b))
            values.append(sum(v * k for v, k in zip(vals, weights)) + b)
    output = torch.tensor(values, dtype=torch.float64).reshape(c_out, oh, ow)
    expected = F.conv2d(x[None], weight, bias, groups=groups)[0]
    if not torch.allclose(output, expected):
        raise AssertionError("the recorded windows do not reproduce torch.nn.functional.conv2d with groups")
    return GroupedRecord(x, weight, bias, groups, tuple(windows), expected)


def _cell3(index: int, h: int, w: int) -> Cell3:
    c, rest = divmod(index, h * w)
    return (c, *divmod(rest, w))


def _small_ints(gen: torch.Generator, x_shape, w_shape) -> tuple[torch.Tensor, torch.Tensor]:
    """Digits 0–9 for an input and −1, 0, 1 for a weight (as ``make_values("random")``)."""
    x = torch.randint(0, 10, x_shape, generator=gen).to(torch.float64)
    w = torch.randint(-1, 2, w_shape, generator=gen).to(torch.float64)
    return x, w


def record_channels_3d(c_in: int = 3, c_out: int = 2, size: int = 4, kernel: int = 3, seed: int = 1,
                       bias: Sequence[float] = (1.0, -1.0)) -> GroupedRecord:
    """``nn.Conv2d(3, 2, 3)`` on a 3×4×4 input. The same generator as ``record_channels``: the
    first output channel's kernel and bias are the ``channel-sum`` figure's, and so is its map."""
    gen = torch.Generator().manual_seed(seed)
    x, w = _small_ints(gen, (c_in, size, size), (c_out, c_in, kernel, kernel))
    b = torch.tensor(bias[:c_out], dtype=torch.float64)
    record = record_grouped(x, w, 1, b)
    layer = torch.nn.Conv2d(c_in, c_out, kernel, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(w)
        layer.bias.copy_(b)
        if not torch.equal(layer(x[None])[0], record.output):
            raise AssertionError("the recorded convolution is not nn.Conv2d's")
    return record


def record_groups_3d(channels: int = 4, groups: int = 2, size: int = 3, kernel: int = 2,
                     seed: int = 3) -> GroupedRecord:
    """``nn.Conv2d(4, 4, 2, groups=2, bias=False)`` on a 4×3×3 input; checked: the layer is two
    separate convolutions, one per half of the channels."""
    gen = torch.Generator().manual_seed(seed)
    x, w = _small_ints(gen, (channels, size, size), (channels, channels // groups, kernel, kernel))
    record = record_grouped(x, w, groups)
    half = channels // groups
    parts = [F.conv2d(x[None, g * half:(g + 1) * half], w[g * half:(g + 1) * half])[0] for g in range(groups)]
    if not torch.equal(torch.cat(parts), record.output):
        raise AssertionError("the grouped convolution is not its groups side by side")
    return record


@dataclass(frozen=True)
class SeparableRecord:
    """A depthwise-separable block: a depthwise convolution (groups = C_in), then a pointwise 1×1."""

    depthwise: GroupedRecord
    pointwise: GroupedRecord


def record_separable(c_in: int = 3, c_out: int = 2, size: int = 3, kernel: int = 2,
                     seed: int = 4) -> SeparableRecord:
    """``Conv2d(3, 3, 2, groups=3)`` then ``Conv2d(3, 2, 1)`` (no biases) on a 3×3×3 input;
    checked against the two layers in an ``nn.Sequential``."""
    gen = torch.Generator().manual_seed(seed)
    x, w_dw = _small_ints(gen, (c_in, size, size), (c_in, 1, kernel, kernel))
    w_pw = torch.randint(-1, 2, (c_out, c_in, 1, 1), generator=gen).to(torch.float64)
    depthwise = record_grouped(x, w_dw, c_in)
    pointwise = record_grouped(depthwise.output, w_pw, 1)
    block = torch.nn.Sequential(torch.nn.Conv2d(c_in, c_in, kernel, groups=c_in, bias=False, dtype=torch.float64),
                                torch.nn.Conv2d(c_in, c_out, 1, bias=False, dtype=torch.float64))
    with torch.no_grad():
        block[0].weight.copy_(w_dw)
        block[1].weight.copy_(w_pw)
        if not torch.equal(block(x[None])[0], pointwise.output):
            raise AssertionError("the two recorded convolutions are not the depthwise-separable block")
    return SeparableRecord(depthwise, pointwise)


@dataclass(frozen=True)
class ShuffleRecord:
    """``F.pixel_shuffle(x, r)``: for every output cell, the input cell it came from."""

    input: torch.Tensor  # (C·r², H, W)
    factor: int
    sources: dict  # output cell (channel, row, column) → input cell
    output: torch.Tensor  # (C, H·r, W·r)


def record_pixel_shuffle(channels: int = 1, factor: int = 2, size: int = 2) -> ShuffleRecord:
    """Input 1, 2, … in memory order, shape (C·r², H, W). The source of every output cell is read
    off ``F.pixel_shuffle`` applied to the cells' own indices, and checked against the documented
    rule: input channel c·r² + i·r + j, cell (h, w) lands in output channel c at (h·r + i, w·r + j)."""
    r = factor
    c_in = channels * r * r
    x = torch.arange(1, c_in * size * size + 1, dtype=torch.float64).reshape(c_in, size, size)
    index = torch.arange(c_in * size * size, dtype=torch.float64).reshape(1, c_in, size, size)
    moved = F.pixel_shuffle(index, r)[0]
    sources = {}
    for c in range(channels):
        for row in range(size * r):
            for col in range(size * r):
                source = _cell3(int(moved[c, row, col]), size, size)
                (h, i), (w, j) = divmod(row, r), divmod(col, r)
                if source != (c * r * r + i * r + j, h, w):
                    raise AssertionError("pixel_shuffle does not move the cells as documented")
                sources[c, row, col] = source
    output = F.pixel_shuffle(x[None], r)[0]
    if any(output[o].item() != x[s].item() for o, s in sources.items()):
        raise AssertionError("the recorded sources do not reproduce torch.nn.functional.pixel_shuffle")
    return ShuffleRecord(x, r, sources, output)


# --- sequences and volumes: 1-D, causal and 3-D convolutions (the sequences chapter) ---------

@dataclass(frozen=True)
class SequenceRecord:
    """A 1-D convolution of a signal padded by ``padding`` = (left, right) zeros (``F.pad``), and
    for each output cell the cells of the padded signal it read, found by autograd."""

    signal: torch.Tensor  # (L,), before padding
    padding: tuple[int, int]
    kernel: torch.Tensor  # (k,)
    dilation: int
    windows: tuple[tuple[int, ...], ...]  # per output cell, the padded cells it read, in kernel order
    output: torch.Tensor  # (L_out,)

    @property
    def padded(self) -> torch.Tensor:
        return F.pad(self.signal, self.padding)


def _read_cells(y: torch.Tensor, x: torch.Tensor) -> list[tuple[int, ...]]:
    """For each cell of the last axis of ``y`` (a function of ``x`` through convolutions with
    positive weights), the indices of the cells of ``x`` whose gradient is not zero."""
    cells = []
    for t in range(y.shape[-1]):
        (grad,) = torch.autograd.grad(y[..., t].sum(), x, retain_graph=True)
        cells.append(tuple(torch.nonzero(grad.reshape(-1)).flatten().tolist()))
    return cells


def record_conv1d(x: torch.Tensor, w: torch.Tensor, padding: tuple[int, int] = (0, 0),
                  dilation: int = 1) -> SequenceRecord:
    """``nn.Conv1d(1, 1, k, dilation=d, bias=False)`` on ``F.pad(x, padding)``; the cells each
    output read are the nonzero gradients of a twin with a kernel of ones; checked against
    ``F.conv1d`` with the padding given to torch where it is symmetric."""
    x, w = x.to(torch.float64), w.to(torch.float64)
    layer = torch.nn.Conv1d(1, 1, len(w), dilation=dilation, bias=False, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(w.reshape(1, 1, -1))
        output = layer(F.pad(x, padding)[None, None])[0, 0]
    padded = F.pad(x, padding).detach().requires_grad_(True)
    ones = F.conv1d(padded[None, None], torch.ones(1, 1, len(w), dtype=torch.float64), dilation=dilation)
    windows = _read_cells(ones[0, 0], padded)
    if any(len(cells) != len(w) for cells in windows):
        raise AssertionError("a window of the 1-D convolution does not read k cells")
    grid = padded.detach()
    values = torch.tensor([sum(float(grid[c]) * float(v) for c, v in zip(cells, w)) for cells in windows],
                          dtype=torch.float64)
    if not torch.equal(values, output):
        raise AssertionError("the recorded windows do not reproduce nn.Conv1d")
    if padding[0] == padding[1] and not torch.equal(
            F.conv1d(x[None, None], w[None, None], padding=padding[0], dilation=dilation)[0, 0], output):
        raise AssertionError("F.pad then padding=0 is not torch's own padding")
    return SequenceRecord(x, tuple(padding), w, dilation, tuple(windows), output.detach())


SIGNAL = (1.0, 3.0, 4.0, 4.0, 2.0, 0.0, 1.0, 5.0, 6.0, 3.0)  # the 1-D figure's signal


def record_sequence() -> SequenceRecord:
    """The ``conv1d`` figure: a 10-sample signal and the kernel (1, 0, −1), no padding."""
    return record_conv1d(torch.tensor(SIGNAL), torch.tensor([1.0, 0.0, -1.0]))


def record_causal(length: int = 8, kernel: int = 3) -> tuple[SequenceRecord, SequenceRecord]:
    """The ``causal-conv1d`` figure: x = 1 … ``length`` and a kernel of ones, padded the centred
    way, (k−1)/2 zeros on each side, and the causal way, k − 1 zeros on the left only. Checked:
    every causal output reads no input later than its own time step; every centred one but the
    last reads one."""
    x = torch.arange(1.0, length + 1, dtype=torch.float64)
    w = torch.ones(kernel, dtype=torch.float64)
    centred = record_conv1d(x, w, ((kernel - 1) // 2, (kernel - 1) // 2))
    causal = record_conv1d(x, w, (kernel - 1, 0))
    for t, cells in enumerate(causal.windows):
        if max(cells) - (kernel - 1) != t:  # padded index − left padding = input time step
            raise AssertionError(f"causal output {t} reads the future")
    ahead = [t for t, c in enumerate(centred.windows) if t < max(c) - (kernel - 1) // 2 < length]
    if ahead != list(range(length - 1)):
        raise AssertionError("a centred window should read one step ahead")
    return centred, causal


@dataclass(frozen=True)
class CausalStackRecord:
    """A stack of causal 1-D convolutions (kernel ``k``, dilations ``dilations``, weights of one),
    the last output cell traced back to the input by autograd."""

    length: int
    kernel: int
    dilations: tuple[int, ...]
    gradients: tuple[torch.Tensor, ...]  # ∂y[-1]/∂map, input first: the number of paths
    reads: tuple[tuple[tuple[int, tuple[int, ...]], ...], ...]  # per layer: (cell of its output, cells of its input it read)


def record_causal_stack(length: int = 16, kernel: int = 2, dilations: Sequence[int] = (1, 2, 4, 8)
                        ) -> CausalStackRecord:
    """WaveNet's stack (van den Oord et al., 2016): each layer ``F.pad(h, (d·(k−1), 0))`` then
    ``nn.Conv1d(1, 1, k, dilation=d)``; the last cell of the last map traced back with autograd,
    and for each traced cell the cells of the map below it read (autograd again). Checked: the
    traced input cells are the last 1 + (k−1)·Σd, as ``arith.receptive_field_step`` says."""
    layers = [torch.nn.Conv1d(1, 1, kernel, dilation=d, bias=False, dtype=torch.float64) for d in dilations]
    with torch.no_grad():
        for layer in layers:
            layer.weight.fill_(1.0)
    x = torch.ones(length, dtype=torch.float64, requires_grad=True)
    maps = [x]
    for layer, d in zip(layers, dilations):
        maps.append(layer(F.pad(maps[-1], (d * (kernel - 1), 0))[None, None])[0, 0])
    for m in maps:
        if m.shape != (length,):
            raise AssertionError("causal padding must keep the length")
    y = maps[-1]
    grads = tuple(g.detach().clone() for g in torch.autograd.grad(y[-1], maps, retain_graph=True))
    reads = []
    for below, above in zip(maps[:-1], maps[1:]):
        (grad,) = torch.autograd.grad(y[-1], above, retain_graph=True)
        traced = torch.nonzero(grad).flatten().tolist()
        cells = _read_cells(above, below)
        reads.append(tuple((t, cells[t]) for t in traced))
    field, jump = 1, 1
    for d in dilations:
        field, jump = arith.receptive_field_step(field, jump, kernel, 1, d)
    if torch.nonzero(grads[0]).flatten().tolist() != list(range(length - field, length)):
        raise AssertionError("autograd and the receptive-field formula disagree")
    return CausalStackRecord(length, kernel, tuple(dilations), grads, tuple(reads))


@dataclass(frozen=True)
class VolumeRecord:
    """``nn.Conv3d(1, 1, k)`` on a D×H×W volume: the output and, for each output cell
    (depth, row, column in reading order), the input cells (depth, row, column) it read."""

    input: torch.Tensor  # (D, H, W)
    kernel: torch.Tensor  # (kD, kH, kW)
    output: torch.Tensor
    windows: tuple[tuple[Cell3, tuple[Cell3, ...]], ...]


def record_conv3d(depth: int = 4, size: int = 4, kernel: tuple[int, int, int] = (2, 3, 3),
                  seed: int = 5) -> VolumeRecord:
    """Digits 0–9 (seeded) in a ``depth``×``size``×``size`` volume and a kernel of ones; the
    cells each output read found by autograd; the output is ``nn.Conv3d``'s and equals the sum,
    over the kernel's depth, of 2-D convolutions of consecutive slices."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randint(0, 10, (depth, size, size), generator=gen).to(torch.float64)
    w = torch.ones(kernel, dtype=torch.float64)
    layer = torch.nn.Conv3d(1, 1, kernel, bias=False, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(w[None, None])
        output = layer(x[None, None])[0, 0]
    kd = kernel[0]
    slices = torch.stack([sum(F.conv2d(x[t + j][None, None], w[j][None, None])[0, 0] for j in range(kd))
                          for t in range(depth - kd + 1)])
    if not torch.equal(slices, output):
        raise AssertionError("nn.Conv3d is not the sum of the 2-D convolutions of its slices")
    leaf = x.clone().requires_grad_(True)
    y = F.conv3d(leaf[None, None], w[None, None])[0, 0]
    windows = []
    for cell in torch.cartesian_prod(*(torch.arange(n) for n in y.shape)).tolist():
        (grad,) = torch.autograd.grad(y[tuple(cell)], leaf, retain_graph=True)
        windows.append((tuple(cell), tuple(tuple(c) for c in torch.nonzero(grad).tolist())))
    return VolumeRecord(x, w, output.detach(), tuple(windows))
