"""Home-page items for reciprocity as a ledger of the capacity given to schools (see
capacity/homeitems.py).
"""

from __future__ import annotations

from typing import Any

from capacity.homeitems import HomeSection


def sections(user: Any) -> list[HomeSection]:
    return []
