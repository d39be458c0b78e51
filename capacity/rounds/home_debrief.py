"""The rounds app's home items: debrief (capacity/rounds/home.py joins the parts)."""

from __future__ import annotations

from typing import Any

from capacity.homeitems import HomeSection


def sections(user: Any) -> list[HomeSection]:
    return []
