"""The identification decisions' rows in the authorisation contract (issue 13).

Only ministry officers decide (propose, confirm, set aside). A board's leaders read their
board's rows, pending ones too; its trustees its confirmed decisions only; a school's staff
their own school's decided rows; a facilitator nothing. A proposal none of whose rows a person
reads is 403 to them.
"""

from __future__ import annotations

from typing import Any

from tests.authz_kit import (
    BA,
    NOT_FOUND,
    PA,
    PB,
    POST_ONLY,
    ST,
    TA,
    TR,
    M,
    Write,
    only,
    page,
    post,
    post_json,
    read_api,
    write_api,
)
from tests.conftest import PERSONAS
from tests.evidence import decisions_world as dw

READERS = (M, BA, PA, TA, PB, TR, ST)
API_NOT_FOUND = {p: (401 if p == PERSONAS[0] else 404) for p in PERSONAS}


def _proposal_path(suffix: str = "") -> Any:
    return lambda w: f"/evidence/decisions/{dw.proposal(w).pk}/{suffix}"


def _confirmed_path(suffix: str = "") -> Any:
    return lambda w: f"/evidence/decisions/{dw.a1_confirmed(w).pk}/{suffix}"


READS: list[tuple[str, str, Any, dict[str, int]]] = [
    (
        "decisions_proposals",
        "decisions: the proposals",
        lambda w: "/evidence/decisions/",
        only(*READERS),
    ),
    (
        "decisions_proposals",
        "decisions: the proposals, one pending",
        lambda w: dw.proposal(w) and "/evidence/decisions/",
        only(*READERS),
    ),
    (
        "decisions_proposal",
        "decisions: a proposal, all pending (board A's leader reads A's rows)",
        _proposal_path(),
        only(M, BA),
    ),
    (
        "decisions_proposal",
        "decisions: a proposal with A1's entry confirmed (A1's staff and A's trustee read it)",
        _confirmed_path(),
        only(M, BA, PA, TA, TR, ST),
    ),
    (
        "decisions_proposal",
        "decisions: no such proposal",
        lambda w: "/evidence/decisions/999999/",
        NOT_FOUND,
    ),
    (
        "decisions_proposal_export",
        "decisions: a proposal as CSV",
        lambda w: f"/evidence/decisions/{dw.a1_confirmed(w).pk}/export.csv",
        only(M, BA, PA, TA, TR, ST),
    ),
    (
        "api:api_decisions_proposals",
        "decisions API: the proposals",
        lambda w: dw.proposal(w) and "/api/evidence/decisions",
        read_api(*READERS),
    ),
    (
        "api:api_decisions_proposal",
        "decisions API: a proposal, all pending",
        lambda w: f"/api/evidence/decisions/{dw.proposal(w).pk}",
        read_api(M, BA),
    ),
    (
        "api:api_decisions_proposal",
        "decisions API: a proposal with A1's entry confirmed",
        lambda w: f"/api/evidence/decisions/{dw.a1_confirmed(w).pk}",
        read_api(M, BA, PA, TA, TR, ST),
    ),
    (
        "api:api_decisions_proposal",
        "decisions API: no such proposal",
        lambda w: "/api/evidence/decisions/999999",
        API_NOT_FOUND,
    ),
    # The forms' and the API's writes answer a GET with 405 (their rows are in WRITES).
    (
        "decisions_propose",
        "decisions: propose (GET)",
        lambda w: "/evidence/decisions/propose/",
        POST_ONLY,
    ),
    (
        "decisions_decide",
        "decisions: decide (GET)",
        lambda w: f"/evidence/decisions/change/{dw.change(w, w.school_a1).pk}/",
        POST_ONLY,
    ),
    (
        "decisions_confirm_all",
        "decisions: confirm all (GET)",
        _proposal_path("confirm-all/"),
        POST_ONLY,
    ),
    (
        "api:api_decisions_decide",
        "decisions API: decide (GET)",
        lambda w: f"/api/evidence/decisions/changes/{dw.change(w, w.school_a1).pk}/decision",
        dict.fromkeys(PERSONAS, 405),
    ),
]


def _decide_path(w: Any) -> str:
    return f"/evidence/decisions/change/{dw.change(w, w.school_a1).pk}/"


def _decide(outcome: str, reason: str = "") -> Any:
    def data(w: Any) -> dict[str, Any]:
        item = dw.change(w, w.school_a1)
        return {"outcome": outcome, "seen": item.version, "reason": reason}

    return data


def _confirm_all(w: Any) -> dict[str, Any]:
    proposal = dw.proposal(w)
    pending = proposal.changes.filter(change="enters", state="pending")
    return {"change": [f"{c.pk}:{c.version}" for c in pending]}


WRITES: list[Write] = [
    Write(
        "POST decisions_propose",
        "decisions: propose from the evidence",
        post(
            lambda w: dw.results(w) or "/evidence/decisions/propose/", lambda w: {"year": "2018-19"}
        ),
        page(M),
    ),
    Write(
        "POST decisions_decide",
        "decisions: confirm A1's entry",
        post(_decide_path, _decide("confirmed")),
        page(M),
    ),
    Write(
        "POST decisions_decide",
        "decisions: set A1's entry aside with a reason",
        post(
            _decide_path, _decide("set_aside", "The board already leads an intensive plan there.")
        ),
        page(M),
    ),
    Write(
        "POST decisions_confirm_all",
        "decisions: confirm every entry at once",
        post(lambda w: f"/evidence/decisions/{dw.proposal(w).pk}/confirm-all/", _confirm_all),
        page(M),
    ),
    Write(
        "POST api:api_decisions_decide",
        "decisions API: confirm A1's entry",
        post_json(
            lambda w: f"/api/evidence/decisions/changes/{dw.change(w, w.school_a1).pk}/decision",
            lambda w: {"outcome": "confirmed", "version": dw.change(w, w.school_a1).version},
        ),
        write_api(200, M),
    ),
]
