"""The API's documentation page in a real browser: axe on the site's part, Swagger UI's findings known.

Capacity's own part of the page (header, skip link, heading, introduction) must have
no axe violation. Swagger UI (django-ninja's vendored copy) has findings of its own;
each is listed here with the reason it stays, and in docs/api.md. The test fails on
any other finding, on one of these outside Swagger UI, and when one of them goes away
(so the list and the docs are kept true).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE
from tests.browser.test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Rule id -> why it stays (docs/api.md says the same).
SWAGGER_UI_FINDINGS = {
    "color-contrast": (
        "Swagger UI's colours: white method badges (GET, POST) on light blue and green, "
        "grey version stamps and URLs; restyling a third-party stylesheet would break "
        "with each django-ninja upgrade"
    ),
    "nested-interactive": (
        "each operation's summary is a <button> holding a link to the operation (deep "
        "linking); that markup is Swagger UI's React component"
    ),
    "heading-order": (
        "Swagger UI titles the API with its own <h1> and its groups of operations with "
        "<h3>, skipping <h2>"
    ),
}
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", RULES
    )
    return result["violations"]


def inside_swagger_ui(page, selector: list[str]) -> bool:
    """Whether axe's target (a CSS selector, one per frame) lies inside Swagger UI's container."""
    return page.evaluate(
        "(s) => { const e = document.querySelector(s); return !!e && !!e.closest('#swagger-ui'); }",
        selector[-1],
    )


@pytest.mark.parametrize(
    ("language", "width", "heading", "home"),
    [
        ("en", 1280, "API documentation", "Home"),
        ("fr", 390, "Documentation de l’API", "Accueil"),
    ],
)
def test_the_api_docs_are_a_page_of_the_site_with_only_swagger_uis_findings_left(
    page, live_server, world, language, width, heading, home
):
    sign_in(page, live_server, "principal_a1")
    if language == "fr":
        page.get_by_role("button", name="Français").click()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/api/docs")
    expect(
        page.get_by_text("/api/plans/{plan_id}").first
    ).to_be_visible()  # Swagger UI ran under the CSP

    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#swagger-ui").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    expect(page.locator("header.site-header").get_by_role("link", name=home)).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    found = {}
    for violation in axe_violations(page):
        outside = [
            n["target"] for n in violation["nodes"] if not inside_swagger_ui(page, n["target"])
        ]
        assert not outside, f"{violation['id']} on Capacity's part of the page: {outside}"
        found[violation["id"]] = violation["help"]
    assert set(found) <= set(SWAGGER_UI_FINDINGS), f"new findings: {found}"
    assert set(found) == set(SWAGGER_UI_FINDINGS), (
        "Swagger UI no longer has some findings: take them out of this list and docs/api.md"
    )
