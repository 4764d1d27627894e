"""The anchors the site publishes: every heading id of every page, as "page/#id" ("./#id" on the home page).

Courses link to these, so once published an anchor must never disappear. The list of every
anchor ever published lives in docs/published_anchors.txt; tests/test_site.py fails if the
built site lacks one of them (in either language), or has a new one that is not listed yet.

    python scripts/anchors.py site/en            # print the anchors of a built site
    python scripts/anchors.py site/en --record   # add the new ones to docs/published_anchors.txt
"""

from __future__ import annotations

import argparse
import re
from html.parser import HTMLParser
from pathlib import Path

LIST = Path(__file__).resolve().parent.parent / "docs" / "published_anchors.txt"


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            anchor = dict(attrs).get("id")
            if anchor and not anchor.startswith("__"):
                self.ids.append(anchor)


def site_anchors(site_lang_dir: Path) -> set[str]:
    found = set()
    for html in sorted(site_lang_dir.rglob("index.html")):
        rel = html.parent.relative_to(site_lang_dir).as_posix()
        page = "./" if rel == "." else f"{rel}/"
        parser = _Headings()
        parser.feed(html.read_text(encoding="utf-8"))
        found |= {f"{page}#{anchor}" for anchor in parser.ids}
    return found


def published() -> set[str]:
    lines = LIST.read_text(encoding="utf-8").splitlines() if LIST.exists() else []
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built language folder, e.g. site/en")
    parser.add_argument("--record", action="store_true", help="add new anchors to the published list")
    args = parser.parse_args()
    current = site_anchors(args.site)
    if not args.record:
        print("\n".join(sorted(current)))
        return
    before = published()
    merged = sorted(before | current)
    header = "# Every anchor the site has published (page/#id). Add, never remove: courses link to them.\n"
    LIST.write_text(header + "\n".join(merged) + "\n", encoding="utf-8")
    print(f"{len(merged)} anchors in {LIST.name} ({len(current - before)} new)")


if __name__ == "__main__":
    main()
