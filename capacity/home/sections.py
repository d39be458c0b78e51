"""The apps whose items appear on the home page, in order. A new app adds its `home.py` here.

The messages section (capacity/home/messages.py) reads capacity/notifications, which
has no `home.py` of its own because its unread messages are the whole section.

Each module has `sections(user) -> list[HomeSection]` (capacity/homeitems.py) and
returns only the sections the person's roles call for, read through its own
selectors and scoped by capacity/directory/access.py. The page shows every
section sorted by its `order`: what needs acting on first, then what is to read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from capacity.directory import home as directory_home
from capacity.evidence import home as evidence_home
from capacity.home import messages
from capacity.homeitems import HomeSection
from capacity.planning import home as planning_home

PROVIDERS: tuple[Callable[[Any], list[HomeSection]], ...] = (
    directory_home.sections,
    messages.sections,
    planning_home.sections,
    evidence_home.sections,
)


def home_sections(user: Any) -> list[HomeSection]:
    """Every app's sections for the person, in order (ties keep the providers' order)."""
    found = [section for provider in PROVIDERS for section in provider(user)]
    return sorted(found, key=lambda section: section.order)
