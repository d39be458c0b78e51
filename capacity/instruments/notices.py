"""The instruments' messages: a round to answer, and a reminder before it closes.

Registered from InstrumentsConfig.ready. Who hears of what:

* a round opened: everyone it invites who has an account (links go out by hand);
* reminders (`capacity remind`, daily in the worker): three days and one day before a
  round closes, to the invited people who have not sent their answers.

A message names the instrument in the reader's language (both names are in its
parameters) and never says who else answered.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from capacity.notifications import kinds
from capacity.notifications.services import notify

if TYPE_CHECKING:
    from capacity.instruments.models import Round

REMIND_DAYS_BEFORE = (3, 1)


def _name(p: dict[str, Any]) -> str:
    """The instrument's name in the reader's language, with what the round is about when its
    opener said (a module evaluation names its session)."""
    fr = (get_language() or "en").startswith("fr")
    name = str(p.get("name_fr" if fr else "name_en", ""))
    about = str(
        p.get("about_fr" if fr else "about_en") or p.get("about_en" if fr else "about_fr") or ""
    )
    return _("%(name)s (%(about)s)") % {"name": name, "about": about} if about else name


def register_kinds() -> None:
    kinds.register(
        "survey_invited",
        subject=lambda p: _("You are invited to answer: %(name)s") % {"name": _name(p)},
        body=lambda p: (
            _(
                "%(place)s opened a round of %(name)s. Answer by %(date)s; your answers are "
                "reported only in groups large enough that no one's can be told."
            )
            % {"place": p["place"], "name": _name(p), "date": kinds.date(p["closes_on"])}
        ),
    )
    kinds.register(
        "survey_reminder",
        subject=lambda p: (
            _("%(name)s closes on %(date)s")
            % {"name": _name(p), "date": kinds.date(p["closes_on"])}
        ),
        body=lambda p: (
            _(
                "You have not sent your answers to %(name)s for %(place)s yet. Saved answers wait for you."
            )
            % {"name": _name(p), "place": p["place"]}
        ),
    )
    kinds.register_reminders("instruments", closing_soon)


def _params(round_: Round) -> dict[str, Any]:
    return {
        "round": round_.pk,
        "name_en": round_.instrument.name_en,
        "name_fr": round_.instrument.name_fr,
        "place": str(round_.school or round_.board),
        "closes_on": round_.closes_on.isoformat(),
        **{
            f"about_{language}": round_.about_in(language)
            for language in ("en", "fr")
            if round_.about
        },
    }


def _url(round_: Round) -> str:
    return reverse("survey_respond", args=[round_.pk])


def round_opened(*, round_: Round, by: Any) -> None:
    def recipients() -> list[Any]:
        return [i.user for i in round_.invitations.select_related("user") if i.user is not None]

    transaction.on_commit(
        lambda: notify(
            recipients=recipients(),
            exclude=by,
            kind="survey_invited",
            params=_params(round_),
            url=_url(round_),
            dedupe_key=f"survey_invited:{round_.pk}",
        ),
        robust=True,
    )


def closing_soon(today: datetime.date) -> Iterator[kinds.Reminder]:
    """Rounds closing in three days or tomorrow: the invited people who have not sent answers."""
    from capacity.instruments.models import Invitation, Round

    days = [today + datetime.timedelta(days=n) for n in REMIND_DAYS_BEFORE]
    rounds = Round.objects.filter(closes_on__in=days, closed_at__isnull=True, opens_on__lte=today)
    for round_ in rounds.select_related("instrument", "school", "board"):
        waiting = (
            Invitation.objects.filter(round=round_, user__isnull=False, user__is_active=True)
            .exclude(response__submitted_at__isnull=False)
            .select_related("user")
        )
        people = [i.user for i in waiting]
        if people:
            yield kinds.Reminder(
                kind="survey_reminder",
                item=f"{round_.pk}:{(round_.closes_on - today).days}",
                recipients=people,
                params=_params(round_),
                url=_url(round_),
            )
