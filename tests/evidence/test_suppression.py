"""Suppression of small groups, and complementary suppression so a hidden count cannot be worked out."""

from __future__ import annotations

import itertools

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
