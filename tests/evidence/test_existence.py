"""Stable beat-the-odds and partner suggestions (capacity/evidence/analytics/existence.py) on
hand-built schools: plain values, no database."""

from __future__ import annotations

import pytest

from capacity.evidence.analytics.existence import (
    NO_CONTEXT,
    NO_STABLE_SCHOOLS,
    NONE_NEAR,
    PartnerRule,
    SchoolRecord,
    StableRule,
    StableSchool,
    YearStanding,
    last_years,
    stable_beat_the_odds,
    suggest_partners,
)

YEARS = ("2017-18", "2018-19", "2021-22")
SD = 5.0  # each year's residual standard deviation


def school(number: str, residuals: dict[str, float], **kwargs) -> SchoolRecord:
    """A school whose actual result is 50 + residual against a prediction of 50."""
    return SchoolRecord(
        number=number,
        name=f"School {number}",
        board_number=kwargs.pop("board_number", "B00001"),
        standings=tuple(
            YearStanding(year, 50.0 + r, 50.0, SD, kwargs.get("participating"))
            for year, r in residuals.items()
        ),
        **{k: v for k, v in kwargs.items() if k != "participating"},
    )


def numbers(found: list[StableSchool]) -> list[str]:
    return [s.school.number for s in found]


def test_it_takes_the_last_years_with_results_skipping_years_without_tests():
    years = ["2016-17", "2017-18", "2018-19", "2021-22", "2022-23", "2023-24"]
    assert last_years(years, "2023-24", 3) == ("2023-24", "2022-23", "2021-22")
    assert last_years(years, "2021-22", 3) == ("2021-22", "2018-19", "2017-18")
    assert last_years(years, "2016-17", 3) == ("2016-17",)


def test_it_keeps_a_school_above_by_the_margin_in_two_of_three_years_and_never_below():
    steady = school("1", {"2017-18": 6.0, "2018-19": 5.0, "2021-22": 1.0})
    found = stable_beat_the_odds([steady], years=YEARS)
    assert numbers(found) == ["1"]
    assert [s.year for s in found[0].beat] == ["2018-19", "2017-18"]  # newest first
    assert found[0].unmeasured == ()


def test_it_drops_a_school_below_its_prediction_in_any_year_looked_at():
    dipped = school("2", {"2017-18": 15.0, "2018-19": 12.0, "2021-22": -0.5})
    assert stable_beat_the_odds([dipped], years=YEARS) == []


def test_it_drops_a_school_that_beat_the_odds_in_one_year_only():
    once = school("3", {"2017-18": 20.0, "2018-19": 4.9, "2021-22": 2.0})
    assert stable_beat_the_odds([once], years=YEARS) == []


def test_a_year_not_measured_counts_neither_for_nor_against():
    gap = school("4", {"2017-18": 5.0, "2021-22": 7.0})
    found = stable_beat_the_odds([gap], years=YEARS)
    assert numbers(found) == ["4"]
    assert found[0].unmeasured == ("2018-19",)
    # One year measured cannot make two.
    assert stable_beat_the_odds([school("5", {"2021-22": 30.0})], years=YEARS) == []


def test_years_outside_the_window_do_not_count():
    old = school("6", {"2015-16": -20.0, "2016-17": 10.0, "2017-18": 10.0, "2018-19": 10.0})
    assert numbers(stable_beat_the_odds([old], years=("2017-18", "2018-19"))) == ["6"]
    assert stable_beat_the_odds([old], years=("2015-16", "2016-17", "2017-18")) == []


def test_too_few_students_do_not_beat_the_odds_but_unknown_counts_are_trusted():
    small = school("7", {"2017-18": 9.0, "2018-19": 9.0}, participating=8)
    unknown = school("8", {"2017-18": 9.0, "2018-19": 9.0})
    assert numbers(stable_beat_the_odds([small, unknown], years=YEARS)) == ["8"]


def test_the_rule_is_configurable_and_checked():
    school_ = school("9", {"2017-18": 3.0, "2018-19": 3.0, "2021-22": 3.0})
    assert stable_beat_the_odds([school_], years=YEARS) == []
    loose = StableRule(margin_sd=0.5, at_least=3)
    assert numbers(stable_beat_the_odds([school_], years=YEARS, rule=loose)) == ["9"]
    with pytest.raises(ValueError):
        StableRule(years=2, at_least=3)


def test_it_orders_by_years_beaten_then_mean_residual_then_number():
    a = school("A", {"2017-18": 6.0, "2018-19": 6.0})
    b = school("B", {"2017-18": 6.0, "2018-19": 6.0, "2021-22": 6.0})
    c = school("C", {"2017-18": 9.0, "2018-19": 9.0})
    d = school("D", {"2017-18": 9.0, "2018-19": 9.0})
    assert numbers(stable_beat_the_odds([a, b, c, d], years=YEARS)) == ["B", "C", "D", "A"]


# --- partners ---------------------------------------------------------------------------------

Z = ("pct_low_income", "pct_language_learners", "pct_special_education", "pct_parents_no_degree")


def placed(number: str, z: tuple[float, ...], *, language="en", level="elementary", size=0.0):
    return SchoolRecord(
        number=number,
        name=f"School {number}",
        board_number="B00002",
        level=level,
        language=language,
        z=dict(zip(Z, z, strict=True)),
        size=size,
    )


def stable(record: SchoolRecord) -> StableSchool:
    beat = (YearStanding("2018-19", 60.0, 50.0, SD), YearStanding("2021-22", 58.0, 50.0, SD))
    return StableSchool(record, YEARS, beat, beat, ())


def test_partners_are_the_nearest_stable_schools_same_language_first_with_why():
    here = placed("100", (1.0, 1.0, 0.0, 0.0))
    near_fr = placed("201", (1.0, 1.125, 0.0, 0.0), language="fr")  # nearest, other language
    near_en = placed("202", (1.25, 1.0, 0.75, 0.0))  # 0.79 away
    mid_en = placed("203", (1.5, 1.0, 0.0, 1.0))  # 1.12 away
    far_en = placed("204", (-1.0, -1.0, 0.0, 0.0))  # 2.83 away: too far
    secondary = placed("205", (1.0, 1.0, 0.0, 0.0), level="secondary")
    pool = [stable(s) for s in (far_en, mid_en, near_en, near_fr, secondary)]
    found = suggest_partners(here, pool)
    assert found.reason == ""
    assert [p.school.number for p in found.partners] == ["202", "203", "201"]
    first, second, third = found.partners
    assert first.same_language and second.same_language and not third.same_language
    assert first.similar_on == ("pct_language_learners", "pct_parents_no_degree", "pct_low_income")
    assert second.similar_on == ("pct_language_learners", "pct_special_education", "pct_low_income")
    assert third.similar_on == (
        "pct_low_income",
        "pct_parents_no_degree",
        "pct_special_education",
        "pct_language_learners",
    )
    assert [round(p.distance, 2) for p in found.partners] == [0.79, 1.12, 0.12]


def test_the_limit_keeps_the_nearest():
    here = placed("100", (0.0, 0.0, 0.0, 0.0))
    pool = [stable(placed(str(300 + i), (0.1 * i, 0.0, 0.0, 0.0))) for i in range(1, 6)]
    found = suggest_partners(here, pool, rule=PartnerRule(limit=2))
    assert [p.school.number for p in found.partners] == ["301", "302"]


def test_it_says_why_there_are_no_partners():
    here = placed("100", (0.0, 0.0, 0.0, 0.0))
    assert suggest_partners(here, []).reason == NO_STABLE_SCHOOLS
    assert suggest_partners(here, [stable(here)]).reason == NO_STABLE_SCHOOLS  # never itself
    far = stable(placed("400", (3.0, 0.0, 0.0, 0.0)))
    assert suggest_partners(here, [far]).reason == NONE_NEAR
    unplaced = SchoolRecord("101", "No context", "B00001")
    assert suggest_partners(unplaced, [far]).reason == NO_CONTEXT
