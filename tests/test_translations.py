"""The en and zh trees stay in step; and the check itself catches what it should."""

import importlib.util
import re
import shutil

from helpers import DOCS, LANGS, ROOT, SNIPPETS, pages

spec = importlib.util.spec_from_file_location("check_translations", ROOT / "scripts" / "check_translations.py")
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)


def test_trees_are_in_step():
    assert check.problems() == []


def test_every_page_has_both_languages_and_explicit_ids():
    for lang in LANGS:
        assert pages(lang), f"no pages in docs/{lang}"
        for page in pages(lang):
            for level, anchor in check.structure(page.read_text(encoding="utf-8"))["headings"]:
                assert anchor, f"{page}: heading without explicit id"


def test_the_check_finds_a_missing_page_a_changed_id_and_a_missing_figure(tmp_path):
    for lang in LANGS:
        shutil.copytree(DOCS / lang, tmp_path / lang)
    page = tmp_path / "zh" / "sliding-window.md"
    text = page.read_text(encoding="utf-8")
    text = text.replace("{#padding}", "{#tian-chong}", 1).replace("figures/dilation.gif", "figures/other.gif", 1)
    page.write_text(text, encoding="utf-8")
    (tmp_path / "en" / "extra.md").write_text("# Extra {#extra}\n", encoding="utf-8")
    found = "\n".join(check.problems(tmp_path))
    assert "zh/extra.md: missing" in found
    assert "headings differ" in found
    assert "figures differ" in found


def test_every_snippet_section_is_shown_on_a_page():
    included = set()
    for lang in LANGS:
        for page in pages(lang):
            included |= set(re.findall(r'--8<--\s+"([^"]+)"', page.read_text(encoding="utf-8")))
    for snippet in SNIPPETS.iterdir():
        sections = re.findall(r"--8<-- \[start:([\w-]+)\]", snippet.read_text(encoding="utf-8"))
        for section in sections:
            assert f"{snippet.name}:{section}" in included, f"{snippet.name}:{section} is never shown"
