"""Implementation's messages (see capacity/planning/notices.py for how messages work).

* Reminder (`capacity remind`, daily): a plan's team, the day after a checkpoint's date and
  again a week later, when some of the plan's strategies were not reviewed at it. Twice, not
  daily: the home page keeps the item in view meanwhile.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.directory import access
from capacity.notifications import kinds
from capacity.planning.models import Checkpoint, Kind, Stage, Strategy, StrategyReview

# Days after a checkpoint's date on which its team is reminded of strategies not reviewed.
REMIND_AFTER_DAYS = (1, 7)


def register_kinds() -> None:
    """The reminder's wording and source; the pages' version follows the reviews (home items are
    kept under it). Called from PlanningConfig.ready."""
    from capacity.planning.following import follow

    follow(counted=(StrategyReview,))
    kinds.register(
        "strategies_unreviewed",
        subject=lambda p: _("Strategies of %(plan)s were not reviewed at a checkpoint") % p,
        body=lambda p: (
            ngettext(
                "%(n)s strategy was not reviewed at “%(title)s” (%(due)s). Give its status and what shows it.",
                "%(n)s strategies were not reviewed at “%(title)s” (%(due)s). Give each its status and evidence.",
                p["n"],
            )
            % {**p, "due": kinds.date(p["due"])}
        ),
    )
    kinds.register_reminders("implementation", unreviewed)


def unreviewed(today: datetime.date) -> Iterator[kinds.Reminder]:
    """Checkpoints of open plans dated REMIND_AFTER_DAYS ago with strategies not reviewed at them."""
    from capacity.planning.selectors_implementation import checkpoint_unreviewed

    days = [today - datetime.timedelta(days=n) for n in REMIND_AFTER_DAYS]
    checkpoints = list(
        Checkpoint.objects.filter(due__in=days)
        .exclude(plan__stage=Stage.CLOSED)
        .filter(plan__in=Strategy.objects.values("goal__plan"))
        .select_related("plan__school", "plan__board")
        .order_by("due", "id")
    )
    plans = [c.plan for c in checkpoints]
    schools = access.school_team_people({p.school_id for p in plans if p.school_id is not None})
    boards = access.board_leader_people({p.board_id for p in plans if p.kind == Kind.BOARD})
    for checkpoint in checkpoints:
        plan = checkpoint.plan
        missing = checkpoint_unreviewed(checkpoint)
        if not missing:
            continue
        team: list[Any] = (
            schools.get(plan.school_id, [])
            if plan.school_id is not None
            else boards.get(plan.board_id, [])
        )
        yield kinds.Reminder(
            kind="strategies_unreviewed",
            item=f"checkpoint:{checkpoint.pk}",
            recipients=team,
            params={
                "plan": str(plan),
                "plan_id": plan.pk,
                "title": checkpoint.title,
                "due": checkpoint.due.isoformat(),
                "n": len(missing),
            },
            url=reverse("implementation_checkpoint", args=[plan.pk, checkpoint.pk]),
        )
