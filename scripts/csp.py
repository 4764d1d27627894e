"""The Content-Security-Policy of every page: the site runs only the scripts it shipped.

The hosts we deploy to cannot send headers, so the policy is a ``<meta http-equiv>`` tag, the first
element of each page's ``<head>`` (a meta policy covers only what comes after it). Scripts: the
site's own files (``'self'``) and each inline script the build emitted, by its SHA-256, computed
from the page itself when it is written, so a changed script changes its hash. Styles: the site's
own and inline ones (KaTeX sets heights in ``style`` attributes). Nothing else may be loaded or
connected to: no other host, no plugin, no ``<base>`` elsewhere, no form sent elsewhere.

The offline copy (file://) has its own policy: there Material runs search in a frame that
iframe-worker's shim writes with an inline script naming the worker's file:// address, which no
build can know, so scripts are ``'self' 'unsafe-inline'``; the page still reaches no host
(``connect-src 'self'``, and file:// pages have no network to reach).

A host that can send headers should add what a meta tag cannot carry (README, "Hosting"):
``Content-Security-Policy: frame-ancestors 'self'`` (or the hosts that may frame the figure pages),
``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: strict-origin-when-cross-origin``.
MkDocs-free: scripts/hooks.py and build_site.py call it.
"""

from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s+[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
HEAD = re.compile(r"<head\b[^>]*>", re.I)
EXECUTABLE_TYPES = ("", "text/javascript", "module", "application/javascript")

COMMON = ("default-src 'self'", "connect-src 'self'", "img-src 'self' data: blob:", "font-src 'self'",
          "style-src 'self' 'unsafe-inline'", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
          "worker-src 'self'")


def inline_hashes(html: str) -> list[str]:
    """The CSP source of every inline script the page runs ('sha256-…'), in the page's order, once each."""
    found = []
    for m in INLINE_SCRIPT.finditer(html):
        attrs = m.group("attrs") or ""
        if re.search(r"\bsrc\s*=", attrs, re.I):
            continue
        kind = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]*)", attrs, re.I)
        if kind and kind.group(1).lower() not in EXECUTABLE_TYPES:
            continue  # a data block (Material's __config JSON): never run
        digest = base64.b64encode(hashlib.sha256(m.group("body").encode("utf-8")).digest()).decode()
        source = f"'sha256-{digest}'"
        if source not in found:
            found.append(source)
    return found


def policy(html: str, offline: bool = False) -> str:
    scripts = "script-src 'self' 'unsafe-inline'" if offline else " ".join(["script-src 'self'", *inline_hashes(html)])
    return "; ".join([COMMON[0], scripts, *COMMON[1:]])


CHARSET = re.compile(r'\s*<meta charset="?utf-8"?\s*/?>', re.I)


def add_policy(html: str, offline: bool = False) -> str:
    """The page with its policy as the first element of <head> (an earlier policy tag replaced),
    and the page's ``<meta charset>`` right after it, where a browser's encoding sniffer, which
    reads only the first 1024 bytes, still finds it (the scripts that came first pushed it out)."""
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    charset = CHARSET.search(html)
    if charset:
        html = html[: charset.start()] + html[charset.end():]
    head = HEAD.search(html)
    if head is None:
        raise ValueError("a page without <head>: no place for its Content-Security-Policy")
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, offline)}">'
    return html[: head.end()] + tag + ('<meta charset="utf-8">' if charset else "") + html[head.end():]
