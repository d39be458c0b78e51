"""Reads for the OFIP themes and lessons, challenging circumstances and late timelines (issue 13).

Every read starts from the plans the person may read (`planning.selectors.plans_for`,
scoped by directory.access). Counts are of plans and of their goals, strategies and
co-reflections, never of students, so no small-group rule applies; a board's counts are
for its leaders and the ministry, the province's for the ministry (`access`).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from capacity.directory import access
from capacity.directory.models import Board, SchoolContext
from capacity.planning import selectors
from capacity.planning.cycle import Late, plan_late_steps
from capacity.planning.models import Checkpoint, CoReflection, Goal, Kind, Plan, Stage, Strategy
from capacity.planning.themes import (
    CIRCUMSTANCES,
    LESSONS,
    LESSONS_BY_CODE,
    THEMES,
    Rise,
    Suggestion,
    rising,
    suggest_circumstances,
    top_quarter_lines,
)

# --- counts by theme and lesson --------------------------------------------------------------

GOALS, STRATEGIES, COREFLECTIONS = "goals", "strategies", "coreflections"


@dataclass
class TagCount:
    """How often one lesson (or theme) is named in a school year's plans."""

    code: str
    label: str
    goals: int = 0
    strategies: int = 0
    coreflections: int = 0
    plans: int = 0  # plans naming it anywhere (goal, strategy or co-reflection)
    share: float = 0.0  # % of the year's plans


@dataclass
class ThemeCounts:
    year: str
    years: list[str]  # every school year with plans in the counts, newest first
    plans: int  # plans of `year` in the counts
    lessons: list[TagCount]
    themes: list[TagCount]
    # plans naming each lesson, per year (oldest first), and per board for `year`
    by_year: list[tuple[str, int, dict[str, int]]] = field(default_factory=list)
    by_board: list[tuple[Board, int, dict[str, int]]] = field(default_factory=list)
    rising_lessons: list[Rise] = field(default_factory=list)
    rising_themes: list[Rise] = field(default_factory=list)
    previous_year: str = ""


def may_read_counts(user: Any, board: Board | None) -> bool:
    return access.can_read_theme_counts(user, board)


def _scoped_plans(user: Any, board: Board | None) -> QuerySet[Plan]:
    if not may_read_counts(user, board):
        raise PermissionDenied
    plans = selectors.plans_for(user)
    return plans.filter(board=board) if board is not None else plans


def _tags(plans: QuerySet[Plan]) -> list[tuple[str, int, str, int, list[str]]]:
    """(kind of item, plan id, school year, board id, lessons) for every tagged item."""
    rows: list[tuple[str, int, str, int, list[str]]] = []
    sources: Iterable[tuple[str, QuerySet[Any], str]] = (
        (GOALS, Goal.objects.filter(plan__in=plans), "plan"),
        (STRATEGIES, Strategy.objects.filter(goal__plan__in=plans), "goal__plan"),
        (COREFLECTIONS, CoReflection.objects.filter(plan__in=plans), "plan"),
    )
    for kind, items, path in sources:
        for plan_id, year, board_id, lessons in items.exclude(lessons=[]).values_list(
            f"{path}_id",
            f"{path}__school_year",
            f"{path}__board_id",
            "lessons",
        ):
            rows.append((kind, plan_id, year, board_id, list(lessons or [])))
    return rows


def theme_counts(user: Any, *, board: Board | None = None, year: str = "") -> ThemeCounts:
    """Counts of the lessons and themes named in the plans the person may read: the
    province's (board None; ministry) or one board's (its leaders and the ministry), for
    `year` (default: the newest year with plans), with each year's counts and what is rising
    since the year before."""
    plans = _scoped_plans(user, board)
    per_year = Counter(dict(plans.values_list("school_year").annotate(n=Count("id"))))
    years = sorted(per_year, reverse=True)
    year = year if year in per_year else (years[0] if years else year)
    tags = _tags(plans)

    items: dict[str, Counter[str]] = defaultdict(Counter)  # kind -> lesson -> count (year)
    lesson_plans: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    theme_plans: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    theme_items: dict[str, Counter[str]] = defaultdict(Counter)
    board_plans: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for kind, plan_id, item_year, board_id, lessons in tags:
        seen_themes: set[str] = set()
        for code in lessons:
            lesson = LESSONS_BY_CODE.get(code)
            if lesson is None:
                continue
            lesson_plans[item_year][code].add(plan_id)
            theme_plans[item_year][lesson.theme].add(plan_id)
            if item_year == year:
                items[kind][code] += 1
                board_plans[board_id][code].add(plan_id)
                if lesson.theme not in seen_themes:
                    theme_items[kind][lesson.theme] += 1
                    seen_themes.add(lesson.theme)

    total = per_year.get(year, 0)

    def share(n: int) -> float:
        return round(100.0 * n / total, 1) if total else 0.0

    lesson_rows = [
        TagCount(
            lesson.code,
            str(lesson.name),
            goals=items[GOALS][lesson.code],
            strategies=items[STRATEGIES][lesson.code],
            coreflections=items[COREFLECTIONS][lesson.code],
            plans=len(lesson_plans[year][lesson.code]),
            share=share(len(lesson_plans[year][lesson.code])),
        )
        for lesson in LESSONS
    ]
    theme_rows = [
        TagCount(
            theme.code,
            str(theme.name),
            goals=theme_items[GOALS][theme.code],
            strategies=theme_items[STRATEGIES][theme.code],
            coreflections=theme_items[COREFLECTIONS][theme.code],
            plans=len(theme_plans[year][theme.code]),
            share=share(len(theme_plans[year][theme.code])),
        )
        for theme in THEMES
    ]
    previous = next((y for y in years if y < year), "")

    def counts_of(source: dict[str, dict[str, set[int]]], of_year: str) -> dict[str, int]:
        return {code: len(ids) for code, ids in source.get(of_year, {}).items() if ids}

    out = ThemeCounts(
        year=year,
        years=years,
        plans=total,
        lessons=lesson_rows,
        themes=theme_rows,
        by_year=[(y, per_year[y], counts_of(lesson_plans, y)) for y in sorted(per_year)],
        previous_year=previous,
    )
    if previous:
        out.rising_lessons = rising(
            counts_of(lesson_plans, previous),
            counts_of(lesson_plans, year),
            per_year[previous],
            total,
        )
        out.rising_themes = rising(
            counts_of(theme_plans, previous),
            counts_of(theme_plans, year),
            per_year[previous],
            total,
        )
    if board is None:
        board_totals = dict(
            plans.filter(school_year=year).values_list("board_id").annotate(n=Count("id"))
        )
        boards = Board.objects.filter(pk__in=board_totals).order_by("name")
        out.by_board = [
            (
                b,
                board_totals[b.pk],
                {code: len(ids) for code, ids in board_plans[b.pk].items()},
            )
            for b in boards
        ]
    return out


def theme_rows_for_export(counts: ThemeCounts) -> list[dict[str, Any]]:
    """One row per lesson and per theme (the year's counts), for the CSV export."""
    rows: list[dict[str, Any]] = []
    for level, tag_rows in (("lesson", counts.lessons), ("theme", counts.themes)):
        for row in tag_rows:
            rows.append(
                {
                    "school_year": counts.year,
                    "level": level,
                    "code": row.code,
                    "name": row.label,
                    "plans": row.plans,
                    "share_of_plans": row.share,
                    "goals": row.goals,
                    "strategies": row.strategies,
                    "coreflections": row.coreflections,
                }
            )
    return rows


# --- a plan's tags -----------------------------------------------------------------------


def plan_tagged_items(plan: Plan) -> tuple[list[Goal], list[Strategy], list[CoReflection]]:
    """A plan's goals, strategies and co-reflections, with their lessons, for its themes page."""
    goals = list(plan.goals.all())
    strategies = list(Strategy.objects.filter(goal__plan=plan).select_related("goal"))
    coreflections = list(plan.coreflections.select_related("author"))
    return goals, strategies, coreflections


def get_tagged_item(plan: Plan, kind: str, item_id: int) -> Goal | Strategy | CoReflection:
    """One of the plan's goals, strategies or co-reflections (404 when not the plan's)."""
    if kind == "goal":
        return get_object_or_404(Goal, plan=plan, pk=item_id)
    if kind == "strategy":
        return get_object_or_404(
            Strategy.objects.select_related("goal__plan"), goal__plan=plan, pk=item_id
        )
    if kind == "coreflection":
        return get_object_or_404(CoReflection.objects.select_related("plan"), plan=plan, pk=item_id)
    raise Http404


def tagged_count(plan: Plan) -> int:
    """How many of the plan's goals, strategies and co-reflections name a lesson."""
    return (
        Goal.objects.filter(plan=plan).exclude(lessons=[]).count()
        + Strategy.objects.filter(goal__plan=plan).exclude(lessons=[]).count()
        + CoReflection.objects.filter(plan=plan).exclude(lessons=[]).count()
    )


def goals_of(plan: Plan) -> QuerySet[Goal]:
    """The plan's goals, for a form's choice of goal (the plan was read through `get_plan_for_user`)."""
    return plan.goals.all()


# --- challenging circumstances ------------------------------------------------------------


@dataclass(frozen=True)
class CircumstanceView:
    context: SchoolContext | None
    lines: dict[str, float]
    suggestions: list[Suggestion]
    strategies: list[Strategy]  # the plan's strategies already tagged with a circumstance


def circumstances_for_plan(plan: Plan) -> CircumstanceView:
    """The school's context (the plan's year, or the newest before it), the province's
    top-quarter lines for the same year, the circumstances they suggest, and the plan's
    strategies that already answer one. The plan was read through `get_plan_for_user`."""
    if plan.school_id is None:
        return CircumstanceView(None, {}, [], [])
    context = (
        SchoolContext.objects.filter(school_id=plan.school_id, school_year__lte=plan.school_year)
        .order_by("-school_year")
        .first()
        or SchoolContext.objects.filter(school_id=plan.school_id).order_by("school_year").first()
    )
    indicators = sorted({name for c in CIRCUMSTANCES for name in c.indicators})
    lines: dict[str, float] = {}
    suggestions: list[Suggestion] = []
    if context is not None:
        columns = list(
            SchoolContext.objects.filter(school_year=context.school_year).values_list(*indicators)
        )
        lines = top_quarter_lines(
            {name: [row[i] for row in columns] for i, name in enumerate(indicators)}
        )
        suggestions = suggest_circumstances(
            {name: getattr(context, name) for name in indicators}, lines
        )
    strategies = list(
        Strategy.objects.filter(goal__plan=plan).exclude(circumstance="").select_related("goal")
    )
    return CircumstanceView(context, lines, suggestions, strategies)


# --- late timelines ---------------------------------------------------------------------


def lateness(plans: list[Plan], *, today: datetime.date | None = None) -> dict[int, list[Late]]:
    """For each plan given, the timeline's dates it has let pass (empty when none), in two
    queries: the plans' timelines and which of them recorded a checkpoint."""
    today = today or timezone.localdate()
    open_plans = [p for p in plans if p.stage != Stage.CLOSED]
    timelines = selectors.timelines_for(open_plans) if open_plans else {}
    recorded = (
        set(
            Checkpoint.objects.filter(plan__in=open_plans, recorded_at__isnull=False)
            .values_list("plan_id", flat=True)
            .distinct()
        )
        if open_plans
        else set()
    )
    out: dict[int, list[Late]] = {p.pk: [] for p in plans}
    for plan in open_plans:
        out[plan.pk] = plan_late_steps(
            plan,
            selectors.timeline_of(plan, timelines),
            checkpoint_recorded=plan.pk in recorded,
            today=today,
        )
    return out


def late_plans_to_review(
    user: Any, *, limit: int = 10
) -> tuple[list[tuple[Plan, list[Late]]], int]:
    """The late plans a person reviews in the year under way (a board leader: the school plans
    of the boards they lead; the ministry: the board plans), the latest first, and how many."""
    scope = access.scope_for(user)
    mine = Q(kind=Kind.SCHOOL, board_id__in=scope.led_board_ids)
    if scope.ministry:
        mine |= Q(kind=Kind.BOARD)
    year = selectors.plan_year_under_way(user)
    if not year:
        return [], 0
    plans = list(
        selectors.plans_for(user)
        .filter(mine, school_year=year)
        .exclude(stage=Stage.CLOSED)
        .select_related("school", "board")
        .order_by("board__name", "school__name")
    )
    late = lateness(plans)
    rows = [(p, late[p.pk]) for p in plans if late[p.pk]]
    rows.sort(key=lambda row: row[1][0].due)
    return rows[:limit], len(rows)
