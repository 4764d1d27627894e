"""CITATION.cff is valid Citation File Format, and the BibTeX that the instructors pages show
(both languages) and that scripts/citation.py makes agree with it."""

import re
import sys

import pytest
import yaml

from helpers import LANGS, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import citation  # noqa: E402

CFF_KEYS = {"cff-version", "message", "title", "authors"}  # what CFF 1.2.0 requires
SECTION = re.compile(r"^## .*\{#cite\}\s*$(.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)
BIBTEX = re.compile(r"^```bibtex\n(.*?)^```", re.MULTILINE | re.DOTALL)


def fields(entry: str) -> dict:
    """{field: value} of one BibTeX entry, the value without its outer braces."""
    return {name: value for name, value in re.findall(r"^\s+(\w+)\s*=\s*\{(.*)\},?$", entry, re.MULTILINE)}


def bare(value: str) -> str:
    return value.replace("{", "").replace("}", "")


def page_bibtex(lang: str) -> str:
    text = (ROOT / "docs" / lang / "instructors.md").read_text(encoding="utf-8")
    section = SECTION.search(text)
    assert section, f"{lang}/instructors.md: no section with the id #cite"
    blocks = BIBTEX.findall(section.group(1))
    assert len(blocks) == 1, f"{lang}/instructors.md#cite: {len(blocks)} bibtex blocks"
    return blocks[0].strip()


def test_citation_cff_is_valid():
    data = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert CFF_KEYS <= data.keys()
    assert data["cff-version"] == "1.2.0"
    assert data["authors"] and all("name" in a or "family-names" in a for a in data["authors"])
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{data["version"]}"' in pyproject  # the package's version
    assert set(data["license"]) == {"MIT", "CC-BY-4.0"}  # LICENSE and LICENSE-CONTENT
    assert "abstract" in data or "preferred-citation" in data
    preferred = data["preferred-citation"]
    assert {"type", "title", "authors"} <= preferred.keys()
    # an address only where the repository states one (none does today)
    for address in (data.get("url"), data.get("repository-code"), preferred.get("url")):
        assert address is None or address.startswith("https://")


@pytest.mark.parametrize("lang", LANGS)
def test_the_instructors_page_cites_as_citation_cff_says(lang):
    shown = page_bibtex(lang)
    assert shown == citation.bibtex()  # the entry scripts/citation.py makes, word for word
    data = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    preferred = data["preferred-citation"]
    entry = fields(shown)
    assert shown.startswith("@misc{")
    assert bare(entry["title"]) == preferred["title"] == data["title"]
    assert entry["year"] == str(preferred["year"])
    assert re.search(rf"\bVersion {re.escape(data['version'])}\b", entry["note"])
    assert bare(entry["author"]) == " and ".join(a["name"] for a in preferred["authors"])
    assert entry.get("url") == (preferred.get("url") or data.get("url"))


def test_a_figure_has_its_own_citation():
    from figures import catalog

    classic = citation.bibtex("padding-strides", url="https://example.org/en/figures/padding-strides/")
    entry = fields(classic)
    assert classic.startswith("@misc{convolution-visualized-padding-strides,")
    assert "padding-strides" in entry["title"] and "Convolution Visualized" in entry["title"]
    assert "CC BY 4.0" in entry["note"] and "Dumoulin" in entry["note"]  # the guide it redraws
    assert entry["url"] == "https://example.org/en/figures/padding-strides/"
    assert "Dumoulin" not in citation.bibtex("photo-edges")  # not a classic
    assert {e.name for e in catalog.classics()} >= {"padding-strides", "dilation"}
    with pytest.raises(ValueError, match="no-such-figure"):
        citation.bibtex("no-such-figure")
    assert citation.main(["no-such-figure"]) == 2
