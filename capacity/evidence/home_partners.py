"""Home-page items for schools that beat the odds over several years, and partners for identified
schools (see capacity/homeitems.py).

A school's team (principal, school team) whose school is identified under the default policy is
pointed to the schools it could learn from. The check reads the same cached identification of the
person's schools as the evidence's own home section (`schools_identification`), so it costs
nothing more; the partners themselves are found on the page, not here.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.evidence import selectors
from capacity.evidence.analytics.identification import IDENTIFIED
from capacity.homeitems import INFO, HomeItem, HomeSection


def sections(user: Any) -> list[HomeSection]:
    schools = list(access.team_schools_for(user).order_by("name", "number"))
    if not schools:
        return []
    policy = selectors.get_policy()
    year = selectors.default_year(policy)
    if year is None:
        return []
    found = selectors.schools_identification(
        numbers=[s.number for s in schools], policy=policy, year=year
    )
    items = []
    for school in schools:
        status = found.school(school.number)
        if status is None or status.status != IDENTIFIED:
            continue
        items.append(
            HomeItem(
                text=_("%(school)s: schools in a similar context that beat the odds")
                % {"school": school.name},
                url=reverse("partners_school", args=[school.number]),
                status=INFO,
                status_text=_("Partners"),
                detail=_(
                    "Suggested partners for your focused-intervention work, with why each was "
                    "chosen."
                ),
            )
        )
    if not items:
        return []
    return [
        HomeSection(
            heading_id="home-partners",
            title=_("Partner schools"),
            items=tuple(items),
            order=16,
        )
    ]
