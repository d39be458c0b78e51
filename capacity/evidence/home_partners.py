"""Home-page items for schools that beat the odds over several years, and partners for identified
schools (see capacity/homeitems.py).
"""

from __future__ import annotations

from typing import Any

from capacity.homeitems import HomeSection


def sections(user: Any) -> list[HomeSection]:
    return []
