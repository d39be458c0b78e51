"""Home-page items for strategies' implementation status with dated evidence, and leading
indicators rolled up (see capacity/homeitems.py).
"""

from __future__ import annotations

from typing import Any

from capacity.homeitems import HomeSection


def sections(user: Any) -> list[HomeSection]:
    return []
