"""What an app puts on a person's home page: sections of items, plain data with no Django.

Each app's `home.py` has `sections(user) -> list[HomeSection]` and returns only
what the person's roles call for; `capacity/home/sections.py` lists the apps and
the home page shows their sections in `order`. The values are already in the
reader's language (the apps translate them), so this module needs no Django and
sits in the bottom layer, where every app may import it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# Status words an item may carry. The page shows the app's translated word as text,
# with a colour from the word (never colour alone).
OVERDUE = "overdue"
FAILED = "failed"
RETURNED = "returned"
WAITING = "waiting"
ANSWERED = "answered"
IDENTIFIED = "identified"
DUE = "due"
DONE = "done"
INFO = "info"
STATUSES = frozenset({OVERDUE, FAILED, RETURNED, WAITING, ANSWERED, IDENTIFIED, DUE, DONE, INFO})


@dataclass(frozen=True)
class HomeItem:
    """One thing that needs the person, or that they follow, and where they act on it.

    `status` is one of STATUSES (it picks the colour); `status_text` is the word
    shown beside it. `on` is the date that matters (due, asked, returned), with
    `date_text` saying which ("due", "asked"); the page formats it by locale.
    """

    text: str
    url: str = ""
    status: str = ""
    status_text: str = ""
    on: datetime.date | None = None
    date_text: str = ""
    detail: str = ""

    def __post_init__(self) -> None:
        if self.status and self.status not in STATUSES:
            raise ValueError(f"Unknown home item status {self.status!r}")
        if self.status and not self.status_text:
            raise ValueError("A status needs its word as text, not colour alone.")


@dataclass(frozen=True)
class HomeSection:
    """A titled list on the home page. `heading_id` names the heading for aria-labelledby;
    `empty` says what would appear here when there is nothing; `more_url` leads to the
    full list. Lower `order` comes first: what needs acting on before what is to read."""

    heading_id: str
    title: str
    items: tuple[HomeItem, ...] = field(default_factory=tuple)
    empty: str = ""
    more_url: str = ""
    more_text: str = ""
    order: int = 100
