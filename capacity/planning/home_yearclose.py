"""Home-page items for year close goal by goal (see capacity/homeitems.py).

A plan's team (a school's principal and team for the school plan, a board's leaders for the board
plan): each of their plans at Reflect whose goals are not all decided for next year, linked to
the year-close page. The year cannot close before every goal is decided, so this is work to do.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.directory import access
from capacity.homeitems import DUE, HomeItem, HomeSection
from capacity.planning import selectors_yearclose as yc


def sections(user: Any) -> list[HomeSection]:
    scope = access.scope_for(user)
    if scope.empty or not (scope.team_school_ids or scope.led_board_ids):
        return []
    items = [
        HomeItem(
            text=ngettext(
                "%(plan)s: decide %(n)s goal for next year",
                "%(plan)s: decide %(n)s goals for next year",
                u.goals,
            )
            % {"plan": f"{u.plan.owner_name} {u.plan.school_year}", "n": u.goals},
            url=reverse("yearclose_plan", args=[u.plan.pk]),
            status=DUE,
            status_text=_("to decide"),
        )
        for u in yc.undecided_for_team(user)
    ]
    if not items:  # nothing to decide: the section would only add noise to the page
        return []
    return [
        HomeSection(
            heading_id="home-yearclose",
            title=_("Goals to decide before the year closes"),
            items=tuple(items),
            empty=_(
                "At the Reflect stage, a plan whose goals are not all decided for next year "
                "appears here."
            ),
            order=23,
        )
    ]
