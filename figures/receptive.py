"""Receptive fields of a chain of layers: computed in closed form, and measured by autograd.

``receptive_field(model, input_size)`` follows the closed form of Araujo, Norris & Sim,
"Computing Receptive Fields of Convolutional Neural Networks" (Distill, 2019): for layers
l = 1…L with kernel k_l, stride s_l, left padding p_l and dilation d_l,

    r_L = 1 + Σ_l d_l·(k_l − 1)·J_{l−1},   J_l = Π_{i≤l} s_i,   P_L = Σ_l p_l·J_{l−1}

(r: receptive-field size, J: effective stride or "jump", P: effective padding, so that output
cell u sees the input cells u·J_L − P_L … u·J_L − P_L + r_L − 1). A transposed convolution is
zero insertion (jump ÷ s) followed by a stride-1 convolution with padding d·(k − 1) − p, so
the same recursion holds with fractional jumps; the exact window of one output cell is then
found by following intervals back through the layers (``input_window``).

``measure(model, input_size, cell)`` finds the same window with autograd: the gradient of one
output cell with respect to the input, in a copy of the model whose weights are all positive
(and max pooling replaced by average pooling of the same geometry) so that nothing cancels.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Sequence, Union

import torch
from torch import nn

from . import arith

Pair = tuple[int, int]
ELEMENTWISE = (
    nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.PReLU, nn.ELU, nn.SELU, nn.GELU, nn.SiLU, nn.Sigmoid, nn.Tanh,
    nn.Hardswish, nn.Hardsigmoid, nn.Mish, nn.Identity, nn.Dropout, nn.Dropout2d,
    nn.BatchNorm2d, nn.InstanceNorm2d, nn.GroupNorm, nn.LocalResponseNorm,
)


@dataclass(frozen=True)
class Layer:
    """The geometry of one spatial layer, per axis (height, width)."""

    index: int
    name: str
    kind: str  # "conv", "pool" or "transposed"
    kernel: Pair
    stride: Pair
    padding: Pair  # before (top/left); for "same" convolution the smaller half
    dilation: Pair
    output_padding: Pair = (0, 0)
    ceil_mode: bool = False
    after: Pair = (0, 0)  # a padding layer's bottom and right padding


@dataclass(frozen=True)
class Field:
    """The receptive field of the cells of one layer's output, in input cells, per axis."""

    layer: Layer
    output: Pair  # the layer's output size for the given input size
    size: tuple[Fraction, Fraction]  # r
    jump: tuple[Fraction, Fraction]  # J, the effective stride
    padding: tuple[Fraction, Fraction]  # P, the effective padding

    def window(self, cell: Pair) -> tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]:
        """The closed form's window (first, last input cell) of output ``cell``, per axis."""
        return tuple(  # type: ignore[return-value]
            (cell[a] * self.jump[a] - self.padding[a], cell[a] * self.jump[a] - self.padding[a] + self.size[a] - 1)
            for a in (0, 1)
        )


def _pair(v) -> Pair:
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def layers(model: nn.Module) -> list[Layer]:
    """The spatial layers of a chain, in order (nn.Sequential nesting is followed).

    Element-wise layers (activations, batch norm, dropout) do not change a receptive field and
    are skipped; any other layer raises a ValueError that names it.
    """
    found: list[Layer] = []
    for name, module in _leaves(model, ""):
        index = len(found)
        if isinstance(module, nn.Conv2d):
            if module.padding_mode != "zeros":
                raise ValueError(f"{name}: padding_mode={module.padding_mode!r}: only zero padding has a "
                                 "contiguous receptive field here")
            k, d = _pair(module.kernel_size), _pair(module.dilation)
            if module.padding == "same":
                pad = (arith.same_padding(k[0], d[0])[0], arith.same_padding(k[1], d[1])[0])
            elif module.padding == "valid":
                pad = (0, 0)
            else:
                pad = _pair(module.padding)
            found.append(Layer(index, name, "conv", k, _pair(module.stride), pad, d))
        elif isinstance(module, nn.ConvTranspose2d):
            found.append(Layer(index, name, "transposed", _pair(module.kernel_size), _pair(module.stride),
                               _pair(module.padding), _pair(module.dilation), _pair(module.output_padding)))
        elif isinstance(module, (nn.MaxPool2d, nn.AvgPool2d)):
            k = _pair(module.kernel_size)
            s = _pair(module.stride if module.stride is not None else module.kernel_size)
            d = _pair(getattr(module, "dilation", 1))
            found.append(Layer(index, name, "pool", k, s, _pair(module.padding), d, ceil_mode=module.ceil_mode))
        elif isinstance(module, (nn.ZeroPad2d, nn.ConstantPad2d)):
            left, right, top, bottom = module.padding
            if min(module.padding) < 0:
                raise ValueError(f"{name}: {type(module).__name__} with negative padding (cropping) has no rule here")
            found.append(Layer(index, name, "pad", (1, 1), (1, 1), (top, left), (1, 1), after=(bottom, right)))
        elif isinstance(module, ELEMENTWISE):
            continue
        else:
            raise ValueError(f"{name}: {type(module).__name__} has no receptive-field rule here "
                             "(supported: Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d, ZeroPad2d, element-wise layers)")
    return found


def _leaves(module: nn.Module, prefix: str) -> Iterable[tuple[str, nn.Module]]:
    if isinstance(module, nn.Sequential):
        for name, child in module.named_children():
            yield from _leaves(child, f"{prefix}.{name}" if prefix else name)
    else:
        yield prefix or type(module).__name__, module


def _output_size(layer: Layer, size: Pair) -> Pair:
    if layer.kind == "pad":
        return size[0] + layer.padding[0] + layer.after[0], size[1] + layer.padding[1] + layer.after[1]
    if layer.kind == "conv":  # for "same", padding holds the smaller half: the same output size
        return arith.conv2d(size, layer.kernel, layer.stride, layer.padding, layer.dilation).output
    if layer.kind == "pool":
        return arith.pool2d(size, layer.kernel, layer.stride, layer.padding, layer.dilation, layer.ceil_mode).output
    return arith.conv_transpose2d(size, layer.kernel, layer.stride, layer.padding, layer.dilation,
                                  layer.output_padding).output


def receptive_field(model: nn.Module, input_size: Union[int, Sequence[int]]) -> list[Field]:
    """For every spatial layer of ``model``: output size, receptive-field size r, effective
    stride J and effective padding P (per axis), by the closed form. The last is the model's."""
    size = _pair(input_size)
    r = [Fraction(1), Fraction(1)]
    jump = [Fraction(1), Fraction(1)]
    pad = [Fraction(0), Fraction(0)]
    fields = []
    for layer in layers(model):
        size = _output_size(layer, size)
        for a in (0, 1):
            span = layer.dilation[a] * (layer.kernel[a] - 1)
            if layer.kind == "transposed":
                jump[a] = jump[a] / layer.stride[a]  # zero insertion
                pad[a] += (span - layer.padding[a]) * jump[a]
                r[a] += span * jump[a]
            else:
                pad[a] += layer.padding[a] * jump[a]
                r[a] += span * jump[a]
                jump[a] = jump[a] * layer.stride[a]
        fields.append(Field(layer, size, (r[0], r[1]), (jump[0], jump[1]), (pad[0], pad[1])))
    return fields


def input_cells(model: nn.Module, input_size, cell: Pair, clip: bool = True) -> tuple[set[int], set[int]]:
    """The input rows and columns that output ``cell`` depends on, followed back exactly
    through the layers. Every layer here is separable, so the cells are rows × columns.

    With ``clip`` (what autograd sees), a layer's padding is zeros that depend on nothing, so
    at every layer only the cells that exist are followed. Without it, the cells of the
    closed form: padding counts as if the input went on (indices below 0 or past the end)."""
    chain = layers(model)
    sizes = [_pair(input_size)]
    for layer in chain:
        sizes.append(_output_size(layer, sizes[-1]))
    deps = [{cell[0]}, {cell[1]}]
    for layer, size in zip(reversed(chain), reversed(sizes[:-1])):
        for a in (0, 1):
            k, s, p, d = layer.kernel[a], layer.stride[a], layer.padding[a], layer.dilation[a]
            if layer.kind == "transposed":  # output o = i·s − p + t·d for a tap t in 0…k−1
                found = {(o + p - t * d) // s for o in deps[a] for t in range(k) if (o + p - t * d) % s == 0}
            else:
                found = {o * s - p + t * d for o in deps[a] for t in range(k)}
            deps[a] = {i for i in found if 0 <= i < size[a]} if clip else found
    if clip and not (deps[0] and deps[1]):
        return set(), set()
    return deps[0], deps[1]


def input_window(model: nn.Module, input_size, cell: Pair, clip: bool = False):
    """(first, last) input cell per axis that output ``cell`` depends on (see input_cells), or
    None when it depends on no cell at all."""
    rows, cols = input_cells(model, input_size, cell, clip)
    if not rows or not cols:
        return None
    return (min(rows), max(rows)), (min(cols), max(cols))


class _SumPool(nn.Module):
    """A pooling layer's exact geometry (kernel, stride, padding, dilation, ceil mode) as a sum
    over each window: every cell of a window reaches the output, unlike the one a max picks."""

    def __init__(self, pool: Union[nn.MaxPool2d, nn.AvgPool2d]):
        super().__init__()
        self.k = _pair(pool.kernel_size)
        self.s = _pair(pool.stride if pool.stride is not None else pool.kernel_size)
        self.p = _pair(pool.padding)
        self.d = _pair(getattr(pool, "dilation", 1))
        self.ceil = pool.ceil_mode

    def forward(self, x):
        h, w = x.shape[-2:]
        out = [arith.pool_axis(n, k, s, p, d, self.ceil).size
               for n, k, s, p, d in zip((h, w), self.k, self.s, self.p, self.d)]
        # pad enough after the input for the last window, then keep exactly the pooled size
        extra = [(o - 1) * s + d * (k - 1) + 1 - (n + p) for o, s, d, k, n, p in
                 zip(out, self.s, self.d, self.k, (h, w), self.p)]
        x = nn.functional.pad(x, (self.p[1], max(0, extra[1]), self.p[0], max(0, extra[0])))
        ones = torch.ones(x.shape[1], 1, *self.k, dtype=x.dtype)
        y = nn.functional.conv2d(x, ones, stride=self.s, dilation=self.d, groups=x.shape[1])
        return y[..., : out[0], : out[1]]


def _positive_copy(model: nn.Module) -> nn.Module:
    """A float64 copy in eval mode where every weight is 1 and every bias 0, and every pooling
    layer sums its window: every path from input to output adds up, nothing cancels."""
    twin = copy.deepcopy(model).double().eval()
    for parent in [twin, *twin.modules()]:
        for name, child in list(parent.named_children()):
            if isinstance(child, (nn.MaxPool2d, nn.AvgPool2d)):
                setattr(parent, name, _SumPool(child))
    with torch.no_grad():
        for module in twin.modules():
            if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
                module.weight.fill_(1.0)
                if module.bias is not None:
                    module.bias.zero_()
            elif isinstance(module, nn.BatchNorm2d):
                module.reset_parameters()
                module.running_mean.zero_()
                module.running_var.fill_(1.0)
    return twin


def measure(model: nn.Module, input_size, cell: Pair, channels: int | None = None):
    """The input rows and columns whose gradient is non-zero for output ``cell`` (channel 0),
    measured by autograd on an input of ones; necessarily within the input."""
    twin = _positive_copy(model)
    h, w = _pair(input_size)
    c = channels if channels is not None else _in_channels(model)
    x = torch.ones(1, c, h, w, dtype=torch.float64, requires_grad=True)
    y = twin(x)
    y[0, 0, cell[0], cell[1]].backward()
    mask = x.grad.abs().sum(dim=(0, 1)) > 0
    rows = set(torch.nonzero(mask.any(dim=1)).flatten().tolist())
    cols = set(torch.nonzero(mask.any(dim=0)).flatten().tolist())
    if not torch.equal(mask, torch.outer(mask.any(dim=1), mask.any(dim=0))):
        raise AssertionError("the measured cells are not rows × columns")
    return rows, cols


def gradient_map(model: nn.Module, input_size, cell: Pair, channels: int | None = None) -> torch.Tensor:
    """|∂y[cell] / ∂x|, summed over input channels, for the model as it is (its own weights)."""
    h, w = _pair(input_size)
    c = channels if channels is not None else _in_channels(model)
    x = torch.ones(1, c, h, w, dtype=torch.float64, requires_grad=True)
    y = model.double()(x)
    y[0, 0, cell[0], cell[1]].backward()
    return x.grad.abs().sum(dim=(0, 1))


def _in_channels(model: nn.Module) -> int:
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
            return module.in_channels
        if isinstance(module, (nn.BatchNorm2d, nn.InstanceNorm2d)):
            return module.num_features
        if isinstance(module, nn.GroupNorm):
            return module.num_channels
    return 1


def table(model: nn.Module, input_size) -> list[str]:
    """One line per spatial layer: name, output size, r, J, P (square models: one number each)."""
    lines = []
    for f in receptive_field(model, input_size):
        def show(v):
            a, b = (str(x) for x in v)
            return a if a == b else f"{a}×{b}"
        out = f"{f.output[0]}×{f.output[1]}"
        lines.append(f"{f.layer.name:<12} {out:>9}  r={show(f.size):<6} J={show(f.jump):<5} P={show(f.padding)}")
    return lines
