"""Receptive fields of graphs (figures.networks): the closed form against autograd on random
networks with shortcuts, concatenations and squeeze-and-excitation, against the chain API,
and clear refusals for what it cannot follow."""

from fractions import Fraction

import pytest
import torch
from hypothesis import assume, given, settings, strategies as st
from torch import nn
from torch.nn import functional as F

from figures import networks as N
from figures import receptive as R

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")

C = 2


class Residual(nn.Module):
    """body(x) + shortcut(x): the shortcut is the identity or a 1×1 convolution with the body's stride."""

    def __init__(self, body: nn.Module, stride: int):
        super().__init__()
        self.body = body
        self.shortcut = nn.Conv2d(C, C, 1, stride) if stride > 1 else nn.Identity()

    def forward(self, x):
        return F.relu(self.body(x) + self.shortcut(x))


class Branches(nn.Module):
    """Inception-style: the branches' outputs concatenated along channels, then a 1×1 back to C."""

    def __init__(self, branches: list[nn.Module]):
        super().__init__()
        self.branches = nn.ModuleList(branches)
        self.project = nn.Conv2d(C * len(branches), C, 1)

    def forward(self, x):
        return self.project(torch.cat([b(x) for b in self.branches], 1))


class Excite(nn.Module):
    """Squeeze-and-excitation: x times a gate computed from the mean of the whole map."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Conv2d(C, C, 1)

    def forward(self, x):
        return x * torch.sigmoid(self.fc(F.adaptive_avg_pool2d(x, 1)))


@st.composite
def same_size_conv(draw):
    """A convolution that keeps the size: odd kernel padded (k − 1)/2·d, or padding="same"."""
    k = draw(st.integers(1, 4))
    d = draw(st.integers(1, 2))
    if k % 2 and draw(st.booleans()):
        return nn.Conv2d(C, C, k, padding=d * (k - 1) // 2, dilation=d)
    return nn.Conv2d(C, C, k, padding="same", dilation=d)


@st.composite
def block(draw):
    kind = draw(st.sampled_from(["conv", "pool", "residual", "branches", "excite", "pad"]))
    if kind == "conv":
        k, s = draw(st.integers(1, 4)), draw(st.integers(1, 2))
        return nn.Conv2d(C, C, k, s, padding=draw(st.integers(0, k // 2)), dilation=draw(st.integers(1, 2)))
    if kind == "pool":
        k = draw(st.integers(2, 3))
        return nn.MaxPool2d(k, draw(st.integers(1, 2)), padding=draw(st.integers(0, k // 2)),
                            ceil_mode=draw(st.booleans()))
    if kind == "pad":
        return nn.ZeroPad2d(tuple(draw(st.integers(0, 2)) for _ in range(4)))
    if kind == "residual":
        s = draw(st.integers(1, 2))
        body = nn.Sequential(nn.Conv2d(C, C, 3, s, 1), nn.BatchNorm2d(C), nn.ReLU(), draw(same_size_conv()))
        return Residual(body, s)
    if kind == "branches":
        return Branches([draw(same_size_conv()) for _ in range(draw(st.integers(1, 3)))])
    return Excite()


def cells_inside(field: N.NodeField, size: tuple[int, int]):
    cell = tuple(N.centred_cell(field.axes[a], field.output[a], size[a]) for a in (0, 1))
    return None if None in cell else cell


@settings(max_examples=60, deadline=None)
@given(st.lists(block(), min_size=1, max_size=4), st.integers(12, 28), st.integers(12, 28))
def test_closed_form_equals_autograd_on_random_graphs(blocks, h, w):
    model = nn.Sequential(*blocks)
    try:
        found = N.fields(model, (h, w))
    except ValueError:  # too small an input for this stack
        assume(False)
    last = found[-1]
    assume(last.axes is not None)
    cell = cells_inside(last, (h, w))
    assume(cell is not None)
    measured = N.measure(model, (h, w), {last.node: cell})[last.node]
    assert measured == N.window(last, cell)
    # the global paths, when there are any, reach further (every cell the pooled map saw)
    if last.global_:
        (top, bottom), (left, right) = N.measure(model, (h, w), {last.node: cell}, detach_global=False)[last.node]
        assert top <= measured[0][0] and bottom >= measured[0][1] and left <= measured[1][0] and right >= measured[1][1]
        assert (top, bottom, left, right) != (*measured[0], *measured[1]) or measured == ((0, h - 1), (0, w - 1))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["conv", "pool", "relu", "transposed"]), min_size=1, max_size=5),
       st.integers(1, 3), st.integers(1, 2), st.integers(0, 1), st.integers(10, 30))
def test_a_chain_gets_the_chain_apis_numbers(kinds, k, s, p, n):
    layers = []
    for kind in kinds:
        if kind == "conv":
            layers.append(nn.Conv2d(C, C, k + 1, s, p, dilation=2 if k == 2 else 1))
        elif kind == "pool":
            layers.append(nn.MaxPool2d(k + 1, s, min(p, (k + 1) // 2)))
        elif kind == "transposed":
            layers.append(nn.ConvTranspose2d(C, C, k, s, min(p, k - 1)))
        else:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    try:
        chain = R.receptive_field(model, n)
    except ValueError:
        assume(False)
    assume(chain and min(chain[-1].output) > 0)
    graph = [f for f in N.fields(model, n) if f.op != "ReLU"][1:]  # without the input
    assert [f.output for f in graph] == [f.output for f in chain]
    for g, c in zip(graph, chain):
        assert (g.axes[0].size, g.axes[0].jump, g.axes[0].padding) == (c.size[0], c.jump[0], c.padding[0])
        assert g.aligned


def test_residual_network_by_hand():
    """A ResNet-style stem and two blocks: the numbers of the recursion, written out."""
    body = nn.Sequential(nn.Conv2d(C, C, 3, 2, 1), nn.ReLU(), nn.Conv2d(C, C, 3, 1, 1))
    model = nn.Sequential(nn.Conv2d(C, C, 7, 2, 3), nn.MaxPool2d(3, 2, 1), Residual(body, 2))
    last = N.fields(model, 64)[-1]
    # stem: r = 7, J = 2; pool: r = 7 + 2·2 = 11, J = 4; body: + 2·4, J = 8, + 2·8
    assert (last.axes[0].size, last.axes[0].jump) == (11 + 8 + 16, 8)
    assert last.axes[0].padding == 3 + 1 * 2 + 1 * 4 + 1 * 8
    assert last.aligned and last.axes[0].offset == 0


def test_an_even_kernel_branch_is_not_aligned():
    """padding="same" with k = 2 pads 0 before and 1 after: that branch is centred half a cell
    later; with a 3×3 branch beside it the paths disagree."""
    model = Branches([nn.Conv2d(C, C, 3, padding=1), nn.Conv2d(C, C, 2, padding="same")])
    last = N.fields(model, 16)[-1]
    assert not last.aligned
    assert last.axes[0].centres == (Fraction(0), Fraction(1, 2))
    assert (last.axes[0].size, last.axes[0].padding) == (3, 1)
    cell = (8, 8)
    assert N.measure(model, 16, {last.node: cell})[last.node] == N.window(last, cell)


def test_squeeze_and_excitation_is_global():
    model = nn.Sequential(nn.Conv2d(C, C, 3, padding=1), Excite())
    last = N.fields(model, 20)[-1]
    assert last.global_ and last.axes[0].size == 3
    assert N.measure(model, 20, {last.node: (9, 9)})[last.node] == ((8, 10), (8, 10))
    assert N.measure(model, 20, {last.node: (9, 9)}, detach_global=False)[last.node] == ((0, 19), (0, 19))


class Unknown(nn.Module):
    def forward(self, x):
        return F.interpolate(nn.functional.relu(x), scale_factor=2)


@pytest.mark.parametrize("model, words", [
    (nn.Sequential(nn.Conv2d(C, C, 3), nn.Upsample(scale_factor=2)), "1 (Upsample): no receptive-field rule"),
    (Unknown(), "interpolate (interpolate): no receptive-field rule"),
    (nn.Sequential(nn.Conv2d(C, C, 3), nn.AdaptiveAvgPool2d(5)), "pools 14×14 to 5×5"),
    (nn.Sequential(nn.Conv2d(C, C, 3, padding_mode="reflect")), "padding_mode='reflect'"),
])
def test_an_operation_without_a_rule_is_refused_by_name(model, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        N.fields(model, 16)


class Mismatch(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(C, C, 3, 2, 1)
        self.b = nn.Sequential(nn.Conv2d(C, C, 3, 1, 1), nn.MaxPool2d(2))

    def forward(self, x):
        return self.a(x) + self.b(x)


def test_paths_that_agree_on_size_but_not_on_stride_are_fine_and_ones_that_do_not_are_refused():
    last = N.fields(Mismatch(), 16)[-1]  # both halve the size: J = 2 on both paths
    assert last.axes[0].jump == 2 and not last.aligned  # centres 0 and ½
    with pytest.raises(ValueError, match="input 16×16: add: Attempting to broadcast") as err:  # torch refuses first
        N.fields(nn.Sequential(Residual(nn.Conv2d(C, C, 3, 2, 0), 2)), 16)
    assert "\n" not in str(err.value)


def test_a_model_fx_cannot_trace_is_one_line():
    class Branchy(nn.Module):
        def forward(self, x):
            return x if x.sum() > 0 else -x

    with pytest.raises(ValueError, match="torch.fx cannot trace Branchy") as err:
        N.fields(Branchy(), 8)
    assert "\n" not in str(err.value)


def test_json_of_a_node():
    model = nn.Sequential(nn.Conv2d(3, 4, 4, 2, 1))
    node = N.fields(model, 8)[-1].as_dict()
    assert node == {"name": "0", "node": "_0", "op": "Conv2d", "output": [4, 4], "global": False, "aligned": True,
                    "field": {axis: {"size": 4, "stride": 2, "padding": 1, "offset": 0.5, "aligned": True}
                              for axis in ("height", "width")}}


# -- the twelve architectures of figures.zoo --------------------------------------------------

from figures import zoo  # noqa: E402


def _square(model: nn.Module) -> bool:
    """Every spatial layer has the same kernel, stride, padding and dilation along both axes, so
    the network commutes with transposing the input and the width's field is the height's."""
    pairs = []
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.MaxPool2d, nn.AvgPool2d)):
            pairs += [getattr(m, a, 1) for a in ("kernel_size", "stride", "padding", "dilation")]
    as_pair = [p if isinstance(p, tuple) else (p, p) for p in pairs if p != "same"]
    return all(a == b for a, b in as_pair)


@pytest.mark.parametrize("name", list(zoo.MODELS))
def test_closed_form_equals_autograd_at_every_stage_of_the_zoo(name):
    """The table's rows, each measured by autograd on the same architecture (positive weights,
    max pooling as a sum over its windows, global poolings cut): the closed form's window of a
    cell near the middle equals the measured one, along the height, and along the width too
    where a layer is not square (Inception's 1×7 and 7×1)."""
    with torch.device("meta"):
        model = zoo.MODELS[name]()
    axes = (0,) if _square(model) else (0, 1)
    rows = N.agreement(model, zoo.STAGES[name], axes=axes)
    assert len(rows) == len(zoo.STAGES[name]) * len(axes)
    assert [(label, axis, closed) for label, axis, closed, _ in rows] == \
           [(label, axis, measured) for label, axis, _, measured in rows]
    # the per-axis numbers agree wherever the model is square
    if axes == (0,):
        assert all(f.axes[0] == f.axes[1] for _, f in N.stage_fields(model, zoo.INPUT[name], zoo.STAGES[name]))


def test_squeeze_and_excitation_makes_mobilenet_v3_global():
    with torch.device("meta"):
        model = zoo.mobilenet_v3_large()
    rows = N.stage_fields(model, 224, zoo.STAGES["mobilenet_v3_large"])
    assert [f.global_ for _, f in rows] == [False, False, True, True, True]
    label, last = rows[-1]
    cell = (3, 3)
    local = N.measure(model, 224, {last.node: cell})[last.node]
    assert local == tuple((max(0, int(a)), min(223, int(b))) for a, b in N.window(last, cell))
    assert N.measure(model, 224, {last.node: cell}, detach_global=False)[last.node] == ((0, 223), (0, 223))


def test_the_resnet18_figure_shows_the_closed_form_and_the_gradient():
    """receptive-field-resnet18: each panel's square is the closed form's window of the middle
    cell of layer1 … layer4, and its heat map (autograd, positive twin) is non-zero exactly on
    that square clipped to the photograph."""
    from figures import catalog, render

    sc = render.scene_for(catalog.get("receptive-field-resnet18").config())
    with torch.device("meta"):
        model = zoo.resnet18()
    rows = N.stage_fields(model, 224, [s for s in zoo.STAGES["resnet18"] if s[0].startswith("layer")])
    assert [label.split()[0] for label in sc.labels] == ["layer1", "layer2", "layer3", "layer4"]
    photo = torch.tensor(sc.photo)
    assert photo.shape == (224, 224) and 0 <= photo.min() and photo.max() <= 1
    for (label, f), text, square, values in zip(rows, sc.labels, sc.squares, sc.maps):
        cell = ((f.output[0] - 1) // 2, (f.output[1] - 1) // 2)
        (top, bottom), (left, right) = N.window(f, cell)
        assert square == (top, left, bottom - top + 1, right - left + 1)
        assert text == f"{label}  {f.output[0]}×{f.output[1]}  r={f.axes[0].size}"
        seen = torch.nonzero(torch.tensor(values) > 0)
        assert (int(seen[:, 0].min()), int(seen[:, 0].max())) == (max(0, top), min(223, bottom))
        assert (int(seen[:, 1].min()), int(seen[:, 1].max())) == (max(0, left), min(223, right))
        assert max(map(max, values)) == 1.0
    assert [s[2] for s in sc.squares] == [43, 99, 211, 435]
