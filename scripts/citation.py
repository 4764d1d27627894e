"""How to cite the site, or one of its figures, as BibTeX: made from CITATION.cff (MkDocs-free).

    python scripts/citation.py                     # the site's entry (the instructors page shows it)
    python scripts/citation.py padding-strides     # one figure's entry
    python scripts/citation.py padding-strides --url https://example.org/en/figures/padding-strides/

``bibtex()`` is what a page that cites (the instructors page, a figure's page) uses; the tests
compare the instructors pages' BibTeX with it and with CITATION.cff. The entries are @misc with
plain fields (author, title, year, note, url), which every BibTeX and biblatex style reads;
names are braced so that no style re-cases them or splits the project's name into a person's.
"""

from __future__ import annotations

import argparse
import copy
import sys
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CFF = ROOT / "CITATION.cff"
KEY = "convolution-visualized"
LICENCES = {"CC-BY-4.0": "CC BY 4.0", "MIT": "MIT"}  # SPDX → as a reader writes it
REFERENCES = ROOT / "docs" / "references.yml"
CLASSICS_SOURCE = "dumoulin-2016"  # what the classic figures redraw (the instructors page asks to credit it too)


def load(path: Path):
    """A YAML file as data, parsed once per version of the file (a site build cites 49 figures)."""
    stat = path.stat()
    return copy.deepcopy(_parsed(path, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _parsed(path: Path, mtime_ns: int, size: int):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def cff(path: Path = CFF) -> dict:
    """CITATION.cff as data."""
    return load(path)


def facts(path: Path = CFF) -> dict:
    """What a citation says, from CITATION.cff (its preferred citation first): title, authors
    (BibTeX's form), year, version, licence (SPDX) and url (None where the file gives none)."""
    data = cff(path)
    preferred = data.get("preferred-citation") or {}
    year = preferred.get("year") or str(data.get("date-released", ""))[:4] or None
    licence = preferred.get("license") or data.get("license")
    return {
        "title": preferred.get("title") or data["title"],
        "authors": " and ".join(_author(a) for a in preferred.get("authors") or data["authors"]),
        "year": str(year) if year else None,
        "version": str(preferred.get("version") or data.get("version") or "") or None,
        "licence": licence if isinstance(licence, str) else None,
        "url": preferred.get("url") or data.get("url"),
    }


def _author(author: dict) -> str:
    if "name" in author:  # an entity: one brace group, never read as "Family, Given"
        return "{" + _escape(author["name"]) + "}"
    given, family = author.get("given-names", ""), author.get("family-names", "")
    particle = author.get("name-particle", "")
    family = f"{particle} {family}".strip()
    return _escape(f"{family}, {given}" if given else family)


def _escape(text: str) -> str:
    for char in "\\&%$#_":
        text = text.replace(char, "\\" + char)
    return text


def source(work_id: str) -> str:
    """A work of docs/references.yml as a note says it: authors, title (year), venue."""
    works = load(REFERENCES)["works"]
    work = next(w for w in works if w["id"] == work_id)
    authors = " and ".join(a.strip() for a in work["authors"].split(","))
    return f"{authors}, {work['title']} ({work['year']}), {work['venue']}"


def bibtex(figure: str | None = None, url: str | None = None, path: Path = CFF) -> str:
    """The BibTeX entry of the site, or of the figure named ``figure`` (a name of the catalog,
    ``python -m figures list``; ValueError for any other). ``url``: the address to cite (a
    figure's page); by default CITATION.cff's, if it gives one."""
    f = facts(path)
    title = "{" + _escape(f["title"]) + "}"
    notes = [f"Version {f['version']}"] if f["version"] else []
    key = KEY
    if figure is not None:
        from figures import catalog

        catalog.get(figure)  # ValueError: no figure of that name
        key = f"{KEY}-{figure}"
        title = f"{title}: figure {{{figure}}}"
        if f["licence"]:
            notes.append(LICENCES.get(f["licence"], f["licence"]))
        if figure in {entry.name for entry in catalog.classics()}:
            notes.append(f"after {source(CLASSICS_SOURCE)}")
    fields = [("author", "{" + f["authors"] + "}"), ("title", "{" + title + "}")]
    if f["year"]:
        fields.append(("year", "{" + f["year"] + "}"))
    if notes:
        fields.append(("note", "{" + _escape("; ".join(notes)) + "}"))
    if url or f["url"]:
        fields.append(("url", "{" + (url or f["url"]) + "}"))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name:<{width}} = {value}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The BibTeX entry of the site or of one figure.")
    parser.add_argument("figure", nargs="?", help="a figure's name (python -m figures list)")
    parser.add_argument("--url", help="the address to cite")
    args = parser.parse_args(argv)
    try:
        print(bibtex(args.figure, args.url))
    except ValueError as error:
        print(f"citation: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
