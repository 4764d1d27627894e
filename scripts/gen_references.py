"""mkdocs-gen-files adapter: the References page of one language, from docs/references.yml.

One source for both languages: every work the chapters cite, grouped by subject, each with an
anchor that is the same in both languages (chapters link their citations to it), its links,
and what the site takes from it.
"""

from pathlib import Path

import mkdocs_gen_files
import yaml

ROOT = Path(__file__).resolve().parent.parent
LANG = mkdocs_gen_files.config.theme["language"]
WORDS = {
    "en": {"title": "References",
           "description": "Every work the chapters cite, with its links, and what the site takes from each.",
           "intro": "Every work the chapters cite, with links; a chapter's citation leads to its entry here. "
                    "Titles are given as published."},
    "zh": {"title": "参考文献",
           "description": "各章引用的全部文献，附链接，并说明本站从每一篇里取用了什么。",
           "intro": "各章引用的全部文献，附链接；章节里的引用都链接到这里对应的条目。标题保留原文。"},
}[LANG]

data = yaml.safe_load((ROOT / "docs" / "references.yml").read_text(encoding="utf-8"))
lines = ["---", f'description: "{WORDS["description"]}"', "---", "",  # the page's summary (link previews)
         f"# {WORDS['title']} {{#references}}", "", WORDS["intro"], ""]
for section in data["sections"]:
    lines += [f"## {section[LANG]} {{#{section['id']}}}", ""]
    for work in (w for w in data["works"] if w["section"] == section["id"]):
        links = " · ".join(f"[{link['label']}]({link['url']})" for link in work["links"])
        lines.append(f"{work['authors']} ({work['year']}). *{work['title']}*. {work['venue']}. {links}  ")
        lines.append(work[LANG])
        lines.append(f"{{: #{work['id']} }}")
        lines.append("")

with mkdocs_gen_files.open("references.md", "w", encoding="utf-8") as page:
    page.write("\n".join(lines))
