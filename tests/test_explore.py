"""The explorer page (explore.md, explore.js, explore-arith.js) in a real browser, against the
Python side: every answer it gives for thousands of hypothesis-drawn configurations is the answer
of figures.arith (and of `python -m figures shape` for a refusal), and for hundreds the input
cells it marks for every output cell are the cells torch reads, and its values torch's values."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

from browsing import Visit, browser  # noqa: F401  (browser: a fixture)
from figures import cli, theme
from figures.config import MAX_GRID, Config
from helpers import LANGS, ROOT

SCREENSHOTS = ROOT / "build" / "screenshots"
FIELDS = {"conv": ("input", "kernel", "stride", "padding", "dilation"),
          "transposed": ("input", "kernel", "stride", "padding", "dilation", "output_padding"),
          "max": ("input", "kernel", "stride", "padding", "dilation", "ceil_mode"),
          "avg": ("input", "kernel", "stride", "padding", "ceil_mode")}
MIN_CONFIGS, MIN_WINDOWS = 2000, 200  # what the page says the tests compare (test_the_page_states_what_is_compared)
SEEN = {"accepted": 0, "refused": 0, "ops": set(), "non-square": 0, "windows": 0, "cells": 0}


@pytest.fixture(scope="module")
def explorer(browser, served):  # noqa: F811
    visit = Visit(browser, f"{served}en/explore/")
    yield visit
    assert visit.errors == []
    visit.close()


# ----------------------------------------------------------------------------- configurations

def text(pair, style):
    """A size as a reader types it: N, or HxW in one of the CLI's spellings."""
    h, w = pair
    if h == w and style == 0:
        return str(h)
    return [f"{h}x{w}", f"{h}×{w}", f"{h}, {w}", f" {h}x{w} "][style % 4]


@st.composite
def configurations(draw, small=False):
    op = draw(st.sampled_from(tuple(FIELDS)))
    size = st.integers(1, 8 if small else 40)
    square = draw(st.booleans())
    h = draw(size)
    c = {"op": op, "input": (h, h) if square else (h, draw(size))}
    k = st.integers(1, 4 if small else 9)
    kh = draw(k)
    c["kernel"] = (kh, kh) if draw(st.booleans()) else (kh, draw(k))
    c["stride"] = None if draw(st.booleans()) else (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    words = ["same", "valid"] if op == "conv" or not small else []
    if words and draw(st.integers(0, 4)) == 0:
        c["padding"] = draw(st.sampled_from(words))
    else:
        p = draw(st.integers(0, 3))
        c["padding"] = (p, p) if draw(st.booleans()) else (p, draw(st.integers(0, 3)))
    c["dilation"] = (1, 1) if op == "avg" or draw(st.booleans()) else (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    c["output_padding"] = (0, 0) if op != "transposed" else (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    c["ceil_mode"] = op in ("max", "avg") and draw(st.booleans())
    c["styles"] = draw(st.lists(st.integers(0, 3), min_size=6, max_size=6))
    return c


def form_values(c):
    """What the test types into the form's fields (the fields this operation takes)."""
    values = {}
    for n, name in enumerate(FIELDS[c["op"]]):
        value = c[name]
        if name == "ceil_mode":
            values[name] = bool(value)
        elif value is None:
            values[name] = ""
        elif isinstance(value, str):
            values[name] = value
        else:
            values[name] = text(value, c["styles"][n])
    return values


def python_verdict(c):
    """What figures.arith (through `python -m figures shape`) says: ("shape", H×W, formulas) or ("error", line)."""
    try:
        shape = cli.shape_of(c["op"], c["input"], c["kernel"], c["stride"], c["padding"], c["dilation"],
                             c["output_padding"], c["ceil_mode"])
    except (ValueError, cli.UsageError) as err:
        return ("error", str(err))
    return ("shape", f"{shape.output[0]}×{shape.output[1]}", list(shape.formulas))


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
  return { shape: out.dataset.shape ?? null, error: out.dataset.error ?? null, text: out.textContent,
           formulas: out.dataset.shape ? JSON.parse(formulas) : null };
}"""


def page_verdict(page, c):
    got = page.evaluate(SET, [c["op"], form_values(c)])
    if got["shape"] is not None:
        assert got["error"] is None and got["text"] == f"Output: {got['shape']}"
        return ("shape", got["shape"], got["formulas"])
    assert got["error"] and got["error"] in got["text"]
    return ("error", got["error"])


# ----------------------------------------------------------------------------- sizes and refusals

@settings(max_examples=MIN_CONFIGS, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(c=configurations())
def test_the_page_answers_as_figures_arith(explorer, c):
    want = python_verdict(c)
    assert page_verdict(explorer.page, c) == want, c
    SEEN["accepted" if want[0] == "shape" else "refused"] += 1
    SEEN["ops"].add(c["op"])
    SEEN["non-square"] += c["input"][0] != c["input"][1]


def test_the_comparison_covered_every_kind_of_configuration():
    """(Runs after the property above, in file order): it compared at least 2,000 configurations,
    many accepted and many refused, every operation, per-axis sizes."""
    print(f"\nexplorer against figures.arith: {SEEN['accepted']} accepted, {SEEN['refused']} refused, "
          f"{SEEN['non-square']} not square")
    assert SEEN["accepted"] + SEEN["refused"] >= MIN_CONFIGS
    assert SEEN["accepted"] >= 500 and SEEN["refused"] >= 300, SEEN
    assert SEEN["ops"] == set(FIELDS) and SEEN["non-square"] >= 500


# ----------------------------------------------------------------------------- windows and values

def torch_op(c):
    op, stride = c["op"], c["stride"]
    if op == "conv":
        return lambda x: F.conv2d(x, torch.ones(1, 1, *c["kernel"], dtype=x.dtype), stride=stride or 1,
                                  padding=c["padding"], dilation=c["dilation"])
    if op == "transposed":
        return lambda x: F.conv_transpose2d(x, torch.ones(1, 1, *c["kernel"], dtype=x.dtype), stride=stride or 1,
                                            padding=c["padding"], output_padding=c["output_padding"],
                                            dilation=c["dilation"])
    if op == "max":
        return lambda x: F.max_pool2d(x, c["kernel"], stride=stride, padding=c["padding"], dilation=c["dilation"],
                                      ceil_mode=c["ceil_mode"])
    return lambda x: F.avg_pool2d(x, c["kernel"], stride=stride, padding=c["padding"], ceil_mode=c["ceil_mode"])


def torch_windows(c):
    """For every output cell, the input cells torch reads, and torch's output for the input 1, 2, …:
    the cells whose gradient is non-zero (weights of ones); for max pooling, whose gradient marks
    only the largest cell, the cells whose one-hot input reaches the output cell."""
    h, w = c["input"]
    f = torch_op(c)
    x = torch.arange(1, h * w + 1, dtype=torch.float64).reshape(1, 1, h, w)
    values = f(x)[0, 0]
    if c["op"] == "max":
        reach = f(torch.eye(h * w, dtype=torch.float64).reshape(h * w, 1, h, w))[:, 0] == 1  # (cell, oh, ow)
        reads = [sorted(divmod(int(n), w) for n in torch.nonzero(reach[:, r, q]).flatten())
                 for r in range(values.shape[0]) for q in range(values.shape[1])]
    else:
        jac = torch.autograd.functional.jacobian(lambda t: f(t)[0, 0], x)[:, :, 0, 0]  # (oh, ow, h, w)
        reads = [sorted(tuple(map(int, ij)) for ij in torch.nonzero(jac[r, q]))
                 for r in range(values.shape[0]) for q in range(values.shape[1])]
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


def render_config(c) -> Config:
    """The configuration `python -m figures render` makes of these options (a pooling's stride
    defaults to its kernel)."""
    kind = c["op"]
    stride = c["stride"] or (c["kernel"] if kind in ("max", "avg") else (1, 1))
    return Config(kind, c["input"], c["kernel"], stride, c["padding"], c["dilation"], c["output_padding"],
                  ceil_mode=c["ceil_mode"])


def drawn(c):
    """Whether the page draws this configuration's grids (inputs up to 16×16, grids up to 32)."""
    if python_verdict(c)[0] != "shape":
        return False
    return max(render_config(c).grid_size()) <= MAX_GRID and max(c["input"]) <= 16


@settings(max_examples=300, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(c=configurations(small=True).filter(drawn))
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths")  # torch's note on speed
def test_every_output_cell_marks_the_cells_torch_reads_and_shows_torchs_value(explorer, c):
    assert page_verdict(explorer.page, c)[0] == "shape"
    got = explorer.page.evaluate(WINDOWS)
    reads, values = torch_windows(c)
    assert [[tuple(ij) for ij in cells] for cells in got["reads"]] == [[tuple(ij) for ij in cells] for cells in reads], c
    assert got["values"] == pytest.approx(values, abs=1e-9), c
    SEEN["windows"] += 1
    SEEN["cells"] += len(reads)


def test_the_window_comparison_covered_hundreds_of_configurations():
    print(f"\nexplorer against torch: {SEEN['windows']} configurations, {SEEN['cells']} output cells")
    assert SEEN["windows"] >= MIN_WINDOWS, SEEN


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
    c = {"op": "transposed", "dilation": (1, 1), "ceil_mode": False, "styles": [1] * 6, **config}
    assert page_verdict(explorer.page, c)[0] == "shape"
    reads, _ = torch_windows(c)
    out_w = torch_op(c)(torch.zeros(1, 1, *c["input"])).shape[-1]
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
    layer = eval(lines[0], {"nn": nn})  # noqa: S307 - the line the page shows, run as written
    h, w = c["input"]
    assert "×".join(map(str, layer(torch.zeros(1, 1, h, w)).shape[-2:])) == verdict[1]
    if drawn(c) or len(lines) == 2:
        assert lines[1] == f"python -m figures render {render_config(c).options()} -o {c['op']}.gif"
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
        c = {"stride": None, "dilation": (1, 1), "output_padding": (0, 0), "ceil_mode": False, "styles": [0] * 6, **config}
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
    got = page.evaluate(SET, ["conv", {"input": text, "kernel": "3", "stride": "", "padding": "0", "dilation": "1"}])
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
