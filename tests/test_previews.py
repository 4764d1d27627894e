"""scripts/previews.py on its own (no build): the language alternates of a page, its first
figure, and the addresses a printed page shows after its links, hosted and offline."""

import sys

from helpers import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import previews  # noqa: E402

LANGUAGES = [{"name": "English", "link": "../en/", "lang": "en"}, {"name": "简体中文", "link": "../zh/", "lang": "zh"}]
SITE = "https://example.org/course/zh/"


def test_alternates_are_the_same_page_in_each_language():
    assert previews.alternates(SITE, "dilation/", LANGUAGES) == [
        ("en", "https://example.org/course/en/dilation/"), ("zh", "https://example.org/course/zh/dilation/"),
        ("x-default", "https://example.org/course/en/dilation/")]
    # the home page's x-default is the site's root, which picks the reader's language
    assert previews.alternates(SITE, "", LANGUAGES)[-1] == ("x-default", "https://example.org/course/")


def test_the_first_figure_is_a_png_of_its_last_step():
    page = ('<p><img alt="dark" src="../figures/a.dark.gif#only-dark"><img alt="X &amp; Y" src="../figures/a.gif#only-light">'
            '<img class="figure-print" src="../figures/a.last.png"><img src="../figures/b.png"></p>')
    assert previews.first_figure(page, {"a.last.png", "b.png"}) == ("a.last.png", "X & Y")
    assert previews.first_figure(page, {"b.png"}) == ("b.png", "")  # an animation without its last step: the next
    assert previews.first_figure("<p>no figure</p>", {"b.png"}) is None


def test_print_addresses():
    page = ('<p><a href="../glossary/#kernel">kernel</a> <a href="#padding">here</a> '
            '<a class="headerlink" href="#x" title="Permanent link">¶</a> <a href="https://arxiv.org/abs/1">paper</a> '
            '<a href="../figures/a.gif"><img src="../figures/a.gif"></a> <a href="mailto:a@b.c">mail</a> '
            '<a href="../explore/?op=conv&amp;input=6">try</a></p>')
    out = previews.with_print_addresses(page, SITE + "dilation/", SITE)
    assert '<a href="../glossary/#kernel" data-print-href="https://example.org/course/zh/glossary/#kernel">' in out
    assert '<a href="https://arxiv.org/abs/1" data-print-href="https://arxiv.org/abs/1">' in out
    assert 'data-print-href="https://example.org/course/zh/explore/?op=conv&amp;input=6"' in out
    assert out.count("data-print-href") == 3  # not the anchor, the permalink, the picture's link or mail
    assert previews.with_print_addresses(out, SITE + "dilation/", SITE) == out  # once only
    # offline, the copy's file names are the hosted site's addresses
    offline = ('<a href="glossary.html#kernel">k</a> <a href="index.html">home</a> '
               '<a href="sliding-window.html">sw</a>')
    out = previews.with_print_addresses(offline, SITE + "dilation.html", SITE, offline=True)
    assert 'data-print-href="https://example.org/course/zh/glossary/#kernel"' in out
    assert 'data-print-href="https://example.org/course/zh/"' in out
    assert 'data-print-href="https://example.org/course/zh/sliding-window/"' in out


def test_preview_tags_escape_and_fall_back_to_a_small_card():
    tags = previews.preview_tags(title='A "title" & more', description="d", url=SITE, site_name="图解卷积",
                                 language="zh", alternates=previews.alternates(SITE, "", LANGUAGES), image=None,
                                 home=True)
    assert '<meta property="og:title" content="A &quot;title&quot; &amp; more">' in tags
    assert '<meta name="twitter:card" content="summary">' in tags and "og:image" not in tags
    assert '<meta property="og:locale" content="zh_CN">' in tags
    assert '<meta property="og:locale:alternate" content="en_GB">' in tags
    assert tags.count('<link rel="alternate" hreflang=') == 3
