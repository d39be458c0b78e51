"""The gaps pages of a school and a board, and their downloads."""

from __future__ import annotations

import pytest

from tests.evidence.gaps_world import context_province, groups_a1


@pytest.fixture(autouse=True)
def _fresh_answers():
    from django.core.cache import cache

    from capacity.evidence.selectors import forget_cached, forget_data_version

    cache.clear()
    forget_cached()
    forget_data_version()


def get(client, world, persona, path):
    client.force_login(world.personas[persona])
    return client.get(path)


def test_it_shows_a_school_s_groups_against_the_other_students(client, world) -> None:
    groups_a1(world)
    response = get(client, world, "principal_a1", "/schools/700001/evidence/gaps/?year=2017-18")
    assert response.status_code == 200
    ell = [r for r in response.context["others"] if r["group"] == "ell"]
    assert len(ell) == 6
    assert ell[0]["others_pct"] == pytest.approx(80.0)
    assert ell[0]["gap"] == pytest.approx(-40.0)
    content = response.content.decode()
    assert "all students minus the group" in content
    assert "-40.0" in content


def test_it_shows_gap_trends_with_the_covid_years_as_no_tests(client, world) -> None:
    groups_a1(world)
    response = get(client, world, "principal_a1", "/schools/700001/evidence/gaps/")
    trends = {(t.group, t.assessment): t for t in response.context["trends"]}
    ell = trends[("ell", "G3-READ")]
    assert [c.year for c in ell.cells][2:4] == ["2019-20", "2020-21"]
    assert {c.note for c in ell.cells[2:4]} == {"no_tests"}
    assert ell.direction == "narrowing"
    content = response.content.decode()
    assert "no tests (COVID-19)" in content
    assert "narrowing: from -40.0 points in 2017-18" in content


def test_it_shows_the_context_gap_and_the_cohorts(client, world) -> None:
    context_province(world)
    response = get(client, world, "teacher_a1", "/schools/700001/evidence/gaps/?year=2021-22")
    assert response.status_code == 200
    gaps = response.context["context_gaps"]
    assert [g.year for g in gaps] == ["2018-19", "2021-22"]
    assert gaps[-1].gap == pytest.approx(gaps[-1].actual - gaps[-1].predicted)
    assert "predicted for a school with its context" in response.content.decode()
    cohorts = response.context["cohorts"]
    assert {(c["grade3_year"], c["grade6_year"]) for c in cohorts} == {("2018-19", "2021-22")}


def test_a_board_page_lists_its_schools_only_to_its_leaders(client, world) -> None:
    context_province(world)
    response = get(client, world, "board_a", "/boards/B66001/evidence/gaps/?year=2021-22")
    assert response.status_code == 200
    assert response.context["may_compare"] is True
    assert len(response.context["school_gaps"]) == 8
    assert response.context["context_latest"].schools == 8
    response = get(client, world, "trustee_a", "/boards/B66001/evidence/gaps/?year=2021-22")
    assert response.status_code == 200
    assert response.context["school_gaps"] == []
    assert "School 700011" not in response.content.decode()


def test_an_unknown_year_is_not_found(client, world) -> None:
    groups_a1(world)
    response = get(client, world, "principal_a1", "/schools/700001/evidence/gaps/?year=1999-00")
    assert response.status_code == 404


def test_the_downloads_hold_what_the_page_shows(client, world) -> None:
    groups_a1(world)
    response = get(client, world, "principal_a1", "/schools/700001/evidence/gaps/others.csv")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.splitlines()[0].startswith("School year,Group,Assessment")
    assert "-40.0" in text
    for table in ("trends", "context", "cohorts"):
        for fmt in ("csv", "xlsx"):
            path = f"/schools/700001/evidence/gaps/{table}.{fmt}"
            assert get(client, world, "principal_a1", path).status_code == 200
            path = f"/boards/B66001/evidence/gaps/{table}.{fmt}"
            assert get(client, world, "board_a", path).status_code == 200
    assert (
        get(client, world, "board_a", "/boards/B66001/evidence/gaps/others.csv").status_code == 200
    )
    assert (
        get(client, world, "board_a", "/boards/B66001/evidence/gaps/nothing.csv").status_code == 404
    )
    assert (
        get(client, world, "board_a", "/boards/B66001/evidence/gaps/others.pdf").status_code == 404
    )


def test_a_principal_of_another_board_sees_nothing(client, world) -> None:
    groups_a1(world)
    assert get(client, world, "principal_b1", "/schools/700001/evidence/gaps/").status_code == 403
    path = "/schools/700001/evidence/gaps/others.csv"
    assert get(client, world, "principal_b1", path).status_code == 403
    assert get(client, world, "principal_b1", "/boards/B66001/evidence/gaps/").status_code == 403


def test_a_second_visit_reads_the_cached_answers(
    client, world, settings, django_assert_max_num_queries
) -> None:
    # The data's version is read once a minute in production; the tests read it every time.
    settings.CAPACITY_DATA_VERSION_TTL = 60
    context_province(world)
    client.force_login(world.personas["board_a"])
    client.get("/boards/B66001/evidence/gaps/?year=2021-22")
    client.get("/schools/700001/evidence/gaps/?year=2021-22")
    # Session, user, roles and scope, the school or board, the data's version: nothing per row.
    with django_assert_max_num_queries(12):
        assert client.get("/schools/700001/evidence/gaps/?year=2021-22").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/boards/B66001/evidence/gaps/?year=2021-22").status_code == 200
