"""Every chapter's snippets as a Jupyter notebook (scripts/notebooks.py, published by
gen_notebooks.py as /LANG/notebooks/NAME.ipynb, downloaded from a button beside the chapter's title).

The notebooks validate (nbformat); their code cells, run in order in one namespace the way a
notebook runs them, print and return what the notebook stores, and what it stores is what the page
shows; both languages have the same code cells under their own page's headings; the built site
holds them and links them from each chapter's title."""

from __future__ import annotations

import ast
import contextlib
import doctest
import functools
import io
import re
import sys
import warnings
from urllib.parse import urljoin

import nbformat
import pytest

from helpers import DOCS, LANGS, ROOT, expand_snippets, pages

sys.path.insert(0, str(ROOT / "scripts"))
import notebooks  # noqa: E402

SITE = "https://example.org/course/{lang}/"
REPOSITORY = "https://example.org/repository"
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*\{\s*#([A-Za-z0-9_-]+)\s*\}\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
PYCON = re.compile(r"^([ \t]*)```pycon\n(.*?)^\1```", re.MULTILINE | re.DOTALL)
LABEL = {"en": "Download as notebook", "zh": "下载 Jupyter 笔记本"}


@functools.cache
def made(lang: str) -> dict:
    """{chapter: the bytes of its notebook}"""
    made = notebooks.notebooks(DOCS / lang, lang, SITE.format(lang=lang), REPOSITORY)
    return {name.removesuffix(".ipynb"): data for name, data in made.items()}


def read(data: bytes):
    return nbformat.reads(data.decode("utf-8"), as_version=nbformat.NO_CONVERT)


def chapters(lang: str = "en") -> list[str]:
    """The pages that include snippets: the chapters that must have a notebook."""
    return [page.stem for page in pages(lang) if "--8<--" in page.read_text(encoding="utf-8")]


def code_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def output_text(output) -> str:
    """An output as the page's session shows it."""
    if output.output_type == "stream":
        return output.text
    if output.output_type == "execute_result":
        return output.data["text/plain"] + "\n"
    return "\n".join(output.traceback) + "\n"


def page_headings(lang: str, name: str) -> list[tuple[int, str, str]]:
    headings, in_code = [], False
    for line in (DOCS / lang / f"{name}.md").read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            in_code = not in_code
        elif not in_code and (m := HEADING.match(line)):
            headings.append((len(m.group(1)), m.group(2), m.group(3)))
    return headings


def page_examples(lang: str, name: str) -> list[doctest.Example]:
    """The page's sessions as the tests of the pages read them (snippets expanded as Sybil's do)."""
    text = expand_snippets((DOCS / lang / f"{name}.md").read_text(encoding="utf-8"))
    parser = doctest.DocTestParser()
    return [example for m in PYCON.finditer(text)
            for example in parser.get_examples(re.sub(rf"^{m.group(1)}", "", m.group(2), flags=re.MULTILINE))]


def test_every_chapter_with_snippets_has_a_notebook():
    names = chapters()
    assert len(names) >= 14 and chapters("zh") == names
    for lang in LANGS:
        assert sorted(made(lang)) == names


def test_notebooks_validate_and_two_runs_give_the_same_bytes():
    for lang in LANGS:
        again = notebooks.notebooks(DOCS / lang, lang, SITE.format(lang=lang), REPOSITORY)
        for name, data in made(lang).items():
            assert again[f"{name}.ipynb"] == data, name
            nb = read(data)
            nbformat.validate(nb)
            assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
            assert nb.metadata.kernelspec.name == "python3"
            ids = [cell.id for cell in nb.cells]
            assert len(ids) == len(set(ids)), name
            counts = [cell.execution_count for cell in code_cells(nb)]
            assert counts == list(range(1, len(counts) + 1)), name


def test_both_languages_have_the_same_code_cells():
    for name in made("en"):
        en, zh = read(made("en")[name]), read(made("zh")[name])
        assert code_cells(en) == code_cells(zh), name


def test_markdown_cells_are_the_headings_of_the_pages_language():
    """The title first (with the chapter's address and the licences), then every heading of the
    page in reading order, with its id as an anchor."""
    words = {"en": ("MIT licence", "CC BY 4.0"), "zh": ("MIT 许可", "CC BY 4.0")}
    for lang in LANGS:
        for name, data in made(lang).items():
            nb = read(data)
            headings = page_headings(lang, name)
            title = nb.cells[0]
            assert title.cell_type == "markdown" and title.source.startswith(f"# {headings[0][1]}\n")
            assert title.id == headings[0][2]
            assert f"<{SITE.format(lang=lang)}{name}/>" in title.source
            assert all(word in title.source for word in words[lang])
            assert ("figures" in title.source) == ("import figures" in "".join(c.source for c in code_cells(nb))
                                                   or "from figures" in "".join(c.source for c in code_cells(nb)))
            cells = [cell for cell in nb.cells[1:] if cell.cell_type == "markdown"]
            shown = []
            for cell in cells:
                m = re.fullmatch(r'<a id="([\w-]+)"></a>\n\n(#+) (.*)', cell.source)
                assert m and cell.id == m.group(1), cell.source
                shown.append((len(m.group(2)), m.group(3), m.group(1)))
            assert shown == headings[1:], (lang, name)


def test_stored_outputs_are_the_pages_outputs():
    """Each output is stored on the cell that ends with the statement that printed it, and is the
    page's output, character for character; the code is the page's code, in the page's order."""
    for lang in LANGS:
        for name, data in made(lang).items():
            examples, nb = page_examples(lang, name), read(data)
            cells = code_cells(nb)
            assert "".join(e.source for e in examples) == "".join(cell.source + "\n" for cell in cells)
            page, source = [], ""
            for example in examples:
                source += example.source
                if example.want:
                    page.append((source, example.want.replace("<BLANKLINE>", "")))
            stored, source = [], ""
            for cell in cells:
                source += cell.source + "\n"
                assert len(cell.outputs) <= 1
                stored += [(source, output_text(output)) for output in cell.outputs]
            assert stored == page, (lang, name)
            assert len(page) > 0


WARNINGS: list = []


def run(nb) -> list[list[dict]]:
    """Every code cell of ``nb``, in order, in one namespace, as Jupyter runs a notebook: each
    cell's printed text (a stream), then the value of its last statement if that is an expression
    and not None (a result, its repr); an exception becomes the cell's error and the next cell
    runs (as "raises-exception" tells Jupyter to)."""
    namespace = {"__name__": "__main__"}
    outputs = []
    for cell in code_cells(nb):
        tree = ast.parse(cell.source)
        last = tree.body.pop() if isinstance(tree.body[-1], ast.Expr) else None
        printed, value, error = io.StringIO(), None, None
        with contextlib.redirect_stdout(printed), warnings.catch_warnings(record=True) as warned:
            python_default_warning_filters()
            try:
                exec(compile(tree, f"<cell {cell.id}>", "exec"), namespace)
                if last is not None:
                    value = eval(compile(ast.Expression(last.value), f"<cell {cell.id}>", "eval"), namespace)
            except Exception as exc:  # noqa: BLE001
                error = {"output_type": "error", "ename": type(exc).__name__, "evalue": str(exc)}
        got = [{"output_type": "stream", "name": "stdout", "text": printed.getvalue()}] if printed.getvalue() else []
        # a warning goes to stderr, which the page's session does not show (nor does the notebook
        # store it): noted, not compared
        WARNINGS.extend(f"cell {cell.id}: {w.category.__name__}: {w.message}" for w in warned)
        if value is not None:
            got.append({"output_type": "execute_result", "text/plain": repr(value)})
        outputs.append(got + ([error] if error else []))
    return outputs


def python_default_warning_filters() -> None:
    """The warnings Python (and a Jupyter kernel) shows by default, whatever pytest's settings:
    a DeprecationWarning only when the code run in __main__ (a cell) triggers it."""
    warnings.resetwarnings()
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__", append=True)
    for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
        warnings.filterwarnings("ignore", category=category, append=True)
    warnings.filterwarnings("default", append=True)


def stored(output) -> dict:
    """What of a stored output a run must reproduce (a traceback's frames are not shown)."""
    if output.output_type == "execute_result":
        return {"output_type": "execute_result", "text/plain": output.data["text/plain"]}
    if output.output_type == "error":
        return {"output_type": "error", "ename": output.ename, "evalue": output.evalue}
    return {"output_type": "stream", "name": output.name, "text": output.text}


@pytest.mark.parametrize("name", chapters())
def test_a_notebook_run_in_order_gives_its_stored_outputs(name):
    """Run in one namespace, cell after cell (no Jupyter kernel); the other language's notebook
    has the same code cells (test above), so the English one is run."""
    nb = read(made("en")[name])
    got = run(nb)
    cells = code_cells(nb)
    for cell, outputs in zip(cells, got):
        assert outputs == [stored(output) for output in cell.outputs], f"{name}, cell {cell.id}:\n{cell.source}"
        if any(o["output_type"] == "error" for o in outputs):
            assert cell.metadata.get("tags") == ["raises-exception"]
    print(f"{name}: {len(cells)} cells run, {sum(len(o) for o in got)} outputs compared", *WARNINGS, sep="\n  ")
    WARNINGS.clear()


# the built site (the session's build, shared with test_site.py and test_browser.py)

def test_the_site_publishes_every_notebook(site):
    for lang in LANGS:
        published = sorted(p.name for p in (site / lang / "notebooks").iterdir())
        assert published == [f"{name}.ipynb" for name in chapters()]
        for name in chapters():
            nb, ours = read((site / lang / "notebooks" / f"{name}.ipynb").read_bytes()), read(made(lang)[name])
            nbformat.validate(nb)
            assert nb.cells[1:] == ours.cells[1:] and nb.metadata == ours.metadata
            assert nb.cells[0].source.startswith(ours.cells[0].source.split("\n", 1)[0] + "\n")


BUTTON = re.compile(r'<a href="([^"]+)" download class="md-content__button md-button notebook-download"\s+'
                    r'title="([^"]+)" aria-label="([^"]+)">')


def test_each_chapter_links_its_notebook_from_a_button_beside_its_title(site):
    names = set(chapters())
    for lang in LANGS:
        for page in (site / lang).rglob("index.html"):
            name = page.parent.relative_to(site / lang).as_posix()
            html = page.read_text(encoding="utf-8")
            buttons = BUTTON.findall(html)
            if name not in names:
                assert "notebook-download" not in html, page
                continue
            assert len(buttons) == 1, page
            href, title, label = buttons[0]
            assert urljoin(f"https://h/{lang}/{name}/", href) == f"https://h/{lang}/notebooks/{name}.ipynb"
            assert title == label == LABEL[lang]
            # beside the title: in the article, just before the chapter's h1
            article = html[html.index('<article class="md-content__inner md-typeset">'):]
            assert re.match(r'<article[^>]*>\s*<a href="[^"]*" download[^>]*>.*?</a>\s*<h1 id="', article, re.DOTALL), page


def test_the_button_in_a_browser(served):
    """Reached by keyboard, 4.5:1 at rest and focused in light and dark, hidden in print."""
    browsing = pytest.importorskip("browsing")
    from playwright.sync_api import sync_playwright

    def luminance(color):
        r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", color)[:3])
        return sum(w * (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
                   for w, c in zip((0.2126, 0.7152, 0.0722), (r, g, b)))

    def contrast(a, b):
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    style = "(() => { const s = getComputedStyle(document.querySelector('.notebook-download')); return [s.color, s.backgroundColor]; })()"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(browsing.CHROMIUM), args=browsing.ARGS)
        for lang in LANGS:
            for scheme in ("light", "dark"):
                context = browser.new_context(color_scheme=scheme)
                page = context.new_page()
                page.goto(f"{served}{lang}/channels/", wait_until="networkidle")
                button = page.locator(".notebook-download")
                assert button.get_attribute("aria-label") == LABEL[lang]
                color, _ = page.evaluate(style)
                assert contrast(color, page.evaluate("getComputedStyle(document.body).backgroundColor")) >= 4.5
                for _ in range(80):
                    page.keyboard.press("Tab")
                    if page.evaluate("document.activeElement.classList.contains('notebook-download')"):
                        break
                else:
                    pytest.fail("the notebook button is not reached by Tab")
                page.wait_for_timeout(300)  # Material's colour transition
                color, background = page.evaluate(style)
                assert contrast(color, background) >= 4.5, (lang, scheme, color, background)
                page.emulate_media(media="print")
                assert button.is_hidden()
                context.close()
        browser.close()
