"""Shared by the tests: where things are, and the snippet expansion the site itself uses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import markdown

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = DOCS / "snippets"
LANGS = ("en", "zh")
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def expand_snippets(text: str) -> str:
    """Expand ``--8<--`` includes exactly as the site's pymdownx.snippets does."""
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": {"base_path": [str(SNIPPETS)], "check_paths": True}},
    )
    return "\n".join(md.preprocessors["snippet"].run(text.split("\n")))


def pages(lang: str) -> list[Path]:
    return sorted((DOCS / lang).rglob("*.md"))


def run_cli(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "figures", *args],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})},
    )
