"""Cohorts: Grade 3 in one year beside Grade 6 three years later; by hand, on DuckDB and SQLite,
and on Ontario's published tables."""

from __future__ import annotations

import ibis
import pytest

from capacity.evidence.analytics import engines
from capacity.evidence.analytics.cohorts import cohorts
from capacity.evidence.analytics.gaps import gaps_against_others
from tests.evidence import ontario_tables
from tests.evidence.analytics_data import load, results_frame


@pytest.fixture(params=["duckdb", "sqlite"])
def con(request):
    return engines.connect(request.param)


def test_it_pairs_each_grade_3_year_with_grade_6_three_years_on(con) -> None:
    rows = [
        {"assessment": "G3-READ", "school_year": "2015-16", "pct_at_standard": 60},
        {"assessment": "G6-READ", "school_year": "2018-19", "pct_at_standard": 72},
        {"assessment": "G3-MATH", "school_year": "2015-16", "pct_at_standard": 55},
        {"assessment": "G6-MATH", "school_year": "2018-19", "pct_at_standard": 41},
        # 2017-18's Grade 3 would meet 2020-21's Grade 6: no tests that year, no row.
        {"assessment": "G3-READ", "school_year": "2017-18", "pct_at_standard": 65},
        # Grade 6 two years on is not the same students.
        {"assessment": "G6-READ", "school_year": "2017-18", "pct_at_standard": 90},
        # Another group is not all students.
        {"assessment": "G3-WRITE", "school_year": "2015-16", "group": "ell", "pct_at_standard": 50},
        {"assessment": "G6-WRITE", "school_year": "2018-19", "group": "ell", "pct_at_standard": 60},
    ]
    table = load(con, results_frame(rows), "results")
    out = cohorts(table).to_pyarrow().to_pylist()
    assert [(r["subject"], r["grade3_year"], r["grade6_year"], r["change"]) for r in out] == [
        ("MATH", "2015-16", "2018-19", -14.0),
        ("READ", "2015-16", "2018-19", 12.0),
    ]
    ell = cohorts(table, group="ell").to_pyarrow().to_pylist()
    assert [(r["subject"], r["change"]) for r in ell] == [("WRITE", 10.0)]


def test_a_board_s_cohort_weighs_the_schools_with_both_grades(con) -> None:
    rows = [
        # School 1: Grade 3 50% of 20, Grade 6 70% of 30.
        {
            "school_number": "1",
            "assessment": "G3-READ",
            "school_year": "2015-16",
            "participating": 20,
            "pct_at_standard": 50,
        },
        {
            "school_number": "1",
            "assessment": "G6-READ",
            "school_year": "2018-19",
            "participating": 30,
            "pct_at_standard": 70,
        },
        # School 2: Grade 3 80% of 60, Grade 6 60% of 10.
        {
            "school_number": "2",
            "assessment": "G3-READ",
            "school_year": "2015-16",
            "participating": 60,
            "pct_at_standard": 80,
        },
        {
            "school_number": "2",
            "assessment": "G6-READ",
            "school_year": "2018-19",
            "participating": 10,
            "pct_at_standard": 60,
        },
        # School 3 has no Grade 6 result: left out of both sides.
        {
            "school_number": "3",
            "assessment": "G3-READ",
            "school_year": "2015-16",
            "participating": 99,
            "pct_at_standard": 0,
        },
    ]
    table = load(con, results_frame(rows), "results")
    (board,) = cohorts(table, level="board").to_pyarrow().to_pylist()
    assert board["schools"] == 2
    assert board["grade3_pct"] == pytest.approx((1000 + 4800) / 80)
    assert board["grade6_pct"] == pytest.approx((2100 + 600) / 40)
    assert board["change"] == pytest.approx(2700 / 40 - 5800 / 80)


def test_on_ontario_s_tables_2018_19_grade_3_meets_2021_22_grade_6() -> None:
    table = ibis.memtable(ontario_tables.canonical())
    out = cohorts(table).to_pandas()
    # 2017-18 would meet 2020-21 (no tests) and 2021-22 would meet 2024-25 (not published yet).
    assert set(zip(out.grade3_year, out.grade6_year, strict=True)) == {("2018-19", "2021-22")}
    grade3 = ontario_tables.by_hand("2018-19")
    grade6 = ontario_tables.by_hand("2021-22")
    for subject in ("READ", "WRITE", "MATH"):
        both = (
            grade3[f"G3-{subject}"]
            .dropna()
            .index.intersection(grade6[f"G6-{subject}"].dropna().index)
        )
        mine = out[out.subject == subject]
        assert len(mine) == len(both) > 1000
        sample = mine.iloc[len(mine) // 2]
        number = sample.school_number
        assert sample.grade3_pct == grade3.loc[number, f"G3-{subject}"]
        assert sample.grade6_pct == grade6.loc[number, f"G6-{subject}"]
        assert sample.change == pytest.approx(sample.grade6_pct - sample.grade3_pct)


def test_ontario_s_tables_give_no_counts_so_no_group_meets_the_other_students() -> None:
    # Ontario's school tables publish no Grade 3 or 6 results by student group and no counts at
    # all (only Grade 9 mathematics by course): gaps against the other students need files with
    # counts, such as the student-level imports.
    table = ibis.memtable(ontario_tables.canonical())
    groups = set(table.group.to_pyarrow().to_pylist())
    assert groups == {"all", "academic", "applied"}
    out = gaps_against_others(table).to_pandas()
    assert len(out) > 0
    assert set(out.why_not) <= {"no_counts", "no_figure"}
    assert out.others_pct.isna().all()
