"""The apps whose items appear on the home page, in order. A new app adds its `home.py` here.

The messages section (capacity/home/messages.py) reads capacity/notifications, which
has no `home.py` of its own because its unread messages are the whole section.

The other sections are kept for the person (capacity/fragments.py) under the
planning pages' version, which changes with any plan, request, role, timeline,
result or day: reading them back costs a query, computing them about forty. The
messages section is always read afresh (marking a message read changes no stamp).

Each module has `sections(user) -> list[HomeSection]` (capacity/homeitems.py) and
returns only the sections the person's roles call for, read through its own
selectors and scoped by capacity/directory/access.py. The page shows every
section sorted by its `order`: what needs acting on first, then what is to read.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from capacity import fragments
from capacity.directory import home as directory_home
from capacity.evidence import home as evidence_home
from capacity.evidence import parts_join as evidence_parts
from capacity.home import messages
from capacity.homeitems import HomeSection
from capacity.instruments import home as instruments_home
from capacity.learning import home as learning_home
from capacity.planning import home as planning_home
from capacity.planning import parts_join as planning_parts
from capacity.planning.selectors import pages_version
from capacity.rounds import home as rounds_home

PROVIDERS: tuple[Callable[[Any], list[HomeSection]], ...] = (
    directory_home.sections,
    messages.sections,
    planning_home.sections,
    planning_parts.sections,
    instruments_home.sections,
    learning_home.sections,
    rounds_home.sections,
    evidence_home.sections,
    evidence_parts.sections,
)


# Read afresh on every visit: what the version above does not follow.
FRESH: frozenset[Callable[[Any], list[HomeSection]]] = frozenset({messages.sections})


def home_sections(user: Any) -> list[HomeSection]:
    """Every app's sections for the person, in order (ties keep the providers' order)."""
    version = (pages_version(), user.pk)  # the language is in every part's key
    found: list[HomeSection] = []
    for provider in PROVIDERS:
        if provider in FRESH:
            found += provider(user)
        else:
            found += fragments.kept(f"home:{provider.__module__}", version, partial(provider, user))
    return sorted(found, key=lambda section: section.order)
