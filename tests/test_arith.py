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


def torch_shape(fn):
    """torch's output (H, W), or None where torch refuses. An empty output (a size of 0, which
    conv_transpose2d returns instead of raising) counts as refused: arith rejects every output
    smaller than 1, as the foundation issue asks."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            shape = tuple(fn().shape[-2:])
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
    ],
)
def test_errors_name_the_parameter(call, fragment):
    with pytest.raises(ValueError) as info:
        call()
    assert fragment in str(info.value)


def test_formula_substitutes_the_numbers():
    assert arith.conv_axis(5, 3, 2, 1).formula == "⌊(5 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 3"
    assert arith.conv2d(5, 4, padding="same").formulas[0] == "⌊(5 + 1 + 2 − 1·(4 − 1) − 1) / 1⌋ + 1 = 5"


def test_doctests():
    result = doctest.testmod(arith)
    assert result.attempted > 10 and result.failed == 0
