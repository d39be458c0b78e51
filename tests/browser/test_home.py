"""The home pages of a principal and a board leader in a real browser: their items, axe, a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from capacity.planning import services
from tests.browser.test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _fits(page, width: int) -> None:
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll} px wide on a {width} px screen"


def test_the_principal_and_the_board_leader_see_what_needs_them(
    page, live_server, world, axe_check
) -> None:
    principal, leader = world.personas["principal_a1"], world.personas["board_a"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    services.goal_add(plan=plan, user=principal, seen=plan.version, statement="Writing every day")
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    services.support_request_create(
        user=principal, school=world.school_a1, tried="Guided reading groups", needs=["people"]
    )

    sign_in(page, live_server, "board_a")
    review = page.get_by_role("region", name="Plans waiting for your review")
    expect(review.get_by_role("link", name="Aspen Public School, plan for 2018-19")).to_be_visible()
    expect(review.get_by_text("Waiting for review")).to_be_visible()
    answer = page.get_by_role("region", name="Support requests to answer")
    expect(answer.get_by_text("Guided reading groups")).to_be_visible()
    for size in (WIDE, PHONE):
        page.set_viewport_size(size)
        _fits(page, size["width"])
        axe_check(page)
    page.context.clear_cookies()

    services.plan_decide(
        plan=plan, user=leader, accept=False, comments="Add a target", **services.review_basis(plan)
    )
    page.set_viewport_size(WIDE)
    sign_in(page, live_server, "principal_a1")
    plans = page.get_by_role("region", name="Your plans", exact=True)
    expect(plans.get_by_text("Returned").first).to_be_visible()
    expect(plans.get_by_text("Add a target")).to_be_visible()
    plans.get_by_role("link", name="Aspen Public School, plan for 2018-19").click()
    page.wait_for_url(f"{live_server.url}/plans/{plan.pk}/")
    page.go_back()
    for size in (WIDE, PHONE):
        page.set_viewport_size(size)
        _fits(page, size["width"])
        axe_check(page)
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Vos plans", exact=True)).to_be_visible()
    _fits(page, PHONE["width"])
    axe_check(page)
