"""Tagging with lessons and adding a circumstance's strategy (planning/services_themes.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from capacity.planning import services, services_themes
from capacity.planning.history import describe
from capacity.planning.models import PlanChange, Strategy
from capacity.planning.services import Conflict
from tests.planning.kit_themes import coreflection_a1, goal_a1, plan_a1, strategy_a1


def test_it_tags_a_goal_with_lessons_and_keeps_the_change_in_history(world) -> None:
    goal = goal_a1(world)
    plan = goal.plan
    plan.refresh_from_db()
    before = plan.version
    services_themes.lessons_tag(
        item=goal,
        user=world.personas["principal_a1"],
        seen=before,
        lessons=["equity", "learning_needs", "equity"],
    )
    goal.refresh_from_db()
    plan.refresh_from_db()
    assert goal.lessons == ["equity", "learning_needs"]
    assert plan.version == before + 1
    change = PlanChange.objects.filter(plan=plan, action="goal_changed").get()
    assert change.fields == {"lessons": [[], ["equity", "learning_needs"]]}


def test_history_names_the_lessons_not_their_codes(world) -> None:
    strategy = strategy_a1(world)
    plan = strategy.goal.plan
    plan.refresh_from_db()
    services_themes.lessons_tag(
        item=strategy, user=world.personas["team_a1"], seen=plan.version, lessons=["monitor_impact"]
    )
    rows = describe(PlanChange.objects.filter(plan=plan), plan)
    shown = [f.after for row in rows for f in row.fields]
    assert "Monitor impact" in shown and "monitor_impact" not in shown


def test_it_refuses_a_stale_version_and_an_unknown_lesson(world) -> None:
    goal = goal_a1(world)
    plan = goal.plan
    plan.refresh_from_db()
    principal = world.personas["principal_a1"]
    with pytest.raises(Conflict):
        services_themes.lessons_tag(
            item=goal, user=principal, seen=plan.version - 1, lessons=["equity"]
        )
    with pytest.raises(ValidationError):
        services_themes.lessons_tag(
            item=goal, user=principal, seen=plan.version, lessons=["poverty"]
        )
    goal.refresh_from_db()
    assert goal.lessons == []


def test_only_the_plans_team_tags_goals_and_strategies(world) -> None:
    goal = goal_a1(world)
    plan = goal.plan
    plan.refresh_from_db()
    for persona in ("board_a", "ministry", "teacher_a1", "principal_b1"):
        with pytest.raises(PermissionDenied):
            services_themes.lessons_tag(
                item=goal, user=world.personas[persona], seen=plan.version, lessons=["equity"]
            )


def test_reviewers_tag_co_reflections_and_a_second_reviewer_is_told_of_a_change(world) -> None:
    entry = coreflection_a1(world)
    board = world.personas["board_a"]
    services_themes.coreflection_tag(
        coreflection=entry, user=board, seen=[], lessons=["leadership"]
    )
    entry.refresh_from_db()
    assert entry.lessons == ["leadership"]
    assert PlanChange.objects.filter(action="coreflection_tagged").count() == 1
    with pytest.raises(services_themes.StaleTags):
        services_themes.coreflection_tag(
            coreflection=entry, user=world.personas["ministry"], seen=[], lessons=["equity"]
        )
    entry.refresh_from_db()
    assert entry.lessons == ["leadership"]
    with pytest.raises(PermissionDenied):
        services_themes.coreflection_tag(
            coreflection=entry, user=world.personas["principal_a1"], seen=["leadership"], lessons=[]
        )


def test_picking_a_circumstances_strategy_adds_it_to_the_plan_through_strategy_add(world) -> None:
    goal = goal_a1(world)
    plan = goal.plan
    plan.refresh_from_db()
    strategy = services_themes.circumstance_strategy_add(
        goal=goal,
        user=world.personas["principal_a1"],
        seen=plan.version,
        circumstance="resources",
        action="Run a breakfast program",
        responsible="Principal",
    )
    stored = Strategy.objects.get(pk=strategy.pk)
    assert (stored.goal, stored.action, stored.circumstance) == (
        goal,
        "Run a breakfast program",
        "resources",
    )
    actions = list(PlanChange.objects.filter(plan=plan).values_list("action", flat=True))
    assert "strategy_added" in actions


def test_a_circumstance_must_be_known_and_belongs_to_school_plans(world) -> None:
    goal = goal_a1(world)
    plan = goal.plan
    plan.refresh_from_db()
    with pytest.raises(ValidationError):
        services_themes.circumstance_strategy_add(
            goal=goal,
            user=world.personas["principal_a1"],
            seen=plan.version,
            circumstance="weather",
            action="x",
            responsible="y",
        )
    assert not Strategy.objects.exists()


def test_a_submitted_plan_cannot_be_tagged(world) -> None:
    goal = goal_a1(world)
    plan = plan_a1(world)
    plan.review = "submitted"
    plan.save(update_fields=["review"])
    with pytest.raises(services.NotAllowed):
        services_themes.lessons_tag(
            item=goal, user=world.personas["principal_a1"], seen=plan.version, lessons=["equity"]
        )
