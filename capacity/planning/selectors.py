"""Every planning read, always scoped to the reader: plans, their items, support requests, timelines, dashboards.

Pages, the API and the exports read through here; nothing else in planning
runs a query for a reader. Like `access.get_school_for_user`, a single plan
or request that is unknown is a 404 and one outside the reader's scope raises
PermissionDenied. Target progress for many plans at once is computed from one
query over the results of all their schools, not one query per target.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Case, Count, Max, Model, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from capacity.audit.models import Action, AuditEntry
from capacity.directory import access
from capacity.directory.models import Board, Membership, Network, School, User
from capacity.listing import Column, ListPage, ListSpec
from capacity.planning.cycle import SUBMIT as SUBMIT_STEP
from capacity.planning.cycle import plan_late_steps
from capacity.planning.following import COUNTED, LATEST
from capacity.planning.models import (
    FOCUSED_GOALS,
    RIGHT_DRIVERS,
    STAGE_ORDER,
    Checkpoint,
    CoReflection,
    Driver,
    Goal,
    Kind,
    Plan,
    PlanChange,
    Reply,
    Review,
    Stage,
    Strategy,
    Submission,
    SupportRequest,
    Target,
    TargetEntry,
    TaskDone,
    Timeline,
)
from capacity.planning.progress import (
    MET,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    Progress,
    boards_values,
    entered_values,
    school_values,
    target_progress,
)

# --- lists scoped to the reader ------------------------------------------------------


def plans_for(user: Any) -> QuerySet[Plan]:
    """Plans a person may read: their school's, their board's, or (ministry) all."""
    return Plan.objects.filter(access.plans_filter(user)).select_related("board", "school")


def requests_for(user: Any) -> QuerySet[SupportRequest]:
    """Support requests a person may see: their school's, their board's, or (ministry) all."""
    return SupportRequest.objects.select_related(
        "board", "school", "plan", "requested_by", "answered_by"
    ).filter(access.support_requests_filter(user))


def plans_filtered(
    user: Any,
    *,
    school: str = "",
    board: str = "",
    year: str = "",
    stage: str = "",
    review: str = "",
    focused: bool | None = None,
    area: str = "",
    mine: bool = False,
) -> QuerySet[Plan]:
    """The dashboard's and the API's filter chain over the plans a person may read (empty means any).
    `mine`: only the person's portfolio (a family of schools, a ministry officer's boards)."""
    plans = plans_for(user)
    if mine:
        plans = plans.filter(access.scope_for(user).portfolio_filter())
    if school:
        plans = plans.filter(school__number=school)
    if board:
        plans = plans.filter(board__number=board)
    if year:
        plans = plans.filter(school_year=year)
    if stage:
        plans = plans.filter(stage=stage)
    if review:
        plans = plans.filter(review=review)
    if focused is not None:
        plans = plans.filter(focused_intervention=focused)
    if area:
        plans = plans.filter(goals__area=area).distinct()
    return plans.order_by("-school_year", "board__name", "kind", "school__name", "id")


def plan_years_for(user: Any) -> list[str]:
    """The school years of the plans a person may read, newest first."""
    return sorted(set(plans_for(user).values_list("school_year", flat=True)), reverse=True)


# The plans dashboard's and the support list's columns, and what each may be sorted by.
_OWNER = Coalesce("school__name", "board__name")
PLAN_LIST = ListSpec(
    columns=(
        Column(pgettext_lazy("the plans list's column", "Plan"), "plan", (_OWNER, "board__name")),
        Column(
            gettext_lazy("Year"), "year", ("school_year", "board__name", "kind", "school__name")
        ),
        Column(
            gettext_lazy("Stage"),
            "stage",
            (
                Case(*(When(stage=s, then=Value(i)) for i, s in enumerate(STAGE_ORDER))),
                "school_year",
            ),
        ),
        Column(
            gettext_lazy("Review"),
            "review",
            (Case(*(When(review=r, then=Value(i)) for i, r in enumerate(Review))), "school_year"),
        ),
        Column(gettext_lazy("Targets on track or met"), numeric=True),
        Column(gettext_lazy("Targets off track"), numeric=True),
        Column(gettext_lazy("Overdue checkpoints"), numeric=True),
        Column(gettext_lazy("Open support requests"), numeric=True),
        Column(gettext_lazy("Submission")),
    ),
    default="-year",
    label=gettext_lazy("Pages of plans"),
)
REQUEST_LIST = ListSpec(
    columns=(
        Column(gettext_lazy("From"), "from", (_OWNER,)),
        Column(gettext_lazy("Asked"), "asked", ("requested_at",)),
        Column(gettext_lazy("Needed by"), "needed", ("needed_by",)),
        Column(gettext_lazy("To"), "to", ("to_ministry", "board__name")),
        Column(gettext_lazy("Status"), "status", ("status", "requested_at")),
    ),
    default="-asked",
    label=gettext_lazy("Pages of support requests"),
)


def requests_page(
    user: Any, params: Mapping[str, Any], *, status: str = ""
) -> ListPage[SupportRequest]:
    """One page of the support requests a person may see, by status, sorted as `params` ask."""
    return REQUEST_LIST.page(requests_filtered(user, status=status), params)


def requests_filtered(user: Any, *, status: str = "", board: str = "") -> QuerySet[SupportRequest]:
    """Support requests a person may see, by status and board number (empty means any), newest first."""
    rows = requests_for(user)
    if status:
        rows = rows.filter(status=status)
    if board:
        rows = rows.filter(board__number=board)
    return rows.order_by("-requested_at", "-id")


def team_places_for(user: Any) -> tuple[list[School], list[Board]]:
    """Where the person may start a plan or ask for support: schools they lead or serve, boards they lead."""
    return list(access.team_schools_for(user).select_related("board")), list(
        access.led_boards_for(user)
    )


# --- one plan and its parts ----------------------------------------------------------


def get_plan_for_user(user: Any, pk: int) -> tuple[Plan, access.PlanRights]:
    """The plan and what the person may do with it; 404 when unknown, PermissionDenied when out of scope."""
    plan = get_object_or_404(
        Plan.objects.select_related("board", "school", "support_contact"), pk=pk
    )
    rights = access.plan_rights(user, plan)
    if not rights.read:
        raise PermissionDenied
    return plan, rights


def plan_of(
    *, school_year: str, school: School | None = None, board: Board | None = None
) -> Plan | None:
    """The school's (or board's) plan for a year, if one exists; the caller checks the reader's rights."""
    owner: dict[str, Any] = (
        {"kind": Kind.SCHOOL, "school": school} if school else {"kind": Kind.BOARD, "board": board}
    )
    return Plan.objects.filter(school_year=school_year, **owner).first()


def school_by_number(number: str) -> School:
    """A school by its number, with its board; 404 when unknown (who may act for it is the service's check)."""
    return get_object_or_404(School.objects.select_related("board"), number=number)


def board_by_number(number: str) -> Board:
    """A board by its number; 404 when unknown."""
    return get_object_or_404(Board, number=number)


ITEM_MODELS: dict[str, type[Goal] | type[Target] | type[Strategy] | type[Checkpoint]] = {
    "goal": Goal,
    "target": Target,
    "strategy": Strategy,
    "checkpoint": Checkpoint,
}


def get_plan_item(plan: Plan, kind: str, item_id: int) -> Goal | Target | Strategy | Checkpoint:
    """One goal, target, strategy or checkpoint of `plan`; 404 when it belongs to another plan."""
    model: Any = ITEM_MODELS[kind]
    lookup: dict[str, Any] = (
        {"plan": plan} if kind in ("goal", "checkpoint") else {"goal__plan": plan}
    )
    item: Goal | Target | Strategy | Checkpoint = get_object_or_404(model, pk=item_id, **lookup)
    return item


def stored_copy(item: Model) -> Model:
    """A fresh copy of `item` from the database, for a form to write posted values onto."""
    return type(item)._default_manager.get(pk=item.pk)


def get_goal(plan: Plan, goal_id: int) -> Goal:
    return get_object_or_404(Goal, pk=goal_id, plan=plan)


def get_custom_target(plan: Plan, target_id: int) -> Target:
    """A target of `plan` measured by dated entries (not by assessment results)."""
    return get_object_or_404(Target, pk=target_id, goal__plan=plan, measure=Target.Measure.CUSTOM)


def get_entry(plan: Plan, entry_id: int) -> TargetEntry:
    return get_object_or_404(TargetEntry, pk=entry_id, target__goal__plan=plan)


def get_coreflection(plan: Plan, coreflection_id: Any) -> CoReflection:
    return get_object_or_404(CoReflection, pk=coreflection_id, plan=plan)


def plan_entries(plan: Plan) -> QuerySet[TargetEntry]:
    """The dated values of the plan's custom targets, target by target."""
    return (
        TargetEntry.objects.filter(target__goal__plan=plan)
        .select_related("target")
        .order_by("target_id", "on", "id")
    )


def tasks_done(plan: Plan) -> set[str]:
    return set(plan.tasks_done.values_list("task", flat=True))


def changes_since(plan: Plan, version: int) -> QuerySet[PlanChange]:
    """What changed in the plan after `version`: shown to someone whose edit met a newer version."""
    return PlanChange.objects.filter(plan=plan, version__gt=version).select_related("by")


def plan_changes(plan: Plan, limit: int = 500) -> list[PlanChange]:
    return list(plan.changes.select_related("by")[:limit])


def plan_submissions(plan: Plan, *, from_number: int = 0) -> QuerySet[Submission]:
    return plan.submissions.filter(number__gte=from_number).select_related(
        "submitted_by", "decided_by"
    )


def plan_latest_decision(plan: Plan) -> Submission | None:
    """The reviewer's latest decision on the plan (with its comments), shown at the top of the plan page.

    None before any decision. When the team has resubmitted since, it is still the
    latest word from the reviewer: the page says a newer submission waits.
    """
    return (
        plan.submissions.exclude(decision=Submission.Decision.PENDING)
        .select_related("decided_by")
        .order_by("-number")
        .first()
    )


def plan_requests(plan: Plan) -> QuerySet[SupportRequest]:
    return plan.support_requests.all()


def get_request_for_user(user: Any, pk: int) -> SupportRequest:
    """A support request the person may see; 404 when unknown, PermissionDenied when out of scope."""
    request = get_object_or_404(
        SupportRequest.objects.select_related(
            "board", "school", "plan", "requested_by", "answered_by"
        ),
        pk=pk,
    )
    if not requests_for(user).filter(pk=pk).exists():
        raise PermissionDenied
    return request


def timelines_set_by(*, every_board: bool, boards: list[Board]) -> QuerySet[Timeline]:
    """Timelines a person sets: every one for the ministry, their boards' otherwise."""
    rows = Timeline.objects.select_related("board")
    if not every_board:
        rows = rows.filter(board__in=boards)
    return rows.order_by("-school_year", "board__name")


# --- progress and tallies ------------------------------------------------------------


def progress_by_target(targets: list[Target]) -> dict[int, Progress]:
    """Live progress of many targets: one results query for every school-plan assessment target,
    one for every board-plan assessment target, one entries query for every custom target."""
    school_targets = [
        t for t in targets if t.measure == Target.Measure.ASSESSMENT and t.goal.plan.school_id
    ]
    values = school_values(
        [
            (t.goal.plan.school_id, t.assessment_id, t.group)  # type: ignore[misc]
            for t in school_targets
            if t.assessment_id is not None
        ]
    )
    entered = entered_values([t for t in targets if t.measure == Target.Measure.CUSTOM])
    board_targets = [
        t
        for t in targets
        if t.measure == Target.Measure.ASSESSMENT
        and not t.goal.plan.school_id
        and t.assessment_id is not None
    ]
    board_figures = boards_values(
        [(t.goal.plan.board_id, t.assessment_id, t.group) for t in board_targets]  # type: ignore[misc]
    )
    out: dict[int, Progress] = {}
    for t in targets:
        if t in school_targets:
            key = (t.goal.plan.school_id, t.assessment_id, t.group)
            out[t.pk] = target_progress(t, values.get(key, {}))  # type: ignore[arg-type]
        elif t in board_targets:
            key = (t.goal.plan.board_id, t.assessment_id, t.group)
            out[t.pk] = target_progress(t, board_figures.get(key, {}))  # type: ignore[arg-type]
        elif t.pk in entered:
            out[t.pk] = target_progress(t, entered[t.pk])
        else:
            out[t.pk] = target_progress(t)
    return out


def plan_targets(plan: Plan) -> list[tuple[Target, Progress]]:
    """The plan's targets, goal by goal, with their live progress."""
    targets = list(
        Target.objects.filter(goal__plan=plan)
        .select_related("goal__plan", "assessment")
        .order_by("goal__position", "goal_id", "id")
    )
    progress = progress_by_target(targets)
    return [(t, progress[t.pk]) for t in targets]


def _targets_by_status(plans: list[Plan]) -> dict[int, Counter[str]]:
    """For each plan, how many of its targets are met, on track, off track or without data."""
    out: dict[int, Counter[str]] = {p.pk: Counter() for p in plans}
    targets = list(Target.objects.filter(goal__plan__in=plans).select_related("goal__plan"))
    progress = progress_by_target(targets)
    for target in targets:
        out[target.goal.plan_id][progress[target.pk].status] += 1
    return out


def _open_requests_by_plan(plans: list[Plan]) -> dict[int, int]:
    return dict(
        SupportRequest.objects.filter(plan__in=plans, status=SupportRequest.Status.OPEN)
        .values_list("plan_id")
        .annotate(n=Count("id"))
    )


@dataclass
class PlanSummary:
    """One row of the API's plan list."""

    plan: Plan
    goals: int = 0
    targets: Counter[str] = field(default_factory=Counter)
    open_requests: int = 0

    def as_dict(self) -> dict[str, Any]:
        plan = self.plan
        return {
            "id": plan.pk,
            "kind": plan.kind,
            "school_number": plan.school.number if plan.school else None,
            "school_name": plan.school.name if plan.school else None,
            "board_number": plan.board.number,
            "board_name": plan.board.name,
            "school_year": plan.school_year,
            "title": plan.title,
            "stage": plan.stage,
            "review": plan.review,
            "focused_intervention": plan.focused_intervention,
            "version": plan.version,
            "goals": self.goals,
            "targets": {
                status: self.targets.get(status, 0)
                for status in (ON_TRACK, OFF_TRACK, MET, NO_DATA)
            },
            "open_support_requests": self.open_requests,
        }


def plan_summaries(plans: list[Plan]) -> list[PlanSummary]:
    """Goal count, targets by live progress and open support requests for each plan, in a few queries."""
    if not plans:
        return []
    rows = {p.pk: PlanSummary(p) for p in plans}
    for plan_id, n in (
        Goal.objects.filter(plan__in=plans).values_list("plan_id").annotate(n=Count("id"))
    ):
        rows[plan_id].goals = n
    for plan_id, counts in _targets_by_status(plans).items():
        rows[plan_id].targets = counts
    for plan_id, n in _open_requests_by_plan(plans).items():
        rows[plan_id].open_requests = n
    return list(rows.values())


# --- the dashboard -------------------------------------------------------------------


@dataclass
class PlanRow:
    """One row of the plan dashboard."""

    plan: Plan
    targets: Counter[str] = field(default_factory=Counter)
    overdue_checkpoints: int = 0
    open_requests: int = 0
    submit_by: datetime.date | None = None
    goal_areas: set[str] = field(default_factory=set)
    late: list[Any] = field(default_factory=list)  # cycle.Late: dates let pass (themes, issue 13)

    @property
    def submission_overdue(self) -> bool:
        today = timezone.localdate()
        return (
            self.submit_by is not None
            and self.submit_by < today
            and self.plan.stage == Stage.PLAN
            and self.plan.review in (Review.DRAFT, Review.RETURNED)
        )


def timelines_for(plans: list[Plan]) -> dict[tuple[int | None, str, str], Timeline]:
    years = {p.school_year for p in plans}
    return {
        (t.board_id, t.school_year, t.kind): t
        for t in Timeline.objects.filter(school_year__in=years)
    }


def timeline_of(
    plan: Plan, timelines: dict[tuple[int | None, str, str], Timeline]
) -> Timeline | None:
    """A school plan follows its board's timeline, a board plan the ministry's."""
    if plan.kind == Kind.SCHOOL:
        return timelines.get((plan.board_id, plan.school_year, Kind.SCHOOL))
    return timelines.get((None, plan.school_year, Kind.BOARD))


def dashboard(
    user: Any,
    params: Mapping[str, Any],
    *,
    board: str = "",
    year: str = "",
    stage: str = "",
    review: str = "",
    focused: str = "",
    area: str = "",
    mine: str = "",
) -> ListPage[PlanRow]:
    """One page of the plans a person may read, filtered and sorted as the page asks.

    `focused` is "yes", "no" or ""; `params` holds the sort and page (PLAN_LIST).
    Only the page's plans get their figures, in a fixed number of queries.
    """
    plans = plans_filtered(
        user,
        board=board,
        year=year,
        stage=stage,
        review=review,
        area=area,
        focused={"yes": True, "no": False}.get(focused),
        mine=mine == "yes",
    )
    return PLAN_LIST.page(plans, params, rows=_plan_rows)


def _plan_rows(chosen: list[Plan]) -> list[PlanRow]:
    """The dashboard's figures for these plans: targets by status, overdue checkpoints, requests, dates."""
    rows = {p.pk: PlanRow(p) for p in chosen}
    for plan_id, counts in _targets_by_status(chosen).items():
        rows[plan_id].targets = counts
    today = timezone.localdate()
    overdue = (
        Checkpoint.objects.filter(plan__in=chosen, due__lt=today, recorded_at__isnull=True)
        .values_list("plan_id")
        .annotate(n=Count("id"))
    )
    for plan_id, n in overdue:
        rows[plan_id].overdue_checkpoints = n
    for plan_id, n in _open_requests_by_plan(chosen).items():
        rows[plan_id].open_requests = n
    for plan_id, goal_area in Goal.objects.filter(plan__in=chosen).values_list("plan_id", "area"):
        rows[plan_id].goal_areas.add(goal_area)
    timelines = timelines_for(chosen)
    recorded = set(
        Checkpoint.objects.filter(plan__in=chosen, recorded_at__isnull=False)
        .values_list("plan_id", flat=True)
        .distinct()
    )
    for row in rows.values():
        timeline = timeline_of(row.plan, timelines)
        row.submit_by = timeline.submit_by if timeline else None
        # The other dates the plan let pass (the submission has its own column word).
        row.late = [
            item
            for item in plan_late_steps(
                row.plan, timeline, checkpoint_recorded=row.plan.pk in recorded, today=today
            )
            if item.step != SUBMIT_STEP
        ]
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
    school_year: str = ""  # the one period every column counts: plans of it, requests asked in it


def _median(days: list[float]) -> float | None:
    if not days:
        return None
    days = sorted(days)
    mid = len(days) // 2
    return round(days[mid] if len(days) % 2 else (days[mid - 1] + days[mid]) / 2, 1)


def reciprocity(user: Any, year: str) -> list[Reciprocity]:
    """Per board the reader can see: focused-intervention plans and targets set, requests answered and open.

    Every column counts one school year (September to August): the plans of `year` and their
    targets, and the support requests asked for during it (a request need not name a plan).
    """
    from capacity.schoolyears import is_school_year, year_start_of

    plans = plans_for(user).filter(school_year=year)
    requests = requests_for(user).none()
    if is_school_year(year):
        zone = timezone.get_current_timezone()
        begins = datetime.datetime(year_start_of(year), 9, 1, tzinfo=zone)
        ends = datetime.datetime(year_start_of(year) + 1, 9, 1, tzinfo=zone)
        requests = requests_for(user).filter(requested_at__gte=begins, requested_at__lt=ends)
    today = timezone.localdate()
    by_board: dict[str, dict[str, Any]] = {}

    def entry(name: str) -> dict[str, Any]:
        return by_board.setdefault(
            name,
            {
                "identified": 0,
                "targets": 0,
                "requests": 0,
                "answered": 0,
                "open": 0,
                "overdue": 0,
                "days": [],
            },
        )

    for name, n in (
        plans.filter(focused_intervention=True).values_list("board__name").annotate(n=Count("id"))
    ):
        entry(name)["identified"] = n
    for name, n in (
        Target.objects.filter(goal__plan__in=plans)
        .values_list("goal__plan__board__name")
        .annotate(n=Count("id"))
    ):
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

    out = []
    for name in sorted(by_board):
        e = dict(by_board[name])
        days = e.pop("days")
        out.append(
            Reciprocity(label=name, median_days_to_answer=_median(days), school_year=year, **e)
        )
    if access.scope_for(user).province and out:
        totals = {
            key: sum(by_board[name][key] for name in by_board)
            for key in ("identified", "targets", "requests", "answered", "open", "overdue")
        }
        every_day = [d for name in by_board for d in by_board[name]["days"]]
        out.append(
            Reciprocity(
                label=str(_("The province")),
                median_days_to_answer=_median(every_day),
                school_year=year,
                **totals,
            )
        )
    return out


def driver_balance(plan: Plan) -> tuple[list[tuple[str, Any, int]], bool]:
    """How many strategies use each driver, and whether the plan leans on the wrong ones.

    A plan leans on the wrong drivers when its strategies name accountability,
    individual quality, technology or fragmented strategies more often than
    the four right drivers together (Fullan's argument: the wrong drivers used
    as the lead do not change the instructional core).
    """
    counts: Counter[str] = Counter()
    for goal in plan.goals.all().prefetch_related("strategies"):
        for s in goal.strategies.all():
            counts.update(s.drivers or [])
    balance = [(d.value, d.label, counts.get(d.value, 0)) for d in Driver]
    right = sum(n for d, _label, n in balance if d in RIGHT_DRIVERS)
    wrong = sum(n for d, _label, n in balance if d not in RIGHT_DRIVERS)
    return balance, wrong > right


def too_many_goals(plan: Plan) -> bool:
    return plan.goals.count() > FOCUSED_GOALS


# --- the home page: what needs each person -----------------------------------------------
#
# Bounded reads for capacity/planning/home.py: each takes the plans (or the reader) it is
# about and costs the same few queries however many rows it returns.


def current_plans(
    user: Any, *, school_ids: frozenset[int], board_ids: frozenset[int]
) -> list[Plan]:
    """The newest school plan of each school and board plan of each board given, that the person may read."""
    if not school_ids and not board_ids:
        return []
    plans = plans_for(user).filter(
        Q(kind=Kind.SCHOOL, school_id__in=school_ids) | Q(kind=Kind.BOARD, board_id__in=board_ids)
    )
    newest: dict[tuple[str, int], Plan] = {}
    for plan in plans.order_by("-school_year", "id"):
        owner = plan.school_id if plan.kind == Kind.SCHOOL else plan.board_id
        newest.setdefault((plan.kind, owner), plan)  # type: ignore[arg-type]
    return sorted(newest.values(), key=lambda p: (p.kind, p.owner_name))


def latest_returns(plans: list[Plan]) -> dict[int, Submission]:
    """The submission each returned plan came back from, with the reviewer's comments."""
    returned = [p for p in plans if p.review == Review.RETURNED]
    out: dict[int, Submission] = {}
    for submission in (
        Submission.objects.filter(plan__in=returned, decision=Submission.Decision.RETURNED)
        .select_related("decided_by")
        .order_by("plan_id", "-number")
    ):
        out.setdefault(submission.plan_id, submission)
    return out


def open_checkpoints(plans: list[Plan], *, until: datetime.date) -> list[Checkpoint]:
    """The plans' checkpoints not yet recorded and due by `until` (overdue ones first), of plans not closed."""
    return list(
        Checkpoint.objects.filter(
            plan__in=[p for p in plans if p.stage != Stage.CLOSED],
            recorded_at__isnull=True,
            due__lte=until,
        )
        .select_related("plan__school", "plan__board")
        .order_by("due", "id")
    )


def plan_strategies(plans: list[Plan]) -> list[Strategy]:
    """Every strategy of the plans, goal by goal, with its plan."""
    return list(
        Strategy.objects.filter(goal__plan__in=plans)
        .select_related("goal__plan__school", "goal__plan__board")
        .order_by("goal__plan_id", "goal__position", "goal_id", "id")
    )


def plan_goals(plans: list[Plan]) -> list[tuple[Goal, Counter[str]]]:
    """The plans' goals with how many of each goal's targets are met, on track, off track or without data."""
    goals = list(
        Goal.objects.filter(plan__in=plans)
        .select_related("plan__school", "plan__board")
        .order_by("plan_id", "position", "id")
    )
    targets = list(Target.objects.filter(goal__in=goals).select_related("goal__plan", "assessment"))
    progress = progress_by_target(targets)
    counts: dict[int, Counter[str]] = {g.pk: Counter() for g in goals}
    for target in targets:
        counts[target.goal_id][progress[target.pk].status] += 1
    return [(g, counts[g.pk]) for g in goals]


def team_requests(
    user: Any, *, school_ids: frozenset[int], board_ids: frozenset[int], since: datetime.datetime
) -> list[SupportRequest]:
    """Support requests the person's teams asked: those still open, and those answered since `since`."""
    if not school_ids and not board_ids:
        return []
    asked = Q(school_id__in=school_ids) | Q(school__isnull=True, board_id__in=board_ids)
    return list(
        requests_for(user)
        .filter(asked)
        .filter(Q(status=SupportRequest.Status.OPEN) | Q(answered_at__gte=since))
        .order_by("-answered_at", "-requested_at", "-id")
    )


def requests_to_answer(user: Any, *, limit: int = 10) -> tuple[list[SupportRequest], int]:
    """Open support requests the person answers (oldest first) and how many there are.

    A board's leaders answer the requests addressed to their board; the ministry answers
    those addressed to it (it may answer any, but a board's own are the board's to answer first).
    """
    scope = access.scope_for(user)
    mine = Q(to_ministry=False, board_id__in=scope.led_board_ids)
    if scope.ministry:
        mine |= Q(to_ministry=True)
    # A portfolio (a family of schools, a ministry officer's boards) narrows the list to it.
    rows = requests_for(user).filter(
        mine, access.portfolio_first_filter(user), status=SupportRequest.Status.OPEN
    )
    return list(rows.order_by("requested_at", "id")[:limit]), rows.count()


def plans_to_review(user: Any, *, limit: int = 10) -> tuple[list[Plan], int]:
    """Plans waiting for the person's review (oldest submission first) and how many there are.

    A board leader reviews the school plans of the boards they lead; the ministry reviews
    every board's plan (it may review school plans too, but they are their board's first).
    """
    scope = access.scope_for(user)
    mine = Q(kind=Kind.SCHOOL, board_id__in=scope.led_board_ids)
    if scope.ministry:
        mine |= Q(kind=Kind.BOARD)
    rows = (
        plans_for(user)
        .filter(mine, access.portfolio_first_filter(user), review=Review.SUBMITTED)
        .annotate(submitted_at=Max("submissions__submitted_at"))
    )
    return list(rows.order_by("submitted_at", "id")[:limit]), rows.count()


@dataclass
class Overdue:
    """What is overdue in one plan: its submission (past the timeline's date) and checkpoints."""

    plan: Plan
    submission_due: datetime.date | None = None
    checkpoints: int = 0


def overdue_plans(plans: list[Plan]) -> list[Overdue]:
    """The plans with an overdue submission or overdue checkpoints, in the plans' order."""
    today = timezone.localdate()
    late = dict(
        Checkpoint.objects.filter(
            plan__in=[p for p in plans if p.stage != Stage.CLOSED],
            due__lt=today,
            recorded_at__isnull=True,
        )
        .values_list("plan_id")
        .annotate(n=Count("id"))
    )
    timelines = timelines_for(plans)
    out = []
    for plan in plans:
        row = PlanRow(plan)
        timeline = timeline_of(plan, timelines)
        row.submit_by = timeline.submit_by if timeline else None
        if row.submission_overdue or late.get(plan.pk):
            out.append(
                Overdue(
                    plan,
                    submission_due=row.submit_by if row.submission_overdue else None,
                    checkpoints=late.get(plan.pk, 0),
                )
            )
    return out


def plan_year_under_way(user: Any) -> str | None:
    """The school year whose plans are under way: the newest in which a plan the person may read was
    submitted (closing a year opens next year's drafts, which are not under way yet); without any
    submission, the newest year with a plan."""
    plans = plans_for(user)
    year: str | None = Submission.objects.filter(plan__in=plans.values("pk")).aggregate(
        year=Max("plan__school_year")
    )["year"]
    return year or plans.aggregate(year=Max("school_year"))["year"]


@dataclass(frozen=True)
class BoardOverdue:
    board: Board
    plans: int  # plans of the board (school and board plans) with something overdue
    checkpoints: int


def overdue_by_board(user: Any, *, year: str) -> list[BoardOverdue]:
    """Boards whose plans for `year` have an overdue submission or overdue checkpoints, most first."""
    plans = list(
        plans_for(user)
        .filter(access.portfolio_first_filter(user), school_year=year)
        .exclude(stage=Stage.CLOSED)
    )
    found: dict[int, list[Overdue]] = {}
    for row in overdue_plans(plans):
        found.setdefault(row.plan.board_id, []).append(row)
    out = [
        BoardOverdue(
            board=rows[0].plan.board,
            plans=len(rows),
            checkpoints=sum(r.checkpoints for r in rows),
        )
        for rows in found.values()
    ]
    return sorted(out, key=lambda b: (-b.plans, -b.checkpoints, b.board.name))


# --- the pages' version ------------------------------------------------------------

# The audit actions that change what planning pages show (roles, people, imports, timelines,
# plans started or ended by the evidence). Sign-ins and token changes do not.
_CHANGING = (
    Action.USER_CREATED,
    Action.USER_DEACTIVATED,
    Action.MEMBERSHIP_GRANTED,
    Action.MEMBERSHIP_REVOKED,
    Action.IMPORT_APPLIED,
    Action.DEMO_LOADED,
    Action.TIMELINE_SET,
    Action.PLANS_CREATED,
    Action.FOCUS_CLEARED,
    Action.PORTFOLIO_SAVED,  # a portfolio focuses home pages and dashboards
    Action.PORTFOLIO_DELETED,
)


def pages_version() -> str:
    """A stamp that changes whenever anything a home page or the plans dashboard shows may have.

    Read from the database on every call, in one query of counts and newest ids (each an
    index lookup or a count of a few thousand rows). Every change to a plan or its parts
    through the services writes a PlanChange and moves the plan's `updated_at`; the newest
    id of each part catches rows written some other way; support requests and their
    answers, people, roles, schools, networks and timelines are counted here or leave an
    audit entry; an edit in the admin leaves a log entry. The evidence's own data version
    covers results and policies, and the day covers what falls due. Pages keep their
    costly parts under this stamp (capacity/fragments.py), so a change shows on the next
    request.
    """
    from django.contrib.admin.models import LogEntry

    from capacity.evidence.selectors import data_version

    q = connection.ops.quote_name
    counted: tuple[type[Model], ...] = (
        Plan,
        SupportRequest,
        Timeline,
        Membership,
        User,
        Board,
        School,
        Network,
        *COUNTED,
    )
    newest: tuple[type[Model], ...] = (
        PlanChange,
        Goal,
        Target,
        TargetEntry,
        Strategy,
        Checkpoint,
        Submission,
        CoReflection,
        Reply,
        TaskDone,
        Network.schools.through,
        LogEntry,
    )

    # One row per table, each a plain aggregate, in a UNION ALL: PostgreSQL planned the same
    # figures as ninety scalar subqueries of one SELECT in 5-15 ms a request, these in about
    # one. Each row says where it stands (the stamp does not rest on the order UNION ALL
    # keeps); the newest values are text, as ids and times share the column. Table and
    # column names come from the models; values go as parameters.
    def branch(
        position: int, model: type[Model], counted: str, newest: str, where: str = ""
    ) -> str:
        return (
            f"SELECT {position} AS position, {counted} AS counted,"  # noqa: S608 - names from models
            f" CAST(MAX({q(newest)}) AS TEXT) AS newest FROM {q(model._meta.db_table)}{where}"
        )

    latest: list[tuple[type[Model], str]] = [
        *LATEST,
        (Plan, "updated_at"),
        (SupportRequest, "answered_at"),
    ]
    branches: list[tuple[type[Model], str, str]] = [
        *((model, "COUNT(*)", "id") for model in counted),
        *((model, "NULL", "id") for model in newest),
        *((model, "NULL", column) for model, column in latest),
    ]
    parts = [branch(i, *spec) for i, spec in enumerate(branches)]
    changing = ", ".join(["%s"] * len(_CHANGING))
    parts.append(branch(len(parts), AuditEntry, "NULL", "id", f" WHERE action IN ({changing})"))
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), [str(action) for action in _CHANGING])
        row = tuple((counted, newest) for _position, counted, newest in sorted(cursor.fetchall()))
    return f"{data_version()}:{timezone.localdate().isoformat()}:{row}"
