// The explorer (explore.md): any convolution, transposed convolution or pooling, computed at once
// in the browser. The form's fields take the syntax of `python -m figures shape` (N or HxW,
// padding also same/valid); the answer is the output size with its formula (or the CLI's reason
// for a refusal, in the page's language), the grids with the window of each output cell, the
// PyTorch line and the render command. The configuration lives in the URL query (the CLI's
// option names), replaced, never pushed, on every change. The arithmetic is explore-arith.js,
// checked against figures/arith.py and torch by tests/test_explore.py; the grids and their
// stepping are explore-grids.js; the words are explore-strings.js.
// A classic script (not a module): the offline copy runs it from file://, where modules are refused.
(() => {
const root = document.getElementById("explorer");
if (!root) return;
const A = window.ExploreArith;
const S = window.SiteStrings(document.documentElement.lang);
const T = S.explore;
const { button } = window.SitePlayer;
const REDUCED = matchMedia("(prefers-reduced-motion: reduce)");
const form = root.querySelector("form");
const output = document.getElementById("explore-output");
const formula = root.querySelector(".explorer__formula");
const code = root.querySelector(".explorer__code");
// the CLI's size syntax: N, HxW or DxHxW, ASCII digits, Python's ASCII whitespace around them
const W_ = "[ \\t\\n\\r\\f\\v]*";
const SIZE = new RegExp(`^${W_}(-?[0-9]+)${W_}(?:[x×,]${W_}(-?[0-9]+)${W_}(?:[x×,]${W_}(-?[0-9]+)${W_})?)?$`);
const FIELDS = { input: 1, kernel: 1, stride: 1, padding: 0, dilation: 1, output_padding: 0 };
const OPS = { conv: ["input", "kernel", "stride", "padding", "dilation"],
  transposed: ["input", "kernel", "stride", "padding", "dilation", "output_padding"],
  max: ["input", "kernel", "stride", "padding", "dilation", "ceil_mode"],
  avg: ["input", "kernel", "stride", "padding", "ceil_mode"] };
const figures = window.ExploreGrids.create(root);
const field = (name) => form.elements[name];
const option = (name) => `--${name.replace("_", "-")}`;

// ---------------------------------------------------------------- the form and the URL

// one field's text as the CLI parses it: { value }, or { error } in the page's language and
// { cli }, the line `python -m figures shape` prints for it. An empty field is an option not given.
const BLANK = /^[ \t\n\r\f\v]*$/; // Python's ASCII whitespace (re.ASCII): not a no-break space
function parse(name, text) {
  const opt = option(name);
  if (name === "padding" && A.WORDS.includes(text)) return { value: text };
  if (text === "") {
    if (name === "input" || name === "kernel") return { error: T.required(opt), cli: `the following arguments are required: ${opt}`, late: true };
    return { value: null }; // the default
  }
  const m = SIZE.exec(text);
  if (!m || BLANK.test(text)) return { error: T.notSize(opt, text), cli: `argument ${opt}: ${pyRepr(clip(text))} is not a size: give N, HxW or DxHxW (integers)` };
  const exact = [m[1], m[2], m[3]].filter((x) => x !== undefined).map(BigInt); // however many digits
  const v = exact.map(Number);
  const bad = exact.find((x) => x < BigInt(FIELDS[name]));
  if (bad !== undefined) { // the CLI says a number of up to 130 bits in full, a longer one as "it"
    const said = (bad < 0n ? -bad : bad) < 2n ** 130n ? String(bad) : "it";
    return { error: T.tooSmall(opt, said, FIELDS[name]),
      cli: `argument ${opt}: ${pyRepr(clip(text))}: ${said} is not allowed, ${opt} must be ${FIELDS[name] === 1 ? "positive" : "0 or more"}` };
  }
  // exact arithmetic in the browser's numbers (the CLI takes sizes up to what torch takes)
  if (v.some((x) => x > MAX_VALUE)) return { error: T.tooLong(opt, MAX_VALUE), cli: `${opt} ${clip(text)}: this page computes sizes up to ${MAX_VALUE}` };
  return { value: v };
}
const MAX_VALUE = 9999999;

// a value quoted in a message: at most 40 characters of it, then "…" (a 100 KB address stays one short line)
const clip = (text) => { const chars = [...text]; return chars.length > 40 ? `${chars.slice(0, 40).join("")}…` : text; };

// how Python's repr() writes a string (the CLI quotes a bad value with it)
function pyRepr(text) {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const hex = (c, n) => c.codePointAt(0).toString(16).padStart(n, "0");
  const escaped = [...text].map((c) => {
    if (c === "\\") return "\\\\";
    if (c === quote) return `\\${c}`;
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    if (c !== " " && /[\p{C}\p{Z}]/u.test(c)) {
      const code = c.codePointAt(0);
      return code < 0x100 ? `\\x${hex(c, 2)}` : code < 0x10000 ? `\\u${hex(c, 4)}` : `\\U${hex(c, 8)}`;
    }
    return c;
  });
  return `${quote}${escaped.join("")}${quote}`;
}

// the form's configuration: { c }, or { errors } by field ({ error, cli }). Every field counts,
// also one the operation does not take (a link may give one: the CLI's refusal says so);
// changing the operation resets those fields to their defaults.
function read() {
  const dims = Number(field("dims").value);
  const c = { op: field("op").value, dims, ceil_mode: field("ceil_mode").checked };
  const errors = {};
  const mode = field("padding_mode").value;
  for (const name of Object.keys(FIELDS)) {
    if (name === "padding" && mode !== "numbers") {
      c.padding = mode;
      continue;
    }
    const r = parse(name, field(name).value);
    if (r.error) errors[name] = r;
    else c[name] = r.value; // sizes as given (one stands for every axis), a padding word, or null: the default
  }
  return Object.keys(errors).length ? { errors } : { c };
}

// a field the operation does not take is hidden, unless it holds something (from a link)
// the padding modes an operation takes: a convolution all (causal in 1-D), max pooling TF/ONNX SAME
function modes(op, dims) {
  if (op === "conv") return ["numbers", "same", "valid", "tf-same", "same-lower", ...(dims === "1" ? ["causal"] : [])];
  return op === "max" ? ["numbers", "tf-same", "same-lower"] : ["numbers"];
}
const DEFAULTS = { input: "", kernel: "", stride: "", padding: "0", dilation: "1", output_padding: "0" };
const isDefault = (name) => (name === "ceil_mode" ? !field(name).checked : field(name).value === DEFAULTS[name]);
function showFields() {
  const op = field("op").value;
  for (const el of form.querySelectorAll("[data-ops]")) {
    const name = el.querySelector("input, select").name;
    el.hidden = !el.dataset.ops.split(" ").includes(op) && (name === "padding_mode" ? field(name).value === "numbers" : isDefault(name));
  }
  const mode = field("padding_mode").value;
  // the numbers of the padding, for the padding mode that takes them (a link's words show there too)
  field("padding").closest(".explorer__field").hidden = mode !== "numbers";
  // the modes this operation takes (a link may still give another: the CLI's refusal says so)
  const takes = modes(op, field("dims").value);
  for (const el of field("padding_mode").options) el.hidden = !takes.includes(el.value) && el.value !== mode;
  field("stride").placeholder = op === "max" || op === "avg" ? field("kernel").value || "" : "1";
}

function resetUntaken() {
  for (const name of [...Object.keys(FIELDS), "ceil_mode"]) {
    if (OPS[field("op").value].includes(name)) continue;
    if (name === "ceil_mode") field(name).checked = false;
    else field(name).value = DEFAULTS[name];
  }
  if (!modes(field("op").value, field("dims").value).includes(field("padding_mode").value)) field("padding_mode").value = "numbers";
}

// a link gives the options it names; the others take their defaults, as on the command line
const NAMES = ["op", "dims", ...Object.keys(FIELDS), "ceil_mode"];
// how many sizes a field's text gives (0 if it is not sizes)
const count = (text) => { const m = SIZE.exec(text); return m ? [m[1], m[2], m[3]].filter((x) => x !== undefined).length : 0; };
// the CLI's default: as many axes as the input gives, two for one size
const impliedDims = () => String(Math.max(2, count(field("input").value)));
let linkError = null; // an operation the CLI does not know, until the reader changes something
function fromURL() {
  const q = new URLSearchParams(location.search);
  if (!NAMES.some((name) => q.has(name))) return; // no configuration: the page's own example
  const op = q.get("op") ?? "conv";
  if (op === "pool") field("op").value = "max"; // the CLI's name for max pooling
  else if (Object.hasOwn(OPS, op)) field("op").value = op; // own names only: not __proto__, toString…
  else {
    linkError = `argument op: invalid choice: ${pyRepr(clip(op))} (choose from 'conv', 'transposed', 'max', 'avg', 'pool')`;
    field("op").value = "conv";
  }
  for (const name of Object.keys(FIELDS)) field(name).value = q.get(name) ?? DEFAULTS[name];
  const padding = field("padding").value;
  if (A.WORDS.includes(padding)) { // a word: the padding mode (same-upper is tf-same's other name)
    field("padding_mode").value = padding === "same-upper" ? "tf-same" : padding;
    field("padding").value = DEFAULTS.padding;
  } else field("padding_mode").value = "numbers";
  const dims = q.get("dims");
  if (dims === null) field("dims").value = impliedDims();
  else { // as argparse takes it (type=int, choices 1, 2, 3): "+3" and " 3 " are 3
    const m = /^[ \t\n\r\f\v]*([-+]?[0-9]+)[ \t\n\r\f\v]*$/.exec(dims);
    const n = m ? BigInt(m[1]) : null; // exact, however many digits
    if (n !== null && n >= 1n && n <= 3n) field("dims").value = String(n);
    else if (!linkError) {
      linkError = n !== null ? `argument --dims: invalid choice: ${clip(n.toString())} (choose from 1, 2, 3)`
        : `argument --dims: invalid int value: ${pyRepr(clip(dims))}`;
    }
  }
  field("ceil_mode").checked = ["1", "true", "True", "yes", "on"].includes(q.get("ceil_mode"));
}

function toURL() {
  const op = field("op").value;
  const q = new URLSearchParams({ op });
  if (field("dims").value !== impliedDims()) q.set("dims", field("dims").value);
  const mode = field("padding_mode").value;
  for (const name of [...Object.keys(FIELDS), "ceil_mode"]) {
    if (name === "padding" && mode !== "numbers") { q.set(name, mode); continue; }
    if (!OPS[op].includes(name) && isDefault(name)) continue;
    if (name === "ceil_mode") { if (field(name).checked) q.set(name, "1"); }
    else if (field(name).value !== "") q.set(name, field(name).value);
  }
  const url = new URL(location.href);
  url.search = q.toString().replaceAll("%C3%97", "×");
  history.replaceState(history.state, "", url);
}

// ---------------------------------------------------------------- the answer

const equal = (v) => v.every((x) => x === v[0]);
const hw = (v) => (equal(v) ? String(v[0]) : `(${v.join(", ")})`);
const cliPair = (v) => (equal(v) ? String(v[0]) : v.join("x"));
// the PyTorch line of this configuration (``c`` resolved: one value per axis); for a padding per
// side, the CLI's lines: F.pad, then the layer with padding=0
function torchLines(c, shape) {
  if (shape.pads.length) return A.pytorch_lines(c.op, shape, c.kernel, c.stride, c.dilation);
  const n = c.input.length;
  const args = [`kernel_size=${hw(c.kernel)}`];
  const pooling = c.op === "max" || c.op === "avg";
  if (c.stride && !(pooling ? false : c.stride.every((x) => x === 1))) args.push(`stride=${hw(c.stride)}`);
  if (typeof c.padding === "string") args.push(`padding="${c.padding}"`);
  else if (c.padding.some(Boolean)) args.push(`padding=${hw(c.padding)}`);
  if (c.op === "transposed" && c.output_padding.some(Boolean)) args.push(`output_padding=${hw(c.output_padding)}`);
  if (c.op !== "avg" && c.dilation.some((x) => x !== 1)) args.push(`dilation=${hw(c.dilation)}`);
  if (pooling && c.ceil_mode) args.push("ceil_mode=True");
  const layer = { conv: `Conv${n}d(1, 1, `, transposed: `ConvTranspose${n}d(1, 1, `, max: `MaxPool${n}d(`, avg: `AvgPool${n}d(` }[c.op];
  return [`nn.${layer}${args.join(", ")})`];
}

// figures/config.py Config.options(), after `render` resolved a pooling's default stride
function renderCommand(c) {
  const pooling = c.op === "max" || c.op === "avg";
  const stride = c.stride || (pooling ? c.kernel : [1, 1]);
  const parts = [c.op, `--input ${cliPair(c.input)}`, `--kernel ${cliPair(c.kernel)}`];
  if (stride[0] !== 1 || stride[1] !== 1) parts.push(`--stride ${cliPair(stride)}`);
  if (typeof c.padding === "string") parts.push(`--padding ${c.padding}`);
  else if (c.padding[0] || c.padding[1]) parts.push(`--padding ${cliPair(c.padding)}`);
  if (c.dilation[0] !== 1 || c.dilation[1] !== 1) parts.push(`--dilation ${cliPair(c.dilation)}`);
  if (c.output_padding[0] || c.output_padding[1]) parts.push(`--output-padding ${cliPair(c.output_padding)}`);
  if (c.ceil_mode) parts.push("--ceil-mode");
  return `python -m figures render ${parts.join(" ")} -o ${c.op}.gif`;
}

// the `python -m figures shape` command that gives this answer (for what `render` does not draw:
// 1-D, 3-D, uneven padding)
function shapeCommand(c) {
  const parts = [c.op, `--input ${cliPair(c.input)}`, `--kernel ${cliPair(c.kernel)}`];
  if (c.input.length !== Math.max(2, cliPair(c.input).split("x").length)) parts.push(`--dims ${c.input.length}`);
  if (c.stride && (c.op === "max" || c.op === "avg" || c.stride.some((x) => x !== 1))) parts.push(`--stride ${cliPair(c.stride)}`);
  if (c.word) parts.push(`--padding ${c.word}`);
  else if (c.padding.some(Boolean)) parts.push(`--padding ${cliPair(c.padding)}`);
  if (c.dilation.some((x) => x !== 1)) parts.push(`--dilation ${cliPair(c.dilation)}`);
  if (c.output_padding.some(Boolean)) parts.push(`--output-padding ${cliPair(c.output_padding)}`);
  if (c.ceil_mode) parts.push("--ceil-mode");
  return `python -m figures shape ${parts.join(" ")}`;
}

function codeLine(text, what) {
  const row = document.createElement("div");
  row.className = "explorer__line";
  const pre = document.createElement("code");
  pre.textContent = text;
  const copy = button(T.copyLine(what), "explorer__copy", async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const range = document.createRange(); // no clipboard API (an old browser, file://): select and copy
      range.selectNodeContents(pre);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      document.execCommand("copy");
    }
    copy.dataset.copied = "yes";
    status.textContent = T.copied;
    setTimeout(() => { delete copy.dataset.copied; status.textContent = ""; }, 1500);
  });
  copy.textContent = T.copy;
  row.append(pre, copy);
  return row;
}
const status = document.createElement("span");
status.className = "explorer__status";
status.setAttribute("aria-live", "polite");

function typeset(el, lines) {
  el.replaceChildren();
  for (const [tex, text] of lines) {
    const p = document.createElement("p");
    // inline math in display style: on a narrow screen it breaks after = and +, never scrolls
    if (window.katex) window.katex.render(`\\displaystyle ${tex}`, p, { displayMode: false, throwOnError: false });
    else p.textContent = text;
    el.append(p);
    if (p.scrollWidth > p.clientWidth + 1) { // a formula of very large numbers: it scrolls, by keyboard too
      p.tabIndex = 0;
      p.setAttribute("role", "region");
      p.setAttribute("aria-label", text);
    }
  }
}

function answer(c) {
  let shape;
  try {
    shape = A.shape_of(c);
  } catch (err) {
    if (!(err instanceof A.Refusal)) throw err;
    output.removeAttribute("data-shape");
    output.dataset.error = err.message;
    output.textContent = T.refused + T.reason(err);
    output.classList.add("is-refused");
    formula.replaceChildren();
    return null;
  }
  output.removeAttribute("data-error");
  output.classList.remove("is-refused");
  output.dataset.shape = shape.output.join("×");
  output.textContent = T.shape(shape.output.join("×"));
  // one line per axis (L: a 1-D length; D, H, W: depth, height, width), once if all are equal
  const letters = { 1: ["L"], 2: ["H", "W"], 3: ["D", "H", "W"] }[shape.output.length];
  const lines = equal(shape.formulas)
    ? [[letters.map((l) => `${l}_\\text{out}`).join(" = ") + ` = ${shape.tex[0]}`, `${letters.map((l) => `${l}_out`).join(" = ")} = ${shape.formulas[0]}`]]
    : letters.map((l, n) => [`${l}_\\text{out} = ${shape.tex[n]}`, `${l}_out = ${shape.formulas[n]}`]);
  typeset(formula, lines);
  formula.dataset.formulas = JSON.stringify(shape.formulas);
  if (shape.pads.length) { // the padding of each side, which TF/ONNX SAME and causal padding choose
    const by = A.padding_by_side(shape);
    const p = document.createElement("p");
    p.className = "explorer__pads";
    p.dataset.pads = JSON.stringify(by);
    p.textContent = T.pads(Object.entries(by));
    formula.append(p);
  }
  if (shape.dropped.some(Boolean)) {
    const note = document.createElement("p");
    note.className = "explorer__note";
    note.textContent = T.dropped;
    formula.append(note);
  }
  return shape;
}


// ---------------------------------------------------------------- one update for every change

let lastOp = null;
function update() {
  if (lastOp !== null && field("op").value !== lastOp) resetUntaken(); // the reader chose another operation
  lastOp = field("op").value;
  showFields();
  let { c, errors } = read();
  for (const name of Object.keys(FIELDS)) {
    const el = field(name);
    const message = errors && errors[name] ? errors[name].error : "";
    el.setAttribute("aria-invalid", message ? "true" : "false");
    document.getElementById(`explore-${name}-error`).textContent = message;
  }
  code.replaceChildren();
  if (linkError || errors) {
    const found = Object.values(errors || {});
    // the CLI reports a value it cannot parse as it reads it, a missing option at the end
    const first = linkError || [...found.filter((e) => !e.late), ...found.filter((e) => e.late)][0].cli;
    output.removeAttribute("data-shape");
    output.dataset.error = first;
    output.textContent = linkError ? T.refused + linkError : T.invalid + found.map((e) => e.error).join(T.sep);
    output.classList.add("is-refused");
    formula.replaceChildren();
    figures.clear();
    return;
  }
  const shape = answer(c);
  if (!shape) {
    figures.clear();
    return;
  }
  c = A.resolve(c); // one value per axis, as the CLI checked it
  code.append(codeLine(torchLines(c, shape).join("\n"), "PyTorch"));
  const [rows, cols] = A.grid_size({ ...c, shape });
  if (c.input.length !== 2 || shape.pads.length) code.append(codeLine(shapeCommand(c), "python -m figures shape"));
  else if (rows > window.ExploreGrids.MAX_GRID || cols > window.ExploreGrids.MAX_GRID) {
    const note = document.createElement("p");
    note.className = "explorer__note";
    note.textContent = T.noRender(`${rows}×${cols}`);
    code.append(note);
  } else code.append(codeLine(renderCommand(c), "python -m figures render"));
  code.append(status);
  figures.draw(c, shape);
  if (REDUCED.matches) figures.pause();
}

fromURL();
const changed = (ev) => {
  linkError = null;
  // as on the command line, the input's sizes say how many axes (one size: keep the dimensions chosen)
  if (ev && ev.target === field("input") && count(field("input").value) >= 2) field("dims").value = impliedDims();
  // causal padding is a 1-D convolution's
  if (ev && ev.target === field("dims") && !modes(field("op").value, field("dims").value).includes(field("padding_mode").value)) {
    field("padding_mode").value = "numbers";
  }
  update();
  toURL();
};
form.addEventListener("input", changed);
form.addEventListener("change", changed);
form.addEventListener("submit", (ev) => ev.preventDefault());
root.classList.add("is-ready");
update();
window.__explore = { update, view: figures.view, go: figures.go }; // for the tests
})();
