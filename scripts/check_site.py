"""Check a built site before it is published: every local link, anchor and image resolves, and
nothing is loaded from another host. The tests run these checks, and so does the Pages workflow
before it deploys.

    python scripts/check_site.py site      # one line per problem, exit status 1 if any
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

RESOURCE_TAGS = {"img": "src", "script": "src", "link": "href", "source": "src", "iframe": "src"}


class Page(HTMLParser):
    """The ids, links, resources and images of one HTML page."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.resources, self.imgs = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in RESOURCE_TAGS and a.get(RESOURCE_TAGS[tag]):
            if tag == "link" and a.get("rel") in ("canonical", "alternate"):
                self.links.append(a["href"])
            else:
                self.resources.append(a[RESOURCE_TAGS[tag]])
        if tag == "img":
            self.imgs.append(a)


def parsed(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def is_inline(url: str) -> bool:
    """A data: URI: its bytes are in the page itself (the site's icon), neither a file of the
    site nor another host."""
    return url.lower().startswith("data:")


def is_external(url: str) -> bool:
    """Whether a resource comes from elsewhere: any scheme or a protocol-relative URL (but not
    a data: URI)."""
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.I)) and not is_inline(url)


def broken_links(site: Path) -> list[str]:
    """Every local link, anchor or resource of the site that does not resolve."""
    cache: dict[Path, Page] = {}

    def page_of(path: Path) -> Page:  # each page parsed once (setdefault would parse it for every link)
        if path not in cache:
            cache[path] = parsed(path)
        return cache[path]

    problems = []
    for html in html_files(site):
        page = page_of(html)
        base = "/" + html.relative_to(site).as_posix()
        for url in page.links + page.resources:
            if is_external(url) or is_inline(url):
                continue
            parts = urlsplit(urljoin(base, url))
            target = site / unquote(parts.path).lstrip("/")
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{html.relative_to(site)}: {url} → missing {target.relative_to(site)}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = page_of(target).ids
                if parts.fragment not in ids:
                    problems.append(f"{html.relative_to(site)}: {url} → no anchor #{parts.fragment}")
    return problems


def external_resources(site: Path) -> list[str]:
    """Everything a page would load from another host (scripts, styles, images, fonts)."""
    found = []
    for html in html_files(site):
        found += [f"{html.relative_to(site)}: {u}" for u in parsed(html).resources if is_external(u)]
        text = html.read_text(encoding="utf-8")
        found += [f"{html.relative_to(site)}: {host}" for host in ("fonts.googleapis", "cdn.jsdelivr", "unpkg.com")
                  if host in text]
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", css.read_text(encoding="utf-8")):
            url = url.strip("'\"")
            if not url.startswith("data:") and is_external(url):
                found.append(f"{css.relative_to(site)}: {url}")
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python scripts/check_site.py SITE_DIR (a built site)", file=sys.stderr)
        return 2
    site = Path(argv[0])
    if not html_files(site):
        print(f"check_site: {site}: no HTML page in it", file=sys.stderr)
        return 1
    problems = broken_links(site) + [f"{p} (another host)" for p in external_resources(site)]
    for problem in problems:
        print(f"check_site: {problem}", file=sys.stderr)
    print(f"check_site: {len(html_files(site))} pages, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
