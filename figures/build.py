"""Render the whole catalog (or part of it) into a folder, through the cache, in parallel."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Iterable, Optional, Sequence

from . import cache, catalog

DEFAULT_OUT = Path("build/figures")


def _render(task: tuple[catalog.Entry, str]) -> Path:
    entry, theme = task
    try:
        import torch

        torch.set_num_threads(1)  # one process per core already
    except ImportError:  # pragma: no cover
        pass
    return cache.get(entry.config(), theme, entry.fmt, frame=entry.frame)


def tasks(only: Optional[Sequence[str]] = None) -> list[tuple[catalog.Entry, str]]:
    entries = [catalog.get(name) for name in only] if only else list(catalog.CATALOG)
    return [(entry, theme) for entry in entries for theme in catalog.THEME_NAMES]


def ensure(only: Optional[Sequence[str]] = None, jobs: int = 1, progress: bool = False) -> dict:
    """Make sure every figure is in the cache; return {(name, theme): cached path}.

    Figures already cached are not rendered again; the others are rendered by ``jobs``
    processes.
    """
    todo = tasks(only)
    done = {}
    missing = []
    for entry, theme in todo:
        target = cache.path(entry.config(), theme, entry.fmt, frame=entry.frame)
        if target.exists():
            done[entry.name, theme] = target
        else:
            missing.append((entry, theme))
    bar = _progress(len(todo), len(done), progress)
    try:
        if jobs > 1 and len(missing) > 1:
            # biggest figures first, so that no process is left with a long one at the end
            missing.sort(key=lambda t: -_frames(t[0]))
            context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                futures = {pool.submit(_render, task): task for task in missing}
                for future in as_completed(futures):
                    entry, theme = futures[future]
                    done[entry.name, theme] = future.result()
                    bar.update()
        else:
            for entry, theme in missing:
                done[entry.name, theme] = _render((entry, theme))
                bar.update()
    finally:
        bar.close()
    return done


def _frames(entry) -> int:
    config = entry.config()
    if hasattr(config, "steps"):
        return config.steps()
    shape = config.check()
    return shape.output[0] * shape.output[1]


def _progress(total: int, initial: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, disable=not enabled, unit="fig", desc="figures", leave=False)


def build(out: Path = DEFAULT_OUT, jobs: int = 1, only: Optional[Sequence[str]] = None,
          progress: bool = False) -> list[Path]:
    """Render into ``out``: ``NAME.gif`` for the light variant, ``NAME.dark.gif`` for the dark."""
    cached = ensure(only, jobs, progress)
    written = []
    out.mkdir(parents=True, exist_ok=True)
    for (name, theme), source in sorted(cached.items()):
        target = out / catalog.get(name).filename(theme)
        shutil.copyfile(source, target)
        written.append(target)
    return written


def files(only: Optional[Iterable[str]] = None) -> Iterable[tuple[str, Path]]:
    """(file name, cached path) of every figure, for an adapter that copies them into a site."""
    cached = ensure(list(only) if only else None, jobs=os.cpu_count() or 1)
    for (name, theme), source in sorted(cached.items()):
        yield catalog.get(name).filename(theme), source
