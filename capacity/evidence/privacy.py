"""Small-group suppression for every output people read: pages, the API, exports.

Groups of fewer than MINIMUM participating students are shown as N/R with the
reason. Where groups partition all students (girls and boys), hiding one alone
would let a reader recover it from the result for all students, so the
complementary rule hides the smallest other group of the partition too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from capacity.evidence.analytics.suppression import complementary_suppression

MINIMUM = 10
# Groups that together make up all students: a hidden one could be worked out from the rest.
PARTITIONS: tuple[tuple[str, ...], ...] = (("female", "male"),)
SMALL = "small"
COMPLEMENTARY = "complementary"


def suppress(rows: Iterable[dict[str, Any]], *, minimum: int = MINIMUM) -> list[dict[str, Any]]:
    """Copies of result rows with small groups hidden.

    Each row needs school_number (or school), school_year, assessment, group,
    participating and pct_at_standard. Hidden rows get pct_at_standard and
    participating set to None, status "nr", and `suppressed` / `suppression_reason`
    ("small" or "complementary"); shown rows get `suppressed` False.
    """
    out = [dict(row, suppressed=False, suppression_reason="", _count=row["participating"]) for row in rows]
    cells: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in out:
        school = row.get("school_number", row.get("school"))
        cells[(school, row["school_year"], row["assessment"])].append(row)
    for cell in cells.values():
        for row in cell:
            if row["participating"] is not None and row["participating"] < minimum:
                _hide(row, SMALL)
        total = next((r["participating"] for r in cell if r["group"] == "all"), None)
        for partition in PARTITIONS:
            members = [r for r in cell if r["group"] in partition]
            if not members or not any(r["suppressed"] for r in members):
                continue
            counts = [{"count": r["_count"]} for r in members]
            decided = complementary_suppression(counts, total=total, minimum=minimum)
            for row, verdict in zip(members, decided, strict=True):
                if verdict["suppressed"] and not row["suppressed"]:
                    _hide(row, COMPLEMENTARY)
    for row in out:
        del row["_count"]
    return out


def _hide(row: dict[str, Any], reason: str) -> None:
    row.update(pct_at_standard=None, participating=None, status="nr", suppressed=True, suppression_reason=reason)
