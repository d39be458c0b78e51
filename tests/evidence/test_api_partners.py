"""The partners part's API (capacity/evidence/api_partners.py): the lists of schools that beat the
odds and an identified school's partners, on the hand-built province of partners_world.py."""

from __future__ import annotations

import pytest

from capacity.directory.services import api_token_create
from tests.evidence import partners_world

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="data team")
    return {"Authorization": f"Bearer {key}"}


def test_the_lists_and_the_partners_read_like_the_pages(client, world):
    partners_world.build(world)
    ministry = bearer(world.personas["ministry"])
    province = client.get("/api/evidence/beat-the-odds", headers=ministry).json()
    assert province["school_year"] == "2022-23"
    assert province["years"] == ["2022-23", "2021-22", "2018-19"]
    assert province["rule"] == {
        "years": 3,
        "at_least": 2,
        "margin_sd": 1.0,
        "min_participating": 10,
    }
    numbers = [s["school_number"] for s in province["schools"]]
    assert numbers == ["810001", "810003", "810006", "810002"]
    p2 = province["schools"][-1]
    assert p2["years_beaten"] == 2
    assert [(s["school_year"], s["beat"]) for s in p2["standings"]] == [
        ("2018-19", False),
        ("2021-22", True),
        ("2022-23", True),
    ]
    board = client.get(
        f"/api/evidence/beat-the-odds?board={world.board_b.number}&year=2022-23", headers=ministry
    ).json()
    assert [s["school_number"] for s in board["schools"]] == ["810001", "810006"]
    assert (
        client.get("/api/evidence/beat-the-odds?year=2019-20", headers=ministry).status_code == 404
    )

    principal = bearer(world.personas["principal_a1"])
    answer = client.get("/api/schools/700001/partners", headers=principal).json()
    assert answer["identified"] is True and answer["reason"] == ""
    assert [p["school_name"] for p in answer["partners"]] == ["P1 School", "P2 School", "P3 School"]
    assert answer["partners"][2]["same_language"] is False
    assert answer["partners"][1]["why"].startswith("Similar share of students learning")
    assert (
        client.get("/api/schools/810001/partners", headers=ministry).json()["identified"] is False
    )


def test_people_outside_the_rules_are_refused(client, world):
    teacher = bearer(world.personas["teacher_a1"])
    assert client.get("/api/schools/700001/partners", headers=teacher).status_code == 403
    assert client.get("/api/evidence/beat-the-odds", headers=teacher).status_code == 403
    leader = bearer(world.personas["board_a"])
    assert client.get("/api/evidence/beat-the-odds", headers=leader).status_code == 403
    other = f"/api/evidence/beat-the-odds?board={world.board_b.number}"
    assert client.get(other, headers=leader).status_code == 403
    empty = client.get(f"/api/evidence/beat-the-odds?board={world.board_a.number}", headers=leader)
    assert empty.json() == {
        "school_year": None,
        "years": [],
        "rule": empty.json()["rule"],
        "schools": [],
    }
