"""The rounds app's home items: visits (capacity/rounds/home.py joins the parts).

Visits coming up in the next 14 days, for the people on their team and their facilitator. On
the day, a team member's item leads straight to the notes page ("take notes").
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from capacity.homeitems import DUE, INFO, HomeItem, HomeSection
from capacity.rounds import selectors_visits as selectors
from capacity.rounds.models import VisitMember

LISTED = 8


def sections(user: Any) -> list[HomeSection]:
    coming = selectors.coming_up(user)
    if not coming:
        return []
    today = timezone.localdate()
    member_of = set(
        VisitMember.objects.filter(
            person_id=user.pk, visit_id__in=[v.pk for v in coming]
        ).values_list("visit_id", flat=True)
    )
    items = []
    for visit in coming[:LISTED]:
        member = visit.pk in member_of
        on_the_day = visit.on == today and member
        role = _("you facilitate") if visit.facilitator_id == user.pk else _("you are on the team")
        items.append(
            HomeItem(
                text=(
                    _("Take notes at %(school)s")
                    if on_the_day
                    else _("Classroom visit at %(school)s")
                )
                % {"school": visit.school.name},
                url=reverse("rounds_notes" if on_the_day else "rounds_visit", args=[visit.pk]),
                status=DUE if on_the_day else INFO,
                status_text=_("today") if on_the_day else role,
                on=visit.on,
                date_text=_("visit on"),
                detail=Truncator(visit.problem.statement).chars(140),
            )
        )
    return [
        HomeSection(
            heading_id="home-rounds-visits",
            title=_("Classroom visits coming up"),
            items=tuple(items),
            more_url=reverse("rounds_index"),
            more_text=_("All your rounds"),
            order=35,
        )
    ]
