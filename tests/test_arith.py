"""The arithmetic module against torch, over every parameter torch accepts.

For each random configuration, either both torch and figures.arith accept it and agree on the
output shape, or both reject it (torch with a RuntimeError, arith with a ValueError).
"""

import doctest
import warnings

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

from figures import arith

sizes = st.integers(1, 12)
kernels = st.integers(1, 6)
strides = st.integers(1, 4)
paddings = st.integers(0, 4)
dilations = st.integers(1, 3)
pairs = lambda s: st.tuples(s, s)  # noqa: E731  (height, width), square or not


def torch_shape(fn, dims=2):
    """torch's output (H, W) (the last ``dims`` sizes), or None where torch refuses. An empty output (a size of 0, which
    conv_transpose2d returns instead of raising) counts as refused: arith rejects every output
    smaller than 1, as the foundation issue asks."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            shape = tuple(fn().shape[-dims:])
    except RuntimeError:
        return None
    return shape if min(shape) >= 1 else None


def arith_shape(fn):
    try:
        return fn().output
    except ValueError as err:
        message = str(err)
        assert "=" in message.split(":")[0], f"the message must name the parameter: {message}"
        return None


@settings(max_examples=400, deadline=None)
@given(pairs(sizes), pairs(kernels), pairs(strides), pairs(paddings), pairs(dilations))
def test_conv2d_matches_torch(i, k, s, p, d):
    x = torch.zeros(1, 1, *i)
    w = torch.zeros(1, 1, *k)
    expected = torch_shape(lambda: F.conv2d(x, w, stride=s, padding=p, dilation=d))
    assert arith_shape(lambda: arith.conv2d(i, k, s, p, d)) == expected


@settings(max_examples=200, deadline=None)
@given(pairs(sizes), pairs(kernels), pairs(strides), pairs(dilations), st.sampled_from(["same", "valid"]))
def test_conv2d_string_padding_matches_torch(i, k, s, d, mode):
    x = torch.zeros(1, 1, *i)
    w = torch.zeros(1, 1, *k)
    expected = torch_shape(lambda: F.conv2d(x, w, stride=s, padding=mode, dilation=d))
    assert arith_shape(lambda: arith.conv2d(i, k, s, mode, d)) == expected


@settings(max_examples=400, deadline=None)
@given(pairs(sizes), pairs(kernels), pairs(strides), pairs(paddings), pairs(dilations), pairs(st.integers(0, 3)))
def test_conv_transpose2d_matches_torch(i, k, s, p, d, a):
    x = torch.zeros(1, 1, *i)
    w = torch.zeros(1, 1, *k)
    expected = torch_shape(
        lambda: F.conv_transpose2d(x, w, stride=s, padding=p, dilation=d, output_padding=a)
    )
    assert arith_shape(lambda: arith.conv_transpose2d(i, k, s, p, d, a)) == expected


@settings(max_examples=400, deadline=None)
@given(
    pairs(sizes), pairs(kernels), st.one_of(st.none(), pairs(strides)), pairs(paddings),
    pairs(dilations), st.booleans(),
)
def test_max_pool2d_matches_torch(i, k, s, p, d, ceil):
    x = torch.zeros(1, 1, *i)
    expected = torch_shape(
        lambda: F.max_pool2d(x, k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
    )
    assert arith_shape(lambda: arith.pool2d(i, k, s, p, d, ceil)) == expected


@settings(max_examples=400, deadline=None)
@given(pairs(sizes), pairs(kernels), st.one_of(st.none(), pairs(strides)), pairs(paddings), st.booleans())
def test_avg_pool2d_matches_torch(i, k, s, p, ceil):
    x = torch.zeros(1, 1, *i)
    expected = torch_shape(lambda: F.avg_pool2d(x, k, stride=s, padding=p, ceil_mode=ceil))
    assert arith_shape(lambda: arith.pool2d(i, k, s, p, 1, ceil)) == expected


@settings(max_examples=200, deadline=None)
@given(sizes, kernels, strides, paddings, dilations)
def test_transposed_of_restores_the_input_size(i, k, s, p, d):
    try:
        o, a = arith.transposed_of(i, k, s, p, d)
    except ValueError:
        return
    assert arith.conv_transpose_axis(o, k, s, p, d, a).size == i


# ----------------------------------------------------------------------- 1-D and 3-D, as torch

per_axis = lambda s, dims: st.tuples(*[s] * dims)  # noqa: E731
sizes3 = st.integers(1, 7)  # small volumes: every configuration runs torch on a real tensor
FN = {1: (F.conv1d, F.conv_transpose1d, F.max_pool1d, F.avg_pool1d),
      3: (F.conv3d, F.conv_transpose3d, F.max_pool3d, F.avg_pool3d)}
ARITH = {1: (arith.conv1d, arith.conv_transpose1d, arith.pool1d),
         3: (arith.conv3d, arith.conv_transpose3d, arith.pool3d)}


def config(dims, size=sizes, kernel=kernels):
    """Per-axis values for a 1-D or 3-D configuration (the same on every axis, or not)."""
    return st.tuples(per_axis(size, dims), per_axis(kernel, dims), per_axis(strides, dims),
                     per_axis(paddings, dims), per_axis(dilations, dims))


@pytest.mark.parametrize("dims", [1, 3])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_conv1d_conv3d_match_torch(dims, data):
    i, k, s, p, d = data.draw(config(dims, sizes if dims == 1 else sizes3, kernels if dims == 1 else st.integers(1, 4)))
    padding = data.draw(st.one_of(st.just(p), st.sampled_from(["same", "valid"])))
    x, w = torch.zeros(1, 1, *i), torch.zeros(1, 1, *k)
    expected = torch_shape(lambda: FN[dims][0](x, w, stride=s, padding=padding, dilation=d), dims)
    assert arith_shape(lambda: ARITH[dims][0](i, k, s, padding, d)) == expected


@pytest.mark.parametrize("dims", [1, 3])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_conv_transpose1d_3d_match_torch(dims, data):
    i, k, s, p, d = data.draw(config(dims, sizes if dims == 1 else sizes3, kernels if dims == 1 else st.integers(1, 4)))
    a = data.draw(per_axis(st.integers(0, 3), dims))
    x, w = torch.zeros(1, 1, *i), torch.zeros(1, 1, *k)
    expected = torch_shape(lambda: FN[dims][1](x, w, stride=s, padding=p, dilation=d, output_padding=a), dims)
    assert arith_shape(lambda: ARITH[dims][1](i, k, s, p, d, a)) == expected


@pytest.mark.parametrize("dims", [1, 3])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_pool1d_pool3d_match_torch(dims, data):
    i, k, s, p, d = data.draw(config(dims, sizes if dims == 1 else sizes3, kernels if dims == 1 else st.integers(1, 4)))
    s = data.draw(st.one_of(st.none(), st.just(s)))
    ceil, average = data.draw(st.booleans()), data.draw(st.booleans())
    x = torch.zeros(1, 1, *i)
    if average:
        expected = torch_shape(lambda: FN[dims][3](x, k, stride=s, padding=p, ceil_mode=ceil), dims)
        assert arith_shape(lambda: ARITH[dims][2](i, k, s, p, 1, ceil, average=True)) == expected
    else:
        expected = torch_shape(lambda: FN[dims][2](x, k, stride=s, padding=p, dilation=d, ceil_mode=ceil), dims)
        assert arith_shape(lambda: ARITH[dims][2](i, k, s, p, d, ceil)) == expected


# ------------------------------------------------ per-side padding, as F.pad then padding=0 in torch

@settings(max_examples=300, deadline=None)
@given(pairs(sizes), pairs(kernels), pairs(strides), pairs(dilations),
       st.sampled_from(["same-upper", "same-lower"]), st.booleans())
def test_same_upper_and_lower_are_torch_on_the_padded_input(i, k, s, d, mode, pool):
    """The helpers' paddings, given to F.pad, then torch with padding=0: the output size is
    ⌈i/s⌉ on every axis, and it is what conv2d/pool2d(padding=mode) say."""
    helper = arith.same_upper_padding if mode == "same-upper" else arith.same_lower_padding
    (top, bottom), (left, right) = helper(i[0], k[0], s[0], d[0]), helper(i[1], k[1], s[1], d[1])
    assert top + bottom == arith.same_upper_padding(i[0], k[0], s[0], d[0])[0] * 2 + (top + bottom) % 2
    assert (bottom - top if mode == "same-upper" else top - bottom) in (0, 1)
    x = F.pad(torch.zeros(1, 1, *i), (left, right, top, bottom))
    if pool:
        got = tuple(F.max_pool2d(x, k, stride=s, dilation=d).shape[-2:])
        shape = arith.pool2d(i, k, s, mode, d)
    else:
        got = tuple(F.conv2d(x, torch.zeros(1, 1, *k), stride=s, dilation=d).shape[-2:])
        shape = arith.conv2d(i, k, s, mode, d)
    assert got == shape.output == (-(-i[0] // s[0]), -(-i[1] // s[1]))
    assert shape.pads == ((top, bottom), (left, right))


@settings(max_examples=200, deadline=None)
@given(pairs(sizes), pairs(kernels), pairs(dilations))
def test_same_upper_with_stride_1_is_torchs_same(i, k, d):
    torch.manual_seed(0)
    x, w = torch.randn(1, 1, *i), torch.randn(1, 1, *k)
    (top, bottom), (left, right) = (arith.same_upper_padding(i[a], k[a], 1, d[a]) for a in (0, 1))
    assert (top, bottom) == arith.same_padding(k[0], d[0]) and (left, right) == arith.same_padding(k[1], d[1])
    expected = F.conv2d(x, w, padding="same", dilation=d)
    assert torch.equal(F.conv2d(F.pad(x, (left, right, top, bottom)), w, dilation=d), expected)


@settings(max_examples=300, deadline=None)
@given(pairs(sizes), pairs(kernels), pairs(strides), pairs(dilations), pairs(pairs(paddings)))
def test_conv_axis_padded_is_torch_on_the_padded_input(i, k, s, d, pads):
    x = F.pad(torch.zeros(1, 1, *i), (*pads[1], *pads[0]))
    expected = torch_shape(lambda: F.conv2d(x, torch.zeros(1, 1, *k), stride=s, dilation=d))
    assert arith_shape(lambda: arith.conv2d(i, k, s, pads, d)) == expected
    for axis in (0, 1):  # one axis alone: conv_axis_padded, and Conv1d on the input padded per side
        x1 = F.pad(torch.zeros(1, 1, i[axis]), pads[axis])
        expected = torch_shape(lambda: F.conv1d(x1, torch.zeros(1, 1, k[axis]), stride=s[axis], dilation=d[axis]), 1)
        try:
            got = (arith.conv_axis_padded(i[axis], k[axis], s[axis], *pads[axis], d[axis]).size,)
        except ValueError as err:
            assert str(err).startswith(f"kernel={k[axis]}:")
            got = None
        assert got == expected


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30), kernels, dilations, st.integers(0, 29))
def test_causal_output_t_reads_only_inputs_up_to_t(length, k, d, t):
    """F.pad by causal_padding, then Conv1d: as long as the input, and changing any input after
    t leaves outputs 0 … t as they were."""
    t = min(t, length - 1)
    torch.manual_seed(0)
    x, w = torch.randn(1, 1, length), torch.randn(1, 1, k)
    pads = arith.causal_padding(k, d)
    shape = arith.conv1d(length, k, padding="causal", dilation=d)
    y = F.conv1d(F.pad(x, pads), w, dilation=d)
    assert tuple(y.shape[-1:]) == shape.output == (length,) and shape.pads == (pads,)
    x2 = x.clone()
    x2[..., t + 1:] += 1
    assert torch.equal(F.conv1d(F.pad(x2, pads), w, dilation=d)[..., : t + 1], y[..., : t + 1])


@pytest.mark.parametrize(
    "call, expected",
    [
        # the sizes that readers know from popular tutorials (DESIGN.md)
        (lambda: arith.conv2d(4, 3), (2, 2)),
        (lambda: arith.conv2d(5, 4, padding=2), (6, 6)),
        (lambda: arith.conv2d(224, 3, padding=1), (224, 224)),
        (lambda: arith.conv2d(224, 5, stride=2, padding=2), (112, 112)),
        (lambda: arith.conv2d(7, 3, padding=2, dilation=2), (7, 7)),
        (lambda: arith.conv_transpose2d(2, 3), (4, 4)),
        (lambda: arith.conv_transpose2d(6, 4, padding=2), (5, 5)),
        (lambda: arith.conv_transpose2d(7, 3, padding=2), (5, 5)),
        (lambda: arith.conv_transpose2d(2, 3, stride=2), (5, 5)),
        (lambda: arith.conv_transpose2d(3, 3, stride=2, padding=1), (5, 5)),
        (lambda: arith.conv_transpose2d(16, 3, stride=2, padding=1, output_padding=1), (32, 32)),
    ],
)
def test_known_examples(call, expected):
    assert call().output == expected


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: arith.conv2d(4, 0), "kernel=0"),
        (lambda: arith.conv2d(4, 3, stride=0), "stride=0"),
        (lambda: arith.conv2d(4, 3, dilation=0), "dilation=0"),
        (lambda: arith.conv2d(4, 3, padding=-1), "padding=-1"),
        (lambda: arith.conv2d(4, 3, padding="full"), "padding='full'"),
        (lambda: arith.conv2d(4, 3, stride=2, padding="same"), "padding='same'"),
        (lambda: arith.conv2d(2, 5), "kernel=5"),
        (lambda: arith.conv2d((8, 2), 5), "(width)"),
        (lambda: arith.conv_transpose2d(4, 3, stride=2, output_padding=2), "output_padding=2"),
        (lambda: arith.conv_transpose2d(2, 3, padding=3), "padding=3"),
        (lambda: arith.pool2d(5, 3, padding=2), "padding=2"),
        (lambda: arith.pool2d(5, 6), "kernel=6"),
        (lambda: arith.conv2d(8, 3, padding="causal"), "padding='causal'"),
        (lambda: arith.conv3d(8, 3, padding="causal"), "3-D"),
        (lambda: arith.conv_transpose1d(8, 3, padding="causal"), "padding='causal'"),
        (lambda: arith.conv_transpose2d(8, 3, padding="same-upper"), "padding='same-upper'"),
        (lambda: arith.pool1d(8, 3, padding="causal"), "padding='causal'"),
        (lambda: arith.pool2d(8, 3, padding="same-upper", ceil_mode=True), "ceil_mode=True"),
        (lambda: arith.conv1d(8, (3, 3)), "kernel=(3, 3)"),
        (lambda: arith.conv3d((8, 8), 3), "three (depth, height, width)"),
        (lambda: arith.conv3d((8, 8, 2), 3), "(width)"),
        (lambda: arith.conv2d(8, 3, padding=((1, 0), (1, -1))), "after=-1"),
        (lambda: arith.same_upper_padding(8, 3, stride=0), "stride=0"),
        (lambda: arith.causal_padding(0), "kernel=0"),
        (lambda: arith.conv_axis_padded(2, 4, before=1), "kernel=4"),
        (lambda: arith.pool1d(8, 3, dilation=2, average=True), "dilation=2"),
    ],
)
def test_errors_name_the_parameter(call, fragment):
    with pytest.raises(ValueError) as info:
        call()
    assert fragment in str(info.value)


def test_formula_substitutes_the_numbers():
    assert arith.conv_axis(5, 3, 2, 1).formula == "⌊(5 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 3"
    assert arith.conv2d(5, 4, padding="same").formulas[0] == "⌊(5 + 1 + 2 − 1·(4 − 1) − 1) / 1⌋ + 1 = 5"
    assert arith.conv2d(224, 3, 2, "same-upper").formulas[0] == "⌊(224 + 0 + 1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 112"


def test_describe_names_the_axes():
    assert arith.conv1d(100, 3).describe().splitlines() == ["conv: 100 → 98", "L_out = ⌊(100 + 2·0 − 1·(3 − 1) − 1) / 1⌋ + 1 = 98"]
    assert arith.conv3d((16, 112, 112), 3, (1, 2, 2), 1).describe().splitlines() == [
        "conv: 16×112×112 → 16×56×56",
        "D_out = ⌊(16 + 2·1 − 1·(3 − 1) − 1) / 1⌋ + 1 = 16",
        "H_out = ⌊(112 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 56",
        "W_out = ⌊(112 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 56"]
    assert arith.pool3d(8, 2).describe().splitlines()[1].startswith("D_out = H_out = W_out = ⌊(8 ")


def test_doctests():
    result = doctest.testmod(arith)
    assert result.attempted > 40 and result.failed == 0
