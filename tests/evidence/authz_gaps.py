"""The gaps pages' rows in the authorisation contract (tests/test_authorization.py reads READS;
the pages only read, so WRITES is empty).

A school's gaps are read by whoever reads its evidence page (the ministry, its board's leaders
and trustees, its staff); a board's by whoever reads the board's evidence. The API answers the
same people.
"""

from __future__ import annotations

from typing import Any

from tests.authz_kit import BA, NOT_FOUND, PA, PB, ST, TA, TR, M, only, read_api
from tests.conftest import PERSONAS
from tests.evidence.gaps_world import groups_a1

A1_READERS = (M, BA, PA, TA, TR, ST)


def _a1(path: str) -> Any:
    def build(w: Any) -> str:
        groups_a1(w)
        return path

    return build


API_NOT_FOUND = {p: (401 if p == PERSONAS[0] else 404) for p in PERSONAS}

READS: list[tuple[str, str, Any, dict[str, int]]] = [
    (
        "gaps_school",
        "gaps: A1's gaps and cohorts",
        _a1("/schools/700001/evidence/gaps/"),
        only(*A1_READERS),
    ),
    (
        "gaps_school",
        "gaps: A1's gaps for one year",
        _a1("/schools/700001/evidence/gaps/?year=2017-18"),
        only(*A1_READERS),
    ),
    (
        "gaps_school",
        "gaps: B1's gaps and cohorts",
        lambda w: "/schools/700003/evidence/gaps/",
        only(M, PB),
    ),
    ("gaps_school", "gaps: no such school", lambda w: "/schools/999999/evidence/gaps/", NOT_FOUND),
    (
        "gaps_school_export",
        "gaps: A1's groups against the other students as CSV",
        _a1("/schools/700001/evidence/gaps/others.csv"),
        only(*A1_READERS),
    ),
    (
        "gaps_school_export",
        "gaps: B1's cohorts as Excel",
        lambda w: "/schools/700003/evidence/gaps/cohorts.xlsx",
        only(M, PB),
    ),
    (
        "gaps_board",
        "gaps: board A's gaps and cohorts",
        _a1("/boards/B66001/evidence/gaps/"),
        only(M, BA, TR),
    ),
    (
        "gaps_board",
        "gaps: board B's gaps and cohorts",
        lambda w: "/boards/B66002/evidence/gaps/",
        only(M),
    ),
    (
        "gaps_board_export",
        "gaps: board A's gap trends as CSV",
        _a1("/boards/B66001/evidence/gaps/trends.csv"),
        only(M, BA, TR),
    ),
    (
        "gaps_board_export",
        "gaps: board B's context gap as CSV",
        lambda w: "/boards/B66002/evidence/gaps/context.csv",
        only(M),
    ),
]

READS += [
    (
        "api:api_gaps_school",
        "gaps: API A1's gaps",
        _a1("/api/schools/700001/gaps"),
        read_api(*A1_READERS),
    ),
    (
        "api:api_gaps_school",
        "gaps: API B1's gaps",
        lambda w: "/api/schools/700003/gaps",
        read_api(M, PB),
    ),
    (
        "api:api_gaps_school",
        "gaps: API no such school",
        lambda w: "/api/schools/999999/gaps",
        API_NOT_FOUND,
    ),
    (
        "api:api_gaps_board",
        "gaps: API board A's gaps",
        _a1("/api/boards/B66001/gaps"),
        read_api(M, BA, TR),
    ),
    (
        "api:api_gaps_board",
        "gaps: API board B's gaps",
        lambda w: "/api/boards/B66002/gaps",
        read_api(M),
    ),
]

WRITES: list[Any] = []
