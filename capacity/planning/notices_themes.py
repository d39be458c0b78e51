"""The daily reminder that a plan let a timeline date pass (issue 13): not in Act by act_by, no
checkpoint recorded by observe_by, not reflected on by reflect_by. The submission date has its
own reminder (planning/notices.py). Sent to the plan's team, once per plan, step and day
(`capacity remind`, daily in the worker), like the other reminders."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.notifications import kinds
from capacity.planning.cycle import LATE_TEXT, SUBMIT
from capacity.planning.models import Kind, Plan, Stage


def register_kinds() -> None:
    kinds.register(
        "plan_late",
        subject=lambda p: _("%(plan)s is late") % p,
        body=lambda p: (
            _("%(what)s (%(date)s). Open the plan to catch up, or ask for support.")
            % {"what": LATE_TEXT.get(p["step"], ""), "date": kinds.date(p["due"])}
        ),
    )
    kinds.register_reminders("planning_timelines", late_plans)


def late_plans(today: datetime.date) -> Iterator[kinds.Reminder]:
    """One reminder per open plan and step whose timeline date passed before `today`."""
    from capacity.planning.selectors_themes import lateness

    plans = list(Plan.objects.exclude(stage=Stage.CLOSED).select_related("school", "board"))
    late = lateness(plans, today=today)
    plans = [p for p in plans if any(item.step != SUBMIT for item in late[p.pk])]
    schools = access.school_team_people({p.school_id for p in plans if p.school_id is not None})
    boards = access.board_leader_people({p.board_id for p in plans if p.kind == Kind.BOARD})

    def team(plan: Plan) -> list[Any]:
        if plan.school_id is not None:
            return schools.get(plan.school_id, [])
        return boards.get(plan.board_id, [])

    for plan in plans:
        for item in late[plan.pk]:
            if item.step == SUBMIT:
                continue
            yield kinds.Reminder(
                kind="plan_late",
                item=f"plan:{plan.pk}:{item.step}",
                recipients=team(plan),
                params={
                    "plan": str(plan),
                    "plan_id": plan.pk,
                    "step": item.step,
                    "due": item.due.isoformat(),
                },
                url=reverse("plan_detail", args=[plan.pk]),
            )
