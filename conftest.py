"""Sybil collects the pycon/python blocks of every page of both languages, with the
``--8<--`` snippet includes expanded, so what a page prints is what the code prints."""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

from sybil import Document, Sybil
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.markdown import PythonCodeBlockParser
from sybil.parsers.markdown.codeblock import CodeBlockParser

sys.path.insert(0, str(Path(__file__).parent / "tests"))
from helpers import DOCS, expand_snippets  # noqa: E402


class PageWithSnippets(Document):
    """A Markdown page whose snippet includes are expanded before it is parsed."""

    @classmethod
    def parse(cls, path: str, *parsers, encoding: str = "utf-8") -> "Document":
        document = cls(expand_snippets(Path(path).read_text(encoding=encoding)), path)
        for parser in parsers:
            for region in parser(document):
                document.add(region)
        return document


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
