"""The demo's lessons on goals, strategies and co-reflections, and strategies for challenging
circumstances, built through the services (issue 13).

* Open plans (not closed, not waiting for review): each team tags its goals and strategies
  through `services_themes.lessons_tag`, each reviewer their co-reflections through
  `coreflection_tag`, as they would: a goal's lessons follow its area and focus, a strategy's
  its drivers. Equity is named far more often in the newest year, so the province's page
  has an emergent theme to show.
* Closed years and plans waiting for review are read-only for everyone (the services refuse
  them, rightly), so their tags are written in one bulk update, as their teams would have
  tagged them before closing: the counts then have earlier years to compare with.
* Open school plans whose context suggests a challenging circumstance get one of its example
  strategies through `circumstance_strategy_add` (which calls planning's `strategy_add`).

A second build adds nothing: tagged items and plans with a circumstance's strategy are skipped.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction

from capacity.directory.models import Membership, Role
from capacity.planning import selectors_themes, services_themes
from capacity.planning.models import CoReflection, Goal, Kind, Plan, Review, Stage, Strategy

# Open plans tagged through the services at most (a service call per item keeps the build short).
MAX_PLANS = 120
MAX_CIRCUMSTANCE_PLANS = 60

_DRIVER_LESSONS = {
    "capacity_building": "professional_learning",
    "collaborative_work": "relationships",
    "pedagogy": "literacy_mathematics",
    "systemness": "leadership",
}
_AREA_LESSONS = {
    "literacy": "literacy_mathematics",
    "mathematics": "literacy_mathematics",
    "well_being": "relationships",
}


def goal_lessons(goal: Goal, rng: random.Random, *, newest: bool) -> list[str]:
    lessons = [_AREA_LESSONS.get(goal.area, "learning_needs")]
    if goal.focus == Goal.Focus.GROUP:
        lessons.append("learning_needs")
    if goal.focus == Goal.Focus.MARKER:
        lessons.append("monitor_impact")
    if goal.characteristic == "leadership_development":
        lessons.append("leadership")
    if rng.random() < (0.45 if newest else 0.1):
        lessons.insert(0, "equity")
    return list(dict.fromkeys(lessons))


def strategy_lessons(strategy: Strategy, rng: random.Random) -> list[str]:
    lessons = [_DRIVER_LESSONS[d] for d in strategy.drivers or [] if d in _DRIVER_LESSONS]
    if rng.random() < 0.3:
        lessons.append("monitor_impact")
    return list(dict.fromkeys(lessons or ["professional_learning"]))


def coreflection_lessons(rng: random.Random) -> list[str]:
    return rng.sample(["leadership", "learning_needs", "monitor_impact", "relationships"], 2)


def _people() -> tuple[dict[int, Any], dict[int, Any], Any]:
    """A team member per school (principal first), a leader per board, a ministry officer."""
    schools: dict[int, Any] = {}
    boards: dict[int, Any] = {}
    ministry = None
    for m in (
        Membership.objects.in_force()
        .filter(
            role__in=[Role.PRINCIPAL, Role.SCHOOL_TEAM, Role.BOARD_LEADER, Role.MINISTRY_OFFICER]
        )
        .select_related("user")
        .order_by("role", "id")
    ):
        if m.role in (Role.PRINCIPAL, Role.SCHOOL_TEAM) and m.school_id:
            schools.setdefault(m.school_id, m.user)
        elif m.role == Role.BOARD_LEADER and m.board_id:
            boards.setdefault(m.board_id, m.user)
        elif m.role == Role.MINISTRY_OFFICER and ministry is None:
            ministry = m.user
    return schools, boards, ministry


def _open(plan: Plan) -> bool:
    return plan.stage != Stage.CLOSED and plan.review != Review.SUBMITTED


def build(*, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 104729 + 31)
    plans = list(Plan.objects.select_related("school", "board").order_by("school_year", "id"))
    if not plans:
        return {"lessons_tagged": 0, "circumstance_strategies": 0}
    newest = max(p.school_year for p in plans)
    schools, boards, ministry = _people()
    tagged = 0

    # Read-only plans: one bulk update per kind of item, as their teams would have tagged them.
    shut = [p for p in plans if not _open(p)]
    goals = list(Goal.objects.filter(plan__in=shut, lessons=[]).select_related("plan"))
    for goal in goals:
        goal.lessons = goal_lessons(goal, rng, newest=goal.plan.school_year == newest)
    strategies = list(Strategy.objects.filter(goal__plan__in=shut, lessons=[]))
    for strategy in strategies:
        strategy.lessons = strategy_lessons(strategy, rng)
    entries = list(CoReflection.objects.filter(plan__in=shut, lessons=[]))
    for entry in entries:
        entry.lessons = coreflection_lessons(rng)
    with transaction.atomic():
        Goal.objects.bulk_update(goals, ["lessons"], batch_size=1000)
        Strategy.objects.bulk_update(strategies, ["lessons"], batch_size=1000)
        CoReflection.objects.bulk_update(entries, ["lessons"], batch_size=1000)
    tagged += len(goals) + len(strategies) + len(entries)

    # Open plans: through the services, as the team and the reviewers would.
    open_plans = [p for p in plans if _open(p)][-MAX_PLANS:]
    for plan in open_plans:
        team = schools.get(plan.school_id) if plan.school_id else boards.get(plan.board_id)
        reviewer = boards.get(plan.board_id) if plan.kind == Kind.SCHOOL else ministry
        if team is not None:
            for goal in plan.goals.filter(lessons=[]):
                plan.refresh_from_db(fields=["version"])
                services_themes.lessons_tag(
                    item=goal,
                    user=team,
                    seen=plan.version,
                    lessons=goal_lessons(goal, rng, newest=plan.school_year == newest),
                )
                tagged += 1
            for strategy in Strategy.objects.filter(goal__plan=plan, lessons=[]).select_related(
                "goal__plan"
            ):
                plan.refresh_from_db(fields=["version"])
                services_themes.lessons_tag(
                    item=strategy,
                    user=team,
                    seen=plan.version,
                    lessons=strategy_lessons(strategy, rng),
                )
                tagged += 1
        if reviewer is not None:
            for entry in plan.coreflections.filter(lessons=[]).select_related("plan"):
                services_themes.coreflection_tag(
                    coreflection=entry, user=reviewer, seen=[], lessons=coreflection_lessons(rng)
                )
                tagged += 1

    # Challenging circumstances: one example strategy where the context suggests one.
    added = 0
    candidates = [
        (p, schools[p.school_id])
        for p in open_plans
        if p.school_id is not None and p.school_year == newest and p.school_id in schools
    ]
    for plan, team in candidates[:MAX_CIRCUMSTANCE_PLANS]:
        first = plan.goals.first()
        if (
            first is None
            or Strategy.objects.filter(goal__plan=plan).exclude(circumstance="").exists()
        ):
            continue
        view = selectors_themes.circumstances_for_plan(plan)
        if not view.suggestions:
            continue
        circumstance = view.suggestions[0].circumstance
        plan.refresh_from_db(fields=["version"])
        services_themes.circumstance_strategy_add(
            goal=first,
            user=team,
            seen=plan.version,
            circumstance=circumstance.code,
            action=str(rng.choice(circumstance.strategies)),
            responsible=rng.choice(["Principal", "Vice-principal", "Student success teacher"]),
            lessons=["equity"],
        )
        added += 1
    return {"lessons_tagged": tagged, "circumstance_strategies": added}
