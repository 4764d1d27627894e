"""Benchmark the figure build and the site, and print the figures (not a test).

    python scripts/bench.py            # everything (several minutes on 2 cores)
    python scripts/bench.py --quick    # skip the serial cold build, the baseline and the browser
    python scripts/bench.py --webp site  # only the WebP figures of a built site: bytes, a scrolled chapter

Prints: cold catalog builds (empty cache) with 1 process and with every core, the latter beside
the same build of the baseline commit (BASELINE, checked out in a temporary worktree) in the same
run, and for half the catalog; a warm build of the whole site (both languages, cache full); the
median time to draw one frame; the peak memory of the largest configuration the CLI accepts;
the bytes of every figure, and for the 15 classics beside what gifsicle -O3 (the standard
lossless optimiser, if installed) makes of them; per language, the animations as GIF and as
WebP beside what gif2webp -min_size (if installed) makes of the GIFs, and a chapter's bytes
scrolled to its end, with WebP and with GIFs; the search index of each language; and, in
headless Chromium (if /usr/bin/chromium and Playwright are installed), the bytes a chapter page
transfers on first load from a server that compresses as static hosts do (gzip), beside the
baseline's, with every request, and the cumulative layout shift of every chapter.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from figures import catalog, draw, render, theme  # noqa: E402



BASELINE = "353283a"  # the commit issue 18's targets are measured against


def timed(cmd: list[str], env: dict | None = None, cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env={**os.environ, **(env or {})})
    return time.perf_counter() - start


def frames_of(names) -> int:
    scenes = [render.scene_for(catalog.get(n).config()) for n in names]
    return sum(len(getattr(sc, "frames", [None])) for sc in scenes) * len(catalog.THEME_NAMES)


# the 15 animations of vdumoulin/conv_arithmetic (the catalog's other convolutions do not count)
CLASSICS = catalog.classics()
CLASSIC_GIF_BYTES = catalog.CONV_ARITHMETIC_BYTES
assert len(CLASSICS) == 15


def cold_build(tmp: Path, jobs: int, names=None, tree: Path = ROOT) -> float:
    """Seconds to render the catalog (of the checkout ``tree``) into an empty cache."""
    cache = Path(tempfile.mkdtemp(dir=tmp))
    cmd = [sys.executable, "-m", "figures", "build", "--out", str(cache / "out"), "--jobs", str(jobs)]
    if names:
        cmd += ["--only", *names]
    return timed(cmd, {"FIGURES_CACHE": str(cache / "cache")}, cwd=tree)


def catalog_names(tree: Path) -> list[str]:
    """The names of the catalog of the checkout ``tree`` (its ``figures list``)."""
    out = subprocess.run([sys.executable, "-m", "figures", "list"], cwd=tree, check=True, capture_output=True, text=True)
    return [line.split()[0] for line in out.stdout.splitlines() if line.strip()]


def draw_times() -> list[float]:
    times = []
    for entry in CLASSICS:
        scene = render.scene_for(entry.config())
        renderer = draw.Renderer(scene, theme.LIGHT)
        for frame in scene.frames:
            start = time.perf_counter()
            renderer.draw(frame)
            times.append(time.perf_counter() - start)
        renderer.close()
    return times


class _Gzip(http.server.SimpleHTTPRequestHandler):
    """A static host: text compressed with gzip when the browser accepts it (as GitHub Pages and
    most hosts send it), cacheable for 10 minutes (GitHub Pages' max-age); every response's bytes
    on the wire (status line, headers, body) logged."""

    TEXT = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")
    log: list = []
    gif_only = False  # serve the pages without their <source> of WebP: what a page sent before issue 33

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        if self.gif_only and path.suffix == ".html":
            body = WEBP_SOURCE.sub(b"", body).replace(b"<picture>", b"").replace(b"</picture>", b"")
        compress = path.suffix in self.TEXT and "gzip" in self.headers.get("Accept-Encoding", "")
        if compress:
            body = gzip.compress(body, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        # as GitHub Pages sends it: the player's fetch of a figure the page already shows is served from the cache
        self.send_header("Cache-Control", "max-age=600")
        head = sum(len(line) for line in self._headers_buffer) + 2
        self.end_headers()
        self.wfile.write(body)
        self.log.append((self.path, head + len(body)))

    def log_message(self, *args):
        pass


WEBP_SOURCE = re.compile(rb'<source type="image/webp" srcset="[^"]*">')


class _Served:
    """A built site on a loopback server that compresses like a static host (``gif_only``: its
    pages as they were before the WebP, every figure its GIF or PNG)."""

    def __init__(self, site: Path, gif_only: bool = False):
        self.log: list = []
        handler = type("Handler", (_Gzip,), {"log": self.log, "gif_only": gif_only})
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self):
        self.server.shutdown()


def _chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    return sync_playwright if Path("/usr/bin/chromium").exists() else None


ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def page_bytes(site: Path, page: str) -> tuple[int, int, list[tuple[str, int]]] | None:
    """(bytes on the wire on first load, requests, [(path, bytes)]) of a page in headless
    Chromium with an empty cache, served with gzip, until the network is idle."""
    playwright = _chromium()
    if playwright is None:
        return None
    served = _Served(site)
    try:
        with playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            tab.goto(served.base + page, wait_until="networkidle")
            browser.close()
    finally:
        served.close()
    return sum(n for _, n in served.log), len(served.log), list(served.log)


SCROLL_TO_THE_END = """async () => {
  for (let y = 0; y <= document.documentElement.scrollHeight; y += innerHeight / 2) {
    scrollTo(0, y);
    await new Promise((r) => setTimeout(r, 60));
  }
  scrollTo(0, document.documentElement.scrollHeight);
}"""
EVERY_SHOWN_IMAGE_LOADED = """() => [...document.images].filter(img => img.getClientRects().length)
  .every(img => img.complete)"""


def scrolled_bytes(site: Path, page: str, gif_only: bool = False) -> tuple[int, int, int] | None:
    """(bytes on the wire, requests, of which figure bytes) of a page in headless Chromium with
    an empty cache, served with gzip, scrolled to its end (every lazy figure on the way loaded,
    as a reader who reads to the end gets them) until the network is idle; ``gif_only``: the page
    as it was before the WebP."""
    playwright = _chromium()
    if playwright is None:
        return None
    served = _Served(site, gif_only)
    try:
        with playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            tab = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
            tab.goto(served.base + page, wait_until="networkidle")
            tab.evaluate(SCROLL_TO_THE_END)
            tab.wait_for_function(EVERY_SHOWN_IMAGE_LOADED, timeout=60000)
            tab.wait_for_load_state("networkidle")
            tab.wait_for_timeout(500)
            browser.close()
    finally:
        served.close()
    figures = sum(n for url, n in served.log if "/figures/" in url)
    return sum(n for _, n in served.log), len(served.log), figures


def gif2webp(data: bytes, tmp: Path) -> int | None:
    """Bytes of what libwebp's gif2webp -min_size (lossless; Debian's webp package) makes of a GIF
    (None without gif2webp): the yardstick of our WebP."""
    if shutil.which("gif2webp") is None:
        return None
    (tmp / "in.gif").write_bytes(data)
    subprocess.run(["gif2webp", "-min_size", "-quiet", str(tmp / "in.gif"), "-o", str(tmp / "out.webp")], check=True)
    return (tmp / "out.webp").stat().st_size


def webp_report(site: Path, tmp: Path, pages: bool = True) -> None:
    """Per language: the bytes of its animations as GIF and as WebP (the ratio, and beside what
    gif2webp -min_size makes of the same GIFs), its still figures as PNG and as what is served,
    and a chapter's bytes after scrolling to its end, before (GIF) and after (WebP)."""
    reference = {}
    for lang in ("en", "zh"):
        figures = site / lang / "figures"
        for variant in catalog.THEME_NAMES:
            gif = webp = ref = 0
            for entry in catalog.CATALOG:
                if entry.fmt != "gif":
                    continue
                data = (figures / entry.filename(variant)).read_bytes()
                gif += len(data)
                webp += (figures / entry.filename(variant, "webp")).stat().st_size
                if (entry.name, variant) not in reference:
                    reference[entry.name, variant] = gif2webp(data, tmp)
                ref = None if reference[entry.name, variant] is None or ref is None else ref + reference[entry.name, variant]
            line = (f"animations ({lang}, {variant}, {sum(e.fmt == 'gif' for e in catalog.CATALOG)}): GIF {gif:,}, "
                    f"WebP {webp:,} = {webp / gif:.3f} of the GIFs (target ≤ 0.45)")
            line += (f"; gif2webp -min_size {ref:,}, ours {webp / ref:.3f}× of it (target ≤ 1.05)" if ref
                     else "; gif2webp: not installed (apt-get install webp)")
            print(line)
            png = served = 0
            for entry in catalog.CATALOG:
                if entry.fmt == "png":
                    size = (figures / entry.filename(variant)).stat().st_size
                    alt = figures / entry.filename(variant, "webp")
                    png += size
                    served += alt.stat().st_size if alt.exists() else size
            print(f"still figures ({lang}, {variant}): PNG {png:,}, served (WebP where smaller) {served:,} "
                  f"= {served / png:.3f}")
    if not pages:
        return
    for lang in ("en", "zh"):
        for chapter in ("sliding-window", "transposed", "pooling", "receptive-field"):
            page = f"{lang}/{chapter}/"
            after, before = scrolled_bytes(site, page), scrolled_bytes(site, page, gif_only=True)
            if after is None:
                print("scrolled page: skipped (needs Playwright and /usr/bin/chromium)")
                return
            print(f"{page} scrolled to its end (phone, gzip, empty cache): {after[0]:,} bytes in {after[1]} requests "
                  f"(figures {after[2]:,}); with GIFs: {before[0]:,} in {before[1]} (figures {before[2]:,}); "
                  f"{after[0] / before[0] - 1:+.0%}, figures {after[2] / before[2] - 1:+.0%} (target: page ≤ −45%)")


LAYOUT_SHIFT = """() => new Promise((resolve) => { let total = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) total += e.value; })
    .observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 400); })"""


def layout_shifts(site: Path, pages: list[str]) -> dict[str, float] | None:
    """{page: cumulative layout shift} on first load (empty cache), on a phone's viewport."""
    playwright = _chromium()
    if playwright is None:
        return None
    served, shifts = _Served(site), {}
    try:
        with playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for page in pages:
                context = browser.new_context(viewport={"width": 390, "height": 844})
                tab = context.new_page()
                tab.goto(served.base + page, wait_until="networkidle")
                shifts[page] = tab.evaluate(LAYOUT_SHIFT)
                context.close()
            browser.close()
    finally:
        served.close()
    return shifts


def chapters() -> list[str]:
    nav = re.search(r"^nav:\n((?:  - .*\n)+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)
    pages = re.findall(r"  - (\S+)\.md", nav.group(1))
    return pages[: pages.index("cheat-sheet") + 1]


def baseline(tmp: Path) -> Path | None:
    """A checkout of BASELINE in a temporary worktree (None outside a git clone that has it)."""
    tree = tmp / "baseline"
    r = subprocess.run(["git", "worktree", "add", "--detach", str(tree), BASELINE], cwd=ROOT, capture_output=True)
    return tree if r.returncode == 0 else None


def gifsicle(data: bytes, tmp: Path) -> int | None:
    """Bytes of what gifsicle -O3 makes of a GIF (None without gifsicle)."""
    if shutil.which("gifsicle") is None:
        return None
    (tmp / "in.gif").write_bytes(data)
    subprocess.run(["gifsicle", "-O3", str(tmp / "in.gif"), "-o", str(tmp / "out.gif")], check=True)
    return (tmp / "out.gif").stat().st_size


def index_bytes(site: Path, lang: str) -> tuple[int, int, dict]:
    """(bytes, gzip bytes, {part: bytes}) of a language's search index."""
    raw = (site / lang / "search" / "search_index.json").read_bytes()
    docs = json.loads(raw)["docs"]
    text = "".join(d["text"] for d in docs)
    parts = {
        "text": len(text.encode()),
        "of which code": sum(len(c.encode()) for c in re.findall(r"<pre>.*?</pre>|<code>.*?</code>", text, re.S)),
        "of which HTML tags": sum(len(t.encode()) for t in re.findall(r"<[^>]+>", text)),
        "of which word breaks (U+200B)": text.count("\u200b") * 3,
        "titles and locations": sum(len((d["title"] + d["location"]).encode()) for d in docs),
    }
    return len(raw), len(gzip.compress(raw, mtime=0)), parts


def largest(tmp: Path) -> tuple[float, float, int]:
    """(seconds, peak resident MB, frames) of the largest configuration the CLI accepts: a
    32×32 input and a 1×1 kernel, 1,024 steps of the largest frame, as a GIF. The peak is the
    render's own, measured by a parent process that has no other child."""
    from figures.config import MAX_GRID

    out = tmp / "largest.gif"
    parent = ("import resource, subprocess, sys, time; start = time.perf_counter(); "
              "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
              "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    r = subprocess.run([sys.executable, "-c", parent, sys.executable, "-m", "figures", "render", "conv", "--input",
                        str(MAX_GRID), "--kernel", "1", "-o", str(out)], cwd=ROOT, check=True, capture_output=True,
                       text=True, env={**os.environ, "FIGURES_CACHE": str(tmp / "largest-cache")})
    seconds, peak_kb = r.stdout.split()
    with Image.open(out) as im:
        frames = im.n_frames
    return float(seconds), int(peak_kb) / 1024, frames


def verify_cost(cache_dir: Path) -> tuple[float, int, int]:
    """(seconds, entries, bytes) to verify every entry of a full cache against its checksum,
    as each warm build does (twice in a site build: once per language)."""
    from figures import build as figure_build

    os.environ["FIGURES_CACHE"] = str(cache_dir)
    start = time.perf_counter()
    cached = figure_build.ensure()
    seconds = time.perf_counter() - start
    return seconds, len(cached), sum(len(v) for v in cached.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--webp", type=Path, metavar="SITE",
                        help="only the WebP figures: bytes per language and a scrolled chapter's, of the built SITE")
    args = parser.parse_args()
    if args.webp:
        with tempfile.TemporaryDirectory() as tmp_name:
            webp_report(args.webp, Path(tmp_name))
        return
    cores = os.cpu_count() or 1
    names = [e.name for e in catalog.CATALOG]
    half = names[::2]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        old = None if args.quick else baseline(tmp)
        try:
            measure(tmp, cores, names, half, args.quick, old)
        finally:
            if old is not None:
                subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, capture_output=True)


def measure(tmp: Path, cores: int, names: list, half: list, quick: bool, old: Path | None) -> None:
    print(f"machine: {cores} cores; catalog: {len(names)} figures × {len(catalog.THEME_NAMES)} themes, "
          f"{frames_of(names)} frames")
    if not quick:
        print(f"cold catalog build, 1 process:        {cold_build(tmp, 1):6.1f} s")
    if old is not None:  # alternating, so that both see the same machine
        ours, theirs = [], []
        for _ in range(2):
            ours.append(cold_build(tmp, cores))
            theirs.append(cold_build(tmp, cores, tree=old))
        full = min(ours)
        print(f"cold catalog build, {cores} processes:      {full:6.1f} s; {BASELINE}: {min(theirs):.1f} s "
              f"({full / min(theirs) - 1:+.0%}; the faster of 2 runs each, alternating)")
        # the catalog has grown since: the same figures (theirs) built by both, like for like
        same = catalog_names(old)
        ours, theirs = [], []
        for _ in range(2):
            ours.append(cold_build(tmp, cores, same))
            theirs.append(cold_build(tmp, cores, same, tree=old))
        print(f"cold build of {BASELINE}'s catalog ({len(same)} figures, {frames_of(same)} frames here), {cores} processes: "
              f"{min(ours):6.1f} s; {BASELINE}: {min(theirs):.1f} s ({min(ours) / min(theirs) - 1:+.0%}; the faster of "
              f"2 runs each, alternating)")
    else:
        full = cold_build(tmp, cores)
        print(f"cold catalog build, {cores} processes:      {full:6.1f} s")
    part = cold_build(tmp, cores, half)
    print(f"cold build of half the catalog ({len(half)} figures, {frames_of(half)} frames), {cores} processes: "
          f"{part:6.1f} s  (full: {frames_of(names)} frames, {full:.1f} s)")

    site = tmp / "site"
    env = {"FIGURES_CACHE": str(tmp / "site-cache")}
    build = [sys.executable, "scripts/build_site.py", "--site-dir", str(site)]
    timed(build, env)  # warm the cache (and what a site build keeps for the next, scripts/kept.py)
    warm = [timed(build, env) for _ in range(5)]
    print(f"warm full site build (both languages): {statistics.median(warm):6.2f} s (median of 5; "
          f"{min(warm):.2f} to {max(warm):.2f} s)")
    costs = [verify_cost(tmp / "site-cache") for _ in range(5)]
    seconds, entries, size = sorted(costs)[2]
    print(f"verify the cache (SHA-256 of {entries} entries, {size:,} bytes): {seconds * 1000:.0f} ms "
          f"(median of 5; a site build does it once for the figures and once per language)")

    seconds, peak, frames = largest(tmp)
    print(f"largest accepted configuration (render conv --input 32 --kernel 1 -o big.gif, {frames} GIF images): "
          f"{seconds:.1f} s, peak {peak:,.0f} MB resident")

    times = draw_times()
    print(f"draw one frame of the classics: median {statistics.median(times) * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms over {len(times)} frames")

    print("bytes of every figure (light, dark) and its size in pixels:")
    figures = site / "en" / "figures"
    light_total = dark_total = classic_total = 0
    for entry in catalog.CATALOG:
        light = (figures / entry.filename("light")).stat().st_size
        dark = (figures / entry.filename("dark")).stat().st_size
        light_total += light
        dark_total += dark
        classic_total += light if entry in CLASSICS else 0
        with Image.open(figures / entry.filename("light")) as im:
            pixels = "{}×{}".format(*im.size)
        print(f"  {entry.name:42} {light:9,} {dark:9,}  {pixels}")
    print(f"  {'total':42} {light_total:9,} {dark_total:9,}")
    print(f"the {len(CLASSICS)} classics, light: {classic_total:,} bytes = "
          f"{classic_total / CLASSIC_GIF_BYTES:.1%} of conv_arithmetic's {CLASSIC_GIF_BYTES:,} "
          f"(target: ≤ 500,000 and ≤ 15%); cells of {theme.CELL_PX} px")

    if shutil.which("gifsicle"):
        print("our GIFs beside gifsicle -O3's re-encoding of them (lossless; target: ours ≤ 1.02 × gifsicle's):")
        ratios, ours_total, theirs_total = [], 0, 0
        for entry in catalog.CATALOG:
            if entry.fmt != "gif":
                continue
            for variant in catalog.THEME_NAMES:
                data = (figures / entry.filename(variant)).read_bytes()
                optimum = gifsicle(data, tmp)
                ratios.append((len(data) / optimum, f"{entry.name} ({variant})"))
                if entry in CLASSICS and variant == "light":
                    ours_total += len(data)
                    theirs_total += optimum
                    print(f"  {entry.name:42} {len(data):9,} {optimum:9,}  {len(data) / optimum:.3f}")
        print(f"  {'the 15 classics':42} {ours_total:9,} {theirs_total:9,}  {ours_total / theirs_total:.3f}")
        worst = max(ratios)
        print(f"  every GIF of the catalog ({len(ratios)}): largest ratio {worst[0]:.3f} ({worst[1]})")
    else:
        print("gifsicle comparison: skipped (apt-get install gifsicle)")

    webp_report(site, tmp, pages=not quick)

    for lang in ("en", "zh"):
        raw, packed, parts = index_bytes(site, lang)
        detail = ", ".join(f"{k} {v:,}" for k, v in parts.items())
        print(f"search index ({lang}): {raw:,} bytes, {packed:,} with gzip; {detail}")

    if quick:
        return
    old_site = None
    if old is not None:
        old_site = tmp / "old-site"
        timed([sys.executable, "scripts/build_site.py", "--site-dir", str(old_site)],
              {"FIGURES_CACHE": str(tmp / "old-cache")}, cwd=old)
    for lang in ("en", "zh"):
        page = f"{lang}/sliding-window/"
        result = page_bytes(site, page)
        if result is None:
            print("first load: skipped (needs Playwright and /usr/bin/chromium)")
            return
        total, count, sizes = result
        line = f"first load of {page} (gzip, empty cache): {total:,} bytes in {count} requests"
        if old_site is not None:
            was, was_count, _ = page_bytes(old_site, page)
            line += f"; {BASELINE}: {was:,} in {was_count} ({total / was - 1:+.0%})"
        print(line)
        for url, size in sorted(sizes, key=lambda s: -s[1]):
            print(f"    {size:9,}  {url}")
    pages = [f"{lang}/{'' if p == 'index' else p + '/'}" for lang in ("en", "zh") for p in chapters()]
    shifts = layout_shifts(site, pages)
    moved = {p: v for p, v in shifts.items() if v}
    print(f"cumulative layout shift on first load, phone viewport: {len(pages)} chapters, "
          f"{len(moved)} with any ({', '.join(f'{p} {v:.4f}' for p, v in moved.items()) or 'all 0'})")


if __name__ == "__main__":
    main()
