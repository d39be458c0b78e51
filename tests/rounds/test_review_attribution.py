"""Review: nothing joins a note to a person or a classroom (issue 12: "notes name a grade and
subject at most"). A note's place on the visit's schedule (with the schedule's times, which the
school's principal set) says which classroom, and so which teacher, it observed."""

from __future__ import annotations

import pytest

from capacity.rounds.models import VisitStage
from tests.rounds.authz_visits import note_a1, visit_a1

pytestmark = pytest.mark.django_db


def _answer(client, world, persona: str) -> dict:
    client.force_login(world.personas[persona])
    response = client.get(f"/api/rounds/visits/{visit_a1(world).pk}")
    assert response.status_code == 200
    return response.json()


def test_the_visits_api_never_gives_a_notes_place_on_the_schedule(client, world) -> None:
    note_a1(world)
    visit = visit_a1(world)
    visit.stage = VisitStage.DONE
    visit.save(update_fields=["stage"])
    [note] = _answer(client, world, "board_a")["notes_taken"]
    assert note["grade"] == "6" and note["subject"] == "mathematics"
    assert "classroom" not in note


def test_the_visits_api_holds_the_notes_until_the_debrief_is_finished(client, world) -> None:
    """As the debrief's page, PDF and API: those who run the debrief read the notes at any time,
    the visit's other readers (the school's teachers among them) once it is finished."""
    note_a1(world)
    # The ministry and the team's teacher read the visit without running its debrief.
    assert _answer(client, world, "ministry")["notes_taken"] == []
    assert _answer(client, world, "teacher_a1")["notes_taken"] == []
    assert len(_answer(client, world, "principal_a1")["notes_taken"]) == 1
    visit = visit_a1(world)
    visit.stage = VisitStage.DONE
    visit.save(update_fields=["stage"])
    assert len(_answer(client, world, "ministry")["notes_taken"]) == 1
