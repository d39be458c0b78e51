"""Lesson study on the home page and in the inbox: a study's team sees where its studies are,
a board's leaders see finished studies ready to share; messages go to those who must act."""

from __future__ import annotations

import pytest
from django.utils import translation

from capacity.notifications import kinds
from capacity.rounds import home_lessons
from capacity.rounds import services_lessons as services
from capacity.rounds.models import CycleStep
from tests.rounds.kit_lessons import finished, shared, start, walk

pytestmark = pytest.mark.django_db


def test_the_team_sees_its_studies_in_progress_at_their_step(world) -> None:
    study = walk(world, start(world), CycleStep.CRITIQUE)
    [section] = home_lessons.sections(world.personas["teacher_a1"])
    assert section.title == "Your lesson studies"
    [item] = section.items
    assert item.text == "Comparing fractions at Aspen Public School"
    assert item.status_text == "cycle 1: Critique"
    assert item.url == f"/rounds/lessons/{study.pk}/cycles/1/"
    assert home_lessons.sections(world.personas["principal_a1"]) == []  # not on its team


def test_a_boards_leaders_see_finished_studies_ready_to_share(world) -> None:
    study = finished(world)
    shared(world)
    [section] = home_lessons.sections(world.personas["board_a"])
    assert section.title == "Lesson studies ready to share"
    assert [i.url for i in section.items] == [f"/rounds/lessons/{study.pk}/"]
    assert section.items[0].status_text == "ready to share"
    for persona in ("principal_a1", "trustee_a", "ministry"):
        assert home_lessons.sections(world.personas[persona]) == []


def test_the_home_page_shows_them(client, world) -> None:
    walk(world, start(world), CycleStep.TEACH)
    client.force_login(world.personas["teacher_a1"])
    page = client.get("/").content.decode()
    assert "Your lesson studies" in page and "cycle 1: Teach and observe" in page


def test_the_messages_read_in_each_language(world, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        study = walk(world, start(world), services.FINISH)
    from capacity.notifications.models import Notification

    team = Notification.objects.get(kind="lesson_study_team", recipient__username="team_a1")
    done = Notification.objects.get(kind="lesson_study_finished")
    assert done.recipient.username == "board_a" and done.url == f"/rounds/lessons/{study.pk}/"
    assert "As a leader of Alpha District School Board" in done.body
    with translation.override("fr"):
        assert "Comparing fractions" in kinds.subject(team.kind, team.params)
        assert "équipe" in kinds.subject(team.kind, team.params)
        assert "prête à partager" in kinds.subject(done.kind, done.params)
