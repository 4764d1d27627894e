"""Claims of the explorer page (docs/*/explore.md), each swept over its domain.

What the page computes is compared with figures.arith by tests/test_explore.py; these are the
rules its prose states."""

from __future__ import annotations

import itertools

import torch
import torch.nn.functional as F

from .claim import claim
from figures import arith



@claim("explore", "reading")
def test_where_each_named_padding_puts_its_odd_cell():
    """
    en: TensorFlow's `SAME` puts the extra cell of an odd padding after the input (a row at the bottom, a column
      on the right), ONNX's `SAME_LOWER` before it (top, left), causal padding all of it before
    zh: TensorFlow 的 `SAME` 把多出来的那一格填充放在输入后面（下边一行、右边一列），ONNX 的 `SAME_LOWER` 放在前面（上边、左边），
      因果填充则全部放在前面
    domain: every input 1–20, k 1–6, s 1–4, d 1–3: JAX's "SAME" (TensorFlow's rule) and figures.arith's
      same-upper are equal, with after − before in {0, 1}; same-lower is the same two numbers swapped;
      causal is (d(k−1), 0).
    """
    from jax import lax
    for i, k, s, d in itertools.product(range(1, 21), range(1, 7), range(1, 5), range(1, 4)):
        ((before, after),) = lax.padtype_to_pads((i,), (d * (k - 1) + 1,), (s,), "SAME")
        assert arith.same_upper_padding(i, k, stride=s, dilation=d) == (before, after)
        assert after - before in (0, 1)
        assert arith.same_lower_padding(i, k, stride=s, dilation=d) == (after, before)
        assert arith.causal_padding(k, dilation=d) == (d * (k - 1), 0)


@claim("explore", "formulas")
def test_named_paddings_use_the_first_formula():
    """
    en: The first formula then holds with $p_\\text{before} + p_\\text{after}$ in place of
      $2p$
    zh: 之后仍用第一个公式，只是把 $2p$ 换成 $p_\\text{before} + p_\\text{after}$
    domain: every input 1–16, k 1–5, s 1–4, d 1–3 and the three named paddings (same-upper, same-lower,
      causal): torch's size after F.pad with the two amounts and padding 0 is the first formula with
      their sum; for SAME it is ⌈H/s⌉ and P is the formula's.
    """
    for i, k, s, d in itertools.product(range(1, 17), range(1, 6), range(1, 5), range(1, 4)):
        o = -(-i // s)
        total = max(0, (o - 1) * s + d * (k - 1) + 1 - i)
        assert arith.same_upper_padding(i, k, stride=s, dilation=d) == (total // 2, total - total // 2)
        for before, after in (arith.same_upper_padding(i, k, stride=s, dilation=d),
                              arith.same_lower_padding(i, k, stride=s, dilation=d),
                              arith.causal_padding(k, dilation=d)):
            x = F.pad(torch.zeros(1, 1, i), (before, after))
            size = F.conv1d(x, torch.zeros(1, 1, k), stride=s, dilation=d).shape[-1]
            assert size == (i + before + after - d * (k - 1) - 1) // s + 1
        assert F.conv1d(F.pad(torch.zeros(1, 1, i), (total // 2, total - total // 2)), torch.zeros(1, 1, k),
                        stride=s, dilation=d).shape[-1] == o


@claim("explore", "formulas")
def test_pooling_with_ceil_mode():
    """
    en: Pooling uses the first formula. With `ceil_mode` on it rounds up instead, and then drops the last
      window if it would start in the padding after the input: a window must start inside the input or
      the padding before it (a 5-cell input, $k = 2$, $s = 2$, $p = 1$: rounding up gives 4, torch
      makes 3).
    zh: 池化用第一个公式。打开 `ceil_mode` 时改为向上取整，但如果最后一个窗口会从输入后面的填充里开始，就把它去掉：
      窗口只能从输入内部或前面的填充里开始（输入 5 格、$k = 2$、$s = 2$、$p = 1$：向上取整得 4，torch 只给 3）。
    domain: max pooling, every input 1–14, k 1–5, s 1–5, p 0–⌊k/2⌋, d 1–3, ceil_mode off and on: torch's
      size is the first formula (floor), or with ceil_mode the rounded-up count minus one exactly when
      the last window would start at or after input + p; and the page's example.
    """
    x = torch.zeros(1, 1, 14)
    for i, k, s, d in itertools.product(range(1, 15), range(1, 6), range(1, 6), range(1, 4)):
        for p in range(k // 2 + 1):
            n = i + 2 * p - d * (k - 1) - 1
            floor_size, ceil_size = n // s + 1, -(-n // s) + 1
            if floor_size >= 1:
                assert F.max_pool1d(x[..., :i], k, s, p, d).shape[-1] == floor_size
            expected = ceil_size - 1 if (ceil_size - 1) * s >= i + p else ceil_size
            if expected >= 1:
                assert F.max_pool1d(x[..., :i], k, s, p, d, ceil_mode=True).shape[-1] == expected
    n = 5 + 2 - 1 - 1
    assert -(-n // 2) + 1 == 4 and F.max_pool1d(x[..., :5], 2, 2, 1, ceil_mode=True).shape[-1] == 3
