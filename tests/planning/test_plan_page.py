"""The plan page: the reviewer's comments at the top, only the moves the cycle allows, a confirmed close."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from capacity.planning import services
from capacity.planning.models import Plan, Review, Stage, Submission
from capacity.planning.services import SUBMIT
from tests.planning.yearclose_kit import decide_all

TEAM = ("principal_a1", "team_a1")
READERS = ("teacher_a1", "board_a", "ministry", "trustee_a")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def plan(world) -> Plan:
    """School A1's plan with one goal, so that a missing goal never explains a refusal."""
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    services.goal_add(plan=plan, user=principal, seen=plan.version, statement="Reading")
    plan.refresh_from_db()
    return plan


def _set(plan: Plan, stage: Stage, review: Review) -> Plan:
    Plan.objects.filter(pk=plan.pk).update(
        stage=stage, review=review, overall_impact="Reading rose."
    )
    plan.refresh_from_db()
    return plan


def _buttons(page: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", b).strip() for b in re.findall(r"<button[^>]*>(.*?)</button>", page)
    ]


def _cycle_section(page: str) -> str:
    start = page.index('id="cycle-h"')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize("persona", TEAM + READERS)
def test_it_offers_submit_and_moves_only_when_the_allowed_moves_function_lists_them(
    client, world, plan, persona
) -> None:
    client.force_login(world.personas[persona])
    for stage in Stage:
        for review in Review:
            _set(plan, stage, review)
            allowed = services.plan_stage_moves_allowed(plan) if persona in TEAM else []
            response = client.get(f"/plans/{plan.pk}/")
            buttons = _buttons(response.content.decode())
            where = f"{persona} at {stage}/{review}"
            assert [value for value, _label in response.context["moves"]] == allowed, where
            assert ("Submit for review" in buttons) == (SUBMIT in allowed), where
            if review == Review.ACCEPTED:
                assert "Submit for review" not in buttons, where
            offered_stages = {label for label in buttons if label.startswith("Move to ")} | (
                {"close"} if "Reflect on overall impact and close the year" in buttons else set()
            )
            expected = {
                f"Move to {Stage(m).label}" for m in allowed if m not in (SUBMIT, Stage.CLOSED)
            } | ({"close"} if Stage.CLOSED in allowed else set())
            assert offered_stages == expected, where


def test_it_never_lists_submit_for_an_accepted_plan(world, plan) -> None:
    for stage in (Stage.PLAN, Stage.ACT, Stage.OBSERVE, Stage.REFLECT, Stage.CLOSED):
        assert SUBMIT not in services.plan_stage_moves_allowed(_set(plan, stage, Review.ACCEPTED))
    assert SUBMIT in services.plan_stage_moves_allowed(_set(plan, Stage.PLAN, Review.DRAFT))
    assert SUBMIT in services.plan_stage_moves_allowed(_set(plan, Stage.PLAN, Review.RETURNED))


def test_it_refuses_to_submit_an_accepted_plan_posted_anyway(world, plan) -> None:
    _set(plan, Stage.ACT, Review.ACCEPTED)
    principal = client_for(world.personas["principal_a1"])
    response = principal.post(
        f"/plans/{plan.pk}/action/", {"action": "submit", "version": plan.version}, follow=True
    )
    assert "is not submitted again" in response.content.decode()
    plan.refresh_from_db()
    assert plan.review == Review.ACCEPTED
    assert not Submission.objects.filter(plan=plan).exists()


def test_it_refuses_every_move_the_allowed_moves_function_does_not_list(world, plan) -> None:
    principal = client_for(world.personas["principal_a1"])
    for stage in (Stage.PLAN, Stage.ACT, Stage.OBSERVE, Stage.REFLECT):
        for review in (Review.DRAFT, Review.SUBMITTED, Review.ACCEPTED):
            _set(plan, stage, review)
            allowed = services.plan_stage_moves_allowed(plan)
            for to in Stage:
                if to in allowed or to == stage:
                    continue
                principal.post(
                    f"/plans/{plan.pk}/action/",
                    {"action": "move", "to": to.value, "version": plan.version, "confirm": "yes"},
                )
                plan.refresh_from_db()
                assert (plan.stage, plan.review) == (stage, review), f"{stage}/{review} -> {to}"


def test_it_shows_the_cause_when_submit_is_not_offered_to_the_team(world) -> None:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    page = client_for(principal).get(f"/plans/{plan.pk}/").content.decode()
    assert "Submit for review" not in _buttons(page)
    assert "Add at least one goal before submitting the plan." in page


def test_it_asks_for_a_ticked_confirmation_before_closing_the_year(world, plan) -> None:
    _set(plan, Stage.REFLECT, Review.ACCEPTED)
    principal = client_for(world.personas["principal_a1"])
    page = principal.get(f"/plans/{plan.pk}/").content.decode()
    form = page[page.index('id="close-h"') : page.index("</form>", page.index('id="close-h"'))]
    assert re.search(r'<input type="checkbox" name="confirm" value="yes" required>', form)
    assert "cannot be undone" in form


def test_it_refuses_to_close_the_year_without_the_confirmation(world, plan) -> None:
    _set(plan, Stage.REFLECT, Review.ACCEPTED)
    principal = client_for(world.personas["principal_a1"])
    for posted in ({}, {"confirm": ""}, {"confirm": "no"}):
        response = principal.post(
            f"/plans/{plan.pk}/action/",
            {"action": "move", "to": "closed", "version": plan.version, **posted},
            follow=True,
        )
        assert "Tick the box to confirm" in response.content.decode()
        plan.refresh_from_db()
        assert plan.stage == Stage.REFLECT
        assert not Plan.objects.filter(previous=plan).exists()


def test_it_closes_the_year_with_the_confirmation(world, plan) -> None:
    _set(plan, Stage.REFLECT, Review.ACCEPTED)
    decide_all(plan, world.personas["principal_a1"])
    plan.refresh_from_db()
    principal = client_for(world.personas["principal_a1"])
    response = principal.post(
        f"/plans/{plan.pk}/action/",
        {"action": "move", "to": "closed", "version": plan.version, "confirm": "yes"},
    )
    plan.refresh_from_db()
    assert plan.stage == Stage.CLOSED
    successor = Plan.objects.get(previous=plan)
    assert response.status_code == 302 and response.url == f"/plans/{successor.pk}/"


def test_it_shows_the_reviewers_current_comments_at_the_top_beside_the_stage(world, plan) -> None:
    principal_user = world.personas["principal_a1"]
    services.plan_submit(plan=plan, user=principal_user, seen=plan.version)
    services.plan_decide(
        plan=plan,
        user=world.personas["board_a"],
        accept=False,
        comments="Name a target for reading fluency",
        **services.review_basis(plan),
    )
    principal = client_for(principal_user)
    top = _cycle_section(principal.get(f"/plans/{plan.pk}/").content.decode())
    assert "The reviewer&#x27;s comments" in top or "The reviewer's comments" in top
    assert "Name a target for reading fluency" in top
    assert "Returned with comments by Board A" in top

    # Resubmitted: the reviewer (and the team) still read the last word, named by its submission.
    plan.refresh_from_db()
    services.plan_submit(plan=plan, user=principal_user, seen=plan.version)
    top = _cycle_section(
        client_for(world.personas["board_a"]).get(f"/plans/{plan.pk}/").content.decode()
    )
    assert "comments on submission 1" in top
    assert "Name a target for reading fluency" in top
    assert "the new submission is waiting for review" in top


def test_it_shows_no_reviewer_box_before_any_decision(world, plan) -> None:
    page = client_for(world.personas["principal_a1"]).get(f"/plans/{plan.pk}/").content.decode()
    assert 'class="review-comments"' not in page


def test_the_stage_strip_marks_the_current_step_in_words_and_holds_nothing_to_press(
    world, plan
) -> None:
    _set(plan, Stage.OBSERVE, Review.ACCEPTED)
    page = client_for(world.personas["principal_a1"]).get(f"/plans/{plan.pk}/").content.decode()
    strip = re.search(r'<ol class="cycle"[^>]*>(.*?)</ol>', page, re.S)
    assert strip is not None
    steps = re.findall(r"<li([^>]*)>(.*?)</li>", strip.group(1), re.S)
    assert len(steps) == len(Stage)
    current = [(attrs, text) for attrs, text in steps if 'aria-current="step"' in attrs]
    assert len(current) == 1
    assert current[0][1].startswith("Observe") and "(current)" in current[0][1]
    assert "<button" not in strip.group(1) and "<a " not in strip.group(1)
