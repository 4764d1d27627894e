"""mkdocs-gen-files adapter: the glossary page of one language, from docs/glossary.yml.

One source of terms for both languages: each entry gets a heading whose id is the term's id
(the same in both languages), the term in both languages, its symbol, and its definition.
"""

from pathlib import Path

import mkdocs_gen_files
import yaml

ROOT = Path(__file__).resolve().parent.parent
LANG = mkdocs_gen_files.config.theme["language"]
OTHER = "en" if LANG == "zh" else "zh"
WORDS = {
    "en": {
        "title": "Glossary",
        "description": ("The terms of the site in English and Chinese, with the symbols the formulas use: kernel, "
                        "stride, padding, dilation, receptive field, transposed convolution and more."),
        "intro": (
            "The terms of this site, in English and in Chinese, with the symbol the formulas use. "
            "Every chapter links the first appearance of a term to its entry here. Say "
            "**transposed convolution**, not \"deconvolution\": it does not undo a convolution."
        ),
        "symbol": "symbol",
        "aliases": "Also called",
    },
    "zh": {
        "title": "术语表",
        "description": "本站术语的中英对照和公式里用的符号：卷积核、步幅、填充、膨胀率、感受野、转置卷积等。",
        "intro": (
            "本站使用的术语，中英对照，并给出公式里用的符号。各章中术语第一次出现时，都链接到这里的词条。"
            "请说**转置卷积**，不要说“反卷积”：它并不能把卷积还原回去。"
        ),
        "symbol": "符号",
        "aliases": "也叫",
    },
}[LANG]

terms = yaml.safe_load((ROOT / "docs" / "glossary.yml").read_text(encoding="utf-8"))
lines = ["---", f'description: "{WORDS["description"]}"', "---", "",  # the page's summary (link previews)
         f"# {WORDS['title']} {{#glossary}}", "", WORDS["intro"], ""]
for term in terms:
    lines.append(f"## {term[LANG]} {{#{term['id']}}}")
    lines.append("")
    other = f"{term[OTHER]}"
    symbol = f" · {WORDS['symbol']} *{term['symbol']}*" if term.get("symbol") else ""  # italic, as in the formulas: no math renderer needed
    lines.append(f"*{other}*{symbol}")
    lines.append("")
    lines.append(term[f"{LANG}_def"])
    lines.append("")
    aliases = term.get(f"aliases_{LANG}") or {}
    if aliases:
        sep, (open_, close) = ("、", "（）") if LANG == "zh" else (", ", ("(", ")"))
        named = [f"**{name}**" + (f"{open_}{note}{close}" if note else "") for name, note in aliases.items()]
        lines.append(f"{WORDS['aliases']}{'：' if LANG == 'zh' else ': '}{sep.join(named)}")
        lines.append("")

with mkdocs_gen_files.open("glossary.md", "w", encoding="utf-8") as page:
    page.write("\n".join(lines))
