"""Sybil collects the pycon/python blocks of every page of both languages, with the
``--8<--`` snippet includes expanded, so what a page prints is what the code prints."""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

from sybil import Document, Sybil
from sybil.example import SybilFailure
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.markdown import PythonCodeBlockParser
from sybil.parsers.markdown.codeblock import CodeBlockParser

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tests"))
from helpers import DOCS, SNIPPETS, expand_with_origins  # noqa: E402


class PageWithSnippets(Document):
    """A Markdown page whose snippet includes are expanded before it is parsed."""

    origins: list[tuple[str, int]] = []
    base: Path = SNIPPETS

    @classmethod
    def parse(cls, path: str, *parsers, encoding: str = "utf-8") -> "Document":
        text, origins = expand_with_origins(Path(path).read_text(encoding=encoding), path, cls.base)
        document = cls(text, path)
        document.origins = origins
        for parser in parsers:
            for region in parser(document):
                document.add(region)
        return document

    def origin(self, example) -> str:
        """Where an example is written: the snippet file and its line, or the page's line."""
        source, line = self.origins[example.line - 1]
        return f"{Path(source).relative_to(ROOT) if Path(source).is_relative_to(ROOT) else source}, line {line}"

    def evaluate(self, example, evaluator) -> None:
        __tracebackhide__ = True
        try:
            super().evaluate(example, evaluator)
        except SybilFailure as failure:
            raise SybilFailure(example, f"(written at {self.origin(example)})\n{failure.result}") from None
        except Exception as error:
            error.add_note(f"(the example is written at {self.origin(example)})")
            raise


class PyconParser(PythonCodeBlockParser):
    """``pycon`` blocks are Python sessions: checked as doctests."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.codeblock_parser = CodeBlockParser("pycon", PythonEvaluator())


FLAGS = doctest.ELLIPSIS

pytest_collect_file = Sybil(
    parsers=[PythonCodeBlockParser(doctest_optionflags=FLAGS), PyconParser(doctest_optionflags=FLAGS)],
    path=str(DOCS),
    patterns=["en/**/*.md", "zh/**/*.md", "en/*.md", "zh/*.md"],
    document_types={".md": PageWithSnippets},
).pytest()
