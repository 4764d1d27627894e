"""What a site build worked out, kept beside the figure cache for the next build (MkDocs-free).

A warm build redoes only what changed: each page's HTML made from its Markdown, KaTeX's HTML of
each formula, each page's search entries with jieba's word breaks, Pygments' HTML of each block
of code (hooks.py), and each chapter's notebook (gen_notebooks.py).

A store is one JSON file, ``kept/NAME-DIGEST.json`` in the folder that holds the figure cache
(``$FIGURES_CACHE``'s parent). DIGEST names what made its values (MkDocs, Markdown and the
hooks; katex.min.js; Material, jieba and the user dictionary; Pygments and pymdown-extensions;
notebooks.py and nbformat), so a new
version of any of them starts from an empty store, and the first write of that store removes
the old one; a value's key names everything it is made from. A build writes only the values it
used, and only if they are not the last build's, so a store holds one build and never grows. A
store that cannot be read is empty; one that cannot be written costs the next build only time.
A build with nothing kept and a build with everything kept give the same bytes (tested).
"""

from __future__ import annotations

import hashlib
import json
from typing import Callable


def digest(*parts: bytes | str) -> str:
    """A short name for ``parts`` (each one's length goes in too: ("ab", "c") is not ("a", "bc"))."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()[:16]


def key(*values) -> str:
    """The key of a value made from ``values`` (anything JSON can write)."""
    return digest(json.dumps(values, ensure_ascii=False, sort_keys=True, default=str))


class Store:
    """The values of one kind (``name``) made by one version of their makers (``made_by``)."""

    def __init__(self, name: str, *made_by: bytes | str):
        from figures import cache

        self.name = name
        self.path = cache.directory().parent / "kept" / f"{name}-{digest(*made_by)}.json"
        self.used: dict = {}  # this build's values: what keep() writes
        self._old: dict | None = None

    def old(self) -> dict:
        """The values the last build kept ({} if there are none or they cannot be read)."""
        if self._old is None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            self._old = data if isinstance(data, dict) else {}
        return self._old

    def get(self, name: str, make: Callable):
        """The value of key ``name``: this build's, else the last build's, else ``make()``."""
        if name not in self.used:
            old = self.old()
            self.used[name] = old[name] if name in old else make()
        return self.used[name]

    def keep(self) -> None:
        """Write this build's values for the next build, atomically, each as it was made (the
        keys of a value's objects in their order), unless they are the last build's; a place
        that cannot be written (read-only, full) is left as it is."""
        from figures import cache

        if not self.used or self.used == self.old():  # nothing new: the file stays as it is
            return
        try:
            cache.write_atomic(self.path, json.dumps(self.used, ensure_ascii=False).encode())
            for other in self.path.parent.glob(f"{self.name}-*.json"):  # made by other versions: never used again
                if other != self.path:
                    other.unlink()
        except OSError:
            pass
