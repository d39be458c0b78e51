"""A board's profile and the home page's "What to read next" on a 390 px phone, in English and
French, with axe: the board's leader after a closed self-assessment, and its trustee, who sees
that it exists but not its figures."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from capacity.instruments import services as instrument_services
from capacity.learning.services import load_shipped
from tests.browser.test_journeys import sign_in
from tests.browser.test_narrow import PHONE, TABLE_BOXES, fits
from tests.evidence.conftest import results_for
from tests.learning.test_views_profiles import closed_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, axe_check, path: str) -> None:
    fits(page)
    for table in page.evaluate(TABLE_BOXES):
        assert not table["wide"] or table["boxed"], f"a wide table on {path} has no box"
    axe_check(page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_board_profile_and_what_to_read_next_fit_a_phone(
    page, live_server, world, axe_check, language
) -> None:
    # The database of an earlier transactional test was flushed, instruments and all.
    instrument_services.load_shipped(audit=False)
    load_shipped()
    for year in ("2017-18", "2018-19"):
        results_for(world.school_a1, year, [40, 42, 30, 45, 48, 70])
        results_for(world.school_b1, year, [80, 75, 70, 85, 82, 60])
    closed_round(world.board_a, world.personas["board_a"], respondents=6)

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "board_a")
    if language == "fr":
        page.get_by_role("button", name="Français").click()
        page.wait_for_load_state()
    # The home page's section, and from it the board's profile.
    expect(
        page.get_by_role(
            "heading",
            name=("Quoi lire ensuite : " if language == "fr" else "What to read next: ")
            + world.board_a.name,
        )
    ).to_be_visible()
    check(page, axe_check, "/")
    page.get_by_role(
        "link", name="Le profil du conseil" if language == "fr" else "The board's profile"
    ).click()
    page.wait_for_url(f"{live_server.url}/learning/boards/{world.board_a.number}/")
    assert page.evaluate("() => document.documentElement.lang") == language
    expect(
        page.get_by_text("parmi les plus faibles" if language == "fr" else "among the weakest")
    ).to_have_count(2)
    check(page, axe_check, "the profile")
    page.goto(f"{live_server.url}/learning/boards/")
    check(page, axe_check, "/learning/boards/")


def test_the_trustees_view_of_the_profile_fits_a_phone(page, live_server, world, axe_check) -> None:
    instrument_services.load_shipped(audit=False)
    load_shipped()
    closed_round(world.board_a, world.personas["board_a"], respondents=4)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "trustee_a")
    page.goto(f"{live_server.url}/learning/boards/{world.board_a.number}/")
    expect(page.get_by_text("Its report is read by the board's leaders")).to_be_visible()
    check(page, axe_check, "the trustee's profile")
