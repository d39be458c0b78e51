"""The gaps pages in a real browser, on a 390 px phone and a wide screen, in English and French:
axe finds nothing and nothing scrolls sideways (the wide tables scroll in their own boxes)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.phone import fits, sign_in
from tests.evidence.gaps_world import context_province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_a_principal_reads_the_school_s_gaps_on_a_phone(
    browser, live_server, world, axe_check, locale
) -> None:
    context_province(world)
    page = sign_in(browser, live_server, "principal_a1", locale=locale)
    page.goto(f"{live_server.url}/schools/700001/evidence/gaps/?year=2017-18")
    if locale.startswith("fr") and page.locator("html").get_attribute("lang") != "fr":
        page.locator("form.lang-switch button").click()
    heading = "écarts et cohortes" if locale.startswith("fr") else "gaps and cohorts"
    expect(page.locator("h1")).to_contain_text(heading)
    fits(page)
    axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page)


def test_a_board_leader_reads_the_board_s_gaps_on_a_phone(
    browser, live_server, world, axe_check
) -> None:
    context_province(world)
    page = sign_in(browser, live_server, "board_a")
    page.goto(f"{live_server.url}/boards/B66001/evidence/gaps/?year=2021-22")
    expect(
        page.get_by_role("heading", name="Schools against their predictions, 2021-22")
    ).to_be_visible()
    fits(page)
    axe_check(page)
    page.goto(f"{live_server.url}/schools/700001/evidence/")
    page.get_by_role("link", name="Gaps and cohorts of").click()
    expect(page.locator("h1")).to_contain_text("gaps and cohorts")
