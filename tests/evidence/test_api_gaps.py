"""The gaps API: the same figures as the pages, for the same people."""

from __future__ import annotations

import pytest

from capacity.directory.services import api_token_create
from tests.evidence.gaps_world import context_province, groups_a1


@pytest.fixture(autouse=True)
def _fresh_answers():
    from django.core.cache import cache

    from capacity.evidence.selectors import forget_cached, forget_data_version

    cache.clear()
    forget_cached()
    forget_data_version()


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="data team")
    return {"Authorization": f"Bearer {key}"}


def test_it_gives_a_school_s_gaps_against_the_other_students(client, world) -> None:
    context_province(world)
    response = client.get(
        "/api/schools/700001/gaps", headers=bearer(world.personas["principal_a1"])
    )
    assert response.status_code == 200
    body = response.json()
    ell = [
        r
        for r in body["against_others"]
        if r["group"] == "ell" and r["school_year"] == "2017-18" and r["assessment"] == "G3-READ"
    ]
    assert ell[0]["others_pct"] == pytest.approx(80.0)
    assert ell[0]["others_participating"] == 30
    # 2021-22: 8 girls are hidden, and the boys with them; neither has a comparison.
    hidden = [
        r
        for r in body["against_others"]
        if r["school_year"] == "2021-22" and r["group"] in ("female", "male")
    ]
    assert hidden and all(r["why_not"] == "no_figure" and r["others_pct"] is None for r in hidden)
    trend = next(t for t in body["trends"] if t["group"] == "ell" and t["assessment"] == "G3-READ")
    assert trend["direction"] == "narrowing"
    assert [c["note"] for c in trend["cells"] if c["year"] in ("2019-20", "2020-21")] == [
        "no_tests"
    ] * 2
    assert [c["year"] for c in body["context_gap"]] == ["2018-19", "2021-22"]
    assert {c["subject"] for c in body["cohorts"]} == {"READ", "WRITE", "MATH"}


def test_it_gives_a_board_s_gaps(client, world) -> None:
    context_province(world)
    response = client.get("/api/boards/B66001/gaps", headers=bearer(world.personas["board_a"]))
    assert response.status_code == 200
    body = response.json()
    ell = [
        r for r in body["against_others"] if r["group"] == "ell" and r["school_year"] == "2017-18"
    ]
    assert ell and all(r["schools"] == 1 for r in ell)
    assert body["context_gap"][-1]["schools"] == 8


def test_another_board_s_principal_is_refused(client, world) -> None:
    groups_a1(world)
    headers = bearer(world.personas["principal_b1"])
    assert client.get("/api/schools/700001/gaps", headers=headers).status_code == 403
    assert client.get("/api/boards/B66001/gaps", headers=headers).status_code == 403
