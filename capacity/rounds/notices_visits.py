"""The rounds app's messages: visits. Registered from RoundsConfig.ready.

Who hears of what:

* added to a visit's team: the people added (when the visit is planned, or later), with the
  date, the school and the facilitator, and a link to the visit;
* a visit's date changed: its team and its facilitator.

The person who acted is never told. A message names no classroom and no teacher: the school,
the date and the problem of practice are all it says.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from capacity.notifications import kinds
from capacity.notifications.services import notify_on_commit

if TYPE_CHECKING:
    from capacity.rounds.models import Visit


def register_kinds() -> None:
    kinds.register(
        "round_visit_team",
        subject=lambda p: (
            _("A classroom visit with you on %(date)s at %(school)s")
            % {"date": kinds.date(p["on"]), "school": p["school"]}
        ),
        body=lambda p: (
            _(
                "You are on the team visiting classrooms at %(school)s on %(date)s, facilitated "
                "by %(facilitator)s. The problem of practice: “%(problem)s”. On the day, take "
                "your notes from the visit's page on your phone; they describe what you see, "
                "never who."
            )
            % {
                "school": p["school"],
                "date": kinds.date(p["on"]),
                "facilitator": p["facilitator"],
                "problem": p["problem"],
            }
        ),
    )
    kinds.register(
        "round_visit_moved",
        subject=lambda p: (
            _("The classroom visit at %(school)s moved to %(date)s")
            % {"date": kinds.date(p["on"]), "school": p["school"]}
        ),
        body=lambda p: (
            _("The classroom visit at %(school)s planned for %(before)s is now on %(date)s.")
            % {
                "school": p["school"],
                "before": kinds.date(p["before"]),
                "date": kinds.date(p["on"]),
            }
        ),
    )


def _params(visit: Visit) -> dict[str, Any]:
    return {
        "visit": visit.pk,
        "school": str(visit.school),
        "on": visit.on.isoformat(),
        "facilitator": str(visit.facilitator),
        "problem": visit.problem.statement[:200],
    }


def visit_team_added(*, visit: Visit, people: list[Any], by: Any) -> None:
    """Tell the people added to a visit's team when and where it is."""
    notify_on_commit(
        recipients=people,
        exclude=by,
        kind="round_visit_team",
        params=_params(visit),
        url=reverse("rounds_visit", args=[visit.pk]),
        dedupe_key=f"round_visit_team:{visit.pk}:{visit.version}",
    )


def visit_date_changed(*, visit: Visit, people: list[Any], before: datetime.date, by: Any) -> None:
    """Tell the team and the facilitator the visit's new date."""
    notify_on_commit(
        recipients=list({p.pk: p for p in people}.values()),
        exclude=by,
        kind="round_visit_moved",
        params={**_params(visit), "before": before.isoformat()},
        url=reverse("rounds_visit", args=[visit.pk]),
        dedupe_key=f"round_visit_moved:{visit.pk}:{visit.version}",
    )
