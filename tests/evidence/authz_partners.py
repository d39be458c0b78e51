"""The partners part's rows of the authorisation contract (tests/test_authorization.py and
tests/test_authorization_writes.py read them).

The province's list of schools that beat the odds is the ministry's; a board's list is for the
ministry and the board's leaders (who compare its schools; trustees do not). An identified school's partners
are for its team (principal, school team), its board's leaders and the ministry: not its
teachers, not trustees. Nothing here writes."""

from __future__ import annotations

from tests.authz_kit import BA, NOT_FOUND, PA, PB, ST, M, only, read_api

READS = [
    (
        "partners_province",
        "partners: the province's list",
        lambda w: "/evidence/beat-the-odds/",
        only(M),
    ),
    (
        "partners_province_download",
        "partners: the province's list as CSV",
        lambda w: "/evidence/beat-the-odds.csv",
        only(M),
    ),
    (
        "partners_board",
        "partners: board A's list",
        lambda w: f"/boards/{w.board_a.number}/evidence/beat-the-odds/",
        only(M, BA),
    ),
    (
        "partners_board",
        "partners: board B's list",
        lambda w: f"/boards/{w.board_b.number}/evidence/beat-the-odds/",
        only(M),
    ),
    (
        "partners_board",
        "partners: no such board",
        lambda w: "/boards/B99999/evidence/beat-the-odds/",
        NOT_FOUND,
    ),
    (
        "partners_board_download",
        "partners: board A's list as XLSX",
        lambda w: f"/boards/{w.board_a.number}/evidence/beat-the-odds.xlsx",
        only(M, BA),
    ),
    (
        "partners_school",
        "partners: school A1's partners",
        lambda w: f"/schools/{w.school_a1.number}/evidence/partners/",
        only(M, BA, PA, ST),
    ),
    (
        "partners_school",
        "partners: school B1's partners",
        lambda w: f"/schools/{w.school_b1.number}/evidence/partners/",
        only(M, PB),
    ),
    (
        "partners_school",
        "partners: no such school",
        lambda w: "/schools/999999/evidence/partners/",
        NOT_FOUND,
    ),
    (
        "api:api_partners_stable",
        "partners API: the province's list",
        lambda w: "/api/evidence/beat-the-odds",
        read_api(M),
    ),
    (
        "api:api_partners_stable",
        "partners API: board A's list",
        lambda w: f"/api/evidence/beat-the-odds?board={w.board_a.number}",
        read_api(M, BA),
    ),
    (
        "api:api_partners_school",
        "partners API: school A1's partners",
        lambda w: f"/api/schools/{w.school_a1.number}/partners",
        read_api(M, BA, PA, ST),
    ),
]

WRITES: list = []
