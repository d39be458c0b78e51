"""Each role's home page after real actions, in a real browser.

The principal submits a plan and the board leader finds it waiting for review,
returns it with comments through the plan page, and the principal's home says it
was returned and quotes the comments; the principal asks for support through the
form, the board leader answers through the request's page, and the principal's
home shows the answer. The teacher's home lists the plan's goals, the trustee's the
board's goals, and the ministry officer's the province's headline figures.

Steps already driven through their pages by test_planning.py (adding goals) are
done with services here; tests/browser/test_home.py covers the same home pages
after service calls.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from capacity.planning import services
from tests.browser.test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PLAN_LINK = "Aspen Public School, plan for 2018-19"


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def test_a_plan_and_a_support_request_go_between_the_school_and_the_board(
    page, live_server, world, axe_check
) -> None:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    services.goal_add(
        plan=plan, user=principal, seen=plan.version, statement="Every student writes every day"
    )

    sign_in(page, live_server, "principal_a1")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("The plan was submitted for review.").wait_for()
    sign_out(page)

    sign_in(page, live_server, "board_a")
    review = page.get_by_role("region", name="Plans waiting for your review")
    expect(review.get_by_text("Waiting for review")).to_be_visible()
    review.get_by_role("link", name=PLAN_LINK).click()
    page.wait_for_url(f"{live_server.url}/plans/{plan.pk}/")
    axe_check(page)  # the reviewer's view of the plan, with the decision form
    page.get_by_label("Comments for the team").fill("Add a target for Grade 6 writing")
    page.get_by_role("button", name="Return it to the team").click()
    page.get_by_text("The plan was returned to the team with your comments.").wait_for()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("region", name="Plans waiting for your review")).not_to_contain_text(
        PLAN_LINK
    )
    sign_out(page)

    sign_in(page, live_server, "principal_a1")
    plans = page.get_by_role("region", name="Your plans")
    expect(plans.get_by_text("Returned").first).to_be_visible()
    expect(plans.get_by_text("Add a target for Grade 6 writing")).to_be_visible()
    page.goto(f"{live_server.url}/support/new/")
    page.get_by_label("What we tried").fill("Shared writing with a coach since October")
    page.get_by_label("People").check()
    axe_check(page)
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/")
    asked = page.get_by_role("region", name="Support you asked for")
    expect(asked.get_by_text("Waiting for an answer")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "board_a")
    answer = page.get_by_role("region", name="Support requests to answer")
    expect(answer.get_by_text("Shared writing with a coach since October")).to_be_visible()
    answer.get_by_role("link").filter(has_text="Shared writing").click()
    page.wait_for_url(re.compile(r"/support/\d+/$"))
    page.get_by_label("What the system provides").fill("A writing coach on Tuesdays until June")
    page.get_by_label("People").check()
    axe_check(page)  # the request with its answer form
    page.get_by_role("button", name="Record the answer").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/")
    expect(
        page.get_by_role("region", name="Support requests to answer").get_by_text(
            "Shared writing with a coach since October"
        )
    ).to_have_count(0)
    sign_out(page)

    sign_in(page, live_server, "principal_a1")
    asked = page.get_by_role("region", name="Support you asked for")
    expect(asked.get_by_text("Answered", exact=True)).to_be_visible()
    expect(asked.get_by_text("A writing coach on Tuesdays until June")).to_be_visible()
    page.set_viewport_size(PHONE)
    axe_check(page)


def test_the_teacher_the_trustee_and_the_ministry_officer_see_their_items(
    page, live_server, evidence_world, axe_check
) -> None:
    world = evidence_world
    principal, leader = world.personas["principal_a1"], world.personas["board_a"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    services.goal_add(
        plan=plan, user=principal, seen=plan.version, statement="Every student writes every day"
    )
    board_plan = services.plan_create(user=leader, board=world.board_a, school_year="2018-19")
    services.goal_add(
        plan=board_plan,
        user=leader,
        seen=board_plan.version,
        statement="Every school plans numeracy with its families",
    )

    sign_in(page, live_server, "teacher_a1")
    goals = page.get_by_role("region", name="Your school's plan: its goals")
    expect(goals.get_by_role("link", name="Every student writes every day")).to_be_visible()
    axe_check(page)
    sign_out(page)

    sign_in(page, live_server, "trustee_a")
    board_goals = page.get_by_role("region", name="The board's goals and progress")
    expect(board_goals.get_by_text("Every school plans numeracy with its families")).to_be_visible()
    # Read only: a trustee is offered nothing to review or answer.
    expect(page.get_by_role("region", name="Plans waiting for your review")).to_have_count(0)
    axe_check(page)
    sign_out(page)

    sign_in(page, live_server, "ministry")
    province = page.get_by_role("region", name="The province at a glance")
    # A1 is under the standard on five of six assessments two years running.
    expect(
        province.get_by_role("link", name="1 school identified for focused intervention in 2018-19")
    ).to_be_visible()
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    expect(page.get_by_role("region", name="La province en un coup d’œil")).to_be_visible()
    page.set_viewport_size(PHONE)
    axe_check(page)
