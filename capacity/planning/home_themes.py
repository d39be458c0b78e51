"""Home-page items for the OFIP themes and lessons on goals, strategies and co-reflections;
challenging circumstances; the ministry's tasks; timelines' dates (see capacity/homeitems.py).
"""

from __future__ import annotations

from typing import Any

from capacity.homeitems import HomeSection


def sections(user: Any) -> list[HomeSection]:
    return []
