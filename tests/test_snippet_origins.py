"""A snippet whose printed output is wrong fails at the line of docs/snippets/*.pycon that holds
it (the page that includes it is named too): the reader of a failure goes straight to the file
to fix."""

import importlib.util
from pathlib import Path

import pytest
from sybil.example import SybilFailure

from helpers import LANGS, ROOT, expand_with_origins, pages


def _root_conftest():
    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_included_line_maps_to_its_snippet_line():
    checked = 0
    for lang in LANGS:
        for page in pages(lang):
            text, origins = expand_with_origins(page.read_text(encoding="utf-8"), str(page))
            assert len(origins) == len(text.split("\n"))
            for line, (source, number) in zip(text.split("\n"), origins):
                if source.endswith(".md"):
                    continue
                assert Path(source).read_text(encoding="utf-8").split("\n")[number - 1].strip() == line.strip()
                checked += 1
    assert checked > 1000


def test_a_wrong_output_is_reported_at_the_snippet_line(tmp_path):
    (tmp_path / "wrong.pycon").write_text(
        "# --8<-- [start:other]\n>>> 1 + 1\n2\n# --8<-- [end:other]\n\n"
        "# --8<-- [start:sums]\n>>> 2 + 2\n4\n>>> 3 + 3\n7\n# --8<-- [end:sums]\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text('# A page\n\nSome text.\n\n```pycon\n--8<-- "wrong.pycon:sums"\n```\n', encoding="utf-8")
    conftest = _root_conftest()

    class Page(conftest.PageWithSnippets):
        base = tmp_path

    document = Page.parse(str(page), conftest.PyconParser(doctest_optionflags=conftest.FLAGS))
    examples = list(document.examples())
    assert len(examples) == 2
    examples[0].evaluate()  # 2 + 2 is 4
    with pytest.raises(SybilFailure) as failure:
        examples[1].evaluate()
    message = str(failure.value)
    assert f"written at {tmp_path / 'wrong.pycon'}, line 9" in message  # the line of ">>> 3 + 3"
    assert str(page) in message  # and the page that includes it
