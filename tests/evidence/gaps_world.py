"""A small province for the gaps tests: A1 with groups and counts over four years, and enough
schools with context for the context model to fit."""

from __future__ import annotations

from typing import Any

from tests.evidence.conftest import SIX, results_for
from tests.factories import SchoolContextFactory, SchoolFactory

YEARS = ("2017-18", "2018-19", "2021-22", "2023-24")
# (group, participating, % at standard) per year at A1; all students: 40 at 70%.
# ELL against the other students: 2017-18 others = (40 x 70 - 10 x 40) / 30 = 80, gap -40.
A1_GROUPS = {
    "2017-18": [("ell", 10, 40.0), ("female", 20, 75.0), ("male", 20, 65.0)],
    "2018-19": [("ell", 12, 50.0), ("female", 20, 75.0), ("male", 20, 65.0)],
    "2021-22": [("ell", 10, 60.0), ("female", 8, 75.0), ("male", 32, 68.75)],
    "2023-24": [("ell", 10, 64.0), ("female", 20, 72.0), ("male", 20, 68.0)],
}


def _put(school: Any, year: str, value: float, group: str, participating: int) -> None:
    """The six results of a school, year and group, unless the world has them already."""
    from capacity.evidence.models import Result
    from capacity.evidence.services import assessments_ensure

    for code, assessment_id in assessments_ensure().items():
        if code in SIX:
            Result.objects.get_or_create(
                school=school,
                school_year=year,
                assessment_id=assessment_id,
                group=group,
                defaults={"participating": participating, "pct_at_standard": value, "status": ""},
            )


def groups_a1(w: Any) -> Any:
    """A1's results for all students and by group, with counts (idempotent; results a world
    already holds are kept)."""
    for year in YEARS:
        _put(w.school_a1, year, 70.0, "all", 40)
        for group, count, value in A1_GROUPS[year]:
            _put(w.school_a1, year, value, group, count)
    return w.school_a1


# Low income, language learners, special education, no degree; and the school's result.
EXTRA_SCHOOLS = [
    ("700011", 10.0, 5.0, 12.0, 3.0, 80.0),
    ("700012", 25.0, 20.0, 18.0, 9.0, 55.0),
    ("700013", 35.0, 12.0, 22.0, 12.0, 50.0),
    ("700014", 5.0, 30.0, 10.0, 2.0, 78.0),
    ("700015", 18.0, 8.0, 25.0, 7.0, 60.0),
    ("700016", 30.0, 25.0, 14.0, 15.0, 45.0),
    ("700017", 12.0, 15.0, 16.0, 5.0, 72.0),
]


def context_province(w: Any) -> Any:
    """Eight schools of board A with context and all-student results in 2018-19 and 2021-22."""
    from capacity.directory.models import SchoolContext

    if SchoolContext.objects.filter(school__number="700017").exists():
        return w
    groups_a1(w)
    for year in ("2018-19", "2021-22"):
        SchoolContextFactory(school=w.school_a1, school_year=year, pct_low_income=22.0)
    for number, income, ell, special, degree, value in EXTRA_SCHOOLS:
        school = SchoolFactory(board=w.board_a, number=number, name=f"School {number}")
        for year in ("2018-19", "2021-22"):
            SchoolContextFactory(
                school=school,
                school_year=year,
                pct_low_income=income,
                pct_language_learners=ell,
                pct_special_education=special,
                pct_parents_no_degree=degree,
            )
            results_for(school, year, [value] * 6, participating=40)
    return w
