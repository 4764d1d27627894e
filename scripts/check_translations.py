"""Keep the English and Chinese trees in step (FastAPI's idea).

For every page: the same file in docs/en and docs/zh; every heading with an explicit id, the
same ids in the same order; the same snippet includes; the same figures; the same number of
code blocks and of display-math blocks. Prints one line per problem; exit status 1 if any.

    python scripts/check_translations.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"
LANGS = ("en", "zh")

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.MULTILINE)
HEADING_ID = re.compile(r"\{\s*#([A-Za-z0-9_-]+)\s*\}$")
INCLUDE = re.compile(r'--8<--\s+"([^"]+)"')
FIGURE = re.compile(r"figures/([A-Za-z0-9_.-]+\.(?:gif|png))")
FENCE = re.compile(r"^[ \t]*(```|~~~)[ \t]*(\w+)", re.MULTILINE)
MATH_BLOCK = re.compile(r"^[ \t]*\$\$[ \t]*$", re.MULTILINE)


def _without_code(text: str) -> str:
    """The page with fenced code removed (a '#' comment in code is not a heading)."""
    return re.sub(r"^(\s*)(```|~~~).*?^\1\2\s*$", "", text, flags=re.MULTILINE | re.DOTALL)


def structure(text: str) -> dict:
    prose = _without_code(text)
    headings = HEADING.findall(prose)
    return {
        "headings": [(len(level), (HEADING_ID.search(title) or [None, None])[1]) for level, title in headings],
        "includes": INCLUDE.findall(text),
        "figures": FIGURE.findall(text),
        "code blocks": [lang for _, lang in FENCE.findall(text)],
        "math blocks": len(MATH_BLOCK.findall(text)) // 2,
    }


def problems(docs: Path = DOCS) -> list[str]:
    found = []
    trees = {lang: {p.relative_to(docs / lang) for p in (docs / lang).rglob("*.md")} for lang in LANGS}
    for lang in LANGS:
        for other in LANGS:
            for missing in sorted(trees[lang] - trees[other]):
                found.append(f"{other}/{missing}: missing (the page exists in {lang}/)")
    for rel in sorted(trees["en"] & trees["zh"]):
        pages = {lang: structure((docs / lang / rel).read_text(encoding="utf-8")) for lang in LANGS}
        for lang in LANGS:
            for level, anchor in pages[lang]["headings"]:
                if anchor is None:
                    found.append(f"{lang}/{rel}: a level-{level} heading has no explicit id {{#...}}")
        for key in ("headings", "includes", "figures", "code blocks", "math blocks"):
            if pages["en"][key] != pages["zh"][key]:
                found.append(f"{rel}: {key} differ: en {pages['en'][key]} / zh {pages['zh'][key]}")
    return found


def main() -> int:
    found = problems()
    for line in found:
        print(line)
    if not found:
        print(f"en and zh in step: {len(list((DOCS / 'en').rglob('*.md')))} pages each")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
