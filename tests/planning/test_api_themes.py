"""The themes part's API (planning/api_themes.py): counts and a plan's late steps."""

from __future__ import annotations

from capacity.directory.services import api_token_create
from capacity.planning.models import Goal
from tests.planning.kit_themes import goal_a1, plan_a1, timeline_a


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="themes tests")
    return {"Authorization": f"Bearer {key}"}


def test_the_ministry_reads_the_provinces_counts(client, world) -> None:
    goal = goal_a1(world)
    Goal.objects.filter(pk=goal.pk).update(lessons=["equity", "monitor_impact"])
    response = client.get("/api/plans/themes", headers=bearer(world.personas["ministry"]))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["school_year"], body["plans"]) == ("2018-19", 1)
    equity = next(r for r in body["lessons"] if r["code"] == "equity")
    assert (equity["plans"], equity["share_of_plans"], equity["goals"]) == (1, 100.0, 1)
    assert [t["code"] for t in body["themes"]][:2] == ["leadership", "belief"]
    assert body["by_year"] == [
        {"school_year": "2018-19", "plans": 1, "lessons": {"equity": 1, "monitor_impact": 1}}
    ]
    assert body["by_board"][0]["board"] == world.board_a.number


def test_a_board_leader_reads_the_boards_counts_only(client, world) -> None:
    headers = bearer(world.personas["board_a"])
    assert (
        client.get(f"/api/plans/themes?board={world.board_a.number}", headers=headers).status_code
        == 200
    )
    assert client.get("/api/plans/themes", headers=headers).status_code == 403
    assert (
        client.get(f"/api/plans/themes?board={world.board_b.number}", headers=headers).status_code
        == 403
    )
    assert client.get("/api/plans/themes?board=B99999", headers=headers).status_code == 404


def test_a_plans_late_steps(client, world) -> None:
    timeline_a(world)
    plan = plan_a1(world)
    response = client.get(
        f"/api/plans/{plan.pk}/late", headers=bearer(world.personas["teacher_a1"])
    )
    assert response.status_code == 200
    assert [item["step"] for item in response.json()] == ["submit", "act", "observe", "reflect"]
    assert response.json()[1] == {
        "step": "act",
        "text": "Not in Act by the timeline's date",
        "due": "2018-10-15",
    }
    assert (
        client.get(
            f"/api/plans/{plan.pk}/late", headers=bearer(world.personas["principal_b1"])
        ).status_code
        == 403
    )
