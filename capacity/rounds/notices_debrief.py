"""The rounds app's messages: a debrief finished. Registered from RoundsConfig.ready.

When a visit's debrief is finished, the people on the visit's team and the school's team (its
principal and school team members) are told, with the themes the team named, and are led to
the debrief. The person who finished it is not told.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.notifications import kinds
from capacity.notifications.services import notify_on_commit

if TYPE_CHECKING:
    from capacity.rounds.models import Visit

KIND = "rounds_debrief_finished"


def register_kinds() -> None:
    kinds.register(
        KIND,
        subject=lambda p: (
            _("The debrief of the visit to %(school)s is finished") % {"school": p["school"]}
        ),
        body=lambda p: (
            _(
                "The team finished the debrief of the visit to %(school)s on %(date)s. "
                "Themes: %(themes)s. Read the themes, the prediction and the next level of work."
            )
            % {
                "school": p["school"],
                "date": kinds.date(p["on"]),
                "themes": "; ".join(p.get("themes") or []) or "—",
            }
        ),
    )


def recipients(visit: Visit) -> list[Any]:
    """The visit's team and the school's team, each person once."""
    from django.contrib.auth import get_user_model

    people = {
        p.pk: p
        for p in get_user_model().objects.filter(
            pk__in=visit.members.values_list("person_id", flat=True)
        )
    }
    for person in access.school_team_people([visit.school_id]).get(visit.school_id, []):
        people.setdefault(person.pk, person)
    return list(people.values())


def debrief_finished(*, visit: Visit, by: Any) -> None:
    from capacity.rounds.selectors_debrief import stored_grouping

    grouping = stored_grouping(visit)
    themes = [g.name for g in grouping.groups if g.name] if grouping is not None else []
    notify_on_commit(
        recipients=recipients(visit),
        exclude=by,
        kind=KIND,
        params={
            "visit": visit.pk,
            "school": str(visit.school),
            "on": visit.on.isoformat(),
            "themes": themes,
        },
        url=reverse("rounds_debrief", args=[visit.pk]),
        dedupe_key=f"{KIND}:{visit.pk}",
    )
