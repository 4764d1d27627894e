"""MkDocs hooks (adapter): what the theme does not do for us, for either language build.

- Interface strings in the page's language: the palette toggle and the heading permalinks take
  their names from ``extra.ui`` (mkdocs.zh.yml gives the Chinese ones).
- Math typeset when the site is built: every formula becomes KaTeX's HTML (and MathML, which
  screen readers read), made by the site's own katex.min.js run in QuickJS (a pip wheel), so a
  page loads no math renderer, only KaTeX's stylesheet and the fonts its formulas use, and
  nothing moves when the page has loaded. A formula KaTeX refuses or warns about fails the
  build. The stylesheet only on pages with math; KaTeX's script only on the explorer, which
  typesets the formulas the reader asks for. The explorer's scripts and stylesheets (with the
  figures' colours, generated from the theme by gen_figures.py) only on the page that has it.
- Figures with their intrinsic size: every ``<img>`` of a figure gets its width and height, so
  the page does not jump as figures load.
- A chapter with snippets gets a button beside its title that downloads its notebook
  (``page.meta["notebook"]``, drawn by overrides/partials/actions.html).
- Printing: each animation's GIF is followed by its last step as a PNG, shown only in print and
  fetched only then (lazy, hidden on screen): a printed page shows every animation complete. Every
  link of a page's text carries its absolute address, which a printed page shows after it
  (scripts/previews.py, extra.css).
- Link previews and languages (scripts/previews.py): each page's own title, description (its
  front matter) and first figure as Open Graph and Twitter-card tags, and <link rel="alternate">
  to the same page in each language, all absolute from site_url, in place of Material's links to
  each language's home page. Material's script would fetch a sitemap.xml beside each such link
  (for a language switch that site.js does instead): in the built bundle it looks only at
  alternates without hreflang (the build fails if that code is not there any more).
- A search index of what a reader can search for: formulas become readable text, a Python
  session its typed code (no prompts, no printed output), a figure of the gallery its name, and
  word breaks that separate nothing go. The names readers arrive with (docs/glossary.yml's
  aliases: 汇聚层, 步长, 反卷积, atrous convolution) go into the entry of the chapter or section
  that teaches their term, in a field of the index no result shows, weighted above any title:
  such a name finds its chapter first, not only the glossary that explains it.
- The search index is fetched when the reader first goes to search (or opens an address with
  ?q= or ?h=), not with every page: it was the largest file of a chapter's first load.
- A warm build redoes only what changed (scripts/kept.py, beside the figure cache): each
  language's pages made HTML (with what MkDocs said as it made them, said again when they are
  reused: a broken link still fails a strict build), typeset formulas, pages' search entries (so
  jieba loads its dictionaries only when a page changed) and Pygments' HTML of each block of code
  are kept for the next build; a build with nothing kept gives the same bytes.
- The site's icon is a small SVG in the page itself (Material's PNG was a request of 1.9 KB).
- Nothing moves as a page loads: tables come wrapped as Material's script wraps them, the search
  field shows from the first paint (the "no-js" class goes in <head>), each figure's controls
  have their place held, and the KaTeX fonts a page needs are preloaded.
- Chinese search: Material's search worker segments a query with the index's own words, but
  never lets a word end at the end of the query (an off-by-one: "转置卷积" alone is cut into
  "转置" and "卷"), and it gives every word of a query cut into several but the last a second
  wildcard ("感受野计算" is searched as 感受野** 计算*), which it then finds in no result: the
  result says 感受野* is missing, does not highlight it, and ranks as if it were. The built
  worker gets both fixed; the build fails if the code it fixes is not there any more (a new
  Material version: check whether it is still needed).
- Offline: the web-worker shim comes from the site itself, the <link rel="alternate"> tags that a
  browser would refuse from file:// are dropped, and each page carries its animations' step data
  and WebP bytes for the figure player (a browser refuses fetch from file://).
- Figures as lossless WebP: every animation (and a still figure whose WebP is smaller than its
  PNG) is a <picture> with the WebP as its <source> and the GIF (or PNG) as its <img>, whose size,
  alt text and #only-light / #only-dark address are unchanged; print pictures stay as they are.
"""

import base64
import inspect
import io
import json
import logging
import os
import re
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urljoin

import jieba
from material.plugins.search.plugin import SearchIndex
from pymdownx.highlight import Highlight
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

import kept  # scripts/kept.py (MkDocs puts the hook's folder on sys.path while it loads it)
import previews  # scripts/previews.py
from pages import published  # scripts/pages.py: every figure the build publishes, read once

SHIM = "assets/javascripts/iframe-worker/shim.js"
# the explorer's stylesheets and scripts, on the page that has one (explore.md) and no other
EXPLORER_CSS = ("assets/stylesheets/figure-theme.css", "assets/stylesheets/explore.css")
EXPLORER_JS = ("assets/javascripts/explore-arith.js", "assets/javascripts/explore-strings.js",
               "assets/javascripts/explore-grids.js", "assets/javascripts/explore.js")
KATEX_CSS = "assets/katex/katex.min.css"
KATEX_JS = "assets/katex/katex.min.js"  # in the browser: on the explorer only
KATEX_SOURCE = Path(__file__).resolve().parent.parent / "overrides" / KATEX_JS


def offline() -> bool:
    return os.environ.get("OFFLINE", "").lower() in ("1", "true", "yes")


# Search entries kept for the next build: Material's search plugin parses every page's HTML and
# has jieba cut its Chinese (jieba's dictionary alone takes about 0.9 s to load). A page whose
# HTML, address, headings and title are the last build's gets the last build's entries, and jieba
# loads its dictionaries only when a page has changed.
ADD_ENTRIES = SearchIndex.add_entry_from_context
LOAD_WORDS, CUT = jieba.load_userdict, jieba.cut
WORDS_TO_LOAD: list = []  # user dictionaries the search plugin gave jieba, not loaded yet
BUILD: dict = {}  # this build's language and the files of words jieba is given (on_config)


def load_words_later(path) -> None:
    WORDS_TO_LOAD.append(path)


def cut_with_words(*args, **kwargs):
    while WORDS_TO_LOAD:
        LOAD_WORDS(WORDS_TO_LOAD.pop(0))
    return CUT(*args, **kwargs)


def toc_ids(toc) -> list:
    return [[item.id, item.url, toc_ids(item.children)] for item in toc]


def add_entries_kept(index: SearchIndex, page) -> None:
    """SearchIndex.add_entry_from_context, with the entries of an unchanged page kept."""
    if "language" not in BUILD:  # not a build of this site (hooks.py imported elsewhere)
        return ADD_ENTRIES(index, page)
    start = len(index.entries)

    def make():
        ADD_ENTRIES(index, page)
        return index.entries[start:]

    name = kept.key(page.content, page.url, toc_ids(page.toc), page.title, page.meta.get("title"),
                    page.meta.get("search"), page.meta.get("tags"))
    index.entries[start:] = store("search", BUILD["language"]).get(name, make)


# Code blocks kept too: Pygments' HTML of a block is the same for the same code, language and
# settings (pymdownx.highlight's own and those of the call).
HIGHLIGHT = Highlight.highlight
HIGHLIGHT_ARGS = inspect.signature(HIGHLIGHT)


def highlight_kept(highlight: Highlight, *args, **kwargs):
    """Highlight.highlight, with the HTML of a block of code the last build highlighted kept. An
    inline code, or a title made of HTML (kept in the page's own stash), is highlighted anew."""
    call = HIGHLIGHT_ARGS.bind(highlight, *args, **kwargs)
    call.apply_defaults()
    given = {name: value for name, value in call.arguments.items() if name != "self"}
    if "language" not in BUILD or given["inline"] or highlight.title_mode == "html":
        return HIGHLIGHT(highlight, *args, **kwargs)
    settings = {name: value for name, value in vars(highlight).items() if name != "md"}
    return store("highlight", BUILD["language"]).get(kept.key(given, settings),
                                                       lambda: HIGHLIGHT(highlight, *args, **kwargs))


# Pages' Markdown made HTML, kept too: MkDocs' Page.render gives the same HTML, headings, title,
# anchors, links to other pages' anchors and log messages for the same Markdown, the same place,
# the same files of the site, the same Markdown settings and the same snippets. A kept page
# says again what it said when it was rendered (a warning still fails a strict build).
RENDER = Page.render
SITE_KEYS: dict = {}  # id(files) → the key of everything a page's rendering reads beyond the page


def site_key(config, files) -> str:
    """What every page's rendering reads beyond its own Markdown: the site's files (the targets of
    its links), the Markdown extensions and their settings, and every file the snippets may
    include."""
    if id(files) not in SITE_KEYS:
        def named(value):  # a function of the settings by its name (not its address)
            return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"

        snippets = []
        for base in (config.mdx_configs.get("pymdownx.snippets") or {}).get("base_path") or []:
            for path in sorted(Path(base).rglob("*")):
                if path.is_file():
                    snippets.append([path.as_posix(), kept.digest(path.read_bytes())])
        SITE_KEYS[id(files)] = kept.key(
            sorted([f.src_uri, f.dest_uri, f.url, str(f.inclusion)] for f in files),
            json.dumps([config.markdown_extensions, config.mdx_configs], default=named, sort_keys=True),
            config.use_directory_urls, str(config.validation), snippets)
    return SITE_KEYS[id(files)]


class Said(logging.Handler):
    """What MkDocs' loggers say while a page renders."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.said = []

    def emit(self, record):
        self.said.append([record.name, record.levelno, record.getMessage()])


def toc_tokens(toc) -> list:
    return [{"level": item.level, "id": item.id, "name": item.title, "children": toc_tokens(item.children)}
            for item in toc]


def render_kept(page, config, files) -> None:
    """Page.render, with the HTML of a page whose Markdown, place and site are the last build's kept."""
    if "language" not in BUILD:
        return RENDER(page, config, files)
    rendered = []

    def make():
        said, logger = Said(), logging.getLogger("mkdocs")
        logger.addHandler(said)
        try:
            RENDER(page, config, files)
        finally:
            logger.removeHandler(said)
        rendered.append(True)
        links = page.links_to_anchors
        return {"content": page.content, "toc": toc_tokens(page.toc), "title": page._title_from_render,
                "anchors": sorted(page.present_anchor_ids),
                "links": None if links is None else [[f.src_uri, anchors] for f, anchors in links.items()],
                "said": said.said}

    name = kept.key(page.markdown, page.file.src_uri, page.file.dest_uri, page.file.url, site_key(config, files))
    made = store("render", BUILD["language"]).get(name, make)
    if rendered:  # rendered now: the page is set, and what it said was said
        return
    page.content, page.toc, page._title_from_render = made["content"], get_toc(made["toc"]), made["title"]
    page.present_anchor_ids = set(made["anchors"])
    if made["links"] is not None:
        page.links_to_anchors = {files.get_file_from_path(src): anchors for src, anchors in made["links"]}
    for logger, level, message in made["said"]:
        logging.getLogger(logger).log(level, message)


jieba.load_userdict, jieba.cut = load_words_later, cut_with_words
SearchIndex.add_entry_from_context = add_entries_kept
Highlight.highlight = highlight_kept
Page.render = render_kept


@event_priority(100)  # before the offline plugin, which then sees a shim and adds none
def on_config(config):
    search = config.plugins.get("material/search") or config.plugins.get("search")
    BUILD["language"] = config.theme["language"]
    BUILD["words"] = [Path(p) for p in (search.config.jieba_dict, search.config.jieba_dict_user) if p] if search else []
    if offline():
        config.extra["polyfills"] = [SHIM]
    ui = config.extra.get("ui", {})
    for scheme in config.theme.get("palette") or []:
        toggle = scheme.get("toggle", {})
        if toggle.get("name") in ("dark", "light"):  # a role, named in the page's language
            toggle["name"] = ui[f"{toggle['name']}_mode"]
    config.mdx_configs.setdefault("toc", {})["permalink_title"] = ui["permalink"]
    return config


@lru_cache(maxsize=1)
def figure_sizes() -> dict:
    """{file name: (width, height)} of every catalog figure."""
    from PIL import Image

    sizes = {}
    for name, data in published().items():
        if name.endswith(".json"):  # an animation's step data
            continue
        with Image.open(io.BytesIO(data)) as image:
            sizes[name] = image.size
    return sizes


FIGURE_IMG = re.compile(r'<img\b(?P<attrs>[^>]*?\bsrc="(?P<src>[^"]*?figures/(?P<name>[^"/#?]+)[^"]*)"[^>]*?)(?P<end>\s*/?)>')


PAGE_FIGURE = re.compile(r'(<img\b[^>]*?\bsrc=")(?:\.\./)?([A-Za-z0-9_-]+(?:\.dark)?\.(?:gif|png)[#"])')


def figure_page_sources(html: str, page) -> str:
    """On a figure's own page (figures/NAME.md, scripts/gen_figure_pages.py), its pictures by
    their address through figures/, as every other page gives them (what the player and the hooks
    below look for), online (figures/NAME/) and offline (figures/NAME.html) alike."""
    if not page.file.src_uri.startswith("figures/"):
        return html
    return PAGE_FIGURE.sub(lambda m: m.group(1) + "../" * page.url.count("/") + "figures/" + m.group(2), html)


def on_page_content(html, page, config, files):
    """Every figure gets its intrinsic width and height (CSS scales it down to the column)."""
    sizes = figure_sizes()
    html = figure_page_sources(html, page)

    def sized(m):
        size = sizes.get(m.group("name"))
        if size is None or " width=" in m.group("attrs"):
            return m.group(0)
        return f'<img{m.group("attrs")} width="{size[0]}" height="{size[1]}"{m.group("end")}>'

    if page.canonical_url:  # each link's address, for print
        html = previews.with_print_addresses(html, page.canonical_url, config.site_url, offline())
    return with_webp_sources(FIGURE_IMG.sub(sized, with_player_slots(with_print_pictures(html))))


def with_webp_sources(html: str) -> str:
    """Each figure that has a lossless WebP (every animation, and a still figure where the WebP
    is smaller than its PNG: figures.build) served inside a <picture>: the browser takes the WebP,
    and one without WebP the <img>'s GIF or PNG, whose size, alt text and address (with Material's
    #only-light / #only-dark) stay as they were. Print pictures are left as they are."""
    files = published()

    def wrap(m):
        name = m.group("name")
        webp = name.rsplit(".", 1)[0] + ".webp"
        if "figure-print" in m.group("attrs") or not name.endswith((".gif", ".png")) or not files.get(webp):
            return m.group(0)
        head = m.group("src").rpartition(name)[0]
        return f'<picture><source type="image/webp" srcset="{head}{webp}">{m.group(0)}</picture>'

    return FIGURE_IMG.sub(wrap, html)


# no-js → js; "figure-player" where the player can run; "in-frame" inside an <iframe> (a course
# page embedding a figure's page: extra.css hides the site's chrome there). And where the browser
# denies a page in another site's <iframe> its storage (Safari, private windows, blocked
# third-party cookies), reading localStorage throws, and Material's scripts stop at their first
# line: the page then gets a storage that lasts as long as it does.
STORAGE_SHIM = ('for(const s of["localStorage","sessionStorage"])try{window[s].length}catch(e){const m=new Map;'
                'Object.defineProperty(window,s,{configurable:!0,value:{getItem:k=>m.has(k)?m.get(k):null,'
                'setItem:(k,v)=>{m.set(k,String(v))},removeItem:k=>{m.delete(k)},clear:()=>m.clear(),'
                'key:i=>[...m.keys()][i]??null,get length(){return m.size}}})}')
# The words of ?h= (highlight) and ?q= (search) reach Material's highlighter, which makes one
# regular expression of them: a 60 KB word is an uncaught "Invalid regular expression". Each is cut
# to 200 characters in the address before Material reads it.
BOUND_QUERY = ('try{const u=new URL(location.href);let cut=!1;for(const k of["h","q"]){const v=u.searchParams.get(k);'
               'if(v&&v.length>200){u.searchParams.set(k,v.slice(0,200));cut=!0}}'
               'cut&&history.replaceState(history.state,"",u)}catch(e){}')
EARLY = ('<script>document.documentElement.classList.replace("no-js","js");'
         '"ImageDecoder"in window&&document.documentElement.classList.add("figure-player");'
         'window.self!==window.top&&document.documentElement.classList.add("in-frame");'
         + STORAGE_SHIM + BOUND_QUERY + '</script>')
# The search index (the largest file of a first load: 68 KB compressed in English, 80 KB in
# Chinese) is requested when the reader first goes to search (the search field focused, by
# pointer, touch or keyboard shortcut; the search button of a phone; an address with ?q=, or
# with ?h=, whose words Material highlights with the index's own settings), not with every page.
# Material asks for it (XMLHttpRequest) as its script starts; that request is sent only then.
# Not offline: there Material reads the index from a script of its own.
INDEX_ON_FIRST_SEARCH = (
    '<script>(()=>{const X=XMLHttpRequest.prototype,open=X.open,send=X.send,held=[];let wanted=!1;'
    'const want=()=>{if(!wanted){wanted=!0;held.splice(0).forEach(go=>go())}};'
    'X.open=function(m,u,...r){this.searchIndex=new URL(u,location.href).pathname.endsWith("/search/search_index.json");'
    'return open.call(this,m,u,...r)};'
    'X.send=function(...a){if(this.searchIndex&&!wanted){held.push(()=>send.apply(this,a));return}return send.apply(this,a)};'
    'addEventListener("focusin",e=>{e.target.matches&&e.target.matches("[data-md-component=search-query]")&&want()});'
    'addEventListener("change",e=>{e.target.id==="__search"&&e.target.checked&&want()});'
    'const q=new URLSearchParams(location.search);(q.has("q")||q.has("h"))&&want()})()</script>')
# A page is first drawn once it is parsed to the end of its footer, never half parsed: on a slow
# phone Chromium would otherwise draw the part parsed so far, and what follows would move it (the
# language menu before the search field is parsed; a line of text before a tall formula later on
# the same line). The scripts after the footer do not hold the first drawing. A browser that does
# not know rel=expect draws as it always did.
PARSED = '<span id="page-parsed" hidden></span>'
PARSED_EXPECTED = '<link rel="expect" href="#page-parsed" blocking="render">'
# print: an animation's <img> is hidden where its print picture follows it (extra.css); inside a
# <picture> (with its WebP, with_webp_sources) the <img> has no such sibling: the <picture> is hidden
PICTURE_PRINT = "<style>@media print{.md-typeset picture:has(+ img.figure-print){display:none!important}}</style>"
# a figure's last (or only) variant, its print picture and the link around it, if any
LAST_VARIANT = re.compile(r'(<img\b[^>]*\bsrc="[^"]*figures/[^"/#?]+\.(gif|png)(?!#only-light)(?:#[^"]*)?"[^>]*>'
                          r'(?:<img class="figure-print"[^>]*>)?(?:</a>)?)')


# The site's icon, in the page (no request of its own): a 3×3 kernel over a 4×4 input, in the
# palette's indigo, instead of Material's 1.9 KB PNG.
ICON = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E"
        "%3Cpath d='M.5.5h15v15H.5zM4.25.5v15M8 .5v15M11.75.5v15M.5 4.25h15M.5 8h15M.5 11.75h15' "
        "fill='%23fff' stroke='%233f51b5'/%3E%3Cpath d='M1.5 1.5h9.5v9.5H1.5z' fill='none' "
        "stroke='%23e65100' stroke-width='2'/%3E%3C/svg%3E")
FAVICON = re.compile(r'<link rel="icon" href="[^"]*">')

# a table as Material's script wraps it once the page has loaded (to scroll it sideways), wrapped
# so already when the site is built: nothing moves when the script runs. The script wraps it once
# more; extra.css makes that inner wrapping take no room.
TABLE = re.compile(r"(<table>.*?</table>)", re.DOTALL)


def with_player_slots(html: str) -> str:
    """After each figure (its dark variant comes last; on the gallery, each variant is a figure of
    its own), the place its controls will take: the
    player (player.js) builds its bar and caption in it, and as the space is held from the first
    paint on (where the browser can run the player: the "figure-player" class, set in <head>),
    nothing below a figure moves when the controls appear."""
    return LAST_VARIANT.sub(lambda m: m.group(1) + f'<span class="player-slot player-slot--{m.group(2)}"></span>', html)


ALT = re.compile(r'\balt="([^"]*)"')


def with_print_pictures(html: str) -> str:
    """After each animation's <img>, the picture a printed page shows in its place: its last step
    (NAME.last.png, from the engine). Hidden on screen and lazy, it is fetched only when the page
    is printed (a browser prints a GIF's first frame, or whichever it shows)."""
    sizes = figure_sizes()

    def add(m):
        name = m.group("name")
        if not name.endswith(".gif"):
            return m.group(0)
        # its steps side by side where they fit on a printed page (the engine's NAME.print.png),
        # else its last step
        last = name.removesuffix(".gif") + ".print.png"
        if last not in sizes:
            last = name.removesuffix(".gif") + ".last.png"
        head, _, tail = m.group("src").rpartition(name)
        alt = ALT.search(m.group("attrs"))
        width, height = sizes.get(last, (None, None))
        size = f' width="{width}" height="{height}"' if width else ""
        return (f'{m.group(0)}<img class="figure-print" alt="{alt.group(1) if alt else ""}" src="{head}{last}{tail}"'
                f' loading="lazy"{size}>')

    return FIGURE_IMG.sub(add, html)


# {repository|the repository}, {offline-zip|the offline copy}: a link where the hosting workflow
# gave the address (extra.repository, extra.offline_zip), the words alone where it did not.
PLACE = re.compile(r"\{(repository|offline-zip)\|([^{}|]+)\}")


def linked_places(markdown: str, page_url: str, extra: dict) -> str:
    def link(m):
        if m.group(1) == "repository":
            target = extra.get("repository") or ""
        else:
            target = extra.get("offline_zip") or ""
            target = get_relative_url(target, page_url) if target and not offline() else ""
        if not target:
            return m.group(2)
        # the zip is put beside the site after the build: an HTML link, which MkDocs does not
        # look for among the pages (the workflow's check_site.py checks it once the zip is there)
        return f'<a href="{target}">{m.group(2)}</a>' if m.group(1) == "offline-zip" else f"[{m.group(2)}]({target})"

    return PLACE.sub(link, markdown)


def on_page_markdown(markdown, page, config, files):
    # a chapter with a notebook (gen_notebooks.py) gets its download button beside the title
    # (overrides/partials/actions.html)
    notebook = files.get_file_from_path(f"notebooks/{Path(page.file.src_uri).stem}.ipynb")
    if notebook is not None and "/" not in page.file.src_uri:
        page.meta["notebook"] = notebook.url
    return linked_places(markdown, page.url, config.extra)


ALTERNATE_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def on_post_page(output, page, config):
    """KaTeX on pages with math only; Material's <link rel="alternate"> (to each language's home)
    replaced by the page's own alternates and link-preview tags; offline, neither (the language
    menu stays, and site.js keeps the reader on the same page when it is used)."""
    output = output.replace("<head>", "<head>" + EARLY + ("" if offline() else INDEX_ON_FIRST_SEARCH), 1)  # no-js → js before the first paint
    if "<picture>" in output:
        output = output.replace("</head>", PICTURE_PRINT + "</head>", 1)
    output = FAVICON.sub(f'<link rel="icon" href="{ICON}">', output, count=1)
    if "</footer>" in output:  # the page is first drawn whole (PARSED)
        output = output.replace("</head>", PARSED_EXPECTED + "</head>", 1).replace("</footer>", "</footer>" + PARSED, 1)
    output = TABLE.sub(r'<div class="md-typeset__scrollwrap"><div class="md-typeset__table">\1</div></div>', output)
    if 'class="arithmatex"' in output:
        output = typeset(output, page.file.src_uri, store("katex", config.theme["language"]))
        css = get_relative_url(KATEX_CSS, page.url)
        fonts = "" if offline() else "".join(  # from file:// a font is not fetched ahead
            f'<link rel="preload" href="{get_relative_url(f"assets/katex/fonts/{font}.woff2", page.url)}" as="font" '
            f'type="font/woff2" crossorigin>' for font in katex_fonts(output))
        output = output.replace("</head>", f'{fonts}<link rel="stylesheet" href="{css}">\n</head>', 1)
    if '<div id="explorer"' in output:  # KaTeX first: the explorer typesets its formulas with it
        links = "".join(f'<link rel="stylesheet" href="{get_relative_url(path, page.url)}">\n'
                        for path in (KATEX_CSS, *EXPLORER_CSS) if path not in output)
        output = output.replace("</head>", links + "</head>", 1)
        tags = "".join(f'<script src="{get_relative_url(path, page.url)}"></script>' for path in (KATEX_JS, *EXPLORER_JS))
        output = output.replace("</body>", tags + "\n</body>", 1)
    output = ALTERNATE_LINK.sub("", output)  # Material's, to each language's home page
    if offline():  # a page of the offline copy is not shared by its address: no previews
        output = inline_figures(output)
    else:
        output = with_previews(output, page, config)
    return output


def with_previews(output: str, page, config) -> str:
    """The page's link-preview tags and language alternates (scripts/previews.py), after its
    canonical link; every address absolute, from site_url."""
    import html as entities

    if not page.canonical_url:
        return output
    image = None
    figure = previews.first_figure(output, published())
    if figure:
        width, height = figure_sizes()[figure[0]]
        image = {"url": urljoin(config.site_url, f"figures/{figure[0]}"), "width": width, "height": height,
                 "alt": figure[1]}
    tags = previews.preview_tags(
        title=entities.unescape(page.title or config.site_name),
        description=page.meta.get("description") or config.site_description, url=page.canonical_url,
        site_name=config.site_name, language=config.theme["language"],
        alternates=previews.alternates(config.site_url, page.url, config.extra.get("alternate") or []),
        image=image, home=page.is_homepage)
    canonical = re.search(r'<link rel="canonical" href="[^"]*">', output)
    at = canonical.end() if canonical else output.index("</head>")
    return output[:at] + "\n" + tags + output[at:]


# a formula as pymdownx.arithmatex (generic mode) writes it: \(…\) in a span, \[…\] in a div
ARITHMATEX = re.compile(r'(<(span|div) class="arithmatex">)\\([(\[])(.*?)\\[)\]](</\2>)', re.DOTALL)


@lru_cache(maxsize=1)
def katex():
    """KaTeX's renderToString, from the site's own katex.min.js, in QuickJS; its warnings (strict
    mode) are collected, not printed."""
    import quickjs

    context = quickjs.Context()
    context.eval("var window = globalThis, self = globalThis, warnings = [];"
                 "var console = {warn: function () { warnings.push([].slice.call(arguments).join(' ')); },"
                 " log: function () {}, error: function () {}};")
    context.eval(KATEX_SOURCE.read_text(encoding="utf-8"))
    return context.eval("(function (tex, display) { warnings = []; var html = katex.renderToString(tex, "
                        "{displayMode: display, throwOnError: true}); return JSON.stringify([html, warnings]); })")


# KaTeX's fonts a page's formulas use, by the classes of its HTML: the text (KaTeX_Main) and
# letters (KaTeX_Math) of every formula; large delimiters and operators (KaTeX_Size1..4)
KATEX_SIZES = {"delimsizing size1": "Size1", "delimsizing size2": "Size2", "delimsizing size3": "Size3",
               "delimsizing size4": "Size4", "small-op": "Size1", "large-op": "Size2"}


def katex_fonts(output: str) -> list:
    """The KaTeX fonts a typeset page needs at once (preloaded, so that they are there when the
    page is first drawn and no formula changes width after: no layout shift). A test compares
    them with the fonts Chromium fetches for every page."""
    fonts = ["KaTeX_Main-Regular"] + (["KaTeX_Math-Italic"] if "mathnormal" in output else [])
    return fonts + sorted({f"KaTeX_{size}-Regular" for cls, size in KATEX_SIZES.items() if cls in output})


STORES: dict = {}  # this build's kept.Store of each kind: "katex", "search", "highlight"


def store(kind: str, language: str) -> kept.Store:
    """This build's store of ``kind``: formulas typeset by the site's katex.min.js ({"[" or "(" +
    TeX: KaTeX's HTML and MathML}), pages' search entries (made by Material's search plugin with
    jieba and the site's words), or blocks of code highlighted by Pygments."""
    if kind not in STORES:
        if kind == "katex":
            made_by = (KATEX_SOURCE.read_bytes(),)
        elif kind == "highlight":
            made_by = (version("pygments"), version("pymdown-extensions"))
        elif kind == "render":  # and these hooks, which highlight code
            made_by = tuple(version(p) for p in ("mkdocs", "markdown", "pymdown-extensions", "pygments")) + (
                Path(__file__).read_bytes(),)
        else:
            made_by = (version("mkdocs-material"), version("jieba"), *(path.read_bytes() for path in BUILD["words"]))
        STORES[kind] = kept.Store(f"{kind}-{language}", *made_by)
    return STORES[kind]


def typeset(output: str, where: str, formulas: kept.Store) -> str:
    """Every formula of a page as KaTeX's HTML and MathML, in the element arithmatex put it in (what
    KaTeX's auto-render did in the reader's browser, now done once, when the site is built).
    ``formulas``: those typeset by this build and the last one, by the same KaTeX."""
    import html as entities

    import quickjs

    def one(match):
        tex = entities.unescape(match.group(4))
        key = match.group(3) + tex
        made = formulas.get(key, lambda: render(tex, match.group(3) == "["))
        # a display formula wider than a phone scrolls sideways (extra.css): reachable by keyboard
        made = made.replace('<span class="katex-display">', '<span class="katex-display" tabindex="0">', 1)
        return match.group(1) + made + match.group(5)

    def render(tex, display):
        try:
            made, warnings = json.loads(katex()(tex, display))
        except quickjs.JSException as error:
            raise PluginError(f"{where}: KaTeX cannot typeset {tex!r}: {str(error).splitlines()[0]}") from None
        if warnings:
            raise PluginError(f"{where}: KaTeX warns about {tex!r}: {'; '.join(warnings)}")
        return made

    return ARITHMATEX.sub(one, output)


def inline_figures(output: str) -> str:
    """Offline, a page carries the step data and the bytes of its animations: the player cannot
    fetch them from file://. The bytes are the WebP's, which the browser shows (the GIF's where
    an animation has none)."""
    files, tags = published(), []
    for gif in sorted(set(re.findall(r'figures/([^"/#?]+\.gif)', output))):
        steps = gif.removesuffix(".gif") + ".steps.json"
        webp = gif.removesuffix(".gif") + ".webp"
        shown = webp if files.get(webp) else gif
        if gif in files and steps in files:
            text = files[steps].decode().replace("</", "<\\/")
            tags.append(f'<script type="application/json" data-figure="{steps}">{text}</script>')
            tags.append(f'<script type="application/octet-stream" data-figure="{shown}">'
                        f'{base64.b64encode(files[shown]).decode()}</script>')
    return output.replace("</body>", "".join(tags) + "\n</body>", 1)


# LaTeX → text for search previews: the commands our formulas use, then whatever is left.
TEX_WORDS = {
    r"\lfloor": "⌊", r"\rfloor": "⌋", r"\lceil": "⌈", r"\rceil": "⌉", r"\cdot": "·", r"\times": "×",
    r"\le": "≤", r"\ge": "≥", r"\ne": "≠", r"\to": "→", r"\langle": "⟨", r"\rangle": "⟩", r"\top": "ᵀ",
    r"\bmod": "mod", r"\max": "max", r"\min": "min", r"\ldots": "…", r"\dots": "…", r"\infty": "∞",
    r"\sigma": "σ", r"\Delta": "Δ", r"\quad": " ", r"\qquad": " ", r"\,": " ", r"\;": " ", r"\!": "",
    r"\left": "", r"\right": "", r"\in": "∈", r"\approx": "≈", r"\sum": "Σ", r"\prod": "Π", r"\sqrt": "√",
}


def tex_to_text(tex: str) -> str:
    """A formula as a reader would read it aloud in plain text: ⌊(H + 2p − 1)/s⌋ + 1."""
    text = tex
    for _ in range(3):  # nested fractions
        text = re.sub(r"\\d?frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", text)
    text = re.sub(r"\\(?:text|operatorname|mathrm|mathbf|textbf)\{([^{}]*)\}", r"\1", text)
    for command in sorted(TEX_WORDS, key=len, reverse=True):
        after = r"(?![A-Za-z])" if command[-1].isalpha() else ""
        text = re.sub(re.escape(command) + after, lambda m, w=TEX_WORDS[command]: w, text)
    text = re.sub(r"\^\{?ᵀ\}?", "ᵀ", text)
    text = re.sub(r"([_^])\{([^{}]{2,})\}", r"\1(\2)", text)  # r_{l-1} → r_(l-1)
    text = re.sub(r"\\[A-Za-z]+", "", text)  # anything else: dropped, never shown raw
    text = text.replace("{", "").replace("}", "").replace("\\", "").replace("-", "−")
    return re.sub(r"\s+", " ", text).strip()


MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.DOTALL)


# a figure's section of the gallery: its configuration, command and chapters repeat what the
# chapters and the instructors' page say; the figure's name is what a reader searches for
GALLERY_SECTION = re.compile(r"gallery/#.")
SESSION = re.compile(r"<pre><code>(&gt;&gt;&gt; .*?)</code></pre>", re.DOTALL)
PROMPT = re.compile(r"^(?:&gt;&gt;&gt;|\.\.\.)(?: |$)")
def searchable(text: str, separator: str) -> str:
    """What the search index keeps of a page's text: what a reader can search for. A Python
    session keeps the code typed at its prompts, without the prompts and without what Python
    printed (tensors of numbers, shapes). A word break (U+200B, put in by jieba for the Chinese
    search) goes where it separates nothing: beside a character that the index's ``separator``
    already splits at, beside a tag (Material's worker tokenizes the text between two tags on its
    own), or at either end."""
    def typed(m):
        lines = [PROMPT.sub("", line) for line in m.group(1).split("\n") if PROMPT.match(line)]
        return "<pre><code>" + "\n".join(line for line in lines if line.strip()) + "</code></pre>"

    splits = re.compile(separator)

    def word_break(m):
        before = m.string[m.start() - 1] if m.start() else ""
        after = m.string[m.end()] if m.end() < len(m.string) else ""
        needless = (not before or not after or before == ">" or after == "<"
                    or splits.fullmatch(before) or splits.fullmatch(after))
        return "" if needless else m.group(0)

    return re.sub("\u200b+", word_break, SESSION.sub(typed, text))


# Where Material's script looks for the languages' sitemaps: every <link rel="alternate"> of a page
# (meant for links to each language's home, as Material writes them). The page's own alternates
# (hreflang, to the same page in each language, scripts/previews.py) have no sitemap beside them.
ALTERNATES_QUERY = '("link[rel=alternate]")'

# The one comparison fixed in Material's search worker: a query word may end at the query's end.
SEGMENT_BUG = re.compile(r"for\(let (\w)=(\w)\+1;\1<(\w)\.length;\1\+\+\)\3\.slice\(\2,\1\)in ")
# The words of a segmented query joined with a wildcard of their own, to which the query's
# transformation adds a second (word** word*): joined with a space, each gets one.
SEGMENT_JOIN = re.compile(r'(\[\.\.\.\w+\(\w+,this\.index\.invertedIndex\)\]\.join\()"\* "\)')


def patch_assets(paths: list, fix, asset: str, what: str) -> None:
    """Mend each of Material's built ``paths`` (an ``asset``) with ``fix`` (code → (code, places
    changed)): exactly one place in each, or the build fails naming the file (Material changed)."""
    if not paths:
        raise PluginError(f"hooks.py: no {asset} in the built site to fix")
    for path in paths:
        fixed, count = fix(path.read_text(encoding="utf-8"))
        if count != 1:
            raise PluginError(f"hooks.py: {path.name}: {what} was found {count} times (expected once); "
                              f"has Material changed it?")
        path.write_text(fixed, encoding="utf-8")


# Names readers arrive with, in the entry of the place that teaches their term (docs/glossary.yml:
# aliases_zh / aliases_en, chapter): a field of the index of its own, which Material's worker
# searches (it indexes every field the index's config names) and no result shows. Its weight is
# ten times a title's: 反卷积 finds the transposed-convolution chapter before the section of the
# matrix chapter titled 为什么“反卷积”是个错误的叫法 (which comes second).
GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.yml"
ALIASES = "aliases"
ALIASES_BOOST = 1e4


def on_files(files, config):
    """Each page's address as this build gives it (pooling/, or pooling.html offline)."""
    BUILD["urls"] = {f.src_uri: f.url for f in files.documentation_pages()}
    return files


def alias_words(language: str) -> dict:
    """{place (a chapter, or a chapter#section): the words of the aliases of the terms it teaches}.
    A Chinese alias is one word (the query is cut with the index's own words, so 汇聚层 is then
    one); of an English one, only the words that are no term's word: "atrous convolution" adds
    atrous (convolution would make every "convolution" query find the dilation chapter first)."""
    import yaml

    terms = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    common = set()
    for term in terms:
        for form in [term[language], *term.get(f"match_{language}", [])]:
            common.update(re.split(r"[\s-]+", form.lower()))
    places: dict = {}
    for term in terms:
        aliases = term.get(f"aliases_{language}") or {}
        if not aliases:
            continue
        if not term.get("chapter"):
            raise PluginError(f"docs/glossary.yml: {term['id']} has aliases but no chapter that teaches it")
        for alias in aliases:
            words = [alias] if language == "zh" else [w for w in re.split(r"[\s-]+", alias.lower()) if w not in common]
            if not words:
                raise PluginError(f"docs/glossary.yml: {term['id']}: every word of the alias {alias!r} is a term's word")
            places.setdefault(term["chapter"], []).extend(words)
    return places


def with_aliases(index: dict, language: str, urls: dict, book: bool = True) -> None:
    """Each alias in the search entry of the place that teaches its term (alias_words). Building the
    book (docs/en or docs/zh), a place missing from the index fails the build; a site made of other
    pages (a test's few pages with this configuration) just has no such place."""
    docs = {doc["location"]: doc for doc in index["docs"]}
    index["config"]["fields"][ALIASES] = {"boost": ALIASES_BOOST}
    for place, words in alias_words(language).items():
        page, _, section = place.partition("#")
        location = urls.get(page, "") + (f"#{section}" if section else "")
        if (page not in urls or location not in docs) and not book:
            continue
        if page not in urls or location not in docs:
            raise PluginError(f"docs/glossary.yml: chapter {place}: no such page or section in the {language} search index")
        docs[location][ALIASES] = " ".join(words)


@event_priority(-50)  # after the search plugin wrote its index, before the offline plugin reads it
def on_post_build(config):
    site = Path(config.site_dir)
    index_file = site / "search" / "search_index.json"
    if index_file.exists():
        index = json.loads(index_file.read_text(encoding="utf-8"))
        for doc in index["docs"]:
            if GALLERY_SECTION.match(doc["location"]):  # found by its name (the title) alone
                doc["text"] = ""
            for field in ("title", "text"):
                text = MATH.sub(lambda m: tex_to_text(m.group(1) or m.group(2)), doc[field])
                doc[field] = searchable(text, index["config"]["separator"])
        book = Path(config.docs_dir).resolve() in {(GLOSSARY.parent / lang).resolve() for lang in ("en", "zh")}
        with_aliases(index, config.theme["language"], BUILD.get("urls", {}), book)
        index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    for kind in STORES.values():
        kind.keep()
    # KaTeX's fonts: "optional" rather than "block": a font that is not there when the page is
    # first drawn (they are preloaded) is not swapped in later, so no formula changes width once
    # the page is on screen; the next page finds it in the cache
    katex_css = site / KATEX_CSS
    if katex_css.exists():
        css, count = re.subn(r"font-display:block", "font-display:optional", katex_css.read_text(encoding="utf-8"))
        if not count:
            raise PluginError(f"hooks.py: {KATEX_CSS}: no font-display:block to make optional; has KaTeX changed?")
        katex_css.write_text(css, encoding="utf-8")
    def segmentation(code):
        return SEGMENT_BUG.subn(lambda m: m.group(0).replace(f"{m.group(1)}<", f"{m.group(1)}<=", 1), code)

    workers = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    patch_assets(workers, segmentation, "search worker", "the query segmentation this hook fixes")
    patch_assets(workers, lambda code: SEGMENT_JOIN.subn(r'\1" ")', code), "search worker",
                 "the join of a segmented query's words this hook fixes")
    # Material's script: no sitemap.xml fetched beside a page's hreflang alternates
    patch_assets(sorted((site / "assets" / "javascripts").glob("bundle.*.min.js")),
                 lambda code: re.subn(re.escape(ALTERNATES_QUERY), ALTERNATES_QUERY[:-2] + ':not([hreflang])")', code),
                 "Material bundle", f"Material's query {ALTERNATES_QUERY}")
