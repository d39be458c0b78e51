"""Home-page items for gaps against the other students, gap trends, the context gap and cohorts
(see capacity/homeitems.py).
"""

from __future__ import annotations

from typing import Any

from capacity.homeitems import HomeSection


def sections(user: Any) -> list[HomeSection]:
    return []
