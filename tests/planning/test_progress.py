"""Where a target stands: the straight line from baseline to target, the school year of a day, board figures.

The expected values below are worked out by hand from the line's two ends, not
from the code under test.
"""

from __future__ import annotations

import datetime

import pytest

from capacity.evidence.models import Assessment
from capacity.evidence.services import assessments_ensure
from capacity.planning import services
from capacity.planning.models import Target
from capacity.planning.progress import (
    MET,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    board_values,
    measured_values,
    school_year_of,
    target_progress,
)
from tests.evidence.conftest import results_for


def line(
    *,
    baseline_year: str = "2016-17",
    baseline_value: float | None = 40.0,
    target_year: str = "2020-21",
    target_value: float = 60.0,
) -> Target:
    """A target from 40 (2016-17) to 60 (2020-21) unless told otherwise: 5 points a year."""
    return Target(
        baseline_year=baseline_year,
        baseline_value=baseline_value,
        target_year=target_year,
        target_value=target_value,
    )


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2019, 8, 31), "2018-19"),
        (datetime.date(2019, 9, 1), "2019-20"),
        (datetime.date(2020, 1, 1), "2019-20"),
        (datetime.date(2000, 6, 30), "1999-00"),
    ],
)
def test_a_day_belongs_to_the_school_year_that_starts_in_september(day, year) -> None:
    assert school_year_of(day) == year


def test_it_has_no_data_until_a_year_after_the_baseline_is_measured() -> None:
    assert target_progress(line(), {}).status == NO_DATA
    assert target_progress(line(), {"2016-17": 40.0, "2015-16": 90.0}).status == NO_DATA


@pytest.mark.parametrize(
    ("year", "value", "status", "expected"),
    [
        ("2017-18", 45.0, ON_TRACK, 45.0),  # a year in: 40 + 1/4 of 20, exactly on the line
        ("2017-18", 44.9, OFF_TRACK, 45.0),
        ("2018-19", 50.5, ON_TRACK, 50.0),  # halfway
        ("2019-20", 54.0, OFF_TRACK, 55.0),
    ],
)
def test_the_latest_value_is_compared_with_the_line_at_its_own_year(
    year, value, status, expected
) -> None:
    progress = target_progress(line(), {year: value})
    assert (progress.status, progress.latest_year, progress.latest_value, progress.expected) == (
        status,
        year,
        value,
        expected,
    )


def test_the_latest_year_is_the_newest_school_year_not_the_last_one_given() -> None:
    progress = target_progress(line(), {"2019-20": 54.0, "2017-18": 80.0})
    assert (progress.latest_year, progress.status) == ("2019-20", OFF_TRACK)


def test_the_expected_value_is_rounded_to_one_decimal() -> None:
    # From 40 (2016-17) to 50 (2019-20): a year in, 40 + 10/3 = 43.33...
    target = line(target_year="2019-20", target_value=50.0)
    assert target_progress(target, {"2017-18": 43.4}).expected == 43.3


def test_reaching_the_target_in_its_year_is_met_even_if_a_later_year_falls_back() -> None:
    progress = target_progress(line(), {"2020-21": 61.0, "2021-22": 52.0})
    assert (progress.status, progress.latest_year, progress.latest_value) == (MET, "2021-22", 52.0)


def test_reaching_the_target_after_its_year_is_met() -> None:
    assert target_progress(line(), {"2020-21": 58.0, "2021-22": 60.0}).status == MET
    assert target_progress(line(), {"2022-23": 65.0}).status == MET


def test_missing_the_target_by_its_year_is_off_track_against_the_target_itself() -> None:
    progress = target_progress(line(), {"2021-22": 59.0})
    assert (progress.status, progress.expected) == (OFF_TRACK, 60.0)


def test_without_a_baseline_every_value_counts_and_the_target_is_the_bar() -> None:
    no_year = target_progress(line(baseline_year="", baseline_value=None), {"2015-16": 59.0})
    assert (no_year.status, no_year.latest_year, no_year.expected) == (OFF_TRACK, "2015-16", 60.0)
    # A baseline year without a value cannot draw the line either.
    no_value = target_progress(line(baseline_value=None), {"2017-18": 59.0})
    assert (no_value.status, no_value.expected) == (OFF_TRACK, 60.0)


def test_progress_reads_as_a_dict_for_the_api() -> None:
    progress = target_progress(line(), {"2018-19": 50.5})
    assert progress.as_dict() == {
        "status": ON_TRACK,
        "latest_year": "2018-19",
        "latest_value": 50.5,
        "expected": 50.0,
    }
    assert str(progress.label) == "On track"


def test_a_custom_measure_takes_the_last_entry_of_each_school_year(world) -> None:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    goal = services.goal_add(plan=plan, user=principal, seen=plan.version, statement="Oral fluency")
    target = services.target_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        measure=Target.Measure.CUSTOM,
        description="Words read correctly per minute",
        baseline_year="2017-18",
        baseline_value=50,
        target_value=90,
        target_year="2019-20",
    )
    for on, value in (
        (datetime.date(2019, 6, 1), 75.0),
        (datetime.date(2018, 10, 1), 60.0),  # entered later, but earlier in the year
        (datetime.date(2019, 9, 3), 80.0),  # the next school year
    ):
        services.entry_add(target=target, user=principal, seen=plan.version, on=on, value=value)
    assert measured_values(target) == {"2018-19": 75.0, "2019-20": 80.0}
    # 2019-20 is the target year: 80 is below 90, so the target itself is the bar.
    progress = target_progress(target)
    assert (progress.status, progress.latest_value, progress.expected) == (OFF_TRACK, 80.0, 90.0)


def test_an_assessment_target_without_an_assessment_has_no_values(world) -> None:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    goal = services.goal_add(plan=plan, user=principal, seen=plan.version, statement="Reading")
    target = Target(goal=goal, measure=Target.Measure.ASSESSMENT, target_value=60)
    assert measured_values(target) == {}


def test_a_board_figure_is_the_plain_mean_when_no_school_counts_its_students(world) -> None:
    assessments_ensure()
    g6_math = Assessment.objects.get(code="G6-MATH")
    results_for(world.school_a1, "2018-19", [0, 0, 0, 0, 0, 70], participating=None)
    results_for(world.school_a2, "2018-19", [0, 0, 0, 0, 0, 45], participating=None)
    results_for(world.school_b1, "2018-19", [0, 0, 0, 0, 0, 10], participating=None)  # board B
    values = board_values(board_id=world.board_a.pk, assessment_id=g6_math.pk, group="all")
    assert values == {"2018-19": 57.5}  # (70 + 45) / 2


def test_a_board_figure_leaves_out_other_groups_and_missing_figures(world) -> None:
    assessments_ensure()
    g6_math = Assessment.objects.get(code="G6-MATH")
    results_for(world.school_a1, "2018-19", [0, 0, 0, 0, 0, 80], participating=30)
    results_for(world.school_a2, "2018-19", [0, 0, 0, 0, 0, None], participating=30)
    results_for(world.school_a1, "2018-19", [0, 0, 0, 0, 0, 20], group="female", participating=15)
    values = board_values(board_id=world.board_a.pk, assessment_id=g6_math.pk, group="all")
    assert values == {"2018-19": 80.0}
