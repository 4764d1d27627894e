// Convolution arithmetic for the explorer: figures/arith.py (and the refusals of
// `python -m figures shape`, figures/cli.py shape_of) function for function, same names, same
// formulas, same one-line reasons; tests/test_explore.py compares the two on thousands of
// configurations. Also where each output cell's window falls on the grid the figures draw
// (padding, inserted zeros), which input cells it reads, and its value for the CLI's default
// input (1, 2, …) and kernel of ones. Plain integers; no drawing here.
// A classic script (not a module): the offline copy runs it from file://, where modules are refused.
window.ExploreArith = (() => {
// A refusal: the message the CLI prints (`text`) and what it is made of (`rule`, `values`), so
// that a page can say it in its own language.
class Refusal extends Error {
  constructor(rule, values, text) {
    super(text);
    this.rule = rule;
    this.values = values;
  }
}

const pair = (v) => `(${v[0]}, ${v[1]})`;
const floorDiv = (a, b) => Math.floor(a / b); // toward −∞, as Python's // and torch's div_rtn

function _check_int(name, value, minimum) {
  if (!Number.isInteger(value)) throw new Refusal("integer", { name, value }, `${name}=${value}: ${name} must be an integer`);
  if (value < minimum) {
    const rules = {
      input: "input size must be at least 1", kernel: "kernel size must be at least 1",
      stride: "stride must be at least 1", dilation: "dilation must be at least 1",
      padding: "padding must not be negative", output_padding: "output_padding must not be negative",
    };
    throw new Refusal("minimum", { name, value }, `${name}=${value}: ${rules[name]}`);
  }
  return value;
}

function _check_common(i, k, s, d) {
  _check_int("input", i, 1);
  _check_int("kernel", k, 1);
  _check_int("stride", s, 1);
  _check_int("dilation", d, 1);
}

// one axis: { size, formula, tex }
function conv_axis(input, kernel, stride = 1, padding = 0, dilation = 1) {
  _check_common(input, kernel, stride, dilation);
  _check_int("padding", padding, 0);
  return _conv_axis_total_padding(input, kernel, stride, 2 * padding, dilation, [padding]);
}

// ``pads`` = [p] (2·p, as the formula writes it) or [before, after] (padding="same")
function _conv_axis_total_padding(i, k, s, total, d, pads) {
  const span = d * (k - 1) + 1;
  if (span > i + total) {
    const described = pads.length === 1 ? `2·padding ${pads[0]}` : `padding ${pads[0]} + ${pads[1]}`;
    throw new Refusal("span", { k, span, d, padded: i + total, i, pads },
      `kernel=${k}: the kernel spans ${span} cells (d·(k − 1) + 1 with dilation=${d}), ` +
      `more than the padded input ${i + total} (input ${i} + ${described})`);
  }
  const size = floorDiv(i + total - d * (k - 1) - 1, s) + 1;
  const shown = pads.length === 1 ? `2·${pads[0]}` : `${pads[0]} + ${pads[1]}`;
  const texPads = pads.length === 1 ? `2\\cdot ${pads[0]}` : `${pads[0]} + ${pads[1]}`;
  return {
    size,
    formula: `⌊(${i} + ${shown} − ${d}·(${k} − 1) − 1) / ${s}⌋ + 1 = ${size}`,
    tex: `\\left\\lfloor \\frac{${i} + ${texPads} - ${d}\\cdot(${k} - 1) - 1}{${s}} \\right\\rfloor + 1 = ${size}`,
  };
}

function same_padding(kernel, dilation = 1) {
  const total = dilation * (kernel - 1);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function conv_transpose_axis(input, kernel, stride = 1, padding = 0, dilation = 1, output_padding = 0) {
  const [i, k, s, p, d, a] = [input, kernel, stride, padding, dilation, output_padding];
  _check_common(i, k, s, d);
  _check_int("padding", p, 0);
  _check_int("output_padding", a, 0);
  if (a >= s && a >= d) {
    throw new Refusal("output_padding", { a, s, d },
      `output_padding=${a}: output_padding must be smaller than stride (${s}) or dilation (${d})`);
  }
  const size = (i - 1) * s - 2 * p + d * (k - 1) + a + 1;
  const formula = `(${i} − 1)·${s} − 2·${p} + ${d}·(${k} − 1) + ${a} + 1 = ${size}`;
  if (size < 1) {
    throw new Refusal("transposed_small", { p, size, formula },
      `padding=${p}: the output would have ${size} cells (${formula}); torch refuses an output of ` +
      `fewer than 1 cell ("Output size is too small"), and so do we`);
  }
  return { size, formula, tex: `(${i} - 1)\\cdot ${s} - 2\\cdot ${p} + ${d}\\cdot(${k} - 1) + ${a} + 1 = ${size}` };
}

function pool_axis(input, kernel, stride = null, padding = 0, dilation = 1, ceil_mode = false) {
  const [i, k, p, d] = [input, kernel, padding, dilation];
  const s = stride === null ? kernel : stride;
  _check_common(i, k, s, d);
  _check_int("padding", p, 0);
  if (p > Math.floor(k / 2)) {
    throw new Refusal("pool_padding", { p, k, half: Math.floor(k / 2) },
      `padding=${p}: padding must be at most half the kernel (${k} // 2 = ${Math.floor(k / 2)})`);
  }
  const numerator = i + 2 * p - d * (k - 1) - 1;
  let size;
  if (ceil_mode) {
    size = floorDiv(numerator + s - 1, s) + 1;
    if ((size - 1) * s >= i + p) size -= 1;
  } else size = floorDiv(numerator, s) + 1;
  const [open, close] = ceil_mode ? ["⌈", "⌉"] : ["⌊", "⌋"];
  const [texOpen, texClose] = ceil_mode ? ["\\left\\lceil", "\\right\\rceil"] : ["\\left\\lfloor", "\\right\\rfloor"];
  let formula = `${open}(${i} + 2·${p} − ${d}·(${k} − 1) − 1) / ${s}${close} + 1`;
  let tex = `${texOpen} \\frac{${i} + 2\\cdot ${p} - ${d}\\cdot(${k} - 1) - 1}{${s}} ${texClose} + 1`;
  const dropped = ceil_mode && size !== floorDiv(numerator + s - 1, s) + 1;
  if (dropped) {
    formula += ` − 1 = ${size}  (the last window would start in the padding)`;
    tex += ` - 1 = ${size}`;
  } else {
    formula += ` = ${size}`;
    tex += ` = ${size}`;
  }
  if (size < 1) {
    throw new Refusal("pool_small", { k, size, formula },
      `kernel=${k}: the output would have ${size} cells (${formula}); it must be at least 1`);
  }
  return { size, formula, tex, dropped };
}

// ----------------------------------------------------------------------------- 2-D wrappers
// pairs are [height, width]; the result: { op, input, output, formulas, tex, dropped }

function _per_axis(op, fn, input, params) {
  const results = [];
  ["height", "width"].forEach((label, axis) => {
    const args = Object.values(params).map((v) => (v === null ? null : v[axis]));
    try {
      results.push(fn(input[axis], ...args));
    } catch (err) {
      const same = input[0] === input[1] && Object.values(params).every((v) => v === null || v[0] === v[1]);
      if (same || !(err instanceof Refusal)) throw err;
      const r = new Refusal(err.rule, err.values, `${err.message} (${label})`);
      r.axis = label;
      throw r;
    }
  });
  return {
    op, input: [...input], output: results.map((r) => r.size),
    formulas: results.map((r) => r.formula), tex: results.map((r) => r.tex),
    dropped: results.map((r) => Boolean(r.dropped)),
  };
}

function conv2d(input, kernel, stride = [1, 1], padding = [0, 0], dilation = [1, 1]) {
  if (padding === "valid") return _per_axis("conv", conv_axis, input, { kernel, stride, padding: [0, 0], dilation });
  if (padding === "same") {
    if (stride[0] !== 1 || stride[1] !== 1) {
      throw new Refusal("same_stride", { stride }, `padding='same': torch supports it only with stride 1, got stride=${pair(stride)}`);
    }
    return _per_axis("conv", _conv_axis_same, input, { kernel, dilation });
  }
  return _per_axis("conv", conv_axis, input, { kernel, stride, padding, dilation });
}

function _conv_axis_same(input, kernel, dilation = 1) {
  _check_common(input, kernel, 1, dilation);
  const pads = same_padding(kernel, dilation);
  return _conv_axis_total_padding(input, kernel, 1, pads[0] + pads[1], dilation, pads);
}

function conv_transpose2d(input, kernel, stride = [1, 1], padding = [0, 0], dilation = [1, 1], output_padding = [0, 0]) {
  return _per_axis("transposed", conv_transpose_axis, input, { kernel, stride, padding, dilation, output_padding });
}

function pool2d(input, kernel, stride = null, padding = [0, 0], dilation = [1, 1], ceil_mode = false) {
  return _per_axis("pool", (i, k, s, p, d) => pool_axis(i, k, s, p, d, ceil_mode), input,
    { kernel, stride, padding, dilation });
}

// `python -m figures shape`'s verdict (figures/cli.py shape_of); ``c`` = { op, input, kernel,
// stride (null: the default), padding (a pair, "same" or "valid"), dilation, output_padding, ceil_mode }
function shape_of(c) {
  const isPair = (v) => Array.isArray(v);
  if (["max", "avg"].includes(c.op)) {
    if (c.output_padding[0] || c.output_padding[1]) {
      throw new Refusal("pool_output_padding", {}, `--output-padding ${pair(c.output_padding)}: pooling has no output padding`);
    }
    if (!isPair(c.padding)) throw new Refusal("pool_padding_word", { padding: c.padding }, `--padding ${c.padding}: pooling takes integer padding`);
    if (c.op === "avg" && (c.dilation[0] !== 1 || c.dilation[1] !== 1)) {
      throw new Refusal("avg_dilation", {}, `--dilation ${pair(c.dilation)}: average pooling has no dilation`);
    }
    return pool2d(c.input, c.kernel, c.stride, c.padding, c.dilation, c.ceil_mode);
  }
  if (c.ceil_mode) throw new Refusal("ceil_mode", {}, "--ceil-mode: only pooling has a ceil mode");
  const stride = c.stride || [1, 1];
  if (c.op === "conv" && (c.output_padding[0] || c.output_padding[1])) {
    throw new Refusal("conv_output_padding", {}, `--output-padding ${pair(c.output_padding)}: only a transposed convolution has one`);
  }
  if (c.op === "transposed" && !isPair(c.padding)) {
    throw new Refusal("transposed_padding_word", { padding: c.padding }, `--padding ${c.padding}: a transposed convolution takes integer padding`);
  }
  if (c.op === "conv") return conv2d(c.input, c.kernel, stride, c.padding, c.dilation);
  return conv_transpose2d(c.input, c.kernel, stride, c.padding, c.dilation, c.output_padding);
}

// ----------------------------------------------------------------------------- the drawn grid
// Along one axis of an accepted configuration: the grid the window slides over, as the figures
// draw it (figures/config.py grid_size): for every grid position, its role ("input", "pad",
// "zero") and the input index it holds; where output cell o's window falls; and which input
// cells it reads.

// Cells per axis of that grid, [rows, columns], without building it (figures/config.py grid_size)
function grid_size(c) {
  return [0, 1].map((n) => {
    const [i, k, d] = [c.input[n], c.kernel[n], c.dilation[n]];
    if (c.op === "transposed") {
      const s = (c.stride || [1, 1])[n];
      return (i - 1) * s + 1 + 2 * (d * (k - 1) - c.padding[n]) + c.output_padding[n];
    }
    if (c.op === "conv") {
      if (c.padding === "same") return i + d * (k - 1);
      return c.padding === "valid" ? i : i + 2 * c.padding[n];
    }
    const s = c.stride ? c.stride[n] : k; // pooling: also a last window past the padding (ceil_mode)
    return Math.max(i + 2 * c.padding[n], (c.shape.output[n] - 1) * s + d * (k - 1) + 1);
  });
}

function axis(c, n) {
  const [i, k, d] = [c.input[n], c.kernel[n], c.dilation[n]];
  const out = c.shape.output[n];
  const size = grid_size(c)[n];
  let at, step;
  if (c.op === "transposed") {
    const s = (c.stride || [1, 1])[n];
    const q = d * (k - 1) - c.padding[n]; // zeros before the first input cell (cut off when negative)
    at = (j) => q + j * s;
    step = 1;
  } else {
    const pooling = c.op !== "conv";
    const s = c.stride ? c.stride[n] : pooling ? k : 1;
    const before = c.padding === "same" ? same_padding(k, d)[0] : Array.isArray(c.padding) ? c.padding[n] : 0;
    at = (j) => before + j;
    step = s;
  }
  const role = Array(size).fill("pad");
  const holds = Array(size).fill(-1);
  const first = at(0), last = at(i - 1);
  for (let g = Math.max(first, 0); g <= Math.min(last, size - 1); g++) role[g] = "zero";
  for (let j = 0; j < i; j++) {
    const g = at(j);
    if (g >= 0 && g < size) { role[g] = "input"; holds[g] = j; }
  }
  const window = (o) => Array.from({ length: k }, (_, t) => o * step + d * t);
  const reads = (o) => window(o).filter((g) => holds[g] >= 0).map((g) => holds[g]);
  // average pooling divides by the window's cells up to the end of the padding (count_include_pad)
  const padded = i + 2 * (Array.isArray(c.padding) ? c.padding[n] : 0);
  const divisor = (o) => Math.min(o * step + k, padded) - o * step;
  return { size, role, holds, out, window, reads, divisor, at };
}

// An accepted configuration's grids: ``c`` with its ``shape`` (from shape_of).
// Input values are 1, 2, … row by row; the kernel is all ones (the CLI's default).
function grid(c) {
  const rows = axis(c, 0), cols = axis(c, 1);
  const value = (i, j) => i * c.input[1] + j + 1;
  function cell(r, q) {
    const gr = rows.window(r), gc = cols.window(q);
    const window = [];
    for (const a of gr) for (const b of gc) window.push([a, b]);
    const reads = [];
    for (const i of rows.reads(r)) for (const j of cols.reads(q)) reads.push([i, j]);
    const x = ([a, b]) => (rows.holds[a] >= 0 && cols.holds[b] >= 0 ? value(rows.holds[a], cols.holds[b]) : 0);
    let result;
    if (c.op === "max") result = reads.length ? Math.max(...reads.map(([i, j]) => value(i, j))) : -Infinity;
    else if (c.op === "avg") result = reads.reduce((sum, [i, j]) => sum + value(i, j), 0) / (rows.divisor(r) * cols.divisor(q));
    else result = window.reduce((sum, g) => sum + x(g), 0);
    return { window, reads, value: result, x };
  }
  return { rows, cols, value, cell };
}

return { Refusal, conv_axis, conv_transpose_axis, pool_axis, same_padding, conv2d, conv_transpose2d, pool2d, shape_of,
  grid_size, grid };
})();
