"""The apps whose items appear on the home page, in order. A new app adds its `home.py` here.

The messages section (capacity/home/messages.py) reads capacity/notifications, which
has no `home.py` of its own because its unread messages are the whole section.

The other sections are kept for the person (capacity/fragments.py) under the
planning pages' version, which changes with any plan, request, role, timeline,
result or day: reading them back costs a query, computing them about forty. The
page keeps them rendered (`home_page_sections`): drawing a ministry officer's
seventy items cost more than the rest of the page. The messages section is always
read and drawn afresh (marking a message read changes no stamp).

Each module has `sections(user) -> list[HomeSection]` (capacity/homeitems.py) and
returns only the sections the person's roles call for, read through its own
selectors and scoped by capacity/directory/access.py. The page shows every
section sorted by its `order`: what needs acting on first, then what is to read.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

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


SECTION = "home/_section.html"


def _drawn(sections: list[HomeSection]) -> list[tuple[int, str]]:
    return [
        (section.order, render_to_string(SECTION, {"section": section})) for section in sections
    ]


def _provider_drawn(
    provider: Callable[[Any], list[HomeSection]], user: Any
) -> list[tuple[int, str]]:
    return _drawn(provider(user))


def home_page_sections(user: Any) -> list[SafeString]:
    """Every app's sections for the person as HTML, in order (ties keep the providers' order).

    Each app's sections are kept rendered under the version above (the person is in
    it and the language in every key); the messages are read and drawn afresh.
    """
    version = (pages_version(), user.pk)
    found: list[tuple[int, str]] = []
    for provider in PROVIDERS:
        if provider in FRESH:
            found += _drawn(provider(user))
        else:
            found += fragments.kept(
                f"home-html:{provider.__module__}",
                version,
                partial(_provider_drawn, provider, user),
            )
    ordered = sorted(found, key=lambda pair: pair[0])
    return [mark_safe(html) for _order, html in ordered]  # noqa: S308 - our template's output
