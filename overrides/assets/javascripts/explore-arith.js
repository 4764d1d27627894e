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
      before: "padding must not be negative", after: "padding must not be negative",
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

// TensorFlow/Keras/JAX "SAME" and ONNX SAME_UPPER: the output is ⌈input / stride⌉, the padding
// what it takes; when the total is odd, the extra cell goes after (bottom/right)
function _same_total(input, kernel, stride, dilation) {
  _check_common(input, kernel, stride, dilation);
  const out = floorDiv(input + stride - 1, stride);
  return Math.max(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - input);
}

function same_upper_padding(input, kernel, stride = 1, dilation = 1) {
  const total = _same_total(input, kernel, stride, dilation);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

// ONNX SAME_LOWER: the same total, the extra cell before (top/left)
function same_lower_padding(input, kernel, stride = 1, dilation = 1) {
  const total = _same_total(input, kernel, stride, dilation);
  return [total - Math.floor(total / 2), Math.floor(total / 2)];
}

// a causal convolution: all the padding before, so that output t reads inputs up to t only
function causal_padding(kernel, dilation = 1) {
  _check_common(1, kernel, 1, dilation);
  return [dilation * (kernel - 1), 0];
}

// a convolution padded ``before`` and ``after`` along one axis (F.pad, then padding=0)
function conv_axis_padded(input, kernel, stride = 1, before = 0, after = 0, dilation = 1) {
  _check_common(input, kernel, stride, dilation);
  _check_int("before", before, 0);
  _check_int("after", after, 0);
  return _conv_axis_total_padding(input, kernel, stride, before + after, dilation, [before, after]);
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

// ----------------------------------------------------------------------------- 1-D, 2-D and 3-D wrappers
// sizes are arrays, one size per axis ([length], [height, width] or [depth, height, width]); the
// result: { op, input, output, formulas, tex, dropped, pads } as figures/arith.py Shape (pads: the
// [before, after] of each axis where the padding is per side, else empty), and grid_pads, the
// [before, after] of each axis whatever the padding (where the grids start and end)

const AXES = { 1: ["length"], 2: ["height", "width"], 3: ["depth", "height", "width"] };
// the two sides of each axis (F.pad takes them last axis first)
const SIDES = { length: ["left", "right"], depth: ["front", "back"], height: ["top", "bottom"], width: ["left", "right"] };
const SIDE_PADDINGS = ["same-upper", "same-lower", "causal"]; // padded per side, as F.pad then padding=0 does
// how Python writes a tuple: (2,), (2, 2), (2, 2, 2)
const tuple = (v) => (v.length === 1 ? `(${v[0]},)` : `(${v.join(", ")})`);
const allEqual = (v) => v.every((x) => x === v[0]);

function _per_axis(op, fn, input, params, pads = []) {
  const results = [];
  const dims = input.length;
  AXES[dims].forEach((label, axis) => {
    const args = Object.values(params).map((v) => (v === null ? null : v[axis]));
    try {
      results.push(fn(input[axis], ...args));
    } catch (err) {
      const same = allEqual(input) && Object.values(params).every((v) => v === null || allEqual(v));
      if (same || dims === 1 || !(err instanceof Refusal)) throw err;
      const r = new Refusal(err.rule, err.values, `${err.message} (${label})`);
      r.axis = label;
      throw r;
    }
  });
  return {
    op, input: [...input], output: results.map((r) => r.size),
    formulas: results.map((r) => r.formula), tex: results.map((r) => r.tex),
    dropped: results.map((r) => Boolean(r.dropped)), pads: pads.map((p) => [...p]),
    grid_pads: pads.length ? pads.map((p) => [...p]) : results.map((r) => r.grid_pads || [0, 0]),
  };
}

// one value per axis of a symmetric padding, for the grids
const symmetric = (fn, at) => (...args) => { const r = fn(...args); return { ...r, grid_pads: [args[at], args[at]] }; };

function _conv(op, dims, input, kernel, stride, padding, dilation) {
  const n = Array(dims);
  if (typeof padding === "string") {
    if (padding === "valid") return _per_axis(op, conv_axis, input, { kernel, stride, padding: n.fill(0), dilation });
    if (padding === "same") {
      if (!stride.every((s) => s === 1)) {
        throw new Refusal("same_stride", { stride },
          `padding='same': torch supports it only with stride 1, got stride=${dims > 1 ? tuple(stride) : stride[0]}`);
      }
      return _per_axis(op, _conv_axis_same, input, { kernel, dilation });
    }
    if (padding === "causal" && dims !== 1) {
      throw new Refusal("causal_dims", { dims }, `padding='causal': only a 1-D convolution is causal (it pads the past, ` +
        `before the first cell), and this one is ${dims}-D`);
    }
  }
  const pads = side_paddings(padding, input, kernel, stride, dilation);
  if (pads === null) return _per_axis(op, symmetric(conv_axis, 3), input, { kernel, stride, padding, dilation });
  return _per_axis(op, conv_axis_padded, input,
    { kernel, stride, before: pads.map((p) => p[0]), after: pads.map((p) => p[1]), dilation }, pads);
}

// the [before, after] padding of each axis for "same-upper", "same-lower" or "causal"; null for
// symmetric padding (a size per axis, "same", "valid")
function side_paddings(padding, input, kernel, stride, dilation) {
  if (!SIDE_PADDINGS.includes(padding)) return null;
  return input.map((i, n) => {
    const [k, s, d] = [kernel[n], stride[n], dilation[n]];
    if (padding === "causal") return causal_padding(k, d);
    return padding === "same-upper" ? same_upper_padding(i, k, s, d) : same_lower_padding(i, k, s, d);
  });
}

function _conv_axis_same(input, kernel, dilation = 1) {
  _check_common(input, kernel, 1, dilation);
  const pads = same_padding(kernel, dilation);
  return { ..._conv_axis_total_padding(input, kernel, 1, pads[0] + pads[1], dilation, pads), grid_pads: pads };
}

function _conv_transpose(input, kernel, stride, padding, dilation, output_padding) {
  if (typeof padding === "string") {
    throw new Refusal("transposed_padding_word", { padding }, `padding='${padding}': a transposed convolution takes integer padding`);
  }
  return _per_axis("transposed", conv_transpose_axis, input, { kernel, stride, padding, dilation, output_padding });
}

function _pool(dims, input, kernel, stride, padding, dilation, ceil_mode, average = false) {
  if (average && !dilation.every((d) => d === 1)) {
    throw new Refusal("avg_dilation", {}, `dilation=${tuple(dilation)}: average pooling has no dilation`);
  }
  if (typeof padding === "string") {
    if (!["same-upper", "same-lower"].includes(padding)) {
      throw new Refusal("pool_padding_word", { padding }, `padding='${padding}': pooling takes integer padding, 'same-upper' or 'same-lower'`);
    }
    if (ceil_mode) {
      throw new Refusal("ceil_same", { word: padding }, `ceil_mode=True: padding='${padding}' already fixes the output at ⌈input / stride⌉`);
    }
    const strides = stride === null ? kernel : stride;
    const pads = side_paddings(padding, input, kernel, strides, dilation);
    return _per_axis("pool", conv_axis_padded, input,
      { kernel, stride: strides, before: pads.map((p) => p[0]), after: pads.map((p) => p[1]), dilation }, pads);
  }
  const axis = (i, k, s, p, d) => {
    const size = pool_axis(i, k, s, p, d, ceil_mode);
    if (average && dims === 3 && i < k) { // torch's AvgPool3d, padding or not
      throw new Refusal("avg3d_small", { k, i }, `kernel=${k}: AvgPool3d needs the input at least as large as the ` +
        `kernel on every axis, padding aside (input ${i})`);
    }
    return { ...size, grid_pads: [p, p] };
  };
  return _per_axis("pool", axis, input, { kernel, stride, padding, dilation });
}

// figures/arith.py's functions by dimension; sizes are arrays here (one per axis)
const ones = (input) => input.map(() => 1);
const zeros = (input) => input.map(() => 0);
const conv1d = (input, kernel, stride = [1], padding = [0], dilation = [1]) => _conv("conv", 1, input, kernel, stride, padding, dilation);
const conv2d = (input, kernel, stride = [1, 1], padding = [0, 0], dilation = [1, 1]) => _conv("conv", 2, input, kernel, stride, padding, dilation);
const conv3d = (input, kernel, stride = [1, 1, 1], padding = [0, 0, 0], dilation = [1, 1, 1]) => _conv("conv", 3, input, kernel, stride, padding, dilation);
const conv_transpose_nd = (input, kernel, stride = ones(input), padding = zeros(input), dilation = ones(input),
  output_padding = zeros(input)) => _conv_transpose(input, kernel, stride, padding, dilation, output_padding);
const [conv_transpose1d, conv_transpose2d, conv_transpose3d] = [conv_transpose_nd, conv_transpose_nd, conv_transpose_nd];
const pool_nd = (dims) => (input, kernel, stride = null, padding = Array(dims).fill(0), dilation = Array(dims).fill(1),
  ceil_mode = false, average = false) => _pool(dims, input, kernel, stride, padding, dilation, ceil_mode, average);
const [pool1d, pool2d, pool3d] = [pool_nd(1), pool_nd(2), pool_nd(3)];

// ----------------------------------------------------------------------------- the CLI's verdict

// the padding words `python -m figures shape` takes (figures/cli.py PADDING_WORDS)
const PADDING_WORDS = { same: "same", valid: "valid", "tf-same": "same-upper", "same-upper": "same-upper",
  "same-lower": "same-lower", causal: "causal" };
const WORDS = Object.keys(PADDING_WORDS);
// per-axis values as a message shows them: 2 for one axis, (2, 2) for two, (2, 2, 2) for three
const shown = (v) => (v.length === 1 ? String(v[0]) : tuple(v));

// one value per axis from an option's sizes (figures/cli.py _per_axis_option)
function _per_axis_option(option, value, dims, fallback) {
  if (value === null || value === undefined) return Array(dims).fill(fallback);
  if (value.length === 1) return Array(dims).fill(value[0]);
  if (value.length !== dims) {
    throw new Refusal("count", { option, given: value.join("x"), n: value.length, dims },
      `${option} ${value.join("x")}: ${value.length} sizes for a ${dims}-D configuration (give ${dims > 1 ? `1 or ${dims}` : "1"})`);
  }
  return [...value];
}

// `python -m figures shape`'s verdict (figures/cli.py shape_of); ``c`` = { op, input, kernel,
// stride, padding, dilation, output_padding: arrays of 1 to 3 sizes as typed, or null (not given);
// padding may also be a word; ceil_mode; dims: 1, 2, 3 or null (3 for three input sizes, else 2) }
function shape_of(c) {
  const dims = c.dims || (c.input.length === 3 ? 3 : 2);
  const input = _per_axis_option("--input", c.input, dims, 1);
  const kernel = _per_axis_option("--kernel", c.kernel, dims, 1);
  const pooling = ["max", "avg"].includes(c.op);
  const stride = c.stride || !pooling ? _per_axis_option("--stride", c.stride, dims, 1) : null;
  let padding, word;
  if (typeof c.padding === "string") [word, padding] = [c.padding, PADDING_WORDS[c.padding]];
  else padding = _per_axis_option("--padding", c.padding, dims, 0);
  const dilation = _per_axis_option("--dilation", c.dilation, dims, 1);
  const output_padding = _per_axis_option("--output-padding", c.output_padding, dims, 0);
  const zero = (v) => v.every((x) => x === 0);
  if (pooling) {
    if (!zero(output_padding)) {
      throw new Refusal("pool_output_padding", {}, `--output-padding ${shown(output_padding)}: pooling has no output padding`);
    }
    if (padding === "same" || padding === "valid") {
      throw new Refusal("pool_padding_word", { padding }, `--padding ${padding}: pooling takes integer padding`);
    }
    if (padding === "causal") {
      throw new Refusal("pool_causal", {}, "--padding causal: only a convolution is causal; pooling takes integer padding, tf-same or same-lower");
    }
    if (c.op === "avg" && !dilation.every((d) => d === 1)) {
      throw new Refusal("avg_dilation", {}, `--dilation ${shown(dilation)}: average pooling has no dilation`);
    }
    if (c.op === "avg" && word) {
      throw new Refusal("avg_same", { word, dims }, `--padding ${word}: TensorFlow's SAME average pooling leaves the padded ` +
        `cells out of each average, which F.pad and nn.AvgPool${dims}d cannot reproduce; give integer padding (or max pooling)`);
    }
    if (c.ceil_mode && word) {
      throw new Refusal("ceil_same", { word }, `--ceil-mode: --padding ${word} already fixes the output at ⌈input / stride⌉`);
    }
    return _pool(dims, input, kernel, stride, padding, dilation, c.ceil_mode, c.op === "avg");
  }
  if (c.ceil_mode) throw new Refusal("ceil_mode", {}, "--ceil-mode: only pooling has a ceil mode");
  if (c.op === "conv" && !zero(output_padding)) {
    throw new Refusal("conv_output_padding", {}, `--output-padding ${shown(output_padding)}: only a transposed convolution has one`);
  }
  if (c.op === "transposed" && word) {
    throw new Refusal("transposed_padding_word", { padding: word }, `--padding ${word}: a transposed convolution takes integer padding`);
  }
  if (padding === "causal" && dims !== 1) {
    throw new Refusal("causal_dims", { dims }, `--padding causal: only a 1-D convolution is causal (--dims 1), and this one is ${dims}-D`);
  }
  if (c.op === "conv") return _conv("conv", dims, input, kernel, stride, padding, dilation);
  return _conv_transpose(input, kernel, stride, padding, dilation, output_padding);
}

// the CLI's configuration with one value per axis (what shape_of checked): for the grids and code lines
function resolve(c) {
  const dims = c.dims || (c.input.length === 3 ? 3 : 2);
  const per = (v, fallback) => _per_axis_option("", v, dims, fallback);
  const pooling = ["max", "avg"].includes(c.op);
  return { ...c, dims, input: per(c.input, 1), kernel: per(c.kernel, 1),
    stride: c.stride || !pooling ? per(c.stride, 1) : null,
    padding: typeof c.padding === "string" ? PADDING_WORDS[c.padding] : per(c.padding, 0),
    word: typeof c.padding === "string" ? c.padding : null,
    dilation: per(c.dilation, 1), output_padding: per(c.output_padding, 0) };
}

// The PyTorch lines that reproduce a shape padded per side (figures/cli.py pytorch_lines): F.pad,
// then the layer with padding=0 (max pooling pads with −∞)
const _arg = (v) => (allEqual(v) ? String(v[0]) : `(${v.join(", ")})`);
function pytorch_lines(op, shape, kernel, stride, dilation) {
  const dims = shape.input.length;
  if (stride === null) stride = op === "max" ? kernel : kernel.map(() => 1);
  const flat = [...shape.pads].reverse().flat(); // F.pad: last axis first
  const fill = op === "max" ? ', value=float("-inf")' : "";
  const args = [`kernel_size=${_arg(kernel)}`];
  if (op === "max" || !stride.every((s) => s === 1)) args.push(`stride=${_arg(stride)}`);
  args.push("padding=0");
  if (!dilation.every((d) => d === 1)) args.push(`dilation=${_arg(dilation)}`);
  const layer = op === "conv" ? `nn.Conv${dims}d(C_in, C_out, ` : `nn.MaxPool${dims}d(`;
  return [`x = F.pad(x, (${flat.join(", ")})${fill})`, `y = ${layer}${args.join(", ")})(x)`];
}

// the paddings by side, as `python -m figures shape` prints them
function padding_by_side(shape) {
  const out = {};
  AXES[shape.input.length].forEach((axis, n) => {
    const [first, second] = SIDES[axis];
    out[first] = shape.pads[n][0];
    out[second] = shape.pads[n][1];
  });
  return out;
}

// ----------------------------------------------------------------------------- the drawn grid
// Along one axis of an accepted configuration: the grid the window slides over, as the figures
// draw it (figures/config.py grid_size): for every grid position, its role ("input", "pad",
// "zero") and the input index it holds; where output cell o's window falls; and which input
// cells it reads.

// Cells per axis of that grid, one number per axis, without building it (figures/config.py grid_size)
function grid_size(c) {
  return c.input.map((i, n) => {
    const [k, d] = [c.kernel[n], c.dilation[n]];
    if (c.op === "transposed") {
      const s = (c.stride || c.input.map(() => 1))[n];
      return (i - 1) * s + 1 + 2 * (d * (k - 1) - c.padding[n]) + c.output_padding[n];
    }
    const [before, after] = c.shape.grid_pads[n];
    if (c.op === "conv") return i + before + after;
    const s = c.stride ? c.stride[n] : k; // pooling: also a last window past the padding (ceil_mode)
    return Math.max(i + before + after, (c.shape.output[n] - 1) * s + d * (k - 1) + 1);
  });
}

function axis(c, n) {
  const [i, k, d] = [c.input[n], c.kernel[n], c.dilation[n]];
  const out = c.shape.output[n];
  const size = grid_size(c)[n];
  let at, step;
  if (c.op === "transposed") {
    const s = (c.stride || c.input.map(() => 1))[n];
    const q = d * (k - 1) - c.padding[n]; // zeros before the first input cell (cut off when negative)
    at = (j) => q + j * s;
    step = 1;
  } else {
    const pooling = c.op !== "conv";
    const s = c.stride ? c.stride[n] : pooling ? k : 1;
    const before = c.shape.grid_pads[n][0];
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
  const padded = c.op === "transposed" ? size : i + c.shape.grid_pads[n][0] + c.shape.grid_pads[n][1];
  const divisor = (o) => Math.min(o * step + k, padded) - o * step;
  return { size, role, holds, out, window, reads, divisor, at, padded };
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

return { Refusal, conv_axis, conv_transpose_axis, pool_axis, same_padding, same_upper_padding, same_lower_padding,
  causal_padding, conv_axis_padded, side_paddings, conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d,
  conv_transpose3d, pool1d, pool2d, pool3d, shape_of, resolve, pytorch_lines, padding_by_side, grid_size, grid,
  AXES, SIDES, WORDS };
})();
