"""One page per figure (``figures/NAME.md`` → ``/en/figures/NAME/``, ``/zh/figures/NAME/``):
the figure with its player, its alt text as a description, the files the site publishes, the
commands that render it again in every format, where the chapters use it, its licence and a
ready citation. MkDocs-free (scripts/gen_figure_pages.py puts the pages into a build).

A page stands alone: it works inside an ``<iframe>`` (a learning platform's embed; the site's
chrome is hidden there, see extra.css ``.in-frame``) and in the offline copy.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from citation import bibtex  # noqa: E402
from pages import figure_uses  # noqa: E402

from figures import catalog  # noqa: E402

WORDS = {
    "en": {
        "title": "Figure {name}",
        "description": "The figure {name} of Convolution Visualized: {alt}",
        "files": "Files", "commands": "Render it again", "used": "Used in", "unused": "not used in a chapter yet",
        "licence": "Licence", "cite": "Cite",
        "file": "File", "light": "Light", "dark": "Dark",
        "gif": "the animation (GIF)", "png": "the picture (PNG)", "last": "its last step (PNG)",
        "json": "each step's numbers (JSON)", "strip": "every step, for print (PNG)",
        "webp": "the same, lossless WebP (what the browser shows)",
        "intro_commands": (
            "With the repository on your machine (`pip install -r requirements.txt -e .`, see "
            "[For instructors](../instructors.md#customise)), each command writes this figure in one format; "
            "add `--theme dark` for the dark variant."),
        "fmt_site": "as on the site", "fmt_pdf": "PDF, a page per step (`\\includegraphics[page=3]`, Beamer)",
        "fmt_svg": "SVG, the last step (text stays text)", "fmt_steps": "one file per step (PNG; `--format svg` or `pdf`)",
        "fmt_mp4": "video, H.264 (needs the video extra)", "fmt_webm": "video, WebM (needs the video extra)",
        "fmt_svg_frame": "SVG of one step (`--frame N`, 0 is the first)",
        "fmt_webp": "lossless WebP: the GIF's frames, pixel for pixel, in about 40% of its bytes",
        "licence_text": (
            "[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/): copy, adapt and share it for any purpose, "
            "teaching included, with credit. Attribution: *Figure {name} from Convolution Visualized (图解卷积), "
            "CC BY 4.0*, with this page's address."),
        "classic": (
            " It redraws an animation of Dumoulin and Visin's guide ([2016](../references.md#dumoulin-2016)): "
            "credit it too (see [For instructors](../instructors.md#licence))."),
        "cite_text": "A BibTeX entry for this figure (the whole site: [For instructors](../instructors.md#cite)):",
        "embed": "To embed it in a course page or a learning platform:",
        "format": "Format", "command": "Command",
    },
    "zh": {
        "title": "图 {name}",
        "description": "《图解卷积》中的图 {name}：{alt}",
        "files": "文件", "commands": "重新生成", "used": "用在", "unused": "尚未用在任何章节",
        "licence": "许可", "cite": "引用",
        "file": "文件", "light": "浅色", "dark": "深色",
        "gif": "动画（GIF）", "png": "图片（PNG）", "last": "最后一步（PNG）",
        "json": "每一步的数值（JSON）", "strip": "所有步骤，打印用（PNG）",
        "webp": "同一张图的无损 WebP（浏览器显示的就是它）",
        "intro_commands": (
            "把仓库下载到本机并安装（`pip install -r requirements.txt -e .`，见[教师指南](../instructors.md#customise)）后，"
            "下面每条命令以一种格式生成这张图；加上 `--theme dark` 得到深色版。"),
        "fmt_site": "与网站上相同", "fmt_pdf": "PDF，每一步一页（`\\includegraphics[page=3]`、Beamer）",
        "fmt_svg": "SVG，最后一步（文字保留为可选中的文本）", "fmt_steps": "每一步一个文件（PNG；也可 `--format svg` 或 `pdf`）",
        "fmt_mp4": "视频，H.264（需要 video 可选依赖）", "fmt_webm": "视频，WebM（需要 video 可选依赖）",
        "fmt_svg_frame": "某一步的 SVG（`--frame N`，0 是第一步）",
        "fmt_webp": "无损 WebP：每一帧的像素都与 GIF 相同，字节数约为 GIF 的 40%",
        "licence_text": (
            "[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)：可以为任何目的（包括教学）复制、改编和分享，"
            "只需注明出处。署名示例：*图 {name}，出自《图解卷积》（Convolution Visualized），CC BY 4.0*，并附上本页地址。"),
        "classic": (
            "这张图重画自 Dumoulin 和 Visin 的指南（[2016](../references.md#dumoulin-2016)）中的一个动画，"
            "请同时注明这份指南（见[教师指南](../instructors.md#licence)）。"),
        "cite_text": "这张图的 BibTeX 条目（引用整个网站见[教师指南](../instructors.md#cite)）：",
        "embed": "嵌入课程页面或学习平台：",
        "format": "格式", "command": "命令",
    },
}

ALT = re.compile(r"!\[([^\]]*)\]\(figures/([A-Za-z0-9_-]+)\.(?:gif|png)(?:#only-light)?\)")


def figure_alts(docs_dir: Path) -> dict[str, str]:
    """{figure name: the alt text of its first light variant on a page}, in reading order."""
    alts: dict[str, str] = {}
    for page in sorted(Path(docs_dir).rglob("*.md")):
        for alt, name in ALT.findall(page.read_text(encoding="utf-8")):
            alts.setdefault(name, alt)
    return alts


def commands(entry) -> list[tuple[str, str]]:
    """(format word key, command) for every format this figure can be written in."""
    name = entry.name
    if isinstance(entry, catalog.Entry):
        base = f"python -m figures render {entry.config().options()}"
        frame = f" --frame {entry.frame}" if entry.frame is not None else ""
        rows = [("fmt_site", f"{base}{frame} -o {entry.filename()}"),
                ("fmt_svg", f"{base}{frame} -o {name}.svg")]
        if entry.fmt == "gif":
            rows += [("fmt_svg_frame", f"{base} --frame 0 -o {name}-step1.svg"),
                     ("fmt_webp", f"{base} -o {name}.webp"),
                     ("fmt_pdf", f"{base} -o {name}.pdf"),
                     ("fmt_steps", f"{base} --steps {name}"),
                     ("fmt_mp4", f"{base} -o {name}.mp4"),
                     ("fmt_webm", f"{base} -o {name}.webm")]
        else:
            rows.append(("fmt_pdf", f"{base}{frame} -o {name}.pdf"))
        return rows
    base = f"python -m figures build --only {name}"
    rows = [("fmt_site", base), ("fmt_svg", f"{base} --format svg"), ("fmt_pdf", f"{base} --format pdf")]
    if entry.fmt == "gif":
        rows += [("fmt_webp", f"{base} --format webp"), ("fmt_steps", f"{base} --steps"),
                 ("fmt_mp4", f"{base} --format mp4"),
                 ("fmt_webm", f"{base} --format webm")]
    return rows


def page(entry, lang: str, alt: str, uses: list, url: str = "", published=None) -> str:
    """The Markdown of the figure's page in ``lang``; ``url``: its absolute address (for the
    citation and the embed code; left out if empty); ``published``: the names of the files the
    site publishes (None: every output of the figure)."""
    w = WORDS[lang]
    name = entry.name
    description = w["description"].format(name=name, alt=alt)
    lines = [
        "---",
        f"title: {_yaml(w['title'].format(name=name))}",
        f"description: {_yaml(description)}",
        "hide: [navigation, toc]",
        "search:",
        "  exclude: true",
        "---",
        "",
        f"# {w['title'].format(name=name)} {{#figure}}",
        "",
        '<div class="figure-page" markdown>',
        "",
    ]
    for theme in catalog.THEME_NAMES:
        only = "#only-light" if theme == "light" else "#only-dark"
        lines.append(f"![{alt}]({entry.filename(theme)}{only})")
    lines += ["", alt, "", "</div>", "", f"## {w['files']} {{#files}}", ""]
    lines += [f"| {w['file']} | {w['light']} | {w['dark']} |", "| --- | --- | --- |"]
    for fmt in (*entry.outputs(), "webp"):
        if (published is None and fmt == "webp" and entry.fmt != "gif") or (
                published is not None and entry.filename("light", fmt) not in published):
            continue  # an animation whose steps do not fit on a printed page has no print strip; a still
            # figure has a WebP only where it is smaller than its PNG
        key = fmt
        cells = [f"[{entry.filename(theme, fmt)}]({entry.filename(theme, fmt)})" for theme in catalog.THEME_NAMES]
        lines.append(f"| {w[key]} | {cells[0]} | {cells[1]} |")
    lines += ["", f"## {w['commands']} {{#commands}}", "", w["intro_commands"], "",
              f"| {w['format']} | {w['command']} |", "| --- | --- |"]
    for key, command in commands(entry):
        lines.append(f"| {w[key]} | `{command}` |")
    lines += ["", f"## {w['used']} {{#used}}", ""]
    if uses:
        lines += [f"- [{title} · {section}](../{page_}#{anchor})" for page_, title, section, anchor in uses]
    else:
        lines.append(w["unused"])
    classic = name in {e.name for e in catalog.classics()}
    lines += ["", f"## {w['licence']} {{#licence}}", "", w["licence_text"].format(name=name)
              + (w["classic"] if classic else ""), ""]
    lines += [f"## {w['cite']} {{#cite}}", "", w["cite_text"], "", "```bibtex", bibtex(name, url or None), "```", ""]
    if url:
        lines += [w["embed"], "", "```html",
                  f'<iframe src="{url}" title="{_attr(w["title"].format(name=name))}" width="100%" height="640" '
                  f'loading="lazy"></iframe>', "```", ""]
    return "\n".join(lines)


def pages(docs_dir: Path, lang: str, site_url: str = "", published=None) -> dict[str, str]:
    """{``figures/NAME.md``: its Markdown} for every figure of the catalog, in ``lang``
    (``published``: the names of the files the site publishes)."""
    uses = figure_uses(Path(docs_dir))
    alts = figure_alts(Path(docs_dir))
    made = {}
    for entry in catalog.CATALOG:
        alt = alts.get(entry.name) or fallback_alt(entry, lang)
        url = f"{site_url.rstrip('/')}/figures/{entry.name}/" if site_url else ""
        made[f"figures/{entry.name}.md"] = page(entry, lang, alt, uses.get(entry.name, []), url, published)
    return made


def fallback_alt(entry, lang: str) -> str:
    """For a figure no chapter shows: what it is, from the catalog."""
    shape = entry.config().check()
    size = f"{shape.input[0]}×{shape.input[1]} → {shape.output[0]}×{shape.output[1]}"
    return f"{entry.params()}, {size}" if lang == "en" else f"{entry.params()}，{size}"


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;")
