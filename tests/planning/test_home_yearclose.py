"""The home item for year close: a plan's team hears while its plan at Reflect has goals to
decide; nobody else does, and it goes once every goal is decided."""

from __future__ import annotations

from django.utils import translation

from capacity.planning.home_yearclose import sections
from tests.planning.yearclose_kit import decide_all
from tests.planning.yearclose_world import reflect_plan


def test_the_team_hears_of_goals_to_decide(world) -> None:
    plan = reflect_plan(world)
    with translation.override("en"):  # a page read in French earlier leaves French active
        (section,) = sections(world.personas["team_a1"])
    (item,) = section.items
    assert "decide 2 goals for next year" in item.text
    assert item.url == f"/plans/{plan.pk}/year-close/"
    for persona in ("board_a", "ministry", "teacher_a1", "trustee_a", "principal_b1"):
        assert sections(world.personas[persona]) == []
    decide_all(plan, world.personas["principal_a1"])
    assert sections(world.personas["principal_a1"]) == []


def test_the_home_page_shows_it(client, world) -> None:
    reflect_plan(world)
    client.force_login(world.personas["principal_a1"])
    page = client.get("/").content.decode()
    assert "Goals to decide before the year closes" in page
