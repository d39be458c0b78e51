"""The debrief's API: patterns over time for a school or a network, and one visit's debrief,
scoped as the pages, with no author anywhere."""

from __future__ import annotations

import datetime

import pytest

from capacity.rounds.models import VisitStage
from tests.rounds import factories_debrief as f

pytestmark = pytest.mark.django_db


def test_a_schools_patterns(client, world) -> None:
    f.finished_a1(world)
    later = f.visit(world, on=datetime.date(2019, 9, 18), stage=VisitStage.DONE)
    f.finished(world, later)
    client.force_login(world.personas["board_a"])
    body = client.get("/api/rounds/patterns?school=700001").json()
    assert body["school_number"] == "700001" and body["network"] is None
    assert [v["on"] for v in body["visits"]] == ["2018-10-03", "2019-09-18"]
    assert [y["school_year"] for y in body["years"]] == ["2018-19", "2019-20"]
    first = body["visits"][0]
    assert first["notes"] == 28
    assert {"title": "Talk in groups", "notes": 7} in first["themes"]
    levels = {row["level"]: row["count"] for row in first["levels"]}
    assert levels == {
        "knowledge": 7,
        "comprehension": 7,
        "application": 0,
        "analysis": 7,
        "synthesis": 0,
        "evaluation": 7,
    }
    assert first["higher_share"] == 0.5


def test_patterns_need_one_place(client, world) -> None:
    client.force_login(world.personas["ministry"])
    assert client.get("/api/rounds/patterns").status_code == 400
    both = client.get(f"/api/rounds/patterns?school=700001&network={world.network.pk}")
    assert both.status_code == 400
    assert client.get("/api/rounds/patterns?school=999999").status_code == 404


def test_a_trustee_reads_no_patterns(client, world) -> None:
    client.force_login(world.personas["trustee_a"])
    response = client.get("/api/rounds/patterns?school=700001")
    assert response.status_code == 403
    assert "detail" in response.json()


def test_a_finished_debrief_with_its_themes_notes_and_steps(client, world) -> None:
    visit = f.finished_a1(world)
    f.step(visit, horizon="year", text="Every unit has a task that asks to compare.")
    client.force_login(world.personas["teacher_a1"])
    body = client.get(f"/api/rounds/visits/{visit.pk}/debrief").json()
    assert body["finished"] is True and body["stage"] == "done"
    assert body["prediction"].startswith("How to copy definitions")
    assert body["themes"][0]["name"] == "Talk in groups"
    assert len(body["notes"]) == 28
    assert all(n["theme"] for n in body["notes"])
    assert set(body["notes"][0]) == {
        "id",
        "language",
        "grade",
        "subject",
        "teacher_doing",
        "students_doing",
        "task",
        "level",
        "level_suggested",
        "theme",
    }
    assert body["next_steps"][0]["horizon"] == "year"
    assert f.AUTHOR_NAME not in str(body) and "observer" not in str(body)


def test_a_debrief_in_progress_is_empty_to_readers_who_do_not_run_it(client, world) -> None:
    visit = f.visit_a1(world)
    client.force_login(world.personas["teacher_a1"])
    body = client.get(f"/api/rounds/visits/{visit.pk}/debrief").json()
    assert body["finished"] is False and body["themes"] == [] and body["notes"] == []
    client.force_login(world.personas["team_a1"])
    assert len(client.get(f"/api/rounds/visits/{visit.pk}/debrief").json()["notes"]) == 28


def test_an_unknown_visit(client, world) -> None:
    client.force_login(world.personas["ministry"])
    assert client.get("/api/rounds/visits/999999/debrief").status_code == 404
