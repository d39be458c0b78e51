"""Reads behind the gaps pages: through the disclosure gate, on the app's own database."""

from __future__ import annotations

import pytest

from capacity.evidence import selectors_gaps as gaps
from capacity.evidence.selectors import beat_the_odds_table
from tests.evidence.conftest import results_for
from tests.evidence.gaps_world import context_province, groups_a1


@pytest.fixture(autouse=True)
def _fresh_answers():
    from django.core.cache import cache

    from capacity.evidence.selectors import forget_cached, forget_data_version

    cache.clear()
    forget_cached()
    forget_data_version()


def test_the_year_axis_holds_the_years_without_tests(world) -> None:
    groups_a1(world)
    assert gaps.year_axis() == [
        "2017-18",
        "2018-19",
        "2019-20",
        "2020-21",
        "2021-22",
        "2022-23",
        "2023-24",
    ]


def test_a_trend_says_why_a_year_has_no_gap(world) -> None:
    groups_a1(world)
    trends = {(t.group, t.assessment): t for t in gaps.school_gap_trends(school=world.school_a1)}
    notes = {c.year: c.note for c in trends[("female", "G6-MATH")].cells}
    assert notes == {
        "2017-18": "",
        "2018-19": "",
        "2019-20": "no_tests",
        "2020-21": "no_tests",
        "2021-22": "no_gap",  # 8 girls: hidden, and so is their comparison
        "2022-23": "no_results",
        "2023-24": "",
    }
    ell = trends[("ell", "G3-READ")]
    # 2023-24: others (40 x 70 - 10 x 64) / 30 = 72, gap -8 against -40 in 2017-18.
    assert (ell.first_gap, ell.last_gap) == (pytest.approx(-40.0), pytest.approx(-8.0))
    assert ell.direction == "narrowing"


def test_a_hidden_group_is_not_compared(world) -> None:
    groups_a1(world)
    rows = gaps.for_year(gaps.school_against_others(school=world.school_a1), "2021-22")
    hidden = [r for r in rows if r["group"] in ("female", "male")]
    assert len(hidden) == 12
    assert all(r["others_pct"] is None and r["pct_at_standard"] is None for r in hidden)
    assert all(r["why_not"] == "no_figure" for r in hidden)


def test_a_board_adds_up_its_schools_with_counts_only(world) -> None:
    groups_a1(world)
    # A2: ELL without counts, left out of the board's comparison.
    results_for(world.school_a2, "2017-18", [50.0] * 6, participating=30)
    results_for(world.school_a2, "2017-18", [20.0] * 6, group="ell", participating=None)
    rows = gaps.for_year(gaps.board_against_others(board=world.board_a), "2017-18")
    ell = [r for r in rows if r["group"] == "ell"]
    assert len(ell) == 6
    assert all(r["schools"] == 1 and r["others_pct"] == pytest.approx(80.0) for r in ell)
    assert gaps.board_against_others(board=world.board_b) == []


def test_the_context_gap_is_the_model_s_residual(world) -> None:
    context_province(world)
    mine = gaps.school_context_gaps(school=world.school_a1)
    assert [g.year for g in mine] == ["2018-19", "2021-22"]
    row = beat_the_odds_table("2021-22")["700001"]
    assert mine[-1].gap == pytest.approx(row["residual"])
    assert mine[-1].gap == pytest.approx(mine[-1].actual - mine[-1].predicted)
    board = gaps.board_context_gaps(board=world.board_a)
    residuals = [
        r["residual"]
        for r in beat_the_odds_table("2021-22").values()
        if r["board_number"] == "B66001"
    ]
    assert board[-1].schools == len(residuals) == 8
    assert board[-1].mean_gap == pytest.approx(sum(residuals) / 8)
    assert board[-1].above == sum(1 for r in residuals if r > 0)
    schools = gaps.board_schools_context_gaps(board=world.board_a, year="2021-22")
    assert [s["gap"].gap for s in schools] == sorted(residuals)
    assert gaps.board_schools_context_gaps(board=world.board_b, year="2021-22") == []


def test_cohorts_for_a_school_and_its_board(world) -> None:
    context_province(world)
    mine = gaps.school_cohorts(school=world.school_a1)
    assert {(c["subject"], c["grade3_year"], c["grade6_year"]) for c in mine} == {
        (s, "2018-19", "2021-22") for s in ("READ", "WRITE", "MATH")
    }
    assert all(c["change"] == pytest.approx(0.0) for c in mine)  # 70% then 70%
    board = gaps.board_cohorts(board=world.board_a)
    assert {c["schools"] for c in board} == {8}
