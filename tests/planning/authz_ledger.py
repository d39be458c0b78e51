"""The reciprocity ledger's rows in the authorisation contract (tests/test_authorization.py reads
READS, tests/test_authorization_writes.py reads WRITES).

Reading follows the line of accountability: the ministry every board; board A's leader and
trustee board A (the trustee its totals only, so no school page, entry or school-by-school
export); A1's staff (principal, team member, teacher) A1's line. A board's leaders record
capacity for its schools, the ministry for any school or board; A1's team (principal, team
member) says whether what A1 received helped; board A's leader sends A1's request on.
"""

from __future__ import annotations

from typing import Any

from tests.authz_kit import (
    BA,
    NOT_FOUND,
    PA,
    PB,
    ST,
    TA,
    TR,
    F,
    M,
    Write,
    only,
    page,
    post,
    post_json,
    read_api,
    write_api,
)
from tests.planning.ledger_kit import ask, give


def request_a1(w: Any) -> Any:
    return ask(w, day="2025-10-01", tried="ledger: A1's request")


def gift_a1(w: Any) -> Any:
    return give(w, note="ledger: coaching for A1")


def board_gift(w: Any) -> Any:
    return give(w, by="ministry", board=w.board_a, kind="learning_sessions", amount="2")


def escalated_a1(w: Any) -> Any:
    from capacity.planning import services_ledger

    request = request_a1(w)
    return services_ledger.support_escalate(
        user=w.personas["board_a"], request=request, reason="ledger: no coach is free"
    )


A1_LINE = (M, BA, PA, TA, ST)
BOARD_A = (M, BA, TR)
A1_REQUEST_READERS = (M, BA, TR, PA, TA, ST)

READS = [
    (
        "ledger_index",
        "ledger: the ledger (by board, or one's school)",
        lambda w: "/plans/ledger/",
        only(M, BA, PA, TA, PB, TR, ST),
    ),
    (
        "ledger_index",
        "ledger: the ledger of a past year",
        lambda w: gift_a1(w) and "/plans/ledger/?year=2025-26",
        only(M, BA, PA, TA, PB, TR, ST),
    ),
    (
        "ledger_board",
        "ledger: board A's ledger",
        lambda w: gift_a1(w) and f"/plans/ledger/boards/{w.board_a.number}/?year=2025-26",
        only(*BOARD_A),
    ),
    (
        "ledger_board",
        "ledger: board B's ledger",
        lambda w: f"/plans/ledger/boards/{w.board_b.number}/",
        only(M),
    ),
    (
        "ledger_board",
        "ledger: an unknown board's ledger",
        lambda w: "/plans/ledger/boards/B00000/",
        NOT_FOUND,
    ),
    (
        "ledger_school",
        "ledger: A1's ledger",
        lambda w: (
            gift_a1(w)
            and request_a1(w)
            and f"/plans/ledger/schools/{w.school_a1.number}/?year=2025-26"
        ),
        only(*A1_LINE),
    ),
    (
        "ledger_school",
        "ledger: B1's ledger",
        lambda w: f"/plans/ledger/schools/{w.school_b1.number}/",
        only(M, PB),
    ),
    (
        "ledger_give",
        "ledger: record capacity given to A1",
        lambda w: request_a1(w) and f"/plans/ledger/give/?school={w.school_a1.number}",
        only(M, BA),
    ),
    (
        "ledger_give",
        "ledger: record capacity given to board A as a whole",
        lambda w: f"/plans/ledger/give/?board={w.board_a.number}",
        only(M),
    ),
    (
        "ledger_give",
        "ledger: record capacity given to nobody",
        lambda w: "/plans/ledger/give/",
        NOT_FOUND,
    ),
    (
        "ledger_gift",
        "ledger: capacity given to A1",
        lambda w: f"/plans/ledger/given/{gift_a1(w).pk}/",
        only(*A1_LINE),
    ),
    (
        "ledger_gift",
        "ledger: capacity the ministry gave board A",
        lambda w: f"/plans/ledger/given/{board_gift(w).pk}/",
        only(M, BA),
    ),
    (
        "ledger_gift",
        "ledger: unknown capacity given",
        lambda w: "/plans/ledger/given/999999/",
        NOT_FOUND,
    ),
    (
        "ledger_escalate",
        "ledger: send A1's request on to the ministry",
        lambda w: f"/support/{request_a1(w).pk}/escalate/",
        only(BA),
    ),
    (
        "support_detail",
        "ledger: A1's request sent on to the ministry, with the capacity given",
        lambda w: f"/support/{escalated_a1(w).pk}/",
        only(*A1_REQUEST_READERS),
    ),
    (
        "ledger_export",
        "ledger: the ledger by board as CSV",
        lambda w: gift_a1(w) and "/plans/ledger/export.csv?year=2025-26",
        only(*BOARD_A),
    ),
    (
        "ledger_export",
        "ledger: board A's ledger as XLSX",
        lambda w: f"/plans/ledger/export.xlsx?board={w.board_a.number}",
        only(*BOARD_A),
    ),
    (
        "ledger_export",
        "ledger: A1's entries as CSV",
        lambda w: (
            gift_a1(w) and f"/plans/ledger/export.csv?school={w.school_a1.number}&year=2025-26"
        ),
        only(*A1_LINE),
    ),
    ("ledger_export", "ledger: an unknown format", lambda w: "/plans/ledger/export.pdf", NOT_FOUND),
    (
        "api:api_ledger_boards",
        "ledger: API, the ledger by board",
        lambda w: "/api/ledger/boards?year=2025-26",
        read_api(*BOARD_A),
    ),
    (
        "api:api_ledger_board_schools",
        "ledger: API, board A school by school",
        lambda w: gift_a1(w) and f"/api/ledger/boards/{w.board_a.number}/schools?year=2025-26",
        read_api(M, BA),
    ),
    (
        "api:api_ledger_gifts",
        "ledger: API, capacity given entry by entry (scoped)",
        lambda w: gift_a1(w) and "/api/ledger/gifts?year=2025-26",
        {**read_api(M, BA, PA, TA, PB, TR, ST), F: 200},
    ),
]


def _gift_form(w: Any) -> dict[str, str]:
    return {"kind": "visits", "amount": "2", "given_on": "2025-10-20", "note": "ledger: a visit"}


def _helped_form(w: Any) -> dict[str, str]:
    return {"helped": "helped", "comment": "ledger: it helped", "version": "1"}


WRITES = [
    Write(
        "POST ledger_give",
        "ledger: record capacity given to A1",
        post(lambda w: f"/plans/ledger/give/?school={w.school_a1.number}", _gift_form),
        page(M, BA),
    ),
    Write(
        "POST ledger_give",
        "ledger: record capacity given to A1 against its request",
        post(
            lambda w: f"/plans/ledger/give/?school={w.school_a1.number}",
            lambda w: {**_gift_form(w), "request": str(request_a1(w).pk)},
        ),
        page(M, BA),
    ),
    Write(
        "POST ledger_give",
        "ledger: record capacity given to board A as a whole",
        post(lambda w: f"/plans/ledger/give/?board={w.board_a.number}", _gift_form),
        page(M),
    ),
    Write(
        "POST ledger_gift",
        "ledger: say whether capacity given to A1 helped",
        post(lambda w: f"/plans/ledger/given/{gift_a1(w).pk}/", _helped_form),
        page(PA, ST),
    ),
    Write(
        "POST ledger_escalate",
        "ledger: send A1's request on to the ministry",
        post(
            lambda w: f"/support/{request_a1(w).pk}/escalate/",
            lambda w: {"reason": "ledger: no coach is free this term"},
        ),
        page(BA),
    ),
    Write(
        "POST api:api_ledger_gifts",
        "ledger: API, record capacity given to A1",
        post_json(
            lambda w: "/api/ledger/gifts",
            lambda w: {
                "school": w.school_a1.number,
                "kind": "coaching_hours",
                "amount": "6",
                "given_on": "2025-10-20",
            },
        ),
        write_api(201, M, BA),
    ),
]
