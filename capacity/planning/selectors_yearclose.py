"""Reads for year close goal by goal, the marker-student log and pedagogical documentation.

Year-close decisions are read by whoever reads the plan (`selectors.get_plan_for_user` first).
The log and the documentation are the school team's only: every read here checks
`access.may_keep_school_records` and refuses (PermissionDenied) everyone else, board leaders,
trustees and the ministry included.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from capacity.directory import access
from capacity.planning.carry import latest_decisions
from capacity.planning.models import (
    Documentation,
    Goal,
    GoalCarry,
    Kind,
    MarkerNote,
    Plan,
    Stage,
    Target,
    marker_codes,
)
from capacity.planning.progress import Progress
from capacity.planning.selectors import progress_by_target


@dataclass(frozen=True)
class GoalLine:
    """A goal on the year-close page: its targets' live progress, its newest decision and every
    earlier one (newest first)."""

    number: int
    goal: Goal
    targets: list[tuple[Target, Progress]]
    decision: GoalCarry | None
    history: list[GoalCarry] = field(default_factory=list)


def goal_lines(plan: Plan) -> list[GoalLine]:
    """Each goal of a plan the caller may read, in order. A fixed number of queries."""
    goals = list(plan.goals.order_by("position", "id"))
    targets = list(
        Target.objects.filter(goal__plan=plan)
        .select_related("goal__plan", "assessment")
        .order_by("goal_id", "id")
    )
    progress = progress_by_target(targets)
    by_goal: dict[int, list[tuple[Target, Progress]]] = defaultdict(list)
    for t in targets:
        by_goal[t.goal_id].append((t, progress[t.pk]))
    history: dict[int, list[GoalCarry]] = defaultdict(list)
    for row in (
        GoalCarry.objects.filter(goal__plan=plan)
        .select_related("decided_by")
        .order_by("goal_id", "-decided_at", "-id")
    ):
        history[row.goal_id].append(row)
    return [
        GoalLine(
            number=n,
            goal=g,
            targets=by_goal[g.pk],
            decision=history[g.pk][0] if history[g.pk] else None,
            history=history[g.pk][1:],
        )
        for n, g in enumerate(goals, start=1)
    ]


def get_goal(plan: Plan, goal_id: int) -> Goal:
    return get_object_or_404(Goal, pk=goal_id, plan=plan)


@dataclass(frozen=True)
class Origin:
    """A goal of next year's plan and the decision that brought it: last year's wording and why."""

    goal: Goal
    came_from: Goal
    decision: GoalCarry | None


def carried_origins(plan: Plan) -> list[Origin]:
    """For a plan opened by a year close: each carried goal, last year's goal and its decision."""
    previous = plan.previous
    if previous is None:
        return []
    goals = list(
        plan.goals.filter(carried_from__isnull=False)
        .select_related("carried_from")
        .order_by("position", "id")
    )
    if not goals:
        return []
    decisions = latest_decisions(previous)
    out = []
    for g in goals:
        came_from = g.carried_from
        assert came_from is not None
        out.append(Origin(goal=g, came_from=came_from, decision=decisions.get(came_from.pk)))
    return out


def stopped_goals(plan: Plan) -> list[tuple[Goal, GoalCarry]]:
    """A closed plan's goals the team chose not to carry, with the decision (its why)."""
    decisions = latest_decisions(plan)
    return [
        (g, decisions[g.pk])
        for g in plan.goals.order_by("position", "id")
        if g.pk in decisions and decisions[g.pk].decision == "stop"
    ]


@dataclass(frozen=True)
class Undecided:
    plan: Plan
    goals: int


def undecided_for_team(user: Any, *, limit: int = 10) -> list[Undecided]:
    """The person's team plans at Reflect with goals that have no year-close decision yet
    (a school's team for its school plan, a board's leaders for the board plan). Three queries."""
    scope = access.scope_for(user)
    if not scope.team_school_ids and not scope.led_board_ids:
        return []
    plans = list(
        Plan.objects.filter(
            school_id__in=scope.team_school_ids, kind=Kind.SCHOOL, stage=Stage.REFLECT
        )
        .select_related("school", "board")
        .order_by("-school_year", "school__name")[:50]
    ) + list(
        Plan.objects.filter(board_id__in=scope.led_board_ids, kind=Kind.BOARD, stage=Stage.REFLECT)
        .select_related("board")
        .order_by("-school_year", "board__name")[:50]
    )
    if not plans:
        return []
    ids = [p.pk for p in plans]
    goals: dict[int, set[int]] = defaultdict(set)
    for goal_id, plan_id in Goal.objects.filter(plan_id__in=ids).values_list("id", "plan_id"):
        goals[plan_id].add(goal_id)
    decided = set(GoalCarry.objects.filter(goal__plan_id__in=ids).values_list("goal_id", flat=True))
    out = [
        Undecided(plan=p, goals=len(goals[p.pk] - decided)) for p in plans if goals[p.pk] - decided
    ]
    return out[:limit]


# --- the school team's records: the marker-student log and pedagogical documentation ------------


def require_records(user: Any, plan: Plan) -> None:
    """Refuse everyone but the school's team (principal and school team members)."""
    if not access.may_keep_school_records(user, plan):
        raise PermissionDenied


def get_records_plan(user: Any, pk: int) -> Plan:
    """A school plan whose log and documentation the person keeps; 404 unknown, 403 otherwise."""
    plan = get_object_or_404(Plan.objects.select_related("board", "school"), pk=pk)
    require_records(user, plan)
    return plan


def marker_log(user: Any, plan: Plan) -> list[tuple[str, list[MarkerNote]]]:
    """The plan's log, grouped by marker code (codes in order), each code's entries newest first."""
    require_records(user, plan)
    grouped: dict[str, list[MarkerNote]] = defaultdict(list)
    for note in (
        MarkerNote.objects.filter(plan=plan)
        .select_related("written_by")
        .order_by("code", "-on", "-id")
    ):
        grouped[note.code].append(note)
    return sorted(grouped.items())


def marker_code_suggestions(plan: Plan) -> list[str]:
    """The marker codes the plan's goals name, for the log's form to suggest."""
    codes: set[str] = set()
    for value in plan.goals.values_list("marker_codes", flat=True):
        codes.update(marker_codes(value))
    return sorted(codes)


def get_note(user: Any, plan: Plan, note_id: int) -> MarkerNote:
    require_records(user, plan)
    return get_object_or_404(MarkerNote, pk=note_id, plan=plan)


def documentation_list(user: Any, plan: Plan) -> list[Documentation]:
    require_records(user, plan)
    return list(
        Documentation.objects.filter(plan=plan)
        .select_related("added_by")
        .order_by("-added_at", "-id")
    )


def get_documentation(user: Any, plan: Plan, item_id: int) -> Documentation:
    require_records(user, plan)
    return get_object_or_404(Documentation, pk=item_id, plan=plan)
