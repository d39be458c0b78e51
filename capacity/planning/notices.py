"""Planning's messages: their wording, who hears of each event, and the overdue reminders.

Imported from PlanningConfig.ready, which registers the wording with
capacity.notifications. The services call the functions below; each sends its
message once the service's transaction commits (`notify` after commit), so a
refused or rolled-back change tells nobody. Who hears of what:

* plan submitted: the board's leaders (school plan) or the ministry's officers (board plan);
* returned (with the comments), accepted, co-reflection added: the plan's team
  (principal and school team; a board plan's board leaders);
* support request filed: whoever answers it (the board's leaders, or the ministry);
* answered: the person who asked and the team that asked;
* reminders (`capacity remind`, daily in the worker): overdue checkpoints of open
  plans and plans past their submission date, to the plan's team.

The person who acted is never told of their own act.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.notifications import kinds
from capacity.notifications.services import notify
from capacity.planning.models import (
    Checkpoint,
    CoReflection,
    Kind,
    Plan,
    Review,
    Stage,
    Submission,
    SupportRequest,
)

# --- wording ---------------------------------------------------------------------------------


def _stage(code: str) -> str:
    return str(Stage(code).label) if code in Stage.values else code


def _needed_by(p: dict[str, Any]) -> str:
    if not p.get("needed_by"):
        return ""
    return " " + _("Needed by %(date)s.") % {"date": kinds.date(p["needed_by"])}


def register_kinds() -> None:
    """Give each of planning's kinds its wording (in the active language when rendered)."""
    kinds.register(
        "plan_submitted",
        subject=lambda p: _("%(plan)s was submitted for review") % p,
        body=lambda p: (
            _(
                "%(by)s submitted the plan (submission %(number)s). Read it, then accept it or return it with comments."
            )
            % p
        ),
    )
    kinds.register(
        "plan_returned",
        subject=lambda p: _("%(plan)s was returned with comments") % p,
        body=lambda p: _("%(by)s returned the plan. Their comments:") % p + "\n" + p["comments"],
    )
    kinds.register(
        "plan_accepted",
        subject=lambda p: _("%(plan)s was accepted") % p,
        body=lambda p: (
            _("%(by)s accepted submission %(number)s. The team can now put the plan into action.")
            % p
        ),
    )
    kinds.register(
        "coreflection_added",
        subject=lambda p: _("A co-reflection on %(plan)s") % p,
        body=lambda p: (
            _("%(by)s co-reflected on the plan at the %(stage)s stage. Emergent themes:")
            % {**p, "stage": _stage(p["stage"])}
            + "\n"
            + p["themes"]
        ),
    )
    kinds.register(
        "support_requested",
        subject=lambda p: _("%(owner)s asks for support") % p,
        body=lambda p: (
            _("%(by)s asked for support. What they tried:") % p + "\n" + p["tried"] + _needed_by(p)
        ),
    )
    kinds.register(
        "support_answered",
        subject=lambda p: _("The support request of %(owner)s was answered") % p,
        body=lambda p: _("%(by)s answered:") % p + "\n" + p["answer"],
    )
    kinds.register(
        "checkpoint_overdue",
        subject=lambda p: _("A checkpoint of %(plan)s is overdue") % p,
        body=lambda p: (
            _(
                "“%(title)s” was due on %(due)s; nothing is recorded yet. Record what was gathered or change the date."
            )
            % {**p, "due": kinds.date(p["due"])}
        ),
    )
    kinds.register(
        "submission_overdue",
        subject=lambda p: _("%(plan)s is past its submission date") % p,
        body=lambda p: (
            _("The plan was to be submitted for review by %(due)s. Submit it when it is ready.")
            % {**p, "due": kinds.date(p["due"])}
        ),
    )
    kinds.register_reminders("planning", overdue)


# --- events ----------------------------------------------------------------------------------


def _after_commit(recipients: Callable[[], list[Any]], by: Any, **message: Any) -> None:
    """Send once the service's transaction commits; the recipients are read then too."""
    transaction.on_commit(
        lambda: notify(recipients=recipients(), exclude=by, **message), robust=True
    )


def _plan(plan: Plan, by: Any, **more: Any) -> dict[str, Any]:
    return {"plan": str(plan), "plan_id": plan.pk, "by": str(by), **more}


def _plan_url(plan: Plan) -> str:
    return reverse("plan_detail", args=[plan.pk])


def plan_submitted(*, plan: Plan, submission: Submission, by: Any) -> None:
    _after_commit(
        lambda: access.plan_reviewer_people(plan),
        by,
        kind="plan_submitted",
        params=_plan(plan, by, number=submission.number),
        url=_plan_url(plan),
    )


def plan_decided(*, plan: Plan, submission: Submission, by: Any) -> None:
    accepted = submission.decision == Submission.Decision.ACCEPTED
    _after_commit(
        lambda: access.plan_team_people(plan),
        by,
        kind="plan_accepted" if accepted else "plan_returned",
        params=_plan(plan, by, number=submission.number, comments=submission.comments),
        url=_plan_url(plan),
    )


def coreflection_added(*, entry: CoReflection, by: Any) -> None:
    plan = entry.plan
    _after_commit(
        lambda: access.plan_team_people(plan),
        by,
        kind="coreflection_added",
        params=_plan(plan, by, stage=entry.stage, themes=entry.themes),
        url=_plan_url(plan),
    )


def _owner(request: SupportRequest) -> str:
    return request.school.name if request.school is not None else request.board.name


def _asking_team(request: SupportRequest) -> list[Any]:
    if request.school_id is not None:
        team = access.school_team_people([request.school_id]).get(request.school_id, [])
    else:
        team = access.board_leader_people([request.board_id]).get(request.board_id, [])
    asker = request.requested_by
    return [asker, *team] if asker is not None and asker not in team else team


def support_requested(*, request: SupportRequest, by: Any) -> None:
    _after_commit(
        lambda: access.support_answerer_people(request),
        by,
        kind="support_requested",
        params={
            "owner": _owner(request),
            "request_id": request.pk,
            "by": str(by),
            "tried": request.tried,
            "needed_by": request.needed_by.isoformat() if request.needed_by else None,
        },
        url=reverse("support_detail", args=[request.pk]),
    )


def support_answered(*, request: SupportRequest, by: Any) -> None:
    _after_commit(
        lambda: _asking_team(request),
        by,
        kind="support_answered",
        params={
            "owner": _owner(request),
            "request_id": request.pk,
            "by": str(by),
            "answer": request.answer,
        },
        url=reverse("support_detail", args=[request.pk]),
    )


# --- reminders -------------------------------------------------------------------------------


def overdue(today: datetime.date) -> Iterator[kinds.Reminder]:
    """What is overdue on `today`: checkpoints of open plans with nothing recorded, and plans in
    the Plan stage, not submitted or returned, past their timeline's submission date."""
    from capacity.planning.selectors import timeline_of, timelines_for

    checkpoints = list(
        Checkpoint.objects.filter(due__lt=today, recorded_at__isnull=True)
        .exclude(plan__stage=Stage.CLOSED)
        .select_related("plan__school", "plan__board")
        .order_by("due", "id")
    )
    waiting = list(
        Plan.objects.filter(
            stage=Stage.PLAN, review__in=[Review.DRAFT, Review.RETURNED]
        ).select_related("school", "board")
    )
    timelines = timelines_for(waiting)
    late = [
        (plan, timeline.submit_by)
        for plan in waiting
        if (timeline := timeline_of(plan, timelines)) is not None and timeline.submit_by < today
    ]
    plans = [c.plan for c in checkpoints] + [plan for plan, _due in late]
    schools = access.school_team_people({p.school_id for p in plans if p.school_id is not None})
    boards = access.board_leader_people({p.board_id for p in plans if p.kind == Kind.BOARD})

    def team(plan: Plan) -> list[Any]:
        if plan.school_id is not None:
            return schools.get(plan.school_id, [])
        return boards.get(plan.board_id, [])

    for checkpoint in checkpoints:
        plan = checkpoint.plan
        yield kinds.Reminder(
            kind="checkpoint_overdue",
            item=f"checkpoint:{checkpoint.pk}",
            recipients=team(plan),
            params={
                "plan": str(plan),
                "plan_id": plan.pk,
                "title": checkpoint.title,
                "due": checkpoint.due.isoformat(),
            },
            url=_plan_url(plan),
        )
    for plan, due in late:
        yield kinds.Reminder(
            kind="submission_overdue",
            item=f"plan:{plan.pk}",
            recipients=team(plan),
            params={"plan": str(plan), "plan_id": plan.pk, "due": due.isoformat()},
            url=_plan_url(plan),
        )
