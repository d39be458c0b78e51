"""Real browser tests: Debian's chromium driven by Playwright, axe-core injected from npm."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import need

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# fixtures here are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    chromium = "/usr/bin/chromium"
    need(os.path.exists(chromium), "Debian's chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        need(False, "playwright is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page; the test fails if the Content-Security-Policy blocked anything on it."""
    context = browser.new_context(locale="en-CA")
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)


@pytest.fixture
def axe_check():
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; fail on any violation."""
    need(AXE.exists(), "axe-core is not installed (npm ci)")

    def check(page) -> None:
        # Evaluated through the DevTools protocol: a <script> tag with inline code would be
        # (rightly) blocked by the site's Content-Security-Policy.
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
            })"""
        )
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
        assert not violations, f"axe found on {page.url}:\n" + "\n".join(violations)

    return check


# The evidence fixtures, for the evidence journeys.
from tests.evidence.conftest import evidence_world  # noqa: E402, F401
