"""The claims of the chapter on other frameworks' conventions (docs/*/frameworks.md), each swept
over its domain: TensorFlow's rules as JAX runs them, ONNX's as ONNX Runtime runs them, Caffe's
and the textbook's as their source writes them, all against torch and ``figures.arith``.

JAX compiles every new shape: the JAX sweeps are 1-D where the claim is about one axis, and keep
to small sizes.
"""

from __future__ import annotations

import itertools
import math
import os
import warnings

os.environ.setdefault("XLA_FLAGS", "--xla_backend_optimization_level=0 --xla_llvm_disable_expensive_passes=true")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from jax import lax  # noqa: E402
from torch import nn  # noqa: E402

from .claim import claim  # noqa: E402
from figures import arith  # noqa: E402

PAGE = "frameworks"
RNG = np.random.default_rng(28)


def rand(*shape) -> np.ndarray:
    return RNG.standard_normal(shape)


def t(a) -> torch.Tensor:
    return torch.from_numpy(np.asarray(a, dtype=np.float64))


def torch_out(i, k, s=1, p=0, d=1) -> int | None:
    """torch's output length of a 1-D convolution, or None where it refuses."""
    try:
        return F.conv1d(torch.zeros(1, 1, i), torch.zeros(1, 1, k), stride=s, padding=p, dilation=d).shape[-1]
    except RuntimeError:
        return None


@pytest.fixture(scope="module", autouse=True)
def float64_one_thread():
    """JAX in float64 (values equal to 1e-9); torch on one thread (its tiny convolutions are ten
    times faster so on a shared machine)."""
    x64 = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
    jax.config.update("jax_enable_x64", x64)  # as it was (tests/test_frameworks.py sets it at import)


def jax_shape(x_shape, w_shape, strides, padding, **options) -> tuple[int, ...]:
    """The output shape of lax.conv_general_dilated, by abstract evaluation (no compilation)."""
    def conv(x, w):
        return lax.conv_general_dilated(x, w, strides, padding, **options)
    return jax.eval_shape(conv, jax.ShapeDtypeStruct(x_shape, np.float64), jax.ShapeDtypeStruct(w_shape, np.float64)).shape


def jax_same_pads(i: int, k: int, s: int = 1, d: int = 1) -> tuple[int, int]:
    """JAX's own conversion of "SAME" into a (before, after) pair on one axis: lax.padtype_to_pads
    on the dilated kernel, as conv_general_dilated calls it (the value sweeps check that it does)."""
    ((before, after),) = lax.padtype_to_pads((i,), (d * (k - 1) + 1,), (s,), "SAME")
    return before, after


def jnp_zeros(shape):
    return jax.numpy.zeros(shape)


def sample(configs, n: int):
    """n configurations spread over the list (JAX compiles each new shape: values on a sample,
    shapes and paddings on all)."""
    configs = list(configs)
    step = max(1, len(configs) // n)
    return configs[::step][:n] + configs[-1:]


# ------------------------------------------------------------------------------------ intro

@claim(PAGE, "frameworks")
def test_what_could_be_run_was_run():
    """
    en: What could be run was run: TensorFlow's `SAME` and `VALID`, its transposed convolution,
        its layouts and its average pooling were checked with JAX, which implements TensorFlow's
        rules, and ONNX's `auto_pad` and `pads` with ONNX Runtime
    zh: 能运行的都实际运行过：TensorFlow 的 `SAME` 和 `VALID`、它的转置卷积、张量布局和平均池化，用实现了 TensorFlow 规则的 JAX 核对；
        ONNX 的 `auto_pad` 和 `pads` 用 ONNX Runtime 核对
    domain: the two frameworks import and run here (each rule is swept by its own claim test
        below and by tests/test_frameworks.py); TensorFlow, PaddlePaddle and MindSpore do not
        import (the page says they cannot be installed)
    """
    import onnxruntime  # noqa: F401

    assert lax.conv_general_dilated(np.ones((1, 1, 3)), np.ones((1, 1, 3)), (1,), "SAME").shape == (1, 1, 3)
    for name in ("tensorflow", "paddle", "mindspore"):
        with pytest.raises(ImportError):
            __import__(name)


# ----------------------------------------------------------------------------------- tf-same

@claim(PAGE, "tf-same")
def test_same_at_stride_one_keeps_the_size():
    """
    en: With stride 1, SAME padding keeps the size, as PyTorch's `padding="same"` does.
    zh: 步幅为 1 时，SAME 填充保持尺寸不变，和 PyTorch 的 `padding="same"` 一样。
    domain: 1-D, i 1…9, k 1…5, d 1…3 (JAX's "SAME" and torch's padding="same")
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, k, d in itertools.product(range(1, 10), range(1, 6), range(1, 4)):
            assert jax_shape((1, 1, i), (1, 1, k), (1,), "SAME", rhs_dilation=(d,))[-1] == i, (i, k, d)
            assert F.conv1d(torch.zeros(1, 1, i), torch.zeros(1, 1, k), padding="same", dilation=d).shape[-1] == i


@claim(PAGE, "tf-same")
def test_same_promises_ceil_and_pads_just_enough_extra_after():
    """
    en: With a stride $s$ it promises $\\lceil i / s \\rceil$ output cells, and pads just enough
        for them: the padding then depends on the input size, and when it is odd the extra row
        goes to the bottom and the extra column to the right.
    zh: 步幅为 $s$ 时，它保证输出有 $\\lceil i / s \\rceil$ 格，填充量刚好够这些窗口用：于是填充量取决于输入尺寸，
        而且总量为奇数时，多出的一行补在下边，多出的一列补在右边。
    domain: 2-D, i 1…12 per axis (non-square), k 1…5, s 1…4, d 1…3: JAX's "SAME" output shape
        (for a sixth) and JAX's own SAME padding (for all) against same_upper_padding (the extra cell after); the values
        of JAX against F.pad with that padding on 5 of them; one cell less padding in all would
        lose the last output cell (torch)
    """
    configs = list(itertools.product(range(1, 13), range(1, 6), range(1, 5), range(1, 4)))
    for n, (i, k, s, d) in enumerate(configs):
        if n % 6 == 0:  # the shape by abstract evaluation for a sixth of them (120)
            assert jax_shape((1, 1, i, i + 1), (1, 1, k, k), (s, s), "SAME", rhs_dilation=(d, d))[-2:] == \
                (math.ceil(i / s), math.ceil((i + 1) / s))
        (top, bottom), (left, right) = (arith.same_upper_padding(n, k, s, d) for n in (i, i + 1))
        assert (top, bottom) == jax_same_pads(i, k, s, d) and (left, right) == jax_same_pads(i + 1, k, s, d)
        assert bottom - top in (0, 1) and right - left in (0, 1)
        total = top + bottom
        if total:  # just enough: one cell less and the output is shorter
            assert torch_out(i + total - 1, k, s, 0, d) in (None, math.ceil(i / s) - 1)
    for i, k, s, d in sample((c for c in configs if c[0] <= 8), 4):
        x, w = rand(1, 1, i, i + 1), rand(1, 1, k, k)
        y = np.asarray(lax.conv_general_dilated(x, w, (s, s), "SAME", rhs_dilation=(d, d)))
        (top, bottom), (left, right) = (arith.same_upper_padding(n, k, s, d) for n in (i, i + 1))
        ours = F.conv2d(F.pad(t(x), (left, right, top, bottom)), t(w), stride=s, dilation=d)
        assert np.allclose(y, ours.numpy(), atol=1e-9), (i, k, s, d)


@claim(PAGE, "tf-same")
def test_pytorch_padding_is_the_same_on_both_sides():
    """
    en: PyTorch's `padding` is the same on both sides, so it cannot say "0 above, 1 below".
    zh: PyTorch 的 `padding` 两侧相同，说不出“上边 0、下边 1”。
    domain: padding=(p_h, p_w) for p_h, p_w 0…2 on a 5×6 input, k 3, s 1…2: F.conv2d equals
        F.pad(x, (p_w, p_w, p_h, p_h)) then padding 0; and nn.Conv2d takes no pair per axis
    """
    x, w = torch.randn(1, 1, 5, 6, dtype=torch.double), torch.randn(1, 1, 3, 3, dtype=torch.double)
    for ph, pw, s in itertools.product(range(3), range(3), (1, 2)):
        assert torch.equal(F.conv2d(x, w, stride=s, padding=(ph, pw)), F.conv2d(F.pad(x, (pw, pw, ph, ph)), w, stride=s))
    with pytest.raises((TypeError, RuntimeError, ValueError)):
        nn.Conv2d(1, 1, 3, padding=((0, 1), (0, 1)))(torch.zeros(1, 1, 6, 6))


@claim(PAGE, "tf-same")
def test_symmetric_padding_one_moves_every_window():
    """
    en: The symmetric `padding=1` gives the same shape, 3×3, and different numbers: every window
        sits one row and one column higher and further left.
    zh: 对称的 `padding=1` 得到的形状同样是 3×3，数值却不同：每个窗口都往上、往左偏了一格。
    domain: the page's 6×6 input 1…36 and kernel of ones, k 3, s 2: output (r, c) of padding=1
        is the window of SAME's padded grid that starts one row and one column earlier, for all
        nine cells
    """
    x, w = torch.arange(1.0, 37).reshape(1, 1, 6, 6), torch.ones(1, 1, 3, 3)
    one = F.conv2d(x, w, stride=2, padding=1)
    same = F.conv2d(F.pad(x, (0, 1, 0, 1)), w, stride=2)
    assert one.shape == same.shape == (1, 1, 3, 3) and not torch.equal(one, same)
    grid = F.pad(x, (1, 1, 1, 1))  # padding=1's grid; SAME's grid is this one shifted by one cell
    for r, c in itertools.product(range(3), range(3)):
        assert one[0, 0, r, c] == grid[0, 0, 2 * r:2 * r + 3, 2 * c:2 * c + 3].sum()
        assert same[0, 0, r, c] == grid[0, 0, 2 * r + 1:2 * r + 4, 2 * c + 1:2 * c + 4].sum()


# -------------------------------------------------------------------------------------- rule

@claim(PAGE, "rule")
def test_the_rule():
    """
    en: For each axis, with input $i$, kernel $k$, stride $s$ and dilation $d$:
    zh: 对每个轴，设输入为 $i$、卷积核为 $k$、步幅为 $s$、膨胀率为 $d$：
    domain: the formulas for o, P, p_before and p_after below that sentence, 1-D, i 1…30,
        k 1…6, s 1…5, d 1…3, against JAX's own SAME padding and output length, and
        arith.same_upper_padding; JAX's values against F.pad with (p_before, p_after) on 5
    """
    configs = list(itertools.product(range(1, 31), range(1, 7), range(1, 6), range(1, 4)))
    for i, k, s, d in configs:
        o = -(-i // s)
        P = max(0, (o - 1) * s + d * (k - 1) + 1 - i)
        before, after = P // 2, P - P // 2
        assert arith.same_upper_padding(i, k, s, d) == (before, after) == jax_same_pads(i, k, s, d)
    for i, k, s, d in configs[:: len(configs) // 30]:
        assert jax_shape((1, 1, i), (1, 1, k), (s,), "SAME", rhs_dilation=(d,))[-1] == -(-i // s)
    for i, k, s, d in sample((c for c in configs if c[0] <= 9), 4):
        before, after = arith.same_upper_padding(i, k, s, d)
        o = -(-i // s)
        x, w = rand(1, 1, i), rand(1, 1, k)
        y = np.asarray(lax.conv_general_dilated(x, w, (s,), "SAME", rhs_dilation=(d,)))
        ours = F.conv1d(F.pad(t(x), (before, after)), t(w), stride=s, dilation=d).numpy()
        assert y.shape[-1] == o and np.allclose(y, ours, atol=1e-9), (i, k, s, d)


@claim(PAGE, "rule")
def test_valid_is_no_padding():
    """
    en: VALID padding is no padding at all: $o = \\lceil (i - d\\,(k-1)) / s \\rceil$, which is
        PyTorch's $\\lfloor (i - d\\,(k-1) - 1)/s \\rfloor + 1$ with $p = 0$.
    zh: VALID 填充就是完全不填充：$o = \\lceil (i - d\\,(k-1)) / s \\rceil$，等于 PyTorch 在 $p = 0$ 时的
        $\\lfloor (i - d\\,(k-1) - 1)/s \\rfloor + 1$。
    domain: 1-D, i 1…16, k 1…5, s 1…4, d 1…3 with d(k − 1) + 1 ≤ i: JAX's "VALID" length (for
        a sixth), torch with padding 0, both formulas; JAX's values against torch's on 5
    """
    configs = [c for c in itertools.product(range(1, 17), range(1, 6), range(1, 5), range(1, 4))
               if c[3] * (c[1] - 1) + 1 <= c[0]]
    for i, k, s, d in configs:
        o = math.ceil((i - d * (k - 1)) / s)
        assert o == (i - d * (k - 1) - 1) // s + 1 == torch_out(i, k, s, 0, d)
    for i, k, s, d in configs[::6]:
        assert jax_shape((1, 1, i), (1, 1, k), (s,), "VALID", rhs_dilation=(d,))[-1] == math.ceil((i - d * (k - 1)) / s)
    for i, k, s, d in sample((c for c in configs if c[0] <= 8), 4):
        x, w = rand(1, 1, i), rand(1, 1, k)
        y = np.asarray(lax.conv_general_dilated(x, w, (s,), "VALID", rhs_dilation=(d,)))
        assert np.allclose(y, F.conv1d(t(x), t(w), stride=s, dilation=d).numpy(), atol=1e-9)


@claim(PAGE, "rule")
def test_same_padding_is_not_a_constant_of_the_layer():
    """
    en: A port of a TensorFlow layer computes the padding from the input's size at every call
        (with a stride, it is not a constant of the layer)
    zh: 移植 TensorFlow 的层时，填充量要在每次调用时根据输入尺寸现算（带步幅时它不是层的常量）
    domain: k 1…7, s 1…5, d 1…3, i 1…40: the padding takes more than one value over i exactly
        when s > 1 and d(k − 1) > 0 (with s = 1 it is d(k − 1) for every i; with k = 1 it is 0)
    """
    for k, s, d in itertools.product(range(1, 8), range(1, 6), range(1, 4)):
        values = {arith.same_upper_padding(i, k, s, d) for i in range(1, 41)}
        assert (len(values) > 1) == (s > 1 and d * (k - 1) > 0), (k, s, d, values)


@claim(PAGE, "rule")
def test_the_cli_prints_the_paddings_and_the_lines():
    """
    en: The CLI prints the four paddings and these PyTorch lines for any size
    zh: 命令行工具对任意尺寸都能打印出四条边的填充量和这几行 PyTorch 代码
    domain: `python -m figures shape conv --padding tf-same --json`, run in this process, for
        i 1…12 (and 224, 225), k 1…4, s 1…3: its paddings are same_upper_padding's, and its two
        PyTorch lines run on random numbers give conv2d_same's values (JAX's "SAME" itself is
        compared with these lines by tests/test_frameworks.py)
    """
    import contextlib
    import io
    import json

    from figures import cli

    for i, k, s in itertools.product(list(range(1, 13)) + [224, 225], range(1, 5), range(1, 4)):
        if i < k:
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert cli.main(["shape", "conv", "--input", str(i), "--kernel", str(k), "--stride", str(s),
                             "--padding", "tf-same", "--json"]) == 0
        data = json.loads(out.getvalue())
        before, after = arith.same_upper_padding(i, k, s)
        pad_line, layer_line = data["pytorch"]
        assert pad_line == f"x = F.pad(x, ({before}, {after}, {before}, {after}))", pad_line
        x = torch.randn(1, 1, i, i, dtype=torch.double)
        scope = {"F": F, "nn": nn, "torch": torch, "x": x}
        exec(pad_line, scope)
        layer = eval(layer_line[4:-3], {**scope, "C_in": 1, "C_out": 1}).double()
        want = F.conv2d(F.pad(x, (before, after, before, after)), layer.weight, layer.bias, stride=s)
        assert torch.allclose(layer(scope["x"]), want)


# -------------------------------------------------------------------------------- stride-one

@claim(PAGE, "stride-one")
def test_stride_one_total_whatever_the_input():
    """
    en: With $s = 1$ the output keeps the input's size and $P = d\\,(k - 1)$, whatever the input.
    zh: $s = 1$ 时输出与输入同样大，不论输入多大，$P = d\\,(k - 1)$。
    domain: i 1…30, k 1…8, d 1…4 (arith) and torch's padding="same" output length
    """
    for i, k, d in itertools.product(range(1, 31), range(1, 9), range(1, 5)):
        assert sum(arith.same_upper_padding(i, k, 1, d)) == d * (k - 1)
        assert arith.conv_axis_padded(i, k, 1, *arith.same_upper_padding(i, k, 1, d), d).size == i
    for i, k, d in itertools.product(range(1, 10), range(1, 6), range(1, 4)):
        assert F.conv1d(torch.zeros(1, 1, i), torch.zeros(1, 1, k), padding="same", dilation=d).shape[-1] == i


@claim(PAGE, "stride-one")
def test_stride_one_split_depends_on_the_parity_of_d_k_minus_1():
    """
    en: When $d\\,(k - 1)$ is even (an odd kernel, or an even one with an even dilation) both
        sides get the same; when it is odd (an even kernel with an odd dilation) the after side
        gets one more.
    zh: $d\\,(k - 1)$ 为偶数时（奇数卷积核，或者偶数卷积核配偶数膨胀率），两侧补得一样多；
        为奇数时（偶数卷积核配奇数膨胀率），后面比前面多补一格。
    domain: k 1…9, d 1…5, i 1…12: arith.same_upper_padding and JAX's own SAME padding; JAX's
        "SAME" values against F.pad with that split on 5 (1-D, i ≤ 6, k ≤ 4, d ≤ 3)
    """
    for i, k, d in itertools.product(range(1, 13), range(1, 10), range(1, 6)):
        before, after = arith.same_upper_padding(i, k, 1, d)
        assert (before, after) == jax_same_pads(i, k, 1, d)
        odd = d * (k - 1) % 2 == 1
        assert odd == (k % 2 == 0 and d % 2 == 1)
        assert after - before == (1 if odd else 0), (i, k, d)
    assert arith.same_upper_padding(7, 4, dilation=2) == (3, 3)
    for i, k, d in sample(itertools.product(range(1, 7), range(1, 5), range(1, 4)), 4):
        x, w = rand(1, 1, i), rand(1, 1, k)
        y = np.asarray(lax.conv_general_dilated(x, w, (1,), "SAME", rhs_dilation=(d,)))
        before, after = arith.same_upper_padding(i, k, 1, d)
        assert np.allclose(y, F.conv1d(F.pad(t(x), (before, after)), t(w), dilation=d).numpy(), atol=1e-9)


@claim(PAGE, "stride-one")
def test_torch_same_splits_alike_warns_where_uneven_refuses_strides():
    """
    en: PyTorch's `padding="same"` splits it the same way (where the two sides differ, it pads a
        copy of the input and warns about "even kernel lengths and odd dilation"), but only for
        stride 1; with a stride it refuses
    zh: PyTorch 的 `padding="same"` 也是这样分的（两侧不等时，它会另做一份补过零的输入副本，
        并警告“even kernel lengths and odd dilation”），但只支持步幅 1；带步幅时直接报错
    domain: 1-D, i 1…9, k 1…6, d 1…3: torch's values equal F.pad with same_upper_padding; the
        warning (made to fire every time) exactly where the two sides differ; k 1…4, s 2…4
        refused by F.conv1d and nn.Conv1d
    """
    torch.set_warn_always(True)
    try:
        for i, k, d in itertools.product(range(1, 10), range(1, 7), range(1, 4)):
            x, w = torch.randn(1, 1, i, dtype=torch.double), torch.randn(1, 1, k, dtype=torch.double)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                same = F.conv1d(x, w, padding="same", dilation=d)
            before, after = arith.same_upper_padding(i, k, 1, d)
            assert torch.allclose(same, F.conv1d(F.pad(x, (before, after)), w, dilation=d)), (i, k, d)
            warned = any("even kernel lengths and odd dilation" in str(c.message) for c in caught)
            assert warned == (before != after), (i, k, d)
    finally:
        torch.set_warn_always(False)
    for k, s in itertools.product(range(1, 5), range(2, 5)):
        with pytest.raises((ValueError, RuntimeError)):
            F.conv1d(torch.zeros(1, 1, 9), torch.zeros(1, 1, k), stride=s, padding="same")
        with pytest.raises(ValueError, match="not supported for strided convolutions"):
            nn.Conv1d(1, 1, k, stride=s, padding="same")


# ------------------------------------------------------------------------------------- valid

@claim(PAGE, "valid")
def test_valid_ceiling_and_floor_agree_for_every_i():
    """
    en: TensorFlow writes the size with a ceiling, $\\lceil (i - k + 1)/s \\rceil$; PyTorch with
        a floor, $\\lfloor (i - k)/s \\rfloor + 1$. They are equal for every $i$
    zh: TensorFlow 的尺寸公式用向上取整，$\\lceil (i - k + 1)/s \\rceil$；PyTorch 用向下取整，
        $\\lfloor (i - k)/s \\rfloor + 1$。对任何 $i$ 两者都相等
    domain: every integer i −20…60, k 1…8, s 1…6 (the identity, where the size is ≤ 0 too),
        and torch's length wherever i ≥ k
    """
    for i, k, s in itertools.product(range(-20, 61), range(1, 9), range(1, 7)):
        assert math.ceil((i - k + 1) / s) == (i - k) // s + 1
        if 1 <= i <= 30 and i >= k:
            assert torch_out(i, k, s) == (i - k) // s + 1


# --------------------------------------------------------------------------------------- jax

@claim(PAGE, "jax")
def test_jax_pairs_are_f_pad_and_negative_crops():
    """
    en: one `(before, after)` pair per spatial axis, in the axes' order, height first … A pair is
        exactly `F.pad`'s amount on that axis; a negative amount crops
    zh: 每个空间轴一对 `(before, after)`，按轴的顺序排列，先高后宽 … 一对数正好就是 `F.pad` 在这个轴上补的量；负数表示裁掉
    domain: 2-D input 5×6, k 2×3, s 1…2, pairs −2…2 on each side of each axis: JAX's output shape
        for an eighth of those torch accepts, its values on 5 (JAX against F.pad with the same amounts, last axis first,
        then padding 0)
    """
    x, w = rand(1, 1, 5, 6), rand(1, 1, 2, 3)
    configs = list(itertools.product(range(-2, 3), range(-2, 3), range(-2, 3), range(-2, 3), (1, 2)))
    configs = [c for c in configs if 5 + c[0] + c[1] >= 2 and 6 + c[2] + c[3] >= 3]  # torch refuses the others
    for a, b, c, e, s in configs[::8]:
        shape = tuple(F.conv2d(F.pad(t(x), (c, e, a, b)), t(w), stride=s).shape)
        assert jax_shape(x.shape, w.shape, (s, s), [(a, b), (c, e)]) == shape
    for a, b, c, e, s in sample(configs, 4):
        y = np.asarray(lax.conv_general_dilated(x, w, (s, s), [(a, b), (c, e)]))
        assert np.allclose(y, F.conv2d(F.pad(t(x), (c, e, a, b)), t(w), stride=s).numpy(), atol=1e-9), (a, b, c, e, s)


@claim(PAGE, "jax")
def test_rhs_dilation_is_dilation_and_lhs_dilation_inserts_zeros():
    """
    en: `rhs_dilation` is PyTorch's `dilation` (the kernel, the right-hand side, is spread out).
        `lhs_dilation` spreads the *input* instead: it puts $s - 1$ zeros between neighbouring
        input cells
    zh: `rhs_dilation` 就是 PyTorch 的 `dilation`（把右操作数，也就是卷积核，撑开）。`lhs_dilation` 撑开的则是*输入*：
        在相邻的输入格子之间插入 $s - 1$ 个零
    domain: 1-D, i 1…6, k 1…4, d 1…3 for rhs_dilation (values against torch's dilation, 4 of
        them); i 1…6, s 1…4 for lhs_dilation (a kernel of one cell, 1, gives the zero-inserted
        input; 4 of them, and the length (i − 1)s + 1 for all)
    """
    configs = [c for c in itertools.product(range(1, 7), range(1, 5), range(1, 4)) if c[2] * (c[1] - 1) + 1 <= c[0]]
    for i, k, d in sample(configs, 3):
        x, w = rand(1, 1, i), rand(1, 1, k)
        y = np.asarray(lax.conv_general_dilated(x, w, (1,), "VALID", rhs_dilation=(d,)))
        assert np.allclose(y, F.conv1d(t(x), t(w), dilation=d).numpy(), atol=1e-9)
    spreads = list(itertools.product(range(1, 7), range(1, 5)))
    for i, s in spreads:
        assert jax_shape((1, 1, i), (1, 1, 1), (1,), [(0, 0)], lhs_dilation=(s,))[-1] == (i - 1) * s + 1
    for i, s in sample(spreads, 3):
        x = rand(1, 1, i)
        y = np.asarray(lax.conv_general_dilated(x, np.ones((1, 1, 1)), (1,), [(0, 0)], lhs_dilation=(s,)))
        spread = np.zeros((1, 1, (i - 1) * s + 1))
        spread[..., ::s] = x
        assert np.array_equal(y, spread), (i, s)


def lhs_dilation_transposed(x, w, s, p, d, a):
    """conv_transpose by lax.conv_general_dilated: the recipe of the page's #jax section."""
    dims = x.ndim - 2
    k = w.shape[2:]
    w_conv = np.flip(np.swapaxes(w, 0, 1), axis=tuple(range(2, 2 + dims)))
    padding = [(d * (kk - 1) - p, d * (kk - 1) - p + a) for kk in k]
    return np.asarray(lax.conv_general_dilated(x, np.ascontiguousarray(w_conv), (1,) * dims, padding,
                                               lhs_dilation=(s,) * dims, rhs_dilation=(d,) * dims))


def transposed_configs(limit_i=4):
    for i, k, s, d in itertools.product(range(1, limit_i + 1), range(1, 4), range(1, 4), range(1, 3)):
        for p in range(0, 3):
            for a in range(0, max(s, d)):
                if arith_transposed(i, k, s, p, d, a) is not None:
                    yield i, k, s, p, d, a


def arith_transposed(i, k, s, p, d, a):
    try:
        return arith.conv_transpose_axis(i, k, s, p, d, a).size
    except ValueError:
        return None


@claim(PAGE, "jax")
def test_lhs_dilation_with_the_turned_kernel_is_conv_transpose():
    """
    en: With the kernel turned by 180° and $d\\,(k - 1) - p$ cells of padding on each side, it is
        `F.conv_transpose2d`
    zh: 再把卷积核旋转 180°、两侧各补 $d\\,(k - 1) - p$ 格，它就是 `F.conv_transpose2d`
    domain: one channel in and out, d = 1, a = 0 (the sentence's case; the general case is the
        next claim): 2-D, i 1…4, k 1…3, s 1…3, p 0…2 where torch accepts: the shape for all, the
        values for 5
    """
    configs = [c for c in itertools.product(range(1, 5), range(1, 4), range(1, 4), range(0, 3))
               if arith_transposed(*c, 1, 0) is not None]
    for i, k, s, p in configs:
        want = tuple(F.conv_transpose2d(torch.zeros(1, 1, i, i), torch.zeros(1, 1, k, k), stride=s, padding=p).shape)
        assert jax_shape((1, 1, i, i), (1, 1, k, k), (1, 1), [(k - 1 - p, k - 1 - p)] * 2, lhs_dilation=(s, s)) == want
    for i, k, s, p in sample(configs, 4):
        x, w = rand(1, 1, i, i), rand(1, 1, k, k)
        y = lhs_dilation_transposed(x, w, s, p, 1, 0)
        assert np.allclose(y, F.conv_transpose2d(t(x), t(w), stride=s, padding=p).numpy(), atol=1e-9)


@claim(PAGE, "jax")
def test_lhs_dilation_general_recipe():
    """
    en: A dilated transposed convolution needs `rhs_dilation` $= d$ as well, and the padding
        $d\\,(k - 1) - p$ uses that $d$. With several channels the weight's two channel axes swap:
        … so transpose them as well as turning each slice by 180°. And `output_padding` $a$ goes
        on the after side only: pad $(d\\,(k - 1) - p,\\ d\\,(k - 1) - p + a)$.
    zh: 带膨胀率的转置卷积还需要 `rhs_dilation` $= d$，填充量 $d\\,(k - 1) - p$ 里的 $d$ 也是它。有多个通道时，权重的两个通道轴要对调：
        … 所以除了把每片旋转 180°，还要交换这两个轴。`output_padding` $a$ 则只加在后面一侧：
        填充 $(d\\,(k - 1) - p,\\ d\\,(k - 1) - p + a)$。
    domain: 1-D, 2 input and 3 output channels, i 1…4, k 1…3, s 1…3, d 1…2, p 0…2,
        a 0…max(s, d) − 1 where torch accepts: the output shape for a fifth, the values for 7 (every
        d, a and p > d(k − 1) among them; tests/test_frameworks.py draws 50 more, 1-D and 2-D);
        and each of the three is needed: without rhs_dilation (d = 2), without the swap (square
        channels, so that the shapes still fit) or with a before instead of after, the values differ
    """
    configs = list(transposed_configs())
    for i, k, s, p, d, a in configs[::5]:
        want = F.conv_transpose1d(torch.zeros(1, 2, i), torch.zeros(2, 3, k), stride=s, padding=p,
                                  output_padding=a, dilation=d).shape
        pads = [(d * (k - 1) - p, d * (k - 1) - p + a)]
        assert jax_shape((1, 2, i), (3, 2, k), (1,), pads, lhs_dilation=(s,), rhs_dilation=(d,)) == tuple(want)
    picked = sample(configs, 2) + [c for c in configs if c[3] > c[4] * (c[1] - 1) and c[5] > 0][:2] + \
        [c for c in configs if c[4] == 2 and c[5] == 1][:2]
    assert {c[4] for c in picked} == {1, 2} and {c[5] for c in picked} >= {0, 1}
    for i, k, s, p, d, a in picked:
        x, w = rand(1, 2, i), rand(2, 3, k)
        y = lhs_dilation_transposed(x, w, s, p, d, a)
        ref = F.conv_transpose1d(t(x), t(w), stride=s, padding=p, output_padding=a, dilation=d).numpy()
        assert y.shape == ref.shape and np.allclose(y, ref, atol=1e-9), (i, k, s, p, d, a)
    x, w = rand(1, 2, 4), rand(2, 2, 3)
    ref = F.conv_transpose1d(t(x), t(w), stride=2, padding=1, output_padding=1, dilation=2).numpy()
    turned = np.ascontiguousarray(np.flip(np.swapaxes(w, 0, 1), axis=2))
    no_rhs = lax.conv_general_dilated(x, turned, (1,), [(3, 4)], lhs_dilation=(2,))
    no_swap = lax.conv_general_dilated(x, np.ascontiguousarray(np.flip(w, axis=2)), (1,), [(3, 4)],
                                       lhs_dilation=(2,), rhs_dilation=(2,))
    a_before = lax.conv_general_dilated(x, turned, (1,), [(4, 3)], lhs_dilation=(2,), rhs_dilation=(2,))
    right = lax.conv_general_dilated(x, turned, (1,), [(3, 4)], lhs_dilation=(2,), rhs_dilation=(2,))
    assert np.allclose(right, ref, atol=1e-9)
    for wrong in (no_rhs, no_swap, a_before):
        assert np.asarray(wrong).shape != ref.shape or not np.allclose(wrong, ref, atol=1e-6)


# -------------------------------------------------------------------------------------- onnx

def onnx_conv(x: np.ndarray, w: np.ndarray, **attributes) -> np.ndarray:
    import onnxruntime
    from onnx import TensorProto, helper

    node = helper.make_node("Conv", ["x", "w"], ["y"], **attributes)
    inputs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, a.shape) for n, a in (("x", x), ("w", w))]
    graph = helper.make_graph([node], "conv", inputs, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x.astype(np.float32), "w": w.astype(np.float32)})[0]


@claim(PAGE, "onnx")
def test_onnx_auto_pad():
    """
    en: `SAME_UPPER` is TensorFlow's `SAME` (the extra cell after), `SAME_LOWER` puts the extra
        cell before, `VALID` pads nothing.
    zh: `SAME_UPPER` 就是 TensorFlow 的 `SAME`（多出的一格放在后面），`SAME_LOWER` 把多出的一格放在前面，`VALID` 不填充。
    domain: 2-D, i 3…6 (non-square), k 1…3, s 1…3, run by ONNX Runtime against F.pad with
        same_upper_padding / same_lower_padding (and JAX's "SAME" for SAME_UPPER) and against
        padding 0 for VALID
    """
    for i, k, s in itertools.product(range(3, 7), range(1, 4), range(1, 4)):
        x, w = rand(1, 1, i, i + 1).astype(np.float32), rand(1, 1, k, k).astype(np.float32)
        for mode, rule in (("SAME_UPPER", arith.same_upper_padding), ("SAME_LOWER", arith.same_lower_padding)):
            (top, bottom), (left, right) = (rule(n, k, s) for n in (i, i + 1))
            want = F.conv2d(F.pad(torch.from_numpy(x), (left, right, top, bottom)), torch.from_numpy(w), stride=s)
            got = onnx_conv(x, w, strides=[s, s], auto_pad=mode)
            assert np.allclose(got, want.numpy(), atol=1e-5), (mode, i, k, s)
            if mode == "SAME_UPPER":
                assert (top, bottom) == jax_same_pads(i, k, s) and (left, right) == jax_same_pads(i + 1, k, s)
        got = onnx_conv(x, w, strides=[s, s], auto_pad="VALID")
        assert np.allclose(got, F.conv2d(torch.from_numpy(x), torch.from_numpy(w), stride=s).numpy(), atol=1e-5)


@claim(PAGE, "onnx")
def test_onnx_pads_order():
    """
    en: `pads` lists all the starts, then all the ends: `[top, left, bottom, right]` in 2-D
    zh: `pads` 先列出所有轴的起始端，再列出所有轴的末端：二维时是 `[top, left, bottom, right]`
    domain: 2-D 5×6 input, k 2, s 1, every pads in 0…2 on each of the four sides (81), against
        F.pad(x, (left, right, top, bottom))
    """
    x, w = rand(1, 1, 5, 6).astype(np.float32), rand(1, 1, 2, 2).astype(np.float32)
    for top, left, bottom, right in itertools.product(range(3), repeat=4):
        got = onnx_conv(x, w, pads=[top, left, bottom, right])
        want = F.conv2d(F.pad(torch.from_numpy(x), (left, right, top, bottom)), torch.from_numpy(w))
        assert np.allclose(got, want.numpy(), atol=1e-5), (top, left, bottom, right)


@claim(PAGE, "onnx")
def test_same_lower_is_symmetric_padding_one_on_even_inputs():
    """
    en: `SAME_LOWER` pads (1, 0): on this even input it gives the numbers of PyTorch's symmetric
        `padding=1`, whose last row and column of padding no window reaches.
    zh: `SAME_LOWER` 填充 (1, 0)：在这个偶数尺寸的输入上，它和 PyTorch 对称的 `padding=1` 算出的数相同，因为后者最后一行、一列填充根本没有窗口读到。
    domain: k = 3, s = 2 (the page's layer) on every even i 2…20: same_lower_padding is (1, 0),
        padding=1 gives the same numbers, and the last padded cell is past the last window
    """
    for i in range(2, 21, 2):
        assert arith.same_lower_padding(i, 3, 2) == (1, 0)
        x = torch.randn(1, 1, i, dtype=torch.double)
        w = torch.randn(1, 1, 3, dtype=torch.double)
        assert torch.allclose(F.conv1d(F.pad(x, (1, 0)), w, stride=2), F.conv1d(x, w, stride=2, padding=1))
        o = arith.conv_axis(i, 3, 2, 1).size
        assert (o - 1) * 2 + 3 - 1 < i + 1  # the last window ends before the last padded cell


# ----------------------------------------------------------------------------- total-padding

@claim(PAGE, "total-padding")
def test_textbook_total_padding():
    """
    en: writes $p_h$ for the rows of padding in all, top and bottom together, and the output size
        as $\\lfloor (n_h - k_h + p_h + s_h)/s_h \\rfloor$. PyTorch's $p$ is per side, so the
        textbook's $p_h$ is $2p$, and an odd total, which a kernel of even size needs to keep the
        size, has no PyTorch `padding` at all: split it with `F.pad`.
    zh: 用 $p_h$ 表示一共填充的行数（上下加起来），
        输出尺寸写作 $\\lfloor (n_h - k_h + p_h + s_h)/s_h \\rfloor$。PyTorch 的 $p$ 是单侧的量，所以书里的 $p_h$ 等于 $2p$；
        而总量为奇数时（偶数卷积核要保持尺寸就需要这样），PyTorch 的 `padding` 根本表示不了，只能用 `F.pad` 分开补。
    domain: n 1…14, k 1…6, s 1…4, p 0…3: the formula with p_h = 2p is torch's size, and with any
        total split by F.pad (before + after = p_h); for even k at s = 1 the size-keeping total is
        k − 1 (odd) and no integer padding keeps the size
    """
    for n, k, s in itertools.product(range(1, 15), range(1, 7), range(1, 5)):
        for p in range(0, 4):
            if n + 2 * p >= k:
                assert (n - k + 2 * p + s) // s == torch_out(n, k, s, p)
        for total in range(0, 6):
            if n + total >= k:
                assert (n - k + total + s) // s == arith.conv_axis_padded(n, k, s, total // 2, total - total // 2).size
    for n, k in itertools.product(range(1, 15), range(2, 9, 2)):
        assert [total for total in range(0, 12) if n + total >= k and n - k + total + 1 == n] == [k - 1]
        assert all(torch_out(n, k, 1, p) != n for p in range(0, 6))


# --------------------------------------------------------------------------------- ceil-mode

def caffe_pool_size(i, k, s, p):
    """Caffe's PoolingLayer::Reshape: round up, then (only with padding) drop a last window that
    would start in the padding after the input."""
    o = math.ceil((i + 2 * p - k) / s) + 1
    if p and (o - 1) * s >= i + p:
        o -= 1
    return o


def torch_pool(i, k, s, p, ceil):
    return F.max_pool1d(torch.zeros(1, 1, i), k, s, p, ceil_mode=ceil).shape[-1]


@claim(PAGE, "ceil-mode")
def test_caffe_pooling_against_ceil_mode():
    """
    en: PyTorch's `ceil_mode=True` is that rule, except that it makes the same check without
        padding too; … The two differ only without padding and with a kernel smaller than the
        stride, where Caffe keeps a last window that starts past the input ($i = 3$, $k = 2$,
        $s = 3$: Caffe 2 windows, PyTorch 1).
    zh: PyTorch 的 `ceil_mode=True` 就是这条规则，只是没有填充时它也做这项检查 … 因此两者只在没有填充、卷积核又比步幅小时才不同：
        这时 Caffe 会留下一个从输入之外开始的窗口（$i = 3$、$k = 2$、$s = 3$：Caffe 得到 2 个窗口，PyTorch 得到 1 个）。
    domain: i 1…24, k 1…6, s 1…6, p 0…⌊k/2⌋ (what torch accepts), i + 2p ≥ k: Caffe's rule as
        its source writes it against torch's ceil_mode=True
    """
    for i, k, s in itertools.product(range(1, 25), range(1, 7), range(1, 7)):
        for p in range(0, k // 2 + 1):
            if i + 2 * p < k:
                continue
            caffe, ours = caffe_pool_size(i, k, s, p), torch_pool(i, k, s, p, True)
            if caffe != ours:
                assert p == 0 and k < s and (caffe - 1) * s >= i, (i, k, s, p)
    assert (caffe_pool_size(3, 2, 3, 0), torch_pool(3, 2, 3, 0, True)) == (2, 1)


@claim(PAGE, "ceil-mode")
def test_a_caffe_port_without_ceil_mode_is_smaller_where_windows_do_not_fit():
    """
    en: needs `ceil_mode=True` on every pooling layer, or its maps come out one cell smaller
        wherever the windows do not fit exactly. Without padding and with $k \\ge s$, as in
        most of Caffe's networks, that is wherever $s$ does not divide $i - k$: for $k = 2$, $s = 2$ every
        odd size, for $k = 3$, $s = 2$ every even one.
    zh: 每个池化层都要加 `ceil_mode=True`，否则凡是窗口不能恰好铺满的地方，特征图都会小一格。没有填充且 $k \\ge s$ 时（Caffe 的网络大多如此），
        也就是 $i - k$ 不能被 $s$ 整除的地方：$k = 2$、$s = 2$ 时是每个奇数尺寸，$k = 3$、$s = 2$ 时是每个偶数尺寸。
    domain: i 1…30, k 1…6, s 1…k, p = 0: floor mode against Caffe's rule; and with padding
        (p 1…⌊k/2⌋, any s) floor mode is never larger than Caffe's and at most one cell smaller
    """
    for i, k in itertools.product(range(1, 31), range(1, 7)):
        if i < k:
            continue
        for s in range(1, k + 1):
            smaller = caffe_pool_size(i, k, s, 0) - torch_pool(i, k, s, 0, False)
            assert smaller == (1 if (i - k) % s else 0), (i, k, s)
        for s in range(1, 7):
            for p in range(1, k // 2 + 1):
                assert caffe_pool_size(i, k, s, p) - torch_pool(i, k, s, p, False) in (0, 1)
    assert [i for i in range(2, 12) if caffe_pool_size(i, 2, 2, 0) > torch_pool(i, 2, 2, 0, False)] == [3, 5, 7, 9, 11]
    assert [i for i in range(3, 13) if caffe_pool_size(i, 3, 2, 0) > torch_pool(i, 3, 2, 0, False)] == [4, 6, 8, 10, 12]


# ----------------------------------------------------------------------------- avg-pool-same

def tf_avg_pool_same_1d(x: np.ndarray, k: int, s: int) -> np.ndarray:
    """TensorFlow's rule written out: window j starts at j·s − before (JAX's own SAME padding) and
    its sum is divided by the number of input cells it covers."""
    i = x.shape[-1]
    before, _ = jax_same_pads(i, k, s)
    out = []
    for j in range(-(-i // s)):
        cells = x[..., max(0, j * s - before): max(0, min(i, j * s - before + k))]
        out.append(cells.sum(-1) / cells.shape[-1])
    return np.stack(out, -1)


def jax_avg_pool_same_1d(x: np.ndarray, k: int, s: int) -> np.ndarray:
    """The same rule as JAX computes it: a window sum over a window count (reduce_window)."""
    total = lax.reduce_window(x, 0.0, lax.add, (1, 1, k), (1, 1, s), "SAME")
    count = lax.reduce_window(np.ones_like(x), 0.0, lax.add, (1, 1, k), (1, 1, s), "SAME")
    return np.asarray(total / count)


@claim(PAGE, "avg-pool-same")
def test_tf_average_pooling_same_does_not_count_the_padding():
    """
    en: TensorFlow's and Keras's average pooling with `SAME` divide each window's sum by the
        number of *input* cells in it: the padding is not counted, like PyTorch's
        `count_include_pad=False`. PyTorch's default, `count_include_pad=True`, divides by $k^2$
        everywhere, zeros included, so the two differ in every window that reaches into the padding.
    zh: TensorFlow 和 Keras 的平均池化用 `SAME` 时，每个窗口的和除以窗口里*输入*格子的个数：填充不计入，相当于 PyTorch 的 `count_include_pad=False`。
        PyTorch 默认 `count_include_pad=True`，处处除以 $k^2$，补的零也算在内，所以凡是伸进填充的窗口，两者都不一样。
    domain: Keras's documented example (3×3, k = 2, s = 1: [[3, 4, 4.5], [6, 7, 7.5], [7.5, 8.5,
        9]]) reproduced by the window-sum / window-count rule in JAX; 1-D, i 1…12, k 1…5, s 1…4,
        positive inputs: the rule (written out; JAX's reduce_window on 4 of them) against
        PyTorch's default on F.pad-ed input, window by window (equal exactly where the window
        reads no padding)
    """
    keras = lax.reduce_window(np.arange(1.0, 10).reshape(1, 1, 3, 3), 0.0, lax.add, (1, 1, 2, 2), (1, 1, 1, 1), "SAME")
    count = lax.reduce_window(np.ones((1, 1, 3, 3)), 0.0, lax.add, (1, 1, 2, 2), (1, 1, 1, 1), "SAME")
    assert np.array_equal(np.asarray(keras / count)[0, 0], [[3, 4, 4.5], [6, 7, 7.5], [7.5, 8.5, 9]])
    configs = list(itertools.product(range(1, 13), range(1, 6), range(1, 5)))
    for i, k, s in sample(configs, 3):
        x = rand(1, 1, i)
        assert np.allclose(jax_avg_pool_same_1d(x, k, s), tf_avg_pool_same_1d(x, k, s), atol=1e-12)
    for i, k, s in configs:
        x = RNG.uniform(1, 2, (1, 1, i))
        tf = tf_avg_pool_same_1d(x, k, s)
        before, after = arith.same_upper_padding(i, k, s)
        default = F.avg_pool1d(F.pad(t(x), (before, after)), k, s).numpy()
        for j in range(tf.shape[-1]):
            start = j * s - before
            reads_padding = start < 0 or start + k > i
            assert np.isclose(tf[..., j], default[..., j]).all() != reads_padding, (i, k, s, j)


@claim(PAGE, "avg-pool-same")
def test_pytorch_code_that_reproduces_tf_average_pooling():
    """
    en: When `SAME`'s two paddings are equal, `nn.AvgPool2d(k, s, padding=p, count_include_pad=False)`
        is TensorFlow's layer; when they differ, pad with `F.pad` and divide by the pooled count of ones
    zh: `SAME` 两侧填充相等时，`nn.AvgPool2d(k, s, padding=p, count_include_pad=False)` 就是 TensorFlow 的这一层；两侧不等时，
        先用 `F.pad` 填充，再除以对全 1 张量做同样池化得到的个数
    domain: 1-D, i 1…12, k 1…5, s 1…4: the F.pad / count recipe always; AvgPool1d(padding=p,
        count_include_pad=False) where both sides are p (and torch accepts p ≤ k/2); against the
        rule of the previous claim
    """
    for i, k, s in itertools.product(range(1, 13), range(1, 6), range(1, 5)):
        x = rand(1, 1, i)
        tf = tf_avg_pool_same_1d(x, k, s)
        before, after = arith.same_upper_padding(i, k, s)
        total = F.avg_pool1d(F.pad(t(x), (before, after)), k, s) * k
        count = F.avg_pool1d(F.pad(torch.ones(1, 1, i, dtype=torch.double), (before, after)), k, s) * k
        assert np.allclose((total / count).numpy(), tf, atol=1e-12), (i, k, s)
        if before == after and before <= k // 2:
            pooled = nn.AvgPool1d(k, s, padding=before, count_include_pad=False)(t(x))
            assert np.allclose(pooled.numpy(), tf, atol=1e-12), (i, k, s)


@claim(PAGE, "avg-pool-same")
def test_only_the_border_changes():
    """
    en: The cells far from the border are the same in both; on this 3×3 input only the last row
        and the last column change
    zh: 离边界远的格子两者相同；在这个 3×3 的输入上，只有最后一行和最后一列不同
    domain: the page's 3×3 input, k = 2, s = 1 (which cells differ), and the previous claim's
        sweep for "far from the border" (a window that reads no padding is equal)
    """
    x = np.arange(1.0, 10).reshape(1, 1, 3, 3)
    total = lax.reduce_window(x, 0.0, lax.add, (1, 1, 2, 2), (1, 1, 1, 1), "SAME")
    count = lax.reduce_window(np.ones_like(x), 0.0, lax.add, (1, 1, 2, 2), (1, 1, 1, 1), "SAME")
    default = F.avg_pool2d(F.pad(t(x), (0, 1, 0, 1)), 2, 1).numpy()
    differ = ~np.isclose(np.asarray(total / count), default)[0, 0]
    assert differ.tolist() == [[False, False, True], [False, False, True], [True, True, True]]


# -------------------------------------------------------------------------------- transposed

def grad_of_same_1d(x: np.ndarray, w: np.ndarray, size: int, s: int) -> np.ndarray:
    """The same definition by torch's autograd: the gradient of F.pad(same_upper_padding) then conv."""
    z = torch.zeros(1, w.shape[1], size, dtype=torch.double, requires_grad=True)
    y = F.conv1d(F.pad(z, arith.same_upper_padding(size, w.shape[-1], s)), t(w), stride=s)
    (back,) = torch.autograd.grad(y, z, t(x))
    return back.numpy()


def tf_conv_transpose_same_1d(x: np.ndarray, w: np.ndarray, size: int, s: int) -> np.ndarray:
    """TensorFlow's conv1d_transpose(…, output_shape=size, padding="SAME"): the gradient of the
    SAME convolution of a length-size input (w is torch's (C_in, C_out, k), the forward conv's OIH)."""
    def same(z):
        return lax.conv_general_dilated(z, w, (s,), "SAME")
    _, back = jax.vjp(same, np.zeros((1, w.shape[1], size)))
    return np.asarray(back(x)[0])


@claim(PAGE, "transposed")
def test_padding_and_output_padding_crop_p_and_p_minus_a():
    """
    en: from the full transposed output, $(i - 1)\\,s + d\\,(k - 1) + 1$ cells long, they crop $p$
        cells at the start of each axis and $p - a$ at the end (when $a > p$, $a - p$ cells are
        added at the end instead).
    zh: 完整的转置卷积输出长 $(i - 1)\\,s + d\\,(k - 1) + 1$ 格，
        它们在每个轴的开头裁掉 $p$ 格，在末尾裁掉 $p - a$ 格（$a > p$ 时末尾反而多出 $a - p$ 格）。
    domain: 1-D, i 1…5, k 1…4, s 1…4, d 1…3, p 0…4, a 0…max(s, d) − 1, everything torch accepts:
        conv_transpose1d(padding=p, output_padding=a) equals F.pad(full, (−p, a − p)) (a negative
        amount crops, a positive one adds zeros; no bias)
    """
    ran = 0
    for i, k, s, d in itertools.product(range(1, 6), range(1, 5), range(1, 5), range(1, 4)):
        x, w = torch.randn(1, 1, i, dtype=torch.double), torch.randn(1, 1, k, dtype=torch.double)
        full = F.conv_transpose1d(x, w, stride=s, dilation=d)
        assert full.shape[-1] == (i - 1) * s + d * (k - 1) + 1
        for p, a in itertools.product(range(0, 5), range(0, max(s, d))):
            try:
                y = F.conv_transpose1d(x, w, stride=s, padding=p, output_padding=a, dilation=d)
            except RuntimeError:
                continue
            ran += 1
            assert torch.equal(y, F.pad(full, (-p, a - p))), (i, k, s, d, p, a)
    assert ran > 500


@claim(PAGE, "transposed")
def test_tf_same_transposed_needs_a_slice_when_its_sides_differ():
    """
    en: For 6, SAME pads (0, 1): the full transposed output, 7×7, loses only its last row and
        column, which no `padding` / `output_padding` pair does (it would need $p = 0$ and
        $p - a = 1$). Whenever `SAME` pads the output's two sides differently, slice
    zh: `output_shape` 为 6 时，SAME 填充 (0, 1)：完整的转置卷积输出 7×7 只去掉最后一行和一列，任何 `padding` / `output_padding` 组合都做不到（那需要 $p = 0$ 且 $p - a = 1$）。
        只要 `SAME` 在输出两侧填充得不一样，就要切片
    domain: 1-D, i 1…4, k 1…4, s 1…3, every output size o with ⌈o/s⌉ = i: TensorFlow's SAME
        transposed convolution (the gradient of the SAME convolution; by torch's autograd, and by
        JAX's vjp on 3) is full[before : before + o] with (before, after) = same_upper_padding(o,
        k, s), and some (p, a) torch accepts gives it exactly when before == after
    """
    configs = [(i, k, s, o) for i, k, s in itertools.product(range(1, 5), range(1, 5), range(1, 4))
               for o in range((i - 1) * s + 1, i * s + 1)]
    for i, k, s, o in sample(configs, 2):
        x, w = rand(1, 1, i), rand(1, 1, k)
        assert np.allclose(tf_conv_transpose_same_1d(x, w, o, s), grad_of_same_1d(x, w, o, s), atol=1e-9)
    for i, k, s, o in configs:
        x, w = rand(1, 1, i), rand(1, 1, k)
        full = F.conv_transpose1d(t(x), t(w), stride=s)
        tf = grad_of_same_1d(x, w, o, s)
        before, after = arith.same_upper_padding(o, k, s)
        padded = F.pad(full, (0, max(0, before + o - full.shape[-1])))
        assert np.allclose(tf, padded[..., before:before + o].numpy(), atol=1e-9), (i, k, s, o)
        pairs = []
        for p, a in itertools.product(range(0, 4), range(0, s)):
            try:
                y = F.conv_transpose1d(t(x), t(w), stride=s, padding=p, output_padding=a)
            except RuntimeError:
                continue
            if y.shape[-1] == o and np.allclose(y.numpy(), tf, atol=1e-9):
                pairs.append((p, a))
        assert bool(pairs) == (before == after), (i, k, s, o, before, after, pairs)


# ----------------------------------------------------------------------------------- layouts

@claim(PAGE, "layouts")
def test_nhwc_hwio_permutes():
    """
    en: The data moves with `permute(0, 3, 1, 2)` (and back with `permute(0, 2, 3, 1)`), the kernel
        with `permute(3, 2, 0, 1)`. The same convolution run both ways, by JAX with TensorFlow's
        layouts (`dimension_numbers=("NHWC", "HWIO", "NHWC")`) and by PyTorch on the permuted
        tensors, gives the same numbers
    zh: 数据用 `permute(0, 3, 1, 2)` 换过来（换回去用 `permute(0, 2, 3, 1)`），
        卷积核用 `permute(3, 2, 0, 1)`。同一个卷积分别用两种方式运行：JAX 按 TensorFlow 的布局算（`dimension_numbers=("NHWC", "HWIO", "NHWC")`），
        PyTorch 在换过轴的张量上算，结果完全一致
    domain: C_in 1…3, C_out 1…3, k_h 1…3 and k_w 1…3 (non-square), s 1…2, "VALID" and "SAME",
        a 5×6 input: the output shape for a third of the 324, the values for 4
    """
    configs = list(itertools.product(range(1, 4), range(1, 4), range(1, 4), range(1, 4), (1, 2), ("VALID", "SAME")))
    for c_in, c_out, kh, kw, s, mode in configs[::3]:
        y = jax_shape((1, 5, 6, c_in), (kh, kw, c_in, c_out), (s, s), mode, dimension_numbers=("NHWC", "HWIO", "NHWC"))
        pads = (arith.same_upper_padding(5, kh, s), arith.same_upper_padding(6, kw, s)) if mode == "SAME" else ((0, 0),) * 2
        want = F.conv2d(F.pad(torch.zeros(1, c_in, 5, 6), (*pads[1], *pads[0])), torch.zeros(c_out, c_in, kh, kw), stride=s)
        assert y == tuple(want.permute(0, 2, 3, 1).shape)
    for c_in, c_out, kh, kw, s, mode in sample(configs, 3):
        x_tf, w_tf = rand(1, 5, 6, c_in), rand(kh, kw, c_in, c_out)
        y_tf = np.asarray(lax.conv_general_dilated(x_tf, w_tf, (s, s), mode, dimension_numbers=("NHWC", "HWIO", "NHWC")))
        x_pt, w_pt = t(x_tf).permute(0, 3, 1, 2), t(w_tf).permute(3, 2, 0, 1)
        if mode == "SAME":
            (top, bottom), (left, right) = arith.same_upper_padding(5, kh, s), arith.same_upper_padding(6, kw, s)
            x_pt = F.pad(x_pt, (left, right, top, bottom))
        y_pt = F.conv2d(x_pt, w_pt, stride=s).permute(0, 2, 3, 1)
        assert np.allclose(y_pt.numpy(), y_tf, atol=1e-9), (c_in, c_out, kh, kw, s, mode)


@claim(PAGE, "layouts")
def test_the_transposed_filter_takes_the_same_permute():
    """
    en: A transposed convolution's filter in TensorFlow is $[k_h, k_w, C_\\text{out}, C_\\text{in}]$,
        the output channels first, and PyTorch's `ConvTranspose2d` keeps $[C_\\text{in},
        C_\\text{out}, k_h, k_w]$: the same `permute(3, 2, 0, 1)` ports it.
    zh: TensorFlow 里转置卷积的卷积核是 $[k_h, k_w, C_\\text{out}, C_\\text{in}]$，输出通道在前；PyTorch 的 `ConvTranspose2d` 存的是
        $[C_\\text{in}, C_\\text{out}, k_h, k_w]$：移植它用的还是 `permute(3, 2, 0, 1)`。
    domain: C_in 1…3, C_out 1…3, k_h, k_w 1…3, s 1…2, a 3×2 NHWC input, VALID: TensorFlow's
        conv2d_transpose as the gradient of the VALID convolution (JAX) against conv_transpose2d
        with the permuted filter; 6 configurations (every C_in and C_out among them)
    """
    configs = list(itertools.product(range(1, 4), range(1, 4), range(1, 4), range(1, 4), (1, 2)))
    picked = [(1, 2, 3, 2, 2), (2, 3, 1, 3, 1), (3, 1, 2, 2, 2)]
    for c_in, c_out, kh, kw, s in picked:
        x_tf, w_tf = rand(1, 3, 2, c_in), rand(kh, kw, c_out, c_in)
        size = ((3 - 1) * s + kh, (2 - 1) * s + kw)

        def conv(z):
            return lax.conv_general_dilated(z, w_tf, (s, s), "VALID", dimension_numbers=("NHWC", "HWIO", "NHWC"))

        _, back = jax.vjp(conv, np.zeros((1, *size, c_out)))
        tf = np.asarray(back(x_tf)[0])
        pt = F.conv_transpose2d(t(x_tf).permute(0, 3, 1, 2), t(w_tf).permute(3, 2, 0, 1), stride=s)
        assert tuple(t(w_tf).permute(3, 2, 0, 1).shape) == (c_in, c_out, kh, kw)
        assert np.allclose(pt.permute(0, 2, 3, 1).numpy(), tf, atol=1e-9), (c_in, c_out, kh, kw, s)


@claim(PAGE, "layouts")
def test_nothing_is_flipped_and_reshape_scrambles():
    """
    en: The spatial axes keep their order and their orientation: nothing is flipped, since both
        frameworks compute the same cross-correlation. A `reshape` instead of a `permute` gives
        the right shape and, as soon as there is more than one channel, scrambled numbers.
    zh: 空间轴的顺序和朝向都不变，不用翻转：两个框架算的是同一种互相关。用 `reshape` 代替 `permute`，形状对了，但只要通道不止一个，数就全乱了。
    domain: the permute sweeps above have no flip; here C_in 1…3, C_out 1…3, k 2…3 (the right
        numbers from the permute, checked against JAX in the sweep above): the flipped kernel
        always gives other numbers; the reshaped kernel and data give other numbers exactly when
        a channel count is above 1 (with one channel in and out a reshape moves nothing)
    """
    for c_in, c_out, k in itertools.product(range(1, 4), range(1, 4), range(2, 4)):
        x_tf, w_tf = t(rand(1, 5, 5, c_in)), t(rand(k, k, c_in, c_out))
        x_pt, w_pt = x_tf.permute(0, 3, 1, 2), w_tf.permute(3, 2, 0, 1)
        right = F.conv2d(x_pt, w_pt)
        assert not torch.allclose(F.conv2d(x_pt, w_pt.flip(-2, -1)), right)
        scrambled = F.conv2d(x_tf.reshape(1, c_in, 5, 5), w_tf.reshape(c_out, c_in, k, k))
        assert scrambled.shape == right.shape
        assert torch.allclose(scrambled, right) == (c_in == c_out == 1), (c_in, c_out, k)


# ---------------------------------------------------------------------------- lecture-notes

@claim(PAGE, "lecture-notes")
def test_dilation_is_the_hole_count_plus_one_and_zero_is_refused():
    """
    en: PyTorch's `dilation` is the step between the cells, that count plus 1, and it refuses 0
    zh: PyTorch 的 `dilation` 是相邻格子之间的间距，等于空洞数加 1，而且不接受 0
    domain: k 1…5, holes 0…3 (dilation = holes + 1): the dilated kernel is the plain one with
        `holes` zeros between its cells (torch values, 1-D, i = 20); dilation 0 refused for k 1…4
    """
    for k, holes in itertools.product(range(1, 6), range(0, 4)):
        x, w = torch.randn(1, 1, 20, dtype=torch.double), torch.randn(1, 1, k, dtype=torch.double)
        spread = torch.zeros(1, 1, (holes + 1) * (k - 1) + 1, dtype=torch.double)
        spread[..., :: holes + 1] = w
        assert torch.allclose(F.conv1d(x, w, dilation=holes + 1), F.conv1d(x, spread))
    for k in range(1, 5):
        with pytest.raises(RuntimeError, match="dilation should be greater than zero"):
            nn.Conv1d(1, 1, k, dilation=0)(torch.zeros(1, 1, 9))


@claim(PAGE, "lecture-notes")
def test_frameworks_round_down_and_same_pads():
    """
    en: PyTorch, TensorFlow's `VALID` and every other framework here round down, drop the input's
        last row, and answer 4; `SAME` pads instead and answers 5.
    zh: PyTorch、TensorFlow 的 `VALID`
        以及本章其他框架都向下取整，丢掉输入的最后一行，得到 4；`SAME` 则补零，得到 5。
    domain: the page's i = 10, k = 3, p = 0, s = 2 in torch, JAX (VALID, SAME) and ONNX Runtime
        (VALID): 4, 4, 5, 4, and the last window ends at row 8 of 0…9; and over i 3…20, k 1…3,
        s 1…3, torch's output never reads past the input (no rounding up)
    """
    x = rand(1, 1, 10, 10)
    w = rand(1, 1, 3, 3)
    assert F.conv2d(t(x), t(w), stride=2).shape[-1] == 4
    assert lax.conv_general_dilated(x, w, (2, 2), "VALID").shape[-1] == 4
    assert lax.conv_general_dilated(x, w, (2, 2), "SAME").shape[-1] == 5
    assert onnx_conv(x, w, strides=[2, 2]).shape[-1] == 4
    assert (4 - 1) * 2 + 3 - 1 == 8
    for i, k, s in itertools.product(range(3, 21), range(1, 4), range(1, 4)):
        o = torch_out(i, k, s)
        assert (o - 1) * s + k <= i < o * s + k


# ---------------------------------------------------------------------------------- pitfalls

@claim(PAGE, "pitfalls")
def test_padding_one_for_same_shifts_every_window_on_even_inputs():
    """
    en: A port that replaces TensorFlow's `SAME`, $k = 3$, $s = 2$, by `padding=1` gives the right
        shapes for every even input and wrong numbers: every window is shifted by one cell.
    zh: 把 TensorFlow 的 `SAME`（$k = 3$、$s = 2$）换成 `padding=1`，对每个偶数尺寸的输入形状都对，数值却错了：
        每个窗口都偏了一格。
    domain: every even i 2…24 (1-D): JAX's "SAME" (its padding for all, its values for 2) against
        padding=1, same length, and padding=1's output j equals SAME's window started one cell
        earlier (the input padded one more before)
    """
    for i in range(2, 25, 2):
        x, w = rand(1, 1, i), rand(1, 1, 3)
        assert jax_same_pads(i, 3, 2) == (0, 1)
        if i in (2, 24):
            same = np.asarray(lax.conv_general_dilated(x, w, (2,), "SAME"))
        else:
            same = F.conv1d(F.pad(t(x), (0, 1)), t(w), stride=2).numpy()
        one = F.conv1d(t(x), t(w), stride=2, padding=1)
        assert one.shape[-1] == same.shape[-1] and not np.allclose(one.numpy(), same)
        shifted = F.conv1d(F.pad(t(x), (1, 2)), t(w), stride=2)[..., : one.shape[-1]]
        assert torch.allclose(one, shifted)  # windows start at 2j − 1 instead of 2j
        assert arith.same_upper_padding(i, 3, 2) == (0, 1)


@claim(PAGE, "pitfalls")
def test_the_padding_depends_on_the_input():
    """
    en: With a stride and a kernel larger than one cell, `SAME` pads inputs of different sizes
        differently (with $k = 3$, $s = 2$: every even input (0, 1), every odd one (1, 1))
    zh: 带步幅、卷积核又大于一格时，`SAME` 对不同尺寸的输入补法不同（$k = 3$、$s = 2$ 时，偶数尺寸一律 (0, 1)，奇数尺寸一律 (1, 1)）
    domain: k = 3, s = 2, i 2…60 (arith against JAX's "SAME" for i ≤ 12 in the rule's claim);
        the general statement is test_same_padding_is_not_a_constant_of_the_layer's sweep
    """
    for i in range(2, 61):
        assert arith.same_upper_padding(i, 3, 2) == ((0, 1) if i % 2 == 0 else (1, 1))


@claim(PAGE, "pitfalls")
def test_three_orders_for_four_numbers():
    """
    en: `F.pad` takes (left, right, top, bottom), ONNX's `pads` [top, left, bottom, right],
        PaddlePaddle's list [top, bottom, left, right].
    zh: `F.pad` 是（左、右、上、下），ONNX 的 `pads` 是 [上, 左, 下, 右]，飞桨的列表是 [上, 下, 左, 右]。
    domain: F.pad's order on a 2×3 tensor, every amount 0…2 per side (ONNX's order is swept by
        test_onnx_pads_order; PaddlePaddle's comes from its documentation, which the page cites)
    """
    for left, right, top, bottom in itertools.product(range(3), repeat=4):
        y = F.pad(torch.ones(1, 1, 2, 3), (left, right, top, bottom))
        assert y.shape[-2:] == (2 + top + bottom, 3 + left + right)
        assert y[0, 0, top, left] == 1 and (top == 0 or y[0, 0, top - 1, left] == 0)
        assert (left == 0 or y[0, 0, top, left - 1] == 0)


@claim(PAGE, "pitfalls")
def test_pitfall_same_is_stride_one_only_and_splits_by_parity():
    """
    en: `padding="same"` in PyTorch is stride 1 only, and when $d\\,(k - 1)$ is odd (an even kernel
        with an odd dilation) it pads one more after than before, as TensorFlow does.
    zh: PyTorch 的 `padding="same"` 只支持步幅 1，$d\\,(k - 1)$ 为奇数时（偶数卷积核配奇数膨胀率）后面比前面多补一格，和 TensorFlow 一样。
    domain: 1-D, i 1…8, k 1…6, d 1…3: torch's padding="same" values against F.pad with
        JAX-checked same_upper_padding; the one-more-after split exactly where d(k − 1) is odd;
        strides 2…3 refused
    """
    for i, k, d in itertools.product(range(1, 9), range(1, 7), range(1, 4)):
        x, w = torch.randn(1, 1, i, dtype=torch.double), torch.randn(1, 1, k, dtype=torch.double)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            same = F.conv1d(x, w, padding="same", dilation=d)
        before, after = arith.same_upper_padding(i, k, 1, d)
        assert torch.allclose(same, F.conv1d(F.pad(x, (before, after)), w, dilation=d))
        assert (after - before == 1) == (d * (k - 1) % 2 == 1)
    for s in (2, 3):
        with pytest.raises(ValueError):
            nn.Conv1d(1, 1, 3, stride=s, padding="same")


@claim(PAGE, "pitfalls")
def test_pytorch_conv_does_not_pad_by_default():
    """
    en: PyTorch's `Conv2d` does not pad.
    zh: PyTorch 的 `Conv2d` 默认不填充。
    domain: nn.Conv2d's default padding for k 1…7, and its output size i − k + 1 for i k…12
        (MindSpore's default "same" comes from its documentation: it cannot be installed here)
    """
    for k in range(1, 8):
        layer = nn.Conv2d(1, 1, k)
        assert layer.padding == (0, 0)
        for i in range(k, 13):
            assert layer(torch.zeros(1, 1, i, i)).shape[-1] == i - k + 1


@claim(PAGE, "pitfalls")
def test_pitfall_average_pooling_counts():
    """
    en: Average pooling with `SAME` does not count the padding in TensorFlow; PyTorch's `AvgPool2d`
        counts it unless told `count_include_pad=False`.
    zh: TensorFlow 带 `SAME` 的平均池化不把填充算进个数；PyTorch 的 `AvgPool2d` 默认算进去，除非写明 `count_include_pad=False`。
    domain: 1-D, i 1…10, k 1…5, s 1…3, p 0…⌊k/2⌋, positive inputs: AvgPool1d's default divides
        every window by k (padding counted), count_include_pad=False by the input cells it covers,
        which is TensorFlow's rule (tf_avg_pool_same_1d) wherever SAME pads p on both sides
    """
    for i, k, s in itertools.product(range(1, 11), range(1, 6), range(1, 4)):
        for p in range(0, k // 2 + 1):
            if i + 2 * p < k:
                continue
            x = t(RNG.uniform(1, 2, (1, 1, i)))
            padded = F.pad(x, (p, p))
            counted = nn.AvgPool1d(k, s, padding=p)(x)
            excluded = nn.AvgPool1d(k, s, padding=p, count_include_pad=False)(x)
            for j in range(counted.shape[-1]):
                window = padded[..., j * s:j * s + k]
                cells = min(i, j * s - p + k) - max(0, j * s - p)
                assert torch.isclose(counted[..., j], window.sum(-1) / k).all()
                assert torch.isclose(excluded[..., j], window.sum(-1) / cells).all()
            if arith.same_upper_padding(i, k, s) == (p, p):
                assert np.allclose(excluded.numpy(), tf_avg_pool_same_1d(x.numpy(), k, s))


@claim(PAGE, "pitfalls")
def test_a_textbooks_p_may_be_the_total():
    """
    en: A textbook's $p$ may be the total. Halve it for PyTorch; if it is odd, use `F.pad`.
    zh: 教材里的 $p$ 可能是总量。 换成 PyTorch 要除以 2；如果是奇数，就用 `F.pad`。
    domain: n 1…12, k 1…5, s 1…3, totals 0…7: the textbook's size is torch's with padding=total/2
        when the total is even, and F.pad(total // 2, total − total // 2) when it is odd
    """
    for n, k, s, total in itertools.product(range(1, 13), range(1, 6), range(1, 4), range(0, 8)):
        if n + total < k:
            continue
        book = (n - k + total + s) // s
        if total % 2 == 0:
            assert book == torch_out(n, k, s, total // 2)
        x = torch.zeros(1, 1, n)
        assert book == F.conv1d(F.pad(x, (total // 2, total - total // 2)), torch.zeros(1, 1, k), stride=s).shape[-1]


# --------------------------------------------------------------------------------- exercises

@claim(PAGE, "exercises")
def test_exercise_three_output_shapes():
    """
    en: $\\lceil o/2 \\rceil = 4$ for $o = 7$ and $o = 8$ only: from $(4-1) \\cdot 2 + 1 = 7$ to $4 \\cdot 2 = 8$.
    zh: 只有 $o = 7$ 和 $o = 8$ 满足 $\\lceil o/2 \\rceil = 4$：从 $(4-1) \\cdot 2 + 1 = 7$ 到 $4 \\cdot 2 = 8$。
    domain: for every i 1…10 and s 1…4, the sizes o with ⌈o/s⌉ = i are exactly (i − 1)s + 1 … is
        (o 1…60), and JAX's SAME transposed convolution (abstract evaluation of its gradient) gives
        each of them from an i-cell input (i ≤ 4, s ≤ 3)
    """
    for i, s in itertools.product(range(1, 11), range(1, 5)):
        assert [o for o in range(1, 61) if math.ceil(o / s) == i] == list(range((i - 1) * s + 1, i * s + 1))
    for i, s in itertools.product(range(1, 5), range(1, 4)):
        for o in range((i - 1) * s + 1, i * s + 1):
            def transposed(x, w, o=o, s=s):
                _, back = jax.vjp(lambda z: lax.conv_general_dilated(z, w, (s,), "SAME"), jnp_zeros((1, 1, o)))
                return back(x)[0]
            shape = jax.eval_shape(transposed, jax.ShapeDtypeStruct((1, 1, i), np.float64),
                                   jax.ShapeDtypeStruct((1, 1, 3), np.float64)).shape
            assert shape[-1] == o


@claim(PAGE, "exercises")
def test_exercise_one_padding_three_is_exact_only_for_odd_sizes():
    """
    en: `padding=3` gives 112×112 too, but with 3 before, so every window starts one cell
        earlier and the numbers differ. For a 225×225 image SAME pads (3, 3), and `padding=3` is exact.
    zh: `padding=3` 也得到 112×112，但前面补了 3 格，每个窗口都提前了一格，数值不同。输入是 225×225 时 SAME 填充 (3, 3)，`padding=3` 才完全一致。
    domain: the stem's k = 7, s = 2 on i 7…40 and 224, 225 (1-D): padding=3 has SAME's size for
        every i, SAME's numbers exactly for odd i (where SAME pads (3, 3)), and for even i
        SAME pads (2, 3) and the numbers differ
    """
    w = torch.randn(1, 1, 7, dtype=torch.double)
    for i in list(range(7, 41)) + [224, 225]:
        x = torch.randn(1, 1, i, dtype=torch.double)
        before, after = arith.same_upper_padding(i, 7, 2)
        same = F.conv1d(F.pad(x, (before, after)), w, stride=2)
        three = F.conv1d(x, w, stride=2, padding=3)
        assert three.shape == same.shape
        assert ((before, after) == (3, 3)) == (i % 2 == 1)
        assert torch.allclose(three, same) == (i % 2 == 1), i
    assert arith.conv2d(224, kernel=7, stride=2, padding=3).output == (112, 112)


@claim(PAGE, "exercises")
def test_exercise_two_same_lower_is_not_padding_same():
    """
    en: `F.pad(x, (2, 1, 2, 1))`, then `padding=0`. `padding="same"` pads (1, 2), which is
        `SAME_UPPER`: the same size, different numbers.
    zh: `F.pad(x, (2, 1, 2, 1))`，再用 `padding=0`。`padding="same"` 填充的是 (1, 2)，也就是 `SAME_UPPER`：尺寸相同，数值不同。
    domain: the exercise's 7×7 input and 4×4 kernel, s 1, run by ONNX Runtime (SAME_LOWER and
        SAME_UPPER) against F.pad and torch's padding="same"
    """
    x, w = rand(1, 1, 7, 7).astype(np.float32), rand(1, 1, 4, 4).astype(np.float32)
    xt, wt = torch.from_numpy(x), torch.from_numpy(w)
    lower, upper = onnx_conv(x, w, auto_pad="SAME_LOWER"), onnx_conv(x, w, auto_pad="SAME_UPPER")
    assert np.allclose(lower, F.conv2d(F.pad(xt, (2, 1, 2, 1)), wt).numpy(), atol=1e-5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same = F.conv2d(xt, wt, padding="same").numpy()
    assert np.allclose(upper, same, atol=1e-5) and np.allclose(same, F.conv2d(F.pad(xt, (1, 2, 1, 2)), wt).numpy(), atol=1e-5)
    assert lower.shape == same.shape and not np.allclose(lower, same, atol=1e-3)
