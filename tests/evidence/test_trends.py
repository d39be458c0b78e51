"""School trends and rollups, on numbers worked out by hand (on DuckDB and SQLite)."""

from __future__ import annotations

import math

import pytest

from capacity.evidence.analytics import engines
from capacity.evidence.analytics.trends import rollup, school_trends
from tests.evidence.analytics_data import load, results_frame


@pytest.fixture(params=["duckdb", "sqlite"])
def con(request):
    return engines.connect(request.param)


def rows_by(frame, *keys):
    return {tuple(row[key] for key in keys): row for row in frame.to_dict("records")}


def test_slope_of_40_45_50_is_5_per_year(con):
    results = load(
        con,
        results_frame(
            [
                {
                    "school_number": "1",
                    "school_year": "2016-17",
                    "pct_at_standard": 40,
                    "participating": 20,
                },
                {
                    "school_number": "1",
                    "school_year": "2017-18",
                    "pct_at_standard": 45,
                    "participating": 22,
                },
                {
                    "school_number": "1",
                    "school_year": "2018-19",
                    "pct_at_standard": 50,
                    "participating": 25,
                },
            ]
        ),
        "results",
    )
    row = school_trends(results, years=3).to_pandas().iloc[0]
    assert math.isclose(row.slope, 5.0, abs_tol=1e-12)
    assert row.points == 3
    assert (
        row.latest_year == "2018-19" and row.latest_value == 50 and row.latest_participating == 25
    )
    # 2015-16 has no value: the three-year change is unknown, the slope is not.
    assert row.base_year == "2015-16" and math.isnan(row.base_value) and math.isnan(row.change)

    two = school_trends(results, years=2).to_pandas().iloc[0]
    assert two.base_year == "2016-17" and two.base_value == 40 and two.change == 10


def test_years_are_calendar_school_years_and_gaps_count(con):
    # Values only at both ends of the window, and a value outside it.
    results = load(
        con,
        results_frame(
            [
                {"school_number": "2", "school_year": "2014-15", "pct_at_standard": 99},
                {"school_number": "2", "school_year": "2015-16", "pct_at_standard": 60},
                {"school_number": "2", "school_year": "2017-18", "status": "nr"},
                {"school_number": "2", "school_year": "2018-19", "pct_at_standard": 69},
            ]
        ),
        "results",
    )
    row = school_trends(results).to_pandas().iloc[0]
    assert row.base_year == "2015-16" and row.base_value == 60
    assert row.change == pytest.approx(9.0)
    assert row.points == 2
    assert row.slope == pytest.approx(3.0)  # (69 - 60) / 3 school years


def test_latest_anchor_and_single_point(con):
    results = load(
        con,
        results_frame(
            [
                {"school_number": "3", "school_year": "2009-10", "pct_at_standard": 50},
                {"school_number": "3", "school_year": "2010-11", "pct_at_standard": 70},
                {"school_number": "4", "school_year": "2009-10", "pct_at_standard": 30},
            ]
        ),
        "results",
    )
    anchored = rows_by(
        school_trends(results, years=1, latest="2009-10").to_pandas(), "school_number"
    )
    assert (
        anchored[("3",)]["latest_year"] == "2009-10" and anchored[("3",)]["base_year"] == "2008-09"
    )
    assert anchored[("3",)]["latest_value"] == 50
    # One reported value: no slope.
    assert anchored[("4",)]["points"] == 1 and math.isnan(anchored[("4",)]["slope"])

    default = rows_by(school_trends(results, years=1).to_pandas(), "school_number")
    # The default anchor is the latest year in the table, the same for every school.
    assert default[("4",)]["latest_year"] == "2010-11"
    assert math.isnan(default[("4",)]["latest_value"]) and default[("4",)]["base_value"] == 30
    assert default[("3",)]["change"] == 20 and default[("3",)]["slope"] == pytest.approx(20.0)


def test_trends_use_only_the_requested_group(con):
    results = load(
        con,
        results_frame(
            [
                {"school_number": "5", "school_year": "2017-18", "pct_at_standard": 50},
                {"school_number": "5", "school_year": "2018-19", "pct_at_standard": 60},
                {
                    "school_number": "5",
                    "school_year": "2017-18",
                    "group": "ell",
                    "pct_at_standard": 20,
                },
                {
                    "school_number": "5",
                    "school_year": "2018-19",
                    "group": "ell",
                    "pct_at_standard": 40,
                },
            ]
        ),
        "results",
    )
    assert school_trends(results, group="ell").to_pandas().iloc[0].slope == pytest.approx(20.0)
    assert school_trends(results).to_pandas().iloc[0].slope == pytest.approx(10.0)


def test_rollup_weights_by_participating_students(con):
    results = load(
        con,
        results_frame(
            [
                {
                    "school_number": "1",
                    "board_number": "B1",
                    "pct_at_standard": 30,
                    "participating": 10,
                },
                {
                    "school_number": "2",
                    "board_number": "B1",
                    "pct_at_standard": 60,
                    "participating": 30,
                },
                # Unknown participation next to known ones: left out of the mean.
                {"school_number": "3", "board_number": "B1", "pct_at_standard": 100},
                # Not reported: never counts.
                {"school_number": "4", "board_number": "B1", "participating": 50, "status": "sp"},
                # Another group: not in the "all" rollup.
                {
                    "school_number": "1",
                    "board_number": "B1",
                    "group": "ell",
                    "pct_at_standard": 0,
                    "participating": 5,
                },
            ]
        ),
        "results",
    )
    row = rollup(results).to_pandas().iloc[0]
    assert row.board_number == "B1" and row.group == "all"
    assert row.pct_at_standard == pytest.approx(52.5)  # (0.30 * 10 + 0.60 * 30) / 40
    assert row.schools == 2 and row.students == 40 and row.weighting == "participating"


def test_rollup_without_any_known_count_is_a_plain_mean(con):
    results = load(
        con,
        results_frame(
            [
                {"school_number": "1", "board_number": "B1", "pct_at_standard": 30},
                {"school_number": "2", "board_number": "B1", "pct_at_standard": 60},
                {
                    "school_number": "3",
                    "board_number": "B2",
                    "pct_at_standard": 80,
                    "participating": 12,
                },
            ]
        ),
        "results",
    )
    boards = rows_by(rollup(results).to_pandas(), "board_number")
    b1 = boards[("B1",)]
    assert b1["pct_at_standard"] == pytest.approx(45.0) and b1["weighting"] == "equal"
    assert b1["schools"] == 2 and b1["students"] is None or math.isnan(b1["students"])
    province = rollup(results, by=()).to_pandas()
    assert list(province.columns) == [
        "school_year",
        "assessment",
        "group",
        "pct_at_standard",
        "schools",
        "students",
        "weighting",
    ]
    # Province: one known count, so only that school counts.
    assert province.iloc[0].pct_at_standard == pytest.approx(80.0) and province.iloc[0].schools == 1


def test_rollup_of_several_groups_and_years(con):
    results = load(
        con,
        results_frame(
            [
                {
                    "school_number": "1",
                    "school_year": "2017-18",
                    "pct_at_standard": 50,
                    "participating": 10,
                },
                {
                    "school_number": "1",
                    "school_year": "2018-19",
                    "pct_at_standard": 70,
                    "participating": 10,
                },
                {
                    "school_number": "1",
                    "school_year": "2018-19",
                    "group": "ell",
                    "pct_at_standard": 40,
                    "participating": 4,
                },
                {
                    "school_number": "2",
                    "school_year": "2018-19",
                    "group": "ell",
                    "pct_at_standard": 80,
                    "participating": 12,
                },
            ]
        ),
        "results",
    )
    cells = rows_by(rollup(results, by=(), group=None).to_pandas(), "school_year", "group")
    assert set(cells) == {("2017-18", "all"), ("2018-19", "all"), ("2018-19", "ell")}
    assert cells[("2018-19", "ell")]["pct_at_standard"] == pytest.approx((40 * 4 + 80 * 12) / 16)
    only_ell = rollup(results, by=("board_number", "board_name"), group=["ell"]).to_pandas()
    assert list(only_ell.group) == ["ell"] and "board_name" in only_ell.columns


def test_rollup_rejects_unknown_key(con):
    results = load(con, results_frame([{"pct_at_standard": 1}]), "results")
    with pytest.raises(ValueError, match="no column"):
        rollup(results, by=("district",))
