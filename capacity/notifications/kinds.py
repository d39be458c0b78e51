"""The wording of each kind of message, registered by the app whose events they are.

An app registers each kind once (planning does it in capacity/planning/notices.py,
imported from its AppConfig.ready):

    kinds.register("plan_returned", subject=lambda p: _("...") % p, body=...)

`subject` and `body` take the message's stored `params` and return text in the
active language (they call gettext), so the inbox renders in the reader's
language and email renders under `translation.override(person's language)`.
A reminder source (`register_reminders`) is a function of the day that yields the
reminders due; `capacity remind` asks each one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

Params = dict[str, Any]
Render = Callable[[Params], str]


@dataclass(frozen=True)
class Kind:
    subject: Render
    body: Render


_KINDS: dict[str, Kind] = {}


def register(kind: str, *, subject: Render, body: Render) -> None:
    """Give `kind` its wording. Registering the same kind again replaces it (apps' ready runs once)."""
    _KINDS[kind] = Kind(subject=subject, body=body)


def registered() -> set[str]:
    return set(_KINDS)


def subject(kind: str, params: Params) -> str:
    found = _KINDS.get(kind)
    if found is None:  # an app that stopped sending a kind: the old messages still read
        return _("A message from Capacity")
    return found.subject(params)


def body(kind: str, params: Params) -> str:
    found = _KINDS.get(kind)
    return "" if found is None else found.body(params)


def date(value: str | None) -> str:
    """An ISO date from `params`, written the way the active language writes dates."""
    if not value:
        return ""
    return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")


# --- reminders -------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """One thing overdue, for the people responsible for it. `item` names it (unique within `kind`)."""

    kind: str
    item: str
    recipients: list[Any]
    params: Params = field(default_factory=dict)
    url: str = ""


ReminderSource = Callable[[datetime.date], Iterable[Reminder]]
_SOURCES: dict[str, ReminderSource] = {}


def register_reminders(name: str, source: ReminderSource) -> None:
    """Add a source of reminders that `capacity remind` asks every day."""
    _SOURCES[name] = source


def reminder_sources() -> dict[str, ReminderSource]:
    return dict(_SOURCES)
