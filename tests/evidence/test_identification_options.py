"""Issue 13's policy options on hand-worked cases: counting as a share, the floor of usable
results, the minimum of students, the exit rule with its margin and period, sustaining,
static schools, three categories, and what moved for schools that entered or left.

Each case is small enough to check by hand; the comment above it says the arithmetic.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from capacity.evidence.analytics.identification import (
    IDENTIFIED,
    INSUFFICIENT_DATA,
    LEFT_STATUSES,
    NOT_IDENTIFIED,
    STATIC,
    SUSTAINING,
    Identification,
    identification_over_time,
    identify,
    simulate,
)
from capacity.evidence.analytics.policy import ExitRule, Policy, StaticRule
from tests.evidence.identification_cases import (
    ABOVE,
    BELOW,
    THREE_BELOW,
    frame,
    history,
    load,
    ofip,
    proposal,
)

G3 = ("G3-READ", "G3-WRITE", "G3-MATH")
YEARS = ("2016-17", "2017-18", "2018-19", "2019-20", "2020-21", "2021-22")


def run(rows: list[dict[str, Any]], policy: Policy, year: str) -> Identification:
    return identify(load(frame(rows)), policy, year)


def share_only() -> Policy:
    """The proposal's count (2/3 of the usable results, at least 3 of them) and nothing else."""
    return replace(proposal(), exit=None, static=None, categories=())


def exit_only(sustaining: int = 2) -> Policy:
    return replace(
        ofip(), name="ofip-exit", exit=ExitRule(margin=5.0, years=2, sustaining_years=sustaining)
    )


# --------------------------------------------------------------------------- share


def test_a_school_that_tests_one_grade_is_judged_on_the_assessments_it_has() -> None:
    # Grade 3 only: 40, 45, 60 -> 2 of 3 under 50, the same proportion as 4 of 6, both years.
    rows = history("000001", {"2017-18": [40, 45, 60], "2018-19": [40, 45, 60]}, assessments=G3)
    assert run(rows, ofip(), "2018-19").school("000001").status == NOT_IDENTIFIED
    found = run(rows, share_only(), "2018-19").school("000001")
    assert found.status == IDENTIFIED
    assert [(r.school_year, r.assessment) for r in found.reasons] == [
        ("2017-18", "G3-READ"),
        ("2017-18", "G3-WRITE"),
        ("2018-19", "G3-READ"),
        ("2018-19", "G3-WRITE"),
    ]


def test_four_of_six_is_exactly_two_thirds_and_meets_the_share() -> None:
    # 4 * 3 >= 2 * 6: whole numbers, no rounding of 0.666...
    rows = history("000001", {"2017-18": BELOW, "2018-19": BELOW})
    assert run(rows, share_only(), "2018-19").school("000001").status == IDENTIFIED


def test_three_of_five_usable_is_under_two_thirds() -> None:
    # One N/R: 3 below of 5 usable = 0.6 < 2/3; 3 below of 4 usable = 0.75 meets.
    five = [40, 45, 30, "nr", 70, 80]
    four = [40, 45, 30, "nr", None, 80]
    assert (
        run(history("000001", {"2017-18": five, "2018-19": five}), share_only(), "2018-19")
        .school("000001")
        .status
        == NOT_IDENTIFIED
    )
    assert (
        run(history("000001", {"2017-18": four, "2018-19": four}), share_only(), "2018-19")
        .school("000001")
        .status
        == IDENTIFIED
    )


def test_a_year_with_too_few_usable_results_does_not_meet_the_share() -> None:
    # Two results, both under 50: a share of 1, but fewer than the 3 usable results required.
    two = [40, 45, "nr", None, None, None]
    found = run(history("000001", {"2017-18": two, "2018-19": two}), share_only(), "2018-19")
    assert found.school("000001").status == NOT_IDENTIFIED
    assert found.school("000001").years_meeting == ()


def test_the_minimum_of_students_is_kept_and_explained() -> None:
    # Grade 3 only, 8 students in each result: not usable under a minimum of 10.
    rows = history(
        "000001",
        {"2017-18": [40, 45, 60], "2018-19": [40, 45, 60]},
        assessments=G3,
        participating=8,
    )
    policy = replace(share_only(), min_participating=10)
    assert run(rows, policy, "2018-19").school("000001").status == INSUFFICIENT_DATA
    texts = dict(policy.options())
    assert "fewer than 10 participating students" in texts["min_participating"]
    assert "2/3" in texts["count"] and "fewer than 3 usable results" in texts["count"]


# --------------------------------------------------------------------------- exit and sustaining


def walk_rows() -> list[dict[str, Any]]:
    # Identified in 2017-18 (two years of four under 50). 2018-19: 52 on four (above 50, under
    # the raised 55): not clear. 2019-20 and 2020-21: 60 (clear twice) -> leaves in 2020-21.
    near = [52, 52, 52, 52, 70, 80]
    clear = [60, 60, 60, 60, 70, 80]
    return history(
        "000001",
        {
            "2016-17": BELOW,
            "2017-18": BELOW,
            "2018-19": near,
            "2019-20": clear,
            "2020-21": clear,
            "2021-22": clear,
            "2022-23": clear,
        },
    )


def test_an_identified_school_leaves_only_after_two_clear_years_above_the_margin() -> None:
    rows = walk_rows()
    policy = exit_only()
    statuses = {y: run(rows, policy, y).school("000001") for y in YEARS[1:]}
    assert {y: s.status for y, s in statuses.items()} == {
        "2017-18": IDENTIFIED,
        "2018-19": IDENTIFIED,  # held: 52 is under 55
        "2019-20": IDENTIFIED,  # held: one clear year of two
        "2020-21": SUSTAINING,  # left: two clear years
        "2021-22": SUSTAINING,  # the second sustaining year
    }
    assert not statuses["2017-18"].held and statuses["2018-19"].held
    assert statuses["2018-19"].entry_status == NOT_IDENTIFIED
    assert statuses["2019-20"].clear_years == ("2019-20",)
    assert statuses["2020-21"].left_in == "2020-21"
    assert statuses["2020-21"].sustaining_years_left == 1
    assert statuses["2021-22"].sustaining_years_left == 0
    assert run(rows, policy, "2022-23").school("000001").status == NOT_IDENTIFIED
    # Without the exit rule the school is out as soon as the window fails.
    assert run(rows, ofip(), "2018-19").school("000001").status == NOT_IDENTIFIED


def test_without_sustaining_years_a_school_that_left_is_simply_not_identified() -> None:
    found = run(walk_rows(), exit_only(sustaining=0), "2020-21").school("000001")
    assert found.status == NOT_IDENTIFIED and found.left_in is None


def test_a_year_without_results_for_the_school_breaks_the_run_of_clear_years() -> None:
    clear = [60, 60, 60, 60, 70, 80]
    rows = history(
        "000001",
        {
            "2016-17": BELOW,
            "2017-18": BELOW,
            "2018-19": clear,
            "2019-20": ["nr"] * 6,
            "2020-21": clear,
        },
    )
    # Other schools have results in 2019-20, so it is evaluated: this school's gap breaks the run.
    rows += history("000009", dict.fromkeys(YEARS[:5], ABOVE))
    found = run(rows, exit_only(), "2020-21").school("000001")
    assert found.status == IDENTIFIED and found.held and found.clear_years == ("2020-21",)


def test_a_sustaining_school_that_meets_the_rule_again_is_identified_again() -> None:
    clear = [60, 60, 60, 60, 70, 80]
    rows = history(
        "000001",
        {
            "2015-16": BELOW,
            "2016-17": BELOW,
            "2017-18": clear,
            "2018-19": clear,
            "2019-20": BELOW,
            "2020-21": BELOW,
        },
    )
    assert run(rows, exit_only(), "2018-19").school("000001").status == SUSTAINING
    assert run(rows, exit_only(), "2019-20").school("000001").status == SUSTAINING
    again = run(rows, exit_only(), "2020-21").school("000001")
    assert again.status == IDENTIFIED and not again.held


def test_a_held_school_gets_the_lightest_category_when_none_matches() -> None:
    policy = replace(exit_only(), categories=proposal().categories)
    found = run(walk_rows(), policy, "2018-19").school("000001")
    assert found.held and found.category == "focused"  # its lowest result, 52, is above 50


# --------------------------------------------------------------------------- static


def static_only(below: float = 50.0) -> Policy:
    return replace(
        ofip(), name="ofip-static", static=StaticRule(years=3, min_gain=0.0, below=below)
    )


def test_a_school_not_identified_whose_mean_has_not_risen_is_static() -> None:
    # 000001: three of six under 50 each year (never identified); its mean goes 54.17 (2016-17),
    # 46.17, 46.0: down 8.2 points over the three years and under 50, so static.
    # 000002: 45.83 then 46.17, up 0.33: not static. 000003: flat at 66.67, above the ceiling.
    flat = [40, 45, 30, 48, 52, 60]  # mean 45.83 (four under 50, in this one year only)
    lower = [40, 45, 30, 60, 52, 50]  # mean 46.17
    falling = [40, 44, 30, 60, 52, 50]  # mean 46.0
    rows = history("000001", {"2016-17": THREE_BELOW, "2017-18": lower, "2018-19": falling})
    rows += history("000002", {"2017-18": flat, "2018-19": lower})
    rows += history("000003", {"2017-18": ABOVE, "2018-19": ABOVE})  # flat but above the ceiling
    found = run(rows, static_only(), "2018-19")
    one = found.school("000001")
    assert one.status == STATIC
    assert one.trend is not None and one.trend.first_year == 2016 and one.trend.static
    assert one.trend.gain == round(46.0 - 54.1666667, 1)
    assert found.school("000002").status == NOT_IDENTIFIED  # 45.83 -> 46.17: risen
    assert found.school("000003").status == NOT_IDENTIFIED  # flat at 66.7, above 50
    assert found.counts()["static"] == 1
    assert found.to_json()["static"][0]["trend"]["first_year"] == "2016-17"


def test_a_school_with_one_year_of_results_in_the_span_has_no_trend() -> None:
    rows = history("000001", {"2018-19": THREE_BELOW})
    found = run(rows, static_only(60), "2018-19").school("000001")
    assert found.trend is None and found.status == NOT_IDENTIFIED


def test_an_identified_school_is_never_static() -> None:
    rows = history("000001", {"2017-18": BELOW, "2018-19": BELOW})  # mean 52.17, flat
    found = run(rows, static_only(60), "2018-19").school("000001")
    assert found.status == IDENTIFIED and found.trend is not None and found.trend.static


# --------------------------------------------------------------------------- categories


def test_three_categories_give_the_lowest_performers_the_most_support() -> None:
    def lowest(value: float) -> list[float]:
        return [value, 45.0, 30.0, 48.0, 70.0, 80.0]

    rows = []
    for number, value in (("000001", 5.0), ("000002", 15.0), ("000003", 25.0)):
        rows += history(number, {"2017-18": lowest(value), "2018-19": lowest(value)})
    found = run(rows, replace(share_only(), categories=proposal().categories), "2018-19")
    assert [s.category for s in found.identified] == ["intensive", "targeted", "focused"]
    assert [c.name for c in proposal().categories] == ["intensive", "targeted", "focused"]


# --------------------------------------------------------------------------- entries and exits


def test_an_entry_names_the_assessments_that_moved_below() -> None:
    # 2016-17: ABOVE (out). 2017-18 and 2018-19 meet: entered in 2018-19. Compared with 2016-17,
    # the last year that did not meet: the four results now under 50 moved below.
    rows = history("000001", {"2016-17": ABOVE, "2017-18": BELOW, "2018-19": BELOW})
    found = run(rows, ofip(), "2018-19").school("000001")
    assert found.previous_status == NOT_IDENTIFIED and found.entered
    assert [(c.assessment, c.before_pct, c.now_pct, c.direction) for c in found.changes] == [
        ("G3-READ", 60.0, 40.0, "below"),
        ("G3-WRITE", 65.0, 45.0, "below"),
        ("G3-MATH", 70.0, 30.0, "below"),
        ("G6-READ", 55.0, 48.0, "below"),
    ]
    assert all(c.before_year == "2016-17" for c in found.changes)


def test_an_exit_names_the_assessments_that_moved_above_and_above_the_margin() -> None:
    # Identified in 2017-18 (under 50 on 40, 45, 30, 48); 2018-19: 52, 60, 30, 56 -> only one
    # result under 50, so OFIP lets it go, compared with 2017-18, the last year that met.
    rows = history(
        "000001", {"2016-17": BELOW, "2017-18": BELOW, "2018-19": [52, 60, 30, 56, 70, 80]}
    )
    found = run(rows, ofip(), "2018-19").school("000001")
    assert found.status in LEFT_STATUSES and found.left
    assert [(c.assessment, c.before_pct, c.now_pct, c.direction) for c in found.changes] == [
        ("G3-READ", 40.0, 52.0, "above"),
        ("G3-WRITE", 45.0, 60.0, "above"),
        ("G6-READ", 48.0, 56.0, "above"),
    ]
    assert found.changes[0].before_year == "2017-18"
    over = identification_over_time(load(frame(rows)), ofip())
    assert over.exits["2018-19"] == ["000001"]
    assert [c["assessment"] for c in over.changes["2018-19"]["000001"]] == [
        "G3-READ",
        "G3-WRITE",
        "G6-READ",
    ]
    # With a 5-point margin and one clear year to leave, 52 moved above 50 but not above 55.
    one_year = replace(exit_only(), exit=ExitRule(margin=5.0, years=1, sustaining_years=2))
    left = run(rows, one_year, "2018-19").school("000001")
    assert left.status == SUSTAINING and left.left
    assert [(c.assessment, c.above_margin) for c in left.changes] == [
        ("G3-READ", False),
        ("G3-WRITE", True),
        ("G6-READ", True),
    ]


def test_over_time_with_the_exit_rule_reconciles_each_year() -> None:
    rows = walk_rows() + history("000002", dict.fromkeys(YEARS, ABOVE))
    over = identification_over_time(load(frame(rows)), exit_only())
    assert over.counts["2020-21"][SUSTAINING] == 1
    assert over.exits["2020-21"] == ["000001"]
    assert all(m.reconciles for m in over.movement())
    assert over.durations == {}
    assert [c["direction"] for c in over.changes["2020-21"]["000001"]] == ["above"] * 4


def test_a_simulation_with_an_exit_rule_counts_held_schools_as_identified() -> None:
    # 2018-19: OFIP lets the school go (52 is above 50); the exit rule keeps it (under 55).
    results = load(frame(walk_rows()))
    outcome = simulate(results, ofip(), exit_only(), "2018-19")
    assert outcome.counts == {"current": 0, "proposed": 1, "entering": 1, "leaving": 0}
    assert outcome.entering[0]["current_status"] == NOT_IDENTIFIED
    assert outcome.entering[0]["proposed_status"] == IDENTIFIED
    back = simulate(results, exit_only(), ofip(), "2018-19")
    assert back.counts["leaving"] == 1 and back.by_board["B1"]["current"] == 1
