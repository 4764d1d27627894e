"""Build the whole site: figures once, then both languages, then the root page.

    python scripts/build_site.py            # → site/ (site/en/, site/zh/, site/index.html)
    python scripts/build_site.py --serve    # build, then serve site/ on http://127.0.0.1:8000/
    python scripts/build_site.py --offline  # → site-offline.zip, browsable from the file system

The figures are rendered first, in parallel, into the cache; the two MkDocs builds (which run
side by side) then only copy them.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = {"en": "mkdocs.yml", "zh": "mkdocs.zh.yml"}
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def mkdocs(config: str, site_dir: Path, offline: bool = False) -> subprocess.CompletedProcess:
    lang_dir = site_dir / ("zh" if "zh" in config else "en")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-q", "-f", config,
           "--site-dir", str(lang_dir)]
    env = {**os.environ, **QUIET, "OFFLINE": "true" if offline else "false"}
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)


def build(site_dir: Path, offline: bool = False) -> dict:
    """Build into ``site_dir``; return the seconds each stage took."""
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    from figures import build as figure_build

    times = {}
    start = time.perf_counter()
    figure_build.ensure(jobs=os.cpu_count() or 1, progress=sys.stderr.isatty())
    times["figures"] = time.perf_counter() - start
    if site_dir.exists():
        shutil.rmtree(site_dir)
    start = time.perf_counter()
    with ThreadPoolExecutor(len(CONFIGS)) as pool:
        results = dict(zip(CONFIGS, pool.map(lambda c: mkdocs(c, site_dir, offline), CONFIGS.values())))
    times["mkdocs"] = time.perf_counter() - start
    for lang, result in results.items():
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit(f"build_site: the {lang} build failed (see above)")
    for item in (ROOT / "docs" / "root").iterdir():
        shutil.copy2(item, site_dir / item.name)
    return times


def offline_zip(target: Path) -> None:
    """Build both languages for the file system (Material's offline plugin) and zip them."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "convolution-visualized"
        build(site, offline=True)
        partial = target.with_name(target.name + ".part")
        shutil.make_archive(str(partial), "zip", root_dir=tmp, base_dir=site.name)
        os.replace(str(partial) + ".zip", target)
    print(f"offline copy: {target} ({target.stat().st_size:,} bytes); unzip it and open index.html")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    parser.add_argument("--serve", action="store_true", help="serve the built site on localhost")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--offline", action="store_true",
                        help="build a copy browsable from the file system and zip it (ZIP: site-offline.zip)")
    parser.add_argument("--zip", type=Path, default=ROOT / "site-offline.zip", help="where --offline writes")
    args = parser.parse_args()
    if args.offline:
        offline_zip(args.zip.resolve())
        return
    times = build(args.site_dir.resolve())
    print(f"site built in {args.site_dir}: figures {times['figures']:.1f} s, "
          f"both languages {times['mkdocs']:.1f} s")
    if args.serve:
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(args.site_dir))
        with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
            print(f"serving on http://127.0.0.1:{args.port}/ (Ctrl+C to stop)")
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass


if __name__ == "__main__":
    main()
