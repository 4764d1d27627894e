"""Experiments against torch: the records reproduce F.conv2d and F.conv_transpose2d."""

import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings, strategies as st

from figures import arith
from figures.experiments import INPUT, PAD, ZERO, make_values, record_conv, record_transposed

pair = lambda lo, hi: st.tuples(st.integers(lo, hi), st.integers(lo, hi))  # noqa: E731


@settings(max_examples=150, deadline=None)
@given(pair(1, 8), pair(1, 4), pair(1, 3), pair(0, 2), pair(1, 3), st.integers(0, 99))
def test_record_conv_matches_torch(i, k, s, p, d, seed):
    try:
        arith.conv2d(i, k, s, p, d)
    except ValueError:
        assume(False)
    x, w = make_values("random", i, k, seed)
    rec = record_conv(x, w, s, p, d)
    expected = F.conv2d(x[None, None], w[None, None], stride=s, padding=p, dilation=d)[0, 0]
    assert torch.equal(rec.output, expected)
    # every window, recomputed from the values it recorded, gives its output cell
    for window in rec.windows:
        total = sum(v * w.flatten()[n].item() for n, v in enumerate(window.values))
        assert total == rec.output[window.out].item()
        assert all(rec.grid[c].item() == v for c, v in zip(window.cells, window.values))
    # the padded grid: the input in the middle, padding (zeros) around it
    inner = [(r, c) for r, row in enumerate(rec.roles) for c, role in enumerate(row) if role == INPUT]
    assert len(inner) == i[0] * i[1]
    assert all(rec.grid[r, c] == 0 for r, row in enumerate(rec.roles) for c, role in enumerate(row) if role == PAD)


@settings(max_examples=150, deadline=None)
@given(pair(1, 6), pair(1, 4), pair(1, 3), pair(0, 3), pair(1, 3), pair(0, 2), st.integers(0, 99))
def test_record_transposed_matches_torch(i, k, s, p, d, a, seed):
    try:
        arith.conv_transpose2d(i, k, s, p, d, a)
    except ValueError:
        assume(False)
    x, w = make_values("random", i, k, seed)
    rec = record_transposed(x, w, s, p, d, a)
    expected = F.conv_transpose2d(x[None, None], w[None, None], stride=s, padding=p, dilation=d,
                                  output_padding=a)[0, 0]
    assert torch.equal(rec.output, expected)
    assert torch.equal(rec.direct.kernel, torch.flip(w, (0, 1)))
    roles = rec.direct.roles
    values = rec.direct.grid
    # zeros are zeros; the input cells, read in order, are the input
    assert all(values[r, c] == 0 for r, row in enumerate(roles) for c, role in enumerate(row) if role in (PAD, ZERO))
    if min(rec.border) >= 0:
        inputs = [values[r, c].item() for r, row in enumerate(roles) for c, role in enumerate(row) if role == INPUT]
        assert inputs == x.flatten().tolist()
        assert rec.direct.grid.shape == (
            (i[0] - 1) * s[0] + 1 + 2 * rec.border[0] + a[0],
            (i[1] - 1) * s[1] + 1 + 2 * rec.border[1] + a[1],
        )


def test_negative_border_crops():
    x, w = make_values("arange", 3, 3)
    rec = record_transposed(x, w, stride=2, padding=3)  # d·(k−1)−p = −1
    assert rec.border == (-1, -1)
    assert rec.output.shape == (1, 1)


@pytest.mark.parametrize("kind", ["arange", "ones", "random"])
def test_values(kind):
    x, w = make_values(kind, (3, 4), (2, 3), seed=7)
    assert x.shape == (3, 4) and w.shape == (2, 3)
    assert torch.equal(x, x.round())  # integers: readable in a cell
    if kind == "arange":
        assert x.flatten().tolist() == list(range(1, 13))
    if kind == "random":
        assert torch.equal(x, make_values(kind, (3, 4), (2, 3), seed=7)[0])


def test_unknown_values_are_refused():
    with pytest.raises(ValueError, match="values='zeros'"):
        make_values("zeros", 3, 3)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["max", "avg"]), pair(1, 8), pair(1, 4), st.one_of(st.none(), pair(1, 3)), pair(0, 2),
       pair(1, 2), st.booleans(), st.integers(0, 99))
def test_record_pool_matches_torch(mode, i, k, s, p, d, ceil, seed):
    if mode == "avg":
        d = (1, 1)
    try:
        arith.pool2d(i, k, s, p, d, ceil)
    except ValueError:
        assume(False)
    from figures.experiments import record_pool

    x, _ = make_values("random", i, k, seed)
    rec = record_pool(x, mode, k, s, p, d, ceil)
    if mode == "max":
        expected = F.max_pool2d(x[None, None], k, s, p, d, ceil_mode=ceil)[0, 0]
    else:
        expected = F.avg_pool2d(x[None, None], k, s, p, ceil_mode=ceil)[0, 0]
    assert torch.equal(rec.output, expected)
    for window in rec.windows:  # every output is the max (or the mean over what counts) of its window
        vals = [v for v in window.values if v == v]
        got = max(vals) if mode == "max" else sum(vals) / len(vals)
        want = rec.output[window.out].item()
        assert got == want or abs(got - want) < 1e-9  # a window of padding only gives −∞, as in torch
