"""Issue 13's identification options in a real browser, on a 390 px phone and a wide screen, in
English and French: the school, board and province evidence pages under capacity-ofip-2026,
with a sustaining school, a static one and the explanation of every option; axe finds nothing
and nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.phone import fits, sign_in
from tests.evidence.conftest import results_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROPOSAL = "policy=capacity-ofip-2026&year=2020-21"


def options_province(world) -> None:
    """Aspen identified in 2017-18 and 2018-19, clear twice after: sustaining in 2020-21.
    Alder flat at a mean of 48.2%: static."""
    for year in ("2017-18", "2018-19"):
        results_for(world.school_a1, year, [40, 42, 30, 45, 48, 70])
    for year in ("2019-20", "2020-21"):
        results_for(world.school_a1, year, [60, 62, 70, 65, 66, 70])
    for year in ("2017-18", "2018-19", "2019-20", "2020-21"):
        results_for(world.school_a2, year, [45, 52, 52, 55, 40, 45])
        results_for(world.school_b1, year, [80, 75, 70, 85, 82, 60])


def french(page, locale: str) -> None:
    if locale.startswith("fr") and page.locator("html").get_attribute("lang") != "fr":
        page.locator("form.lang-switch button").click()
        expect(page.locator("html")).to_have_attribute(
            "lang", "fr"
        )  # the switch posts and comes back


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_a_principal_reads_why_the_school_is_sustaining_on_a_phone(
    browser, live_server, world, axe_check, locale
) -> None:
    options_province(world)
    page = sign_in(browser, live_server, "principal_a1", locale=locale)
    page.goto(f"{live_server.url}/schools/700001/evidence/?{PROPOSAL}")
    french(page, locale)
    word = "En maintien" if locale.startswith("fr") else "Sustaining"
    expect(page.locator("p.status")).to_contain_text(word)
    page.locator("details.policy-options summary").click()
    expect(page.locator("details.policy-options li").first).to_be_visible()
    fits(page)
    axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page)


def test_a_board_leader_and_the_ministry_read_the_new_statuses(
    browser, live_server, world, axe_check
) -> None:
    options_province(world)
    page = sign_in(browser, live_server, "board_a")
    page.goto(f"{live_server.url}/boards/B66001/evidence/?{PROPOSAL}")
    expect(page.get_by_role("cell", name="Static")).to_be_visible()
    fits(page)
    axe_check(page)
    ministry = sign_in(browser, live_server, "ministry")
    ministry.goto(f"{live_server.url}/evidence/?{PROPOSAL}")
    ministry.locator("details.movement-changes summary").click()
    expect(ministry.locator("details.movement-changes li")).to_contain_text("Aspen Public School")
    fits(ministry)
    axe_check(ministry)
