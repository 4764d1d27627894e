"""What a page says about itself to a link preview, a search engine and a printer (MkDocs-free:
scripts/hooks.py passes in the page's facts).

- Link previews: a chapter's address pasted into a course forum, a learning platform or a chat
  app shows the chapter's title, its own one-sentence description (``description:`` in its front
  matter) and its first figure, as a PNG (an animation's last step, NAME.last.png): Open Graph
  and Twitter-card tags, every address absolute, from the configured site URL.
- Languages: ``<link rel="alternate" hreflang>`` to the same page in each language, and
  x-default (the English page; for the home page, the site's root, which picks a language by
  the browser's).
- Print: every link in a page's text carries its absolute address (``data-print-href``), which
  extra.css prints after it; an in-page anchor, a heading's permalink and a link around a
  picture carry none.
"""

from __future__ import annotations

import html as entities
import re
from urllib.parse import urljoin, urlsplit

# og:locale is language_TERRITORY: the English of the site is British ("colour"), the Chinese simplified
LOCALES = {"en": "en_GB", "zh": "zh_CN"}
DEFAULT_LANGUAGE = "en"  # x-default: a reader whose language is neither


def alternates(site_url: str, page_url: str, languages: list[dict]) -> list[tuple[str, str]]:
    """[(hreflang, address)]: the page in every language of ``languages`` (extra.alternate: each
    ``link`` relative to this language's ``site_url``, the languages being siblings), then
    x-default."""
    found = [(alt["lang"], urljoin(urljoin(site_url, alt["link"]), page_url)) for alt in languages]
    default = dict(found).get(DEFAULT_LANGUAGE, found[0][1] if found else None)
    if page_url in ("", "index.html"):  # the home page: the root picks the reader's language
        default = urljoin(site_url, "../")
    return found + ([("x-default", default)] if default else [])


def preview_tags(*, title: str, description: str, url: str, site_name: str, language: str,
                 alternates: list[tuple[str, str]], image: dict | None, home: bool) -> str:
    """The <head> tags of a page's link preview and its language alternates. ``image``: {url,
    width, height, alt} of its first figure, or None (a small card, no picture)."""
    esc = lambda text: entities.escape(str(text), quote=True)  # noqa: E731
    meta = [("og:type", "website" if home else "article"), ("og:site_name", site_name), ("og:title", title),
            ("og:description", description), ("og:url", url), ("og:locale", LOCALES.get(language, language))]
    meta += [("og:locale:alternate", LOCALES.get(lang, lang)) for lang, _ in alternates
             if lang not in (language, "x-default")]
    if image:
        meta += [("og:image", image["url"]), ("og:image:type", "image/png"), ("og:image:width", image["width"]),
                 ("og:image:height", image["height"]), ("og:image:alt", image["alt"])]
    tags = [f'<link rel="alternate" hreflang="{esc(lang)}" href="{esc(href)}">' for lang, href in alternates]
    tags += [f'<meta property="{name}" content="{esc(value)}">' for name, value in meta]
    twitter = [("twitter:card", "summary_large_image" if image else "summary"), ("twitter:title", title),
               ("twitter:description", description)]
    if image:
        twitter += [("twitter:image", image["url"]), ("twitter:image:alt", image["alt"])]
    tags += [f'<meta name="{name}" content="{esc(value)}">' for name, value in twitter]
    return "\n".join(tags)


# a figure of the page: its <img>, the file's name and the alt text (scripts/hooks.py's FIGURE_IMG)
FIGURE = re.compile(r'<img\b[^>]*?\bsrc="[^"]*?figures/(?P<name>[^"/#?]+)[^"]*"[^>]*>')
ALT = re.compile(r'\balt="([^"]*)"')


def first_figure(page_html: str, files) -> tuple[str, str] | None:
    """(PNG file name, alt text) of the first figure a page shows: an animation (NAME.gif) as its
    last step, NAME.last.png; a still figure as itself. Dark variants and print pictures are
    skipped; ``files``: the names of the published figures (a PNG must be one of them)."""
    for m in FIGURE.finditer(page_html):
        name = m.group("name")
        if ".dark." in name or name.endswith(".last.png"):
            continue
        png = name.removesuffix(".gif") + ".last.png" if name.endswith(".gif") else name
        if png.endswith(".png") and png in files:
            alt = ALT.search(m.group(0))
            return png, entities.unescape(alt.group(1)) if alt else ""
    return None


# a link in a page's text: its attributes, and whether a picture comes next (a link around a figure)
LINK = re.compile(r'<a\b(?P<attrs>[^>]*?)\bhref="(?P<href>[^"]*)"(?P<rest>[^>]*)>(?P<img>\s*<img\b)?')


def site_address(address: str, site_url: str, offline: bool) -> str:
    """A page's address as the site is served: the offline copy's ``glossary.html#x`` and
    ``index.html`` are the hosted site's ``glossary/#x`` and ``./``."""
    if not offline or not address.startswith(site_url):
        return address
    parts = urlsplit(address)
    path = re.sub(r"(?:^|(?<=/))index\.html$", "", parts.path)
    path = re.sub(r"\.html$", "/", path)
    return parts._replace(path=path).geturl()


def with_print_addresses(page_html: str, page_address: str, site_url: str, offline: bool = False) -> str:
    """Every link of a page's text with its absolute address in ``data-print-href`` (what a
    printed page shows after it): a link to another page of the site resolved against the page's
    own address, a link elsewhere as it is. In-page anchors, heading permalinks and links around
    a picture get none; nor does a scheme other than http(s) (mailto:)."""
    def add(m):
        href, attrs = m.group("href"), m.group("attrs") + m.group("rest")
        if (not href or href.startswith("#") or m.group("img") or "headerlink" in attrs
                or "data-print-href" in attrs):
            return m.group(0)
        address = urljoin(page_address, entities.unescape(href))
        if urlsplit(address).scheme not in ("http", "https"):
            return m.group(0)
        address = site_address(address, site_url, offline)
        end = m.end("rest")
        return (m.string[m.start():end] + f' data-print-href="{entities.escape(address, quote=True)}"'
                + m.string[end:m.end()])

    return LINK.sub(add, page_html)
