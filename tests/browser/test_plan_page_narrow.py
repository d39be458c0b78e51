"""The plan page and its history on a 390 px phone, in English and French: nothing wider than the screen, axe passes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from capacity.planning import services
from capacity.planning.models import Plan, Stage
from tests.browser.test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"


def test_the_plan_page_and_its_history_fit_a_phone_in_both_languages(
    page, live_server, world, axe_check
) -> None:
    principal, board = world.personas["principal_a1"], world.personas["board_a"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    goal = services.goal_add(plan=plan, user=principal, seen=plan.version, statement="Writing")
    services.strategy_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        action="Shared writing every morning",
        responsible="Primary division team",
        drivers=["pedagogy", "collaborative_work", "capacity_building"],
    )
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    services.plan_decide(
        plan=plan,
        user=board,
        accept=False,
        comments="Name how you will see the writing improve, with a measure the team trusts",
        **services.review_basis(plan),
    )
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    services.plan_decide(
        plan=plan,
        user=board,
        accept=True,
        comments="Name how you will see the writing improve at each checkpoint, with samples",
        **services.review_basis(plan),
    )
    for stage in (Stage.ACT, Stage.OBSERVE, Stage.REFLECT):
        services.plan_stage_move(plan=plan, user=principal, seen=plan.version, to=stage)
    services.plan_update(
        plan=plan, user=principal, seen=plan.version, overall_impact="Writing grew longer."
    )
    assert Plan.objects.get(pk=plan.pk).stage == Stage.REFLECT

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "principal_a1")
    for french in (False, True):
        if french:
            page.get_by_role("button", name="Français").click()
            page.wait_for_load_state()
        page.goto(f"{live_server.url}/plans/{plan.pk}/")
        expect(page.locator('ol.cycle li[aria-current="step"]')).to_contain_text(
            re.compile(r"\((current|étape en cours)\)")
        )
        expect(page.locator(".review-comments")).to_contain_text("Name how you will see")
        expect(page.locator(".close-year input[type=checkbox][required]")).to_be_visible()
        fits(page)
        axe_check(page)
        page.goto(f"{live_server.url}/plans/{plan.pk}/history/")
        expect(page.get_by_text(re.compile("Pedagogy|Pédagogie")).first).to_be_visible()
        fits(page)
        axe_check(page)
