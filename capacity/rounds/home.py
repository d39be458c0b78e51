"""The rounds app's items on the home pages, one module per part (visits coming up, debriefs to
finish, lesson studies, networks' work); capacity/home/sections.py lists this module."""

from __future__ import annotations

from typing import Any

from capacity.homeitems import HomeSection
from capacity.rounds import home_debrief, home_lessons, home_networks, home_visits


def sections(user: Any) -> list[HomeSection]:
    return [
        *home_visits.sections(user),
        *home_debrief.sections(user),
        *home_lessons.sections(user),
        *home_networks.sections(user),
    ]
