"""scripts/kept.py: what a site build keeps for the next one. A value is made once per key, the
last build's value is used when its key comes again, a store holds only the values one build
used, its name changes with what made its values, and a store that cannot be read or written
costs time, never a failure. (That a build with nothing kept and one with everything kept give
the same bytes is test_faults' two-build test.)"""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import kept  # noqa: E402


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("FIGURES_CACHE", str(tmp_path / "figures"))
    return tmp_path


def test_a_value_is_made_once_and_kept_for_the_next_build(cache_dir):
    made = []

    def make(value):
        made.append(value)
        return {"text": value, "order": [3, 1, 2]}

    first = kept.Store("search-en", b"material 9")
    assert first.get("a", lambda: make("A")) == {"text": "A", "order": [3, 1, 2]}
    assert first.get("a", lambda: make("again")) == {"text": "A", "order": [3, 1, 2]}
    first.get("b", lambda: make("B"))
    first.keep()
    assert made == ["A", "B"]
    assert first.path.parent == cache_dir / "kept"

    second = kept.Store("search-en", b"material 9")
    assert second.get("b", lambda: make("never")) == {"text": "B", "order": [3, 1, 2]}
    second.keep()
    assert made == ["A", "B"]
    assert kept.Store("search-en", b"material 9").old() == {"b": {"text": "B", "order": [3, 1, 2]}}  # only what was used


def test_a_store_is_written_only_when_it_changed_and_replaces_other_versions(cache_dir):
    old = kept.Store("katex-zh", b"katex 0.16.9")
    old.get("(x", lambda: "<span>x</span>")
    old.keep()
    new = kept.Store("katex-zh", b"katex 0.16.10")
    new.get("(x", lambda: "<span>x</span>")
    new.keep()
    assert sorted(p.name for p in (cache_dir / "kept").iterdir()) == [new.path.name]
    other = kept.Store("katex-en", b"katex 0.16.10")  # another store, not a version of this one
    other.get("(y", lambda: "y")
    other.keep()
    stamp = new.path.stat().st_mtime_ns
    again = kept.Store("katex-zh", b"katex 0.16.10")
    again.get("(x", lambda: "never")
    os.utime(new.path, ns=(stamp - 10**9, stamp - 10**9))
    again.keep()  # the same values: not written again
    assert new.path.stat().st_mtime_ns == stamp - 10**9
    assert sorted(p.name for p in (cache_dir / "kept").iterdir()) == sorted([new.path.name, other.path.name])


def test_what_made_the_values_names_the_store():
    assert kept.Store("katex-en", b"one").path != kept.Store("katex-en", b"two").path
    assert kept.Store("katex-en", b"ab", b"c").path != kept.Store("katex-en", b"a", b"bc").path
    assert kept.key("x", [1, 2]) == kept.key("x", [1, 2]) != kept.key("x", [2, 1])


def test_a_store_that_cannot_be_read_is_empty(cache_dir):
    store = kept.Store("notebooks-zh", b"v")
    store.path.parent.mkdir(parents=True)
    for text in ("{not json", "[1, 2]", ""):
        store.path.write_text(text)
        again = kept.Store("notebooks-zh", b"v")
        assert again.old() == {}
        assert again.get("k", lambda: "made") == "made"


def test_a_place_under_a_file_costs_only_time(cache_dir):
    (cache_dir / "kept").write_text("a file where the folder would be")
    store = kept.Store("highlight-en", b"v")
    assert store.get("k", lambda: "made") == "made"
    store.keep()  # no error
    assert (cache_dir / "kept").read_text() == "a file where the folder would be"
