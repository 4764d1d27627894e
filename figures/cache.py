"""The figure cache: one file per (configuration, theme, format), keyed by a hash.

The key covers the configuration and the engine itself (the source of every module that
shapes the pixels, and the versions of the libraries that encode them), so an unchanged figure
is never rendered twice, and any change to the engine renders it anew. The cache lives outside
the docs folders (default ``.cache/figures``, or ``$FIGURES_CACHE``).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Optional

from .config import Config

ENGINE_MODULES = ("arith", "config", "experiments", "growing", "scene", "panels", "draw", "theme", "encode", "render")
LIBRARIES = ("torch", "matplotlib", "pillow", "numpy")


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
    return Path(os.environ.get("FIGURES_CACHE", ".cache/figures"))


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
    """Write ``data`` to ``target`` through a temporary file: never a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def get(config: Config, theme: str = "light", fmt: str = "gif", strip: bool = False,
        frame: Optional[int] = None) -> Path:
    """The cached file of a figure, rendering it only if it is not cached yet."""
    target = path(config, theme, fmt, strip, frame)
    if not target.exists():
        from .render import figure_bytes  # torch is imported only when something is rendered

        write_atomic(target, figure_bytes(config, theme, fmt, strip, frame))
    return target
