"""Debriefs to finish on the home page, for those who run them; the message when one is finished."""

from __future__ import annotations

import pytest
from django.utils import translation

from capacity.notifications import kinds
from capacity.rounds import home_debrief, notices_debrief
from tests.rounds import factories_debrief as f

pytestmark = pytest.mark.django_db


def test_the_facilitator_and_the_planners_see_the_debrief_to_finish(world) -> None:
    visit = f.visit_a1(world)
    [section] = home_debrief.sections(world.personas["team_a1"])
    assert section.title == "Debriefs to finish"
    [item] = section.items
    assert item.url == f"/rounds/visits/{visit.pk}/debrief/"
    assert item.status_text == "you facilitate" and item.on == visit.on
    [section] = home_debrief.sections(world.personas["principal_a1"])
    assert section.items[0].status_text == "to finish"
    assert home_debrief.sections(world.personas["teacher_a1"]) == []
    assert home_debrief.sections(world.personas["trustee_a"]) == []


def test_a_finished_debrief_leaves_the_home_page(world) -> None:
    f.finished(world, f.visit_a1(world))
    assert home_debrief.sections(world.personas["team_a1"]) == []


def test_the_home_page_lists_it(client, world) -> None:
    f.visit_a1(world)
    client.force_login(world.personas["principal_a1"])
    page = client.get("/").content.decode()
    assert "Debriefs to finish" in page and "Debrief of the visit to Aspen Public School" in page


def test_the_message_names_the_school_date_and_themes_in_the_readers_language(world) -> None:
    params = {"visit": 1, "school": "Aspen", "on": "2018-10-03", "themes": ["Talk", "Copying"]}
    assert (
        kinds.subject(notices_debrief.KIND, params)
        == "The debrief of the visit to Aspen is finished"
    )
    assert "Themes: Talk; Copying." in kinds.body(notices_debrief.KIND, params)
    with translation.override("fr"):
        assert "Aspen" in kinds.subject(notices_debrief.KIND, params)


def test_the_message_goes_to_the_visits_team_and_the_schools_team(world) -> None:
    visit = f.visit_a1(world)
    names = {p.username for p in notices_debrief.recipients(visit)}
    assert names == {"teacher_a1", "principal_a1", "team_a1"}
