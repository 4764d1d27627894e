"""Receptive fields of whole networks, branches and merges included, traced with torch.fx.

``receptive.receptive_field`` follows a chain of layers. Real networks branch and merge
(ResNet's shortcuts, Inception's parallel branches, DenseNet's concatenations, the global
pooling of squeeze-and-excitation), so ``fields(model, input_size)`` traces the model with
``torch.fx``, gives every node its output size from a shape propagation on the meta device
(nothing is computed), and follows every path from the input to every node.

Along one axis, a path maps cell u of a node to the input cells u·J + a … u·J + b. A
convolution (kernel k, stride s, padding p before, dilation d) turns (J, a, b) into
(s·J, a − p·J, b + (d·(k − 1) − p)·J): every path through that layer moves by the same
amounts, so a node only needs the union's ends (the smallest a and the largest b) and the set
of distinct path centres (a + b)/2. Where paths meet (an addition, a concatenation along
channels, a product) the ends and the centres are merged; the effective strides must agree.
The node's field is then

    r = b − a + 1,   J,   P = −a,   centre offset = (a + b)/2 = (r − 1)/2 − P

so that cell u is centred on input cell u·J + offset. The field is **aligned** when every
path has the same centre (odd kernels and symmetric padding everywhere); an even kernel or
asymmetric padding on one branch moves that branch's centre by half a cell or more.

A path through a global pooling (the squeeze of squeeze-and-excitation, a spatial mean)
depends on the whole input: such a node is marked ``global`` and its field is that of the
other paths. Layers that work on each position alone (activations, batch norm, a LayerNorm
or Linear over channels, dropout, stochastic depth in eval mode) change nothing. Any other
operation raises a ValueError that names the node: never a silent wrong number.

``measure(model, input_size, cells)`` finds the same windows with autograd, in a float64
copy of the model whose weights are positive (1/fan-in), biases zero, normalisations the
identity and max pooling a sum over the same windows, so that nothing cancels; the gradient
of one output cell with respect to the input is non-zero exactly on the cells it sees.
"""

from __future__ import annotations

import copy
import operator
from dataclasses import dataclass
from fractions import Fraction
from typing import Optional, Sequence, Union

import torch
import torch.fx as fx
import torch.nn.functional as F
from torch import nn

from .receptive import _SumPool

Pair = tuple[int, int]


@dataclass(frozen=True)
class Axis:
    """The receptive field of a node's cells along one axis, over every path from the input."""

    size: Fraction  # r
    jump: Fraction  # J, the effective stride
    padding: Fraction  # P, the effective padding: cell u sees u·J − P … u·J − P + r − 1
    centres: tuple[Fraction, ...]  # the distinct centres of the paths' windows of cell 0

    @property
    def offset(self) -> Fraction:
        """Cell u's field is centred on input cell u·J + offset."""
        return (self.size - 1) / 2 - self.padding

    @property
    def aligned(self) -> bool:
        """Every path agrees on the centre."""
        return len(self.centres) == 1

    def window(self, cell: int) -> tuple[Fraction, Fraction]:
        first = cell * self.jump - self.padding
        return first, first + self.size - 1


@dataclass(frozen=True)
class NodeField:
    """One node of the traced graph: its output size and receptive field per axis (height,
    width). ``axes`` is None when every path to it goes through a global pooling."""

    name: str  # the module's qualified name for a module call, else the fx node's name
    node: str  # the fx node's name
    op: str  # the module's class or the function's name
    output: Pair
    dims: Pair  # which axes of the node's tensor are height and width (2, 3 for N×C×H×W)
    axes: Optional[tuple[Axis, Axis]]
    global_: bool  # some path goes through a global pooling: the cell depends on every input cell

    @property
    def aligned(self) -> bool:
        return self.axes is None or all(a.aligned for a in self.axes)

    def as_dict(self) -> dict:
        def number(v: Fraction):
            return int(v) if v.denominator == 1 else float(v)

        axes = None if self.axes is None else {
            key: {"size": number(a.size), "stride": number(a.jump), "padding": number(a.padding),
                  "offset": number(a.offset), "aligned": a.aligned}
            for key, a in zip(("height", "width"), self.axes)}
        return {"name": self.name, "node": self.node, "op": self.op, "output": list(self.output),
                "global": self.global_, "aligned": self.aligned, "field": axes}


@dataclass(frozen=True)
class _Geo:  # along one axis, for all paths: cell u sees u·jump + first … u·jump + last
    jump: Fraction
    first: Fraction
    last: Fraction
    centres: frozenset

    def conv(self, k: int, s: int, p: int, d: int) -> "_Geo":
        span = d * (k - 1)
        return _Geo(self.jump * s, self.first - p * self.jump, self.last + (span - p) * self.jump,
                    frozenset(c + (Fraction(span, 2) - p) * self.jump for c in self.centres))

    def transposed(self, k: int, s: int, p: int, d: int) -> "_Geo":
        # zero insertion (jump ÷ s), then a stride-1 convolution padded by d·(k − 1) − p
        inserted = _Geo(self.jump / s, self.first, self.last, self.centres)
        return inserted.conv(k, 1, d * (k - 1) - p, d)

    def shift(self, before: int) -> "_Geo":  # padding: cell u is cell u − before of the input
        move = before * self.jump
        return _Geo(self.jump, self.first - move, self.last - move, frozenset(c - move for c in self.centres))


def _merge(name: str, geos: list[_Geo]) -> _Geo:
    jumps = {g.jump for g in geos}
    if len(jumps) > 1:
        raise ValueError(f"{name}: paths with effective strides {sorted(map(str, jumps))} meet here; "
                         "no single receptive field")
    return _Geo(geos[0].jump, min(g.first for g in geos), max(g.last for g in geos),
                frozenset().union(*(g.centres for g in geos)))


@dataclass
class _Value:
    """What the analysis knows of one node's tensor."""

    spatial: Optional[tuple[int, int]]  # the tensor dimensions of height and width, or None
    geo: Optional[tuple[_Geo, _Geo]]  # None: no local path (only global ones), or no spatial axes
    global_: bool
    shape: tuple[int, ...]

    def size(self) -> Pair:
        return self.shape[self.spatial[0]], self.shape[self.spatial[1]]


def _pair(v) -> Pair:
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


# operations that act on each position alone, by module class, function and method name
POINTWISE_MODULES = (
    nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.PReLU, nn.ELU, nn.SELU, nn.CELU, nn.GELU, nn.SiLU, nn.Sigmoid, nn.Tanh,
    nn.Hardswish, nn.Hardsigmoid, nn.Hardtanh, nn.Mish, nn.Softplus, nn.Identity,
    nn.Dropout, nn.Dropout2d, nn.AlphaDropout, nn.BatchNorm2d, nn.LocalResponseNorm,
)
POINTWISE_FUNCTIONS = {
    torch.relu, F.relu, F.relu6, F.leaky_relu, F.elu, F.gelu, F.silu, F.mish, F.hardswish, F.hardsigmoid,
    F.hardtanh, torch.sigmoid, F.sigmoid, torch.tanh, F.tanh, F.dropout, F.batch_norm, torch.exp,
    torch.clamp, F.softplus,
}
POINTWISE_METHODS = {
    "relu", "relu_", "sigmoid", "sigmoid_", "tanh", "clamp", "clamp_", "contiguous", "clone", "float",
    "double", "to", "type_as", "detach", "exp",
}
MERGE_FUNCTIONS = {operator.add, operator.mul, operator.sub, operator.truediv, operator.iadd,
                   operator.imul, torch.add, torch.mul, torch.sub, torch.div}
MERGE_METHODS = {"add", "add_", "mul", "mul_", "sub", "sub_", "div", "div_"}


class _Analysis:
    def __init__(self, gm: fx.GraphModule):
        self.gm = gm
        self.modules = dict(gm.named_modules())
        self.values: dict[fx.Node, Optional[_Value]] = {}

    # -- helpers -------------------------------------------------------------------------
    def label(self, node: fx.Node) -> str:
        return str(node.target) if node.op == "call_module" else node.name

    def op_name(self, node: fx.Node) -> str:
        if node.op == "call_module":
            return type(self.modules[node.target]).__name__
        if node.op == "call_function":
            return getattr(node.target, "__name__", str(node.target))
        return str(node.target)

    def refuse(self, node: fx.Node, why: str = "") -> ValueError:
        return ValueError(f"{self.label(node)} ({self.op_name(node)}): "
                          + (why or "no receptive-field rule for this operation"))

    def tensors(self, node: fx.Node) -> list[_Value]:
        """The analysed tensors among a node's arguments (nested lists and tuples followed)."""
        found: list[_Value] = []

        def visit(a):
            if isinstance(a, fx.Node):
                v = self.values.get(a)
                if isinstance(v, _Value):
                    found.append(v)
            elif isinstance(a, (list, tuple)):
                for x in a:
                    visit(x)
            elif isinstance(a, dict):
                for x in a.values():
                    visit(x)

        visit(node.args)
        visit(node.kwargs)
        return found

    def arg(self, node: fx.Node, index: int, name: str, default=None):
        if len(node.args) > index:
            return node.args[index]
        return node.kwargs.get(name, default)

    # -- the rules -----------------------------------------------------------------------
    def run(self, only: Optional[set] = None) -> None:
        for node in self.gm.graph.nodes:
            if node.op == "output" or (only is not None and node not in only):
                continue
            self.values[node] = self.value(node)

    def value(self, node: fx.Node) -> Optional[_Value]:
        meta = node.meta.get("tensor_meta")
        shape = tuple(meta.shape) if hasattr(meta, "shape") else None
        if node.op == "placeholder":
            if shape is None or len(shape) != 4:
                raise self.refuse(node, f"the input must be one N×C×H×W tensor, not {shape}")
            g = _Geo(Fraction(1), Fraction(0), Fraction(0), frozenset({Fraction(0)}))
            return _Value((2, 3), (g, g), False, shape)
        if node.op == "get_attr":
            return _Value(None, None, False, shape or ())
        inputs = self.tensors(node)
        spatial_in = [v for v in inputs if v.spatial is not None]
        if shape is None:  # not a tensor: a size, or a tuple of chunks
            if spatial_in and not self.is_size_query(node):
                return self.chunked(node, spatial_in)
            return None
        if node.op == "call_function" and node.target is operator.getitem and spatial_in:
            source = self.values.get(node.args[0])
            if isinstance(source, _Value) and source.shape == ("tuple",):  # one chunk of a split
                return _Value(source.spatial, source.geo, source.global_, shape)
            raise self.refuse(node, "indexes a tensor")
        if not spatial_in:  # constants, or tensors that no longer have spatial axes
            return _Value(None, None, any(v.global_ for v in inputs), shape)
        if node.op == "call_module":
            return self.module(node, self.modules[node.target], spatial_in, shape)
        if node.op == "call_function":
            return self.function(node, node.target, spatial_in, shape)
        if node.op == "call_method":
            return self.method(node, node.target, spatial_in, shape)
        raise self.refuse(node)

    def is_size_query(self, node: fx.Node) -> bool:
        return (node.op == "call_method" and node.target in ("size", "dim")) or (
            node.op == "call_function" and node.target is getattr)

    def chunked(self, node: fx.Node, spatial_in: list[_Value]) -> _Value:
        target = node.target if node.op != "call_module" else None
        if target in ("chunk", "split", torch.chunk, torch.split):
            dim = self.arg(node, 2, "dim", 0)
            (x,) = spatial_in
            if dim % len(x.shape) in x.spatial:
                raise self.refuse(node, "splits a spatial axis")
            return _Value(x.spatial, x.geo, x.global_, ("tuple",))
        raise self.refuse(node)

    def same_size(self, node: fx.Node, x: _Value, shape: tuple[int, ...]) -> _Value:
        out = _Value(x.spatial, x.geo, x.global_, shape)
        if out.size() != x.size():
            raise self.refuse(node, f"changes the size {x.size()} to {out.size()}")
        return out

    def geometric(self, node, x: _Value, shape, kind: str, k, s, p, d) -> _Value:
        k, s, d = _pair(k), _pair(s), _pair(d)
        if kind == "conv" and p == "same":
            p = tuple((dd * (kk - 1)) // 2 for kk, dd in zip(k, d))
        elif p == "valid":
            p = (0, 0)
        p = _pair(p)
        geo = None
        if x.geo is not None:
            step = _Geo.transposed if kind == "transposed" else _Geo.conv
            geo = tuple(step(g, *args) for g, args in zip(x.geo, zip(k, s, p, d)))
        if x.spatial != (len(x.shape) - 2, len(x.shape) - 1):
            raise self.refuse(node, "works on the last two axes, which are not height and width here")
        return _Value(x.spatial, geo, x.global_, shape)

    def globally(self, node, x: _Value, shape, spatial) -> _Value:
        return _Value(spatial, None, True, shape)

    def adaptive(self, node, x: _Value, shape, output) -> _Value:
        out = _Value(x.spatial, None, x.global_, shape)
        size_in, size_out = x.size(), out.size()
        if size_out == (1, 1):
            return self.globally(node, x, shape, x.spatial)
        if size_in == size_out:
            return _Value(x.spatial, x.geo, x.global_, shape)
        if all(i % o == 0 for i, o in zip(size_in, size_out)):
            k = tuple(i // o for i, o in zip(size_in, size_out))
            return self.geometric(node, x, shape, "pool", k, k, 0, 1)
        raise self.refuse(node, f"pools {size_in[0]}×{size_in[1]} to {size_out[0]}×{size_out[1]}: windows of "
                                "unequal size, no single receptive field (give an input that is a multiple)")

    def merge(self, node, values: list[_Value], shape) -> _Value:
        spatial = {v.spatial for v in values}
        if len(spatial) > 1:
            raise self.refuse(node, "combines tensors whose spatial axes are in different places")
        out = _Value(values[0].spatial, None, any(v.global_ for v in values), shape)
        size = out.size()
        local = []
        for v in values:
            if v.size() == size:
                if v.geo is not None:
                    local.append(v.geo)
            elif v.size() == (1, 1):  # broadcast: one number for the whole map, a global path
                out.global_ = out.global_ or v.geo is not None or v.global_
                if v.geo is not None and not v.global_:
                    raise self.refuse(node, "broadcasts a 1×1 map that is not a global pooling")
            else:
                raise self.refuse(node, f"combines maps of sizes {v.size()} and {size}")
        if local:
            name = self.label(node)
            out.geo = (_merge(name, [g[0] for g in local]), _merge(name, [g[1] for g in local]))
        return out

    def norm_over(self, node, x: _Value, shape, dims: int) -> _Value:
        """A normalisation over the last ``dims`` axes: pointwise if none of them is spatial."""
        if any(a in x.spatial for a in range(len(x.shape) - dims, len(x.shape))):
            return _Value(x.spatial, x.geo, True, shape)  # statistics over the whole map
        return self.same_size(node, x, shape)

    def module(self, node, m: nn.Module, xs: list[_Value], shape) -> _Value:
        x = xs[0]
        if isinstance(m, nn.Conv2d):
            if m.padding_mode != "zeros":
                raise self.refuse(node, f"padding_mode={m.padding_mode!r}: only zero padding has a contiguous field")
            return self.geometric(node, x, shape, "conv", m.kernel_size, m.stride, m.padding, m.dilation)
        if isinstance(m, nn.ConvTranspose2d):
            return self.geometric(node, x, shape, "transposed", m.kernel_size, m.stride, m.padding, m.dilation)
        if isinstance(m, nn.MaxPool2d):
            return self.geometric(node, x, shape, "pool", m.kernel_size, m.stride or m.kernel_size, m.padding,
                                  m.dilation)
        if isinstance(m, nn.AvgPool2d):
            return self.geometric(node, x, shape, "pool", m.kernel_size, m.stride or m.kernel_size, m.padding, 1)
        if isinstance(m, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)):
            return self.adaptive(node, x, shape, m.output_size)
        if isinstance(m, (nn.ZeroPad2d, nn.ConstantPad2d)):
            return self.padded(node, x, shape, m.padding)
        if isinstance(m, POINTWISE_MODULES):
            return self.same_size(node, x, shape)
        if isinstance(m, nn.Linear):
            if len(x.shape) - 1 in x.spatial:
                raise self.refuse(node, "a Linear layer over a spatial axis")
            return self.same_size(node, x, shape)
        if isinstance(m, nn.LayerNorm):
            return self.norm_over(node, x, shape, len(m.normalized_shape))
        if isinstance(m, (nn.GroupNorm, nn.InstanceNorm2d)):
            return _Value(x.spatial, x.geo, True, shape)
        if isinstance(m, nn.Flatten):
            return self.flatten(node, x, shape, m.start_dim, m.end_dim)
        raise self.refuse(node)

    def padded(self, node, x: _Value, shape, pad) -> _Value:
        pad = _pair(pad) * 2 if isinstance(pad, int) else tuple(pad)
        if len(pad) < 4 or any(int(v) < 0 for v in pad[:4]) or any(int(v) for v in pad[4:]):
            raise self.refuse(node, f"padding {pad}: only non-negative padding of height and width")
        left, _, top, _ = (int(v) for v in pad[:4])
        geo = None if x.geo is None else (x.geo[0].shift(top), x.geo[1].shift(left))
        return _Value(x.spatial, geo, x.global_, shape)

    def flatten(self, node, x: _Value, shape, start, end) -> _Value:
        n = len(x.shape)
        start, end = start % n, end % n
        if any(start <= a <= end for a in x.spatial):
            return _Value(None, None, x.global_ or x.geo is not None, shape)
        return _Value(tuple(a if a < start else a - (end - start) for a in x.spatial), x.geo, x.global_, shape)

    def reduce(self, node, x: _Value, shape, dims, keepdim) -> _Value:
        n = len(x.shape)
        dims = set(range(n)) if dims is None else {int(d) % n for d in ((dims,) if isinstance(dims, int) else dims)}
        if set(x.spatial) <= dims:
            if keepdim:
                return self.globally(node, x, shape, x.spatial)
            return _Value(None, None, True, shape)
        if dims & set(x.spatial):
            raise self.refuse(node, "reduces one spatial axis but not the other")
        spatial = x.spatial if keepdim else tuple(a - sum(d < a for d in dims) for a in x.spatial)
        return _Value(spatial, x.geo, x.global_, shape)

    def function(self, node, f, xs: list[_Value], shape) -> _Value:
        x = xs[0]
        a = lambda i, name, default=None: self.arg(node, i, name, default)  # noqa: E731
        if f in POINTWISE_FUNCTIONS:
            return self.same_size(node, x, shape)
        if f in MERGE_FUNCTIONS:
            return self.merge(node, xs, shape)
        if f is torch.cat:
            dim = a(1, "dim", 0) % len(shape)
            if dim in x.spatial:
                raise self.refuse(node, "concatenates along a spatial axis")
            return self.merge(node, xs, shape)
        if f is torch.flatten:
            return self.flatten(node, x, shape, a(1, "start_dim", 0), a(2, "end_dim", -1))
        if f in (F.max_pool2d, torch.max_pool2d):
            k = a(1, "kernel_size")
            s = a(2, "stride") or k
            return self.geometric(node, x, shape, "pool", k, s, a(3, "padding", 0), a(4, "dilation", 1))
        if f is F.avg_pool2d:
            k = a(1, "kernel_size")
            s = a(2, "stride") or k
            return self.geometric(node, x, shape, "pool", k, s, a(3, "padding", 0), 1)
        if f in (F.adaptive_avg_pool2d, F.adaptive_max_pool2d):
            return self.adaptive(node, x, shape, a(1, "output_size"))
        if f is F.pad:
            return self.padded(node, x, shape, a(1, "pad"))
        if f is F.layer_norm:
            return self.norm_over(node, x, shape, len(_as_tuple(a(1, "normalized_shape"))))
        if f is F.linear:
            if len(x.shape) - 1 in x.spatial:
                raise self.refuse(node, "a linear map over a spatial axis")
            return self.same_size(node, x, shape)
        if f in (torch.mean, torch.sum, torch.amax):
            return self.reduce(node, x, shape, a(1, "dim"), a(2, "keepdim", False))
        if f is torch.permute:
            return self.permuted(node, x, shape, a(1, "dims"))
        if f is torch.unsqueeze:
            return self.unsqueezed(node, x, shape, a(1, "dim"))
        raise self.refuse(node)

    def method(self, node, name: str, xs: list[_Value], shape) -> _Value:
        x = xs[0]
        rest = node.args[1:]
        if name in POINTWISE_METHODS:
            return self.same_size(node, x, shape)
        if name in MERGE_METHODS:
            return self.merge(node, xs, shape)
        if name == "permute":
            dims = rest[0] if len(rest) == 1 and isinstance(rest[0], (tuple, list)) else rest
            return self.permuted(node, x, shape, dims or node.kwargs.get("dims"))
        if name == "flatten":
            return self.flatten(node, x, shape, self.arg(node, 1, "start_dim", 0), self.arg(node, 2, "end_dim", -1))
        if name in ("mean", "sum", "amax"):
            return self.reduce(node, x, shape, self.arg(node, 1, "dim"), self.arg(node, 2, "keepdim", False))
        if name == "unsqueeze":
            return self.unsqueezed(node, x, shape, self.arg(node, 1, "dim"))
        if name in ("view", "reshape", "expand", "expand_as") and tuple(shape) == tuple(x.shape):
            return self.same_size(node, x, shape)
        raise self.refuse(node)

    def permuted(self, node, x: _Value, shape, dims) -> _Value:
        dims = [int(d) % len(x.shape) for d in dims]
        return _Value(tuple(dims.index(a) for a in x.spatial), x.geo, x.global_, shape)

    def unsqueezed(self, node, x: _Value, shape, dim) -> _Value:
        dim = int(dim) % (len(x.shape) + 1)
        return _Value(tuple(a + (a >= dim) for a in x.spatial), x.geo, x.global_, shape)


def _as_tuple(v) -> tuple:
    return tuple(v) if isinstance(v, (tuple, list, torch.Size)) else (v,)


def in_channels(model: nn.Module) -> int:
    """The number of channels the model's first layer expects."""
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
            return module.in_channels
        if isinstance(module, nn.BatchNorm2d):
            return module.num_features
    return 1


def trace(model: nn.Module) -> fx.GraphModule:
    """The model as an fx graph, traced in eval mode (what inference runs)."""
    model.eval()
    try:
        return fx.symbolic_trace(model)
    except Exception as err:  # fx raises TraceError, TypeError, … with long messages
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ValueError(f"torch.fx cannot trace {type(model).__name__}: {first}") from None


def _on_meta(model: nn.Module) -> nn.Module:
    if all(p.device.type == "meta" for p in model.parameters()):
        return model
    return copy.deepcopy(model).to("meta")


class _Shapes(fx.Interpreter):
    """Every node's output shape (``node.meta["tensor_meta"]``), on the meta device; torch's
    refusal (too small an input, maps of different sizes added) names the node."""

    def __init__(self, gm: fx.GraphModule, size: Pair):
        super().__init__(gm)
        self.size = size
        self.extra_traceback = False

    def run_node(self, n: fx.Node):
        try:
            result = super().run_node(n)
        except Exception as err:
            first = (str(err).strip().splitlines() or [type(err).__name__])[0]
            where = str(n.target) if n.op == "call_module" else n.name
            raise ValueError(f"input {self.size[0]}×{self.size[1]}: {where}: {first}") from None
        if isinstance(result, torch.Tensor):
            n.meta["tensor_meta"] = _Meta(tuple(result.shape))
        else:
            n.meta.pop("tensor_meta", None)
        return result


@dataclass(frozen=True)
class _Meta:
    shape: tuple[int, ...]


def analyse(model: nn.Module, input_size, channels: Optional[int] = None,
            until: Optional[Sequence[str]] = None) -> tuple[fx.GraphModule, list[NodeField]]:
    """The traced graph and a NodeField for every node whose output has height and width
    (with ``until``, module names: only for the nodes those modules' outputs depend on)."""
    h, w = _pair(input_size)
    gm = trace(_on_meta(model))
    c = channels if channels is not None else in_channels(model)
    _Shapes(gm, (h, w)).run(torch.empty(1, c, h, w, device="meta"))
    analysis = _Analysis(gm)
    only = None
    if until is not None:
        nodes = {n.name: n for n in gm.graph.nodes}
        modules = [name for name in until if name not in nodes]  # the others are fx node names
        names = [name for name in until if name in nodes] + list(module_outputs(gm, modules).values())
        only, todo = set(), [nodes[name] for name in names]
        while todo:
            node = todo.pop()
            if node not in only:
                only.add(node)
                todo.extend(node.all_input_nodes)
    analysis.run(only)
    found = []
    for node in gm.graph.nodes:
        v = analysis.values.get(node)
        if not isinstance(v, _Value) or v.spatial is None or v.shape == ("tuple",) or node.op == "get_attr":
            continue
        axes = None
        if v.geo is not None:
            axes = tuple(Axis(g.last - g.first + 1, g.jump, -g.first, tuple(sorted(g.centres))) for g in v.geo)
        found.append(NodeField(analysis.label(node), node.name, analysis.op_name(node), v.size(), v.spatial,
                               axes, v.global_))
    return gm, found


def fields(model: nn.Module, input_size, channels: Optional[int] = None) -> list[NodeField]:
    """The receptive field of every node of the model (with height and width), in graph order."""
    return analyse(model, input_size, channels)[1]


def module_outputs(gm: fx.GraphModule, names: Sequence[str], strict: bool = True) -> dict[str, str]:
    """The fx node that is the output of each named submodule: the node made inside it whose
    value is used outside it (a leaf module's call, or the last node of a block). Without
    ``strict``, a module that is never called or has several outputs is left out."""
    found = {}
    nodes = list(gm.graph.nodes)
    for name in names:
        inside = [n for n in nodes if (n.op == "call_module" and (n.target == name or n.target.startswith(name + ".")))
                  or name in (n.meta.get("nn_module_stack") or {})]
        members = set(inside)
        outs = [n for n in inside if any(u not in members for u in n.users)]
        if not strict and len(outs) != 1:
            continue
        if not inside:
            raise ValueError(f"{name}: no such module in the traced model")
        if len(outs) != 1:
            raise ValueError(f"{name}: {len(outs)} outputs leave this module; expected one")
        found[name] = outs[0].name
    return found


def stage_fields(model: nn.Module, input_size, stages: Sequence[tuple[str, str]],
                 channels: Optional[int] = None) -> list[tuple[str, NodeField]]:
    """(label, field) at the output of each named submodule."""
    gm, all_fields = analyse(model, input_size, channels, until=[module for _, module in stages])
    by_node = {f.node: f for f in all_fields}
    outs = module_outputs(gm, [module for _, module in stages])
    return [(label, by_node[outs[module]]) for label, module in stages]


def top_level(model: nn.Module) -> list[tuple[str, str]]:
    """(name, name) for each direct child of the model: the default rows of a table."""
    return [(name, name) for name, _ in model.named_children()]


def _show(v: Fraction) -> str:
    return str(v.numerator) if v.denominator == 1 else f"{float(v):g}"


def table(rows: Sequence[tuple[str, NodeField]]) -> list[str]:
    """One line per row: label, output size, r, J, P, centre offset (per axis when they
    differ), "global" when a path goes through a global pooling, "unaligned" when paths
    disagree on the centre."""
    lines = [f"{'':<14} {'output':>9} {'r':>9} {'J':>5} {'P':>9} {'centre':>7}"]
    for label, f in rows:
        out = f"{f.output[0]}×{f.output[1]}"

        def both(get):
            if f.axes is None:
                return "-"
            a, b = (_show(get(x)) for x in f.axes)
            return a if a == b else f"{a}×{b}"

        notes = [n for n, on in (("global", f.global_), ("unaligned", not f.aligned)) if on]
        line = (f"{label:<14} {out:>9} {both(lambda x: x.size):>9} {both(lambda x: x.jump):>5} "
                f"{both(lambda x: x.padding):>9} {both(lambda x: x.offset):>7}")
        lines.append((line + "  " + " ".join(notes)).rstrip())
    return lines


# -- measurement ----------------------------------------------------------------------------

GATE_MODULES = (nn.Sigmoid, nn.Hardsigmoid)
GATE_FUNCTIONS = {torch.sigmoid, F.sigmoid, F.hardsigmoid}
CLIPPING_MODULES = (nn.ReLU6, nn.Hardtanh)
CLIPPING_FUNCTIONS = {F.relu6, F.hardtanh}


class _Positive(fx.Interpreter):
    """Runs the traced positive twin: max pooling sums its windows, normalisations are the
    identity, and nothing saturates: in float64 a sigmoid of 40 is exactly 1 and its gradient
    exactly 0, which would hide the cells behind it. So a gate (sigmoid, hard sigmoid) is
    1 + log(1 + x): increasing but never flat, and at least 1, so that a product with it
    neither vanishes nor explodes over sixteen blocks. ReLU6 is ReLU. With ``detach`` the
    outputs of global poolings are constants (the local field)."""

    def __init__(self, gm: fx.GraphModule, detach: set[str]):
        super().__init__(gm)
        self.detach = detach
        self.extra_traceback = False

    def run_node(self, n: fx.Node):
        out = super().run_node(n)
        return out.detach() if n.name in self.detach and isinstance(out, torch.Tensor) else out

    def call_module(self, target, args, kwargs):
        m = self.fetch_attr(target)
        if isinstance(m, nn.Conv2d) and m.groups > 1 and m.padding_mode == "zeros":
            return _grouped(m, args[0])
        if isinstance(m, nn.MaxPool2d):
            return _SumPool(m)(args[0])
        if isinstance(m, nn.AdaptiveMaxPool2d):
            return F.adaptive_avg_pool2d(args[0], m.output_size)
        if isinstance(m, (nn.LayerNorm, nn.GroupNorm, nn.InstanceNorm2d)):
            return args[0]
        if isinstance(m, GATE_MODULES):
            return _gate(args[0])
        if isinstance(m, CLIPPING_MODULES):
            return F.relu(args[0])
        return super().call_module(target, args, kwargs)

    def call_function(self, target, args, kwargs):
        if target in (F.max_pool2d, torch.max_pool2d):
            names = ("kernel_size", "stride", "padding", "dilation", "ceil_mode")
            given = dict(zip(names, args[1:]), **kwargs)
            given.pop("return_indices", None)
            return _SumPool(nn.MaxPool2d(**given))(args[0])
        if target is F.adaptive_max_pool2d:
            return F.adaptive_avg_pool2d(args[0], args[1] if len(args) > 1 else kwargs["output_size"])
        if target is F.layer_norm:
            return args[0]
        if target in GATE_FUNCTIONS:
            return _gate(args[0])
        if target in CLIPPING_FUNCTIONS:
            return F.relu(args[0])
        return super().call_function(target, args, kwargs)

    def call_method(self, target, args, kwargs):
        if target in ("sigmoid", "sigmoid_"):
            return _gate(args[0])
        return super().call_method(target, args, kwargs)


def _gate(x: torch.Tensor) -> torch.Tensor:
    return 1 + torch.log1p(x)


def _grouped(m: nn.Conv2d, x: torch.Tensor) -> torch.Tensor:
    """A grouped convolution whose groups share one kernel (as every group does in the twin)
    as one convolution over a batch of groups: the same numbers, where float64 would run one
    slow convolution per group (a depthwise layer: one per channel)."""
    g, n = m.groups, x.shape[0]
    per_group = m.weight[: m.out_channels // g]
    if not torch.equal(m.weight, per_group.repeat(g, 1, 1, 1)):
        return m(x)
    y = F.conv2d(x.reshape(n * g, x.shape[1] // g, *x.shape[2:]), per_group, None, m.stride,
                 m.padding if m.padding != "same" else "same", m.dilation)
    y = y.reshape(n, m.out_channels, *y.shape[2:])
    return y if m.bias is None else y + m.bias.view(1, -1, 1, 1)


def positive_twin(model: nn.Module) -> nn.Module:
    """A float64 copy in eval mode: every weight 1/fan-in, every bias 0, every other parameter
    (a norm's scale, a layer scale) 1, batch norm's statistics 0 and 1. Built without copying
    the weights when the model lives on the meta device."""
    if all(p.device.type == "meta" for p in model.parameters()):
        twin = copy.deepcopy(model).to_empty(device="cpu")
    else:
        twin = copy.deepcopy(model)
    twin = twin.double().eval()
    with torch.no_grad():
        for name, p in twin.named_parameters():
            if name.rsplit(".", 1)[-1] == "bias":
                p.zero_()
            elif p.dim() >= 2:
                p.fill_(1.0 / (p.numel() // p.shape[0]))
            else:
                p.fill_(1.0)
        for name, b in twin.named_buffers():
            if b.is_floating_point():
                b.fill_(1.0 if name.endswith("running_var") else 0.0)
    return twin


def gradients(model: nn.Module, input_size, cells: dict[str, Pair], channels: Optional[int] = None,
              detach_global: bool = True) -> dict[str, torch.Tensor]:
    """For each fx node name → output cell (row, column): |∂(sum of the cell's channels)/∂x|,
    summed over the input's channels (an H×W float64 map), computed by autograd on the
    positive twin. With ``detach_global`` the paths through global poolings are cut (the local
    field). Every channel of the cell counts: after a concatenation, channels see different fields."""
    h, w = _pair(input_size)
    c = channels if channels is not None else in_channels(model)
    _, found = analyse(model, (h, w), c, until=list(cells))
    global_sources = {f.node for f in found if f.axes is None and f.global_}
    gm = trace(positive_twin(model))
    interp = _Positive(gm, global_sources if detach_global else set())
    spatial = {f.node: f for f in found}
    x = torch.ones(1, c, h, w, dtype=torch.float64, requires_grad=True)
    results = {}
    for node in gm.graph.nodes:  # run the graph up to the last node asked for
        if node.op == "output" or not set(cells) - set(results):
            break
        interp.env[node] = x if node.op == "placeholder" else interp.run_node(node)
        if node.name in cells:
            results[node.name] = interp.env[node]
    maps = {}
    for name, (row, col) in cells.items():
        out = results[name]
        index = [0] + [slice(None)] * (out.dim() - 1)
        index[spatial[name].dims[0]], index[spatial[name].dims[1]] = row, col
        (grad,) = torch.autograd.grad(out[tuple(index)].sum(), x, retain_graph=True)
        maps[name] = grad.abs().sum(dim=(0, 1))
    return maps


def measure(model: nn.Module, input_size, cells: dict[str, Pair], channels: Optional[int] = None,
            detach_global: bool = True) -> dict[str, Optional[tuple[Pair, Pair]]]:
    """For each fx node name → output cell: the first and last input row and column whose
    gradient (``gradients``) is not zero, or None if there is none."""
    measured = {}
    for name, grad in gradients(model, input_size, cells, channels, detach_global).items():
        rows = torch.nonzero((grad > 0).any(dim=1)).flatten().tolist()
        cols = torch.nonzero((grad > 0).any(dim=0)).flatten().tolist()
        measured[name] = ((rows[0], rows[-1]), (cols[0], cols[-1])) if rows else None
    return measured


def window(field: NodeField, cell: Pair) -> tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]:
    """The closed form's (first, last) input cell of ``cell``, per axis."""
    return field.axes[0].window(cell[0]), field.axes[1].window(cell[1])


def centred_cell(axis: Axis, output: int, input: int) -> Optional[int]:
    """An output cell whose whole window lies inside an input of ``input`` cells, nearest the
    middle, or None."""
    ok = [u for u in range(output) if axis.window(u)[0] >= 0 and axis.window(u)[1] <= input - 1]
    return min(ok, key=lambda u: abs(u - (output - 1) / 2)) if ok else None



# -- models by name -------------------------------------------------------------------------

def load(spec: str) -> tuple[str, nn.Module, Optional[int], Optional[Sequence[tuple[str, str]]]]:
    """A model of the zoo by name (built on the meta device: nothing allocated), or
    ``module:function`` importable from the current directory, called with no arguments.
    Returns (name, model, the input size its paper uses or None, its stages or None)."""
    import importlib
    import os
    import sys

    from . import zoo

    if spec in zoo.MODELS:
        with torch.device("meta"):
            model = zoo.MODELS[spec]()
        return spec, model, zoo.INPUT[spec], zoo.STAGES[spec]
    module_name, sep, function = spec.partition(":")
    short = lambda text: repr(text if len(text) <= 40 else text[:40] + "…")  # noqa: E731 (a 100 KB spec: one short line)
    name, shown = short(spec), short(module_name)
    if not sep or not module_name or not function.isidentifier():
        raise ValueError(f"model {name}: give one of {', '.join(zoo.MODELS)}, or module:function")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except Exception as err:  # the reader's module: any error it raises is theirs, on one line
        raise ValueError(f"model {name}: cannot import {shown}: {type(err).__name__}: "
                         f"{str(err).strip().splitlines()[0][:200] if str(err).strip() else ''}".rstrip(": ")) from None
    make = getattr(module, function, None)
    if not callable(make):
        raise ValueError(f"model {name}: {module_name} has no function {short(function)}")
    try:
        model = make()
    except Exception as err:
        raise ValueError(f"model {name}: {function}() raised {type(err).__name__}: "
                         f"{(str(err).strip().splitlines() or [''])[0][:200]}".rstrip(": ")) from None
    if not isinstance(model, nn.Module):
        raise ValueError(f"model {name}: {function}() returned {type(model).__name__}, not a torch.nn.Module")
    return spec, model, None, None


# -- the closed form against autograd, for the rows of a table ------------------------------

SHORT_SIDES = (1, 2, 4, 8, 16, 24, 32, 48, 64, 75, 80, 96, 128, 160, 224, 299)


def agreement(model: nn.Module, stages: Sequence[tuple[str, str]], axes: Sequence[int] = (0, 1),
              channels: Optional[int] = None) -> list[tuple[str, int, Pair, Pair]]:
    """For every stage and axis: (label, axis, the closed form's window of one output cell,
    the window autograd measures). The input is long along the axis, so that the whole field of
    a cell near its middle fits, and as short along the other as the model allows (the field's
    size along one axis does not depend on the other axis, and the measurement costs less)."""
    c = channels if channels is not None else in_channels(model)
    results = []
    for axis in axes:
        short = next(s for s in SHORT_SIDES if _analysable(model, _size(axis, 256, s), stages, c))
        long = 256
        while True:
            size = _size(axis, long, short)
            rows = _rows(model, size, stages, c)
            cells = {f.node: (label, f, networks_cell(f, axis, size)) for label, f in rows}
            if all(cell is not None for _, _, cell in cells.values()):
                break
            long = max(long * 2, int(max(f.axes[axis].size for _, f in rows)) + 64)
        measured = measure(model, size, {node: cell for node, (_, _, cell) in cells.items()}, c)
        for node, (label, f, cell) in cells.items():
            first, last = f.axes[axis].window(cell[axis])
            results.append((label, axis, (int(first), int(last)), measured[node][axis]))
    return results


def _size(axis: int, long: int, short: int) -> Pair:
    return (long, short) if axis == 0 else (short, long)


def _rows(model, size, stages, c):
    gm, found = analyse(model, size, c, until=[m for _, m in stages])
    by_node = {f.node: f for f in found}
    outs = module_outputs(gm, [m for _, m in stages])
    return [(label, by_node[outs[m]]) for label, m in stages]


def _analysable(model, size, stages, c) -> bool:
    try:
        _rows(model, size, stages, c)
        return True
    except ValueError:
        return False


def networks_cell(field: NodeField, axis: int, size: Pair) -> Optional[Pair]:
    """An output cell whose window along ``axis`` lies inside the input (the middle one along
    the other axis), or None."""
    u = centred_cell(field.axes[axis], field.output[axis], size[axis])
    if u is None:
        return None
    v = (field.output[1 - axis] - 1) // 2
    return (u, v) if axis == 0 else (v, u)
