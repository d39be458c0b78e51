"""Suppression of small groups, and complementary suppression so a hidden count cannot be worked out."""

from __future__ import annotations

import itertools

import ibis
import pandas as pd
import pytest

from capacity.evidence.analytics import engines
from capacity.evidence.analytics.suppression import (
    COMPLEMENTARY_REASON,
    complementary_suppression,
    suppress_small,
)
from tests.evidence.analytics_data import load, results_frame


@pytest.fixture(params=["duckdb", "sqlite"])
def con(request):
    return engines.connect(request.param)


def test_suppress_small_hides_values_under_the_minimum(con):
    results = load(
        con,
        results_frame(
            [
                {"school_number": "1", "pct_at_standard": 44.4, "participating": 9},
                {"school_number": "2", "pct_at_standard": 50.0, "participating": 10},
                {
                    "school_number": "3",
                    "pct_at_standard": 61.0,
                },  # unknown count: the publisher's call
                {"school_number": "4", "participating": 3, "status": "nr"},
            ]
        ),
        "results",
    )
    shown = suppress_small(results).to_pandas().set_index("school_number")
    assert pd.isna(shown.loc["1", "pct_at_standard"]) and shown.loc["1", "participating"] == 9
    assert (
        bool(shown.loc["1", "suppressed"])
        and shown.loc["1", "suppression_reason"] == "fewer than 10 students"
    )
    assert shown.loc["2", "pct_at_standard"] == 50 and not shown.loc["2", "suppressed"]
    assert shown.loc["2", "suppression_reason"] == ""
    assert shown.loc["3", "pct_at_standard"] == 61 and not shown.loc["3", "suppressed"]
    assert bool(shown.loc["4", "suppressed"])

    counts_too = suppress_small(
        results, value_columns=("pct_at_standard", "participating"), minimum=20
    )
    hidden = counts_too.to_pandas().set_index("school_number")
    assert (
        pd.isna(hidden.loc["2", "participating"])
        and hidden.loc["2", "suppression_reason"] == "fewer than 20 students"
    )


def test_suppress_small_rejects_unknown_columns(con):
    results = load(con, results_frame([{"pct_at_standard": 1}]), "results")
    with pytest.raises(ValueError, match="no column"):
        suppress_small(results, value_columns=("gap",))


# Students by group within one school: 9 ELL, 25 special education, 40 and 120 in the rest; total 194.
GROUPS = [("ell", 9), ("special_education", 25), ("other_a", 40), ("other_b", 120)]
TOTAL = 194


def test_a_group_of_9_and_the_next_smallest_are_hidden():
    out = complementary_suppression([count for _, count in GROUPS], total=TOTAL)
    assert out == [None, None, 40, 120]

    frame = pd.DataFrame(GROUPS, columns=["group", "count"])
    shown = complementary_suppression(frame, total=TOTAL)
    assert list(shown.suppressed) == [True, True, False, False]
    assert list(shown.suppression_reason) == [
        "fewer than 10 students",
        COMPLEMENTARY_REASON,
        "",
        "",
    ]
    assert shown["count"].isna().tolist() == [True, True, False, False]
    assert list(frame["count"]) == [9, 25, 40, 120]  # the input is not changed

    dicts = complementary_suppression(
        [{"group": g, "count": c, "pct": 50.0} for g, c in GROUPS],
        total=TOTAL,
        value_columns=["count", "pct"],
    )
    assert [row["count"] for row in dicts] == [None, None, 40, 120]
    assert [row["pct"] for row in dicts] == [None, None, 50.0, 50.0]


def test_the_hidden_value_cannot_be_recovered_from_the_total():
    shown = complementary_suppression([count for _, count in GROUPS], total=TOTAL)
    visible = [count for count in shown if count is not None]
    hidden_sum = TOTAL - sum(visible)  # all that subtraction gives: 9 + 25 = 34
    assert hidden_sum == 34

    # Every split of 34 into a suppressed row (fewer than 10) and a complementary
    # row (at least 10, and no larger than the smallest shown row, 40) is
    # consistent with what is published; the 9 is one of several.
    candidates = [
        (small, hidden_sum - small)
        for small in range(0, 10)
        if 10 <= hidden_sum - small <= min(visible)
    ]
    assert (9, 25) in candidates and len(candidates) == 10
    assert len({small for small, _ in candidates}) > 1

    # Without complementary suppression the subtraction gives the 9 away.
    primary_only = [None if count < 10 else count for _, count in GROUPS]
    assert TOTAL - sum(count for count in primary_only if count is not None) == 9


def test_no_complement_needed_when_two_rows_are_hidden_or_the_total_is_not_published():
    assert complementary_suppression([3, 8, 40, 50], total=101) == [None, None, 40, 50]
    assert complementary_suppression([9, 25, 40], total=None) == [None, 25, 40]
    # An unknown count is not shown either, so it already protects the suppressed row.
    assert complementary_suppression([9, None, 40, 50], total=120) == [None, None, 40, 50]


def test_ties_hide_the_first_of_the_smallest_and_a_lone_row_stays_alone():
    assert complementary_suppression([30, 9, 30, 60], total=129) == [None, None, 30, 60]
    assert complementary_suppression([7], total=7) == [None]


def test_every_hidden_row_is_protected_for_many_tables():
    # Whatever the counts, after suppression the shown rows never pin down a
    # single suppressed row: either none or at least two rows are hidden.
    for counts in itertools.product([0, 4, 9, 10, 15, 60], repeat=3):
        out = complementary_suppression(list(counts), total=sum(counts))
        hidden = sum(value is None for value in out)
        assert hidden != 1 or len(counts) == 1, (counts, out)


def _gate_rows(rows: list[dict]) -> dict[str, dict]:
    import pandas as pd

    from capacity.evidence.analytics.suppression import gate_results

    table = ibis.memtable(pd.DataFrame(rows).astype({"participating": "Int64"}))
    shown = ibis.duckdb.connect().execute(gate_results(table, minimum=10, margin=5.0))
    return {r["group"]: r for r in shown.to_dict("records")}


def _row(group: str, n: int | None, pct: float) -> dict:
    return {
        "school_number": "700001",
        "school_year": "2018-19",
        "assessment": "G3-READ",
        "group": group,
        "participating": n,
        "pct_at_standard": pct,
    }


def test_a_group_whose_other_students_are_few_is_hidden_with_them() -> None:
    """All students (50) and English language learners (45) shown would give the other 5 students'
    figure by subtraction: the learners' figure is hidden as complementary."""
    gated = _gate_rows([_row("all", 50, 60.0), _row("ell", 45, 58.0), _row("sped", 30, 40.0)])
    assert gated["ell"]["suppressed"] and gated["ell"]["suppression_reason"] == "complementary"
    assert gated["ell"]["pct_at_standard"] is None or gated["ell"]["pct_at_standard"] != 58.0
    assert not gated["sped"]["suppressed"]  # 20 other students: enough to show
    assert not gated["all"]["suppressed"]


def test_a_group_of_every_student_or_with_unknown_counts_hides_nothing_more() -> None:
    gated = _gate_rows([_row("all", 50, 60.0), _row("ell", 50, 60.0), _row("sped", None, 40.0)])
    assert not gated["ell"]["suppressed"]  # no other students: nothing to work out
    assert not gated["sped"]["suppressed"]  # the count is unknown: the publisher's rules held


def test_a_share_rounded_to_six_places_still_pins_a_hidden_group() -> None:
    """1 student of 13 met the standard (7.692308%): girls (3) are small, boys (10) are hidden
    with them, and the total would put the boys within [0, 10] points: the total is hidden too.
    Without a tolerance the float error (a width of 10.0000004) let the total through."""
    gated = _gate_rows([_row("all", 13, 7.692308), _row("female", 3, 0.0), _row("male", 10, 10.0)])
    assert gated["all"]["suppressed"] and gated["all"]["suppression_reason"] == "complementary"
