"""Two builds from scratch (separate empty caches, one serial and one parallel) produce
byte-identical figures, and a second build reuses the cache instead of rendering again."""

import hashlib

from figures import catalog
from helpers import run_cli


def digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_two_cold_builds_are_byte_identical(tmp_path):
    outs = []
    for jobs in ("2", "1"):
        out = tmp_path / f"figures-{jobs}"
        r = run_cli("build", "--out", str(out), "--jobs", jobs, env={"FIGURES_CACHE": str(tmp_path / f"cache-{jobs}")})
        assert r.returncode == 0, r.stderr
        outs.append(digests(out))
    # every output of every figure, but the print strips of animations whose steps do not fit on a page
    strips = sum(name.endswith(".print.png") for name in outs[0])
    assert len(outs[0]) == sum(2 * len([f for f in e.outputs() if f != "strip"]) for e in catalog.CATALOG) + strips
    assert strips >= 10
    assert outs[0] == outs[1]


def test_warm_build_renders_nothing(tmp_path):
    env = {"FIGURES_CACHE": str(tmp_path / "cache")}
    run_cli("build", "--out", str(tmp_path / "a"), "--only", "dilation", env=env)
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()}
    r = run_cli("build", "--out", str(tmp_path / "b"), "--only", "dilation", env=env)
    assert r.returncode == 0
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").iterdir()} == before
    assert digests(tmp_path / "a") == digests(tmp_path / "b")
