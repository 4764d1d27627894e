// The explorer (explore.md): any convolution, transposed convolution or pooling, computed at once
// in the browser. The form's fields take the syntax of `python -m figures shape` (N or HxW,
// padding also same/valid); the answer is the output size with its formula (or the CLI's reason
// for a refusal, in the page's language), the grids with the window of each output cell, the
// PyTorch line and the render command. The configuration lives in the URL query (the CLI's
// option names), replaced, never pushed, on every change. The arithmetic is explore-arith.js,
// checked against figures/arith.py and torch by tests/test_explore.py.
// A classic script (not a module): the offline copy runs it from file://, where modules are refused.
(() => {
const root = document.getElementById("explorer");
if (!root) return;
const A = window.ExploreArith;
const S = window.SiteStrings(document.documentElement.lang);
const T = S.explore;
const { caption, button } = window.SitePlayer;
const REDUCED = matchMedia("(prefers-reduced-motion: reduce)");
const form = root.querySelector("form");
const output = document.getElementById("explore-output");
const formula = root.querySelector(".explorer__formula");
const figure = root.querySelector(".explorer__figure");
const grids = root.querySelector(".explorer__grids");
const code = root.querySelector(".explorer__code");
const SIZE = /^\s*(-?[0-9]+)\s*(?:[x×,]\s*(-?[0-9]+)\s*)?$/;
const FIELDS = { input: 1, kernel: 1, stride: 1, padding: 0, dilation: 1, output_padding: 0 };
const OPS = { conv: ["input", "kernel", "stride", "padding", "dilation"],
  transposed: ["input", "kernel", "stride", "padding", "dilation", "output_padding"],
  max: ["input", "kernel", "stride", "padding", "dilation", "ceil_mode"],
  avg: ["input", "kernel", "stride", "padding", "ceil_mode"] };
const MAX_INPUT = 16; // grids are drawn for inputs up to 16×16 …
const MAX_GRID = 32; // … and at most 32 cells a side (figures/config.py MAX_GRID)
const field = (name) => form.elements[name];
const option = (name) => `--${name.replace("_", "-")}`;

// ---------------------------------------------------------------- the form and the URL

// one field's text as the CLI parses it: { value } or { error } (in the page's language)
function parse(name, text) {
  text = text.trim();
  if (name === "padding" && (text === "same" || text === "valid")) return { value: text };
  if (!text) {
    if (name === "input" || name === "kernel") return { error: T.required(option(name)) };
    if (name === "stride") return { value: null }; // the default: 1, or the kernel for pooling
    return { value: [FIELDS[name] === 1 ? 1 : 0, FIELDS[name] === 1 ? 1 : 0] };
  }
  const m = SIZE.exec(text);
  if (!m) return { error: T.notSize(option(name), text) };
  const v = [Number(m[1]), Number(m[2] ?? m[1])];
  if (m[1].replace("-", "").length > 7 || (m[2] || "").replace("-", "").length > 7) return { error: T.tooLong(option(name)) };
  const bad = v.find((x) => x < FIELDS[name]);
  if (bad !== undefined) return { error: T.tooSmall(option(name), bad, FIELDS[name]) };
  return { value: v };
}

// the form's configuration: { c } (fields the operation does not take are left out) or { errors }
function read() {
  const op = field("op").value;
  const c = { op, stride: null, padding: [0, 0], dilation: [1, 1], output_padding: [0, 0], ceil_mode: false };
  const errors = {};
  for (const name of OPS[op]) {
    if (name === "ceil_mode") { c.ceil_mode = field(name).checked; continue; }
    const r = parse(name, field(name).value);
    if (r.error) errors[name] = r.error;
    else c[name] = r.value;
  }
  return Object.keys(errors).length ? { errors } : { c };
}

function showFields() {
  const op = field("op").value;
  for (const el of form.querySelectorAll("[data-ops]")) el.hidden = !el.dataset.ops.split(" ").includes(op);
  field("stride").placeholder = op === "max" || op === "avg" ? field("kernel").value || "" : "1";
}

// a link gives the options it names; the others take their defaults, as on the command line
const DEFAULTS = { input: "", kernel: "", stride: "", padding: "0", dilation: "1", output_padding: "0" };
function fromURL() {
  const q = new URLSearchParams(location.search);
  if (!q.has("op")) return; // no configuration: the page's own example
  if (OPS[q.get("op")]) field("op").value = q.get("op");
  for (const name of Object.keys(FIELDS)) field(name).value = q.has(name) ? q.get(name) : DEFAULTS[name];
  field("ceil_mode").checked = ["1", "true", "True"].includes(q.get("ceil_mode"));
}

function toURL() {
  const op = field("op").value;
  const q = new URLSearchParams({ op });
  for (const name of OPS[op]) {
    if (name === "ceil_mode") { if (field(name).checked) q.set(name, "1"); }
    else if (field(name).value.trim()) q.set(name, field(name).value.trim());
  }
  const url = new URL(location.href);
  url.search = q.toString().replaceAll("%C3%97", "×");
  history.replaceState(history.state, "", url);
}

// ---------------------------------------------------------------- the answer

const hw = (v) => (v[0] === v[1] ? String(v[0]) : `(${v[0]}, ${v[1]})`);
const cliPair = (v) => (v[0] === v[1] ? String(v[0]) : `${v[0]}x${v[1]}`);

function torchLine(c) {
  const args = [`kernel_size=${hw(c.kernel)}`];
  const pooling = c.op === "max" || c.op === "avg";
  if (c.stride && !(pooling ? false : c.stride[0] === 1 && c.stride[1] === 1)) args.push(`stride=${hw(c.stride)}`);
  if (typeof c.padding === "string") args.push(`padding="${c.padding}"`);
  else if (c.padding[0] || c.padding[1]) args.push(`padding=${hw(c.padding)}`);
  if (c.op === "transposed" && (c.output_padding[0] || c.output_padding[1])) args.push(`output_padding=${hw(c.output_padding)}`);
  if (c.op !== "avg" && (c.dilation[0] !== 1 || c.dilation[1] !== 1)) args.push(`dilation=${hw(c.dilation)}`);
  if (pooling && c.ceil_mode) args.push("ceil_mode=True");
  const layer = { conv: "Conv2d(1, 1, ", transposed: "ConvTranspose2d(1, 1, ", max: "MaxPool2d(", avg: "AvgPool2d(" }[c.op];
  return `nn.${layer}${args.join(", ")})`;
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
  output.dataset.shape = `${shape.output[0]}×${shape.output[1]}`;
  output.textContent = T.shape(...shape.output);
  const [fh, fw] = shape.formulas;
  const lines = fh === fw
    ? [[`H_\\text{out} = W_\\text{out} = ${shape.tex[0]}`, `H_out = W_out = ${fh}`]]
    : [[`H_\\text{out} = ${shape.tex[0]}`, `H_out = ${fh}`], [`W_\\text{out} = ${shape.tex[1]}`, `W_out = ${fw}`]];
  typeset(formula, lines);
  formula.dataset.formulas = JSON.stringify(shape.formulas);
  if (shape.dropped.some(Boolean)) {
    const note = document.createElement("p");
    note.className = "explorer__note";
    note.textContent = T.dropped;
    formula.append(note);
  }
  return shape;
}

// ---------------------------------------------------------------- the grids and the stepping

let view = null; // the drawn configuration: { c, g, cells, steps, step, playing, … }

function gridBox(label, symbol, role, rows, cols, make) {
  const box = document.createElement("div");
  box.className = "explorer__grid";
  const title = document.createElement("div");
  title.className = `explorer__label explorer__label--${role}`;
  title.textContent = `${label} ${symbol} · ${rows}×${cols}`;
  const cells = document.createElement("div");
  cells.className = "explorer__cells";
  cells.style.gridTemplateColumns = `repeat(${cols}, var(--cell))`;
  const all = [];
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const cell = make(r, q);
      all.push(cell);
      cells.append(cell);
    }
  }
  const scroller = document.createElement("div");
  scroller.className = "explorer__scroll";
  scroller.append(cells);
  box.append(title, scroller);
  return { box, all };
}

function cellEl(tag, role, text) {
  const el = document.createElement(tag);
  el.className = `explorer__cell explorer__cell--${role}`;
  if (tag === "button") { el.type = "button"; el.tabIndex = -1; }
  const span = document.createElement("span");
  span.textContent = text;
  el.append(span);
  return el;
}

function fmt(v) {
  if (v === -Infinity) return "−∞";
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(2)));
}

function draw(c, shape) {
  stop();
  grids.replaceChildren();
  view = null;
  const g = A.grid({ ...c, shape });
  const [R, C] = [g.rows.size, g.cols.size];
  if (c.input[0] > MAX_INPUT || c.input[1] > MAX_INPUT || R > MAX_GRID || C > MAX_GRID) {
    figure.hidden = true;
    grids.hidden = false;
    const p = document.createElement("p");
    p.className = "explorer__note";
    p.textContent = T.tooLarge;
    grids.append(p);
    return;
  }
  figure.hidden = false;
  const transposed = c.op === "transposed";
  const x = gridBox(T.input, "X", "input", R, C, (r, q) => {
    const role = g.rows.role[r] === "input" && g.cols.role[q] === "input" ? "input"
      : g.rows.role[r] === "pad" || g.cols.role[q] === "pad" ? "pad" : "zero";
    const i = g.rows.holds[r], j = g.cols.holds[q];
    const isInput = role === "input";
    const el = cellEl(transposed && isInput ? "button" : "span", role, isInput ? String(g.value(i, j)) : "0");
    if (isInput) { el.dataset.i = i; el.dataset.j = j; }
    el.dataset.r = r;
    el.dataset.c = q;
    return el;
  });
  const [KH, KW] = c.kernel;
  const pooling = c.op === "max" || c.op === "avg";
  const w = gridBox(pooling ? T.window : T.kernel, pooling ? (c.op === "max" ? "max" : "avg") : "W", "kernel", KH, KW,
    () => cellEl("span", "kernel", pooling ? "" : "1"));
  const [OH, OW] = shape.output;
  const y = gridBox(T.output, "Y", "output", OH, OW, (r, q) => {
    const el = cellEl("button", "output", "");
    el.dataset.r = r;
    el.dataset.c = q;
    return el;
  });
  grids.append(x.box, w.box, y.box);
  grids.hidden = false;
  const steps = [];
  for (let r = 0; r < OH; r++) for (let q = 0; q < OW; q++) steps.push({ r, q, ...g.cell(r, q) });
  view = { c, g, x: x.all, y: y.all, steps, step: steps.length, playing: false, C, OW };
  for (const el of view.y) {
    const n = Number(el.dataset.r) * OW + Number(el.dataset.c);
    el.setAttribute("aria-label", `Y[${el.dataset.r},${el.dataset.c}]`);
    el.addEventListener("pointerenter", () => go(n, false));
    el.addEventListener("focus", () => go(n, true));
    el.addEventListener("click", () => go(n, true));
    el.addEventListener("keydown", (ev) => cellKey(ev, n, OH, OW, view.y));
  }
  if (transposed) {
    const inputs = view.x.filter((el) => el.tagName === "BUTTON");
    inputs.forEach((el, n) => {
      const show = () => writes(Number(el.dataset.i), Number(el.dataset.j), el);
      el.setAttribute("aria-label", `X[${el.dataset.i},${el.dataset.j}]`);
      el.addEventListener("pointerenter", show);
      el.addEventListener("focus", show);
      el.addEventListener("click", show);
      el.addEventListener("keydown", (ev) => cellKey(ev, n, c.input[0], c.input[1], inputs));
    });
    if (inputs.length) inputs[0].tabIndex = 0;
  }
  fitCells();
  render();
}

// arrow keys move among the cells of a grid (one tab stop per grid)
function cellKey(ev, n, rows, cols, all) {
  const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -cols, ArrowDown: cols, Home: -n, End: rows * cols - 1 - n };
  if (!(ev.key in moves)) return;
  ev.preventDefault();
  ev.stopPropagation();
  const to = n + moves[ev.key];
  if (to >= 0 && to < all.length) all[to].focus();
}

// the output cells that input cell X[i, j] is added into (a transposed convolution)
function writes(i, j, source) {
  if (!view) return;
  stop();
  view.step = view.steps.length;
  render();
  let n = 0;
  view.steps.forEach((s, k) => {
    const hit = s.reads.some(([a, b]) => a === i && b === j);
    view.y[k].classList.toggle("is-written", hit);
    n += hit;
  });
  source.classList.add("is-source");
  view.x.forEach((el) => { if (el !== source) el.classList.remove("is-source"); if (el.tagName === "BUTTON") el.tabIndex = el === source ? 0 : -1; });
  captionEl.textContent = T.writes(i, j, n);
}

function render() {
  const { steps, step, g } = view;
  const current = steps[step];
  const inWindow = new Set(current ? current.window.map(([a, b]) => a * view.C + b) : []);
  for (const el of view.x) {
    const key = Number(el.dataset.r) * view.C + Number(el.dataset.c);
    el.classList.toggle("is-window", inWindow.has(key));
    el.classList.toggle("is-read", inWindow.has(key) && el.dataset.i !== undefined);
    el.classList.remove("is-source");
  }
  view.y.forEach((el, k) => {
    el.classList.remove("is-written");
    el.classList.toggle("is-current", k === step);
    el.firstChild.textContent = k <= step ? fmt(steps[k].value) : "";
    el.dataset.value = steps[k].value;
    el.tabIndex = k === Math.min(step, steps.length - 1) ? 0 : -1;
  });
  range.max = steps.length + 1;
  range.value = step + 1;
  counter.textContent = S.counter(step + 1, steps.length + 1);
  captionEl.textContent = caption(...stepData(current, g));
}

// a step in the form of the figures' step data (figures/steps.py), for the players' caption
function stepData(s, g) {
  const c = view.c;
  const kind = c.op;
  if (!s) return [{ kind }, { out: null }];
  const step = { out: [s.r, s.q], value: s.value };
  if (kind === "max") Object.assign(step, { op: "max", window: s.reads.map(([i, j]) => g.value(i, j)) });
  else if (kind === "avg") {
    const padded = s.window.filter(([a, b]) => a < c.input[0] + 2 * c.padding[0] && b < c.input[1] + 2 * c.padding[1]);
    Object.assign(step, { op: "avg", window: padded.map(s.x), count: padded.length });
  } else step.window = s.window.map((cell) => [s.x(cell), 1]);
  return [{ kind }, step];
}

// the player's controls, as under every animation of the site
const bar = document.createElement("div");
bar.className = "player__bar";
const prev = button(S.previous, "player__prev", () => go(view.step - 1, true));
const toggle = button(S.play, "player__toggle", () => (view.playing ? pause() : play()));
const next = button(S.next, "player__next", () => go(view.step + 1, true));
const range = document.createElement("input");
range.type = "range";
range.min = 1;
range.className = "player__range";
range.setAttribute("aria-label", S.scrubber);
range.addEventListener("input", () => go(Number(range.value) - 1, true));
const counter = document.createElement("span");
counter.className = "player__counter";
bar.append(prev, toggle, next, range, counter);
const captionEl = document.createElement("p");
captionEl.className = "player__caption";
captionEl.setAttribute("aria-live", "off");
figure.prepend(bar);
figure.append(captionEl);
figure.addEventListener("keydown", (ev) => {
  if (!view || ev.target.tagName === "INPUT") return;
  const total = view.steps.length + 1;
  const actions = { " ": () => (view.playing ? pause() : play()), ArrowLeft: () => go(view.step - 1, true),
    ArrowRight: () => go(view.step + 1, true), Home: () => go(0, true), End: () => go(total - 1, true) };
  if (actions[ev.key] && !(ev.key === " " && ev.target.tagName === "BUTTON")) {
    ev.preventDefault();
    actions[ev.key]();
  }
});

function setToggle() {
  const label = view && view.playing ? S.pause : S.play;
  toggle.setAttribute("aria-label", label);
  toggle.title = label;
  toggle.dataset.state = view && view.playing ? "playing" : "paused";
}

function go(n, announce) {
  if (!view) return;
  const total = view.steps.length + 1;
  view.step = ((n % total) + total) % total;
  stop();
  view.playing = false;
  setToggle();
  captionEl.setAttribute("aria-live", announce ? "polite" : "off");
  render();
}

let timer;
function stop() {
  clearTimeout(timer);
  timer = undefined;
}
function play() {
  view.playing = true;
  setToggle();
  captionEl.setAttribute("aria-live", "off");
  const tick = () => {
    render();
    const last = view.step === view.steps.length;
    timer = setTimeout(() => {
      view.step = (view.step + 1) % (view.steps.length + 1);
      tick();
    }, last ? 2000 : 1000);
  };
  if (view.step === view.steps.length) view.step = 0;
  tick();
}
function pause() {
  stop();
  view.playing = false;
  setToggle();
}
// out of view, a playing explorer pauses
new IntersectionObserver(([entry]) => {
  if (!entry.isIntersecting && view && view.playing) pause();
}).observe(figure);

// cells as large as the column allows: 26 to 36 px (a wider grid scrolls sideways)
function fitCells() {
  if (!view) return;
  const width = grids.clientWidth || root.clientWidth;
  const cell = Math.max(26, Math.min(36, Math.floor((width - 4) / view.C)));
  grids.style.setProperty("--cell", `${cell}px`);
  // a grid wider than the screen scrolls sideways, and the keyboard can scroll it too
  for (const box of grids.querySelectorAll(".explorer__scroll")) {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", box.previousElementSibling.textContent);
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
}
addEventListener("resize", fitCells);

// ---------------------------------------------------------------- one update for every change

function update() {
  showFields();
  toURL();
  const { c, errors } = read();
  for (const name of Object.keys(FIELDS)) {
    const el = field(name);
    const message = (errors || {})[name] || "";
    el.setAttribute("aria-invalid", message ? "true" : "false");
    document.getElementById(`explore-${name}-error`).textContent = message;
  }
  code.replaceChildren();
  if (errors) {
    output.removeAttribute("data-shape");
    output.dataset.error = Object.values(errors)[0];
    output.textContent = T.invalid + Object.values(errors).join("; ");
    output.classList.add("is-refused");
    formula.replaceChildren();
    grids.replaceChildren();
    figure.hidden = true;
    view = null;
    return;
  }
  const shape = answer(c);
  if (!shape) {
    grids.replaceChildren();
    figure.hidden = true;
    view = null;
    return;
  }
  code.append(codeLine(torchLine(c), "PyTorch"));
  const g = A.grid({ ...c, shape });
  if (g.rows.size > MAX_GRID || g.cols.size > MAX_GRID) {
    const note = document.createElement("p");
    note.className = "explorer__note";
    note.textContent = T.noRender(`${g.rows.size}×${g.cols.size}`);
    code.append(note);
  } else code.append(codeLine(renderCommand(c), "python -m figures render"));
  code.append(status);
  draw(c, shape);
  if (REDUCED.matches) pause();
}

setToggle();
fromURL();
form.addEventListener("input", update);
form.addEventListener("change", update);
form.addEventListener("submit", (ev) => ev.preventDefault());
root.classList.add("is-ready");
update();
window.__explore = { update, view: () => view, go }; // for the tests
})();
