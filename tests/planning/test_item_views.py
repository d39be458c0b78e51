"""The plan's parts have one view per form; the generic item address keeps working for every kind."""

from __future__ import annotations

import pytest

from capacity.planning import services
from capacity.planning.models import Goal


@pytest.fixture
def principal(client, world):
    client.force_login(world.personas["principal_a1"])
    return client


@pytest.fixture
def plan(world):
    return services.plan_create(
        user=world.personas["principal_a1"], school=world.school_a1, school_year="2018-19"
    )


def test_it_still_edits_the_plan_itself_through_the_generic_item_address(principal, plan) -> None:
    response = principal.post(
        f"/plans/{plan.pk}/plan/{plan.pk}/",
        {"title": "Reading first", "overall_impact": "", "next_steps": "", "version": plan.version},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Reading first"


def test_it_does_not_find_an_unknown_kind_of_item(principal, plan) -> None:
    assert principal.get(f"/plans/{plan.pk}/lesson/1/").status_code == 404


def test_it_adds_then_deletes_a_goal_through_its_own_views(principal, plan) -> None:
    form = {
        "statement": "More students read at the standard",
        "area": "literacy",
        "focus": "all",
        "group": "",
        "marker_codes": "",
        "version": plan.version,
    }
    assert principal.get(f"/plans/{plan.pk}/goals/new/").status_code == 200
    response = principal.post(f"/plans/{plan.pk}/goals/new/", form)
    assert response.status_code == 302, response.context["form"].errors
    goal = Goal.objects.get(plan=plan)
    plan.refresh_from_db()
    response = principal.post(
        f"/plans/{plan.pk}/goal/{goal.pk}/", {"delete": "1", "version": plan.version}
    )
    assert response.status_code == 302 and not Goal.objects.filter(plan=plan).exists()


def test_it_answers_other_methods_on_a_form_page_with_405(principal, plan) -> None:
    assert principal.put(f"/plans/{plan.pk}/edit/").status_code == 405
