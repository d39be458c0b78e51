"""The networks' API: the networks a caller reads, one network's work with its impact through the
gate, and the suggestions for those who form networks."""

from __future__ import annotations

import datetime

from capacity.evidence.models import Result
from capacity.evidence.services import assessments_ensure
from capacity.rounds.models import Agreement, NetworkAction, NetworkCycle, NetworkSuggestion
from tests.factories import SchoolFactory


def login(client, world, persona):
    client.force_login(world.personas[persona])
    return client


def test_the_networks_a_caller_reads(client, world) -> None:
    NetworkCycle.objects.create(network=world.network, number=1, focus="f", stage="co_teach")
    body = login(client, world, "principal_b1").get("/api/rounds/networks").json()
    assert body["count"] == 1
    [item] = body["items"]
    assert (item["name"], item["current_cycle"], item["current_stage"]) == (
        "North Shore Numeracy Network",
        1,
        "co_teach",
    )
    assert login(client, world, "principal_a1").get("/api/rounds/networks").json()["count"] == 0


def test_a_network_s_work_with_impact_through_the_gate(client, world) -> None:
    ids = assessments_ensure()
    third = SchoolFactory(board=world.board_b, number="700009", name="Cedar School")
    world.network.schools.add(third)
    for school, pct, n in (
        (world.school_a2, 40.0, 40),
        (world.school_b1, 70.0, 20),
        (third, 90.0, 8),
    ):
        Result.objects.create(
            school=school, school_year="2018-19", assessment_id=ids["G6-MATH"], group="all",
            participating=n, pct_at_standard=pct,
        )  # fmt: skip
    agreement = Agreement.objects.create(
        network=world.network, number=1, priorities="Mathematics talk",
        measures=[{"assessment": "G6-MATH", "group": "all", "target": 55.0}],
        agreed_on=datetime.date(2024, 9, 1),
    )  # fmt: skip
    agreement.schools.set([world.school_b1])
    NetworkCycle.objects.create(network=world.network, number=1, focus="Fractions")
    NetworkAction.objects.create(network=world.network, text="Share the task")
    body = (
        login(client, world, "facilitator").get(f"/api/rounds/networks/{world.network.pk}").json()
    )
    assert body["agreement"]["number"] == 1
    assert body["agreement"]["schools"] == [world.school_b1.number]
    assert [c["stage"] for c in body["cycles"]] == ["co_plan"]
    assert [a["text"] for a in body["actions"]] == ["Share the task"]
    [year] = body["impact"][0]["years"]
    assert (year["figure"], year["students"], year["pooled"], year["hidden"]) == (50.0, 60, 2, 1)
    assert year["target_met"] is False
    cedar = next(f for f in year["schools"] if f["school"] == "700009")
    assert cedar == {"school": "700009", "figure": None, "participating": None, "hidden": True}
    assert "90" not in str(year)


def test_a_network_outside_the_caller_s_scope_is_refused(client, world) -> None:
    response = login(client, world, "principal_a1").get(f"/api/rounds/networks/{world.network.pk}")
    assert response.status_code == 403
    assert login(client, world, "ministry").get("/api/rounds/networks/999999").status_code == 404


def test_suggestions_for_those_who_form_networks(client, world) -> None:
    made = NetworkSuggestion.objects.create(
        school_year="2018-19", explanation={"version": 1, "shared_needs": []}
    )
    made.schools.set([world.school_a2, world.school_b1])
    NetworkSuggestion.objects.create(school_year="2017-18", explanation={}, state="rejected")
    body = (
        login(client, world, "facilitator")
        .get("/api/rounds/network-suggestions?school_year=2018-19")
        .json()
    )
    assert [s["schools"] for s in body["items"]] == [
        [world.school_a2.number, world.school_b1.number]
    ]
    rejected = client.get("/api/rounds/network-suggestions?state=rejected").json()
    assert [s["school_year"] for s in rejected["items"]] == ["2017-18"]
    refused = login(client, world, "board_a").get("/api/rounds/network-suggestions")
    assert refused.status_code == 403
