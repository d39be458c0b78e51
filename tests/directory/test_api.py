"""The directory's API: boards and schools as the caller may see them, searched and filtered."""

from __future__ import annotations

import pytest

from capacity.directory.models import School
from capacity.directory.services import api_token_create


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name="directory api tests")
    return {"Authorization": f"Bearer {key}"}


def items(client, path: str, user) -> list[dict]:
    response = client.get(path, headers=bearer(user))
    assert response.status_code == 200, response.content[:300]
    return response.json()["items"]


@pytest.mark.parametrize(
    ("persona", "boards"),
    [
        ("ministry", ["B66001", "B66002"]),
        ("board_a", ["B66001"]),
        ("trustee_a", ["B66001"]),
        # School roles see their school, not its board.
        ("principal_b1", []),
    ],
)
def test_a_caller_lists_the_boards_they_may_see_by_number(client, world, persona, boards) -> None:
    listed = items(client, "/api/boards", world.personas[persona])

    assert [board["number"] for board in listed] == boards
    if persona == "ministry":
        assert listed[1] == {
            "number": "B66002",
            "name": "Beta Catholic District School Board",
            "language": world.board_b.language,
            "board_type": "catholic",
            "region": world.board_b.region,
        }


def test_a_school_is_answered_with_its_board_and_place(client, world) -> None:
    School.objects.filter(pk=world.school_a2.pk).update(latitude=46.49, longitude=-80.99)

    listed = items(client, "/api/schools?q=Alder", world.personas["ministry"])

    assert listed == [
        {
            "number": "700002",
            "name": "Alder Secondary School",
            "board_number": "B66001",
            "level": "secondary",
            "language": world.school_a2.language,
            "grade_range": "9-12",
            "city": world.school_a2.city,
            "enrolment": world.school_a2.enrolment,
            "latitude": 46.49,
            "longitude": -80.99,
        }
    ]


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ("", ["700002", "700001", "700003"]),
        ("q=7000", ["700002", "700001", "700003"]),
        ("q=birch", ["700003"]),
        ("board=B66001", ["700002", "700001"]),
        ("level=secondary", ["700002"]),
        ("level=elementary&board=B66002", ["700003"]),
        ("q=nowhere", []),
    ],
)
def test_schools_are_searched_and_filtered_in_name_order(client, world, query, numbers) -> None:
    listed = items(client, f"/api/schools?{query}", world.personas["ministry"])

    assert [school["number"] for school in listed] == numbers


def test_a_principal_searches_only_their_own_school(client, world) -> None:
    listed = items(client, "/api/schools?q=school", world.personas["principal_b1"])

    assert [school["number"] for school in listed] == ["700003"]


def test_a_filter_outside_its_choices_or_pattern_is_refused_with_422(client, world) -> None:
    headers = bearer(world.personas["ministry"])

    assert client.get("/api/schools?level=college", headers=headers).status_code == 422
    # Text a database cannot store (PostgreSQL refuses NUL) never reaches the query.
    assert client.get("/api/schools?board=B66%00001", headers=headers).status_code == 422
    assert client.get("/api/schools?q=" + "x" * 101, headers=headers).status_code == 422


def test_one_school_is_refused_outside_the_callers_scope(client, world) -> None:
    headers = bearer(world.personas["principal_b1"])

    own = client.get("/api/schools/700003", headers=headers)
    other = client.get("/api/schools/700001", headers=headers)

    assert own.status_code == 200 and own.json()["name"] == "Birch Catholic School"
    assert other.status_code == 403 and "Aspen" not in other.content.decode()


def test_the_api_lists_the_portfolios_the_caller_reads(client, world) -> None:
    from capacity.directory.services_portfolios import portfolio_save

    leader, officer = world.personas["board_a"], world.personas["ministry"]
    portfolio_save(
        user=leader, name="North", holder=leader, board=world.board_a, schools=[world.school_a1]
    )
    portfolio_save(user=officer, name="East", holder=officer, boards=[world.board_b])
    rows = items(client, "/api/portfolios", leader)
    assert rows == [
        {
            "id": rows[0]["id"],
            "name": "North",
            "holder": leader.username,
            "board_number": world.board_a.number,
            "schools": [world.school_a1.number],
            "boards": [],
        }
    ]
    assert {r["name"] for r in items(client, "/api/portfolios", officer)} == {"North", "East"}
    assert items(client, "/api/portfolios", world.personas["principal_a1"]) == []
