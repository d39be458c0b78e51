"""Small, idempotent builders for the themes part's tests and authorisation rows."""

from __future__ import annotations

import datetime
from typing import Any

from capacity.planning import services
from capacity.planning.models import CoReflection, Goal, Plan, Strategy, Timeline

YEAR = "2018-19"


def plan_a1(w: Any, year: str = YEAR) -> Plan:
    plan = Plan.objects.filter(school=w.school_a1, school_year=year).first()
    return plan or services.plan_create(
        user=w.personas["principal_a1"], school=w.school_a1, school_year=year
    )


def board_plan_a(w: Any, year: str = YEAR) -> Plan:
    plan = Plan.objects.filter(kind="board", board=w.board_a, school_year=year).first()
    return plan or services.plan_create(
        user=w.personas["board_a"], board=w.board_a, school_year=year
    )


def goal_a1(w: Any) -> Goal:
    plan = plan_a1(w)
    goal = plan.goals.first()
    if goal is None:
        plan.refresh_from_db()
        goal = services.goal_add(
            plan=plan,
            user=w.personas["principal_a1"],
            seen=plan.version,
            statement="Every Grade 3 reader reads with understanding",
            area="literacy",
        )
    return goal


def strategy_a1(w: Any) -> Strategy:
    goal = goal_a1(w)
    strategy = goal.strategies.first()
    if strategy is None:
        plan = goal.plan
        plan.refresh_from_db()
        strategy = services.strategy_add(
            goal=goal,
            user=w.personas["principal_a1"],
            seen=plan.version,
            action="Guided reading in small groups every day",
            responsible="Literacy lead",
        )
    return strategy


def coreflection_a1(w: Any) -> CoReflection:
    plan = plan_a1(w)
    found = plan.coreflections.first()
    return found or services.coreflection_add(
        plan=plan, user=w.personas["board_a"], themes="Strong focus on reading comprehension"
    )


def timeline_a(w: Any, year: str = YEAR) -> Timeline:
    """Board A's timeline for its school plans: every date in the 2018-19 year."""
    return Timeline.objects.get_or_create(
        board=w.board_a,
        school_year=year,
        kind="school",
        defaults={
            "submit_by": datetime.date(2018, 10, 1),
            "act_by": datetime.date(2018, 10, 15),
            "observe_by": datetime.date(2019, 1, 31),
            "reflect_by": datetime.date(2019, 6, 14),
        },
    )[0]
