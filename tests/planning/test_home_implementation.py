"""Implementation's home sections: a team whose strategies went unreviewed past a checkpoint, and
where those who monitor find the month's indicators."""

from __future__ import annotations

from capacity.planning import home_implementation
from tests.planning.implementation_world import checkpoints, school_plan


def titles(sections) -> list[str]:
    return [s.title for s in sections]


def test_a_team_is_told_of_strategies_unreviewed_past_a_checkpoint(world) -> None:
    plan = school_plan(world)
    for persona in ("principal_a1", "team_a1"):
        (section,) = home_implementation.sections(world.personas[persona])
        (item,) = section.items
        assert "2 strategies not reviewed at “First check”" in item.text
        assert item.url == f"/plans/{plan.pk}/checkpoints/{checkpoints(plan)[0].pk}/review/"
        assert item.status == "overdue"


def test_those_who_monitor_are_shown_where_the_indicators_are(world) -> None:
    (leader,) = home_implementation.sections(world.personas["board_a"])[1:]
    assert leader.items[0].url == f"/plans/indicators/boards/{world.board_a.number}/"
    (trustee,) = home_implementation.sections(world.personas["trustee_a"])
    assert trustee.items[0].url == f"/plans/indicators/boards/{world.board_a.number}/"
    (ministry,) = home_implementation.sections(world.personas["ministry"])
    assert ministry.items[0].url == "/plans/indicators/"


def test_a_teacher_and_a_facilitator_get_no_section(world) -> None:
    school_plan(world)
    assert home_implementation.sections(world.personas["teacher_a1"]) == []
    assert home_implementation.sections(world.personas["facilitator"]) == []
