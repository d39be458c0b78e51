"""The directory's pages show each person exactly their part of the province."""

from __future__ import annotations

import pytest

from capacity.directory.models import School
from tests.factories import SchoolFactory


def get(client, user, path, **params):
    client.force_login(user)
    return client.get(path, params)


def test_the_home_page_shows_a_principal_their_school(client, world) -> None:
    response = get(client, world.personas["principal_a1"], "/")
    assert b"Aspen Public School" in response.content
    assert b"Alpha District School Board" in response.content
    assert b"Birch" not in response.content


def test_the_home_page_shows_a_ministry_officer_the_province(client, world) -> None:
    response = get(client, world.personas["ministry"], "/")
    assert b"2 boards, 2 elementary and 1 secondary schools." in response.content


def test_the_home_page_shows_a_facilitator_their_network(client, world) -> None:
    response = get(client, world.personas["facilitator"], "/")
    assert b"North Shore Numeracy Network" in response.content


def test_the_school_list_is_limited_to_the_board(client, world) -> None:
    response = get(client, world.personas["board_a"], "/schools/")
    names = [s.name for s in response.context["schools"].rows]
    assert names == ["Alder Secondary School", "Aspen Public School"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "birch"}, ["Birch Catholic School"]),
        (
            {"q": "70000"},
            ["Alder Secondary School", "Aspen Public School", "Birch Catholic School"],
        ),
        ({"q": "700003"}, ["Birch Catholic School"]),
        ({"board": "B66001"}, ["Alder Secondary School", "Aspen Public School"]),
        ({"level": "secondary"}, ["Alder Secondary School"]),
        ({"language": "fr"}, []),
    ],
)
def test_a_ministry_officer_searches_schools(client, world, params, expected) -> None:
    response = get(client, world.personas["ministry"], "/schools/", **params)
    assert [s.name for s in response.context["schools"].rows] == expected


def test_a_search_cannot_reach_outside_the_scope(client, world) -> None:
    response = get(client, world.personas["principal_b1"], "/schools/", q="Aspen")
    assert list(response.context["schools"].rows) == []
    response = get(client, world.personas["principal_b1"], "/schools/", board="B66001")
    assert list(response.context["schools"].rows) == []


def test_htmx_gets_only_the_results(client, world) -> None:
    client.force_login(world.personas["ministry"])
    response = client.get("/schools/", {"q": "Aspen"}, headers={"HX-Request": "true"})
    assert b"<html" not in response.content
    assert b"Aspen Public School" in response.content


def test_the_school_list_needs_few_queries_however_many_schools(
    client, world, django_assert_max_num_queries
) -> None:
    for _ in range(30):
        SchoolFactory(board=world.board_a)
    client.force_login(world.personas["ministry"])
    client.get("/schools/")  # warm the session
    with django_assert_max_num_queries(10):
        response = client.get("/schools/")
    assert response.context["schools"].count == 33


def test_the_school_profile_shows_context_and_suppression_reasons(client, world) -> None:
    context = world.school_a1.contexts.get()
    context.pct_low_income = None
    context.statuses = {"pct_low_income": "sp"}
    context.save()
    response = get(client, world.personas["principal_a1"], f"/schools/{world.school_a1.number}/")
    assert b"Suppressed to protect privacy" in response.content
    assert b"Context indicators, 2023-24" in response.content


def test_the_board_profile_counts_its_schools(client, world) -> None:
    response = get(client, world.personas["board_a"], f"/boards/{world.board_a.number}/")
    profile = response.context["profile"]
    assert (profile.elementary, profile.secondary, profile.enrolment) == (1, 1, 600)
    assert profile.low_income_avg == 15.0


def test_the_network_page_links_only_schools_the_person_may_open(client, world) -> None:
    response = get(client, world.personas["principal_b1"], f"/networks/{world.network.pk}/")
    assert b'href="/schools/700003/"' in response.content
    assert b'href="/schools/700002/"' not in response.content
    assert b"Alder Secondary School" in response.content


def test_the_board_list_counts_by_level(client, world) -> None:
    SchoolFactory(board=world.board_b, level=School.Level.SECONDARY)
    response = get(client, world.personas["ministry"], "/boards/")
    rows = {b.number: (b.elementary, b.secondary) for b in response.context["boards"].rows}
    assert rows == {"B66001": (1, 1), "B66002": (1, 1)}


def test_french_pages_are_french(client, world) -> None:
    client.force_login(world.personas["principal_a1"])
    client.cookies["django_language"] = "fr"
    response = client.get(f"/schools/{world.school_a1.number}/")
    assert b'<html lang="fr">' in response.content
    assert "En un coup d’œil".encode() in response.content


def test_the_home_page_shows_a_board_leader_their_board_and_its_schools(client, world) -> None:
    response = get(client, world.personas["board_a"], "/")
    assert b"Alpha District School Board" in response.content
    assert b"1 elementary and 1 secondary schools" in response.content
    assert b"Beta" not in response.content
