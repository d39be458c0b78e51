"""Pages say how a board's figure is made: weighted by students only when the results give counts.

Ontario's published tables carry no student counts, so a board's figure from them
is a plain mean of its schools' percentages, and the page must say so.
"""

from __future__ import annotations

from capacity.evidence import tables
from tests.evidence.conftest import results_for


def board_chart_description(client, world) -> str:
    client.force_login(world.personas["board_a"])
    response = client.get("/boards/B66001/evidence/?year=2018-19")
    return response.context["rollup_chart"].description


def test_a_board_chart_from_results_without_counts_says_it_is_a_mean_of_school_percentages(
    client, world
) -> None:
    for school in (world.school_a1, world.school_a2):
        results_for(school, "2018-19", [40, 42, 30, 45, 48, 70], participating=None)
    description = board_chart_description(client, world)
    assert "mean of the schools' percentages" in description
    assert "weighted by participating students" not in description


def test_a_board_chart_from_results_with_counts_says_it_is_weighted_by_students(
    client, world
) -> None:
    for school in (world.school_a1, world.school_a2):
        results_for(school, "2018-19", [40, 42, 30, 45, 48, 70], participating=40)
    assert "weighted by participating students" in board_chart_description(client, world)


def test_gap_rows_name_their_weighting() -> None:
    assert tables.gap_weighting([{"participating": 120}, {"participating": 80}]) == "participating"
    assert tables.gap_weighting([{"participating": None}, {"participating": None}]) == "equal"
    assert tables.gap_weighting([{"participating": 120}, {"participating": None}]) == "mixed"
