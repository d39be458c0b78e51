"""Home items and messages of the rounds' visits: visits coming up for the team and the
facilitator, "take notes" on the day; being added to a team, a date moved, in both languages."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from capacity.notifications import kinds
from capacity.rounds import home_visits
from tests.rounds.authz_visits import visit_a1

pytestmark = pytest.mark.django_db


def test_a_team_member_takes_notes_on_the_day(world) -> None:
    visit = visit_a1(world)
    [section] = home_visits.sections(world.personas["teacher_a1"])
    [item] = section.items
    assert item.url == f"/rounds/visits/{visit.pk}/notes/" and item.status == "due"
    assert item.text == f"Take notes at {world.school_a1.name}"


def test_the_facilitator_sees_the_visit_and_others_nothing(world) -> None:
    visit = visit_a1(world)
    [section] = home_visits.sections(world.personas["principal_a1"])
    assert section.items[0].url == f"/rounds/visits/{visit.pk}/"
    assert section.items[0].status_text == "you facilitate"
    assert home_visits.sections(world.personas["board_a"]) == []
    visit.on += datetime.timedelta(days=5)
    visit.save()
    [section] = home_visits.sections(world.personas["teacher_a1"])
    assert section.items[0].status == "info" and "Classroom visit" in section.items[0].text


def test_the_messages_read_in_both_languages() -> None:
    params = {
        "visit": 1,
        "school": "Aspen Public School",
        "on": "2030-03-02",
        "before": "2030-02-27",
        "facilitator": "Principal A1",
        "problem": "How do students explain their reasoning?",
    }
    assert "Aspen Public School" in kinds.subject("round_visit_team", params)
    assert "never who" in kinds.body("round_visit_team", params)
    with translation.override("fr"):
        assert kinds.subject("round_visit_moved", params).startswith("La visite de classes")
        assert "2 mars 2030" in kinds.body("round_visit_moved", params)
