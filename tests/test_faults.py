"""Nothing lost, nothing corrupt: the CLI, the cache and the build under faults.

Each test reproduces one fault of the issue "Nothing lost, nothing corrupt": a corrupt cache
entry of every kind, a swapped pair, a directory where an entry should be, read-only places, a
full disk, a killed build, Ctrl-C, a kill during the copy, a site folder that a build did not
make, the largest configuration under a 1 GB address-space limit. Failures of the system get
one line that names the path, a non-zero exit status, no traceback, and no half-written file.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from figures import build, cache, catalog, cli, encode
from figures.config import MAX_GRID, Config
from helpers import QUIET, ROOT, run_cli

SMALL = ["render", "conv", "--input", "4", "--kernel", "3"]  # 5 frames, a fraction of a second


def one_line(r: subprocess.CompletedProcess, code: int, *named: str) -> str:
    """The failure is exactly one line on stderr, naming each of ``named``, and exit ``code``."""
    assert r.returncode == code, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    for text in named:
        assert text in lines[0], (text, lines[0])
    return lines[0]


def temporary_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp")) if folder.is_dir() else []


# --------------------------------------------------------------------------- places to write into

def _mount(where: Path, *options: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(where)],
                       capture_output=True)
    return r.returncode == 0


@pytest.fixture
def read_only(tmp_path):
    """A folder nobody may write into: a read-only tmpfs as root (root ignores permission
    bits), a folder without write permission otherwise."""
    folder = tmp_path / "read-only"
    if os.geteuid() == 0:
        if not _mount(folder, "ro", "size=1m"):
            pytest.skip("cannot mount a read-only tmpfs here")
        yield folder
        subprocess.run(["umount", str(folder)])
    else:
        folder.mkdir()
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)


@pytest.fixture
def full_disk(tmp_path):
    """A folder on a file system with 16 KB of space (a tmpfs), to fill."""
    folder = tmp_path / "full"
    if os.geteuid() != 0 or not _mount(folder, "size=16k"):
        pytest.skip("a small tmpfs needs root")
    yield folder
    subprocess.run(["umount", str(folder)])


# --------------------------------------------------------------------------- 1. the site folder

def build_site_module():
    """scripts/build_site.py as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_site", ROOT / "scripts" / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nothing_kept(tmp_path: Path) -> str:
    """A FIGURES_CACHE with the figures cached as usual and nothing kept beside it (scripts/kept.py
    keeps a build's work in the folder that holds the figure cache)."""
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "figures").symlink_to(cache.directory().resolve(), target_is_directory=True)
    return str(tmp_path / "cache" / "figures")


def run_build_site(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/build_site.py", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **QUIET, **(env or {})})


@pytest.mark.parametrize("where", ["docs", ".", "docs/en/new-site"])
def test_build_site_refuses_the_sources_and_touches_nothing(where):
    before = sorted(p.relative_to(ROOT) for p in (ROOT / "docs").rglob("*"))
    r = run_build_site("--site-dir", where)
    one_line(r, 2, "--site-dir", "sources")
    assert sorted(p.relative_to(ROOT) for p in (ROOT / "docs").rglob("*")) == before
    assert (ROOT / ".git").is_dir() and (ROOT / "README.md").is_file()
    assert not (ROOT / "docs/en/new-site").exists()


def test_build_site_refuses_a_folder_with_files_of_its_own(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("two years of work")
    r = run_build_site("--site-dir", str(mine))
    one_line(r, 2, str(mine), "not made by a build")
    assert (mine / "thesis.tex").read_text() == "two years of work"
    assert sorted(mine.iterdir()) == [mine / "thesis.tex"]
    file = tmp_path / "a-file"
    file.write_text("x")
    one_line(run_build_site("--site-dir", str(file)), 2, str(file), "not a folder")
    assert file.read_text() == "x"


def test_build_site_replaces_only_a_folder_it_made_and_builds_the_same_bytes(tmp_path):
    """An empty folder is built into; the marked folder is replaced by the next build; the
    two builds are byte-identical (the sitemap's dates come from SOURCE_DATE_EPOCH, not today).
    The first build finds nothing kept from an earlier one (scripts/kept.py: pages' HTML,
    formulas, search entries, highlighted code, notebooks), the second finds all of it: the same
    bytes."""
    site = tmp_path / "site"
    site.mkdir()
    env = {"SOURCE_DATE_EPOCH": "946684800", "FIGURES_CACHE": nothing_kept(tmp_path)}  # 2000-01-01
    assert run_build_site("--site-dir", str(site), env=env).returncode == 0
    kept = sorted(p.name.rsplit("-", 1)[0] for p in (tmp_path / "cache" / "kept").iterdir())
    assert kept == [f"{kind}-{lang}" for kind in ("highlight", "katex", "notebooks", "render", "search")
                    for lang in ("en", "zh")]
    marker = site / ".convolution-visualized-site"
    assert marker.is_file()
    (site / "en" / "stale.html").write_text("from an old build")
    first = {p.relative_to(site): hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()}
    assert run_build_site("--site-dir", str(site), env=env).returncode == 0
    second = {p.relative_to(site): hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()}
    del first[Path("en/stale.html")]
    assert first == second
    sitemap = (site / "en" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2000-01-01</lastmod>" in sitemap
    with gzip.open(site / "en" / "sitemap.xml.gz") as gz:
        gz.read()
    assert int.from_bytes((site / "en" / "sitemap.xml.gz").read_bytes()[4:8], "little") == 946684800


def site_files(site: Path) -> dict:
    return {p.relative_to(site): hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()}


def test_an_interrupted_site_build_leaves_the_previous_site(tmp_path):
    """Ctrl-C (to the whole group, as a terminal sends it) or SIGTERM (to the build alone) at
    moments spread over a whole build, and a SIGKILL: the previous site is intact, file for file;
    Ctrl-C and SIGTERM leave nothing beside it, exit 130 with one line; what a SIGKILL leaves is
    removed by the next build. ``--offline --zip`` onto a folder is refused with one line."""
    site = tmp_path / "site"
    env = {**os.environ, **QUIET}
    assert run_build_site("--site-dir", str(site)).returncode == 0
    start = time.monotonic()  # the time of a build that finds the last one's work kept, as those below do
    assert run_build_site("--site-dir", str(site)).returncode == 0
    whole = time.monotonic() - start
    before = site_files(site)
    assert len(before) > 500
    for fraction, sig in ((0.15, signal.SIGINT), (0.5, signal.SIGTERM), (0.8, signal.SIGINT), (0.95, signal.SIGTERM)):
        process = subprocess.Popen([sys.executable, "scripts/build_site.py", "--site-dir", str(site)], cwd=ROOT,
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        time.sleep(fraction * whole)
        if sig == signal.SIGINT:
            os.killpg(process.pid, sig)
        else:
            process.send_signal(sig)
        out, err = process.communicate(timeout=120)
        # 0: it had finished; 130: it stopped; killed by the signal itself: it was just starting or ending
        assert process.returncode in (0, 130, -sig), (fraction, sig, err)
        if process.returncode == 130:
            assert "Traceback" not in err and err.strip().splitlines() == ["build_site: interrupted"], err
        assert site_files(site) == before, (fraction, sig)  # the old site, or the same bytes built again
        assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], (fraction, sig)
    process = subprocess.Popen([sys.executable, "scripts/build_site.py", "--site-dir", str(site)], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    time.sleep(0.6 * whole)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert site_files(site) == before
    assert run_build_site("--site-dir", str(site)).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # the killed build's leftovers removed
    one_line(run_build_site("--offline", "--zip", str(tmp_path)), 2, str(tmp_path), "is a folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_build_date_is_the_commits():
    module = build_site_module()
    git = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    assert module.source_date_epoch() == (git.stdout.strip() if git.returncode == 0 else "0")


# --------------------------------------------------------------------------- 3. always strict

def strict_build(tmp_path: Path, page: str) -> subprocess.CompletedProcess:
    """One small MkDocs build with the site's configuration, the way build_site.py runs it."""
    module = build_site_module()
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "index.md").write_text(page, encoding="utf-8")
    (docs / "other.md").write_text("# Other {#other}\n\n## A section {#a-section}\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {docs}\nnav: [index.md, other.md]\n"
                      f"theme: {{custom_dir: {ROOT / 'overrides'}}}\nhooks: []\nplugins: [search]\n", encoding="utf-8")
    return module.mkdocs(str(config), tmp_path / "site" / "en")


@pytest.mark.parametrize("broken", [
    "[a page](missing.md)",
    "![a figure](figures/no-such-figure.gif)",
    "[an anchor](other.md#no-such-section)",
    "[an anchor here](#nowhere)",
])
def test_every_site_build_is_strict(tmp_path, broken):
    good = strict_build(tmp_path, "# Home {#home}\n\n[fine](other.md#a-section)\n")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = strict_build(tmp_path, f"# Home {{#home}}\n\n{broken}\n")
    assert bad.returncode != 0, f"{broken} built without an error"
    assert "Aborted with" in bad.stdout + bad.stderr


def test_a_kept_page_still_fails_a_strict_build(tmp_path, monkeypatch):
    """A page's HTML is kept for the next build with what MkDocs said while it rendered it: a
    broken link fails the strict build again when the page's HTML comes from the last build."""
    module = build_site_module()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home {#home}\n\n[a page](missing.md) and [fine](other.md#a-section)\n")
    (docs / "other.md").write_text("# Other {#other}\n\n## A section {#a-section}\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {docs}\nnav: [index.md, other.md]\n"
                      f"theme: {{custom_dir: {ROOT / 'overrides'}}}\nhooks: [{ROOT / 'scripts' / 'hooks.py'}]\n"
                      f"plugins: [search]\n", encoding="utf-8")
    monkeypatch.setenv("FIGURES_CACHE", nothing_kept(tmp_path))  # mkdocs() passes os.environ on
    first = module.mkdocs(str(config), tmp_path / "site" / "en")
    assert list((tmp_path / "cache" / "kept").glob("render-en-*.json"))
    second = module.mkdocs(str(config), tmp_path / "site" / "en")
    for build in (first, second):
        assert build.returncode != 0 and "Aborted with" in build.stdout + build.stderr
        assert "missing.md" in build.stdout + build.stderr


# --------------------------------------------------------------------------- 2. a verified cache

def corrupt(kind: str, entry: Path, twin: Path) -> None:
    data = entry.read_bytes()
    if kind == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif kind == "emptied":
        entry.write_bytes(b"")
    elif kind == "random":
        entry.write_bytes(random.Random(0).randbytes(len(data)))
    elif kind == "one byte flipped":
        flipped = bytearray(data)
        flipped[len(data) // 3] ^= 0x01
        entry.write_bytes(bytes(flipped))
    elif kind == "swapped with its dark twin":
        other = twin.read_bytes()
        twin.write_bytes(data)
        entry.write_bytes(other)
    elif kind == "swapped with its record":
        for path in (entry, entry.with_name(entry.name + cache.RECORD)):
            twin_path = twin if path == entry else twin.with_name(twin.name + cache.RECORD)
            a, b = path.read_bytes(), twin_path.read_bytes()
            path.write_bytes(b)
            twin_path.write_bytes(a)
    elif kind == "record missing":
        entry.with_name(entry.name + cache.RECORD).unlink()
    elif kind == "record garbage":
        entry.with_name(entry.name + cache.RECORD).write_bytes(b"\xff\xfe not a record")


KINDS = ["truncated", "emptied", "random", "one byte flipped", "swapped with its dark twin",
         "swapped with its record", "record missing", "record garbage"]


@pytest.fixture(scope="module")
def good_cache(tmp_path_factory):
    """A cache holding one small catalog figure in both themes, and their good bytes."""
    folder = tmp_path_factory.mktemp("good-cache")
    name = "no-padding-no-strides"
    r = run_cli("build", "--only", name, "--jobs", "1", "--out", str(folder / "out"),
                env={"FIGURES_CACHE": str(folder / "cache")})
    assert r.returncode == 0, r.stderr
    return folder, name


@pytest.mark.parametrize("kind", KINDS)
def test_a_corrupt_entry_is_reported_rendered_again_and_replaced(good_cache, tmp_path, kind, capsys, monkeypatch):
    import shutil

    source, name = good_cache
    folder = tmp_path / "cache"
    shutil.copytree(source / "cache", folder)
    monkeypatch.setenv("FIGURES_CACHE", str(folder))
    entry_of = catalog.get(name)
    light = cache.path(entry_of.config(), "light", "gif")
    dark = cache.path(entry_of.config(), "dark", "gif")
    good = {"light": (source / "out" / f"{name}.gif").read_bytes(),
            "dark": (source / "out" / f"{name}.dark.gif").read_bytes()}
    corrupt(kind, light, dark)
    # the CLI's build --out, and what the site's adapter publishes (build.files)
    out = tmp_path / "out"
    assert cli.main(["build", "--only", name, "--jobs", "1", "--out", str(out)]) == 0
    assert (out / f"{name}.gif").read_bytes() == good["light"]
    assert (out / f"{name}.dark.gif").read_bytes() == good["dark"]
    err = capsys.readouterr().err.strip().splitlines()
    assert 1 <= len(err) <= 2 and all("cache entry" in line and "rendering it again" in line for line in err), err
    assert str(light) in err[0] or str(dark) in err[0]
    # replaced: the next reader gets the good bytes and nothing is reported
    published = dict(build.files([name]))
    assert {k: v for k, v in published.items() if k.endswith(".gif")} == {f"{name}.gif": good["light"],
                                                                            f"{name}.dark.gif": good["dark"]}
    assert set(published) - {f"{name}.print.png", f"{name}.dark.print.png"} == {
        f"{name}.gif", f"{name}.dark.gif", f"{name}.steps.json", f"{name}.dark.steps.json", f"{name}.last.png",
        f"{name}.dark.last.png", f"{name}.webp", f"{name}.dark.webp"}
    assert capsys.readouterr().err == ""
    assert light.read_bytes() == good["light"] and dark.read_bytes() == good["dark"]


def test_render_o_verifies_the_entry_it_copies(good_cache, tmp_path, monkeypatch, capsys):
    import shutil

    source, name = good_cache
    shutil.copytree(source / "cache", tmp_path / "cache")
    monkeypatch.setenv("FIGURES_CACHE", str(tmp_path / "cache"))
    config = catalog.get(name).config()
    entry = cache.path(config, "light", "gif")
    corrupt("one byte flipped", entry, cache.path(config, "dark", "gif"))
    out = tmp_path / "fig.gif"
    args = ["render", *config.options().split(), "-o", str(out)]
    assert cli.main(args) == 0
    assert out.read_bytes() == (source / "out" / f"{name}.gif").read_bytes()
    assert "rendering it again" in capsys.readouterr().err


def test_a_directory_where_an_entry_should_be(tmp_path):
    env = {"FIGURES_CACHE": str(tmp_path / "cache")}
    code = "from figures import cache; from figures.config import Config; print(cache.path(Config('conv', (4, 4), (3, 3)), 'light', 'gif'))"
    entry = Path(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                env={**os.environ, **env}).stdout.strip())
    entry.mkdir(parents=True)
    (entry / "someone's file").write_text("keep me")
    r = run_cli(*SMALL, "-o", str(tmp_path / "a.gif"), env=env)
    one_line(r, 1, str(entry), "Is a directory", "figure cache")
    assert (entry / "someone's file").read_text() == "keep me"
    assert not (tmp_path / "a.gif").exists()


# --------------------------------------------------------------------------- 5. the system says no

def test_output_into_a_read_only_folder(read_only, tmp_path):
    r = run_cli(*SMALL, "-o", str(read_only / "a.gif"), env={"FIGURES_CACHE": str(tmp_path / "cache")})
    one_line(r, 1, str(read_only / "a.gif"))
    assert list(read_only.iterdir()) == []


def test_output_into_proc_and_onto_a_directory(tmp_path):
    env = {"FIGURES_CACHE": str(tmp_path / "cache")}
    one_line(run_cli(*SMALL, "-o", "/proc/a.gif", env=env), 1, "/proc/a.gif")
    folder = tmp_path / "figure.gif"
    folder.mkdir()
    one_line(run_cli(*SMALL, "-o", str(folder), env=env), 2, str(folder), "folder")
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_out_naming_a_file_or_a_read_only_place(read_only, tmp_path):
    env = {"FIGURES_CACHE": str(tmp_path / "cache")}
    file = tmp_path / "notes.txt"
    file.write_text("mine")
    one_line(run_cli("build", "--only", "legend", "--out", str(file), env=env), 2, str(file))
    assert file.read_text() == "mine"
    one_line(run_cli("build", "--only", "legend", "--out", str(read_only / "figs"), env=env), 1,
             str(read_only / "figs"))


def test_figures_cache_naming_a_file_or_a_read_only_folder(read_only, tmp_path):
    file = tmp_path / "cache-file"
    file.write_text("mine")
    r = run_cli(*SMALL, "-o", str(tmp_path / "a.gif"), env={"FIGURES_CACHE": str(file)})
    one_line(r, 1, str(file), "figure cache")
    assert file.read_text() == "mine"
    r = run_cli(*SMALL, "-o", str(tmp_path / "b.gif"), env={"FIGURES_CACHE": str(read_only)})
    one_line(r, 1, str(read_only), "figure cache")
    assert not (tmp_path / "a.gif").exists() and not (tmp_path / "b.gif").exists()


def test_a_full_disk_leaves_nothing_half_written(full_disk, tmp_path):
    """A 16 KB file system: the 28 KB figure does not fit, as output or as a cache entry."""
    big = ["render", "transposed", "--input", "3", "--kernel", "3", "--stride", "2"]
    r = run_cli(*big, "-o", str(full_disk / "up.gif"), env={"FIGURES_CACHE": str(tmp_path / "cache")})
    one_line(r, 1, str(full_disk / "up.gif"), "No space left on device")
    assert list(full_disk.iterdir()) == []
    assert len(list((tmp_path / "cache").iterdir())) == 8  # cached all the same: the GIF, its steps, its last step, its print strip, their records
    r = run_cli(*big, "-o", str(tmp_path / "up.gif"), env={"FIGURES_CACHE": str(full_disk / "cache")})
    one_line(r, 1, "No space left on device", "figure cache")
    assert temporary_files(full_disk / "cache") == []
    assert not (tmp_path / "up.gif").exists()


def test_an_existing_output_is_untouched_when_the_write_fails(full_disk, tmp_path):
    previous = full_disk / "up.gif"
    previous.write_bytes(b"GIF89a the previous figure")
    r = run_cli("render", "transposed", "--input", "3", "--kernel", "3", "--stride", "2", "-o", str(previous),
                env={"FIGURES_CACHE": str(tmp_path / "cache")})
    one_line(r, 1, str(previous))
    assert previous.read_bytes() == b"GIF89a the previous figure"
    assert sorted(full_disk.iterdir()) == [previous]


# --------------------------------------------------------------------------- 6, 7. killed builds

def processes_with_parent(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; it only waits to be reaped


def start_cold_build(tmp_path: Path) -> subprocess.Popen:
    """A parallel build of figures that take seconds, into an empty cache; returns once both
    workers are rendering."""
    env = {**os.environ, "FIGURES_CACHE": str(tmp_path / "cache")}
    names = ["full-padding-no-strides", "arbitrary-padding-no-strides", "dilation-coverage", "conv-matrix"]
    process = subprocess.Popen([sys.executable, "-m", "figures", "build", "--jobs", "2", "--out",
                                str(tmp_path / "out"), "--only", *names], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(processes_with_parent(process.pid)) < 2:
        assert time.monotonic() < deadline and process.poll() is None, "the workers never started"
        time.sleep(0.05)
    time.sleep(1.5)  # both are importing torch or rendering now
    return process


def cache_is_valid(folder: Path) -> None:
    """Every entry of the cache matches its record; no temporary file is left."""
    assert temporary_files(folder) == []
    for entry in list(folder.glob("*.gif")) + list(folder.glob("*.png")):
        assert cache.read(entry) is not None, entry


def test_killing_the_build_ends_its_workers(tmp_path):
    process = start_cold_build(tmp_path)
    workers = processes_with_parent(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 5
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(w) for w in workers), "workers outlived their parent"
    cache_is_valid(tmp_path / "cache")


def test_ctrl_c_stops_a_build_within_a_second_and_leaves_the_cache_valid(tmp_path):
    process = start_cold_build(tmp_path)
    workers = processes_with_parent(process.pid)
    start = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)  # what a terminal sends to the whole foreground group
    process.wait(timeout=10)
    took = time.monotonic() - start
    assert took < 1.0, f"Ctrl-C took {took:.2f} s"
    assert process.returncode == 130
    stderr = process.stderr.read()
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1, stderr
    assert not any(alive(w) for w in workers)
    cache_is_valid(tmp_path / "cache")


def test_a_kill_during_the_copy_leaves_whole_files(tmp_path):
    """``build --out`` killed at random moments: every file there is whole (the figure, or the
    previous content), never empty or cut short."""
    env = {**os.environ, "FIGURES_CACHE": str(tmp_path / "cache")}
    names = [e.name for e in catalog.classics()]
    out = tmp_path / "out"
    r = run_cli("build", "--jobs", "2", "--out", str(out), "--only", *names, env=env)
    assert r.returncode == 0
    good = {p.name: p.read_bytes() for p in out.iterdir()}
    for p in out.iterdir():
        p.write_bytes(b"previous")
    rng = random.Random(1)
    for _ in range(12):
        process = subprocess.Popen([sys.executable, "-m", "figures", "build", "--jobs", "1", "--out", str(out),
                                    "--only", *names], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.2))
        process.kill()
        process.wait()
        for p in out.iterdir():
            if p.name.startswith("."):  # a killed process's temporary file: never under a figure's name
                assert p.name.endswith(".tmp")
                continue
            assert p.read_bytes() in (good[p.name], b"previous"), p.name


def test_an_interrupted_copy_keeps_the_previous_file(tmp_path, monkeypatch):
    """In-process: the third copy is interrupted after its bytes are written but before the
    rename; the first two are whole, the third keeps its previous content, no temporary file."""
    monkeypatch.setenv("FIGURES_CACHE", str(tmp_path / "cache"))
    names = ["no-padding-no-strides", "no-padding-strides"]
    out = tmp_path / "out"
    build.build(out, 1, names)
    good = {p.name: p.read_bytes() for p in out.iterdir()}
    for p in out.iterdir():
        p.write_bytes(b"previous")
    calls = []
    real_fsync = os.fsync

    def interrupting_fsync(fd):
        calls.append(fd)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", interrupting_fsync)
    with pytest.raises(KeyboardInterrupt):
        build.build(out, 1, names)
    files = sorted(out.iterdir())
    assert [p.name for p in files] == sorted(good)
    whole = [p.name for p in files if p.read_bytes() == good[p.name]]
    previous = [p.name for p in files if p.read_bytes() == b"previous"]
    assert len(whole) == 2 and len(previous) == len(files) - 2, (whole, previous)  # copied, or as they were
    assert len(files) == 20  # 2 figures × 2 themes × GIF, WebP, steps, last, print


def test_jobs_are_capped_at_the_number_of_figures_to_render(tmp_path, monkeypatch):
    monkeypatch.setenv("FIGURES_CACHE", str(tmp_path / "cache"))
    started = []

    class Executor:
        def __init__(self, workers, **kwargs):
            started.append(workers)
            raise KeyboardInterrupt  # nothing is rendered: only the number of workers matters

    monkeypatch.setattr(build, "ProcessPoolExecutor", Executor)
    with pytest.raises(KeyboardInterrupt):
        build.ensure(["legend", "no-padding-no-strides"], jobs=60)
    assert started == [4]  # two figures in two themes
    one_line(run_cli("build", "--jobs", "1000", "--only", "legend"), 2, "--jobs 1000")


# --------------------------------------------------------------------------- 4. memory

def test_the_largest_configuration_renders_in_1_gb(tmp_path):
    """The most frames of the largest frame the CLI accepts (a 32×32 input and a 1×1 kernel:
    1,024 steps, 2484×1318 px), under an address-space limit of 1 GB."""
    limit = 1 << 30
    out = tmp_path / "big.gif"
    r = subprocess.run([sys.executable, "-m", "figures", "render", "conv", "--input", str(MAX_GRID), "--kernel", "1",
                        "-o", str(out)], cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "FIGURES_CACHE": str(tmp_path / "cache")},
                       preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)))
    assert r.returncode == 0, r.stderr
    with Image.open(out) as im:
        assert im.n_frames >= MAX_GRID * MAX_GRID
        assert im.size[0] > 2000


def test_a_strip_too_large_to_open_is_refused_with_one_line(tmp_path):
    for size in ("16", "32"):
        out = tmp_path / f"strip-{size}.png"
        r = run_cli("render", "conv", "--input", size, "--kernel", "1", "--strip", "-o", str(out),
                    env={"FIGURES_CACHE": str(tmp_path / "cache")})
        one_line(r, 2, "--strip", f"{encode.MAX_STRIP_PIXELS:,} pixels", "--frame")
        assert not out.exists()
    out = tmp_path / "ok.png"
    r = run_cli("render", "conv", "--input", "6", "--kernel", "3", "--strip", "-o", str(out),
                env={"FIGURES_CACHE": str(tmp_path / "cache")})
    assert r.returncode == 0, r.stderr
    with Image.open(out) as im:  # opens without a decompression-bomb warning
        assert im.size[0] * im.size[1] <= encode.MAX_STRIP_PIXELS


# --------------------------------------------------------------------------- 8. smaller ones

def test_an_empty_figures_cache_means_the_default(monkeypatch):
    monkeypatch.setenv("FIGURES_CACHE", "")
    assert cache.directory() == cache.DEFAULT
    monkeypatch.delenv("FIGURES_CACHE")
    assert cache.directory() == cache.DEFAULT


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o077, 0o600)])
def test_written_files_respect_the_umask(tmp_path, umask, mode):
    out = tmp_path / "fig.png"
    r = subprocess.run([sys.executable, "-m", "figures", *SMALL, "--frame", "1", "-o", str(out)], cwd=ROOT,
                       capture_output=True, text=True, env={**os.environ, "FIGURES_CACHE": str(tmp_path / "c")},
                       preexec_fn=lambda: os.umask(umask))
    assert r.returncode == 0, r.stderr
    assert out.stat().st_mode & 0o777 == mode
    r = subprocess.run([sys.executable, "-m", "figures", "build", "--only", "legend", "--out", str(tmp_path / "o")],
                       cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "FIGURES_CACHE": str(tmp_path / "c")}, preexec_fn=lambda: os.umask(umask))
    assert r.returncode == 0, r.stderr
    assert {p.stat().st_mode & 0o777 for p in (tmp_path / "o").iterdir()} == {mode}


@pytest.mark.parametrize("args,named", [
    (["--seed", str(2**64)], "--seed 18446744073709551616"),
    (["--seed", "-1"], "--seed -1"),
    (["--seed", "٣"], "--seed '٣'"),
    (["--frame", "２"], "--frame '２'"),
])
def test_integers_are_checked_when_parsed(tmp_path, args, named):
    r = run_cli(*SMALL, "--values", "random", *args, "-o", str(tmp_path / "a.png"))
    one_line(r, 2, named)
    assert "torch" not in r.stderr.lower() or "range" in r.stderr
    assert not (tmp_path / "a.png").exists()


@pytest.mark.parametrize("command", ["render max --input 5 --kernel 2", "render avg --input 5 --kernel 2",
                                     "render conv --input 5 --kernel 3", "render transposed --input 3 --kernel 3",
                                     "shape conv --input 5 --kernel 3"])
@pytest.mark.parametrize("option, value", [("--stride", str(2**63)), ("--stride", str(2**31)), ("--stride", "9" * 5000),
                                           ("--padding", str(2**64)), ("--dilation", str(2**31)),
                                           ("--kernel", str(2**63))])
def test_every_integer_option_is_checked_against_what_torch_takes(tmp_path, command, option, value):
    """Each integer option of every command that runs torch or prints its lines is at most what
    torch's convolutions take (2**31 − 1), checked when parsed: one short line naming it, exit 2,
    no traceback, no file; a 5,000-digit value is quoted to 40 characters."""
    args = command.split()
    args = [a for i, a in enumerate(args) if not (a == option or (i and args[i - 1] == option))] + [option, value]
    if args[0] == "render":
        args += ["-o", str(tmp_path / "a.png")]
    r = run_cli(*args, env={"FIGURES_CACHE": str(tmp_path / "c")})
    one_line(r, 2, f"argument {option}", "at most 2147483647")
    assert len(r.stderr) < 300 and "Traceback" not in r.stderr
    assert not (tmp_path / "a.png").exists()


def test_a_size_of_5000_digits_is_one_short_line():
    r = run_cli("shape", "conv", "--input", "9" * 5000, "--kernel", "3")
    one_line(r, 2, "argument --input", "too large")
    assert len(r.stderr) < 300
    r = run_cli("render", "conv", "--input", "x" * 5000, "--kernel", "3", "-o", "never.png")
    one_line(r, 2, "argument --input", "is not a size")
    assert len(r.stderr) < 200


def test_a_closed_pipe_is_no_error_and_a_full_output_names_itself():
    for command in (["list"], ["shape", "conv", "--input", "5", "--kernel", "3", "--json"], ["receptive", "resnet18"]):
        process = subprocess.Popen([sys.executable, "-m", "figures", *command], cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env={**os.environ, **QUIET})
        process.stdout.read(1)
        process.stdout.close()  # the reader goes away, as `| head -c 1` does
        err = process.stderr.read().decode()
        assert process.wait(timeout=120) == 0 and err == "", (command, err)
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "figures", "list"], cwd=ROOT, stdout=full, stderr=subprocess.PIPE,
                           text=True, env={**os.environ, **QUIET})
    one_line(r, 1, "standard output", "No space left on device")


def test_a_newline_in_figures_cache_stays_inside_the_warning(tmp_path):
    """A corrupt entry is reported in one line even when FIGURES_CACHE holds a newline."""
    folder = tmp_path / "cache\nsecond line"
    env = {"FIGURES_CACHE": str(folder)}
    out = tmp_path / "a.png"
    assert run_cli(*SMALL, "--frame", "1", "-o", str(out), env=env).returncode == 0
    entry = next(p for p in folder.iterdir() if p.suffix in (".gif", ".png"))
    entry.write_bytes(entry.read_bytes()[:20])  # cut short
    r = run_cli(*SMALL, "--frame", "1", "-o", str(out), env=env)
    assert r.returncode == 0
    warning = [line for line in r.stderr.splitlines() if "cache entry" in line]
    assert len(warning) == 1 and "\\n" in warning[0] and r.stderr.count("\n") == 1, r.stderr


def test_the_largest_seed_renders(tmp_path):
    r = run_cli(*SMALL, "--values", "random", "--seed", str(2**64 - 1), "-o", str(tmp_path / "a.png"),
                env={"FIGURES_CACHE": str(tmp_path / "c")})
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("value", ["５", "٣", "4x٣", "１x2"])
def test_sizes_are_ascii_digits(value):
    one_line(run_cli("shape", "conv", "--input", value, "--kernel", "1"), 2, repr(value))


@pytest.mark.parametrize("args", [
    ["build", "--only", "dilation\nfake: second line"],
    ["render", "conv", "--input", "4", "--kernel", "3", "-o", "a\nb.jpg"],
    ["shape", "conv", "--input", "4\n4", "--kernel", "3"],
    ["render", "conv", "--input", "4", "--kernel", "3", "-o", "/no/such\nfolder/a.gif"],
])
def test_a_newline_in_a_value_stays_inside_one_line(args):
    r = run_cli(*args)
    one_line(r, 2)
    assert "\\n" in r.stderr


def test_a_users_matplotlibrc_does_not_change_the_figures(tmp_path):
    rc = tmp_path / "mplconfig"
    rc.mkdir()
    (rc / "matplotlibrc").write_text("font.family: serif\nfont.size: 20\nlines.antialiased: False\n"
                                     "text.antialiased: False\nhatch.linewidth: 4\nfigure.facecolor: red\n"
                                     "patch.linewidth: 3\naxes.linewidth: 5\ntext.hinting: none\n")
    outs = []
    for n, extra in enumerate(({}, {"MPLCONFIGDIR": str(rc)}, {"MATPLOTLIBRC": str(rc / "matplotlibrc")})):
        out = tmp_path / f"fig-{n}.png"
        r = run_cli("render", "transposed", "--input", "2", "--kernel", "3", "--stride", "2", "--frame", "3", "-o",
                    str(out), env={"FIGURES_CACHE": str(tmp_path / f"cache-{n}"), **extra})
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]


def test_every_command_the_catalog_prints_is_accepted():
    parser = cli.make_parser()
    for entry in catalog.CATALOG:
        for theme in catalog.THEME_NAMES:
            words = entry.command(theme).split()
            assert words[:3] == ["python", "-m", "figures"]
            args = parser.parse_args(words[3:])  # raises UsageError on an option the CLI refuses
            if args.command == "build":
                assert args.only == [entry.name] and args.theme in (theme, "both")


def test_build_theme_renders_only_that_theme(tmp_path):
    r = run_cli("build", "--only", "legend", "--theme", "dark", "--out", str(tmp_path / "o"),
                env={"FIGURES_CACHE": str(tmp_path / "c")})
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["legend.dark.png", "legend.dark.webp"]


# --------------------------------------------------------------------------- 9. an empty output

def test_a_transposed_convolution_of_no_cells_says_what_torch_does():
    import torch
    import torch.nn.functional as F

    r = run_cli("shape", "transposed", "--input", "1", "--kernel", "2", "--padding", "1")
    line = one_line(r, 2, "padding=1", "0 cells")
    with pytest.raises(RuntimeError) as refused:  # what the line says torch does, torch does
        F.conv_transpose2d(torch.ones(1, 1, 1, 1), torch.ones(1, 1, 2, 2), padding=1)
    assert "Output size is too small" in str(refused.value) and "Output size is too small" in line


def test_the_frame_by_frame_encoder_shows_the_drawn_frames():
    """The frame-by-frame encoder writes what the figure shows: decoded, every frame of a classic
    equals the drawn frames (same pixels) and the steps keep their durations."""
    import numpy as np

    from figures import draw, render, theme

    entry = catalog.get("padding-strides")
    sc = render.scene_for(entry.config())
    data = render.figure_bytes(entry.config(), "light", "gif")
    with Image.open(io.BytesIO(data)) as im:
        shown = []
        for n in range(im.n_frames):
            im.seek(n)
            shown.append((np.asarray(im.convert("RGB")).copy(), im.info["duration"]))
    with draw.library_defaults():
        drawn = list(draw.render(sc, theme.LIGHT))
    palette = encode._reserved_palette(theme.LIGHT.colours())
    quantised, _ = encode.distinct(
        [np.asarray(Image.fromarray(f).quantize(palette=palette, dither=Image.Dither.NONE).convert("RGB"))
         for f in drawn], [f.duration_ms for f in sc.frames])
    steps = [picture for picture, ms in shown if ms > encode.SUBFRAME_MS]
    assert len(steps) == len(quantised)
    assert all(np.array_equal(a, b) for a, b in zip(steps, quantised))
    assert sum(ms for _, ms in shown) == sum(f.duration_ms for f in sc.frames)


# --------------------------------------------------------------------------- a hostile pass over every option
# (issue 32, item 6: "find the rest of this class yourself"). In-process: each case is milliseconds.

LONG = "a" * 100_000
NINES = "9" * 100_000


def refused_in_one_line(capsys, argv, code, *named):
    """``main(argv)`` returns ``code`` with one short line on stderr naming each of ``named``."""
    assert cli.main(argv) == code
    out, err = capsys.readouterr()
    err = "".join(line for line in err.splitlines(True) if not line.startswith("the reader's"))  # what their code prints
    lines = err.splitlines()
    assert len(lines) == 1 and err.startswith("python -m figures: error: ") and "Traceback" not in err, err[:500]
    assert len(lines[0]) < 400, lines[0][:500]
    for text in named:
        assert text in lines[0], (text, lines[0])
    return lines[0]


SHAPE = ["shape", "conv", "--input", "5", "--kernel", "3"]
RENDER_TO = ["render", "conv", "--input", "4", "--kernel", "3"]


@pytest.mark.parametrize("argv, named", [
    ([LONG], ["argument command: invalid choice: 'aaaa", "…'"]),  # argparse quoted all 100,000 characters
    (["shape", LONG, "--input", "5", "--kernel", "3"], ["argument op: invalid choice", "…'"]),
    ([*SHAPE, "--dims", LONG], ["argument --dims: invalid int value: 'aaaa", "…'"]),
    ([*SHAPE, "--dims", NINES], ["argument --dims: invalid choice: " + "9" * 40 + "… (choose from 1, 2, 3)"]),
    ([*SHAPE, "--dims", "-" + NINES], ["argument --dims: invalid choice: -" + "9" * 39 + "…"]),
    ([*SHAPE, "--" + LONG], ["unrecognized arguments: '--aaaa", "…'"]),
    ([*SHAPE, LONG, "extra"], ["unrecognized arguments: 'aaaa", "…' extra"]),
    (["render", "conv", "--input", "4", "--kernel", "3", "--theme", LONG, "-o", "x.png"], ["argument --theme: invalid choice"]),
    (["build", "--format", LONG], ["argument --format: invalid choice"]),
    (["build", "--jobs", NINES], ["argument --jobs: --jobs '9999", "…': give an integer from 1 to"]),  # int() gave up at 4,300 digits
    (["build", "--jobs", "-" + NINES], ["--jobs '-999", "give an integer from 1 to"]),
    ([*RENDER_TO, "--seed", NINES, "-o", "x.png"], ["--seed '9999", "give an integer from 0 to"]),
    ([*RENDER_TO, "--frame", NINES, "-o", "x.png"], ["--frame '9999", "give an integer from 0 to 1000000"]),
    (["receptive", "alexnet", "--timeout", NINES], ["argument --timeout: '9999", "give 1 to 3600 seconds"]),
    (["receptive", "alexnet", "--timeout", LONG], ["argument --timeout: 'aaaa", "…': give a whole number of seconds"]),
    (["receptive", "alexnet", "--timeout", "٣"], ["argument --timeout: '٣'"]),  # int() took Arabic-Indic digits
    (["receptive", "alexnet", "--timeout", "５"], ["argument --timeout: '５'"]),
    (["receptive", LONG], ["model 'aaaa", "…': give one of alexnet"]),
    (["receptive", LONG + ":f"], ["model 'aaaa", "cannot import 'aaaa"]),
    (["receptive", "os:" + LONG], ["model 'os:aaaa", "os has no function 'aaaa"]),
])
def test_a_long_or_odd_value_is_one_short_line_naming_its_option(capsys, argv, named):
    refused_in_one_line(capsys, argv, 2, *named)


@pytest.mark.parametrize("option, argv", [
    ("-o", RENDER_TO + ["-o"]), ("--steps", RENDER_TO + ["--steps"]), ("--out", ["build", "--only", "dilation", "--out"])])
@pytest.mark.parametrize("value, why", [("", "give a path"), (" ", "give a path"),
                                        ("a\0b.png", "a path cannot hold a NUL character")])
def test_an_empty_path_or_one_with_a_nul_is_refused_naming_its_option(capsys, option, argv, value, why):
    """Path("") is the current folder (-o '' said "-o .: the file name must end in …", --out '' built
    into the current folder); a NUL said "embedded null byte", naming nothing."""
    line = refused_in_one_line(capsys, [*argv, value], 2, why)
    assert f"argument {option}" in line or f"argument -o/--output" in line


def test_o_under_a_file_says_it_is_a_file(tmp_path, capsys):
    (tmp_path / "a.png").write_bytes(b"keep")
    refused_in_one_line(capsys, [*RENDER_TO, "-o", str(tmp_path / "a.png" / "b.png")], 2, "is a file, not a folder")
    assert (tmp_path / "a.png").read_bytes() == b"keep"


def test_a_system_error_on_a_100_kb_path_is_one_short_line(tmp_path, capsys):
    """The system's refusal names the path, cut in the middle (it printed all 100 KB of it)."""
    line = refused_in_one_line(capsys, [*RENDER_TO, "--values", "ones", "-o", str(tmp_path / (LONG + ".png"))], 1,
                               "File name too long", str(tmp_path)[:40])
    assert "…" in line and line.endswith("aaaa.png: File name too long")


READERS = '''
from torch import nn
print("the reader's module prints")

def chatty():
    print("the reader's builder prints")
    return nn.Conv2d(3, 4, 3)

def generator_exit():
    raise GeneratorExit

def long_error():
    raise RuntimeError("x" * 100_000)
'''


@pytest.fixture
def readers_module(tmp_path, monkeypatch):
    (tmp_path / "hostile_readers_net.py").write_text(READERS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "hostile_readers_net"
    sys.modules.pop("hostile_readers_net", None)


def test_what_the_readers_code_prints_stays_out_of_the_json(readers_module, capsys):
    """The reader's module and builder printed into standard output: --json was not JSON."""
    import json

    assert cli.main(["receptive", f"{readers_module}:chatty", "--input", "9", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["stages"][0]["label"] == "conv2d"
    assert "the reader's module prints" in err and "the reader's builder prints" in err


@pytest.mark.parametrize("function, named", [
    ("generator_exit", "your code raised GeneratorExit"),  # a BaseException: it was a traceback
    ("long_error", "long_error() raised RuntimeError: xxxx"),  # its 100,000 characters were the line
])
def test_the_readers_odd_failures_are_one_line(readers_module, capsys, function, named):
    refused_in_one_line(capsys, ["receptive", f"{readers_module}:{function}"], 2, named)


def test_a_zoo_model_that_times_out_is_not_called_your_code():
    with pytest.raises(cli.UsageError) as refused:
        with cli._time_limit(1, "model 'alexnet'"):
            time.sleep(1.5)
    assert str(refused.value) == "model 'alexnet': loading and tracing it did not finish within 1 s (--timeout 1)"
