"""What the adapter scripts share: the build's language, where the docs' pages use figures, and
the figures a build publishes.

Imported by the mkdocs-gen-files scripts (gen_figures.py, gen_glossary.py, gen_figure_pages.py)
and hooks.py; MkDocs-free itself.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*\{\s*#([A-Za-z0-9_-]+)\s*\}\s*$")
FIGURE = re.compile(r"figures/([A-Za-z0-9_-]+)(?:\.dark)?\.(?:gif|png)")
FENCE = re.compile(r"^\s*(```|~~~)")


def sections(docs_dir: Path):
    """Yield (page path relative to docs_dir, page title, section title, section id, text line)."""
    for page in sorted(docs_dir.rglob("*.md")):
        rel = page.relative_to(docs_dir).as_posix()
        title = section = anchor = None
        in_code = False
        for line in page.read_text(encoding="utf-8").splitlines():
            if FENCE.match(line):
                in_code = not in_code
            m = None if in_code else HEADING.match(line)
            if m:
                section, anchor = m.group(2), m.group(3)
                if m.group(1) == "#":
                    title = section
            yield rel, title, section, anchor, line


def figure_uses(docs_dir: Path) -> dict[str, list[tuple[str, str, str, str]]]:
    """{figure name: [(page, page title, section title, section id)]}, in reading order."""
    uses: dict[str, list] = {}
    for rel, title, section, anchor, line in sections(docs_dir):
        for name in FIGURE.findall(line):
            place = (rel, title, section, anchor)
            if place not in uses.setdefault(name, []):
                uses[name].append(place)
    return uses


@lru_cache(maxsize=1)
def published() -> dict[str, bytes]:
    """{file name: bytes} of every figure the site publishes (with step data, last steps and print
    strips), read from the engine's cache and verified against its checksums once per build: the
    gen-files scripts and the hooks of one language build share it."""
    from figures import build

    return dict(build.files())
