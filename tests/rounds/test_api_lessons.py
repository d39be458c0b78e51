"""The lesson study API: scoped and paged lists, one study with its cycles, and the schema."""

from __future__ import annotations

import pytest

from capacity.rounds import services_lessons as services
from capacity.rounds.models import CycleStep
from tests.rounds.kit_lessons import FINDINGS, RECORDS, finished, start, walk

pytestmark = pytest.mark.django_db


def test_the_list_is_the_callers_studies_with_their_step(client, world) -> None:
    walk(world, start(world), services.AGAIN)
    finished(world)
    start(
        world,
        by="facilitator",
        school=world.school_b1,
        network=world.network,
        team=("principal_b1",),
        title="Network's",
    )
    client.force_login(world.personas["teacher_a1"])
    body = client.get("/api/rounds/lessons").json()
    assert body["count"] == 2
    rows = {row["title"]: row for row in body["items"]}
    going = rows["Comparing fractions"]
    assert (going["step"], going["cycles"], going["shared"]) == ("plan", 2, False)
    assert (going["school_number"], going["board_number"]) == ("700001", "B66001")
    assert going["grade"] == "5" and going["subject"] == "mathematics"
    assert going["network"] is None and going["finished_at"] is None
    assert "team" not in going and "goal" not in going
    done = rows["Finished fractions study"]
    assert done["step"] == "done" and done["finished_at"] is not None
    only_done = client.get("/api/rounds/lessons?finished=true").json()
    assert [r["title"] for r in only_done["items"]] == ["Finished fractions study"]
    paged = client.get("/api/rounds/lessons?limit=1&offset=1").json()
    assert paged["count"] == 2 and len(paged["items"]) == 1
    client.force_login(world.personas["facilitator"])
    body = client.get("/api/rounds/lessons").json()
    assert [(r["title"], r["network"]) for r in body["items"]] == [
        ("Network's", "North Shore Numeracy Network")
    ]
    assert client.get("/api/rounds/lessons?school=700001").json()["count"] == 0


def test_one_study_with_every_cycles_records(client, world) -> None:
    study = walk(world, walk(world, start(world), services.AGAIN), services.FINISH)
    client.force_login(world.personas["board_a"])
    body = client.get(f"/api/rounds/lessons/{study.pk}").json()
    assert body["research_question"].startswith("How do fraction strips")
    assert body["findings"] == FINDINGS
    assert [(c["number"], c["step"]) for c in body["cycles"]] == [(1, "done"), (2, "done")]
    first = body["cycles"][0]
    assert first["misconceptions"] == RECORDS[CycleStep.PLAN]["misconceptions"]
    assert first["taught_on"] == RECORDS[CycleStep.TEACH]["taught_on"].isoformat()
    assert first["observations"] == RECORDS[CycleStep.TEACH]["observations"]


def test_a_study_outside_the_scope_is_403_and_an_unknown_one_404(client, world) -> None:
    study = start(world)
    client.force_login(world.personas["principal_b1"])
    assert client.get(f"/api/rounds/lessons/{study.pk}").status_code == 403
    assert client.get("/api/rounds/lessons/999999").status_code == 404
    client.logout()
    assert client.get("/api/rounds/lessons").status_code == 401


def test_the_schemas_are_named_for_the_rounds(client, world) -> None:
    client.force_login(world.personas["ministry"])
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert {"RoundsLessonSummaryOut", "RoundsLessonOut", "RoundsLessonCycleOut"} <= set(schemas)
