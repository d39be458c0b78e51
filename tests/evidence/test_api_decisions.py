"""The decisions API: list proposals, read one, POST a decision (409 when stale)."""

from __future__ import annotations

from capacity.planning.models import Plan
from tests.evidence import decisions_world as dw


def _as(client, world, persona):
    client.force_login(world.personas[persona])
    return client


def test_it_lists_the_proposals_with_counts(client, world) -> None:
    dw.a1_confirmed(world)
    body = _as(client, world, "board_a").get("/api/evidence/decisions").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["school_year"], item["pending"], item["confirmed"]) == ("2018-19", 1, 1)


def test_it_reads_a_proposal_with_the_callers_rows(client, world) -> None:
    proposal = dw.a1_confirmed(world)
    body = _as(client, world, "trustee_a").get(f"/api/evidence/decisions/{proposal.pk}").json()
    assert [c["school_number"] for c in body["changes"]] == ["700001"]
    change = body["changes"][0]
    assert (change["change"], change["state"], change["version"]) == ("enters", "confirmed", 2)
    assert change["decisions"][0]["outcome"] == "confirmed"
    assert change["reasons"] and change["reasons_data"]["threshold"] == 50.0


def test_a_ministry_officer_decides_and_the_plan_opens(client, world) -> None:
    dw.proposal(world)
    item = dw.change(world, world.school_a1)
    response = _as(client, world, "ministry").post(
        f"/api/evidence/decisions/changes/{item.pk}/decision",
        {"outcome": "confirmed", "version": item.version},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "confirmed"
    assert Plan.objects.filter(school=world.school_a1, focused_intervention=True).exists()


def test_a_stale_decision_is_409_and_a_missing_reason_400(client, world) -> None:
    dw.a1_confirmed(world)
    item = dw.change(world, world.school_a1)
    api = _as(client, world, "ministry")
    stale = api.post(
        f"/api/evidence/decisions/changes/{item.pk}/decision",
        {"outcome": "set_aside", "version": 1, "reason": "Late"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    b1 = dw.change(world, world.school_b1)
    refused = api.post(
        f"/api/evidence/decisions/changes/{b1.pk}/decision",
        {"outcome": "set_aside", "version": b1.version},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]


def test_others_may_not_decide(client, world) -> None:
    dw.proposal(world)
    item = dw.change(world, world.school_a1)
    response = _as(client, world, "board_a").post(
        f"/api/evidence/decisions/changes/{item.pk}/decision",
        {"outcome": "confirmed", "version": item.version},
        content_type="application/json",
    )
    assert response.status_code == 403
