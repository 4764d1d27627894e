"""The claims of the upsampling chapter (docs/en/upsampling.md, docs/zh/upsampling.md)."""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import floor

import torch
import torch.nn.functional as F
from torch import nn

from claim import claim

PAGE = "upsampling"
HALF = Fraction(1, 2)


def picked(x_len: int, mode: str, **size) -> list[int]:
    """Which input cell each output cell of ``F.interpolate`` copied (1-D, float32)."""
    x = torch.arange(x_len, dtype=torch.float32)[None, None]
    return F.interpolate(x, mode=mode, **size)[0, 0].long().tolist()


def rule(position: Fraction, x_len: int, got: int) -> bool:
    """``got`` is ⌊position⌋ (clamped to the last cell), or, where the position is a whole
    number, possibly the cell before (torch computes it in single precision)."""
    exact = min(floor(position), x_len - 1)
    return got == exact or (position.denominator == 1 and got == exact - 1)


# --- nearest and nearest-exact -------------------------------------------------------------


@claim(PAGE, "nearest-exact")
def test_nearest_reads_the_left_edge_nearest_exact_the_centre():
    r"""
    en: `mode="nearest"` copies the input cell under its left edge, $\lfloor i · \text{in}/\text{out} \rfloor$;
        `mode="nearest-exact"` copies the one under its centre, $\lfloor (i + \tfrac{1}{2}) · \text{in}/\text{out} \rfloor$.
    zh: `mode="nearest"` 复制这一段左端所在的输入格子，即 $\lfloor i · \text{in}/\text{out} \rfloor$；
        `mode="nearest-exact"` 复制中点所在的那一格，即 $\lfloor (i + \tfrac{1}{2}) · \text{in}/\text{out} \rfloor$。
    domain: every input length 1–24 and output length 1–48 given as size=, 1-D float32, both modes; at an
        exact whole-number position one cell lower is allowed (the single-precision caveat, swept below).
    """
    for n, out in itertools.product(range(1, 25), range(1, 49)):
        for mode, offset in (("nearest", 0), ("nearest-exact", HALF)):
            got = picked(n, mode, size=out)
            for i, g in enumerate(got):
                assert rule((i + offset) * Fraction(n, out), n, g), (n, out, mode, i, g)


@claim(PAGE, "nearest-exact")
def test_scale_factor_takes_the_place_of_in_over_out():
    r"""
    en: With `scale_factor=f` instead of `size`, $1/f$ takes the place of in/out (unless `recompute_scale_factor=True`)
    zh: 不传 `size` 而传 `scale_factor=f` 时，公式里的 in/out 换成 $1/f$（除非设 `recompute_scale_factor=True`）
    domain: input lengths 1–16, scale factors 1/8 to 39/8 in steps of 1/8 (those that leave an output), both
        modes; with recompute_scale_factor=True the size rule of the sentence before holds instead.
    """
    differs = 0
    for n, eighths in itertools.product(range(1, 17), range(1, 40)):
        f = Fraction(eighths, 8)
        if floor(n * f) < 1:
            continue
        for mode, offset in (("nearest", 0), ("nearest-exact", HALF)):
            got = picked(n, mode, scale_factor=float(f))
            assert len(got) == floor(n * f)
            for i, g in enumerate(got):
                assert rule((i + offset) / f, n, g), (n, f, mode, i, g)
            again = picked(n, mode, scale_factor=float(f), recompute_scale_factor=True)
            out = len(again)
            for i, g in enumerate(again):
                assert rule((i + offset) * Fraction(n, out), n, g), (n, f, mode, i, g)
            differs += got != again
    assert differs  # the two rules are not the same rule


@claim(PAGE, "nearest-exact")
def test_the_modes_agree_at_whole_multiples():
    r"""
    en: The two agree whenever the output is a whole multiple of the input: both then repeat every cell $f$ times.
    zh: 只要输出是输入的整数倍，两者就完全一致：都把每个格子重复 $f$ 次。
    domain: 1-D inputs of length 1–32 and 2-D inputs up to 8×8 (random values), every whole factor 1–12, given as
        size=, as an int scale_factor and as a float one.
    """
    g = torch.Generator().manual_seed(0)
    for n, f in itertools.product(range(1, 33), range(1, 13)):
        x = torch.rand(1, 1, n, generator=g)
        repeated = x.repeat_interleave(f, dim=-1)
        for size in (dict(size=n * f), dict(scale_factor=f), dict(scale_factor=float(f))):
            for mode in ("nearest", "nearest-exact"):
                assert torch.equal(F.interpolate(x, mode=mode, **size), repeated), (n, f, size, mode)
    for h, w, f in itertools.product(range(1, 9), range(1, 9), range(1, 6)):
        x = torch.rand(1, 2, h, w, generator=g)
        a = F.interpolate(x, scale_factor=f, mode="nearest")
        assert torch.equal(a, F.interpolate(x, size=(h * f, w * f), mode="nearest-exact"))
        assert torch.equal(a, x.repeat_interleave(f, -1).repeat_interleave(f, -2))


@claim(PAGE, "nearest-exact")
def test_shrinking_by_a_whole_factor_they_never_agree():
    r"""
    en: Shrinking by a whole factor $f$ of 2 or more they never agree: `nearest` keeps the first cell
        of every $f$, `nearest-exact` cell $\lfloor f/2 \rfloor$ of every $f$
    zh: 反过来按 2 及以上的整数 $f$ 缩小时，两者从不一致：
        `nearest` 保留每 $f$ 格中的第一格，`nearest-exact` 保留其中的第 $\lfloor f/2 \rfloor$ 格
    domain: output lengths 1–16, whole factors 2–12 (input = f · output), given as size=.
    """
    for out, f in itertools.product(range(1, 17), range(2, 13)):
        n = out * f
        assert picked(n, "nearest", size=out) == [j * f for j in range(out)]
        assert picked(n, "nearest-exact", size=out) == [j * f + f // 2 for j in range(out)]


@claim(PAGE, "nearest-exact")
def test_a_whole_number_position_can_come_out_lower():
    r"""
    en: for a float32 tensor torch works the position out in single
        precision, so where it is exactly a whole number it can come out a hair lower and copy the cell before
    zh: 对 float32 张量，torch 用单精度计算位置，位置恰好是整数时，算出来可能略小一点，于是复制了前一格
    domain: input lengths 1–24, output lengths 1–48 (size=), nearest-exact, float32: away from whole-number
        positions the rule is exact; at them both outcomes occur, and never anything else; float64: always exact.
    """
    lower = exact_at_whole = 0
    for n, out in itertools.product(range(1, 25), range(1, 49)):
        got = picked(n, "nearest-exact", size=out)
        x64 = torch.arange(n, dtype=torch.float64)[None, None]
        in64 = F.interpolate(x64, size=out, mode="nearest-exact")[0, 0].long().tolist()
        assert in64 == [min(floor((i + HALF) * Fraction(n, out)), n - 1) for i in range(out)]
        for i, g in enumerate(got):
            position = (i + HALF) * Fraction(n, out)
            exact = min(floor(position), n - 1)
            if position.denominator != 1:
                assert g == exact, (n, out, i)
            elif g == exact:
                exact_at_whole += 1
            else:
                assert g == exact - 1, (n, out, i)
                lower += 1
    assert lower and exact_at_whole
    assert picked(6, "nearest-exact", size=37)[18] == 2
