"""Reads for the plan pages and the board and ministry dashboards, always scoped to the reader.

Target progress for many plans at once is computed from one query over the
results of all their schools, not one query per target.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.planning.models import (
    FOCUSED_GOALS,
    RIGHT_DRIVERS,
    Checkpoint,
    Driver,
    Goal,
    Kind,
    Plan,
    Review,
    Stage,
    SupportRequest,
    Target,
    Timeline,
)
from capacity.planning.progress import Progress, school_values, target_progress


def plans_for(user: Any) -> QuerySet[Plan]:
    return Plan.objects.filter(access.plans_filter(user)).select_related("board", "school")


def requests_for(user: Any) -> QuerySet[SupportRequest]:
    """Support requests a person may see: their school's, their board's, or (ministry) all."""
    return SupportRequest.objects.select_related("board", "school", "plan", "requested_by", "answered_by").filter(
        access.support_requests_filter(user))


def progress_by_target(targets: list[Target]) -> dict[int, Progress]:
    """Live progress of many targets: one results query for every school-plan assessment target."""
    school_targets = [t for t in targets if t.measure == Target.Measure.ASSESSMENT and t.goal.plan.school_id]
    values = school_values([(t.goal.plan.school_id, t.assessment_id, t.group)  # type: ignore[misc]
                            for t in school_targets if t.assessment_id is not None])
    out: dict[int, Progress] = {}
    for t in targets:
        if t in school_targets:
            key = (t.goal.plan.school_id, t.assessment_id, t.group)
            out[t.pk] = target_progress(t, values.get(key, {}))  # type: ignore[arg-type]
        else:
            out[t.pk] = target_progress(t)
    return out


@dataclass
class PlanRow:
    plan: Plan
    targets: Counter[str] = field(default_factory=Counter)
    overdue_checkpoints: int = 0
    open_requests: int = 0
    submit_by: datetime.date | None = None
    goal_areas: set[str] = field(default_factory=set)

    @property
    def submission_overdue(self) -> bool:
        today = timezone.localdate()
        return (self.submit_by is not None and self.submit_by < today and self.plan.stage == Stage.PLAN
                and self.plan.review in (Review.DRAFT, Review.RETURNED))


def timelines_for(plans: list[Plan]) -> dict[tuple[int | None, str, str], Timeline]:
    years = {p.school_year for p in plans}
    return {(t.board_id, t.school_year, t.kind): t for t in Timeline.objects.filter(school_year__in=years)}


def timeline_of(plan: Plan, timelines: dict[tuple[int | None, str, str], Timeline]) -> Timeline | None:
    """A school plan follows its board's timeline, a board plan the ministry's."""
    if plan.kind == Kind.SCHOOL:
        return timelines.get((plan.board_id, plan.school_year, Kind.SCHOOL))
    return timelines.get((None, plan.school_year, Kind.BOARD))


def dashboard(user: Any, *, board: str = "", year: str = "", stage: str = "", review: str = "",
              focused: str = "", area: str = "") -> list[PlanRow]:
    plans = plans_for(user)
    if board:
        plans = plans.filter(board__number=board)
    if year:
        plans = plans.filter(school_year=year)
    if stage:
        plans = plans.filter(stage=stage)
    if review:
        plans = plans.filter(review=review)
    if focused in ("yes", "no"):
        plans = plans.filter(focused_intervention=focused == "yes")
    if area:
        plans = plans.filter(goals__area=area).distinct()
    chosen = list(plans.order_by("-school_year", "board__name", "kind", "school__name")[:500])
    rows = {p.pk: PlanRow(p) for p in chosen}
    targets = list(Target.objects.filter(goal__plan__in=chosen).select_related("goal__plan"))
    plan_of_target = {t.pk: t.goal.plan_id for t in targets}
    for target_id, progress in progress_by_target(targets).items():
        rows[plan_of_target[target_id]].targets[progress.status] += 1
    today = timezone.localdate()
    overdue = (Checkpoint.objects.filter(plan__in=chosen, due__lt=today, recorded_at__isnull=True)
               .values("plan_id").annotate(n=Count("id")))
    for counted in overdue:
        rows[counted["plan_id"]].overdue_checkpoints = counted["n"]
    open_requests = (SupportRequest.objects.filter(plan__in=chosen, status=SupportRequest.Status.OPEN)
                     .values("plan_id").annotate(n=Count("id")))
    for counted in open_requests:
        rows[counted["plan_id"]].open_requests = counted["n"]
    for plan_id, goal_area in Goal.objects.filter(plan__in=chosen).values_list("plan_id", "area"):
        rows[plan_id].goal_areas.add(goal_area)
    timelines = timelines_for(chosen)
    for row in rows.values():
        timeline = timeline_of(row.plan, timelines)
        row.submit_by = timeline.submit_by if timeline else None
    return list(rows.values())


@dataclass(frozen=True)
class Reciprocity:
    """What the system demanded of a board (or the province) against what it provided."""

    label: str
    identified: int
    targets: int
    requests: int
    answered: int
    open: int
    overdue: int
    median_days_to_answer: float | None


def reciprocity(user: Any, year: str) -> list[Reciprocity]:
    """Per board the reader can see: focused-intervention plans and targets set, requests answered and open."""
    plans = plans_for(user).filter(school_year=year)
    requests = requests_for(user)
    today = timezone.localdate()
    by_board: dict[str, dict[str, Any]] = {}

    def entry(name: str) -> dict[str, Any]:
        return by_board.setdefault(name, {"identified": 0, "targets": 0, "requests": 0, "answered": 0, "open": 0,
                                          "overdue": 0, "days": []})

    for name, n in plans.filter(focused_intervention=True).values_list("board__name").annotate(n=Count("id")):
        entry(name)["identified"] = n
    for name, n in (Target.objects.filter(goal__plan__in=plans).values_list("goal__plan__board__name")
                    .annotate(n=Count("id"))):
        entry(name)["targets"] = n
    for r in requests:
        e = entry(r.board.name)
        e["requests"] += 1
        if r.status == SupportRequest.Status.OPEN:
            e["open"] += 1
            if r.needed_by and r.needed_by < today:
                e["overdue"] += 1
        elif r.answered_at:
            e["answered"] += 1
            e["days"].append((r.answered_at - r.requested_at).total_seconds() / 86400)
    def median(days: list[float]) -> float | None:
        if not days:
            return None
        days = sorted(days)
        mid = len(days) // 2
        return round(days[mid] if len(days) % 2 else (days[mid - 1] + days[mid]) / 2, 1)

    out = []
    for name in sorted(by_board):
        e = dict(by_board[name])
        days = e.pop("days")
        out.append(Reciprocity(label=name, median_days_to_answer=median(days), **e))
    if access.scope_for(user).province and out:
        totals = {key: sum(by_board[name][key] for name in by_board)
                  for key in ("identified", "targets", "requests", "answered", "open", "overdue")}
        every_day = [d for name in by_board for d in by_board[name]["days"]]
        out.append(Reciprocity(label=str(_("The province")), median_days_to_answer=median(every_day), **totals))
    return out


def driver_balance(plan: Plan) -> tuple[list[tuple[str, Any, int]], bool]:
    """How many strategies use each driver, and whether the plan leans on the wrong ones.

    A plan leans on the wrong drivers when its strategies name accountability,
    individual quality, technology or fragmented strategies more often than
    the four right drivers together (Fullan's argument: the wrong drivers used
    as the lead do not change the instructional core).
    """
    counts: Counter[str] = Counter()
    for strategy in plan.goals.all().prefetch_related("strategies"):
        for s in strategy.strategies.all():
            counts.update(s.drivers or [])
    balance = [(d.value, d.label, counts.get(d.value, 0)) for d in Driver]
    right = sum(n for d, _, n in balance if d in RIGHT_DRIVERS)
    wrong = sum(n for d, _, n in balance if d not in RIGHT_DRIVERS)
    return balance, wrong > right


def too_many_goals(plan: Plan) -> bool:
    return plan.goals.count() > FOCUSED_GOALS
