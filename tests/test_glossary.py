"""One source of terms (docs/glossary.yml) for both languages; on every page, the first
appearance of a glossary term is a link to its entry."""

import re

import pytest
import yaml

from helpers import DOCS, LANGS, pages

TERMS = yaml.safe_load((DOCS / "glossary.yml").read_text(encoding="utf-8"))


def test_every_term_has_both_languages_and_a_unique_id():
    ids = [t["id"] for t in TERMS]
    assert len(ids) == len(set(ids))
    for t in TERMS:
        assert re.fullmatch(r"[a-z0-9-]+", t["id"])
        for key in ("zh", "en", "zh_def", "en_def"):
            assert t.get(key), f"{t['id']}: {key} missing"
    # the glossary of DESIGN.md, at least
    for term in ("卷积核", "步幅", "填充", "感受野", "转置卷积", "零插入", "输出填充", "棋盘伪影", "亚像素卷积"):
        assert term in {t["zh"] for t in TERMS}


def prose(text: str) -> str:
    """The running text of a page: no front matter (its description is the page's summary for
    search engines and link previews, not prose), code, headings, figures, images or math."""
    text = re.sub(r"\A---\n.*?^---$", " ", text, flags=re.MULTILINE | re.DOTALL)
    text = re.sub(r"^(\s*)(```|~~~).*?^\1\2\s*$", " ", text, flags=re.MULTILINE | re.DOTALL)
    text = re.sub(r"<figure.*?</figure>", " ", text, flags=re.DOTALL)
    text = re.sub(r"^#.*$", " ", text, flags=re.MULTILINE)
    text = re.sub(r"^\s*\?\?\?.*$", " ", text, flags=re.MULTILINE)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", text, flags=re.DOTALL)
    # a link to another page (a chapter, the gallery) is already a link: its words do not count
    text = re.sub(r"\[[^\]]*\]\((?!glossary\.md)[^)]*\)", lambda m: " " * len(m.group(0)), text)
    return text.replace("Convolution Visualized", " ").replace("图解卷积", " ")  # the site's name


def occurrences(text: str, lang: str):
    """(start, end, term id) of every term in ``text``; a term inside a longer one does not count."""
    found = []
    for term in TERMS:
        for form in [term[lang], *term.get(f"match_{lang}", [])]:
            pattern = re.escape(form) if lang == "zh" else r"\b" + re.escape(form) + r"\b"
            for m in re.finditer(pattern, text, flags=0 if lang == "zh" else re.IGNORECASE):
                found.append((m.start(), m.end(), term["id"]))
    found.sort(key=lambda o: (o[0], -(o[1] - o[0])))
    kept, end = [], -1
    for start, stop, tid in found:
        if start >= end:
            kept.append((start, stop, tid))
            end = stop
        elif stop > end:  # overlapping, not nested: keep the longer one already kept
            continue
    return kept


CASES = [(lang, page) for lang in LANGS for page in pages(lang)]


@pytest.mark.parametrize("lang, page", CASES, ids=[f"{lang}/{p.name}" for lang, p in CASES])
def test_first_appearance_of_each_term_links_to_the_glossary(lang, page):
    text = prose(page.read_text(encoding="utf-8"))
    links = [(m.start(), m.end(), m.group(2)) for m in re.finditer(r"\[([^\]]+)\]\(glossary\.md#([\w-]+)\)", text)]
    # a link's address is not prose: "#transposed-convolution" is no appearance of "convolution"
    words = re.sub(r"\(glossary\.md#[\w-]+\)", lambda m: " " * len(m.group(0)), text)
    first = {}
    for start, stop, tid in occurrences(words, lang):
        first.setdefault(tid, (start, stop))
    missing = []
    for tid, (start, stop) in first.items():
        linked = any(a <= start and stop <= b and lid == tid for a, b, lid in links)
        if not linked:
            missing.append(f"{tid}: {text[max(0, start - 30):stop + 10]!r}".replace("\n", " "))
    assert missing == [], "first appearances not linked to the glossary:\n" + "\n".join(missing)


def test_links_point_to_entries():
    ids = {t["id"] for t in TERMS}
    for lang in LANGS:
        for page in pages(lang):
            for tid in re.findall(r"\]\(glossary\.md#([\w-]+)\)", page.read_text(encoding="utf-8")):
                assert tid in ids, f"{page}: glossary.md#{tid} has no entry"


# Names readers arrive with, and variants that crept into the pages: the chapters use the
# glossary's term (the glossary page explains the others). A name may be *mentioned* as a name,
# inside “…” or *…*, as in 为什么“反卷积”是个错误的叫法.
ZH_VARIANTS = {
    "步长": "步幅", "汇聚层": "池化层", "扩张卷积": "空洞卷积", "膨胀卷积": "空洞卷积", "反卷积": "转置卷积",
    "升采样": "上采样", "降采样": "下采样", "深度卷积": "逐通道卷积", "逐深度": "逐通道", "批次": "批量",
    "跳距": "等效步幅",
}


@pytest.mark.parametrize("page", pages("zh"), ids=lambda p: p.name)
def test_chinese_pages_use_the_glossary_term_not_a_variant(page):
    text = prose(page.read_text(encoding="utf-8"))
    found = []
    for variant, term in ZH_VARIANTS.items():
        for m in re.finditer(re.escape(variant), text):
            if text[m.start() - 1: m.start()] + text[m.end(): m.end() + 1] in ("“”", "**"):
                continue  # the name mentioned as a name
            found.append(f"{variant} → {term}: …{text[max(0, m.start() - 12): m.end() + 12]}…")
    assert found == []


@pytest.mark.parametrize("page", pages("zh"), ids=lambda p: p.name)
def test_chinese_prose_quotes_with_chinese_quotation_marks(page):
    text = prose(page.read_text(encoding="utf-8"))
    text = re.sub(r"\{[^}]*\}|<[^>]*>|\]\([^)]*\)", " ", text)  # attribute lists, HTML, link targets
    assert '"' not in text, [text[max(0, i - 15): i + 15] for i in range(len(text)) if text[i] == '"'][:5]


def test_every_alias_is_explained_on_the_glossary_page():
    import logging

    import jieba

    for term in TERMS:
        for lang in LANGS:
            for name, note in (term.get(f"aliases_{lang}") or {}).items():
                assert name and name != term[lang] and isinstance(note, str)
    # search keeps each Chinese alias as one word: jieba, with the site's words (the Chinese
    # build's jieba_dict_user), cuts the glossary's line of aliases (gen_glossary.py) into them
    jieba.setLogLevel(logging.WARNING)
    cut = jieba.Tokenizer()
    cut.load_userdict(str(DOCS / "zh_terms.txt"))
    for term in TERMS:
        aliases = term.get("aliases_zh") or {}
        if aliases:
            line = "也叫：" + "、".join(name + (f"（{note}）" if note else "") for name, note in aliases.items())
            assert set(aliases) <= set(cut.lcut(line)), (term["id"], cut.lcut(line))


def headings(page) -> set:
    """The ids of a page's headings ({#id} after the title)."""
    return set(re.findall(r"^#+ .*\{#([\w-]+)\}\s*$", page.read_text(encoding="utf-8"), flags=re.MULTILINE))


def test_a_term_with_aliases_names_the_chapter_that_teaches_it_in_both_languages():
    """A reader who types an alias into search finds this place first (scripts/hooks.py carries the
    aliases into its search entry; tests/test_browser.py types them): a page of both languages,
    and the heading the section starts with in both."""
    for term in TERMS:
        place = term.get("chapter")
        if not (term.get("aliases_zh") or term.get("aliases_en")):
            continue
        assert place, f"{term['id']}: aliases, but no chapter"
        page, _, section = place.partition("#")
        assert page.endswith(".md") and page != "glossary.md", place
        for lang in LANGS:
            path = DOCS / lang / page
            assert path.is_file(), f"{term['id']}: {lang}/{page} is no page"
            assert not section or section in headings(path), f"{term['id']}: {lang}/{page} has no heading #{section}"
    # of an English alias, the words that are no term's word are what search adds (hooks.py)
    common = {w for t in TERMS for form in [t["en"], *t.get("match_en", [])] for w in re.split(r"[\s-]+", form.lower())}
    for term in TERMS:
        for alias in term.get("aliases_en") or {}:
            assert set(re.split(r"[\s-]+", alias.lower())) - common, f"{alias}: only words of terms: search cannot tell it"


REFERENCES = yaml.safe_load((DOCS / "references.yml").read_text(encoding="utf-8"))


def test_every_reference_is_cited_by_a_chapter_in_both_languages_and_every_citation_resolves():
    ids = {work["id"] for work in REFERENCES["works"]}
    sections = {section["id"] for section in REFERENCES["sections"]}
    assert len(ids) == len(REFERENCES["works"]) and all(w["section"] in sections for w in REFERENCES["works"])
    for lang in LANGS:
        cited = set()
        for page in pages(lang):
            for anchor in re.findall(r"\]\(references\.md#([\w-]+)\)", page.read_text(encoding="utf-8")):
                assert anchor in ids, f"{page.name}: references.md#{anchor} is no entry"
                cited.add(anchor)
        assert cited == ids, f"{lang}: never cited: {sorted(ids - cited)}"
    for work in REFERENCES["works"]:
        assert work["en"] and work["zh"] and work["links"] and all(l["url"].startswith("https://") for l in work["links"])


@pytest.mark.parametrize("lang", LANGS)
def test_citations_by_author_and_year_link_to_the_references(lang):
    """"Shi et al., 2016", "Odena … (…, 2016)", "Shi 等，2016": the year is a link to the entry."""
    for page in pages(lang):
        text = prose(page.read_text(encoding="utf-8"))
        for m in re.finditer(r"(?:et al\.,?|等，|Distill, |Distill，|Koltun, |Koltun，)\s*(\d{4})", text):
            assert text[m.end(1): m.end(1) + 1] == "]" or text[m.start(1) - 1: m.start(1)] == "[", \
                f"{page.name}: unlinked citation …{text[max(0, m.start() - 30): m.end() + 5]}…"
