"""The explorer page (explore.md, explore.js, explore-arith.js) in a real browser, against the
Python side: every answer it gives for thousands of hypothesis-drawn configurations (1-D, 2-D and
3-D, every padding mode) is the answer of `python -m figures shape` (figures.arith behind it): the
size, the formulas, the refusal, the paddings per side and the PyTorch lines; and for hundreds the
input cells it marks for every output cell are the cells torch reads, and its values torch's values."""

import contextlib
import io
import json
import math
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from torch import nn

from browsing import Visit, browser  # noqa: F401  (browser: a fixture)
from figures import arith, cli, theme
from figures.config import MAX_GRID, Config
from helpers import LANGS, ROOT

SCREENSHOTS = ROOT / "build" / "screenshots"
FIELDS = {"conv": ("input", "kernel", "stride", "padding", "dilation"),
          "transposed": ("input", "kernel", "stride", "padding", "dilation", "output_padding"),
          "max": ("input", "kernel", "stride", "padding", "dilation", "ceil_mode"),
          "avg": ("input", "kernel", "stride", "padding", "ceil_mode")}
MIN_CONFIGS, MIN_WINDOWS = 2000, 200  # what the page says the tests compare (test_the_page_states_what_is_compared)
SEEN = {"accepted": 0, "refused": 0, "ops": set(), "non-square": 0, "windows": 0, "cells": 0, "dims": set(),
        "per side": 0, "windows 1-D": 0, "windows per side": 0}


@pytest.fixture(scope="module")
def explorer(browser, served):  # noqa: F811
    visit = Visit(browser, f"{served}en/explore/")
    yield visit
    assert visit.errors == []
    visit.close()


# ----------------------------------------------------------------------------- configurations

def text(sizes, style):
    """Sizes as a reader types them: N, HxW or DxHxW in one of the CLI's spellings."""
    if len(set(sizes)) == 1 and style == 0:
        return str(sizes[0])
    sep = ["x", "×", ", ", "x"][style % 4]
    typed = sep.join(map(str, sizes))
    return f" {typed} " if style == 3 else typed


WORDS = {"conv": ["same", "valid", "tf-same", "same-upper", "same-lower", "causal"],
         "max": ["tf-same", "same-lower", "same", "causal"], "avg": ["tf-same", "same-lower"], "transposed": ["tf-same"]}
SIDE_WORDS = {"tf-same", "same-upper", "same-lower", "causal"}  # padded per side: F.pad, then padding=0


@st.composite
def configurations(draw, small=False, dims=(2, 2, 1, 3)):
    """A configuration as a reader gives it: sizes as typed (one for every axis, or one per axis,
    now and then a wrong number of them), the dimensions chosen, a padding word or sizes."""
    op = draw(st.sampled_from(tuple(FIELDS)))
    n = draw(st.sampled_from(dims))

    def sizes(values, fill=None):
        if draw(st.booleans()):
            return (draw(values),)  # one size stands for every axis
        count = n if draw(st.integers(0, 24)) else draw(st.sampled_from((1, 2, 3)))  # now and then a wrong count
        return tuple(draw(values) for _ in range(count))

    c = {"op": op, "dims": n, "input": sizes(st.integers(1, 8 if small else 40))}
    c["kernel"] = sizes(st.integers(1, 4 if small else 9))
    c["stride"] = None if draw(st.booleans()) else sizes(st.integers(1, 4))
    if draw(st.integers(0, 2)) == 0:  # a padding word: the padding mode's, or typed
        c["padding"] = draw(st.sampled_from(WORDS[op] if small else sum(WORDS.values(), [])))
    else:
        c["padding"] = sizes(st.integers(0, 3))
    c["dilation"] = (1,) if op == "avg" or draw(st.booleans()) else sizes(st.integers(1, 3))
    c["output_padding"] = (0,) if op != "transposed" else sizes(st.integers(0, 2))
    c["ceil_mode"] = op in ("max", "avg") and draw(st.booleans())
    c["styles"] = draw(st.lists(st.integers(0, 3), min_size=7, max_size=7))
    return c


def form_values(c):
    """What the test types into the form's fields (the fields this operation takes) and chooses
    in its menus (the dimensions; the padding mode, or a padding word typed into the field)."""
    values = {"dims": str(c["dims"]), "padding_mode": "numbers"}
    for n, name in enumerate(FIELDS[c["op"]]):
        value = c[name]
        if name == "ceil_mode":
            values[name] = bool(value)
        elif value is None:
            values[name] = ""
        elif isinstance(value, str):  # a word: from the menu where it has one, else typed
            if value in menu(c["op"], c["dims"]) and c["styles"][6] % 2 == 0:
                values["padding_mode"] = value
                values[name] = "0"
            else:
                values[name] = value
        else:
            values[name] = text(value, c["styles"][n])
    return values


def menu(op, dims):
    """The padding words the padding-mode menu offers for this operation (explore.js modes)."""
    if op == "conv":
        return ["same", "valid", "tf-same", "same-lower"] + (["causal"] if dims == 1 else [])
    return ["tf-same", "same-lower"] if op == "max" else []


def cli_argv(c):
    """The command line of the same configuration, as the reader typed it."""
    argv = ["shape", c["op"], "--dims", str(c["dims"])]
    for name, value in form_values(c).items():
        if name in ("dims", "padding_mode") or value == "":
            continue
        if name == "ceil_mode":
            argv += ["--ceil-mode"] if value else []
        else:
            argv += [f"--{name.replace('_', '-')}", value]
    mode = form_values(c)["padding_mode"]
    if mode != "numbers":
        argv[argv.index("--padding") + 1] = mode
    return argv


def python_verdict(c):
    """What `python -m figures shape … --json` prints (in-process): ("shape", D×H×W, formulas,
    paddings per side, PyTorch lines), or ("error", its one line)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(cli_argv(c) + ["--json"])
    if status:
        assert status == 2 and err.getvalue().count("\n") == 1, err.getvalue()
        return ("error", err.getvalue().strip().removeprefix("python -m figures: error: "))
    data = json.loads(out.getvalue())
    return ("shape", "×".join(map(str, data["output"])), list(data["formula"].values()),
            data.get("padding"), data.get("pytorch"))


SET = """([op, values]) => {
  const form = document.querySelector('#explorer form');
  form.elements.op.value = op;
  for (const [name, value] of Object.entries(values)) {
    if (name === 'ceil_mode') form.elements[name].checked = value;
    else form.elements[name].value = value;
  }
  form.elements.op.dispatchEvent(new Event('input', { bubbles: true }));
  const out = document.getElementById('explore-output');
  const formulas = document.querySelector('.explorer__formula').dataset.formulas;
  const pads = document.querySelector('.explorer__pads');
  const code = document.querySelector('.explorer__line code');
  return { shape: out.dataset.shape ?? null, error: out.dataset.error ?? null, text: out.textContent,
           formulas: out.dataset.shape ? JSON.parse(formulas) : null, pads: pads ? JSON.parse(pads.dataset.pads) : null,
           torch: code ? code.textContent.split('\\n') : null };
}"""


def page_verdict(page, c):
    return verdict_of(page.evaluate(SET, [c["op"], form_values(c)]))


def verdict_of(got):
    """The verdict of what SET read from the page (its answer to one configuration)."""
    if got["shape"] is not None:
        assert got["error"] is None and got["text"] == f"Output: {got['shape']}"
        return ("shape", got["shape"], got["formulas"], got["pads"], got["torch"] if got["pads"] else None)
    assert got["error"] and got["error"] in got["text"]
    return ("error", got["error"])


# ----------------------------------------------------------------------------- sizes and refusals

# the seed hypothesis derived (derandomize=True) for the property test that compared one configuration
# per example before the comparison was batched: the same 2,000 configurations, every run
ARITH_SEED = int("37071291570424226480961414006547686096338469663007039763125028833857317970260870209989886726"
                 "42406511236927150736949")


def drawn_configurations(strategy, count, seed):
    """``count`` configurations drawn by hypothesis from ``seed`` (the same ones every run)."""
    drawn = []

    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @hypothesis_seed(seed)
    @given(c=strategy)
    def draw(c):
        drawn.append(c)

    draw()
    return drawn


SET_ALL = f"(all) => all.map({SET})"  # the page's answers to many configurations, one evaluate
BATCH = 250


def test_the_page_answers_as_figures_arith(explorer):
    """For each of 2,000 configurations, the page's answer (the form filled in and an input event
    sent, as SET does for one) is the CLI's. The page is asked in batches of configurations (one
    round trip each, where one configuration per round trip cost a rendered frame each)."""
    configs = drawn_configurations(configurations(), MIN_CONFIGS, ARITH_SEED)
    assert len(configs) == MIN_CONFIGS
    for start in range(0, len(configs), BATCH):
        batch = configs[start:start + BATCH]
        answers = explorer.page.evaluate(SET_ALL, [[c["op"], form_values(c)] for c in batch])
        for c, got in zip(batch, answers, strict=True):
            want = python_verdict(c)
            assert verdict_of(got) == want, c
            SEEN["accepted" if want[0] == "shape" else "refused"] += 1
            SEEN["ops"].add(c["op"])
            SEEN["non-square"] += len(set(c["input"])) > 1
            SEEN["dims"].add(c["dims"])
            SEEN["per side"] += want[0] == "shape" and want[3] is not None


def test_the_comparison_covered_every_kind_of_configuration():
    """(Runs after the property above, in file order): it compared at least 2,000 configurations,
    many accepted and many refused, every operation, per-axis sizes."""
    print(f"\nexplorer against figures.arith: {SEEN['accepted']} accepted, {SEEN['refused']} refused, "
          f"{SEEN['non-square']} not square, {SEEN['per side']} padded per side (TF/ONNX SAME, causal)")
    assert SEEN["accepted"] + SEEN["refused"] >= MIN_CONFIGS
    assert SEEN["accepted"] >= 500 and SEEN["refused"] >= 300, SEEN
    assert SEEN["ops"] == set(FIELDS) and SEEN["non-square"] >= 500 and SEEN["dims"] == {1, 2, 3}
    assert SEEN["per side"] >= 150, SEEN


# ----------------------------------------------------------------------------- windows and values

def resolved(c):
    """The configuration with one value per axis, as the CLI reads the options (a single size
    stands for every axis), the padding word by its canonical name and, where a word pads per side,
    ``pads``: (before, after) per axis (figures.arith.side_paddings)."""
    n, op = c["dims"], c["op"]

    def per(v, default):
        return (default,) * n if v is None else tuple(v) * n if len(v) == 1 else tuple(v)

    r = {"op": op, "dims": n, "input": per(c["input"], 1), "kernel": per(c["kernel"], 1),
         "stride": None if c["stride"] is None else per(c["stride"], 1), "dilation": per(c["dilation"], 1),
         "output_padding": per(c["output_padding"], 0), "ceil_mode": c["ceil_mode"]}
    if isinstance(c["padding"], str):
        r["padding"] = cli.PADDING_WORDS[c["padding"]]
        if r["padding"] in arith.SIDE_PADDINGS:
            stride = r["stride"] or (r["kernel"] if op in ("max", "avg") else (1,) * n)
            r["pads"] = arith.side_paddings(r["padding"], r["input"], r["kernel"], stride, r["dilation"], n)
    else:
        r["padding"] = per(c["padding"], 0)
    return r


def torch_op(r):
    """torch's operation of a resolved configuration (1-D or 2-D); a padding per side is F.pad's
    (−∞ for max pooling), then the operation with padding 0."""
    op, stride, n = r["op"], r["stride"], r["dims"]
    padding = 0 if "pads" in r else r["padding"]
    flat = [p for pair in reversed(r.get("pads", ())) for p in pair]
    pad = (lambda x: F.pad(x, flat, value=float("-inf") if op == "max" else 0.0)) if flat else (lambda x: x)
    conv, transposed, max_pool, avg_pool = {
        1: (F.conv1d, F.conv_transpose1d, F.max_pool1d, F.avg_pool1d),
        2: (F.conv2d, F.conv_transpose2d, F.max_pool2d, F.avg_pool2d)}[n]
    if op == "conv":
        return lambda x: conv(pad(x), torch.ones(1, 1, *r["kernel"], dtype=x.dtype), stride=stride or 1,
                              padding=padding, dilation=r["dilation"])
    if op == "transposed":
        return lambda x: transposed(x, torch.ones(1, 1, *r["kernel"], dtype=x.dtype), stride=stride or 1,
                                    padding=padding, output_padding=r["output_padding"], dilation=r["dilation"])
    if op == "max":
        return lambda x: max_pool(pad(x), r["kernel"], stride=stride, padding=padding, dilation=r["dilation"],
                                  ceil_mode=r["ceil_mode"])
    return lambda x: avg_pool(x, r["kernel"], stride=stride, padding=padding, ceil_mode=r["ceil_mode"])


def torch_windows(r):
    """For every output cell, the input cells torch reads (as [row, column]; row 0 in 1-D), and
    torch's output for the input 1, 2, …: the cells whose gradient is non-zero (weights of ones);
    for max pooling, whose gradient marks only the largest cell, the cells whose one-hot input
    reaches the output cell."""
    shape = r["input"]
    cells = math.prod(shape)
    cell = (lambda m: divmod(m, shape[1])) if len(shape) == 2 else (lambda m: (0, m))
    f = torch_op(r)
    x = torch.arange(1, cells + 1, dtype=torch.float64).reshape(1, 1, *shape)
    values = f(x)[0, 0]
    outputs = values.numel()
    if r["op"] == "max":
        reach = (f(torch.eye(cells, dtype=torch.float64).reshape(cells, 1, *shape))[:, 0] == 1).reshape(cells, outputs)
        reads = [sorted(cell(int(m)) for m in torch.nonzero(reach[:, o]).flatten()) for o in range(outputs)]
    else:
        jac = torch.autograd.functional.jacobian(lambda t: f(t)[0, 0], x).reshape(outputs, cells)
        reads = [sorted(cell(int(m)) for m in torch.nonzero(jac[o]).flatten()) for o in range(outputs)]
    return reads, values.flatten().tolist()


WINDOWS = """() => {
  const ex = window.__explore;
  const view = ex.view();
  if (!view) return null;
  const reads = [], values = [];
  for (let n = 0; n < view.steps.length; n++) {
    ex.go(n, false);
    const cells = [...document.querySelectorAll('.explorer__grids .is-read')]
      .map((el) => [Number(el.dataset.i), Number(el.dataset.j)]);
    cells.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    reads.push(cells);
  }
  for (const el of document.querySelectorAll('.explorer__grids button.explorer__cell--output')) values.push(Number(el.dataset.value));
  return { reads, values };
}"""


def render_config(r) -> Config:
    """The configuration `python -m figures render` makes of these options (a pooling's stride
    defaults to its kernel), from a resolved 2-D configuration."""
    kind = r["op"]
    stride = r["stride"] or (r["kernel"] if kind in ("max", "avg") else (1, 1))
    return Config(kind, r["input"], r["kernel"], stride, r["padding"], r["dilation"], r["output_padding"],
                  ceil_mode=r["ceil_mode"])


def grid_cells(r, output):
    """Cells per axis of the grid the page draws (figures/config.py grid_size, with the padding per side)."""
    cells = []
    for a in range(r["dims"]):
        i, k, d = r["input"][a], r["kernel"][a], r["dilation"][a]
        if r["op"] == "transposed":
            s = (r["stride"] or (1,) * r["dims"])[a]
            cells.append((i - 1) * s + 1 + 2 * (d * (k - 1) - r["padding"][a]) + r["output_padding"][a])
            continue
        before, after = (r["pads"][a] if "pads" in r else arith.same_padding(k, d) if r["padding"] == "same"
                         else (0, 0) if r["padding"] == "valid" else (r["padding"][a],) * 2)
        if r["op"] == "conv":
            cells.append(i + before + after)
        else:
            s = (r["stride"] or r["kernel"])[a]
            cells.append(max(i + before + after, (output[a] - 1) * s + d * (k - 1) + 1))
    return cells


def drawn(c):
    """Whether the page draws this configuration's grids (1-D and 2-D, inputs up to 16 a side,
    grids up to 32)."""
    verdict = python_verdict(c)
    if verdict[0] != "shape" or c["dims"] == 3:
        return False
    r = resolved(c)
    output = list(map(int, verdict[1].split("×")))
    return max(grid_cells(r, output)) <= MAX_GRID and max(r["input"]) <= 16


# the seed hypothesis derived (derandomize=True) for this property test when it compared one
# configuration per example: the same 300 configurations, every run
WINDOWS_SEED = int("28012528872460193159350977024180445550348740525422445366283695339024355858438324808714101"
                   "663658877162328566883363299")
SET_AND_WINDOWS = f"(all) => all.map((a) => [({SET})(a), ({WINDOWS})()])"


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths")  # torch's note on speed
def test_every_output_cell_marks_the_cells_torch_reads_and_shows_torchs_value(explorer):
    """For each of 300 configurations the page draws, stepping through every output cell marks the
    input cells torch reads, and the output cells show torch's values (asked in batches, as above)."""
    configs = drawn_configurations(configurations(small=True, dims=(2, 2, 1)).filter(drawn), 300, WINDOWS_SEED)
    assert len(configs) == 300
    for start in range(0, len(configs), 50):
        batch = configs[start:start + 50]
        answers = explorer.page.evaluate(SET_AND_WINDOWS, [[c["op"], form_values(c)] for c in batch])
        for c, (verdict, got) in zip(batch, answers, strict=True):
            assert verdict_of(verdict)[0] == "shape", c
            r = resolved(c)
            reads, values = torch_windows(r)
            SEEN["windows 1-D"] += r["dims"] == 1
            SEEN["windows per side"] += "pads" in r
            assert [[tuple(ij) for ij in cells] for cells in got["reads"]] == [[tuple(ij) for ij in cells] for cells in reads], c
            assert got["values"] == pytest.approx(values, abs=1e-9), c
            SEEN["windows"] += 1
            SEEN["cells"] += len(reads)


def test_the_window_comparison_covered_hundreds_of_configurations():
    print(f"\nexplorer against torch: {SEEN['windows']} configurations ({SEEN['windows 1-D']} 1-D, "
          f"{SEEN['windows per side']} padded per side), {SEEN['cells']} output cells")
    assert SEEN["windows"] >= MIN_WINDOWS and SEEN["windows 1-D"] >= 50 and SEEN["windows per side"] >= 50, SEEN


WRITES = """([i, j]) => {
  const el = document.querySelector(`.explorer__grids button[data-i="${i}"][data-j="${j}"]`);
  el.dispatchEvent(new PointerEvent('pointerenter'));
  return [...document.querySelectorAll('.explorer__grids .is-written')].map((o) => [Number(o.dataset.r), Number(o.dataset.c)]);
}"""


@pytest.mark.parametrize("config", [
    {"input": (3, 3), "kernel": (3, 3), "stride": (2, 2), "padding": (1, 1), "output_padding": (1, 1)},
    {"input": (2, 4), "kernel": (2, 3), "stride": (3, 1), "padding": (0, 1), "output_padding": (0, 0)},
    {"input": (4, 4), "kernel": (3, 3), "stride": (2, 2), "padding": (2, 2), "output_padding": (1, 0), "dilation": (1, 2)},
])
def test_an_input_cell_of_a_transposed_convolution_marks_the_cells_it_writes(explorer, config):
    c = {"op": "transposed", "dims": 2, "dilation": (1, 1), "ceil_mode": False, "styles": [1] * 7, **config}
    assert page_verdict(explorer.page, c)[0] == "shape"
    r = resolved(c)
    reads, _ = torch_windows(r)
    out_w = torch_op(r)(torch.zeros(1, 1, *c["input"])).shape[-1]
    for i in range(c["input"][0]):
        for j in range(c["input"][1]):
            want = sorted(divmod(n, out_w) for n, cells in enumerate(reads) if (i, j) in cells)
            assert sorted(map(tuple, explorer.page.evaluate(WRITES, [i, j]))) == want


# ----------------------------------------------------------------------------- the code lines

@settings(max_examples=150, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(c=configurations(small=True))
def test_the_torch_line_and_the_render_command_are_this_configuration(explorer, c):
    verdict = page_verdict(explorer.page, c)
    lines = explorer.page.eval_on_selector_all(".explorer__line code", "els => els.map(e => e.textContent)")
    if verdict[0] == "error":
        assert lines == []
        return
    r = resolved(c)
    x = torch.zeros(1, 1, *r["input"])
    if "pads" in r:  # F.pad, then the layer with padding=0: the CLI's lines, run as written
        scope = {"F": F, "nn": nn, "x": x, "C_in": 1, "C_out": 1}
        exec(lines[0], scope)  # noqa: S102
        y = scope["y"]
    else:
        y = eval(lines[0], {"nn": nn})(x)  # noqa: S307 - the line the page shows, run as written
    assert "×".join(map(str, y.shape[2:])) == verdict[1]
    if r["dims"] != 2 or "pads" in r:  # what `render` does not draw: the `shape` command that says the same
        assert lines[1].startswith("python -m figures shape ") and len(lines) == 2
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert cli.main(lines[1].split()[3:] + ["--json"]) == 0
        assert "×".join(map(str, json.loads(out.getvalue())["output"])) == verdict[1]
    elif drawn(c) or len(lines) == 2:
        assert lines[1] == f"python -m figures render {render_config(r).options()} -o {c['op']}.gif"
        assert cli.make_parser().parse_args(lines[1].split()[3:])  # the CLI takes it as written


def test_torch_refuses_what_the_page_refuses(explorer):
    """A few refusals, said by the page, are refusals of torch too."""
    cases = [({"op": "conv", "input": (4, 4), "kernel": (5, 5), "padding": (0, 0)}, lambda: nn.Conv2d(1, 1, 5)),
             ({"op": "transposed", "input": (1, 1), "kernel": (2, 2), "padding": (1, 1)},
              lambda: nn.ConvTranspose2d(1, 1, 2, padding=1)),
             ({"op": "max", "input": (5, 5), "kernel": (3, 3), "padding": (2, 2)}, lambda: nn.MaxPool2d(3, padding=2)),
             ({"op": "conv", "input": (8, 8), "kernel": (3, 3), "padding": "same", "stride": (2, 2)},
              lambda: nn.Conv2d(1, 1, 3, stride=2, padding="same"))]
    for config, layer in cases:
        c = {"dims": 2, "stride": None, "dilation": (1, 1), "output_padding": (0, 0), "ceil_mode": False, "styles": [0] * 7,
             **config}
        assert page_verdict(explorer.page, c)[0] == "error"
        with pytest.raises((RuntimeError, ValueError)):
            layer()(torch.zeros(1, 1, *c["input"]))


# ----------------------------------------------------------------------------- the page itself

@pytest.mark.parametrize("lang", LANGS)
def test_a_link_opens_its_configuration_and_the_url_follows_the_form(browser, served, lang):  # noqa: F811
    query = "op=transposed&input=16&kernel=3&stride=2&padding=1&dilation=1"
    visit = Visit(browser, f"{served}{lang}/explore/?{query}")
    page = visit.page
    out = page.locator("#explore-output")
    assert out.get_attribute("data-shape") == "31×31"  # the page's "31 and not 32"
    history = page.evaluate("history.length")
    page.fill("#explore-output_padding", "1")
    assert out.get_attribute("data-shape") == "32×32"
    q = parse_qs(urlsplit(page.url).query)
    assert q["output_padding"] == ["1"] and q["op"] == ["transposed"] and q["input"] == ["16"]
    assert page.evaluate("history.length") == history  # replaced, not pushed
    # the language switch keeps the configuration
    other = "zh" if lang == "en" else "en"
    page.hover(".md-header__option .md-select")
    page.click(f"a.md-select__link[hreflang={other}]")
    page.wait_for_url(re.compile(rf".*/{other}/explore/\?.*"))
    page.wait_for_selector("#explore-output[data-shape]")
    assert page.locator("#explore-output").get_attribute("data-shape") == "32×32"
    assert visit.errors == [] and all(r.startswith(served) for r in visit.requests)
    visit.close()


def test_the_pages_statement_about_31_and_32():
    from figures import arith

    assert arith.conv_transpose_axis(16, 3, stride=2, padding=1).size == 31
    assert arith.conv_transpose_axis(16, 3, stride=2, padding=1, output_padding=1).size == 32
    for lang in LANGS:
        page = (ROOT / "docs" / lang / "explore.md").read_text(encoding="utf-8")
        assert "16" in page and "31" in page and "32" in page
        assert "explore.md?op=transposed&input=16&kernel=3&stride=2&padding=1)" in page


@pytest.mark.parametrize("lang", LANGS)
def test_a_refusal_and_invalid_text_are_said_in_the_pages_language(browser, served, lang):  # noqa: F811
    visit = Visit(browser, f"{served}{lang}/explore/?op=conv&input=4&kernel=5")
    page = visit.page
    out = page.locator("#explore-output")
    assert out.get_attribute("data-error").startswith("kernel=5: the kernel spans 5 cells")
    shown = out.inner_text()
    if lang == "zh":
        assert "torch 不接受" in shown and "卷积核跨 5 格" in shown and "the kernel" not in shown
    else:
        assert shown.startswith("torch refuses this configuration: kernel=5: the kernel spans 5 cells")
    page.fill("#explore-stride", "2y")
    assert page.get_attribute("#explore-stride", "aria-invalid") == "true"
    message = page.inner_text("#explore-stride-error")
    assert "2y" in message and ("不是有效的尺寸" in message if lang == "zh" else "is not a size" in message)
    # labels and names in the page's language: nothing English on /zh/
    if lang == "zh":
        labels = page.eval_on_selector_all("#explorer label, #explorer button",
                                           "els => els.map(e => e.getAttribute('aria-label') || e.textContent)")
        english = [t for t in labels if re.search(r"\b(Step|Play|Pause|Copy|Input|Kernel|Output|Stride|Padding)\b", t)]
        assert english == []
    visit.close()


@pytest.mark.parametrize("lang", LANGS)
def test_the_explorer_is_driven_by_keyboard_and_copies_its_lines(browser, served, lang):  # noqa: F811
    visit = Visit(browser, f"{served}{lang}/explore/?op=conv&input=5&kernel=3&stride=2&padding=1",
                  permissions=["clipboard-read", "clipboard-write"])
    page = visit.page
    # the output grid is one tab stop; the arrow keys move among its cells and step the window
    page.focus(".explorer__grids button.explorer__cell--output[tabindex='0']")
    page.keyboard.press("Home")
    assert page.inner_text(".explorer__figure .player__caption").startswith("Y[0,0] = 0·1 + 0·1")
    page.keyboard.press("ArrowRight")
    caption = page.inner_text(".explorer__figure .player__caption")
    assert caption.startswith("Y[0,1] = ") and caption.endswith("= 33")  # 2+3+4 + 7+8+9
    assert page.evaluate("document.activeElement.dataset.r + ',' + document.activeElement.dataset.c") == "0,1"
    assert page.locator(".explorer__grids .is-read").count() == 6
    page.keyboard.press("ArrowDown")
    assert page.inner_text(".explorer__figure .player__counter").startswith("5 / ")
    # the controls: play, then pause
    page.click(".explorer__figure .player__toggle")
    page.wait_for_function("() => document.querySelector('.explorer__figure .player__counter').textContent.startsWith('6 /')")
    page.click(".explorer__figure .player__toggle")
    assert page.get_attribute(".explorer__figure .player__toggle", "data-state") == "paused"
    # copy buttons copy exactly their line
    for n, line in enumerate(page.eval_on_selector_all(".explorer__line code", "els => els.map(e => e.textContent)")):
        page.locator(".explorer__copy").nth(n).click()
        assert page.evaluate("navigator.clipboard.readText()") == line
    assert page.evaluate("document.querySelector('.explorer__line code').textContent") == \
        "nn.Conv2d(1, 1, kernel_size=3, stride=2, padding=1)"
    names = page.eval_on_selector_all(".explorer__copy", "els => els.map(e => e.getAttribute('aria-label'))")
    assert all(n.startswith("复制" if lang == "zh" else "Copy") for n in names)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{lang}-explore-desktop.png"), full_page=True)
    assert visit.errors == []
    visit.close()


def test_on_a_phone_nothing_is_wider_than_the_screen(browser, served):  # noqa: F811
    visit = Visit(browser, f"{served}zh/explore/?op=transposed&input=3&kernel=3&stride=2&padding=1&output_padding=1",
                  reduced_motion="reduce", viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = visit.page
    assert page.get_attribute(".explorer__figure .player__toggle", "data-state") == "paused"
    # nothing wider than the phone: a wide grid scrolls inside its own box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    size = page.evaluate("getComputedStyle(document.querySelector('.explorer__cell')).width")
    assert float(size.removesuffix("px")) >= 26
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#explorer").screenshot(path=str(SCREENSHOTS / "zh-explore-phone.png"))
    visit.close()


def test_the_cells_take_the_figure_themes_colours(browser, served):  # noqa: F811
    """One source for colours: the cells' fills are the theme's, in both palettes."""
    for scheme, t in (("light", theme.LIGHT), ("dark", theme.DARK)):
        visit = Visit(browser, f"{served}en/explore/?op=transposed&input=3&kernel=3&stride=2&padding=1",
                      color_scheme=scheme)
        got = visit.page.evaluate("""() => Object.fromEntries(['input', 'output', 'kernel', 'pad', 'zero'].map(role =>
            [role, getComputedStyle(document.querySelector('.explorer__cell--' + role)).backgroundColor]))""")
        for role, colour in got.items():
            rgb = tuple(int(t.fill[role][i:i + 2], 16) for i in (1, 3, 5))
            assert colour == f"rgb({rgb[0]}, {rgb[1]}, {rgb[2]})", (scheme, role, colour)
        visit.close()


def test_the_chapters_link_to_the_explorer_with_their_configurations(site):
    for lang in LANGS:
        for chapter, op in (("sliding-window", "conv"), ("transposed", "transposed")):
            html = (site / lang / chapter / "index.html").read_text(encoding="utf-8")
            links = re.findall(r'href="\.\./explore/\?([^"]+)"', html)
            assert any(parse_qs(q.replace("&amp;", "&"))["op"] == [op] for q in links), (lang, chapter)


def test_only_the_explorer_page_loads_its_scripts(site):
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        has = any(name in text for name in ("explore.js", "explore-arith.js", "explore-strings.js", "explore-grids.js", "figure-theme.css",
                                            "explore.css"))
        assert has == (html.parent.name == "explore"), html


def test_the_theme_stylesheet_is_generated_from_the_theme(site):
    css = (site / "en" / "assets" / "stylesheets" / "figure-theme.css").read_text()
    assert css == theme.css()
    assert f"--fig-pad-fill: {theme.DARK.fill['pad']};" in css.split('"slate"')[1]
    assert json.dumps(theme.LIGHT.fill["input"]).strip('"') in css.split('"slate"')[0]


@pytest.mark.parametrize("lang, scheme, width, query", [
    ("en", "light", 390, "op=conv&input=16&kernel=3&padding=4"),  # a grid wider than the phone
    ("zh", "dark", 390, "op=transposed&input=5&kernel=3&stride=2&padding=1&output_padding=1"),
    ("zh", "light", 1280, "op=max&input=5&kernel=3&padding=2"),  # refused
    ("en", "dark", 1280, "op=avg&input=6x9&kernel=2x3&ceil_mode=1"),
    ("zh", "dark", 390, "op=conv&dims=1&input=12&kernel=3&dilation=2&padding=causal"),  # one row of cells
    ("en", "light", 1280, "op=conv&input=8x16x16&kernel=3&stride=2&padding=same-lower"),  # 3-D: no grids
])
def test_no_accessibility_violation_in_any_state(browser, served, lang, scheme, width, query):  # noqa: F811
    """axe-core (WCAG 2.0–2.2 A and AA) on the explorer as the reader leaves it: a wide grid on a
    phone, a transposed convolution, a refusal, pooling; with an output cell stepped to."""
    from axe_playwright_python.sync_playwright import Axe

    visit = Visit(browser, f"{served}{lang}/explore/?{query}", color_scheme=scheme,
                  viewport={"width": width, "height": 900})
    page = visit.page
    if page.locator(".explorer__cell--output").count():
        page.focus(".explorer__grids button.explorer__cell--output[tabindex='0']")
        page.keyboard.press("Home")
        page.keyboard.press("ArrowRight")
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
               "resultTypes": ["violations"]}
    violations = Axe().run(page, options=options).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []
    assert visit.errors == []
    visit.close()


ODD_TEXT = ["3x", "x3", "0", "-1", "３", "1e3", "5\u00a0", "5\u3000x\u30003", " same ", "SAME", "", " ", "4, 0", "it's"]


@pytest.mark.parametrize("text", ODD_TEXT, ids=[repr(t) for t in ODD_TEXT])
def test_a_field_the_cli_would_not_parse_is_refused_with_the_clis_line(explorer, text):
    """What a reader types into a field is read as the CLI reads that option: the same line for
    what it refuses (data-error), and the same answer for what it takes."""
    page = explorer.page
    got = page.evaluate(SET, ["conv", {"input": text, "kernel": "3", "stride": "", "padding": "0", "dilation": "1",
                                       "dims": "2", "padding_mode": "numbers"}])
    try:
        args = cli.make_parser().parse_args(["shape", "conv", "--input", text, "--kernel", "3"] if text else
                                            ["shape", "conv", "--kernel", "3"])
    except cli.UsageError as err:
        assert got["error"] == str(err) and got["shape"] is None
        assert page.get_attribute("#explore-input", "aria-invalid") == "true"
        return
    assert got["shape"] == "×".join(map(str, cli.shape_of("conv", args.input, args.kernel).output))


@pytest.mark.parametrize("query, error", [
    ("op=bogus&input=5&kernel=2", "argument op: invalid choice: 'bogus' (choose from 'conv', 'transposed', 'max', 'avg', 'pool')"),
    ("op=avg&input=5&kernel=3&dilation=2", "--dilation (2, 2): average pooling has no dilation"),
    ("op=conv&input=5&kernel=3&output_padding=1", "--output-padding (1, 1): only a transposed convolution has one"),
    ("op=transposed&input=5&kernel=3&ceil_mode=1", "--ceil-mode: only pooling has a ceil mode"),
    ("op=conv&input=5&kernel=3&dims=4", "argument --dims: invalid choice: 4 (choose from 1, 2, 3)"),
    ("op=conv&input=5&kernel=3&dims=two", "argument --dims: invalid int value: 'two'"),
    ("op=conv&input=5&kernel=3&padding=causal", "--padding causal: only a 1-D convolution is causal (--dims 1), and this one is 2-D"),
    ("op=avg&input=5&kernel=3&padding=tf-same&dims=1", "--padding tf-same: TensorFlow's SAME average pooling leaves the padded cells "
     "out of each average, which F.pad and nn.AvgPool1d cannot reproduce; give integer padding (or max pooling)"),
    ("op=conv&input=5x6&kernel=3&dims=1", "--input 5x6: 2 sizes for a 1-D configuration (give 1)"),
])
def test_a_link_is_read_as_the_cli_reads_its_options(browser, served, query, error):  # noqa: F811
    """A link keeps its meaning: what the CLI refuses, the page refuses with the same line (and
    shows the field a link gave to an operation that does not take it); the reader's next change
    takes the page on from there."""
    visit = Visit(browser, f"{served}en/explore/?{query}")
    page = visit.page
    assert page.get_attribute("#explore-output", "data-error") == error
    if "dilation" in query:
        assert page.is_visible("#explore-dilation")
    assert urlsplit(page.url).query == query  # the link is left as it was
    assert visit.errors == []
    visit.close()


@pytest.mark.parametrize("name", ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"])
def test_a_name_every_object_inherits_is_no_operation(browser, served, name):  # noqa: F811
    """The explorer looks names from the address up as its own keys only: ``?op=__proto__`` is
    refused as the CLI refuses it, the menu keeps an operation, nothing throws, and the reader's
    next change answers and updates the address."""
    visit = Visit(browser, f"{served}en/explore/?op={name}&input=5&kernel=2")
    page = visit.page
    assert page.get_attribute("#explore-output", "data-error") == (
        f"argument op: invalid choice: '{name}' (choose from 'conv', 'transposed', 'max', 'avg', 'pool')")
    assert page.input_value("#explore-op") == "conv"
    page.fill("#explore-input", "7")
    page.wait_for_function("() => document.querySelector('#explore-output').dataset.shape === '6×6'")
    assert "input=7" in page.url and f"op={name}" not in page.url
    assert visit.errors == []
    visit.close()


def test_dims_is_read_as_argparse_reads_it_and_a_long_value_is_quoted_short(browser, served):  # noqa: F811
    """``dims=+3`` is 3, as ``--dims +3`` is on the command line; 50,000 nines are refused with the
    number cut to 40 digits, not "Infinity" and not a 50 KB line."""
    from figures.cli import main

    assert main(["shape", "conv", "--input", "5", "--kernel", "3", "--dims", "+3", "--json"]) == 0
    visit = Visit(browser, f"{served}en/explore/?op=conv&input=5&kernel=3&dims=+3".replace("+", "%2B"))
    assert visit.page.get_attribute("#explore-output", "data-shape") == "3×3×3"
    visit.close()
    visit = Visit(browser, f"{served}en/explore/?op=conv&input=5&kernel=3&dims={'9' * 50_000}")  # (http.server takes request lines up to 64 KB)
    error = visit.page.get_attribute("#explore-output", "data-error")
    assert error == f"argument --dims: invalid choice: {'9' * 40}… (choose from 1, 2, 3)"
    assert len(visit.page.inner_text("#explore-output")) < 200 and visit.errors == []
    visit.close()


def test_pool_in_a_link_is_max_pooling_as_on_the_command_line(browser, served):  # noqa: F811
    visit = Visit(browser, f"{served}en/explore/?op=pool&input=5&kernel=2")
    assert visit.page.input_value("#explore-op") == "max"
    assert visit.page.get_attribute("#explore-output", "data-shape") == "2×2"
    visit.close()


def test_a_configuration_too_large_to_draw_says_so_and_never_builds_its_grid(browser, served):  # noqa: F811
    visit = Visit(browser, f"{served}en/explore/?op=transposed&input=3&kernel=3&stride=2")
    page = visit.page
    assert page.is_visible(".explorer__grids")
    page.fill("#explore-stride", "9999999")
    page.fill("#explore-input", "9999999")  # a grid of about 10¹⁴ cells a side: sizes only, at once
    assert page.get_attribute("#explore-output", "data-shape") == "99999970000005×99999970000005"
    assert not page.is_visible(".explorer__figure") and page.locator(".explorer__grids .explorer__cell").count() == 0
    assert page.is_visible(".explorer__note") and "16×16" in page.inner_text("#explorer")
    page.fill("#explore-input", "17")
    page.fill("#explore-stride", "1")
    assert page.get_attribute("#explore-output", "data-shape") == "19×19"  # transposed: 16 + 2 + 1
    assert page.is_visible("#explorer > .explorer__note")
    assert visit.errors == []
    visit.close()


def test_the_page_states_what_is_compared():
    """The numbers the page gives for its checks are the tests' own."""
    for lang, (configs, windows) in {"en": ("2,000", "200"), "zh": ("2000", "200")}.items():
        page = (ROOT / "docs" / lang / "explore.md").read_text(encoding="utf-8")
        section = page.split("{#checked}", 1)[1].split("\n## ", 1)[0]
        assert configs.replace(",", "") == str(MIN_CONFIGS) and windows == str(MIN_WINDOWS)
        assert re.findall(r"\d[\d,]*", section) == [configs, windows, "1"], lang


def test_the_chapters_open_the_explorer_on_their_own_figures(site):
    """sliding-window opens it on its "odd" case, transposed on padding-strides-odd-transposed."""
    from figures import catalog

    for lang in LANGS:
        for chapter, name in (("sliding-window", "padding-strides-odd"), ("transposed", "padding-strides-odd-transposed")):
            html = (site / lang / chapter / "index.html").read_text(encoding="utf-8")
            c = catalog.get(name).config()
            want = {"op": c.kind, "input": str(c.input[0]), "kernel": str(c.kernel[0]), "stride": str(c.stride[0]),
                    "padding": str(c.padding[0])}
            if c.output_padding != (0, 0):
                want["output_padding"] = str(c.output_padding[0])
            links = [{k: v[0] for k, v in parse_qs(q.replace("&amp;", "&")).items()}
                     for q in re.findall(r'href="\.\./explore/\?([^"]+)"', html)]
            assert want in links, (lang, chapter, links)


# ----------------------------------------------------------------------------- padding modes, 1-D and 3-D

def cli_json(argv):
    """`python -m figures shape … --json`, in-process."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["shape", *argv, "--json"]) == 0
    return json.loads(out.getvalue())


@pytest.mark.parametrize("lang", LANGS)
def test_the_padding_mode_and_the_dimensions_by_keyboard_show_the_clis_numbers(browser, served, lang):  # noqa: F811
    """On a phone, by keyboard alone: 1-D, then causal padding from the padding-mode menu; the page
    shows the CLI's size, paddings per side and PyTorch lines, its words in the page's language, one
    row of cells whose first cells are the padding, and the window of a 1-D output cell."""
    visit = Visit(browser, f"{served}{lang}/explore/?op=conv&input=10&kernel=3&dilation=2",
                  viewport={"width": 390, "height": 844})
    page = visit.page
    page.focus("#explore-op")
    page.keyboard.press("Tab")  # the dimensions follow the operation
    assert page.evaluate("document.activeElement.id") == "explore-dims"
    page.keyboard.press("ArrowUp")  # 2-D → 1-D
    assert page.input_value("#explore-dims") == "1"
    for _ in range(4):  # input, kernel, stride, then the padding mode
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "explore-padding_mode"
    page.keyboard.press("End")  # the last mode: causal (offered in 1-D)
    assert page.input_value("#explore-padding_mode") == "causal"
    assert not page.is_visible("#explore-padding")  # the numbers are the mode's
    want = cli_json(["conv", "--input", "10", "--kernel", "3", "--dilation", "2", "--dims", "1", "--padding", "causal"])
    out = page.locator("#explore-output")
    assert out.get_attribute("data-shape") == "×".join(map(str, want["output"])) == "10"
    assert json.loads(page.get_attribute(".explorer__pads", "data-pads")) == want["padding"] == {"left": 4, "right": 0}
    assert page.inner_text(".explorer__pads") == ("填充：左 4，右 0" if lang == "zh" else "Padding: left 4, right 0")
    assert page.text_content(".explorer__line code").split("\n") == want["pytorch"]
    assert parse_qs(urlsplit(page.url).query)["padding"] == ["causal"] and parse_qs(urlsplit(page.url).query)["dims"] == ["1"]
    # one row of cells: 4 cells of padding, then the input
    roles = page.eval_on_selector_all(".explorer__grids .explorer__grid:first-child .explorer__cell",
                                      "els => els.map(e => e.className.match(/--(\\w+)/)[1])")
    assert roles == ["pad"] * 4 + ["input"] * 10
    page.focus(".explorer__grids button.explorer__cell--output[tabindex='0']")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    assert page.inner_text(".explorer__figure .player__caption") == "Y[1] = 0·1 + 0·1 + 2·1 = 2"  # reads x[1] only
    # names in the page's language
    names = page.eval_on_selector_all("#explorer label, #explorer select option:not([hidden])", "els => els.map(e => e.textContent)")
    if lang == "zh":
        assert "维数" in names and "填充方式" in names and "因果（一维）" in names
        assert not [t for t in names if re.search(r"\b(Dimensions|Padding|Numbers|causal)\b", t)]
    else:
        assert "Dimensions" in names and "Padding mode" in names and "causal (1-D)" in names
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # back to 2-D: causal is a 1-D convolution's, so the mode returns to numbers
    page.focus("#explore-dims")
    page.keyboard.press("ArrowDown")
    assert page.input_value("#explore-dims") == "2" and page.input_value("#explore-padding_mode") == "numbers"
    assert out.get_attribute("data-shape") == "6×6"
    assert visit.errors == []
    visit.close()


@pytest.mark.parametrize("word, top, bottom", [("tf-same", 1, 2), ("same-upper", 1, 2), ("same-lower", 2, 1)])
def test_tf_and_onnx_same_pad_the_extra_row_where_they_say(browser, served, word, top, bottom):  # noqa: F811
    """TF SAME (ONNX SAME_UPPER) puts the odd row and column of padding bottom and right, SAME_LOWER
    top and left: the grid shows it, and the numbers are the CLI's."""
    visit = Visit(browser, f"{served}en/explore/?op=conv&input=7x6&kernel=4x3&stride=2&padding={word}")
    page = visit.page
    want = cli_json(["conv", "--input", "7x6", "--kernel", "4x3", "--stride", "2", "--padding", word])
    assert page.get_attribute("#explore-output", "data-shape") == "×".join(map(str, want["output"]))
    assert json.loads(page.get_attribute(".explorer__pads", "data-pads")) == want["padding"]
    assert want["padding"]["top"] == top and want["padding"]["bottom"] == bottom
    assert page.text_content(".explorer__line code").split("\n") == want["pytorch"]
    assert page.input_value("#explore-padding_mode") == ("same-lower" if word == "same-lower" else "tf-same")
    cells = page.eval_on_selector_all(".explorer__grids .explorer__grid:first-child .explorer__cell",
                                      "els => els.map(e => [Number(e.dataset.r), Number(e.dataset.c), e.className.includes('--pad')])")
    rows, cols = max(r for r, _, _ in cells) + 1, max(q for _, q, _ in cells) + 1
    pad_row = [all(p for r, _, p in cells if r == n) for n in range(rows)]
    pad_col = [all(p for _, q, p in cells if q == n) for n in range(cols)]
    assert pad_row == [True] * top + [False] * 7 + [True] * bottom
    left, right = want["padding"]["left"], want["padding"]["right"]
    assert pad_col == [True] * left + [False] * 6 + [True] * right
    assert visit.errors == []
    visit.close()


@pytest.mark.parametrize("lang", LANGS)
def test_a_3d_configuration_gives_each_axis_its_size_and_formula(browser, served, lang):  # noqa: F811
    """DxHxW takes the page to 3-D (as on the command line): a size and a formula per axis, the
    CLI's numbers, and no grids (said in the page's language)."""
    visit = Visit(browser, f"{served}{lang}/explore/?op=max&input=16x112x112&kernel=1x3x3&stride=1x2x2&padding=tf-same")
    page = visit.page
    want = cli_json(["max", "--input", "16x112x112", "--kernel", "1x3x3", "--stride", "1x2x2", "--padding", "tf-same"])
    assert page.input_value("#explore-dims") == "3"
    assert page.get_attribute("#explore-output", "data-shape") == "×".join(map(str, want["output"])) == "16×56×56"
    assert json.loads(page.get_attribute(".explorer__formula", "data-formulas")) == list(want["formula"].values())
    assert page.locator(".explorer__formula .katex").count() == 3  # depth, height, width
    assert json.loads(page.get_attribute(".explorer__pads", "data-pads")) == want["padding"]
    assert page.text_content(".explorer__line code").split("\n") == want["pytorch"]
    assert page.locator(".explorer__grids .explorer__cell").count() == 0
    note = page.inner_text("#explorer > .explorer__note")
    assert ("三维" in note) if lang == "zh" else ("3-D" in note)
    # typing two sizes takes it back to 2-D
    page.fill("#explore-input", "9x9")
    assert page.input_value("#explore-dims") == "2"
    page.fill("#explore-kernel", "3")
    page.fill("#explore-stride", "2")
    assert page.get_attribute("#explore-output", "data-shape") == "5×5"
    assert page.locator(".explorer__grids .explorer__cell").count() > 0
    # max pooling's padding is −∞ (F.pad's value in the CLI's lines), as in the figures
    assert set(page.eval_on_selector_all(".explorer__grids .explorer__cell--pad", "els => els.map(e => e.textContent)")) == {"−∞"}
    assert visit.errors == []
    visit.close()
