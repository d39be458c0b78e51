"""Year close in the API: a plan's goals and decisions for its readers; a decision posted by its
team (201, 409 on a stale version, 400 when the service refuses, 422 without why). The
marker-student log and documentation are never in the API."""

from __future__ import annotations

import pytest

from capacity.planning.models import GoalCarry, Plan, Stage
from tests.planning.yearclose_kit import decide_all
from tests.planning.yearclose_world import goals, item, note, reflect_plan


@pytest.fixture
def plan(world) -> Plan:
    return reflect_plan(world)


def signed_in(client, world, persona="principal_a1"):
    client.force_login(world.personas[persona])
    return client


def decide_url(plan, goal) -> str:
    return f"/api/plans/{plan.pk}/goals/{goal.pk}/year-close"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_it_lists_each_goal_with_its_decisions(client, world, plan) -> None:
    decide_all(plan, world.personas["principal_a1"])
    decide_all(plan, world.personas["team_a1"], decision="stop")
    body = signed_in(client, world, "trustee_a").get(f"/api/plans/{plan.pk}/year-close").json()
    assert body["undecided"] == 0 and body["stage"] == "reflect"
    first = body["goals"][0]
    assert first["goal_number"] == 1 and first["decision"]["decision"] == "stop"
    assert [d["decision"] for d in first["history"]] == ["carry"]


def test_it_records_a_decision(client, world, plan) -> None:
    goal = goals(plan)[0]
    response = post(
        signed_in(client, world),
        decide_url(plan, goal),
        {"version": plan.version, "decision": "refine", "statement": "Justify", "why": "Talk"},
    )
    assert response.status_code == 201
    assert response.json()["version"] == plan.version + 1
    assert GoalCarry.objects.get().statement == "Justify"


def test_it_refuses_a_stale_version_with_the_current_one(client, world, plan) -> None:
    stale = plan.version
    decide_all(plan, world.personas["team_a1"])
    plan.refresh_from_db()
    response = post(
        signed_in(client, world),
        decide_url(plan, goals(plan)[0]),
        {"version": stale, "decision": "stop", "why": "x"},
    )
    assert response.status_code == 409 and response.json()["version"] == plan.version
    assert GoalCarry.objects.filter(decision="stop").count() == 0


def test_it_says_why_the_service_refuses(client, world, plan) -> None:
    client = signed_in(client, world)
    response = post(
        client,
        decide_url(plan, goals(plan)[0]),
        {"version": plan.version, "decision": "refine", "why": "x"},
    )
    assert response.status_code == 400 and "statement" in response.json()["errors"]
    Plan.objects.filter(pk=plan.pk).update(stage=Stage.ACT)
    response = post(
        client,
        decide_url(plan, goals(plan)[0]),
        {"version": plan.version, "decision": "carry", "why": "x"},
    )
    assert response.status_code == 400 and "Reflect" in response.json()["detail"]
    response = post(
        client,
        decide_url(plan, goals(plan)[0]),
        {"version": plan.version, "decision": "carry", "why": " "},
    )
    assert response.status_code == 422
    assert not GoalCarry.objects.exists()


def test_a_goal_of_another_plan_is_not_found(client, world, plan) -> None:
    goal = goals(plan)[0]
    response = post(
        signed_in(client, world),
        f"/api/plans/{plan.pk + 1000}/goals/{goal.pk}/year-close",
        {"version": 1, "decision": "carry", "why": "x"},
    )
    assert response.status_code == 404


def test_the_log_and_documentation_are_not_in_the_api(
    client, world, plan, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    note(world)
    item(world)
    client = signed_in(client, world)
    schema = client.get("/api/openapi.json").json()
    paths = " ".join(schema["paths"])
    assert "marker" not in paths and "documentation" not in paths
    body = client.get(f"/api/plans/{plan.pk}/year-close").content.decode()
    assert "Explained a strategy" not in body and "Anchor chart" not in body
