"""Shared by the browser tests (test_browser.py, test_explore.py): Debian's chromium driven by
Playwright. Without /usr/bin/chromium a module that imports this is skipped on a developer's
machine and fails in CI (CI=true), where .ci/run installs it."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail("CI must install Debian's chromium (apt-get install chromium)", pytrace=False)
    pytest.skip("needs /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


CSP_WATCH = ("document.addEventListener('securitypolicyviolation', e => console.error("
             "`Content-Security-Policy: ${e.violatedDirective} blocked ${e.blockedURI || e.sample}`))")


class Visit:
    """A page with everything it requested, and every console error and failed request. With
    ``url`` None it is a new context and page, not yet navigated: ``goto`` later."""

    def __init__(self, browser, url, **context):
        self.context = browser.new_context(**context)
        # anything the page's Content-Security-Policy blocks is an error of the page (scripts/csp.py)
        self.context.add_init_script(CSP_WATCH)
        self.page = self.context.new_page()
        self.requests, self.errors, self.warnings = [], [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else
                     self.warnings.append(m.text) if m.type == "warning" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        if url is not None:
            self.goto(url)

    def goto(self, url):
        self.page.goto(url, wait_until="networkidle")

    def close(self):
        self.context.close()


