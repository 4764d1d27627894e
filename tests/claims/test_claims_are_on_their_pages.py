"""Every claim test guards a sentence its page still says, in both languages, under its heading.

A quote matches the page's Markdown after links are reduced to their text, ``**`` and
backslash escapes are dropped and all white space is removed (a Chinese paragraph may break a
line anywhere); ``…`` in a quote stands for any text in between. The section of a heading runs
to the next heading of the same level or above. For the page ``glossary`` the heading id is a
term's id, and its section the term's definition in docs/glossary.yml.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent.parent / "docs"
from .claim import Claim  # noqa: E402

HEADING = re.compile(r"^(#{1,6})\s.*\{#([\w-]+)[^}]*\}\s*$")


def all_claims() -> list[Claim]:
    found = []
    for path in sorted(HERE.glob("test_claims_*.py")):
        if path.name == Path(__file__).name:
            continue
        module = importlib.import_module(f".{path.stem}", __package__)
        for name in sorted(vars(module)):
            item = getattr(module, name)
            if callable(item) and hasattr(item, "__claim__"):
                found.append(item.__claim__)
    return found


def flatten(text: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images: their text
    text = text.replace("**", "").replace("\\", "")
    return re.sub(r"\s+", "", text)


def section(lang: str, page: str, anchor: str) -> str:
    if page == "glossary":  # the glossary pages are made from docs/glossary.yml: a term's definition
        import yaml
        for term in yaml.safe_load((DOCS / "glossary.yml").read_text(encoding="utf-8")):
            if term["id"] == anchor:
                return term[f"{lang}_def"]
        raise LookupError(f"docs/glossary.yml has no term {anchor!r}")
    lines = (DOCS / lang / f"{page}.md").read_text(encoding="utf-8").split("\n")
    start = level = None
    for i, line in enumerate(lines):
        m = HEADING.match(line)
        if not m:
            continue
        if start is None and m.group(2) == anchor:
            start, level = i, len(m.group(1))
        elif start is not None and len(m.group(1)) <= level:
            return "\n".join(lines[start:i])
    if start is None:
        raise LookupError(f"docs/{lang}/{page}.md has no heading {{#{anchor}}}")
    return "\n".join(lines[start:])


def says(text: str, quote: str) -> bool:
    at = 0
    for piece in (flatten(p) for p in quote.split("…")):
        found = text.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


CLAIMS = all_claims()


def test_there_are_claims():
    assert len(CLAIMS) >= 40, len(CLAIMS)


@pytest.mark.parametrize("c", CLAIMS, ids=[c.test.split(".")[-1] for c in CLAIMS])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_quote_is_on_the_page(c: Claim, lang: str):
    text = flatten(section(lang, c.page, c.anchor))
    quote = getattr(c, lang)
    assert says(text, quote), f"docs/{lang}/{c.page}.md#{c.anchor} no longer says: {quote!r} (guarded by {c.test})"


def test_one_test_one_sentence():
    seen = {}
    for c in CLAIMS:
        key = (c.page, c.anchor, c.en)
        assert key not in seen, f"{c.test} and {seen[key]} guard the same sentence"
        seen[key] = c.test
