"""Reads for strategies' implementation and the leading indicators a board monitors monthly.

Every read is scoped through `directory.access` (the `*_implementation*` rules). The roll-ups
read each table once for all the plans they cover (plans, strategies, reviews, checkpoints,
custom targets and their entries), then count in memory (`indicators_implementation`), so a board
or the province costs the same few queries however many schools it holds.

No student results are read here: the indicators are the team's own records (reviews,
checkpoints, custom measures' values), so the small-group gate of `evidence.privacy` has nothing
to hide; trustees read the board's counts only, never a school's strategies or values.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from capacity.directory import access
from capacity.directory.models import Board, School
from capacity.planning.indicators_implementation import (
    CheckpointFact,
    Indicators,
    ReviewFact,
    TargetFact,
    Window,
    count_indicators,
    month_window,
    reviewed_at_checkpoint,
)
from capacity.planning.models import (
    Checkpoint,
    Implementation,
    Kind,
    Plan,
    Stage,
    Strategy,
    StrategyReview,
    Target,
    TargetEntry,
)
from capacity.planning.progress import school_year_of

__all__ = [
    "Indicators",
    "Window",
    "month_window",
]


# --- one plan's strategies ------------------------------------------------------------


@dataclass(frozen=True)
class StrategyLine:
    """A strategy with its implementation status and latest review (the plan page, the school's
    indicators)."""

    strategy: Strategy
    goal_number: int
    status: str
    last_review: StrategyReview | None

    @property
    def status_label(self) -> str:
        return str(Implementation(self.status).label)


def _latest_reviews(
    strategy_ids: list[int], *, until: datetime.date | None = None
) -> dict[int, StrategyReview]:
    reviews = StrategyReview.objects.filter(strategy_id__in=strategy_ids)
    if until is not None:
        reviews = reviews.filter(on__lte=until)
    latest: dict[int, StrategyReview] = {}
    for review in reviews.select_related("recorded_by", "checkpoint").order_by("on", "id"):
        latest[review.strategy_id] = review
    return latest


def strategy_lines(plan: Plan, *, until: datetime.date | None = None) -> list[StrategyLine]:
    """Every strategy of `plan`, goal by goal, with its status (as of `until`, default now)."""
    strategies = list(
        Strategy.objects.filter(goal__plan=plan)
        .select_related("goal")
        .order_by("goal__position", "goal_id", "id")
    )
    numbers: dict[int, int] = {}
    for s in strategies:
        numbers.setdefault(s.goal_id, len(numbers) + 1)
    latest = _latest_reviews([s.pk for s in strategies], until=until)
    return [
        StrategyLine(
            strategy=s,
            goal_number=numbers[s.goal_id],
            status=latest[s.pk].status if s.pk in latest else Implementation.NOT_STARTED,
            last_review=latest.get(s.pk),
        )
        for s in strategies
    ]


def get_strategy(plan: Plan, strategy_id: int) -> Strategy:
    return get_object_or_404(
        Strategy.objects.select_related("goal"), pk=strategy_id, goal__plan=plan
    )


def get_checkpoint(plan: Plan, checkpoint_id: int) -> Checkpoint:
    return get_object_or_404(Checkpoint, pk=checkpoint_id, plan=plan)


def get_review(plan: Plan, review_id: int) -> StrategyReview:
    return get_object_or_404(StrategyReview, pk=review_id, strategy__goal__plan=plan)


def strategy_reviews(strategy: Strategy) -> QuerySet[StrategyReview]:
    """A strategy's review history, newest first."""
    return strategy.reviews.select_related("recorded_by", "checkpoint").order_by("-on", "-id")


def checkpoint_choices(plan: Plan) -> QuerySet[Checkpoint]:
    return Checkpoint.objects.filter(plan=plan).order_by("due", "id")


def checkpoint_unreviewed(checkpoint: Checkpoint) -> list[Strategy]:
    """The plan's strategies not reviewed at `checkpoint`: no review recorded at it, and none dated
    after the checkpoint before it and on or before this one's date."""
    plan_checkpoints = list(checkpoint_choices(checkpoint.plan))
    facts = [CheckpointFact(c.pk, c.due, c.recorded_at) for c in plan_checkpoints]
    strategies = list(
        Strategy.objects.filter(goal__plan_id=checkpoint.plan_id).order_by(
            "goal__position", "goal_id", "id"
        )
    )
    reviews = _review_facts([s.pk for s in strategies])
    done = reviewed_at_checkpoint(facts, checkpoint.pk, reviews)
    return [s for s in strategies if s.pk not in done]


def _review_facts(strategy_ids: list[int]) -> list[ReviewFact]:
    return [
        ReviewFact(strategy_id=s, on=on, status=status, checkpoint_id=c)
        for s, on, status, c in StrategyReview.objects.filter(strategy_id__in=strategy_ids)
        .order_by("on", "id")
        .values_list("strategy_id", "on", "status", "checkpoint_id")
    ]


# --- roll-ups -----------------------------------------------------------------------------


@dataclass
class SchoolRow:
    """One school plan's leading indicators in the month."""

    plan: Plan
    indicators: Indicators
    last_reviewed: datetime.date | None


@dataclass
class BoardRow:
    board: Board
    plans: int
    indicators: Indicators
    last_reviewed: datetime.date | None


@dataclass
class Rollup:
    window: Window
    school_year: str
    rows: list[Any] = field(default_factory=list)
    totals: Indicators = field(default_factory=Indicators)
    detail: bool = False  # whether the reader may open each school's indicators


def _facts_by_plan(
    plans: list[Plan], window: Window
) -> dict[int, tuple[Indicators, datetime.date | None]]:
    """Each plan's indicators in `window`, in six queries for all the plans."""
    plan_ids = [p.pk for p in plans]
    strategy_plan = dict(
        Strategy.objects.filter(goal__plan_id__in=plan_ids).values_list("id", "goal__plan_id")
    )
    reviews_by_plan: dict[int, list[ReviewFact]] = defaultdict(list)
    for fact in _review_facts(list(strategy_plan)):
        reviews_by_plan[strategy_plan[fact.strategy_id]].append(fact)
    strategies_by_plan: dict[int, list[int]] = defaultdict(list)
    for sid, pid in strategy_plan.items():
        strategies_by_plan[pid].append(sid)
    first_review: dict[int, datetime.date] = {}
    for facts in reviews_by_plan.values():
        for fact in facts:
            if fact.checkpoint_id is not None and fact.checkpoint_id not in first_review:
                first_review[fact.checkpoint_id] = fact.on
    checkpoints_by_plan: dict[int, list[CheckpointFact]] = defaultdict(list)
    for pk, pid, due, recorded in (
        Checkpoint.objects.filter(plan_id__in=plan_ids)
        .order_by("due", "id")
        .values_list("id", "plan_id", "due", "recorded_at")
    ):
        checkpoints_by_plan[pid].append(CheckpointFact(pk, due, recorded, first_review.get(pk)))
    targets = dict(
        Target.objects.filter(
            goal__plan_id__in=plan_ids, measure=Target.Measure.CUSTOM
        ).values_list("id", "goal__plan_id")
    )
    target_values = dict(
        Target.objects.filter(pk__in=list(targets)).values_list("id", "target_value")
    )
    entries: dict[int, list[tuple[datetime.date, float]]] = defaultdict(list)
    for tid, on, value in (
        TargetEntry.objects.filter(target_id__in=list(targets))
        .order_by("on", "id")
        .values_list("target_id", "on", "value")
    ):
        entries[tid].append((on, value))
    targets_by_plan: dict[int, list[TargetFact]] = defaultdict(list)
    for tid, pid in targets.items():
        targets_by_plan[pid].append(TargetFact(tid, target_values[tid], tuple(entries[tid])))
    out = {}
    for pid in plan_ids:
        out[pid] = count_indicators(
            window,
            strategy_ids=strategies_by_plan[pid],
            reviews=reviews_by_plan[pid],
            checkpoints=checkpoints_by_plan[pid],
            targets=targets_by_plan[pid],
        )
    return out


def window_for(month: str) -> Window:
    """The month asked for; with none, this month, or the June of the latest school year whose
    school plans were carried out (in Act, Observe or Reflect) when that year is over (the demo's
    2023-24; next year's plans just opened from it are still being written)."""
    today = timezone.localdate()
    if not month:
        latest = Plan.objects.filter(
            kind=Kind.SCHOOL, stage__in=[Stage.ACT, Stage.OBSERVE, Stage.REFLECT]
        ).aggregate(latest=Max("school_year"))["latest"]
        if latest and latest < school_year_of(today):
            month = f"{int(latest[:4]) + 1}-06"
    return month_window(month, today=today)


def _school_plans(school_year: str) -> QuerySet[Plan]:
    return Plan.objects.filter(kind=Kind.SCHOOL, school_year=school_year).select_related(
        "school", "board"
    )


def _latest(a: datetime.date | None, b: datetime.date | None) -> datetime.date | None:
    return max(d for d in (a, b) if d) if (a or b) else None


def board_rollup(user: Any, board: Board, month: str = "") -> Rollup:
    """Each school plan of `board` in the school year of `month` a row, and the board's totals."""
    if not access.can_read_implementation_board(user, board):
        raise PermissionDenied
    window = window_for(month)
    year = school_year_of(window.as_of)
    plans = list(_school_plans(year).filter(board=board).order_by("school__name", "id"))
    facts = _facts_by_plan(plans, window)
    rollup = Rollup(
        window=window, school_year=year, detail=access.can_read_implementation_detail(user, board)
    )
    for plan in plans:
        indicators, last = facts[plan.pk]
        rollup.rows.append(SchoolRow(plan=plan, indicators=indicators, last_reviewed=last))
        rollup.totals = rollup.totals + indicators
    return rollup


def province_rollup(user: Any, month: str = "") -> Rollup:
    """Each board with school plans in the school year of `month` a row, and the province's totals."""
    if not access.can_read_implementation_province(user):
        raise PermissionDenied
    window = window_for(month)
    year = school_year_of(window.as_of)
    plans = list(_school_plans(year))
    facts = _facts_by_plan(plans, window)
    rows: dict[int, BoardRow] = {}
    for plan in plans:
        indicators, last = facts[plan.pk]
        row = rows.setdefault(
            plan.board_id,
            BoardRow(board=plan.board, plans=0, indicators=Indicators(), last_reviewed=None),
        )
        row.plans += 1
        row.indicators = row.indicators + indicators
        row.last_reviewed = _latest(row.last_reviewed, last)
    rollup = Rollup(window=window, school_year=year, detail=True)
    rollup.rows = sorted(rows.values(), key=lambda r: r.board.name)
    for row in rollup.rows:
        rollup.totals = rollup.totals + row.indicators
    return rollup


@dataclass
class SchoolIndicators:
    """One school plan's indicators in detail: the counts, each strategy and each custom target."""

    plan: Plan
    window: Window
    indicators: Indicators
    strategies: list[StrategyLine]
    targets: list[tuple[Target, float | None, datetime.date | None]]
    checkpoints: list[tuple[Checkpoint, str]]


def school_indicators(user: Any, plan: Plan, month: str = "") -> SchoolIndicators:
    """A school plan's leading indicators as of the end of `month` (the ministry, the board's
    leaders and the school's staff)."""
    if plan.school is None or not access.can_read_implementation(user, plan.school):
        raise PermissionDenied
    window = window_for(month)
    indicators, _last = _facts_by_plan([plan], window)[plan.pk]
    targets = []
    for target in Target.objects.filter(goal__plan=plan, measure=Target.Measure.CUSTOM).order_by(
        "goal__position", "goal_id", "id"
    ):
        entry = target.entries.filter(on__lte=window.as_of).order_by("-on", "-id").first()
        targets.append((target, entry.value if entry else None, entry.on if entry else None))
    first_review = dict(
        StrategyReview.objects.filter(checkpoint__plan=plan)
        .values("checkpoint_id")
        .annotate(first=Min("on"))
        .values_list("checkpoint_id", "first")
    )
    checkpoints = []
    for c in checkpoint_choices(plan):
        fact = CheckpointFact(c.pk, c.due, c.recorded_at, first_review.get(c.pk))
        checkpoints.append((c, window.checkpoint_state(fact)))
    return SchoolIndicators(
        plan=plan,
        window=window,
        indicators=indicators,
        strategies=strategy_lines(plan, until=window.as_of),
        targets=targets,
        checkpoints=checkpoints,
    )


def school_plan_for(user: Any, school: School, month: str = "") -> Plan | None:
    """The school's plan for the school year of `month`, if the person may read its indicators."""
    if not access.can_read_implementation(user, school):
        raise PermissionDenied
    window = window_for(month)
    return _school_plans(school_year_of(window.as_of)).filter(school=school).first()


def board_by_number(number: str) -> Board:
    return get_object_or_404(Board, number=number)


def school_by_number(number: str) -> School:
    return get_object_or_404(School.objects.select_related("board"), number=number)


def readable_boards(user: Any) -> QuerySet[Board]:
    return access.implementation_boards_for(user).order_by("name")


# --- the home page --------------------------------------------------------------------------


@dataclass(frozen=True)
class Unreviewed:
    plan: Plan
    checkpoint: Checkpoint
    strategies: int


def unreviewed_for_team(user: Any, *, limit: int = 10) -> list[Unreviewed]:
    """For the person's team plans (not closed): the latest checkpoint whose date has passed and
    how many strategies were not reviewed at it. A fixed number of queries."""
    scope = access.scope_for(user)
    if not scope.team_school_ids and not scope.led_board_ids:
        return []
    today = timezone.localdate()
    plans = list(
        Plan.objects.filter(school_id__in=scope.team_school_ids, kind=Kind.SCHOOL)
        .exclude(stage=Stage.CLOSED)
        .select_related("school", "board")
        .order_by("-school_year", "school__name")[:50]
    ) + list(
        Plan.objects.filter(board_id__in=scope.led_board_ids, kind=Kind.BOARD)
        .exclude(stage=Stage.CLOSED)
        .select_related("board")
        .order_by("-school_year", "board__name")[:50]
    )
    if not plans:
        return []
    by_id = {p.pk: p for p in plans}
    checkpoints: dict[int, list[Checkpoint]] = defaultdict(list)
    for c in Checkpoint.objects.filter(plan_id__in=list(by_id)).order_by("due", "id"):
        checkpoints[c.plan_id].append(c)
    strategy_plan = dict(
        Strategy.objects.filter(goal__plan_id__in=list(by_id)).values_list("id", "goal__plan_id")
    )
    reviews: dict[int, list[ReviewFact]] = defaultdict(list)
    for fact in _review_facts(list(strategy_plan)):
        reviews[strategy_plan[fact.strategy_id]].append(fact)
    out = []
    for pid, plan in by_id.items():
        past = [c for c in checkpoints[pid] if c.due < today]
        strategy_ids = [s for s, p in strategy_plan.items() if p == pid]
        if not past or not strategy_ids:
            continue
        latest = past[-1]
        facts = [CheckpointFact(c.pk, c.due, c.recorded_at) for c in checkpoints[pid]]
        done = reviewed_at_checkpoint(facts, latest.pk, reviews[pid])
        missing = len([s for s in strategy_ids if s not in done])
        if missing:
            out.append(Unreviewed(plan=plan, checkpoint=latest, strategies=missing))
    out.sort(key=lambda u: (u.checkpoint.due, u.plan.pk))
    return out[:limit]


def checkpoints_with_unreviewed(plan: Plan) -> list[tuple[Checkpoint, int]]:
    """Each checkpoint of `plan` whose date has passed (or that is recorded), with how many of the
    plan's strategies were not reviewed at it; in three queries."""
    today = timezone.localdate()
    checkpoints = list(checkpoint_choices(plan))
    facts = [CheckpointFact(c.pk, c.due, c.recorded_at) for c in checkpoints]
    strategy_ids = list(Strategy.objects.filter(goal__plan=plan).values_list("id", flat=True))
    reviews = _review_facts(strategy_ids)
    out = []
    for c in checkpoints:
        if c.due > today and c.recorded_at is None:
            out.append((c, 0))
            continue
        done = reviewed_at_checkpoint(facts, c.pk, reviews)
        out.append((c, len([s for s in strategy_ids if s not in done])))
    return out


def plan_reviews(plan: Plan) -> dict[int, list[StrategyReview]]:
    """Every review of the plan's strategies, by strategy, oldest first (one query)."""
    out: dict[int, list[StrategyReview]] = defaultdict(list)
    for review in StrategyReview.objects.filter(strategy__goal__plan=plan).order_by("on", "id"):
        out[review.strategy_id].append(review)
    return out
