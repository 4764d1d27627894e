"""The hosted site and the offline copy run only what they shipped (issue 32), in Chromium."""

from __future__ import annotations

import json

from browsing import Visit, browser  # noqa: F401  (browser: a fixture)

HOSTILE_TITLE = '<img src=x onerror="window.__owned=(window.__owned||0)+1">owned'


def test_a_page_that_frames_the_offline_copy_cannot_feed_its_search(browser, offline_copy, tmp_path):  # noqa: F811
    """Opened from file://, search runs in a hidden frame (iframe-worker's shim). A page that frames
    a chapter posts a crafted index and query to that frame, as a worker's messages: the frame's
    worker never sees them, no result carries the crafted title, no script of it runs; the
    chapter's own search still works afterwards."""
    chapter = (offline_copy / "en" / "sliding-window.html").as_uri()
    attacker = tmp_path / "attacker.html"
    setup = {"type": 0, "data": {"config": {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": [],
                                            "fields": {"title": {"boost": 1000}, "text": {"boost": 1}}},
                                 "docs": [{"location": "x.html", "title": HOSTILE_TITLE, "text": "owned"}],
                                 "options": {"suggest": False}}}
    attacker.write_text(f"""<!doctype html><iframe id=f src="{chapter}" width=1280 height=800></iframe><script>
      window.__owned = 0;
      function attack() {{
        const inner = document.getElementById("f").contentWindow.frames[0];
        if (!inner) return false;
        inner.postMessage({json.dumps(setup)}, "*");
        inner.postMessage({{type: 2, data: "owned"}}, "*");
        return true;
      }}
    </script>""", encoding="utf-8")
    visit = Visit(browser, attacker.as_uri(), viewport={"width": 1400, "height": 900})
    page = visit.page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    frame = page.frame_locator("#f")
    frame.locator("label.md-search__icon, .md-search__input").first.click()  # the chapter starts its search worker
    page.wait_for_function("() => document.getElementById('f').contentWindow.frames.length > 0", timeout=30000)
    page.wait_for_timeout(1500)
    assert page.evaluate("attack()")
    page.wait_for_timeout(1500)
    chapter_frame = page.frames[1]
    assert chapter_frame.evaluate("window.__owned || 0") == 0 and dialogs == []
    assert "owned" not in chapter_frame.inner_text(".md-search-result")
    # the chapter's own search still answers
    chapter_frame.fill(".md-search__input", "stride")
    chapter_frame.press(".md-search__input", "End")
    chapter_frame.wait_for_selector(".md-search-result__item", timeout=20000)
    assert "stride" in chapter_frame.inner_text(".md-search-result__list").lower()
    assert chapter_frame.evaluate("window.__owned || 0") == 0
    visit.close()
