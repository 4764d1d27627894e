// The explorer's grids (explore.md): the input with its padding (and, for a transposed convolution,
// the inserted zeros), the kernel and the output, drawn as cells in the figures' colours
// (figure-theme.css); the window of each output cell stepped and played with the same controls and
// captions as every animation of the site (player.js), by pointer, touch or keyboard; for a
// transposed convolution, the output cells an input cell is added into. Where each window falls
// comes from explore-arith.js (grid), which the tests check against torch.
// A classic script (not a module): the offline copy runs it from file://, where modules are refused.
window.ExploreGrids = (() => {
const MAX_INPUT = 16; // grids are drawn for inputs up to 16×16 …
const MAX_GRID = 32; // … and at most 32 cells a side (figures/config.py MAX_GRID)

// the grids of the explorer ``root``: { draw(c, shape), clear(), pause(), view(), go(n) }
function create(root) {
const A = window.ExploreArith;
const S = window.SiteStrings(document.documentElement.lang);
const T = S.explore;
const { caption, controls, stepKeys } = window.SitePlayer;
const figure = root.querySelector(".explorer__figure");
const grids = root.querySelector(".explorer__grids");

let view = null; // the drawn configuration: { c, g, cells, steps, step, playing, … }
const note = document.createElement("p"); // why a configuration has no grids (it is too large)
note.className = "explorer__note";
note.hidden = true;
figure.after(note);

function gridBox(label, symbol, role, rows, cols, make) {
  const box = document.createElement("div");
  box.className = "explorer__grid";
  const title = document.createElement("div");
  title.className = `explorer__label explorer__label--${role}`;
  title.textContent = `${label} ${symbol} · ${oneD ? cols : `${rows}×${cols}`}`;
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

// a 1-D configuration drawn as a 2-D one of height 1: one row of cells
function lift(c, shape) {
  const one = (v, x) => (v === null ? null : [x, v[0]]);
  return [{ ...c, input: one(c.input, 1), kernel: one(c.kernel, 1), stride: one(c.stride, 1), dilation: one(c.dilation, 1),
    padding: Array.isArray(c.padding) ? one(c.padding, 0) : c.padding, output_padding: one(c.output_padding, 0) },
  { ...shape, output: [1, shape.output[0]], grid_pads: [[0, 0], shape.grid_pads[0]] }];
}
let oneD = false;
// a cell's name: X[i,j], or X[j] in one dimension
const name = (symbol, i, j) => (oneD ? `${symbol}[${j}]` : `${symbol}[${i},${j}]`);

function draw(c, shape) {
  clear();
  if (c.input.length === 3) { // a volume: its sizes and formulas per axis, no grids (see the page)
    note.textContent = T.noGrid3d;
    note.hidden = false;
    return;
  }
  oneD = c.input.length === 1;
  if (oneD) [c, shape] = lift(c, shape);
  const [R, C] = A.grid_size({ ...c, shape });
  if (c.input[0] > MAX_INPUT || c.input[1] > MAX_INPUT || R > MAX_GRID || C > MAX_GRID) {
    note.textContent = T.tooLarge; // the sizes alone: the grids would not fit (nor be read)
    note.hidden = false;
    return;
  }
  const g = A.grid({ ...c, shape });
  figure.hidden = false;
  const transposed = c.op === "transposed";
  const x = gridBox(T.input, "X", "input", R, C, (r, q) => {
    const role = g.rows.role[r] === "input" && g.cols.role[q] === "input" ? "input"
      : g.rows.role[r] === "pad" || g.cols.role[q] === "pad" ? "pad" : "zero";
    const i = g.rows.holds[r], j = g.cols.holds[q];
    const isInput = role === "input";
    // padding holds 0, or −∞ for max pooling (as the figures show it, and F.pad's value in the CLI's lines)
    const empty = c.op === "max" && role === "pad" ? "−∞" : "0";
    const el = cellEl(transposed && isInput ? "button" : "span", role, isInput ? String(g.value(i, j)) : empty);
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
    el.setAttribute("aria-label", name("Y", el.dataset.r, el.dataset.c));
    el.addEventListener("pointerenter", () => go(n, false));
    el.addEventListener("focus", () => go(n, true));
    el.addEventListener("click", () => go(n, true));
    el.addEventListener("keydown", (ev) => cellKey(ev, n, OH, OW, view.y));
  }
  if (transposed) {
    const inputs = view.x.filter((el) => el.tagName === "BUTTON");
    inputs.forEach((el, n) => {
      const show = () => writes(Number(el.dataset.i), Number(el.dataset.j), el);
      el.setAttribute("aria-label", name("X", el.dataset.i, el.dataset.j));
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
  captionEl.textContent = T.writes(name("X", i, j), n);
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
  const text = caption(...stepData(current, g));
  captionEl.textContent = oneD && current ? text.replace(`Y[0,${current.q}]`, `Y[${current.q}]`) : text;
}

// a step in the form of the figures' step data (figures/steps.py), for the players' caption
function stepData(s, g) {
  const c = view.c;
  const kind = c.op;
  if (!s) return [{ kind }, { out: null }];
  const step = { out: [s.r, s.q], value: s.value };
  if (kind === "max") Object.assign(step, { op: "max", window: s.reads.map(([i, j]) => g.value(i, j)) });
  else if (kind === "avg") {
    const padded = s.window.filter(([a, b]) => a < g.rows.padded && b < g.cols.padded);
    Object.assign(step, { op: "avg", window: padded.map(s.x), count: padded.length });
  } else step.window = s.window.map((cell) => [s.x(cell), 1]);
  return [{ kind }, step];
}

// the player's controls, as under every animation of the site
const on = {
  go: (n) => go(n, true),
  toggle: () => view && (view.playing ? pause() : play()),
  step: () => (view ? view.step : 0),
  last: () => view && go(view.steps.length, true),
};
const { bar, toggle, range, counter, caption: captionEl } = controls(on);
figure.prepend(bar);
figure.append(captionEl);
figure.addEventListener("keydown", (ev) => stepKeys(ev, on));

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
  if (!view) return;
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

function clear() {
  stop();
  grids.replaceChildren();
  figure.hidden = true;
  note.hidden = true;
  view = null;
}

setToggle();
return { draw, clear, pause, view: () => view, go };
}

return { create, MAX_INPUT, MAX_GRID };
})();
