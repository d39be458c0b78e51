"""The instruments' items on the home pages: surveys to answer, and rounds to close or read.

* everyone invited to an open round: the round, where to answer, when it closes
  (overdue-style status on its last day);
* those who run rounds (a board's leaders, a school's team, the ministry): each open
  round with its response rate, and closed rounds whose report is ready.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from capacity.homeitems import DONE, DUE, WAITING, HomeItem, HomeSection
from capacity.instruments import selectors, services

# How many rounds a section lists before "all surveys".
ROUNDS_LISTED = 8


def _name(round_: Any) -> str:
    instrument = round_.instrument
    return instrument.name_fr if (get_language() or "en").startswith("fr") else instrument.name_en


def _title(round_: Any) -> str:
    """The round as a home item names it: the instrument, what the round is about when its
    opener said (a module evaluation's session), and the board or school."""
    place = round_.school or round_.board
    about = round_.about_in(get_language() or "en")
    if about:
        return _("%(name)s: %(about)s, %(place)s") % {
            "name": _name(round_),
            "about": about,
            "place": place,
        }
    return _("%(name)s for %(place)s") % {"name": _name(round_), "place": place}


def sections(user: Any) -> list[HomeSection]:
    out = []
    waiting = selectors.to_answer(user)
    if waiting:
        today = timezone.localdate()
        out.append(
            HomeSection(
                heading_id="home-surveys",
                title=_("Surveys to answer"),
                items=tuple(
                    HomeItem(
                        text=_title(i.round),
                        url=reverse("survey_respond", args=[i.round_id]),
                        status=DUE,
                        status_text=_("closes today")
                        if i.round.closes_on == today
                        else _("to answer"),
                        on=i.round.closes_on,
                        date_text=_("closes"),
                    )
                    for i in waiting[:ROUNDS_LISTED]
                ),
                more_url=reverse("survey_list"),
                more_text=_("All surveys"),
                order=25,
            )
        )
    run = list(selectors.rounds_run_by(user)[:ROUNDS_LISTED])
    if run:
        items = []
        rates = selectors.response_rates(run)
        for round_ in run:
            state = services.round_state(round_)
            rate = rates[round_.pk]
            answered = _("%(n)s of %(total)s answered") % {
                "n": rate.submitted,
                "total": rate.invited,
            }
            if state == services.CLOSED:
                items.append(
                    HomeItem(
                        text=_title(round_),
                        url=reverse("survey_report", args=[round_.pk]),
                        status=DONE,
                        status_text=_("report ready"),
                        detail=answered,
                    )
                )
            else:
                items.append(
                    HomeItem(
                        text=_title(round_),
                        url=reverse("survey_round", args=[round_.pk]),
                        status=WAITING,
                        status_text=_("open") if state == services.OPEN else _("not open yet"),
                        on=round_.closes_on,
                        date_text=_("closes"),
                        detail=answered,
                    )
                )
        out.append(
            HomeSection(
                heading_id="home-rounds",
                title=_("Survey rounds you run"),
                items=tuple(items),
                more_url=reverse("survey_list"),
                more_text=_("All surveys"),
                order=45,
            )
        )
    return out
