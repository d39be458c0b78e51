"""Small idempotent builders for implementation's tests and authorisation rows: a school plan of
this school year with two strategies, a checkpoint past and one to come, and a custom measure."""

from __future__ import annotations

import datetime

from django.utils import timezone

from capacity.directory.models import School
from capacity.planning import services
from capacity.planning import services_implementation as impl_services
from capacity.planning.models import Checkpoint, Plan, Strategy, StrategyReview, Target
from capacity.planning.progress import school_year_of


def today() -> datetime.date:
    return timezone.localdate()


def this_year() -> str:
    return school_year_of(today())


def school_plan(w, school: School | None = None, team: str = "principal_a1") -> Plan:
    """The school's plan for this school year, built once: one goal, two strategies, a checkpoint
    20 days ago and one in 40 days, a custom measure with an entry 10 days ago (55 against 70)."""
    school = school or w.school_a1
    found = Plan.objects.filter(school=school, school_year=this_year()).first()
    if found:
        return found
    user = w.personas[team]
    plan = services.plan_create(user=user, school=school, school_year=this_year())
    goal = services.goal_add(
        plan=plan, user=user, seen=plan.version, statement="Students explain their reasoning"
    )
    for action in ("Number talks three times a week", "Co-planning in division teams"):
        services.strategy_add(
            goal=goal, user=user, seen=plan.version, action=action, responsible="Principal"
        )
    services.checkpoint_add(
        plan=plan,
        user=user,
        seen=plan.version,
        due=today() - datetime.timedelta(days=20),
        title="First check",
    )
    services.checkpoint_add(
        plan=plan,
        user=user,
        seen=plan.version,
        due=today() + datetime.timedelta(days=40),
        title="Second check",
    )
    target = services.target_add(
        goal=goal,
        user=user,
        seen=plan.version,
        measure="custom",
        description="Students who explain a strategy in words",
        target_value=70.0,
        target_year=this_year(),
    )
    services.entry_add(
        target=target,
        user=user,
        seen=plan.version,
        on=today() - datetime.timedelta(days=10),
        value=55.0,
    )
    return plan


def strategies(plan: Plan) -> list[Strategy]:
    return list(Strategy.objects.filter(goal__plan=plan).order_by("id"))


def checkpoints(plan: Plan) -> list[Checkpoint]:
    return list(Checkpoint.objects.filter(plan=plan).order_by("due", "id"))


def custom_target(plan: Plan) -> Target:
    return Target.objects.get(goal__plan=plan, measure="custom")


def reviewed(w, plan: Plan, status: str = "started", team: str = "principal_a1") -> StrategyReview:
    """The plan's first strategy reviewed once (today), unless it already has a review."""
    first = strategies(plan)[0]
    found = first.reviews.first()
    if found:
        return found
    plan.refresh_from_db()
    return impl_services.strategy_review_record(
        strategy=first,
        user=w.personas[team],
        seen=plan.version,
        status=status,
        evidence="Seen in four of six classrooms",
    )
