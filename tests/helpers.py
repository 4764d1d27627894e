"""Shared by the tests: where things are, and the snippet expansion the site itself uses."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import markdown

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = DOCS / "snippets"
LANGS = ("en", "zh")
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def expand_snippets(text: str, base: Path = SNIPPETS) -> str:
    """Expand ``--8<--`` includes exactly as the site's pymdownx.snippets does."""
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": {"base_path": [str(base)], "check_paths": True}},
    )
    return "\n".join(md.preprocessors["snippet"].run(text.split("\n")))


INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+"([^":]+)(?::([\w-]+))?"\s*$')
MARKER = re.compile(r"--8<--\s*\[(?:start|end):")


def expand_with_origins(text: str, page: str, base: Path = SNIPPETS) -> tuple[str, list[tuple[str, int]]]:
    """The page with its ``--8<--`` includes expanded (as the site's pymdownx.snippets does),
    and for every line of the result the file and line it came from: a failing example is
    reported at the line of ``docs/snippets/*.pycon`` that holds it, not only at the page."""
    lines, origins = [], []
    for number, line in enumerate(text.split("\n"), 1):
        m = INCLUDE.match(line)
        if not m:
            lines.append(line)
            origins.append((page, number))
            continue
        included = expand_snippets(line, base).split("\n")
        source = base / m.group(1)
        file_lines = source.read_text(encoding="utf-8").split("\n")
        at = 0
        if m.group(2):  # a named section starts after its marker
            at = next(i + 1 for i, l in enumerate(file_lines) if f"[start:{m.group(2)}]" in l)
        for piece in included:
            while at < len(file_lines) and MARKER.search(file_lines[at]):
                at += 1  # the markers of other sections are not included
            lines.append(piece)
            origins.append((str(source), at + 1))
            at += 1
    return "\n".join(lines), origins


def pages(lang: str) -> list[Path]:
    return sorted((DOCS / lang).rglob("*.md"))


def run_cli(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "figures", *args],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})},
    )
