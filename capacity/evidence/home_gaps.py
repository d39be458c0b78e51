"""Home-page items for gaps against the other students, gap trends, the context gap and cohorts
(see capacity/homeitems.py).

A school's team (principal, school team) is told when a group's gap against the other students
at their school has widened from its first year to its last: that is the gap to plan for. The
trends are the gaps page's own cached reads, so the page costs nothing more once warm; a school
whose results give no counts by group has no trends and no item.
"""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.directory import access
from capacity.evidence import selectors_gaps
from capacity.evidence.analytics.gaps import WIDENING
from capacity.evidence.labels import assessment_name, group_name
from capacity.homeitems import INFO, HomeItem, HomeSection

SHOWN = 3  # widening gaps named in an item's detail


def sections(user: Any) -> list[HomeSection]:
    schools = list(access.team_schools_for(user).order_by("name", "number"))
    items = []
    for school in schools:
        widening = [
            t for t in selectors_gaps.school_gap_trends(school=school) if t.direction == WIDENING
        ]
        if not widening:
            continue
        widening.sort(key=lambda t: -t.change)
        named = "; ".join(
            _("%(group)s, %(assessment)s: %(first)s to %(last)s points")
            % {
                "group": group_name(t.group),
                "assessment": assessment_name(t.assessment),
                "first": floatformat(t.first_gap, 1),
                "last": floatformat(t.last_gap, 1),
            }
            for t in widening[:SHOWN]
        )
        items.append(
            HomeItem(
                text=ngettext(
                    "%(school)s: %(count)s gap against the other students has widened",
                    "%(school)s: %(count)s gaps against the other students have widened",
                    len(widening),
                )
                % {"school": school.name, "count": len(widening)},
                url=reverse("gaps_school", args=[school.number]),
                status=INFO,
                status_text=_("Gaps"),
                detail=named,
            )
        )
    if not items:
        return []
    return [
        HomeSection(
            heading_id="home-gaps",
            title=_("Gaps widening at your school"),
            items=tuple(items),
            order=17,
        )
    ]
