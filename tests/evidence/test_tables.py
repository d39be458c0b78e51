"""The tables the evidence pages show: rows shaped from the analytics, in a stable order, with nothing invented.

Sorting the simulator by a column is tested on the page (test_simulator_page.py); the
weighting words in test_wording.py.
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import pytest

from capacity.evidence import tables
from capacity.evidence.selectors import ResultRow


def _trend(school: str, name: str, changes: dict[str, object]) -> list[dict[str, object]]:
    return [
        {"school_number": school, "school_name": name, "assessment": code, "change": change}
        for code, change in changes.items()
    ]


def test_a_schools_trend_row_has_a_cell_per_grade_3_6_assessment_and_the_mean_of_those_known() -> (
    None
):
    records = _trend(
        "700001",
        "Aspen Public School",
        {"G3-READ": 4.0, "G3-MATH": -2.5, "G6-WRITE": math.nan, "G9-MATH": 30.0},
    )

    [row] = tables.trend_rows(records)

    assert row["cells"] == [4.0, None, -2.5, None, None, None]
    # Grade 9 is not on the page and takes no part in the mean; an unknown change is no zero.
    assert row["mean"] == round((4.0 - 2.5) / 2, 1) == 0.8
    assert (row["school_number"], row["school_name"]) == ("700001", "Aspen Public School")


def test_trend_rows_run_from_the_largest_fall_with_schools_without_a_change_last() -> None:
    records = [
        *_trend("700001", "Aspen", {"G3-READ": 3.0}),
        *_trend("700002", "Alder", {"G3-READ": None, "G6-MATH": "not a number"}),
        *_trend("700003", "Birch", {"G3-READ": -6.0, "G3-WRITE": -2.0}),
        *_trend("700004", "Cedar", {"G3-READ": 0.0}),
    ]

    rows = tables.trend_rows(records)

    assert [(r["school_number"], r["mean"]) for r in rows] == [
        ("700003", -4.0),
        ("700004", 0.0),
        ("700001", 3.0),
        ("700002", None),
    ]


def test_gap_rows_keep_grade_3_6_figures_by_group_in_the_assessments_order() -> None:
    records: list[dict[str, Any]] = [
        {
            "group": "male",
            "assessment": "G6-MATH",
            "pct_at_standard": 48.0,
            "reference_pct": 50.5,
            "gap": -2.5,
        },
        {
            "group": "female",
            "assessment": "G6-READ",
            "pct_at_standard": "81",
            "reference_pct": 77,
            "gap": 4,
        },
        {
            "group": "female",
            "assessment": "G3-READ",
            "pct_at_standard": None,
            "reference_pct": 70,
            "gap": None,
        },
        {
            "group": "female",
            "assessment": "OSSLT",
            "pct_at_standard": 90,
            "reference_pct": 85,
            "gap": 5,
        },
    ]

    rows = tables.gap_rows(records)

    assert [(r["group"], r["assessment"], r["value"], r["reference"], r["gap"]) for r in rows] == [
        ("female", "G3-READ", None, 70.0, None),
        ("female", "G6-READ", 81.0, 77.0, 4.0),
        ("male", "G6-MATH", 48.0, 50.5, -2.5),
    ]


def _result(year: str, code: str, pct: float | None) -> ResultRow:
    return ResultRow(
        school_year=year,
        assessment=code,
        assessment_name=f"name of {code}",
        participating=40,
        pct_at_standard=pct,
        status="" if pct is not None else "nr",
        status_label="",
    )


def test_a_schools_results_table_is_years_by_assessments_with_gaps_left_empty() -> None:
    results = [
        _result("2018-19", "OSSLT", 80.0),
        _result("2018-19", "G6-MATH", 45.0),
        _result("2017-18", "G3-READ", None),
        _result("2017-18", "G9-MATH", 70.0),
        _result("2018-19", "G3-READ", 60.0),
    ]

    table = tables.school_results_table(results)

    # Grade 3 and 6 in their own order first, then the others by code.
    assert table["assessments"] == [
        ("G3-READ", "name of G3-READ"),
        ("G6-MATH", "name of G6-MATH"),
        ("G9-MATH", "name of G9-MATH"),
        ("OSSLT", "name of OSSLT"),
    ]
    assert table["years"] == ["2017-18", "2018-19"]
    [(first, cells_2017), (second, cells_2018)] = table["rows"]
    assert (first, second) == ("2017-18", "2018-19")
    assert [c.pct_at_standard if c else "-" for c in cells_2017] == [None, "-", 70.0, "-"]
    assert [c.pct_at_standard if c else "-" for c in cells_2018] == [60.0, 45.0, "-", 80.0]


def test_an_empty_result_list_makes_an_empty_table() -> None:
    assert tables.school_results_table([]) == {"years": [], "assessments": [], "rows": []}


def test_a_problems_download_gives_back_the_cells_as_the_file_had_them() -> None:
    stored = "row,column,reason\r\n12,'=Board,'+1 is not a number\r\n,,'quoted in the file\r\n"

    header, rows = tables.problem_table(stored)

    assert header == ["row", "column", "reason"]
    # The apostrophe the CSV writer put in front of a formula goes; one the file had stays.
    assert rows == [["12", "=Board", "+1 is not a number"], ["", "", "'quoted in the file"]]
    assert tables.problem_table("") == ([], [])


def test_the_page_shows_the_first_200_problems() -> None:
    stored = "row,column,reason\n" + "".join(f"{n},School Number,missing\n" for n in range(2, 502))

    rows = tables.problem_rows(stored)

    assert len(rows) == 200 and rows[0] == {
        "row": "2",
        "column": "School Number",
        "reason": "missing",
    }
    assert rows[-1]["row"] == "201"
    assert tables.problem_rows("") == []


@pytest.mark.parametrize(
    ("year", "back", "expected"),
    [("2023-24", 3, "2020-21"), ("2000-01", 1, "1999-00"), ("2018-19", 0, "2018-19")],
)
def test_years_before_counts_school_years_across_centuries(year, back, expected) -> None:
    assert tables.years_before(year, back) == expected


def test_sort_headers_keep_the_forms_choices_and_reverse_the_sorted_column() -> None:
    columns = [("board", "Board", False), ("proposed", "Proposed", True)]
    query = {"year": "2018-19", "current": "ofip-2016", "sort": "-proposed"}

    board, proposed = tables.sort_headers(columns, "-proposed", query)

    assert proposed["aria_sort"] == "descending"
    assert proposed["href"] == "?year=2018-19&current=ofip-2016&sort=proposed"
    assert board["aria_sort"] == "" and board["href"].endswith("&sort=board")
    # A number column not yet sorted sorts largest first.
    [_, unsorted] = tables.sort_headers(columns, "board", {})
    assert unsorted["href"] == "?sort=-proposed"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("12.5", 12.5), (7, 7.0), ("SP", None), (math.nan, None), ([1], None)],
)
def test_number_or_none_reads_numbers_and_nothing_else(value, expected) -> None:
    assert tables.number_or_none(value) == expected


def test_board_rows_put_the_most_identified_first_then_names_and_keep_unknown_boards() -> None:
    counts = {"insufficient_data": 0, "schools": 10}
    over_time = SimpleNamespace(
        by_board={
            "2018-19": {
                "B66002": {"identified": 2, **counts},
                "B66001": {"identified": 2, **counts},
                "B66003": {"identified": 5, **counts},
                "B66009": {"identified": 0, **counts},
            }
        },
        boards={"B66001": "Alpha DSB", "B66002": "Beta CDSB", "B66003": "Zeta DSB"},
    )

    rows = tables.board_rows(over_time, "2018-19")  # type: ignore[arg-type]

    assert [(r["board_name"], r["identified"]) for r in rows] == [
        ("Zeta DSB", 5),
        ("Alpha DSB", 2),
        ("Beta CDSB", 2),
        ("B66009", 0),  # a board no longer in the directory is named by its number
    ]
    assert tables.board_rows(over_time, "2017-18") == []  # type: ignore[arg-type]
