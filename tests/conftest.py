"""Fixtures shared by the tests of the built site (test_site.py, test_browser.py)."""

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS_BEFORE: dict = {}
FIGURE_CACHE_BEFORE: set = set()  # the names in the figure cache before the site fixture built (test_reproducible.py)


def figure_cache() -> Path:
    """The figure cache the site's build uses (figures/cache.py directory(), from the repository)."""
    folder = Path(os.environ.get("FIGURES_CACHE") or ".cache/figures")
    return folder if folder.is_absolute() else ROOT / folder


def docs_snapshot():
    return {p: p.stat().st_mtime_ns for p in (ROOT / "docs").rglob("*")}


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The whole site, built once by the README's build script."""
    out = tmp_path_factory.mktemp("site")
    DOCS_BEFORE.update(docs_snapshot())
    FIGURE_CACHE_BEFORE.update(os.listdir(figure_cache()) if figure_cache().is_dir() else ())
    r = subprocess.run([sys.executable, "scripts/build_site.py", "--site-dir", str(out)], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served(site):
    """The built site on a loopback server: its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def offline_copy(tmp_path_factory):
    """The offline copy (``build_site.py --offline``), unzipped: its root folder."""
    import zipfile

    where = tmp_path_factory.mktemp("offline")
    target = where / "offline.zip"
    r = subprocess.run([sys.executable, "scripts/build_site.py", "--offline", "--zip", str(target)], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    with zipfile.ZipFile(target) as z:
        z.extractall(where)
    return where / "convolution-visualized"
