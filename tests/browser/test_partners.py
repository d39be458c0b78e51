"""The partners pages in a real browser, on a 390 px phone and a wide screen, in English and
French: axe finds nothing and nothing scrolls sideways (the wide tables scroll in their own boxes)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.phone import fits, sign_in
from tests.evidence import partners_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_a_principal_reads_the_partners_on_a_phone(
    browser, live_server, world, axe_check, locale
) -> None:
    partners_world.build(world)
    page = sign_in(browser, live_server, "principal_a1", locale=locale)
    page.goto(f"{live_server.url}/schools/700001/evidence/partners/")
    if locale.startswith("fr") and page.locator("html").get_attribute("lang") != "fr":
        page.locator("form.lang-switch button").click()
    heading = "écoles partenaires" if locale.startswith("fr") else "partner schools"
    expect(page.locator("h1")).to_contain_text(heading)
    expect(page.locator("ul.partners li")).to_have_count(3)
    fits(page)
    axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page)


def test_the_ministry_reads_the_province_s_list_and_goes_to_a_school(
    browser, live_server, world, axe_check
) -> None:
    partners_world.build(world)
    page = sign_in(browser, live_server, "ministry")
    page.goto(f"{live_server.url}/evidence/beat-the-odds/")
    expect(page.locator("caption")).to_contain_text("4 schools beat the odds")
    fits(page)
    axe_check(page)
    page.get_by_role("link", name="P2 School").click()
    expect(page.locator("h1")).to_contain_text("P2 School")


def test_a_board_leader_reads_the_board_s_list_and_its_partners_on_a_phone(
    browser, live_server, world, axe_check
) -> None:
    partners_world.build(world)
    page = sign_in(browser, live_server, "board_a")
    page.goto(f"{live_server.url}/boards/B66001/evidence/beat-the-odds/")
    expect(
        page.get_by_role("heading", name="Identified schools and their partners")
    ).to_be_visible()
    fits(page)
    axe_check(page)
    page.get_by_role("link", name="Aspen Public School").click()
    expect(page.locator("ul.partners li")).to_have_count(3)
