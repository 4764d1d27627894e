// Figure player: every animation of the catalog on a page becomes a figure the reader drives
// (play/pause, step, scrub, keyboard, a caption with each step's numbers, enlarge). Until the
// reader touches it, the GIF plays as an ordinary image; the player then fetches the figure's
// step data (figures/steps.py: which GIF frame shows each step, and torch's numbers) and decodes
// the file the browser chose (the lossless WebP of a <picture>, whose frames are the GIF's, one
// for one, pixel for pixel; else the GIF) with the browser's ImageDecoder, drawing one step at a
// time on a canvas. Browsers without ImageDecoder keep the plain picture. With prefers-reduced-motion, a figure starts paused on
// its last step; a figure out of view is paused and resumes where it was. A classic script after
// strings.js, so that the offline copy runs it from file:// too; there, the step data and the
// figure's bytes (the WebP's) come from the page itself (hooks.py inlines them), as a browser
// refuses fetch from file://.
(() => {
const T = window.SiteStrings(document.documentElement.lang);
const REDUCED = matchMedia("(prefers-reduced-motion: reduce)");
const GIF = /figures\/([^/#?]+?)(\.dark)?\.gif(?:[#?].*)?$/;
const players = [];

// the offline copy's pages carry their figures' step data and WebP (or GIF) bytes (hooks.py)
function inline(file, kind) {
  const el = document.querySelector(`script[data-figure="${file}"]`);
  if (!el) return null;
  if (kind === "json") return Promise.resolve(JSON.parse(el.textContent));
  const raw = atob(el.textContent.trim());
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return Promise.resolve(bytes.buffer);
}

function fmt(value) {
  const text = Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
  return value < 0 ? `(−${text.slice(1)})` : text;
}

function caption(data, step) {
  if (data.kind === "trace") return step.label ? T.trace(step.label, step.rows, step.cols, step.cells) : "";
  if (data.kind === "panels") {
    // a cell of a panel is [row, column]; of a block (a C×H×W tensor), [channel, row, column]
    const cells = step.cells.map((c) => `${c.label}[${c.cell.join(",")}] = ${fmt(c.value)}`);
    if (!cells.length) return T.panel(data.steps.indexOf(step) + 1, data.steps.length);
    return cells.join("; ") + (step.reads ? T.reads(step.reads) : "");
  }
  if (!step.out) return T.done;
  const cell = T.cell(step.out[0], step.out[1]);
  if (step.op === "max") return `${cell} = ${T.max}(${step.window.map(fmt).join(", ")}) = ${fmt(step.value)}`;
  if (step.op === "avg")
    return `${cell} = (${step.window.map(fmt).join(" + ")}) / ${step.count} = ${fmt(step.value)}`;
  const terms = step.window.map(([x, w]) => `${fmt(x)}·${fmt(w)}`).join(" + ");
  return `${data.kind === "transposed" ? T.zeroInserted : ""}${cell} = ${terms} = ${fmt(step.value)}`;
}

function button(label, cls, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = `player__button ${cls}`;
  b.setAttribute("aria-label", label);
  b.title = label;
  b.addEventListener("click", onClick);
  return b;
}

// The controls under a figure, as under every animation of the site: previous, play/pause, next,
// a scrubber (steps counted from 1) and a counter, and the caption under them. ``on`` = { go(n),
// toggle(), step(), last() }: what they do to the figure. Returns the elements.
function controls(on) {
  const bar = document.createElement("div");
  bar.className = "player__bar";
  const prev = button(T.previous, "player__prev", () => on.go(on.step() - 1));
  const toggle = button(T.play, "player__toggle", () => on.toggle());
  const next = button(T.next, "player__next", () => on.go(on.step() + 1));
  const range = document.createElement("input");
  range.type = "range";
  range.min = 1;
  range.className = "player__range";
  range.setAttribute("aria-label", T.scrubber);
  range.addEventListener("input", () => on.go(Number(range.value) - 1));
  const counter = document.createElement("span");
  counter.className = "player__counter";
  bar.append(prev, toggle, next, range, counter);
  const caption = document.createElement("p");
  caption.className = "player__caption";
  caption.setAttribute("aria-live", "off");
  return { bar, prev, toggle, next, range, counter, caption };
}

// Space, ←, →, Home and End on a figure's controls (``on`` as for controls); a text field or the
// scrubber keeps its own keys, and Space on a button presses it.
function stepKeys(ev, on) {
  if (ev.target.tagName === "INPUT") return;
  const actions = {
    " ": () => on.toggle(),
    ArrowLeft: () => on.go(on.step() - 1),
    ArrowRight: () => on.go(on.step() + 1),
    Home: () => on.go(0),
    End: () => on.last(),
  };
  if (actions[ev.key] && !(ev.key === " " && ev.target.tagName === "BUTTON")) {
    ev.preventDefault();
    actions[ev.key]();
  }
}

class Player {
  constructor(imgs) {
    this.imgs = imgs;
    this.step = 0;
    this.playing = !REDUCED.matches;
    this.canvasMode = false;
    this.visible = true;
    this.resumeInView = false;
    this.loaded = {};
    this.started = performance.now();
    this.build();
  }

  // the variant the page shows now (light or dark palette)
  img() {
    const shown = this.imgs.find((img) => img.offsetParent !== null || img.getClientRects().length);
    if (shown) return shown;
    // the player has hidden them all (player__gif): the variant of the palette, by Material's
    // #only-dark / #only-light (its dark palette is "slate")
    const dark = document.body.dataset.mdColorScheme === "slate";
    return this.imgs.find((img) => /#only-dark$/.test(img.getAttribute("src") || "") === dark) || this.imgs[0];
  }

  build() {
    const first = this.imgs[0];
    const last = this.imgs[this.imgs.length - 1];
    let anchor = last.closest("a") || last.closest("picture") || last;
    while (anchor.nextElementSibling?.classList.contains("figure-print")) anchor = anchor.nextElementSibling;
    // the place hooks.py holds for the controls from the first paint on (else a new one)
    const slot = slotAfter(anchor);
    this.root = slot || document.createElement("div");
    this.root.classList.add("player");
    this.root.tabIndex = 0;
    this.root.setAttribute("role", "group");
    this.root.setAttribute("aria-label", `${T.player}: ${first.alt}`);
    this.canvas = document.createElement("canvas");
    this.canvas.className = "player__canvas";
    this.canvas.hidden = true;
    this.canvas.setAttribute("role", "img");
    this.canvas.setAttribute("aria-label", first.alt);
    const place = first.closest("picture") || first; // the canvas goes before the figure's <picture>
    place.parentNode.insertBefore(this.canvas, place);
    this.on = {
      go: (n) => this.go(n),
      toggle: () => this.togglePlay(),
      step: () => this.step,
      last: async () => this.go((await this.data()).steps.steps.length - 1),
    };
    const parts = controls(this.on);
    Object.assign(this, { toggle: parts.toggle, range: parts.range, counter: parts.counter, caption: parts.caption });
    this.enlarge = button(T.enlarge, "player__enlarge", () => this.openLarge());
    parts.bar.append(this.enlarge);
    this.root.append(parts.bar, this.caption);
    if (!slot) anchor.parentNode.insertBefore(this.root, anchor.nextSibling);
    this.root.addEventListener("keydown", (ev) => stepKeys(ev, this.on));
    for (const target of [this.canvas, ...this.imgs]) target.addEventListener("click", (ev) => this.point(ev));
    this.canvas.addEventListener("pointermove", (ev) => this.point(ev, true));
    this.updateToggle();
  }

  // pointing at (or tapping) an output cell shows the step that computed it
  async point(ev, hover = false) {
    if (hover && !this.canvasMode) return;
    const target = ev.currentTarget;
    const data = (await this.data()).steps;
    if (!data.output) return;
    const rect = target.getBoundingClientRect();
    const x = ((ev.clientX - rect.left) * data.size[0]) / rect.width;
    const y = ((ev.clientY - rect.top) * data.size[1]) / rect.height;
    const [left, top, w, h] = data.output.box;
    const r = Math.floor((y - top) / h);
    const c = Math.floor((x - left) / w);
    if (r < 0 || c < 0 || r >= data.output.rows || c >= data.output.cols) return;
    const n = data.steps.findIndex((s) => s.out && s.out[0] === r && s.out[1] === c);
    if (n >= 0 && n !== this.step) {
      ev.preventDefault();
      this.go(n);
    } else if (n >= 0) ev.preventDefault();
  }

  async data() {
    const img = this.img();
    const [, name, dark] = GIF.exec(img.getAttribute("src"));
    const key = dark ? "dark" : "light";
    if (!this.loaded[key]) {
      const base = new URL(img.getAttribute("src"), location.href);
      base.hash = "";
      const stepsUrl = new URL(`${name}${dark || ""}.steps.json`, base);
      // the file the browser shows: the <picture>'s WebP where it took it (the same frames), else the
      // GIF; an image not loaded yet (lazy, or the other palette's) would be the <picture>'s WebP
      const source = img.closest("picture")?.querySelector('source[type="image/webp"]');
      const shown = new URL(img.currentSrc || source?.getAttribute("srcset") || base.href, location.href);
      shown.hash = "";
      const webp = /\.webp$/.test(shown.pathname);
      const file = `${name}${dark || ""}.${webp ? "webp" : "gif"}`;
      this.loaded[key] = (async () => {
        const [steps, bytes] = await Promise.all([
          inline(`${name}${dark || ""}.steps.json`, "json") || fetch(stepsUrl).then((r) => r.json()),
          inline(file, "bytes") || fetch(webp ? shown : base).then((r) => r.arrayBuffer()),
        ]);
        const decoder = new ImageDecoder({ data: bytes, type: webp ? "image/webp" : "image/gif" });
        await decoder.tracks.ready;
        return { steps, decoder, bitmaps: new Map() };
      })();
    }
    return this.loaded[key];
  }

  async draw() {
    const data = await this.data();
    const n = Math.min(this.step, data.steps.steps.length - 1);
    const step = data.steps.steps[n];
    const bitmap = await this.bitmap(n);
    const [w, h] = data.steps.size;
    if (this.canvas.width !== w) this.canvas.width = w;
    if (this.canvas.height !== h) this.canvas.height = h;
    this.canvas.getContext("2d").drawImage(bitmap, 0, 0);
    this.range.max = data.steps.steps.length;
    this.range.value = n + 1;
    this.counter.textContent = T.counter(n + 1, data.steps.steps.length);
    this.caption.textContent = caption(data.steps, step);
    return step;
  }

  // the picture of step n, decoded from its frame (the GIF's frame number, the WebP's the same) the first time it is needed
  async bitmap(n) {
    const data = await this.data();
    if (!data.bitmaps.has(n)) {
      const { image } = await data.decoder.decode({ frameIndex: data.steps.steps[n].gif_frame });
      data.bitmaps.set(n, await createImageBitmap(image));
      image.close();
    }
    return data.bitmaps.get(n);
  }

  // the canvas replaces the GIF: from now on the player shows every step itself
  async takeOver() {
    if (this.canvasMode) return;
    this.canvasMode = true;
    this.canvas.style.aspectRatio = `${this.imgs[0].width} / ${this.imgs[0].height}`;
    await this.draw();
    this.canvas.hidden = false;
    for (const img of this.imgs) img.classList.add("player__gif");
  }

  async go(n, announce = true) {
    const data = await this.data();
    const total = data.steps.steps.length;
    this.step = ((n % total) + total) % total;
    this.stop();
    this.playing = false;
    this.updateToggle();
    this.caption.setAttribute("aria-live", announce ? "polite" : "off");
    await this.takeOver();
    await this.draw();
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  async run() {
    this.stop();
    if (!this.playing || !this.visible) return;
    const step = await this.draw();
    this.timer = setTimeout(async () => {
      const data = await this.data();
      this.step = (this.step + 1) % data.steps.steps.length;
      this.run();
    }, step.ms);
  }

  async togglePlay() {
    this.playing = !this.playing;
    this.updateToggle();
    this.caption.setAttribute("aria-live", this.playing ? "off" : "polite");
    await this.takeOver();
    if (this.playing) this.run();
    else this.stop();
  }

  updateToggle() {
    const label = this.playing ? T.pause : T.play;
    this.toggle.setAttribute("aria-label", label);
    this.toggle.title = label;
    this.toggle.dataset.state = this.playing ? "playing" : "paused";
  }

  // where the GIF that played as an image would be now, from the time since the page loaded
  async nativeStep() {
    const steps = (await this.data()).steps.steps;
    const loop = steps.reduce((sum, s) => sum + s.ms, 0);
    let t = (performance.now() - this.started) % loop;
    for (let n = 0; n < steps.length; n++) {
      if (t < steps[n].ms) return n;
      t -= steps[n].ms;
    }
    return steps.length - 1;
  }

  async seen(visible) {
    this.visible = visible;
    this.root.dataset.visible = visible ? "yes" : "no";
    if (visible) this.everSeen = true;
    else if (!this.everSeen) return; // below the fold at load: the GIF waits as an image, untouched
    if (!visible && this.playing) {
      if (!this.canvasMode) {
        this.step = await this.nativeStep();
        await this.takeOver();
      }
      this.resumeInView = true;
      this.stop();
    } else if (visible && this.resumeInView) {
      this.resumeInView = false;
      this.run();
    }
  }

  async openLarge() {
    this.stop();
    const wasPlaying = this.playing;
    await this.takeOver();
    const placeholder = document.createComment("player");
    this.root.parentNode.insertBefore(placeholder, this.root);
    // at least the figure's own pixels, and digits at least as large as the page's text
    const text = parseFloat(getComputedStyle(document.querySelector(".md-typeset") || document.body).fontSize);
    const digit = (await this.data()).steps.digit_px;
    const width = Math.ceil(this.imgs[0].width * Math.max(1, text / digit));
    openDialog(this.imgs[0].alt, this.canvas, width, this.enlarge, () => {
      const place = this.imgs[0].closest("picture") || this.imgs[0];
      place.parentNode.insertBefore(this.canvas, place);
      placeholder.replaceWith(this.root);
      if (this.playing) this.run();
    }, [this.root, figurePageLink(this.imgs[0])]);
    this.playing = wasPlaying;
    if (this.playing) this.run();
    else await this.draw();
  }
}

// The enlarged view: a modal dialog at the screen's full width holding ``content`` at least
// ``width`` pixels wide (and the elements ``extra`` under it); closing it (Escape, ✕) runs
// ``onClose`` and returns the focus to ``opener``.
function openDialog(label, content, width, opener, onClose = () => {}, extra = []) {
  const dialog = document.createElement("dialog");
  dialog.className = "player__dialog";
  dialog.setAttribute("aria-label", label);
  const large = document.createElement("div");
  large.className = "player__large";
  large.style.setProperty("--natural-width", `${width}px`);
  large.append(content);
  dialog.append(button(T.close, "player__close", () => dialog.close()), large, ...extra.filter(Boolean));
  document.body.append(dialog);
  dialog.addEventListener("close", () => {
    onClose();
    dialog.remove();
    opener.focus();
  });
  dialog.showModal();
}

// A still figure (PNG) can be enlarged too: the same dialog, with the picture at least at its
// own size (a photograph or a plot keeps its pixels; the page's column shrinks it).
function enlargeable(imgs) {
  const last = imgs[imgs.length - 1];
  const anchor = last.closest("a") || last.closest("picture") || last;
  const open = button(T.enlarge, "player__enlarge", () => {
    const img = imgs.find((i) => i.getClientRects().length) || imgs[0];
    const picture = img.closest("picture"); // with its WebP, which the browser already has
    const copy = picture ? picture.cloneNode(true) : img.cloneNode();
    const still = picture ? copy.querySelector("img") : copy;
    still.removeAttribute("loading");
    still.className = "player__still";
    openDialog(img.alt, copy, img.width, open, () => {}, [figurePageLink(img)]);
  });
  const slot = slotAfter(anchor);
  const bar = slot || document.createElement("div");
  bar.classList.add("player__bar", "player__bar--still");
  bar.append(open);
  if (!slot) anchor.parentNode.insertBefore(bar, anchor.nextSibling);
}

// A link to the figure's own page (figures/NAME/, made by gen_figure_pages.py: files, commands
// for every format, citation), or null on that page itself. The offline copy has no folder
// addresses: there the page is figures/NAME.html.
function figurePageLink(img) {
  const m = /figures\/([^/#?]+?)(?:\.dark)?\.(?:gif|png)(?:[#?].*)?$/.exec(img.getAttribute("src"));
  if (!m) return null;
  const file = new URL(img.getAttribute("src"), location.href);
  const page = new URL(location.protocol === "file:" ? `${m[1]}.html` : `${m[1]}/`, file);
  if (page.pathname === location.pathname || page.pathname + "index.html" === location.pathname) return null;
  const a = document.createElement("a");
  a.className = "player__page";
  a.href = page.href;
  a.textContent = T.figurePage;
  return a;
}

// hooks.py's empty place for a figure's controls right after ``el``, or null
function slotAfter(el) {
  const next = el.nextElementSibling;
  return next?.classList.contains("player-slot") && !next.childElementCount ? next : null;
}

// for the explorer (explore.js): the same captions and buttons as every figure's player
window.SitePlayer = { caption, button, controls, stepKeys };

function start() {
  if (!("ImageDecoder" in window)) return; // the plain GIF
  const groups = new Map();
  const stills = new Map();
  // (a printed page shows each animation's last step: hooks.py's .figure-print pictures, by CSS)
  for (const img of document.querySelectorAll(".md-typeset img[src*='figures/']:not(.figure-print)")) {
    const holder = img.closest("figure, a, p") || img.parentElement;
    const found = GIF.exec(img.getAttribute("src")) ? groups : stills;
    if (!found.has(holder)) found.set(holder, []);
    found.get(holder).push(img);
  }
  for (const imgs of stills.values()) enlargeable(imgs);
  const watch = new IntersectionObserver((entries) => {
    for (const entry of entries) entry.target.player?.seen(entry.isIntersecting);
  });
  for (const [holder, imgs] of groups) {
    const player = new Player(imgs);
    players.push(player);
    holder.player = player;
    watch.observe(holder);
    if (REDUCED.matches) {
      player.playing = false;
      player.updateToggle();
      player.data().then(async (d) => {
        player.step = d.steps.steps.length - 1;
        await player.takeOver();
      });
    }
  }
  // the palette switch shows the other variant's frames
  new MutationObserver(() => {
    for (const player of players) if (player.canvasMode) player.draw();
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  window.__players = players; // for the tests
}

start();
})();
