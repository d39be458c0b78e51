"""The rounds app's home items: lesson study (capacity/rounds/home.py joins the parts).

* the people on a study's team: "Your lesson studies", each in progress with its cycle and the
  step it is at, linking to that cycle's page, where they act;
* a board's leaders: "Lesson studies ready to share", the finished studies of their board whose
  findings are not a case study yet, the longest waiting first.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.homeitems import DUE, WAITING, HomeItem, HomeSection
from capacity.rounds import selectors_lessons as selectors
from capacity.rounds.models import CycleStep

LISTED = 8


def _team(user: Any) -> list[HomeSection]:
    studies = selectors.team_studies_in_progress(user)
    if not studies:
        return []
    items = []
    for study in studies[:LISTED]:
        number, step = selectors.now_of(study)
        items.append(
            HomeItem(
                text=_("%(title)s at %(school)s")
                % {"title": study.title, "school": study.school.name},
                url=reverse("rounds_lesson_cycle", args=[study.pk, number]),
                status=DUE,
                status_text=_("cycle %(n)s: %(step)s")
                % {"n": number, "step": CycleStep(step).label},
                on=timezone.localtime(study.updated_at).date(),
                date_text=_("last changed"),
            )
        )
    return [
        HomeSection(
            heading_id="home-lesson-studies",
            title=_("Your lesson studies"),
            items=tuple(items),
            more_url=reverse("rounds_lessons"),
            more_text=_("All lesson studies"),
            order=45,
        )
    ]


def _to_share(user: Any) -> list[HomeSection]:
    ready = list(selectors.ready_to_share(user)[: LISTED + 1])
    if not ready:
        return []
    count = len(ready) if len(ready) <= LISTED else selectors.ready_to_share(user).count()
    items = tuple(
        HomeItem(
            text=_("%(title)s at %(school)s") % {"title": s.title, "school": s.school.name},
            url=reverse("rounds_lesson", args=[s.pk]),
            status=WAITING,
            status_text=_("ready to share"),
            on=timezone.localtime(s.finished_at).date() if s.finished_at else None,
            date_text=_("finished"),
        )
        for s in ready[:LISTED]
    )
    return [
        HomeSection(
            heading_id="home-lesson-studies-to-share",
            title=_("Lesson studies ready to share"),
            items=items,
            more_url=reverse("rounds_lessons"),
            more_text=ngettext(
                "%(count)s finished study to share",
                "All %(count)s finished studies to share",
                count,
            )
            % {"count": count},
            order=30,
        )
    ]


def sections(user: Any) -> list[HomeSection]:
    return _to_share(user) + _team(user)
