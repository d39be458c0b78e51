"""This session's new pages on a 390 px phone: nothing wider than the screen, and axe passes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from capacity.directory.services import api_token_create
from capacity.planning import services
from tests.browser.test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"


def test_the_tokens_page_fits_a_phone(page, live_server, world, axe_check) -> None:
    api_token_create(user=world.personas["principal_a1"], name="nightly export of every plan")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "principal_a1")
    page.goto(f"{live_server.url}/account/tokens/")
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    fits(page)
    axe_check(page)


def test_a_stale_decision_shows_what_changed_on_a_phone(
    page, live_server, world, axe_check
) -> None:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    services.goal_add(plan=plan, user=principal, seen=plan.version, statement="Writing")
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "ministry")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    # While the ministry reads submission 1, the board returns it and the team sends submission 2.
    services.plan_decide(
        plan=plan,
        user=world.personas["board_a"],
        accept=False,
        comments="Add a target",
        **services.review_basis(plan),
    )
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    page.get_by_role("button", name="Accept the plan").click()
    expect(
        page.get_by_role("heading", name="The plan changed before your decision", level=1)
    ).to_be_visible()
    fits(page)
    axe_check(page)
