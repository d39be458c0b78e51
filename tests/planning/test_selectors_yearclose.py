"""Reads for year close: each goal's progress and decisions in a fixed number of queries, where
next year's goals came from, plans with goals to decide; the log and documentation refused to
everyone but the school team, and absent from the plan's snapshot (its PDF, JSON and exports)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from capacity.planning import selectors_yearclose as yc
from capacity.planning import services
from capacity.planning.models import CarryDecision, Plan, Stage
from capacity.planning.services_yearclose import marker_note_add
from tests.conftest import PERSONAS
from tests.planning.yearclose_kit import decide_all
from tests.planning.yearclose_world import goals, item, note, reflect_plan

RECORD_KEEPERS = {"principal_a1", "team_a1"}


@pytest.fixture
def plan(world) -> Plan:
    return reflect_plan(world)


def test_goal_lines_hold_progress_the_newest_decision_and_history(
    world, plan, django_assert_max_num_queries
) -> None:
    decide_all(plan, world.personas["principal_a1"])
    decide_all(plan, world.personas["team_a1"], decision=CarryDecision.STOP)
    with django_assert_max_num_queries(6):
        lines = yc.goal_lines(plan)
    assert [line.number for line in lines] == [1, 2]
    first = lines[0]
    assert first.decision is not None and first.decision.decision == CarryDecision.STOP
    assert [d.decision for d in first.history] == [CarryDecision.CARRY]
    ((target, progress),) = first.targets
    assert (progress.latest_year, progress.latest_value) == ("2018-19", 55.0)


def test_undecided_plans_are_the_teams_at_reflect(world, plan) -> None:
    (found,) = yc.undecided_for_team(world.personas["team_a1"])
    assert (found.plan, found.goals) == (plan, 2)
    decide_all(plan, world.personas["principal_a1"])
    assert yc.undecided_for_team(world.personas["principal_a1"]) == []
    for persona in ("board_a", "ministry", "teacher_a1", "trustee_a"):
        assert yc.undecided_for_team(world.personas[persona]) == []


def test_carried_origins_name_last_years_goal_and_why(world, plan) -> None:
    first, second = goals(plan)
    user = world.personas["principal_a1"]
    decide_all(plan, user, **{second.statement: CarryDecision.STOP})
    plan.refresh_from_db()
    successor = services.plan_stage_move(plan=plan, user=user, seen=plan.version, to=Stage.CLOSED)
    plan.refresh_from_db()
    (origin,) = yc.carried_origins(successor)
    assert origin.came_from == first and origin.decision.why == "Decided in a test"
    assert yc.carried_origins(plan) == []
    ((stopped, decision),) = yc.stopped_goals(plan)
    assert stopped == second and decision.decision == CarryDecision.STOP


def test_marker_codes_are_suggested_from_the_goals(world, plan) -> None:
    assert yc.marker_code_suggestions(plan) == ["M-07", "M-12"]


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_the_records_are_read_by_the_school_team_only(
    world, plan, settings, tmp_path, persona
) -> None:
    settings.MEDIA_ROOT = tmp_path
    entry, kept = note(world), item(world)
    user = world.personas[persona]
    if persona in RECORD_KEEPERS:
        assert yc.marker_log(user, plan) == [("M-07", [entry])]
        assert yc.documentation_list(user, plan) == [kept]
        assert yc.get_documentation(user, plan, kept.pk) == kept
        assert yc.get_note(user, plan, entry.pk) == entry
    else:
        for read in (
            lambda: yc.marker_log(user, plan),
            lambda: yc.documentation_list(user, plan),
            lambda: yc.get_documentation(user, plan, kept.pk),
            lambda: yc.get_note(user, plan, entry.pk),
            lambda: yc.get_records_plan(user, plan.pk),
        ):
            with pytest.raises(PermissionDenied):
                read()


def test_the_log_is_grouped_by_code_newest_first(world, plan) -> None:
    user = world.personas["principal_a1"]
    for code, day in (("M-12", 3), ("M-07", 1), ("M-07", 9)):
        marker_note_add(
            plan=plan, user=user, code=code, on=datetime.date(2019, 4, day), observed="seen"
        )
    grouped = yc.marker_log(user, plan)
    assert [(code, [n.on.day for n in notes]) for code, notes in grouped] == [
        ("M-07", [9, 1]),
        ("M-12", [3]),
    ]


def test_the_records_never_enter_the_plans_snapshot(world, plan, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    note(world)
    item(world)
    text = repr(services.plan_snapshot(plan))
    assert "Explained a strategy" not in text and "Anchor chart" not in text
