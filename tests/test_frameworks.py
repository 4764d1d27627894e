"""Our arithmetic checked by running the other frameworks, not by reading their documentation.

JAX (``lax.conv_general_dilated``, ``lax.reduce_window``) and ONNX Runtime (models built in
memory with ``onnx.helper``) run hypothesis-drawn 1-D and 2-D configurations; for each, the
output SHAPE must be what ``figures.arith`` says, and the output VALUES what PyTorch gives on
the same numbers: for "SAME"-style padding, the very lines that ``python -m figures shape …
--json`` prints (``F.pad`` with our paddings, then the layer with ``padding=0``).

Every test counts the configurations it ran and the mismatches (a mismatch fails the test);
``test_summary`` prints the table (``pytest tests/test_frameworks.py -rP``).
"""

from __future__ import annotations

import json
import os
from collections import Counter

# JAX compiles every new shape; without XLA's expensive optimisation passes a compile takes about
# half as long, and these tensors are tiny (set before jax starts its backend)
os.environ.setdefault("XLA_FLAGS", "--xla_backend_optimization_level=0 --xla_llvm_disable_expensive_passes=true")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402
from jax import lax  # noqa: E402
from onnx import TensorProto, helper  # noqa: E402

from figures import arith, cli  # noqa: E402

jax.config.update("jax_enable_x64", True)  # JAX and torch both in float64: values equal to 1e-9

RAN: Counter = Counter()
MISMATCHED: Counter = Counter()
CONV = {1: arith.conv1d, 2: arith.conv2d}
TRANSPOSED = {1: arith.conv_transpose1d, 2: arith.conv_transpose2d}
POOL = {1: arith.pool1d, 2: arith.pool2d}
TORCH_CONV = {1: F.conv1d, 2: F.conv2d}
TORCH_TRANSPOSED = {1: F.conv_transpose1d, 2: F.conv_transpose2d}
TORCH_MAX = {1: F.max_pool1d, 2: F.max_pool2d}
TORCH_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d}
def few(n: int):
    """n examples, the same ones on every run (the counts of the table are stable), no deadline
    (JAX compiles every new shape)."""
    return settings(max_examples=n, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def check(name: str, ok: bool, detail: str) -> None:
    """Count one configuration of test ``name``; a mismatch fails the test with its detail."""
    RAN[name] += 1
    if not ok:
        MISMATCHED[name] += 1
    assert ok, detail


def arith_shape(fn):
    try:
        return fn()
    except ValueError:
        return None


def per_axis(draw, dims: int, lo: int, hi: int) -> tuple[int, ...]:
    return tuple(draw(st.lists(st.integers(lo, hi), min_size=dims, max_size=dims)))


def flat_pads(pads) -> tuple[int, ...]:
    """F.pad's order: the last axis first, (before, after) each."""
    return tuple(n for pair in reversed(pads) for n in pair)


def cli_json(*args: str) -> dict:
    """``python -m figures shape … --json``, run in this process."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["shape", *args, "--json"]) == 0
    return json.loads(out.getvalue())


def cli_options(op: str, dims: int, padding: str, i, k, s, d) -> list[str]:
    join = lambda v: "x".join(map(str, v))  # noqa: E731
    return [op, "--dims", str(dims), "--input", join(i), "--kernel", join(k), "--stride", join(s),
            "--dilation", join(d), "--padding", padding]


def run_cli_lines(data: dict, x: np.ndarray, weight: np.ndarray | None = None) -> np.ndarray:
    """Run the PyTorch lines the CLI printed, on ``x`` (and the layer's weight set to ``weight``,
    its bias to zero): the PyTorch reproduction of a configuration padded per side."""
    pad_line, layer_line = data["pytorch"]
    scope = {"F": F, "nn": nn, "torch": torch, "x": torch.from_numpy(x)}
    exec(pad_line, scope)
    assert layer_line.startswith("y = ") and layer_line.endswith("(x)")
    layer = eval(layer_line[4:-3], {**scope, "C_in": x.shape[1], "C_out": 1 if weight is None else weight.shape[0]})
    layer = layer.to(torch.float64) if x.dtype == np.float64 else layer
    if weight is not None:
        with torch.no_grad():
            layer.weight.copy_(torch.from_numpy(weight))
            layer.bias.zero_()
    with torch.no_grad():
        return layer(scope["x"]).numpy()


def rng_for(*config) -> np.random.Generator:
    return np.random.default_rng(abs(hash(tuple(map(str, config)))) % 2**32)


# --------------------------------------------------------------------------------------- JAX

@few(70)
@given(data=st.data())
def test_jax_conv_same_valid_and_explicit_padding(data):
    """lax.conv_general_dilated with "SAME" (TensorFlow's rule), "VALID" and explicit pairs."""
    draw = data.draw
    dims = draw(st.sampled_from([1, 2]))
    i, k, s, d = per_axis(draw, dims, 1, 9), per_axis(draw, dims, 1, 4), per_axis(draw, dims, 1, 3), \
        per_axis(draw, dims, 1, 2)
    mode = draw(st.sampled_from(["SAME", "VALID", "explicit"]))
    pads = tuple((draw(st.integers(0, 3)), draw(st.integers(0, 3))) for _ in range(dims))
    jax_padding = pads if mode == "explicit" else mode
    ours = {"SAME": "same-upper", "VALID": "valid", "explicit": pads}[mode]
    shape = arith_shape(lambda: CONV[dims](i, k, s, ours, d))
    rng = rng_for("jax-conv", dims, i, k, s, d, mode, pads)
    x, w = rng.standard_normal((1, 2, *i)), rng.standard_normal((3, 2, *k))
    y = np.asarray(lax.conv_general_dilated(x, w, s, jax_padding, rhs_dilation=d))
    got = tuple(y.shape[2:]) if min(y.shape[2:]) >= 1 else None  # JAX gives an empty output where we refuse
    check("JAX conv_general_dilated: SAME, VALID, explicit", got == (shape and shape.output),
          f"{mode} i={i} k={k} s={s} d={d} pads={pads}: JAX {y.shape[2:]}, ours {shape and shape.output}")
    if shape is None:
        return
    if mode == "SAME":  # the lines `shape --padding tf-same --json` prints
        expected = run_cli_lines(cli_json(*cli_options("conv", dims, "tf-same", i, k, s, d)), x, w)
    else:
        expected = TORCH_CONV[dims](F.pad(torch.from_numpy(x), flat_pads(pads if mode == "explicit" else ())),
                                    torch.from_numpy(w), stride=s, dilation=d).numpy()
    check("JAX conv_general_dilated values = PyTorch", np.allclose(y, expected, rtol=0, atol=1e-9),
          f"{mode} i={i} k={k} s={s} d={d}: values differ by {np.abs(y - expected).max()}")


@few(50)
@given(data=st.data())
def test_jax_lhs_dilation_is_the_transposed_convolution(data):
    """Zero insertion (lhs_dilation = s) around a convolution padded d·(k − 1) − p before and
    d·(k − 1) − p + a after, with the kernel flipped and its channels swapped, is torch's
    conv_transpose with stride s, padding p, output_padding a, dilation d: same size, same values."""
    draw = data.draw
    dims = draw(st.sampled_from([1, 2]))
    i, k, s, d = per_axis(draw, dims, 1, 6), per_axis(draw, dims, 1, 4), per_axis(draw, dims, 1, 3), \
        per_axis(draw, dims, 1, 2)
    p = per_axis(draw, dims, 0, 3)
    a = tuple(draw(st.integers(0, max(ss, dd) - 1)) for ss, dd in zip(s, d))  # torch: a < s or a < d
    shape = arith_shape(lambda: TRANSPOSED[dims](i, k, s, p, d, a))
    if shape is None:  # torch refuses these too (tests/test_arith.py); JAX has no such rule to compare
        RAN["JAX lhs_dilation: refused by torch and by us, not run"] += 1
        return
    rng = rng_for("jax-t", dims, i, k, s, d, p, a)
    x, w = rng.standard_normal((1, 2, *i)), rng.standard_normal((2, 3, *k))  # (C_in, C_out, k…) as torch
    w_conv = np.flip(w.transpose(1, 0, *range(2, 2 + dims)), axis=tuple(range(2, 2 + dims)))
    padding = [(dd * (kk - 1) - pp, dd * (kk - 1) - pp + aa) for kk, dd, pp, aa in zip(k, d, p, a)]
    y = np.asarray(lax.conv_general_dilated(x, np.ascontiguousarray(w_conv), (1,) * dims, padding,
                                            lhs_dilation=s, rhs_dilation=d))
    expected = TORCH_TRANSPOSED[dims](torch.from_numpy(x), torch.from_numpy(w), stride=s, padding=p,
                                      output_padding=a, dilation=d).numpy()
    check("JAX lhs_dilation: size = conv_transpose", tuple(y.shape[2:]) == shape.output,
          f"i={i} k={k} s={s} p={p} d={d} a={a}: JAX {y.shape[2:]}, ours {shape.output}")
    check("JAX lhs_dilation values = torch conv_transpose", np.allclose(y, expected, rtol=0, atol=1e-9),
          f"i={i} k={k} s={s} p={p} d={d} a={a}")


@few(40)
@given(data=st.data())
def test_jax_reduce_window_max_same_and_valid(data):
    """Max pooling with lax.reduce_window, "SAME" or "VALID": our size, and the values of the
    CLI's lines (F.pad with −∞, then nn.MaxPoolNd with padding=0), −∞ where a dilated window
    reads padding only (JAX gives −∞ there too)."""
    draw = data.draw
    dims = draw(st.sampled_from([1, 2]))
    i, k, s, d = per_axis(draw, dims, 1, 9), per_axis(draw, dims, 1, 4), per_axis(draw, dims, 1, 3), \
        per_axis(draw, dims, 1, 2)
    mode = draw(st.sampled_from(["SAME", "VALID"]))
    shape = arith_shape(lambda: POOL[dims](i, k, s, "same-upper" if mode == "SAME" else 0, d))
    x = rng_for("jax-pool", dims, i, k, s, d, mode).standard_normal((1, 2, *i))
    y = np.asarray(lax.reduce_window(x, -np.inf, lax.max, (1, 1, *k), (1, 1, *s), mode,
                                     window_dilation=(1, 1, *d)))
    got = tuple(y.shape[2:]) if min(y.shape[2:]) >= 1 else None
    check("JAX reduce_window max: SAME, VALID", got == (shape and shape.output),
          f"{mode} i={i} k={k} s={s} d={d}: JAX {y.shape[2:]}, ours {shape and shape.output}")
    if shape is None:
        return
    if mode == "SAME":
        expected = run_cli_lines(cli_json(*cli_options("max", dims, "tf-same", i, k, s, d)), x)
    else:
        expected = TORCH_MAX[dims](torch.from_numpy(x), k, stride=s, dilation=d).numpy()
    check("JAX reduce_window max values = PyTorch", np.array_equal(y, expected), f"{mode} i={i} k={k} s={s} d={d}")


# ------------------------------------------------------------------------------ ONNX Runtime

ort.set_default_logger_severity(4)  # the refusals counted below are expected: no log lines for them
SESSION_OPTIONS = ort.SessionOptions()
SESSION_OPTIONS.log_severity_level = 4
SESSION_OPTIONS.intra_op_num_threads = 1


def onnx_run(op: str, x: np.ndarray, w: np.ndarray | None = None, **attributes) -> np.ndarray:
    """One ONNX node (opset 21), built in memory and run by ONNX Runtime on the CPU."""
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))]
    feeds = {"x": x.astype(np.float32)}
    if w is not None:
        inputs.append(helper.make_tensor_value_info("w", TensorProto.FLOAT, list(w.shape)))
        feeds["w"] = w.astype(np.float32)
    node = helper.make_node(op, list(feeds), ["y"], **attributes)
    graph = helper.make_graph([node], op, inputs, [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)], ir_version=10)
    session = ort.InferenceSession(model.SerializeToString(), SESSION_OPTIONS, providers=["CPUExecutionProvider"])
    return session.run(None, feeds)[0]


def onnx_verdict(name: str, op: str, x, w, attributes: dict, shape, span_cut) -> np.ndarray | None:
    """Run the node; check its size against ours. Two differences of convention are counted,
    not failed: ONNX Runtime refuses SAME_UPPER/SAME_LOWER with a dilation; and where the window
    is longer than the padded input (torch and we refuse), it either refuses too or computes
    ⌊(i + pads − span) / s⌋ + 1 with C's division, which truncates toward zero: one window."""
    try:
        y = onnx_run(op, x, w, **attributes)
    except Exception as err:  # onnxruntime's own exception classes (Fail, InvalidArgument, …)
        message = str(err)
        if "Dilation not supported for AutoPadType::SAME" in message:
            RAN[f"ONNX Runtime {op}: SAME_UPPER/SAME_LOWER with dilation > 1 refused by ONNX Runtime"] += 1
            return None
        y, message = None, message
    got = None if y is None or min(y.shape[2:]) < 1 else tuple(y.shape[2:])
    if shape is None and span_cut is not None:  # the window is longer than the padded input
        truncated = tuple(int(n / s) + 1 for n, s in span_cut)  # C's division: toward zero
        ok = got is None or got == tuple(max(t, 1) for t in truncated)
        check(f"ONNX Runtime {op}: window longer than the padded input (torch refuses): ONNX Runtime "
              f"refuses or gives ⌊·⌋ toward zero + 1", ok, f"{attributes}: ONNX Runtime {got}")
        return None
    check(name, got == (shape and shape.output), f"{attributes} {x.shape}: ONNX Runtime {got}, ours {shape and shape.output}")
    return y


def onnx_same_pool_comparable(x, attributes, shape, i, k, s, d) -> bool:
    """ONNX Runtime's MaxPool with SAME_UPPER/SAME_LOWER differs from TensorFlow's and JAX's rule
    (and ours) in two ways, counted here: a dilation is left out of its padding (the sizes then
    differ: counted, not compared), and a negative total ((o − 1)·s + k − i < 0, where a stride
    skips cells) is refused ("padding values must be non-negative") where JAX pads 0."""
    if set(d) != {1}:
        try:
            y = onnx_run("MaxPool", x, **attributes)
            same = tuple(y.shape[2:]) == shape.output
        except Exception:
            same = False
        RAN[f"ONNX Runtime MaxPool: SAME_* with dilation > 1, not compared ({'same' if same else 'other'} size "
            f"as JAX and ours)"] += 1
        return False
    if any((-(-ii // ss) - 1) * ss + kk - ii < 0 for ii, kk, ss in zip(i, k, s)):
        try:
            onnx_run("MaxPool", x, **attributes)
            refused = ""
        except Exception as err:
            refused = str(err)
        check("ONNX Runtime MaxPool: SAME_* with a negative total refused (JAX and we pad 0)",
              "padding values must be non-negative" in refused, f"{attributes} {x.shape}: {refused or 'ran'}")
        return False
    return True


def span_cut(i, k, s, d, pads):
    """(i + before + after − span, s) per axis where some window is longer than the padded
    input, else None."""
    cut = [(ii + b + a - (dd * (kk - 1) + 1), ss) for ii, kk, ss, dd, (b, a) in zip(i, k, s, d, pads)]
    return tuple(cut) if any(n < 0 for n, _ in cut) else None


@few(150)
@given(data=st.data())
def test_onnx_conv_auto_pad_and_pads(data):
    """ONNX Conv with auto_pad SAME_UPPER, SAME_LOWER, VALID, or explicit ``pads`` (begin…, end…)."""
    draw = data.draw
    dims = draw(st.sampled_from([1, 2]))
    i, k, s, d = per_axis(draw, dims, 1, 9), per_axis(draw, dims, 1, 4), per_axis(draw, dims, 1, 3), \
        per_axis(draw, dims, 1, 2)
    mode = draw(st.sampled_from(["SAME_UPPER", "SAME_LOWER", "VALID", "NOTSET"]))
    pads = tuple((draw(st.integers(0, 3)), draw(st.integers(0, 3))) for _ in range(dims))
    ours = {"SAME_UPPER": "same-upper", "SAME_LOWER": "same-lower", "VALID": "valid", "NOTSET": pads}[mode]
    shape = arith_shape(lambda: CONV[dims](i, k, s, ours, d))
    rng = rng_for("onnx-conv", dims, i, k, s, d, mode, pads)
    x, w = rng.standard_normal((1, 2, *i)).astype(np.float32), rng.standard_normal((3, 2, *k)).astype(np.float32)
    attributes = dict(auto_pad=mode, kernel_shape=list(k), strides=list(s), dilations=list(d))
    if mode == "NOTSET":
        attributes["pads"] = [p[0] for p in pads] + [p[1] for p in pads]
    cut = span_cut(i, k, s, d, pads if mode == "NOTSET" else ((0, 0),) * dims)
    y = onnx_verdict("ONNX Conv: SAME_UPPER, SAME_LOWER, VALID, pads", "Conv", x, w, attributes, shape, cut)
    if y is None:
        return
    if mode.startswith("SAME"):
        word = "tf-same" if mode == "SAME_UPPER" else "same-lower"
        expected = run_cli_lines(cli_json(*cli_options("conv", dims, word, i, k, s, d)), x, w)
    else:
        expected = TORCH_CONV[dims](F.pad(torch.from_numpy(x), flat_pads(pads if mode == "NOTSET" else ())),
                                    torch.from_numpy(w), stride=s, dilation=d).numpy()
    check("ONNX Conv values = PyTorch", np.allclose(y, expected, rtol=1e-5, atol=1e-4),
          f"{mode} i={i} k={k} s={s} d={d}: values differ by {np.abs(y - expected).max()}")


@few(150)
@given(data=st.data())
def test_onnx_pooling_ceil_mode_and_same(data):
    """ONNX MaxPool and AveragePool (count_include_pad=1, torch's default) with symmetric pads
    and ceil_mode, against torch's pooling; and MaxPool with auto_pad SAME_UPPER / SAME_LOWER,
    against our size and the CLI's lines."""
    draw = data.draw
    dims = draw(st.sampled_from([1, 2]))
    average = draw(st.booleans())
    i, k, s = per_axis(draw, dims, 1, 9), per_axis(draw, dims, 1, 4), per_axis(draw, dims, 1, 3)
    d = (1,) * dims if average else per_axis(draw, dims, 1, 2)
    mode = "NOTSET" if average else draw(st.sampled_from(["NOTSET", "NOTSET", "SAME_UPPER", "SAME_LOWER"]))
    p = tuple(draw(st.integers(0, kk // 2)) for kk in k)  # torch's rule: at most half the kernel
    ceil = mode == "NOTSET" and draw(st.booleans())
    x = rng_for("onnx-pool", dims, i, k, s, d, p, mode, ceil, average).standard_normal((1, 2, *i)).astype(np.float32)
    op = "AveragePool" if average else "MaxPool"
    attributes = dict(auto_pad=mode, kernel_shape=list(k), strides=list(s), ceil_mode=int(ceil))
    if average:
        attributes["count_include_pad"] = 1
    else:
        attributes["dilations"] = list(d)
    if mode == "NOTSET":
        attributes["pads"] = list(p) * 2
        shape = arith_shape(lambda: POOL[dims](i, k, s, p, d, ceil, average=average))
    else:
        shape = arith_shape(lambda: POOL[dims](i, k, s, "same-upper" if mode == "SAME_UPPER" else "same-lower", d))
    name = f"ONNX {op}: pads{', ceil_mode' if average else ', ceil_mode, SAME_UPPER, SAME_LOWER'}"
    if mode != "NOTSET" and not onnx_same_pool_comparable(x, attributes, shape, i, k, s, d):
        return
    cut = span_cut(i, k, s, d, tuple((pp, pp) for pp in p) if mode == "NOTSET" else ((0, 0),) * dims)
    y = onnx_verdict(name, op, x, None, attributes, shape, cut)
    if y is None:
        return
    lowest = y == np.finfo(np.float32).min
    if lowest.any():  # a dilated window that reads padding only
        RAN["ONNX Runtime MaxPool: a window on padding only gives −3.4e38 (torch and JAX: −∞), compared as −∞"] += 1
        y = np.where(lowest, -np.inf, y)
    if ceil and any("would start in the padding" in f for f in shape.formulas):
        RAN[f"ONNX {op}: of these, ceil_mode with a last window that would start in the padding (dropped)"] += 1
    if mode != "NOTSET":
        word = "tf-same" if mode == "SAME_UPPER" else "same-lower"
        expected = run_cli_lines(cli_json(*cli_options("max", dims, word, i, k, s, d)), x)
    elif average:
        expected = TORCH_AVG[dims](torch.from_numpy(x), k, stride=s, padding=p, ceil_mode=ceil).numpy()
    else:
        expected = TORCH_MAX[dims](torch.from_numpy(x), k, stride=s, padding=p, dilation=d, ceil_mode=ceil).numpy()
    check(f"{name} values = PyTorch", np.allclose(y, expected, rtol=1e-5, atol=1e-5),
          f"{op} {mode} i={i} k={k} s={s} p={p} d={d} ceil={ceil}: values differ by {np.abs(y - expected).max()}")


def test_onnx_ceil_mode_every_small_configuration():
    """Ceil mode (Caffe's rounding) in 1-D, every configuration up to i=9, k=4, s=3, p=k//2:
    ONNX MaxPool and AveragePool against torch, sizes and values; including every case where
    torch drops a last window that would start in the right padding."""
    import itertools

    for i, k, s, average in itertools.product(range(1, 10), range(1, 5), range(1, 4), (False, True)):
        for p in range(k // 2 + 1):
            op = "AveragePool" if average else "MaxPool"
            shape = arith_shape(lambda: arith.pool1d(i, k, s, p, 1, True, average=average))
            x = rng_for("ceil", i, k, s, p).standard_normal((1, 1, i)).astype(np.float32)
            attributes = dict(kernel_shape=[k], strides=[s], pads=[p, p], ceil_mode=1)
            if average:
                attributes["count_include_pad"] = 1
            name = f"ONNX {op}: ceil_mode, every 1-D configuration up to i=9, k=4, s=3"
            y = onnx_verdict(name, op, x, None, attributes, shape, span_cut((i,), (k,), (s,), (1,), ((p, p),)))
            if y is None:
                continue
            if "would start in the padding" in shape.formulas[0]:
                RAN[f"ONNX {op}: of these, a last window that would start in the padding (dropped)"] += 1
            pool = F.avg_pool1d if average else F.max_pool1d
            expected = pool(torch.from_numpy(x), k, stride=s, padding=p, ceil_mode=True).numpy()
            check(f"{name}, values = PyTorch", np.allclose(y, expected, rtol=1e-5, atol=1e-5),
                  f"{op} i={i} k={k} s={s} p={p}: {y} != {expected}")


def test_onnx_maxpool_same_every_small_configuration():
    """MaxPool with auto_pad SAME_UPPER and SAME_LOWER in 1-D, every configuration up to i=9,
    k=4, s=3 (no dilation): our size and the CLI's lines' values, or ONNX Runtime's refusal of
    a negative total."""
    import itertools

    for i, k, s, mode in itertools.product(range(1, 10), range(1, 5), range(1, 4), ("SAME_UPPER", "SAME_LOWER")):
        word = "tf-same" if mode == "SAME_UPPER" else "same-lower"
        shape = arith.pool1d(i, k, s, "same-upper" if mode == "SAME_UPPER" else "same-lower")
        x = rng_for("same", i, k, s, mode).standard_normal((1, 1, i)).astype(np.float32)
        attributes = dict(auto_pad=mode, kernel_shape=[k], strides=[s])
        if not onnx_same_pool_comparable(x, attributes, shape, (i,), (k,), (s,), (1,)):
            continue
        name = "ONNX MaxPool: SAME_UPPER, SAME_LOWER, every 1-D configuration up to i=9, k=4, s=3"
        y = onnx_verdict(name, "MaxPool", x, None, attributes, shape, None)
        expected = run_cli_lines(cli_json(*cli_options("max", 1, word, (i,), (k,), (s,), (1,))), x)
        check(f"{name}, values = the CLI's lines", np.array_equal(y, expected), f"{mode} i={i} k={k} s={s}")


def test_summary():
    """The table of what ran: configurations and mismatches per framework and convention."""
    if not RAN:
        pytest.skip("no framework test ran in this session")
    width = max(map(len, RAN))
    print(f"\n{'convention checked':<{width}}  configurations  mismatches")
    for name in sorted(RAN):
        print(f"{name:<{width}}  {RAN[name]:>14}  {MISMATCHED[name]:>10}")
    assert sum(MISMATCHED.values()) == 0
