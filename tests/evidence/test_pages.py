"""The evidence pages: province overview, simulator, board and school evidence."""

from __future__ import annotations

from capacity.evidence.models import Assessment, Result
from tests.evidence.conftest import results_for
from tests.factories import SchoolContextFactory, SchoolFactory


def get(client, world, persona, path):
    client.force_login(world.personas[persona])
    return client.get(path)


def test_the_province_page_lists_the_identified_school_with_its_reasons(
    client, evidence_world
) -> None:
    response = get(client, evidence_world, "ministry", "/evidence/?year=2018-19")
    assert response.status_code == 200
    found = response.context["found"]
    assert [s.school_number for s in found.identified] == ["700001"]
    content = response.content.decode()
    assert "Aspen Public School" in content
    assert "2018-19 Grade 3 mathematics 30%" in content  # the name, never the code
    assert "<svg" in content and 'role="img"' in content  # the chart, drawn on the server


def test_the_province_page_offers_a_data_table_for_the_chart(client, evidence_world) -> None:
    response = get(client, evidence_world, "ministry", "/evidence/?year=2018-19")
    chart = response.context["chart"]
    assert chart.rows[-1][0] == "2018-19" and chart.rows[-1][1] == 1
    assert "Show the numbers in a table" in response.content.decode()


def test_an_unknown_year_is_not_found(client, evidence_world) -> None:
    assert get(client, evidence_world, "ministry", "/evidence/?year=1999-00").status_code == 404


def test_the_simulator_shows_schools_that_would_enter(client, evidence_world) -> None:
    path = "/evidence/simulate/?year=2018-19&current=ofip-2016&proposed=ofip-2016&threshold=81"
    response = get(client, evidence_world, "ministry", path)
    outcome = response.context["outcome"]
    assert outcome.counts["current"] == 1
    assert [s["school_number"] for s in outcome.entering] == ["700003"]
    assert "Birch Catholic School" in response.content.decode()


def test_the_simulator_answers_htmx_with_the_outcome_only(client, evidence_world) -> None:
    client.force_login(evidence_world.personas["ministry"])
    response = client.get(
        "/evidence/simulate/?year=2018-19&current=ofip-2016&proposed=reading-2008",
        headers={"HX-Request": "true"},
    )
    assert b"<html" not in response.content and b"What would change" in response.content


def test_the_simulator_rejects_a_threshold_over_100(client, evidence_world) -> None:
    response = get(
        client,
        evidence_world,
        "ministry",
        "/evidence/simulate/?year=2018-19&current=ofip-2016&proposed=ofip-2016&threshold=150",
    )
    assert response.context["outcome"] is None
    assert response.context["form"].errors["threshold"]


def test_the_school_page_explains_identification_to_its_principal(client, evidence_world) -> None:
    response = get(client, evidence_world, "principal_a1", "/schools/700001/evidence/?year=2018-19")
    assert response.status_code == 200
    assert response.context["status"].status == "identified"
    content = response.content.decode()
    assert "Identified for focused intervention" in content
    assert response.context["may_compare"] is False
    assert "Similar schools" not in content


def test_similar_schools_are_for_system_leaders_and_stay_in_their_scope(
    client, evidence_world
) -> None:
    for year in ("2017-18", "2018-19"):
        for school in (evidence_world.school_a1, evidence_world.school_b1):
            SchoolContextFactory(school=school, school_year=year)
    extra = SchoolFactory(
        board=evidence_world.board_a, number="700010", name="Alpha Two Public School"
    )
    SchoolContextFactory(school=extra, school_year="2018-19", pct_low_income=20)
    response = get(client, evidence_world, "board_a", "/schools/700001/evidence/?year=2018-19")
    assert response.context["may_compare"] is True
    numbers = {s["school_number"] for s in response.context["similar"]}
    assert "700003" not in numbers  # board B's school is outside board A's leader's scope
    response = get(client, evidence_world, "ministry", "/schools/700001/evidence/?year=2018-19")
    assert "700003" in {s["school_number"] for s in response.context["similar"]}


def test_small_groups_are_hidden_with_their_complement(client, evidence_world) -> None:
    results_for(
        evidence_world.school_a1,
        "2018-19",
        [50, 50, 50, 50, 50, 50],
        group="female",
        participating=8,
    )
    results_for(
        evidence_world.school_a1,
        "2018-19",
        [30, 30, 30, 30, 30, 30],
        group="male",
        participating=32,
    )
    response = get(client, evidence_world, "principal_a1", "/schools/700001/evidence/?year=2018-19")
    groups = response.context["groups"]
    assert groups and not any(g.shown for g in groups)
    assert {g.reason for g in groups if g.group == "female"} == {"small"}
    assert {g.reason for g in groups if g.group == "male"} == {"complementary"}
    assert "32" not in [str(g.participating) for g in groups]


def test_the_board_page_lists_its_schools_needing_support_and_its_trend(
    client, evidence_world
) -> None:
    response = get(client, evidence_world, "board_a", "/boards/B66001/evidence/?year=2018-19")
    assert [s.school_number for s in response.context["statuses"]] == ["700001"]
    assert response.context["rollup_chart"] is not None
    assert "Birch" not in response.content.decode()


def test_a_page_before_any_results_says_so(client, world) -> None:
    response = get(client, world, "ministry", "/evidence/")
    assert response.status_code == 200
    assert "No assessment results have been imported yet." in response.content.decode()


def test_a_policy_change_shows_at_once(client, evidence_world) -> None:
    first = get(client, evidence_world, "ministry", "/evidence/?year=2018-19").context["counts"][
        "identified"
    ]
    Result.objects.filter(
        school=evidence_world.school_a1,
        school_year="2018-19",
        assessment=Assessment.objects.get(code="G3-READ"),
    ).update(pct_at_standard=90)
    Result.objects.filter(
        school=evidence_world.school_a1,
        school_year="2018-19",
        assessment=Assessment.objects.get(code="G3-WRITE"),
    ).update(pct_at_standard=90)
    from capacity.evidence.selectors import forget_data_version

    forget_data_version()
    # Updating values in place keeps the count and newest id: the version must still move.
    second = get(client, evidence_world, "ministry", "/evidence/?year=2018-19").context["counts"][
        "identified"
    ]
    assert (first, second) == (1, 0)
