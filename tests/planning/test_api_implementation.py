"""Implementation's API: a plan's strategies and reviews, the roll-ups, and recording a review
(201, 409 on a stale version, 400 when the service refuses, 422 without evidence)."""

from __future__ import annotations

import datetime

import pytest

from capacity.planning.models import StrategyReview
from tests.planning.implementation_world import reviewed, school_plan, strategies, today


@pytest.fixture
def plan(world):
    return school_plan(world)


def signed_in(client, world, persona="principal_a1"):
    client.force_login(world.personas[persona])
    return client


def review_url(plan) -> str:
    return f"/api/plans/{plan.pk}/strategies/{strategies(plan)[0].pk}/reviews"


def test_it_lists_each_strategys_status_and_reviews(client, world, plan) -> None:
    reviewed(world, plan, status="in_place")
    body = signed_in(client, world, "trustee_a").get(f"/api/plans/{plan.pk}/implementation").json()
    first, second = body["strategies"]
    assert (first["status"], second["status"]) == ("in_place", "not_started")
    assert first["reviews"][0]["evidence"] == "Seen in four of six classrooms"
    assert second["last_reviewed"] is None


def test_it_records_a_review(client, world, plan) -> None:
    plan.refresh_from_db()
    response = signed_in(client, world).post(
        review_url(plan),
        {"version": plan.version, "status": "started", "evidence": "Timetable"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["version"] == plan.version + 1
    assert StrategyReview.objects.get().status == "started"


def test_it_refuses_a_stale_version_with_the_current_one(client, world, plan) -> None:
    stale = plan.version
    reviewed(world, plan)
    plan.refresh_from_db()
    response = signed_in(client, world).post(
        review_url(plan),
        {"version": stale, "status": "started", "evidence": "x"},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["version"] == plan.version


def test_it_refuses_a_future_date_and_empty_evidence(client, world, plan) -> None:
    client = signed_in(client, world)
    future = (today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        review_url(plan),
        {"version": plan.version, "status": "started", "evidence": "x", "on": future},
        content_type="application/json",
    )
    assert response.status_code == 400
    response = client.post(
        review_url(plan),
        {"version": plan.version, "status": "started", "evidence": "  "},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not StrategyReview.objects.exists()


def test_the_board_rollup_has_rows_and_totals(client, world, plan) -> None:
    reviewed(world, plan)
    body = (
        signed_in(client, world, "board_a")
        .get(f"/api/plans/indicators/boards/{world.board_a.number}")
        .json()
    )
    assert [row["school"] for row in body["schools"]] == [world.school_a1.number]
    assert body["totals"]["started"] == 1 and body["totals"]["not_started"] == 1
    assert body["month"] == today().strftime("%Y-%m")


def test_the_province_rollup_is_the_ministrys(client, world, plan) -> None:
    body = signed_in(client, world, "ministry").get("/api/plans/indicators?month=").json()
    assert body["boards"][0]["school_plans"] == 1
    client.logout()
    assert signed_in(client, world, "board_a").get("/api/plans/indicators").status_code == 403
