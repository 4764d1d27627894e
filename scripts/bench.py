"""Benchmark the figure build and the site, and print the figures (not a test).

    python scripts/bench.py            # everything (a few minutes on 2 cores)
    python scripts/bench.py --quick    # skip the serial cold build and the browser

Prints: cold catalog builds (empty cache) with 1 process and with every core, and for half the
catalog (how the time grows with the catalog); a warm build of the whole site (both
languages, cache full); the median time to draw one frame; the bytes of every figure; and the
bytes a chapter page transfers on first load in headless Chromium (if /usr/bin/chromium and
Playwright are installed).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
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



def timed(cmd: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, env={**os.environ, **(env or {})})
    return time.perf_counter() - start


def frames_of(names) -> int:
    scenes = [render.scene_for(catalog.get(n).config()) for n in names]
    return sum(len(getattr(sc, "frames", [None])) for sc in scenes) * len(catalog.THEME_NAMES)


# the 15 animations of vdumoulin/conv_arithmetic (the catalog's other convolutions do not count)
CLASSICS = catalog.classics()
CLASSIC_GIF_BYTES = catalog.CONV_ARITHMETIC_BYTES
assert len(CLASSICS) == 15


def cold_build(tmp: Path, jobs: int, names=None) -> float:
    cache = Path(tempfile.mkdtemp(dir=tmp))
    cmd = [sys.executable, "-m", "figures", "build", "--out", str(cache / "out"), "--jobs", str(jobs)]
    if names:
        cmd += ["--only", *names]
    return timed(cmd, {"FIGURES_CACHE": str(cache / "cache")})


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


def page_bytes(site: Path, page: str) -> tuple[int, int, list[tuple[str, int]]] | None:
    """(bytes on first load, requests, [(url, bytes)]) of a page in headless Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path("/usr/bin/chromium").exists():
        return None
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{page}"
    sizes = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            tab = browser.new_page(viewport={"width": 1280, "height": 900})

            def record(response):
                try:
                    sizes.append((response.url, len(response.body())))
                except Exception:  # redirects and aborted requests have no body
                    pass

            tab.on("response", record)
            tab.goto(url, wait_until="networkidle")
            browser.close()
    finally:
        server.shutdown()
    return sum(s for _, s in sizes), len(sizes), sizes


def largest(tmp: Path) -> tuple[float, float, int]:
    """(seconds, peak resident MB, frames) of the largest configuration the CLI accepts: a
    32×32 input and a 1×1 kernel, 1,024 steps of the largest frame, as a GIF."""
    import resource

    from figures.config import MAX_GRID

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = tmp / "largest.gif"
    seconds = timed([sys.executable, "-m", "figures", "render", "conv", "--input", str(MAX_GRID), "--kernel", "1",
                     "-o", str(out)], {"FIGURES_CACHE": str(tmp / "largest-cache")})
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KB, the largest child so far
    with Image.open(out) as im:
        frames = im.n_frames
    return seconds, peak / 1024 if peak > before else float("nan"), frames


def verify_cost(cache_dir: Path) -> tuple[float, int, int]:
    """(seconds, entries, bytes) to verify every entry of a full cache against its checksum,
    as each warm build does (twice in a site build: once per language)."""
    from figures import build as figure_build

    os.environ["FIGURES_CACHE"] = str(cache_dir)
    start = time.perf_counter()
    cached = figure_build.ensure()
    seconds = time.perf_counter() - start
    return seconds, len(cached), sum(len(v) for v in cached.values())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    names = [e.name for e in catalog.CATALOG]
    half = names[::2]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        print(f"machine: {cores} cores; catalog: {len(names)} figures × {len(catalog.THEME_NAMES)} themes, "
              f"{frames_of(names)} frames")
        if not args.quick:
            print(f"cold catalog build, 1 process:        {cold_build(tmp, 1):6.1f} s")
        full = cold_build(tmp, cores)
        print(f"cold catalog build, {cores} processes:      {full:6.1f} s")
        part = cold_build(tmp, cores, half)
        print(f"cold build of half the catalog ({len(half)} figures, {frames_of(half)} frames), {cores} processes: "
              f"{part:6.1f} s  (full: {frames_of(names)} frames, {full:.1f} s)")

        site = tmp / "site"
        env = {"FIGURES_CACHE": str(tmp / "site-cache")}
        build = [sys.executable, "scripts/build_site.py", "--site-dir", str(site)]
        timed(build, env)  # warm the cache
        warm = [timed(build, env) for _ in range(3)]
        print(f"warm full site build (both languages): {statistics.median(warm):6.1f} s (median of 3)")
        costs = [verify_cost(tmp / "site-cache") for _ in range(5)]
        seconds, entries, size = sorted(costs)[2]
        print(f"verify the cache (SHA-256 of {entries} entries, {size:,} bytes): {seconds * 1000:.0f} ms "
              f"(median of 5; a site build does it once for the figures and once per language)")

        seconds, peak, frames = largest(tmp)
        print(f"largest accepted configuration (render conv --input 32 --kernel 1 -o big.gif, {frames} frames): "
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
              f"{classic_total / CLASSIC_GIF_BYTES:.0%} of conv_arithmetic's {CLASSIC_GIF_BYTES:,} "
              f"(target: a fifth, ≤ {CLASSIC_GIF_BYTES // 5:,}); "
              f"cells of {theme.CELL_PX} px")

        if not args.quick:
            for page in ("en/sliding-window/", "zh/sliding-window/"):
                result = page_bytes(site, page)
                if result is None:
                    print("first load: skipped (needs Playwright and /usr/bin/chromium)")
                    break
                total, count, sizes = result
                print(f"first load of {page}: {total:,} bytes in {count} requests")
                for url, size in sorted(sizes, key=lambda s: -s[1])[:6]:
                    print(f"    {size:9,}  {url.split('/', 3)[-1]}")


if __name__ == "__main__":
    main()
