"""A chapter's code as a Jupyter notebook: its snippets, cell by cell, under its headings.

MkDocs-free (the gen-files adapter gen_notebooks.py writes what this makes into each language's
build; the tests call it directly). A chapter's notebook is made from the page itself and the
snippets it includes, expanded by pymdownx.snippets exactly as the site and the tests expand
them, and parsed as the tests parse them (doctest):

- a first markdown cell: the chapter's title, where it comes from, what the cells need, the
  licences;
- every heading of the page, in reading order and in the page's language, as a markdown cell
  (its id kept as an anchor, so a link to ``#output-size`` works in the notebook too);
- under each heading, the sessions the page includes in that section as code cells, the prompts
  stripped: the statements a reader types up to one that prints something make one cell, whose
  output is the one the page shows (printed text as a stream, a value as Jupyter's result, an
  exception as an error, the cell tagged ``raises-exception`` so that running all cells goes on).

Reproducible: cell ids come from the heading ids, execution counts from the order; nothing
depends on the time or the machine. Two runs give the same bytes.
"""

from __future__ import annotations

import ast
import doctest
import re
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import markdown

from kept import Store, key as kept_key  # scripts/kept.py

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "docs" / "snippets"

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*\{\s*#([A-Za-z0-9_-]+)\s*\}\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+"([^"]+)"\s*$')
PAGE_LINK = re.compile(r"\]\((?!\w+://|#)([^)#\s]*?)(?:index)?\.md(#[^)\s]*)?\)")
TRACEBACK = "Traceback (most recent call last):"

WORDS = {
    "en": {
        "intro": "The code of the chapter *{title}* of *Convolution Visualized* (<{url}>), section by section, "
                 "with the output the page shows under each cell. Run the cells in order: a cell uses what "
                 "the cells above it defined.",
        "torch": "The outputs are those of PyTorch {version} (`pip install torch=={version}`).",
        "figures": "Cells that import `figures` need the site's own package: run "
                   "`pip install -r requirements.txt -e .` in a clone of {repository}.",
        "repository": "its repository",
        "licence": "Code: [MIT licence](https://opensource.org/license/mit). "
                   "Text: [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).",
    },
    "zh": {
        "intro": "《图解卷积》“{title}”一章的全部代码，按小节排列，每个单元格下面是页面上给出的输出。"
                 "原文：<{url}>。请按顺序运行：后面的单元格要用到前面定义的变量。",
        "torch": "输出由 PyTorch {version} 得出（`pip install torch=={version}`）。",
        "figures": "导入 `figures` 的单元格需要本站自己的包：克隆{repository}后，在其目录中运行 "
                   "`pip install -r requirements.txt -e .`。",
        "repository": "本站仓库",
        "licence": "代码采用 [MIT 许可](https://opensource.org/license/mit)，"
                   "文字采用 [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/deed.zh-hans) 许可。",
    },
}

KERNEL = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
}


def expand(line: str, base: Path = SNIPPETS) -> str:
    """One ``--8<--`` line expanded exactly as the site's pymdownx.snippets expands it."""
    return "\n".join(_snippets(str(base)).run([line.strip()]))


@lru_cache(maxsize=4)
def _snippets(base: str):
    """pymdownx.snippets' preprocessor for ``base`` (each run starts afresh: one serves every line)."""
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": {"base_path": [base], "check_paths": True}},
    )
    return md.preprocessors["snippet"]


def outline(page: Path, base: Path = SNIPPETS) -> list:
    """The page in reading order: ("heading", level, text, id) and ("session", pycon text), one
    per snippet include (the sessions the page shows)."""
    items, in_code = [], False
    for line in page.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            if INCLUDE.match(line):
                items.append(("session", expand(line, base)))
            continue
        m = HEADING.match(line)
        if m:
            items.append(("heading", len(m.group(1)), m.group(2), m.group(3)))
    return items


def cell_groups(session: str) -> list[list[doctest.Example]]:
    """A session's examples as a reader runs them in a notebook: the statements up to one that
    prints something make one cell; a statement that raises gets a cell of its own."""
    groups, pending = [], []
    for example in doctest.DocTestParser().get_examples(session):
        if example.exc_msg is not None:
            if pending:
                groups.append(pending)
            groups.append([example])
            pending = []
            continue
        pending.append(example)
        if example.want:
            groups.append(pending)
            pending = []
    if pending:
        groups.append(pending)
    return groups


def shows_a_value(source: str) -> bool:
    """Whether a cell's last statement is an expression that Jupyter shows as the cell's result
    (anything but a call of print, which writes to the output stream)."""
    last = ast.parse(source).body[-1]
    return isinstance(last, ast.Expr) and not (
        isinstance(last.value, ast.Call) and isinstance(last.value.func, ast.Name) and last.value.func.id == "print")


def want_text(example: doctest.Example) -> str:
    return example.want.replace("<BLANKLINE>", "")


def code_cell(group: list[doctest.Example], cell_id: str, count: int):
    """One code cell: the group's statements, and the last one's output as the page shows it."""
    from nbformat.v4 import new_code_cell, new_output  # nbformat: only where a notebook is made

    source = "".join(example.source for example in group).rstrip("\n")
    last = group[-1]
    cell = new_code_cell(source, id=cell_id, execution_count=count)
    if last.exc_msg is not None:
        head, _, value = last.exc_msg.rstrip("\n").partition(":")
        cell.metadata["tags"] = ["raises-exception"]  # "run all" goes on, as the page's session does
        cell.outputs.append(new_output("error", ename=head.rsplit(".", 1)[-1], evalue=value.strip(),
                                       traceback=want_text(last).rstrip("\n").split("\n")))
    elif last.want and shows_a_value(last.source):
        cell.outputs.append(new_output("execute_result", {"text/plain": want_text(last).rstrip("\n")},
                                       execution_count=count))
    elif last.want:
        cell.outputs.append(new_output("stream", name="stdout", text=want_text(last)))
    return cell


def torch_version(requirements: Path = ROOT / "requirements.txt") -> str:
    """The torch the outputs come from: the one requirements.txt pins."""
    m = re.search(r"^torch==(\S+)", requirements.read_text(encoding="utf-8"), re.MULTILINE)
    return m.group(1) if m else ""


def site_links(text: str, site_url: str) -> str:
    """Links to other pages (``glossary.md#kernel``) as addresses on the site."""
    return PAGE_LINK.sub(lambda m: f"]({page_url(site_url, m.group(1) + '.md')}{m.group(2) or ''})", text)


def chapter(page: Path, lang: str, site_url: str, repository: str = "", base: Path = SNIPPETS,
            items: list | None = None):
    """The notebook of one chapter (``page``: docs/LANG/NAME.md, served under ``site_url``), or
    None if the page includes no snippets. ``items``: the page's outline, if it is already made."""
    from nbformat.v4 import new_markdown_cell, new_notebook

    items = outline(page, base) if items is None else items
    if not any(kind == "session" for kind, *_ in items):
        return None
    words, url = WORDS[lang], page_url(site_url, page.name)
    nb = new_notebook(metadata=KERNEL)
    title = title_id = anchor = None
    sections = {}  # section id → its code cells so far (for the cells' ids)
    for item in items:
        if item[0] == "heading":
            _, level, text, anchor = item
            if level == 1 and title is None:
                title, title_id = text, anchor  # the first cell, made below
            else:
                source = f'<a id="{anchor}"></a>\n\n{"#" * level} {site_links(text, site_url)}'
                nb.cells.append(new_markdown_cell(source, id=anchor))
            continue
        for group in cell_groups(item[1]):
            sections[anchor] = sections.get(anchor, 0) + 1
            count = sum(sections.values())
            nb.cells.append(code_cell(group, f"{anchor}-{sections[anchor]}", count))
    if title is None:
        raise ValueError(f"{page}: no title (a first-level heading with an id)")
    code = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    version = torch_version()
    needs = [words["torch"].format(version=version)] if version else []
    if re.search(r"^\s*(from|import)\s+figures\b", code, re.MULTILINE):
        where = f"[{words['repository']}]({repository})" if repository else words["repository"]
        needs.append(words["figures"].format(repository=where))
    lines = [f"# {site_links(title, site_url)}", words["intro"].format(title=title, url=url)]
    lines += [(" " if lang == "en" else "").join(needs)] if needs else []
    lines.append(words["licence"])
    nb.cells.insert(0, new_markdown_cell("\n\n".join(lines), id=title_id))
    return nb


def dumps(nb) -> bytes:
    """The notebook's bytes (validated): nbformat's own layout, with a final newline."""
    import nbformat

    nbformat.validate(nb)
    return (nbformat.writes(nb, version=4) + "\n").encode("utf-8")


def page_url(site_url: str, rel: str) -> str:
    """A page's address (directory URLs, as the site is served): index.md → the site's root."""
    path = rel.removesuffix(".md")
    path = "" if path == "index" else path.removesuffix("/index") + "/"
    return site_url.rstrip("/") + "/" + path


def notebooks(docs_dir: Path, lang: str, site_url: str, repository: str = "", base: Path = SNIPPETS,
              kept=None) -> dict:
    """{"NAME.ipynb": bytes} for every chapter of ``docs_dir`` that includes snippets. ``kept``: the
    notebooks an earlier build made (a kept.Store, see store()): a chapter whose page, snippets and
    settings are the same is not made again."""
    made = {}
    for page in sorted(docs_dir.glob("*.md")):
        items = outline(page, base)

        def make(page=page, items=items):
            nb = chapter(page, lang, site_url, repository, base, items)
            return None if nb is None else dumps(nb).decode("utf-8")

        name = [page.name, items, lang, site_url, repository, torch_version()]
        text = make() if kept is None else kept.get(kept_key(*name), make)
        if text is not None:
            made[f"{page.stem}.ipynb"] = text.encode("utf-8")
    return made


def store(lang: str):
    """The notebooks kept from the last build of ``lang`` (scripts/kept.py), made by this very
    notebooks.py and nbformat."""
    return Store(f"notebooks-{lang}", Path(__file__).read_bytes(), version("nbformat"))

