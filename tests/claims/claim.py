"""A claim is a sentence a page states about what an operation does, and the test that sweeps it.

Every general statement on a page (a rule, an "always", a "never", an "only", a "the same as",
a "one more after") gets one test function in ``tests/claims/test_claims_PAGE.py``, decorated
with ``@claim(PAGE, HEADING_ID)``. Its docstring quotes the sentence as each language's page
writes it, on lines that start with ``en:`` and ``zh:`` (a quote may run over several lines;
it ends at the next ``en:``/``zh:``/``domain:`` line or the end of the docstring), and says on
a ``domain:`` line what the sweep covers. The test sweeps the claim over that whole domain
(every kernel, stride, padding, dilation … in a range, or drawn by hypothesis), not over the
page's example.

``test_claims_are_on_their_pages.py`` checks that every quote is still on its page, under its
heading (in both languages), so a sentence cannot be rewritten without its test being looked
at, and a test cannot guard a sentence the page no longer says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TAGS = ("en", "zh", "domain")


@dataclass(frozen=True)
class Claim:
    page: str  # the page's path under docs/LANG/, without .md ("frameworks", "cheat-sheet")
    anchor: str  # the id of the heading the sentence is under, the same in both languages
    en: str
    zh: str
    domain: str
    test: str  # the test function's qualified name


def parse_docstring(doc: str) -> dict[str, str]:
    """The ``en:``, ``zh:`` and ``domain:`` parts of a claim test's docstring."""
    parts: dict[str, list[str]] = {}
    current = None
    for raw in (doc or "").splitlines():
        line = raw.strip()
        m = re.match(r"^(en|zh|domain):\s*(.*)$", line)
        if m:
            current = m.group(1)
            parts[current] = [m.group(2)]
        elif current is not None and line:
            parts[current].append(line)
        elif not line:
            current = None if current == "domain" else current
    return {k: " ".join(v).strip() for k, v in parts.items()}


def claim(page: str, anchor: str):
    """Mark a test as the sweep of a claim that ``page`` states under the heading ``anchor``."""

    def mark(test):
        parts = parse_docstring(test.__doc__)
        missing = [t for t in TAGS if not parts.get(t)]
        if missing:
            raise ValueError(f"{test.__qualname__}: its docstring has no {', '.join(missing)} line")
        test.__claim__ = Claim(page, anchor, parts["en"], parts["zh"], parts["domain"],
                               f"{test.__module__}.{test.__qualname__}")
        return test

    return mark
