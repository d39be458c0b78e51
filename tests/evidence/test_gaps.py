"""Equity gaps between groups and between contexts, on numbers worked out by hand."""

from __future__ import annotations

import math

import pytest

from capacity.evidence.analytics import engines
from capacity.evidence.analytics.gaps import context_gap, equity_gaps
from tests.evidence.analytics_data import context_frame, load, results_frame


@pytest.fixture(params=["duckdb", "sqlite"])
def con(request):
    return engines.connect(request.param)


def cell(frame, **keys):
    rows = frame
    for key, value in keys.items():
        rows = rows[rows[key] == value]
    assert len(rows) == 1, (keys, rows)
    return rows.iloc[0]


@pytest.fixture
def two_schools(con):
    rows = [
        # School 1 in board B1: all 70% of 40, ELL 48% of 10, female 75% of 20, male 65% of 20.
        {"school_number": "1", "board_number": "B1", "pct_at_standard": 70, "participating": 40},
        {
            "school_number": "1",
            "board_number": "B1",
            "group": "ell",
            "pct_at_standard": 48,
            "participating": 10,
        },
        {
            "school_number": "1",
            "board_number": "B1",
            "group": "female",
            "pct_at_standard": 75,
            "participating": 20,
        },
        {
            "school_number": "1",
            "board_number": "B1",
            "group": "male",
            "pct_at_standard": 65,
            "participating": 20,
        },
        # School 2 in board B1: all 50% of 60, ELL 30% of 30; no gender rows.
        {"school_number": "2", "board_number": "B1", "pct_at_standard": 50, "participating": 60},
        {
            "school_number": "2",
            "board_number": "B1",
            "group": "ell",
            "pct_at_standard": 30,
            "participating": 30,
        },
        # School 3: an ELL row but no all-students row.
        {
            "school_number": "3",
            "board_number": "B2",
            "group": "ell",
            "pct_at_standard": 40,
            "participating": 15,
        },
    ]
    return load(con, results_frame(rows), "results")


def test_school_gap_is_group_minus_reference(two_schools):
    gaps = equity_gaps(two_schools, groups=["ell"]).to_pandas()
    one = cell(gaps, school_number="1")
    assert one.group == "ell" and one.reference == "all"
    assert one.pct_at_standard == 48 and one.reference_pct == 70
    assert one.gap == pytest.approx(-22.0)
    assert one.participating == 10 and one.reference_participating == 40
    assert cell(gaps, school_number="2").gap == pytest.approx(-20.0)
    # No reference row: the group is listed, the gap is unknown.
    three = cell(gaps, school_number="3")
    assert three.pct_at_standard == 40 and math.isnan(three.reference_pct) and math.isnan(three.gap)


def test_pair_of_groups_female_vs_male(two_schools):
    gaps = equity_gaps(two_schools, reference="male", groups=["female"]).to_pandas()
    assert len(gaps) == 1
    row = gaps.iloc[0]
    assert row.reference == "male" and row.gap == pytest.approx(10.0)


def test_every_other_group_by_default(two_schools):
    gaps = equity_gaps(two_schools).to_pandas()
    assert sorted(set(gaps.group)) == ["ell", "female", "male"]


def test_board_gap_uses_participation_weighted_values(two_schools):
    gaps = equity_gaps(two_schools, groups=["ell"], level="board").to_pandas()
    b1 = cell(gaps, board_number="B1")
    ell = (48 * 10 + 30 * 30) / 40  # 34.5
    everyone = (70 * 40 + 50 * 60) / 100  # 58.0
    assert b1.pct_at_standard == pytest.approx(ell)
    assert b1.reference_pct == pytest.approx(everyone)
    assert b1.gap == pytest.approx(ell - everyone)
    assert b1.participating == 40 and b1.reference_participating == 100
    assert b1.schools == 2 and b1.reference_schools == 2 and b1.board_name == "Board B1"
    b2 = cell(gaps, board_number="B2")
    assert math.isnan(b2.reference_pct) and math.isnan(b2.gap)


def test_invalid_arguments(two_schools):
    with pytest.raises(ValueError, match="level"):
        equity_gaps(two_schools, level="province")
    with pytest.raises(ValueError, match="reference"):
        equity_gaps(two_schools, reference="ell", groups=["ell"])


def test_context_gap_between_low_income_quartiles(con):
    # Eight schools, low income 5, 10, ..., 40 %; percent ranks 0, 1/7, ..., 1.
    # Bottom quartile (rank <= 0.25): the schools at 5 and 10 %; top (rank >= 0.75): 35 and 40 %.
    values = [80, 76, 70, 66, 60, 55, 44, 40]
    counts = [20, 30, 25, 25, 25, 25, 10, 30]
    results, context = [], []
    for index, (value, count) in enumerate(zip(values, counts, strict=True)):
        number = str(index + 1)
        results.append({"school_number": number, "pct_at_standard": value, "participating": count})
        context.append({"school_number": number, "pct_low_income": 5.0 * (index + 1)})
    # A school without the indicator does not count, and does not shift the ranks.
    results.append({"school_number": "99", "pct_at_standard": 0, "participating": 50})
    context.append({"school_number": "99", "pct_low_income": None})
    r = load(con, results_frame(results), "results")
    c = load(con, context_frame(context), "context")

    row = context_gap(r, c).to_pandas().iloc[0]
    low = (80 * 20 + 76 * 30) / 50  # 77.6
    high = (44 * 10 + 40 * 30) / 40  # 41.0
    assert row.indicator == "pct_low_income"
    assert row.low_pct == pytest.approx(low) and row.high_pct == pytest.approx(high)
    assert row.gap == pytest.approx(high - low)
    assert row.low_schools == 2 and row.high_schools == 2
    assert row.low_students == 50 and row.high_students == 40
