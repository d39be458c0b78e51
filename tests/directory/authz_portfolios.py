"""Portfolios' rows of the authorisation contract (tests/test_authorization.py and
tests/test_authorization_writes.py read them).

A board's families of schools are read by whoever reads the board (the ministry, its leaders and
trustees) and set by its leaders; ministry officers' portfolios of boards are read and set by
ministry officers. School staff and facilitators read none."""

from __future__ import annotations

from typing import Any

from capacity.directory.models import Portfolio
from tests.authz_kit import BA, LOGIN, POST_ONLY, TR, A, M, Write, only, page, post, read_api
from tests.conftest import PERSONAS


def family(w: Any) -> Portfolio:
    found, made = Portfolio.objects.get_or_create(
        holder=w.personas["board_a"], board=w.board_a, defaults={"name": "North family"}
    )
    if made:
        found.schools.set([w.school_a1])
    return found


def boards(w: Any) -> Portfolio:
    found, made = Portfolio.objects.get_or_create(
        holder=w.personas["ministry"], board=None, defaults={"name": "Eastern boards"}
    )
    if made:
        found.boards.set([w.board_b])
    return found


def _not_found_but(*readers: str, refused: tuple[str, ...] = ()) -> dict[str, int]:
    return {
        p: (LOGIN if p == A else 200 if p in readers else 403 if p in refused else 404)
        for p in PERSONAS
    }


def _writes_but(*writers: str, refused: tuple[str, ...] = ()) -> dict[str, int]:
    return {
        p: (LOGIN if p == A else 302 if p in writers else 403 if p in refused else 404)
        for p in PERSONAS
    }


READS = [
    ("portfolio_list", "portfolios: the list", lambda w: "/portfolios/", only(M, BA, TR)),
    (
        "portfolio_new",
        "portfolios: a new family of schools",
        lambda w: f"/portfolios/new/?board={w.board_a.number}",
        only(BA),
    ),
    (
        "portfolio_new",
        "portfolios: a new portfolio of boards",
        lambda w: "/portfolios/new/",
        only(M),
    ),
    (
        "portfolio_detail",
        "portfolios: a family of schools",
        lambda w: f"/portfolios/{family(w).pk}/",
        _not_found_but(M, BA, TR),
    ),
    (
        "portfolio_detail",
        "portfolios: a ministry officer's boards",
        lambda w: f"/portfolios/{boards(w).pk}/",
        _not_found_but(M),
    ),
    (
        "api:api_portfolios",
        "portfolios: the API's list",
        lambda w: "/api/portfolios",
        {**read_api(*PERSONAS[1:]), A: 401},
    ),
    (
        "portfolio_delete",
        "portfolios: delete by GET",
        lambda w: f"/portfolios/{boards(w).pk}/delete/",
        POST_ONLY,
    ),
    (
        "portfolio_detail",
        "portfolios: no such portfolio",
        lambda w: "/portfolios/999999/",
        _not_found_but(),
    ),
]

WRITES = [
    Write(
        "POST portfolio_new",
        "portfolios: make a family of schools",
        post(
            lambda w: f"/portfolios/new/?board={w.board_a.number}",
            lambda w: {
                "name": "South family",
                "holder": w.personas["board_a"].pk,
                "schools": [w.school_a2.pk],
            },
        ),
        page(BA),
    ),
    Write(
        "POST portfolio_detail",
        "portfolios: change a family of schools",
        post(
            lambda w: f"/portfolios/{family(w).pk}/",
            lambda w: {
                "name": "North and south",
                "holder": w.personas["board_a"].pk,
                "schools": [w.school_a1.pk, w.school_a2.pk],
                "version": family(w).version,
            },
        ),
        _writes_but(BA, refused=(M, TR)),
    ),
    Write(
        "POST portfolio_delete",
        "portfolios: delete a ministry officer's boards",
        post(lambda w: f"/portfolios/{boards(w).pk}/delete/"),
        _writes_but(M),
    ),
]
