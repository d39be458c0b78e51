"""The rounds app's home items: debriefs to finish, for the people who run them (the visit's
facilitator and the school's rounds planners), visits at their debrief stage, oldest first."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from capacity.homeitems import DUE, HomeItem, HomeSection
from capacity.rounds import selectors_debrief

LISTED = 8


def sections(user: Any) -> list[HomeSection]:
    visits = selectors_debrief.visits_to_debrief(user)
    if not visits:
        return []
    items = tuple(
        HomeItem(
            text=_("Debrief of the visit to %(school)s") % {"school": visit.school},
            url=reverse("rounds_debrief", args=[visit.pk]),
            status=DUE,
            status_text=_("you facilitate") if visit.facilitator_id == user.pk else _("to finish"),
            on=visit.on,
            date_text=_("visited on"),
            detail=Truncator(visit.problem.statement).chars(160),
        )
        for visit in visits[:LISTED]
    )
    return [
        HomeSection(
            heading_id="home-rounds-debriefs",
            title=_("Debriefs to finish"),
            items=items,
            more_url=_index_url() if len(visits) > LISTED else "",
            more_text=_("All your rounds"),
            order=35,
        )
    ]


def _index_url() -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse("rounds_index")
    except NoReverseMatch:  # the visits part's pages are not there yet
        return ""
