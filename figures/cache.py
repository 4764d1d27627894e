"""The figure cache: one file per (configuration, theme, format), keyed by a hash, verified.

The key covers the configuration and the engine itself (the source of every module that
shapes the pixels, and the versions of the libraries that encode them), so an unchanged figure
is never rendered twice, and any change to the engine renders it anew. The cache lives outside
the docs folders (default ``.cache/figures``, or ``$FIGURES_CACHE``).

Every entry ``KEY.gif`` (``KEY.webp``, ``KEY.png`` …) has a record ``KEY.gif.sha256`` written
just before it: its name, its size and the SHA-256 of its bytes. An entry is used only if its
record matches the bytes read (so an entry truncated, emptied, overwritten, with one byte flipped, swapped with another entry, or
left without its record by a killed process is never served); a bad entry is reported in one
line on stderr, rendered again and replaced. Files are written to a temporary name in the same
folder and renamed, so a reader never sees a half-written file.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Optional

from .config import Config

ENGINE_MODULES = ("arith", "config", "experiments", "growing", "scene", "panels", "blocks", "draw", "theme", "encode",
                  "export", "render", "steps", "networks", "zoo")
LIBRARIES = ("torch", "matplotlib", "pillow", "numpy")
DEFAULT = Path(".cache/figures")
RECORD = ".sha256"


@lru_cache(maxsize=None)
def engine_version() -> str:
    """A hash of the engine's source and the versions of the libraries behind the pixels."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in ENGINE_MODULES:
        h.update((here / f"{name}.py").read_bytes())
    for lib in LIBRARIES:
        h.update(f"{lib}=={metadata.version(lib)}".encode())
    return h.hexdigest()[:16]


def directory() -> Path:
    """``$FIGURES_CACHE`` if it is set and not empty, else ``.cache/figures``."""
    return Path(os.environ.get("FIGURES_CACHE") or DEFAULT)


def key(config: Config, theme: str, fmt: str, strip: bool = False, frame: Optional[int] = None) -> str:
    payload = json.dumps(
        {"config": config.as_dict(), "theme": theme, "fmt": fmt, "strip": strip, "frame": frame,
         "engine": engine_version()},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def path(config: Config, theme: str, fmt: str, strip: bool = False, frame: Optional[int] = None) -> Path:
    return directory() / f"{key(config, theme, fmt, strip, frame)}.{fmt}"


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder, renamed over
    it: never a half-written file, and an existing ``target`` is untouched if anything fails.
    The file gets the permissions any other tool would give it (0666 less the umask)."""
    target = Path(target)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _writing.add(tmp)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as err:  # name the file asked for, not the temporary one
        _writing.discard(tmp)
        raise OSError(err.errno, err.strerror, str(target if err.filename == str(tmp) else err.filename)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as err:
        tmp.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise OSError(err.errno, err.strerror, str(target)) from None
        raise
    finally:
        _writing.discard(tmp)


_writing: set[Path] = set()  # temporary files being written by this process


def abandon_writes() -> None:
    """Remove the temporary files this process is writing (before it is ended by a signal)."""
    for tmp in list(_writing):
        tmp.unlink(missing_ok=True)


def _record(target: Path, data: bytes) -> str:
    return json.dumps({"entry": target.name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})


def _cache_error(err: OSError) -> OSError:
    """The system's error, saying that the path is the figure cache's."""
    return OSError(err.errno, f"{err.strerror} (the figure cache: $FIGURES_CACHE or {DEFAULT})", err.filename)


def check_directory() -> Path:
    """The cache folder, if it can be one: OSError if $FIGURES_CACHE names a file."""
    folder = directory()
    if folder.exists() and not folder.is_dir():
        raise _cache_error(OSError(20, "Not a directory", str(folder)))
    return folder


def store(target: Path, data: bytes) -> None:
    """Put ``data`` in the cache as ``target``: its record first, then the entry (a process
    killed between the two leaves a record without an entry: a figure simply not cached)."""
    try:
        write_atomic(target.with_name(target.name + RECORD), _record(target, data).encode())
        write_atomic(target, data)
    except OSError as err:
        raise _cache_error(err) from None


def read(target: Path) -> Optional[bytes]:
    """The verified bytes of the entry ``target``; None if there is none, or it is bad (then
    one line on stderr says why). OSError (a directory, no permission) is raised."""
    record = target.with_name(target.name + RECORD)
    check_directory()
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:  # a directory where the entry should be, no permission
        raise _cache_error(err) from None
    try:
        expected = record.read_text(encoding="utf-8")
    except FileNotFoundError:
        expected = None
    except (UnicodeDecodeError, IsADirectoryError):
        expected = ""
    if expected is None:
        problem = "has no checksum record"
    elif expected.strip() != _record(target, data):
        problem = "does not match its checksum record"
    else:
        return data
    where = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(target))  # one line, whatever the path holds
    print(f"figures: cache entry {where} {problem} (corrupt or cut short); rendering it again", file=sys.stderr)
    return None


def load(config: Config, theme: str = "light", fmt: str = "gif", strip: bool = False,
         frame: Optional[int] = None, source: str = "gif") -> bytes:
    """The bytes of a figure: from the cache if its entry is there and verified, else rendered
    (torch is imported only then) and stored. A WebP (``fmt="webp"``) is made from the figure's
    ``source``: its GIF (an animation) or its PNG (a still figure)."""
    data = read(path(config, theme, fmt, strip, frame))
    return render(config, theme, fmt, strip, frame, source) if data is None else data


def render(config: Config, theme: str = "light", fmt: str = "gif", strip: bool = False,
           frame: Optional[int] = None, source: str = "gif") -> bytes:
    """Render a figure (torch is imported only now) and store it in the cache. An animation's
    GIF, its step data and its last step (a PNG, for print) come from one drawing of the frames
    and are stored together. A WebP is made from the figure's cached GIF or PNG (``source``), so
    it shows the very same pixels."""
    from .render import animation, figure_bytes

    if fmt == "webp" and not strip:  # made from the verified GIF (an animation) or PNG (a still)
        from .encode import webp

        data = webp(load(config, theme, source, frame=frame))
        store(path(config, theme, fmt, frame=frame), data)
        return data
    if fmt in ("gif", "json", "last", "strip") and not strip and frame is None:
        made = dict(zip(("gif", "json", "last", "strip"), animation(config, theme)))
        for kind, data in made.items():
            store(path(config, theme, kind), data)
        return made[fmt]
    data = figure_bytes(config, theme, fmt, strip, frame)
    store(path(config, theme, fmt, strip, frame), data)
    return data
