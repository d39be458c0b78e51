"""Implementation on a 390 px phone, in a real browser, with axe on every page.

A1's principal reviews every strategy at the plan's past checkpoint from the page the home item
links to, leaving one out, which the page then names; board A's leader reads the board's roll-up
(in English and French) and opens the school's indicators from it. No page scrolls sideways and
axe finds nothing.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from capacity.planning.models import StrategyReview
from tests.browser.phone import fits, sign_in
from tests.planning.implementation_world import checkpoints, school_plan, strategies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def checked(page: Page, axe_check) -> None:
    fits(page)
    axe_check(page)


def test_a_team_reviews_and_a_board_reads_the_roll_up_on_a_phone(
    browser, live_server, world, axe_check
) -> None:
    plan = school_plan(world)
    first, second = strategies(plan)

    principal = sign_in(browser, live_server, "principal_a1")
    principal.get_by_role("link", name="2 strategies not reviewed").click()
    principal.wait_for_url(
        f"{live_server.url}/plans/{plan.pk}/checkpoints/{checkpoints(plan)[0].pk}/review/"
    )
    checked(principal, axe_check)
    principal.get_by_label("Status of strategy 1").select_option("in_place")
    principal.get_by_label("What shows it (strategy 1)").fill(
        "Number talks seen in five classrooms"
    )
    principal.get_by_role("button", name="Record the reviews").click()
    expect(principal.get_by_text("1 strategy not reviewed at this checkpoint")).to_be_visible()
    assert StrategyReview.objects.get().strategy == first
    checked(principal, axe_check)
    principal.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(
        principal.get_by_role("heading", name="Implementation of the strategies")
    ).to_be_visible()
    fits(principal)
    principal.context.close()

    leader = sign_in(browser, live_server, "board_a")
    leader.goto(f"{live_server.url}/plans/indicators/boards/{world.board_a.number}/")
    expect(leader.get_by_role("heading", level=1)).to_contain_text("Leading indicators")
    checked(leader, axe_check)
    leader.get_by_role("link", name=world.school_a1.name).click()
    expect(leader.get_by_text("Number talks three times a week")).to_be_visible()
    checked(leader, axe_check)
    leader.context.close()

    french = sign_in(browser, live_server, "board_a", locale="fr-CA")
    french.goto(f"{live_server.url}/plans/indicators/boards/{world.board_a.number}/")
    expect(french.get_by_role("heading", level=1)).to_contain_text("Indicateurs avancés")
    checked(french, axe_check)
    french.context.close()
    assert second.reviews.count() == 0


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("persona", ["ministry", "board_a", "principal_a1", "trustee_a"])
def test_every_implementation_page_passes_axe_and_fits_a_phone(
    browser, live_server, world, persona: str, language: str
) -> None:
    """The part's own rows of tests/browser/test_every_page.py, with reviews to show, for the
    personas who read them: 1280 and 390 px, axe, no sideways scrolling, the CSP."""
    from django.conf import settings

    from tests.browser.test_every_page import NOT_PAGES, VIEWPORTS, findings_on
    from tests.conftest import PASSWORD
    from tests.planning.authz_implementation import READS, review_with_file

    plan = school_plan(world)
    review_with_file(world)
    pages = [
        (label, build(world))
        for name, label, build, statuses in READS
        if statuses.get(persona) == 200 and not name.startswith(NOT_PAGES) and "export" not in name
    ]
    pages.append(("the plan page", f"/plans/{plan.pk}/"))
    findings: list[str] = []
    blocked: list[str] = []
    for viewport_name, viewport in VIEWPORTS.items():
        context = browser.new_context(locale="en-CA", viewport=viewport)
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        page = context.new_page()
        page.on(
            "console",
            lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("input[name=username]").fill(persona)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/")
        for label, path in pages:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            findings += findings_on(
                page, f"{label} ({path}) {viewport_name} {language}", viewport["width"]
            )
        context.close()
    assert not blocked, "\n".join(blocked)
    assert not findings, "\n".join(findings)
