"""Facts a page states outside its snippets, checked against what the snippets print."""

import re

import pytest

from helpers import DOCS, LANGS

SNIPPETS = DOCS / "snippets"


def printed(snippet: str) -> str:
    """What a snippet file's sessions print (no prompts, no markers)."""
    lines = (SNIPPETS / snippet).read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith((">>> ", "... ", "# --8<--")))


@pytest.mark.parametrize("lang", LANGS)
def test_mistakes_table_quotes_torchs_messages(lang):
    """Every error message in the table of common mistakes is one that a snippet on the page
    made torch print, word for word."""
    page = (DOCS / lang / "shapes.md").read_text(encoding="utf-8")
    section = page.split("{#mistakes}", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("|---")][1:]
    assert len(rows) == 7
    output = printed("shapes.pycon")
    for row in rows:
        quoted = re.findall(r"`([^`]+)`", row.split("|")[2])
        assert len(quoted) == 1, row
        assert quoted[0] in output, f"not printed by any snippet: {quoted[0]!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_instructors_page_states_the_encoders_sub_frame_time(lang):
    """The instructors page says how long a GIF's sub-frames show: the encoder's own value."""
    from figures import encode

    page = (DOCS / lang / "instructors.md").read_text(encoding="utf-8")
    section = page.split("{#slides}", 1)[1].split("\n## ", 1)[0]
    unit = {"en": "ms", "zh": "毫秒"}[lang]
    assert re.findall(rf"(\d+) ?{unit}", section) == [str(encode.SUBFRAME_MS)]
