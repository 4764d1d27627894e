"""Render the whole catalog (or part of it) into a folder, through the cache, in parallel.

Workers are ended with their parent: if the build is killed they do not live on, and Ctrl-C
stops them at once (every cache entry is written whole or not at all, so the cache stays valid).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Iterable, Optional, Sequence

from . import cache, catalog

DEFAULT_OUT = Path("build/figures")


SITE = "site"  # the files a page uses: the GIF or PNG, its WebP, and an animation's step data and last step


def _render(task: tuple) -> dict[str, bytes]:
    """{file name: bytes} of one figure in one theme: the figure, and an animation's step data
    (or, in another format, the figure's one file, or one file per step)."""
    entry, theme, fmt, steps = (*task, SITE, False)[:4]
    if steps:
        from .render import step_files

        made = step_files(entry.config(), theme, fmt)
        return {entry.step_filename(theme, n, len(made), fmt): data for n, data in enumerate(made, 1)}
    if fmt != SITE:
        if fmt in ("mp4", "webm") and entry.fmt != "gif":
            return {}  # a still picture has no video
        return {entry.filename(theme, fmt): cache.load(entry.config(), theme, fmt, frame=entry.frame,
                                                       source=entry.fmt)}
    made = {entry.filename(theme): cache.render(entry.config(), theme, entry.fmt, frame=entry.frame)}
    for fmt in entry.outputs()[1:]:  # stored with the figure by the same rendering
        made[entry.filename(theme, fmt)] = cache.load(entry.config(), theme, fmt)
    webp = cache.load(entry.config(), theme, "webp", frame=entry.frame, source=entry.fmt)
    made[entry.filename(theme, "webp")] = published_webp(entry, webp, made[entry.filename(theme)])
    return made


def published_webp(entry, webp: bytes, figure: bytes) -> bytes:
    """What the site serves as a figure's WebP: an animation's always (lossless, the GIF's frames);
    a still figure's only where it is smaller than the PNG (else b"": the page shows the PNG)."""
    return webp if entry.fmt == "gif" or len(webp) < len(figure) else b""


def _cached(entry, theme: str) -> Optional[dict[str, bytes]]:
    """{file name: verified bytes} of a figure in one theme, or None if any of its files is not cached."""
    made = {}
    for fmt in entry.outputs():
        data = cache.read(cache.path(entry.config(), theme, fmt, frame=entry.frame if fmt == entry.fmt else None))
        if data is None:
            return None
        made[entry.filename(theme, fmt)] = data
    webp = cache.read(cache.path(entry.config(), theme, "webp", frame=entry.frame))
    if webp is None:
        return None
    made[entry.filename(theme, "webp")] = published_webp(entry, webp, made[entry.filename(theme)])
    return made


def _stop(signum, frame) -> None:
    """A worker told to end (its parent ended, or stopped the build): now, leaving no temporary
    file (an exception could be swallowed where the signal lands, so no unwinding)."""
    cache.abandon_writes()
    os._exit(128 + signum)


def _worker_init(parent: int) -> None:
    """In each worker: end with the parent, leave Ctrl-C to the parent, one thread for torch."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers itself
    signal.signal(signal.SIGTERM, _stop)
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1  # the kernel sends SIGTERM to this process when its parent ends
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    try:
        import torch

        torch.set_num_threads(1)  # one process per core already
    except ImportError:  # pragma: no cover
        pass


def tasks(only: Optional[Sequence[str]] = None, themes: Sequence[str] = catalog.THEME_NAMES,
          fmt: str = SITE, steps: bool = False) -> list[tuple]:
    entries = [catalog.get(name) for name in only] if only else list(catalog.CATALOG)
    return [(entry, theme, fmt, steps) for entry in entries for theme in themes]


def ensure(only: Optional[Sequence[str]] = None, jobs: int = 1, progress: bool = False,
           themes: Sequence[str] = catalog.THEME_NAMES, fmt: str = SITE, steps: bool = False
           ) -> dict[str, bytes]:
    """Make sure every figure is in the cache; return {file name: its verified bytes} (an
    animation also has its step data, ``NAME.steps.json``, its last step, ``NAME.last.png``, and
    its steps side by side for print, ``NAME.print.png``, empty where they do not fit on a page;
    every figure its lossless WebP, ``NAME.webp``, empty for a still one where the PNG is smaller).

    Figures already cached (and verified) are not rendered again; the others are rendered by
    at most ``jobs`` processes (never more than there are figures to render). In another ``fmt``
    (pdf, svg, png, mp4, webm), or with ``steps``, the files of that format instead.
    """
    todo = tasks(only, themes, fmt, steps)
    done = {}
    missing = []
    for entry, theme, *_ in todo:
        made = _cached(entry, theme) if fmt == SITE and not steps else None
        if made is None:
            missing.append((entry, theme, fmt, steps))
        else:
            done.update(made)
    jobs = max(1, min(jobs, len(missing)))
    bar = _progress(len(todo), len(done), progress)
    try:
        if jobs > 1:
            # biggest figures first, so that no process is left with a long one at the end
            missing.sort(key=lambda t: -_frames(t[0]))
            context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
            pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_init, initargs=(os.getpid(),))
            try:
                futures = {pool.submit(_render, task): task for task in missing}
                for future in as_completed(futures):
                    try:
                        done.update(future.result())
                    except BrokenProcessPool:
                        entry, theme, *_ = futures[future]
                        raise RuntimeError(f"a worker process died (killed, or out of memory) while rendering "
                                           f"{entry.name} ({theme})") from None
                    bar.update()
            except BaseException:  # Ctrl-C or a failure: stop every worker now, not after its figure
                _terminate(pool)
                raise
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
        else:
            for task in missing:
                done.update(_render(task))
                bar.update()
    finally:
        bar.close()
    return done


def _terminate(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers now (SIGTERM: each removes its temporary file and exits)."""
    if hasattr(pool, "terminate_workers"):  # Python 3.14
        pool.terminate_workers()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()


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
          progress: bool = False, themes: Sequence[str] = catalog.THEME_NAMES, fmt: str = SITE,
          steps: bool = False) -> list[Path]:
    """Render into ``out``: ``NAME.gif`` for the light variant, ``NAME.dark.gif`` for the dark,
    ``NAME.webp`` and ``NAME.dark.webp`` beside them (lossless, the same frames; a still figure's
    only where it is smaller than its PNG), and an animation's step data, last step and print strip beside it (``NAME.steps.json``,
    ``NAME.last.png``, ``NAME.print.png`` if its steps fit on a printed page, and the same with
    ``.dark``); in another ``fmt``, ``NAME.pdf`` … , and
    with ``steps``, ``NAME-01.png`` … Each file is written whole under a temporary name and
    renamed: never a half-written one."""
    out.mkdir(parents=True, exist_ok=True)
    cached = ensure(only, jobs, progress, themes, fmt, steps)
    written = []
    for filename, data in sorted(cached.items()):
        if not data:  # an animation whose steps do not fit on a printed page has no print strip
            continue
        target = out / filename
        cache.write_atomic(target, data)
        written.append(target)
    return written


def files(only: Optional[Iterable[str]] = None) -> Iterable[tuple[str, bytes]]:
    """(file name, verified bytes) of every figure, for an adapter that puts them into a site."""
    made = ensure(list(only) if only else None, jobs=os.cpu_count() or 1)
    yield from sorted((name, data) for name, data in made.items() if data)  # no empty print strip
