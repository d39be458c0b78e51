"""Planning's items on the home pages: what each person must do next with a plan or a request.

* A school's team (principal, school team members) and a board's leaders for their own
  board plan: each plan's stage, next step and its date, the reviewer's comments when
  returned, checkpoints due or overdue, their support requests answered or waiting, and
  the strategies that name them as responsible.
* A teacher: the school plan's goals, the strategies for teachers, the checkpoints.
* A board leader: plans waiting for their review, support requests to answer with their
  age, the identified schools and their plans, what is overdue school by school.
* A trustee: the board plan's goals and how their targets stand (read only).
* A ministry officer: board plans waiting for review, requests to the ministry,
  reciprocity by board, boards with overdue plans.

Reads go through planning.selectors (scoped to the person); target progress passes the
disclosure gate there (planning/progress.py), and only counts of targets are shown.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.directory import access
from capacity.directory import selectors as directory_selectors
from capacity.directory.models import Role
from capacity.evidence import selectors as evidence_selectors
from capacity.evidence.analytics.identification import IDENTIFIED
from capacity.homeitems import (
    ANSWERED,
    DONE,
    DUE,
    OVERDUE,
    RETURNED,
    WAITING,
    HomeItem,
    HomeSection,
)
from capacity.homeitems import IDENTIFIED as IDENTIFIED_WORD
from capacity.planning import selectors
from capacity.planning.models import Plan, Review, Stage, SupportRequest
from capacity.planning.progress import LABELS as PROGRESS_LABELS
from capacity.planning.progress import MET, NO_DATA, OFF_TRACK, ON_TRACK, school_year_of

# How far ahead a checkpoint counts as coming up, and how long an answer stays news.
CHECKPOINT_DAYS = 30
ANSWER_DAYS = 60
LIST_LIMIT = 10

# Words in a strategy's "who is responsible" that name a role (English and French).
_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    Role.PRINCIPAL: ("principal", "direction", "directeur", "directrice"),
    Role.TEACHER: ("teacher", "enseignant"),
}


def sections(user: Any) -> list[HomeSection]:
    """The planning sections the person's roles call for (see capacity/homeitems.py)."""
    scope = access.scope_for(user)
    if scope.empty:
        return []
    out: list[HomeSection] = []
    if scope.may_review_plans:
        out.append(_to_review(user, order=5))
        out.append(_to_answer(user, order=8))
    if scope.team_school_ids or scope.led_board_ids:
        plans = selectors.current_plans(
            user, school_ids=scope.team_school_ids, board_ids=scope.led_board_ids
        )
        out.append(_plans(plans, order=10))
        out.append(_checkpoints(plans, order=20))
        out.append(_team_requests(user, scope, order=30))
        out.append(_strategies_led(user, scope, plans, order=40))
    teacher_schools = frozenset(scope.school_ids - scope.team_school_ids)
    if teacher_schools and Role.TEACHER in scope.roles:
        plans = selectors.current_plans(user, school_ids=teacher_schools, board_ids=frozenset())
        out.append(_goals(plans, order=10, trustee=False))
        out.append(_teacher_strategies(user, plans, order=20))
        out.append(_checkpoints(plans, order=30))
    if scope.led_board_ids:
        out.append(_identified_schools(user, scope.led_board_ids, order=25))
        out.append(_overdue_by_school(user, scope.led_board_ids, order=28))
    trustee_boards = frozenset(scope.board_ids - scope.led_board_ids)
    if trustee_boards and Role.TRUSTEE in scope.roles:
        plans = selectors.current_plans(user, school_ids=frozenset(), board_ids=trustee_boards)
        out.append(_goals(plans, order=10, trustee=True))
    if scope.ministry:
        year = selectors.plan_year_under_way(user)
        out.append(_reciprocity(user, school_year_of(timezone.localdate()), order=70))
        out.append(_overdue_by_board(user, year, order=75))
    return out


# --- small helpers -----------------------------------------------------------------------


def _plan_url(plan: Plan) -> str:
    return reverse("plan_detail", args=[plan.pk])


def _plans_url(**filters: str) -> str:
    return reverse("plan_list") + ("?" + urlencode(filters) if filters else "")


def _days(since: datetime.date, today: datetime.date) -> int:
    return max((today - since).days, 0)


def _waiting(days: int) -> str:
    return ngettext("waiting %(days)s day", "waiting %(days)s days", days) % {"days": days}


def _quote(text: str, words: int = 30) -> str:
    return Truncator(" ".join(text.split())).words(words)


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _stage_word(plan: Plan) -> str:
    return _("%(stage)s stage, %(review)s") % {
        "stage": Stage(plan.stage).label,
        "review": str(Review(plan.review).label).lower(),
    }


# --- the team's plans ---------------------------------------------------------------------


def _next_step(plan: Plan, timeline: Any) -> tuple[str, datetime.date | None]:
    """What the plan's team does next, and the timeline's date for it (None when none is set)."""

    def date(name: str) -> datetime.date | None:
        return getattr(timeline, name) if timeline is not None else None

    if plan.stage == Stage.PLAN:
        if plan.review == Review.SUBMITTED:
            return _("Next: wait for the reviewer's decision."), None
        if plan.review == Review.RETURNED:
            return _("Next: answer the reviewer's comments and submit the plan again."), date(
                "submit_by"
            )
        if plan.review == Review.ACCEPTED:
            return _("Next: put the plan into action (move it to Act)."), date("act_by")
        return _("Next: finish the plan and submit it for review."), date("submit_by")
    if plan.stage == Stage.ACT:
        return _("Next: check progress at the checkpoints (move to Observe)."), date("observe_by")
    if plan.stage == Stage.OBSERVE:
        return _("Next: reflect on the goals and targets (move to Reflect)."), date("reflect_by")
    if plan.stage == Stage.REFLECT:
        return _("Next: write the reflection on overall impact and close the year."), date(
            "reflect_by"
        )
    return _("The year is closed."), None


def _plans(plans: list[Plan], *, order: int) -> HomeSection:
    """Each plan the person's team owns: stage, next step and its date, and comments when returned."""
    today = timezone.localdate()
    timelines = selectors.timelines_for(plans)
    returns = selectors.latest_returns(plans)
    items: list[HomeItem] = []
    for plan in plans:
        step, due = _next_step(plan, selectors.timeline_of(plan, timelines))
        overdue = due is not None and due < today
        status, word = (
            (OVERDUE, _("Overdue"))
            if overdue
            else (RETURNED, _("Returned"))
            if plan.review == Review.RETURNED
            else (WAITING, _("Waiting for review"))
            if plan.review == Review.SUBMITTED
            else (DONE, _("Closed"))
            if plan.stage == Stage.CLOSED
            else (DUE, _("To do"))
        )
        items.append(
            HomeItem(
                text=_("%(owner)s, plan for %(year)s: %(stage)s.")
                % {"owner": plan.owner_name, "year": plan.school_year, "stage": _stage_word(plan)},
                url=_plan_url(plan),
                status=status,
                status_text=word,
                on=due,
                date_text=_("due") if due else "",
                detail=step,
            )
        )
        returned = returns.get(plan.pk)
        if returned is not None:
            who = returned.decided_by
            items.append(
                HomeItem(
                    text=(
                        _("%(person)s returned the plan with comments: “%(comments)s”")
                        % {"person": who, "comments": _quote(returned.comments)}
                        if who
                        else _("The plan was returned with comments: “%(comments)s”")
                        % {"comments": _quote(returned.comments)}
                    ),
                    url=_plan_url(plan),
                    status=RETURNED,
                    status_text=_("Returned"),
                    on=_local_date(returned.decided_at),
                    date_text=_("returned"),
                    detail=_("Change the plan and submit it again."),
                )
            )
    return HomeSection(
        heading_id="home-plans",
        title=_("Your plans"),
        items=tuple(items),
        empty=_(
            "Your team has no improvement plan yet. Start one from Plans: its stage, next step, "
            "dates and the reviewer's comments appear here."
        ),
        more_url=reverse("plan_list"),
        more_text=_("All plans you can see"),
        order=order,
    )


def _checkpoints(plans: list[Plan], *, order: int) -> HomeSection:
    """Checkpoints overdue or due within CHECKPOINT_DAYS, in the plans given."""
    today = timezone.localdate()
    rows = selectors.open_checkpoints(plans, until=today + datetime.timedelta(days=CHECKPOINT_DAYS))
    items = tuple(
        HomeItem(
            text=_("%(title)s (%(owner)s)") % {"title": c.title, "owner": c.plan.owner_name},
            url=_plan_url(c.plan),
            status=OVERDUE if c.due < today else DUE,
            status_text=_("Overdue") if c.due < today else _("Coming up"),
            on=c.due,
            date_text=_("due"),
            detail=_("Record the evidence gathered and the progress seen."),
        )
        for c in rows[:LIST_LIMIT]
    )
    return HomeSection(
        heading_id="home-checkpoints",
        title=_("Checkpoints due"),
        items=items,
        empty=_(
            "No checkpoint is overdue or due in the next %(days)s days. "
            "Checkpoints of your plan appear here when they are."
        )
        % {"days": CHECKPOINT_DAYS},
        order=order,
    )


def _team_requests(user: Any, scope: access.Scope, *, order: int) -> HomeSection:
    """The team's support requests: answers received lately, and requests still waiting."""
    today = timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=ANSWER_DAYS)
    rows = selectors.team_requests(
        user, school_ids=scope.team_school_ids, board_ids=scope.led_board_ids, since=since
    )
    items = []
    for r in rows[:LIST_LIMIT]:
        owner = r.school.name if r.school else r.board.name
        answerer = _("the ministry") if r.to_ministry else r.board.name
        if r.status == SupportRequest.Status.OPEN:
            late = r.needed_by is not None and r.needed_by < today
            items.append(
                HomeItem(
                    text=_("%(owner)s asked %(whom)s: “%(tried)s”")
                    % {"owner": owner, "whom": answerer, "tried": _quote(r.tried, 20)},
                    url=reverse("support_detail", args=[r.pk]),
                    status=OVERDUE if late else WAITING,
                    status_text=_("Past its date") if late else _("Waiting for an answer"),
                    on=_local_date(r.requested_at),
                    date_text=_("asked"),
                    detail=_waiting(_days(timezone.localdate(r.requested_at), today)),
                )
            )
        else:
            items.append(
                HomeItem(
                    text=_("%(whom)s answered: “%(answer)s”")
                    % {"whom": r.answered_by or answerer, "answer": _quote(r.answer)},
                    url=reverse("support_detail", args=[r.pk]),
                    status=ANSWERED,
                    status_text=_("Answered"),
                    on=_local_date(r.answered_at),
                    date_text=_("answered"),
                    detail=_("You asked: “%(tried)s”") % {"tried": _quote(r.tried, 15)},
                )
            )
    return HomeSection(
        heading_id="home-support",
        title=_("Support you asked for"),
        items=tuple(items),
        empty=_(
            "No support request is waiting and none was answered in the last %(days)s days. "
            "Answers to your requests appear here."
        )
        % {"days": ANSWER_DAYS},
        more_url=reverse("support_list"),
        more_text=_("All support requests"),
        order=order,
    )


def _names(user: Any, scope: access.Scope, roles: tuple[str, ...]) -> list[str]:
    """Words that name the person in a strategy's "who is responsible": name, titles, role."""
    words = [str(user), *directory_selectors.role_titles(user=user)]
    for role in roles:
        if role in scope.roles:
            words.extend(_ROLE_WORDS.get(role, ()))
    return [w.casefold() for w in words if w and w.strip()]


def _names_in(names: list[str], responsible: str) -> bool:
    """Whether `responsible` names one of `names` as a word of its own ("Vice-principal" is not
    the principal; "teachers" names teachers)."""
    text = responsible.casefold()
    return any(re.search(rf"(?<![\w-]){re.escape(name)}", text) for name in names)


def _strategy_items(strategies: list[Any]) -> tuple[HomeItem, ...]:
    return tuple(
        HomeItem(
            text=_quote(s.action, 25),
            url=_plan_url(s.goal.plan),
            on=s.ends,
            date_text=_("ends") if s.ends else "",
            detail=_("Who: %(who)s. Goal: %(goal)s")
            % {"who": s.responsible, "goal": _quote(s.goal.statement, 15)},
        )
        for s in strategies[:LIST_LIMIT]
    )


def _strategies_led(
    user: Any, scope: access.Scope, plans: list[Plan], *, order: int
) -> HomeSection:
    """Strategies whose "who is responsible" names the person: their name, title or role."""
    names = _names(user, scope, (Role.PRINCIPAL,))
    mine = [s for s in selectors.plan_strategies(plans) if _names_in(names, s.responsible)]
    return HomeSection(
        heading_id="home-strategies",
        title=_("Strategies you lead"),
        items=_strategy_items(mine),
        empty=_(
            "No strategy in your plans names you, your title or your role as responsible. "
            "Strategies that do appear here."
        ),
        order=order,
    )


def _teacher_strategies(user: Any, plans: list[Plan], *, order: int) -> HomeSection:
    """Strategies teachers take part in: those naming teachers, the person or their title."""
    names = _names(user, access.scope_for(user), (Role.TEACHER,))
    mine = [s for s in selectors.plan_strategies(plans) if _names_in(names, s.responsible)]
    return HomeSection(
        heading_id="home-teacher-strategies",
        title=_("Strategies you take part in"),
        items=_strategy_items(mine),
        empty=_(
            "No strategy in your school's plan names teachers, you or your title as responsible. "
            "Strategies that do appear here."
        ),
        order=order,
    )


def _progress_text(counts: Counter[str]) -> str:
    if not counts:
        return _("No target set yet.")
    return ", ".join(
        f"{PROGRESS_LABELS[status]}: {number_format(counts[status])}"
        for status in (MET, ON_TRACK, OFF_TRACK, NO_DATA)
        if counts.get(status)
    )


def _goals(plans: list[Plan], *, order: int, trustee: bool) -> HomeSection:
    """The plans' goals with how their targets stand (counts only: no figure is shown here)."""
    items = tuple(
        HomeItem(
            text=_quote(goal.statement, 30),
            url=_plan_url(goal.plan),
            detail=_("%(owner)s, %(year)s. Targets: %(progress)s")
            % {
                "owner": goal.plan.owner_name,
                "year": goal.plan.school_year,
                "progress": _progress_text(counts),
            },
        )
        for goal, counts in selectors.plan_goals(plans)[:LIST_LIMIT]
    )
    if trustee:
        return HomeSection(
            heading_id="home-board-goals",
            title=_("The board's goals and progress"),
            items=items,
            empty=_(
                "The board has no improvement plan with goals yet. Its goals and how their "
                "targets stand appear here once it does."
            ),
            order=order,
        )
    return HomeSection(
        heading_id="home-goals",
        title=_("Your school's plan: its goals"),
        items=items,
        empty=_(
            "Your school's plan has no goals yet. The goals and how their targets stand appear "
            "here once the school team writes them."
        ),
        order=order,
    )


# --- the system side: reviews, answers, oversight -------------------------------------------


def _to_review(user: Any, *, order: int) -> HomeSection:
    """Plans waiting for the person's review, oldest first."""
    today = timezone.localdate()
    plans, count = selectors.plans_to_review(user, limit=LIST_LIMIT)
    items = []
    for plan in plans:
        sent = _local_date(getattr(plan, "submitted_at", None))
        items.append(
            HomeItem(
                text=_("%(owner)s, plan for %(year)s")
                % {"owner": plan.owner_name, "year": plan.school_year},
                url=_plan_url(plan),
                status=WAITING,
                status_text=_("Waiting for review"),
                on=sent,
                date_text=_("submitted"),
                detail=_waiting(_days(sent, today)) if sent else "",
            )
        )
    more = ngettext(
        "All %(count)s plan waiting for review",
        "All %(count)s plans waiting for review",
        count,
    ) % {"count": number_format(count, force_grouping=True)}
    focused = access.scope_for(user).has_portfolio
    if focused:  # the list holds the portfolio's plans only: always lead to everyone's
        more_url, more = _plans_url(review=Review.SUBMITTED), _("Every plan waiting for review")
    else:
        more_url = _plans_url(review=Review.SUBMITTED) if count > len(items) else ""
    return HomeSection(
        heading_id="home-review",
        title=_("Plans from your portfolio waiting for your review")
        if focused
        else _("Plans waiting for your review"),
        items=tuple(items),
        empty=_(
            "No plan is waiting for your review. Plans submitted to you appear here, oldest first."
        ),
        more_url=more_url,
        more_text=more,
        order=order,
    )


def _to_answer(user: Any, *, order: int) -> HomeSection:
    """Open support requests the person answers, oldest first, with their age."""
    today = timezone.localdate()
    rows, count = selectors.requests_to_answer(user, limit=LIST_LIMIT)
    items = []
    for r in rows:
        asked = timezone.localdate(r.requested_at)
        late = r.needed_by is not None and r.needed_by < today
        items.append(
            HomeItem(
                text=_("%(owner)s: “%(tried)s”")
                % {
                    "owner": r.school.name if r.school else r.board.name,
                    "tried": _quote(r.tried, 20),
                },
                url=reverse("support_detail", args=[r.pk]),
                status=OVERDUE if late else WAITING,
                status_text=_("Past its date") if late else _("Waiting for an answer"),
                on=asked,
                date_text=_("asked"),
                detail=_waiting(_days(asked, today)),
            )
        )
    focused = access.scope_for(user).has_portfolio
    all_open = reverse("support_list") + "?" + urlencode({"status": SupportRequest.Status.OPEN})
    return HomeSection(
        heading_id="home-answer",
        title=_("Support requests from your portfolio to answer")
        if focused
        else _("Support requests to answer"),
        items=tuple(items),
        empty=_(
            "No support request is waiting for your answer. Requests addressed to you appear "
            "here, oldest first, with how long they have waited."
        ),
        more_url=all_open if focused or count > len(items) else "",
        more_text=_("Every open request")
        if focused
        else ngettext("All %(count)s open request", "All %(count)s open requests", count)
        % {"count": number_format(count, force_grouping=True)},
        order=order,
    )


def _board_school_ids(user: Any, board_ids: frozenset[int]) -> dict[int, Any]:
    """The led boards' schools; the person's family of schools (and schools in nobody's family)
    when they have one."""
    schools = access.schools_for(user).filter(
        access.portfolio_first_filter(user, board="board_id", school="pk"),
        board_id__in=board_ids,
    )
    return {s.pk: s for s in schools}


def _identified_schools(user: Any, board_ids: frozenset[int], *, order: int) -> HomeSection:
    """The led boards' schools identified for focused intervention, each with its plan's stage."""
    schools = _board_school_ids(user, board_ids)
    policy = evidence_selectors.get_policy()
    year = evidence_selectors.default_year(policy)
    items: list[HomeItem] = []
    chosen: dict[int, Any] = {}
    if year is not None and schools:
        found = evidence_selectors.schools_identification(
            numbers=[s.number for s in schools.values()], policy=policy, year=year
        )
        numbers = {s.school_number for s in found.schools if s.status == IDENTIFIED}
        chosen = {pk: s for pk, s in schools.items() if s.number in numbers}
        plans = {
            p.school_id: p
            for p in selectors.current_plans(
                user, school_ids=frozenset(chosen), board_ids=frozenset()
            )
        }
        for pk, school in sorted(chosen.items(), key=lambda kv: kv[1].name)[:LIST_LIMIT]:
            plan = plans.get(pk)
            items.append(
                HomeItem(
                    text=school.name,
                    url=_plan_url(plan)
                    if plan
                    else reverse("school_evidence", args=[school.number]),
                    status=IDENTIFIED_WORD,
                    status_text=_("Identified"),
                    detail=_("Plan for %(year)s: %(stage)s.")
                    % {"year": plan.school_year, "stage": _stage_word(plan)}
                    if plan
                    else _("No plan yet."),
                )
            )
    return HomeSection(
        heading_id="home-identified",
        title=_("Identified schools and their plans"),
        items=tuple(items),
        empty=_(
            "None of your board's schools is identified for focused intervention in the latest "
            "results. Identified schools and the stage of their plans appear here."
        ),
        more_url=_plans_url(focused="yes") if len(chosen) > len(items) else "",
        more_text=ngettext(
            "All %(count)s identified school's plans",
            "All %(count)s identified schools' plans",
            len(chosen),
        )
        % {"count": len(chosen)},
        order=order,
    )


def _overdue_text(submission_due: datetime.date | None, checkpoints: int) -> str:
    parts = []
    if submission_due is not None:
        parts.append(_("the plan was not submitted by its date"))
    if checkpoints:
        parts.append(
            ngettext("%(count)s checkpoint overdue", "%(count)s checkpoints overdue", checkpoints)
            % {"count": checkpoints}
        )
    return "; ".join(parts)


def _overdue_by_school(user: Any, board_ids: frozenset[int], *, order: int) -> HomeSection:
    """What is overdue in the led boards' schools' plans, school by school."""
    schools = _board_school_ids(user, board_ids)
    plans = selectors.current_plans(user, school_ids=frozenset(schools), board_ids=frozenset())
    rows = selectors.overdue_plans(plans)
    items = tuple(
        HomeItem(
            text=row.plan.owner_name,
            url=_plan_url(row.plan),
            status=OVERDUE,
            status_text=_("Overdue"),
            on=row.submission_due,
            date_text=_("due") if row.submission_due else "",
            detail=_overdue_text(row.submission_due, row.checkpoints),
        )
        for row in rows[:LIST_LIMIT]
    )
    return HomeSection(
        heading_id="home-overdue",
        title=_("Overdue, school by school"),
        items=items,
        empty=_(
            "Nothing is overdue in your board's schools' plans. A school whose plan was not "
            "submitted on time or whose checkpoints are overdue appears here."
        ),
        more_url=reverse("plan_list") if len(rows) > len(items) else "",
        more_text=_("All plans"),
        order=order,
    )


def _reciprocity(user: Any, year: str, *, order: int) -> HomeSection:
    """Per board: support requests asked this school year, open and answered, and how long answers take."""
    rows = [r for r in selectors.reciprocity(user, year) if r.requests]
    province = str(_("The province"))
    boards = sorted(
        (r for r in rows if r.label != province), key=lambda r: (-r.open, -r.overdue, r.label)
    )
    items = tuple(
        HomeItem(
            text=r.label,
            status=OVERDUE if r.overdue else WAITING if r.open else DONE,
            status_text=_("Past its date")
            if r.overdue
            else _("Waiting for an answer")
            if r.open
            else _("Answered"),
            detail=_("%(open)s open, %(overdue)s past their date, %(answered)s answered")
            % {"open": r.open, "overdue": r.overdue, "answered": r.answered}
            + (
                "; "
                + _("median %(days)s days to answer")
                % {"days": number_format(r.median_days_to_answer, decimal_pos=1)}
                if r.median_days_to_answer is not None
                else ""
            ),
        )
        for r in boards[:LIST_LIMIT]
    )
    return HomeSection(
        heading_id="home-reciprocity",
        title=_("Reciprocity by board, %(year)s") % {"year": year},
        items=items,
        empty=_(
            "No board or school has asked for support this school year. Each board's open and "
            "answered requests, and how long answers take, appear here."
        ),
        more_url=reverse("plan_list"),
        more_text=_("The reciprocity table"),
        order=order,
    )


def _overdue_by_board(user: Any, year: str | None, *, order: int) -> HomeSection:
    """Boards whose plans for the newest year have something overdue, most first."""
    rows = selectors.overdue_by_board(user, year=year) if year is not None else []
    items = tuple(
        HomeItem(
            text=row.board.name,
            url=_plans_url(board=row.board.number, year=year or ""),
            status=OVERDUE,
            status_text=_("Overdue"),
            detail=ngettext(
                "%(plans)s plan with something overdue",
                "%(plans)s plans with something overdue",
                row.plans,
            )
            % {"plans": row.plans}
            + "; "
            + ngettext(
                "%(count)s checkpoint overdue", "%(count)s checkpoints overdue", row.checkpoints
            )
            % {"count": row.checkpoints},
        )
        for row in rows[:LIST_LIMIT]
    )
    return HomeSection(
        heading_id="home-overdue-boards",
        title=_("Boards with overdue plans"),
        items=items,
        empty=_(
            "No board's plans have anything overdue. A board whose plans were not submitted on "
            "time or whose checkpoints are overdue appears here."
        ),
        more_url=_plans_url(year=year) if year else "",
        more_text=_("All plans for %(year)s") % {"year": year} if year else "",
        order=order,
    )
