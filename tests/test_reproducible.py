"""Two builds from scratch (empty caches, one serial and one parallel: the site's own build where its
cache was empty) produce byte-identical figures, and a second build reuses the cache instead of
rendering again."""

import hashlib
import os

from conftest import FIGURE_CACHE_BEFORE, figure_cache
from figures import cache, catalog
from helpers import run_cli


def digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def cache_names():
    """The name of every cache entry the catalog's figures are published from (figures/build.py _cached)."""
    return {cache.key(e.config(), theme, fmt, frame=e.frame if fmt == e.fmt else None) + f".{fmt}"
            for e in catalog.CATALOG for theme in catalog.THEME_NAMES for fmt in e.outputs()}


def test_two_cold_builds_are_byte_identical(site, tmp_path):
    """A serial build into an empty cache gives the same bytes, every output of every figure, as
    the figure cache the site was built from. In CI (a fresh clone) that cache was empty before the
    `site` fixture's build, which rendered every figure in parallel (scripts/build_site.py: one process
    per core): two cold builds, one parallel, one serial. Where the cache was warm before (a
    developer's machine), a cold parallel build into another empty cache is compared as well."""
    serial = tmp_path / "figures-1"
    r = run_cli("build", "--out", str(serial), "--jobs", "1", env={"FIGURES_CACHE": str(tmp_path / "cache-1")})
    assert r.returncode == 0, r.stderr
    outs = [digests(serial)]
    names = cache_names()
    rendered_by_site = (not names & FIGURE_CACHE_BEFORE and names <= set(os.listdir(figure_cache()))
                        and (os.cpu_count() or 1) > 1)
    # what the site's cache holds for this code (read back through the cache's verification)
    published = tmp_path / "figures-site"
    r = run_cli("build", "--out", str(published), "--jobs", "2", env={"FIGURES_CACHE": str(figure_cache())})
    assert r.returncode == 0, r.stderr
    outs.append(digests(published))
    if not rendered_by_site:
        parallel = tmp_path / "figures-2"
        r = run_cli("build", "--out", str(parallel), "--jobs", "2", env={"FIGURES_CACHE": str(tmp_path / "cache-2")})
        assert r.returncode == 0, r.stderr
        outs.append(digests(parallel))
    # every output of every figure, but the print strips of animations whose steps do not fit on a page
    strips = sum(name.endswith(".print.png") for name in outs[0])
    webps = sum(name.endswith(".webp") for name in outs[0])  # every figure's, both themes (a still's where smaller)
    assert webps == 2 * len(catalog.CATALOG)
    assert len(outs[0]) == sum(2 * len([f for f in e.outputs() if f != "strip"]) for e in catalog.CATALOG) + strips + webps
    assert strips >= 10
    assert all(out == outs[0] for out in outs[1:])


def test_warm_build_renders_nothing(tmp_path):
    env = {"FIGURES_CACHE": str(tmp_path / "cache")}
    run_cli("build", "--out", str(tmp_path / "a"), "--only", "dilation", env=env)
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()}
    r = run_cli("build", "--out", str(tmp_path / "b"), "--only", "dilation", env=env)
    assert r.returncode == 0
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()} == before
    assert digests(tmp_path / "a") == digests(tmp_path / "b")
