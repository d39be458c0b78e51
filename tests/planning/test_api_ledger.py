"""The ledger's API: lines by board and by school, entries scoped to the caller, recording capacity."""

from __future__ import annotations

from django.test import Client

from capacity.planning.models import CapacityGift
from tests.planning.ledger_kit import ask, focused_plan, give


def signed_in(world, who: str) -> Client:
    client = Client()
    client.force_login(world.personas[who])
    return client


def test_the_board_lines_carry_demands_and_capacity(world) -> None:
    focused_plan(world, targets=3)
    request = ask(world, day="2025-10-01")
    give(world, request=request, kind="funding", amount="2500.50", day="2025-10-04")
    body = signed_in(world, "ministry").get("/api/ledger/boards?year=2025-26").json()
    a = next(line for line in body if line["number"] == world.board_a.number)
    assert (a["focused_plans"], a["targets"], a["requests"], a["met"]) == (1, 3, 1, 1)
    assert a["given"]["funding"] == 2500.5 and a["median_days"] == 3 and a["waiting"] == 1
    assert a["school_year"] == "2025-26"
    mine = signed_in(world, "trustee_a").get("/api/ledger/boards?year=2025-26").json()
    assert [line["number"] for line in mine] == [world.board_a.number]


def test_school_by_school_is_for_the_leaders_and_the_ministry(world) -> None:
    give(world, day="2025-10-04")
    url = f"/api/ledger/boards/{world.board_a.number}/schools?year=2025-26"
    lines = signed_in(world, "board_a").get(url).json()
    assert [line["number"] for line in lines] == [world.school_a1.number, world.board_a.number]
    assert signed_in(world, "trustee_a").get(url).status_code == 403
    assert signed_in(world, "board_a").get("/api/ledger/boards/B00000/schools").status_code == 404


def test_entries_are_scoped_and_filtered(world) -> None:
    give(world, day="2025-10-04")
    give(world, by="ministry", school=world.school_b1, day="2025-10-05")
    assert len(signed_in(world, "ministry").get("/api/ledger/gifts").json()["items"]) == 2
    mine = signed_in(world, "principal_b1").get("/api/ledger/gifts").json()["items"]
    assert [g["school_number"] for g in mine] == [world.school_b1.number]
    assert signed_in(world, "trustee_a").get("/api/ledger/gifts").json()["items"] == []
    later = signed_in(world, "ministry").get("/api/ledger/gifts?year=2026-27").json()["items"]
    assert later == []


def test_it_records_capacity_and_says_why_it_refuses(world) -> None:
    client = signed_in(world, "board_a")
    request = ask(world)
    made = client.post(
        "/api/ledger/gifts",
        {
            "school": world.school_a1.number,
            "kind": "visits",
            "amount": "2",
            "given_on": "2025-10-20",
            "request": request.pk,
        },
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["request_id"] == request.pk
    future = client.post(
        "/api/ledger/gifts",
        {
            "school": world.school_a1.number,
            "kind": "visits",
            "amount": "2",
            "given_on": "2999-10-20",
        },
        content_type="application/json",
    )
    assert future.status_code == 400 and "given_on" in future.json()["errors"]
    board = client.post(
        "/api/ledger/gifts",
        {"board": world.board_a.number, "kind": "visits", "amount": "2", "given_on": "2025-10-20"},
        content_type="application/json",
    )
    assert board.status_code == 403
    both = client.post(
        "/api/ledger/gifts",
        {
            "board": world.board_a.number,
            "school": world.school_a1.number,
            "kind": "visits",
            "amount": "2",
            "given_on": "2025-10-20",
        },
        content_type="application/json",
    )
    assert both.status_code == 400
    assert CapacityGift.objects.count() == 1


def test_the_api_enums_are_the_models_choices() -> None:
    from capacity.planning.api_ledger import CapacityGiver, CapacityKind

    assert [k.value for k in CapacityKind] == CapacityGift.Kind.values
    assert [g.value for g in CapacityGiver] == CapacityGift.Giver.values
