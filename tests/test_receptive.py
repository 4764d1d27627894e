"""Receptive fields: the closed form (Araujo et al., 2019) and the exact window against the
autograd measurement, on every supported layer type and on random chains."""

import math

import pytest
import torch
from hypothesis import assume, given, settings, strategies as st
from torch import nn

from figures import receptive as R

small = st.integers(1, 3)


@st.composite
def layer(draw, allow_transposed=True):
    kinds = ["conv", "max", "avg", "relu", "bn", "nested", "pad"] + (["transposed"] if allow_transposed else [])
    kind = draw(st.sampled_from(kinds))
    k = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    s = (draw(small), draw(small))
    d = (draw(small), draw(small))
    if kind == "conv":
        p = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
        return nn.Conv2d(2, 2, k, stride=s, padding=p, dilation=d)
    if kind == "transposed":
        p = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
        return nn.ConvTranspose2d(2, 2, k, stride=s, padding=p, dilation=d)
    if kind in ("max", "avg"):
        p = (draw(st.integers(0, k[0] // 2)), draw(st.integers(0, k[1] // 2)))
        ceil = draw(st.booleans())
        if kind == "max":
            return nn.MaxPool2d(k, s, p, dilation=d, ceil_mode=ceil)
        return nn.AvgPool2d(k, s, p, ceil_mode=ceil)
    if kind == "relu":
        return nn.ReLU()
    if kind == "pad":
        return nn.ZeroPad2d(tuple(draw(st.integers(0, 2)) for _ in range(4)))
    if kind == "bn":
        return nn.BatchNorm2d(2)
    return nn.Sequential(nn.Conv2d(2, 2, k, padding=1), nn.Sequential(nn.GELU(), nn.MaxPool2d(2, 1)))


def valid(model, size):
    try:
        fields = R.receptive_field(model, size)
    except ValueError:
        return None
    return fields if fields else None


@settings(max_examples=120, deadline=None)
@given(st.lists(layer(), min_size=1, max_size=4), st.integers(6, 20), st.integers(6, 20), st.data())
def test_exact_window_equals_autograd(chain, h, w, data):
    model = nn.Sequential(*chain)
    fields = valid(model, (h, w))
    assume(fields is not None)
    oh, ow = fields[-1].output
    cell = (data.draw(st.integers(0, oh - 1)), data.draw(st.integers(0, ow - 1)))
    assert R.measure(model, (h, w), cell) == R.input_cells(model, (h, w), cell)
    # the output sizes are the arithmetic module's, and torch's (in eval mode: batch norm in
    # training mode refuses a 1×1 output with one sample, which is about statistics, not shapes)
    with torch.no_grad():
        assert tuple(model.double().eval()(torch.zeros(1, 2, h, w, dtype=torch.float64)).shape[-2:]) == (oh, ow)


@settings(max_examples=120, deadline=None)
@given(st.lists(layer(allow_transposed=False), min_size=1, max_size=5), st.integers(8, 24), st.data())
def test_closed_form_equals_exact_window_without_upsampling(chain, n, data):
    model = nn.Sequential(*chain)
    fields = valid(model, n)
    assume(fields is not None)
    out = fields[-1].output
    cell = (data.draw(st.integers(0, out[0] - 1)), data.draw(st.integers(0, out[1] - 1)))
    closed = fields[-1].window(cell)
    exact = R.input_window(model, n, cell)
    assert closed == exact
    assert all(f.size[a].denominator == 1 for f in fields for a in (0, 1))


@settings(max_examples=120, deadline=None)
@given(st.lists(layer(), min_size=1, max_size=4), st.integers(6, 16), st.data())
def test_closed_form_bounds_the_window_with_transposed_layers(chain, n, data):
    model = nn.Sequential(*chain)
    fields = valid(model, n)
    assume(fields is not None)
    out = fields[-1].output
    cell = (data.draw(st.integers(0, out[0] - 1)), data.draw(st.integers(0, out[1] - 1)))
    (lo_r, hi_r), (lo_c, hi_c) = fields[-1].window(cell)
    exact = R.input_window(model, n, cell)
    assume(exact is not None)  # a cell on inserted zeros depends on no input cell
    (elo_r, ehi_r), (elo_c, ehi_c) = exact
    assert math.ceil(lo_r) <= elo_r and ehi_r <= math.floor(hi_r)
    assert math.ceil(lo_c) <= elo_c and ehi_c <= math.floor(hi_c)


def test_three_3x3_layers_see_7x7():
    model = nn.Sequential(*[nn.Conv2d(1, 1, 3) for _ in range(3)])
    assert [int(f.size[0]) for f in R.receptive_field(model, 9)] == [3, 5, 7]
    assert R.measure(model, 9, (1, 1)) == (set(range(1, 8)), set(range(1, 8)))


def test_same_padding_and_every_layer_type():
    model = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding="same"), nn.BatchNorm2d(4), nn.ReLU(),
        nn.MaxPool2d(2), nn.Sequential(nn.Conv2d(4, 4, 3, dilation=2, padding=2), nn.SiLU()),
        nn.AvgPool2d(3, 2, 1), nn.ConvTranspose2d(4, 2, 4, stride=2, padding=1),
    )
    fields = R.receptive_field(model, 32)
    assert [f.layer.kind for f in fields] == ["conv", "pool", "conv", "pool", "transposed"]
    for cell in [(0, 0), (7, 9), (15, 15)]:
        assert R.measure(model, 32, cell) == R.input_cells(model, 32, cell)


@pytest.mark.parametrize(
    "module, fragment",
    [(nn.Linear(4, 4), "Linear"), (nn.Upsample(scale_factor=2), "Upsample"), (nn.Flatten(), "Flatten"),
     (nn.Conv2d(1, 1, 3, padding=1, padding_mode="reflect"), "padding_mode='reflect'")],
)
def test_unsupported_layers_are_named(module, fragment):
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(")):
        R.receptive_field(nn.Sequential(nn.Conv2d(1, 1, 3), module), 16)
