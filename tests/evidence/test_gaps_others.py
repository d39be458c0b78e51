"""Each group against the other students, and gap trends, on numbers worked out by hand;
on DuckDB and on SQLite; and the privacy of the complement."""

from __future__ import annotations

import pytest

from capacity.evidence.analytics import engines
from capacity.evidence.analytics.gaps import gap_trends, gaps_against_others
from capacity.evidence.analytics.suppression import gate_results
from tests.evidence.analytics_data import load, results_frame


@pytest.fixture(params=["duckdb", "sqlite"])
def con(request):
    return engines.connect(request.param)


def rows_of(con, rows, **kwargs):
    table = load(con, results_frame(rows), "results")
    return gaps_against_others(table, **kwargs).to_pyarrow().to_pylist()


def one(rows, **keys):
    found = [r for r in rows if all(r[k] == v for k, v in keys.items())]
    assert len(found) == 1, (keys, found)
    return found[0]


def test_it_compares_a_group_with_the_students_outside_it(con) -> None:
    # 70% of 40; ELL 40% of 10: the other 30 are at (2800 - 400) / 30 = 80%, a gap of -40
    # (against all students, who include the ELL students, it would look like -30).
    rows = rows_of(
        con,
        [
            {"group": "all", "participating": 40, "pct_at_standard": 70},
            {"group": "ell", "participating": 10, "pct_at_standard": 40},
            {"group": "female", "participating": 16, "pct_at_standard": 85},
            {"group": "male", "participating": 24, "pct_at_standard": 60},
        ],
    )
    ell = one(rows, group="ell")
    assert ell["others_pct"] == pytest.approx(80.0)
    assert ell["others_participating"] == 30
    assert ell["gap"] == pytest.approx(-40.0)
    assert ell["all_pct"] == 70.0
    # Girls against the others, who are the boys: (2800 - 1360) / 24 = 60.
    female = one(rows, group="female")
    assert female["others_pct"] == pytest.approx(60.0)
    assert female["gap"] == pytest.approx(25.0)
    assert {r["why_not"] for r in rows} == {""}


def test_it_makes_no_comparison_without_counts_or_with_too_few_others(con) -> None:
    rows = rows_of(
        con,
        [
            {"school_number": "1", "group": "all", "participating": None, "pct_at_standard": 70},
            {"school_number": "1", "group": "ell", "participating": 12, "pct_at_standard": 40},
            # 18 students, 12 of them in special education: 6 others, too few to show.
            {"school_number": "2", "group": "all", "participating": 18, "pct_at_standard": 50},
            {
                "school_number": "2",
                "group": "special_education",
                "participating": 12,
                "pct_at_standard": 40,
            },
            # No result for all students.
            {"school_number": "3", "group": "ell", "participating": 12, "pct_at_standard": 40},
        ],
    )
    assert one(rows, school_number="1")["why_not"] == "no_counts"
    small = one(rows, school_number="2")
    assert small["why_not"] == "others_small"
    assert small["others_pct"] is None and small["others_participating"] is None
    assert small["gap"] is None
    assert one(rows, school_number="3")["why_not"] == "no_figure"


def test_rounded_figures_cannot_give_the_others_more_than_everyone(con) -> None:
    # Rounded figures: 99% of 30 and 96% of 10 leave (2970 - 960) / 20 = 100.5% for the others.
    rows = rows_of(
        con,
        [
            {"group": "all", "participating": 30, "pct_at_standard": 99},
            {"group": "ell", "participating": 10, "pct_at_standard": 96},
        ],
        minimum=10,
    )
    ell = one(rows, group="ell")
    assert ell["others_pct"] == 100.0
    assert ell["gap"] == pytest.approx(-4.0)


def test_a_board_compares_over_the_schools_with_both_sides(con) -> None:
    rows = [
        # School 1: 40 at 70, ELL 10 at 40 -> others 30 at 80.
        {"school_number": "1", "group": "all", "participating": 40, "pct_at_standard": 70},
        {"school_number": "1", "group": "ell", "participating": 10, "pct_at_standard": 40},
        # School 2: 60 at 50, ELL 20 at 35 -> others 40 at 57.5.
        {"school_number": "2", "group": "all", "participating": 60, "pct_at_standard": 50},
        {"school_number": "2", "group": "ell", "participating": 20, "pct_at_standard": 35},
        # School 3: no counts, left out of both sides.
        {"school_number": "3", "group": "all", "participating": None, "pct_at_standard": 10},
        {"school_number": "3", "group": "ell", "participating": None, "pct_at_standard": 90},
    ]
    board = one(rows_of(con, rows, level="board"), group="ell")
    # ELL: (400 + 700) / 30 = 36.67; others: (2400 + 2300) / 70 = 67.14.
    assert board["schools"] == 2
    assert board["participating"] == 30
    assert board["others_participating"] == 70
    assert board["pct_at_standard"] == pytest.approx(1100 / 30)
    assert board["others_pct"] == pytest.approx(4700 / 70)
    assert board["gap"] == pytest.approx(1100 / 30 - 4700 / 70)


# --- privacy: a hidden group's complement is hidden, and the subtraction gives nothing -------


def gated(con, rows):
    table = load(con, results_frame(rows), "results")
    shown = gate_results(table, minimum=10, margin=5.0, partitions=(("female", "male"),))
    return shown.drop("suppressed", "suppression_reason")


def test_a_hidden_group_has_no_others_figure_to_subtract_from(con) -> None:
    # 8 girls at 50% and 17 boys: the gate hides the girls (small) and the boys (their complement).
    rows = [
        {"group": "all", "participating": 25, "pct_at_standard": 60},
        {"group": "female", "participating": 8, "pct_at_standard": 50},
        {"group": "male", "participating": 17, "pct_at_standard": 64.7},
        {"group": "ell", "participating": 12, "pct_at_standard": 40},
    ]
    out = gaps_against_others(gated(con, rows)).to_pyarrow().to_pylist()
    # Girls against the others (the boys) would be (25 x 60 - 17 x 64.7) / 8 = 50: the hidden figure.
    for group in ("female", "male"):
        row = one(out, group=group)
        assert row["why_not"] == "no_figure"
        assert row["others_pct"] is None and row["others_participating"] is None
        assert row["gap"] is None and row["pct_at_standard"] is None
    # Try the subtraction with everything shown: only the ELL comparison is there, and what it
    # gives back (the ELL students' own figure) was shown already; no figure yields the girls'.
    shown = [r for r in out if r["others_pct"] is not None]
    assert [r["group"] for r in shown] == ["ell"]
    for r in shown:
        recovered = (
            r["all_participating"] * r["all_pct"] - r["others_participating"] * r["others_pct"]
        ) / (r["all_participating"] - r["others_participating"])
        assert recovered == pytest.approx(r["pct_at_standard"])
        assert recovered != pytest.approx(50.0)


def test_a_shown_group_whose_others_are_a_hidden_group_has_no_comparison(con) -> None:
    # 12 girls and 8 boys: the others of the girls are the boys, hidden as too few; the gate hides
    # the girls as their complement, so the girls are not compared either.
    rows = [
        {"group": "all", "participating": 20, "pct_at_standard": 60},
        {"group": "female", "participating": 12, "pct_at_standard": 75},
        {"group": "male", "participating": 8, "pct_at_standard": 37.5},
    ]
    out = gaps_against_others(gated(con, rows)).to_pyarrow().to_pylist()
    assert all(r["others_pct"] is None for r in out)


def test_every_others_figure_rests_on_shown_figures_only(con) -> None:
    import random

    rng = random.Random(13)
    rows = []
    for school in range(40):
        total = rng.randint(8, 60)
        girls = rng.randint(0, total)
        ell = rng.randint(1, total)
        for group, n in (("all", total), ("female", girls), ("male", total - girls), ("ell", ell)):
            rows.append(
                {
                    "school_number": str(school),
                    "group": group,
                    "participating": n,
                    "pct_at_standard": float(rng.randint(0, 100)),
                }
            )
    table = gated(con, rows)
    shown = {
        (r["school_number"], r["group"]): r["pct_at_standard"]
        for r in table.to_pyarrow().to_pylist()
    }
    for r in gaps_against_others(table).to_pyarrow().to_pylist():
        if r["others_pct"] is not None:
            assert shown[(r["school_number"], r["group"])] is not None
            assert shown[(r["school_number"], "all")] is not None
            assert r["others_participating"] >= 10


# --- trends ----------------------------------------------------------------------------------


def test_a_gap_s_direction_over_the_years(con) -> None:
    import ibis

    frame = {
        "group": ["ell"] * 4 + ["female"] * 3 + ["male"] * 2 + ["special_education"],
        "assessment": ["G3-READ"] * 10,
        "school_year": [
            "2017-18",
            "2018-19",
            "2021-22",
            "2023-24",
            "2017-18",
            "2018-19",
            "2023-24",
            "2018-19",
            "2023-24",
            "2023-24",
        ],
        "gap": [-20.0, -18.0, None, -9.0, 5.0, 6.0, 12.0, -4.0, -2.0, -30.0],
    }
    import pandas as pd

    table = con.create_table(f"gaps_{id(frame)}", ibis.memtable(pd.DataFrame(frame)).to_pyarrow())
    out = {r["group"]: r for r in gap_trends(table, keys=["group"]).to_pyarrow().to_pylist()}
    assert out["ell"]["direction"] == "narrowing"
    assert (out["ell"]["first_year"], out["ell"]["last_year"]) == ("2017-18", "2023-24")
    assert out["ell"]["years"] == 3  # 2021-22 had no gap
    assert out["ell"]["change"] == pytest.approx(-11.0)
    assert out["female"]["direction"] == "widening"
    assert out["male"]["direction"] == "steady"  # 4 to 2: within 3 points
    assert out["special_education"]["direction"] == "one_year"
