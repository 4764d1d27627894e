"""Build the whole site: figures once, then both languages, then the root page.

    python scripts/build_site.py            # → site/ (site/en/, site/zh/, site/index.html)
    python scripts/build_site.py --serve    # build, then serve site/ on http://127.0.0.1:8000/
    python scripts/build_site.py --offline  # → site-offline.zip, browsable from the file system

The figures are rendered first, in parallel, into the cache; the two MkDocs builds (which run
side by side) then only copy them. Both are always strict: a link to a missing page, figure or
anchor fails the build, whatever the verbosity.

The site folder is replaced only if a build made it: it must be absent, empty, or hold the
marker file an earlier build wrote (MARKER). Anything else (``--site-dir docs``, ``--site-dir .``)
is refused with one line and exit status 2, and nothing is touched.

A build is made beside the site folder (``.NAME.new-PID``) and swapped in only once both languages
and the root page are complete, with Ctrl-C and SIGTERM held off during the two renames: a build
that fails, is interrupted or is killed leaves the previous site as it was (what a killed build
leaves beside it is removed by the next build).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = {"en": "mkdocs.yml", "zh": "mkdocs.zh.yml"}
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
MARKER = ".convolution-visualized-site"  # written into every site folder a build makes


class Refused(Exception):
    """The build will not go on: one line, exit status 2, nothing touched."""


def check_site_dir(site_dir: Path) -> None:
    """Refuse a site folder that a build did not make (it would be deleted)."""
    if site_dir.is_symlink() or (site_dir.exists() and not site_dir.is_dir()):
        raise Refused(f"--site-dir {site_dir}: is not a folder; give a folder a build may replace")
    real = site_dir.resolve()
    if real == ROOT or real in ROOT.parents or ROOT / "docs" in (real, *real.parents):
        raise Refused(f"--site-dir {site_dir}: holds the sources (or is inside docs/); a build would delete them")
    if not site_dir.exists() or (site_dir / MARKER).is_file() or not any(site_dir.iterdir()):
        return
    raise Refused(f"--site-dir {site_dir}: is not empty and was not made by a build (it has no {MARKER}); "
                  f"refusing to delete it: give an empty or new folder")


CHILDREN: list[subprocess.Popen] = []  # the MkDocs builds running now (ended with this process)


def mkdocs(config: str, site_dir: Path, offline: bool = False) -> subprocess.CompletedProcess:
    """One language's build, strict (never -q: MkDocs' --strict counts only warnings it prints)."""
    lang_dir = site_dir / ("zh" if "zh" in config else "en")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", config,
           "--site-dir", str(lang_dir)]
    env = {**os.environ, **QUIET, "OFFLINE": "true" if offline else "false"}
    env.setdefault("SOURCE_DATE_EPOCH", source_date_epoch())
    with subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as child:
        CHILDREN.append(child)
        try:
            out, err = child.communicate()
        finally:
            CHILDREN.remove(child)
    return subprocess.CompletedProcess(cmd, child.returncode, out, err)


def end_children() -> None:
    for child in list(CHILDREN):
        if child.poll() is None:
            child.kill()


def on_sigterm(signum, frame) -> None:
    """SIGTERM ends the build as Ctrl-C does: the MkDocs builds end, the half-made site is removed."""
    end_children()
    raise KeyboardInterrupt


def leftovers(site_dir: Path) -> list[Path]:
    """What earlier builds that were killed left beside the site folder (only folders they marked)."""
    if not site_dir.parent.is_dir():
        return []
    return [p for p in site_dir.parent.glob(f".{site_dir.name}.*-*")
            if p.is_dir() and not p.is_symlink() and (p / MARKER).is_file()]


def swap_in(new: Path, site_dir: Path) -> None:
    """Put the finished build ``new`` where ``site_dir`` is, the previous site out of the way and
    then removed; no signal can stop it between the two renames."""
    old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
    held = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        if site_dir.exists():
            os.rename(site_dir, old)
        os.rename(new, site_dir)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
    if old.exists():
        shutil.rmtree(old)


def source_date_epoch() -> str:
    """The time of the checked-out commit (MkDocs stamps sitemap.xml.gz with it), so two builds
    of one commit are byte-identical whatever the day; the epoch outside a git checkout."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
        return out.stdout.strip() if out.returncode == 0 and out.stdout.strip().isdigit() else "0"
    except OSError:
        return "0"


def build(site_dir: Path, offline: bool = False) -> dict:
    """Build into ``site_dir``; return the seconds each stage took."""
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    check_site_dir(site_dir)
    from figures import build as figure_build

    times = {}
    start = time.perf_counter()
    figure_build.ensure(jobs=os.cpu_count() or 1, progress=sys.stderr.isatty())
    times["figures"] = time.perf_counter() - start
    check_site_dir(site_dir)  # again: it may have changed while the figures were rendered
    for stale in leftovers(site_dir):
        shutil.rmtree(stale, ignore_errors=True)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    new = site_dir.with_name(f".{site_dir.name}.new-{os.getpid()}")
    new.mkdir()
    try:
        (new / MARKER).write_text("made by scripts/build_site.py: the next build replaces this folder\n")
        start = time.perf_counter()
        with ThreadPoolExecutor(len(CONFIGS)) as pool:
            results = dict(zip(CONFIGS, pool.map(lambda c: mkdocs(c, new, offline), CONFIGS.values())))
        times["mkdocs"] = time.perf_counter() - start
        for lang, result in results.items():
            if result.returncode != 0:
                sys.stderr.write(result.stdout + result.stderr)
                raise SystemExit(f"build_site: the {lang} build failed (see above)")
        for item in (ROOT / "docs" / "root").iterdir():
            if item.name == "404.html":  # served for any wrong address: its links need the site's path
                text = item.read_text(encoding="utf-8").replace("__BASE__", site_base(offline))
                (new / item.name).write_text(text, encoding="utf-8")
            else:
                shutil.copy2(item, new / item.name)
        start = time.perf_counter()
        protect(new, offline)
        times["policy"] = time.perf_counter() - start
        check_site_dir(site_dir)  # and once more: nothing of the reader's is ever replaced
        swap_in(new, site_dir)
    finally:
        end_children()
        if new.exists():
            shutil.rmtree(new, ignore_errors=True)
    return times


def protect(site: Path, offline: bool) -> None:
    """Every page gets its Content-Security-Policy (scripts/csp.py), computed from the page as written."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import csp

    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        page.write_text(csp.add_policy(html, offline), encoding="utf-8")


def site_base(offline: bool = False) -> str:
    """The path of the site's root on its host ("/" locally, "/REPO/" on GitHub Pages), from the
    English site address the Pages workflow sets (SITE_URL_EN, ending in /en/)."""
    if offline:
        return "./"
    url = os.environ.get("SITE_URL_EN") or "http://127.0.0.1:8000/en/"
    path = urlsplit(url).path.rstrip("/")
    return (path[: -len("/en")] if path.endswith("/en") else path) + "/"


def offline_zip(target: Path) -> None:
    """Build both languages for the file system (Material's offline plugin) and zip them."""
    if target.is_dir():
        raise Refused(f"--zip {target}: is a folder; give the zip file's name (say {target / 'site-offline.zip'})")
    if not target.parent.is_dir():
        raise Refused(f"--zip {target}: its folder {target.parent} does not exist")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "convolution-visualized"
        build(site, offline=True)
        partial = target.with_name(f".{target.name}.part-{os.getpid()}")
        try:
            shutil.make_archive(str(partial), "zip", root_dir=tmp, base_dir=site.name)
            os.replace(str(partial) + ".zip", target)
        finally:
            Path(str(partial) + ".zip").unlink(missing_ok=True)
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
    times = build(Path(os.path.abspath(args.site_dir)))
    print(f"site built in {args.site_dir}: figures {times['figures']:.1f} s, "
          f"both languages {times['mkdocs']:.1f} s")
    if args.serve:
        handler = functools.partial(CanonicalHandler, directory=str(args.site_dir))
        with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
            print(f"serving on http://127.0.0.1:{args.port}/ (Ctrl+C to stop)")
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass


class CanonicalHandler(http.server.SimpleHTTPRequestHandler):
    """``--serve``'s server: an address with empty path segments (/en///explore/) is sent to its
    one canonical address, where the page's relative links work, instead of being answered as is."""

    def do_GET(self):
        path, sep, rest = self.path.partition("?")
        if "//" in path:
            self.send_response(301)
            self.send_header("Location", "/" + "/".join(s for s in path.split("/") if s) +
                             ("/" if path.endswith("/") else "") + sep + rest)
            self.end_headers()
            return
        super().do_GET()


def run() -> int:
    """main(), with every failure as one line: a refusal (2), the system (1), Ctrl-C or SIGTERM (130)."""
    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        main()
    except Refused as err:
        print(f"build_site: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        where = err.filename if err.filename is not None else "a file"
        print(f"build_site: error: {where}: {err.strerror or err}", file=sys.stderr)
        return 1
    except (RuntimeError, ValueError, MemoryError) as err:  # a worker killed; a figure the engine refused
        print(f"build_site: error: {err or 'out of memory'}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("build_site: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(run())
