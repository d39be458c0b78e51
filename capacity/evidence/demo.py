"""Synthetic assessment results for the demo province.

Ten school years of EQAO-style Grade 3 and Grade 6 results for every
elementary school that teaches those grades, shaped so the evidence pages have
something true to show:

* context predicts much but not all: a school's expected result falls with the
  share of students from low-income households, learning the language of
  instruction, receiving special education or whose parents have no
  post-secondary education, and each school has its own effect on top, so some
  schools beat the odds (Elmore's "existence proofs");
* some schools improve year on year and leave identification, some plateau,
  a few decline;
* small cohorts are not reported (N/R) when fewer than 10 students write;
* no results exist for 2019-20 and 2020-21: EQAO did not administer the Grade 3
  and 6 assessments in those years because of COVID-19 school closures.

Provincial levels are set near EQAO's 2018-19 provincial results for all
students (Grade 3: reading 74%, writing 69%, mathematics 58%; Grade 6: reading
81%, writing 80%, mathematics 48%; EQAO, provincial results 2018-19). Student
groups (girls, boys, English language learners, special education) are given
for the three latest years with data.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from django.db import connection, transaction

from capacity.directory.demo import LATEST_YEAR, school_years
from capacity.directory.models import School, SchoolContext
from capacity.evidence.data import refresh_statistics
from capacity.evidence.partitions import ensure_years
from capacity.evidence.services import assessments_ensure

# EQAO 2018-19 provincial results, all students (% at or above the provincial standard).
PROVINCIAL_2018_19 = {
    "G3-READ": 74.0,
    "G3-WRITE": 69.0,
    "G3-MATH": 58.0,
    "G6-READ": 81.0,
    "G6-WRITE": 80.0,
    "G6-MATH": 48.0,
}
NO_TESTS = {"2019-20", "2020-21"}  # EQAO assessments not administered (COVID-19)
GROUP_YEARS = 3
MIN_REPORTED = 10  # EQAO does not report results for fewer than 10 students

# How much each group differs from all students, by subject (percentage points).
GROUP_SHIFT = {
    "female": {"READ": 4.0, "WRITE": 6.0, "MATH": -1.0},
    "male": {"READ": -4.0, "WRITE": -6.0, "MATH": 1.0},
    "ell": {"READ": -9.0, "WRITE": -7.0, "MATH": -5.0},
    "special_education": {"READ": -30.0, "WRITE": -32.0, "MATH": -27.0},
}


def _teaches(grade_range: str, grade: int) -> bool:
    """Does a grade range like "JK-8", "4-8" or "7-8" include `grade`?"""
    low, _, high = grade_range.partition("-")
    start = 0 if low.upper() in ("JK", "SK", "K", "") else int(low) if low.isdigit() else 0
    end = int(high) if high.isdigit() else 8
    return start <= grade <= end


def _clip(value: float) -> float:
    return max(0.0, min(100.0, value))


def build_demo_results(
    *, seed: int = 2016, years: int = 10, progress: Callable[[str, int, int], None] | None = None
) -> int:
    """Write the demo's results into the database. Returns the number of rows."""
    rng = random.Random(seed * 7919 + 1)
    say = progress or (lambda step, done, total: None)
    assessments = assessments_ensure()
    all_years = school_years(LATEST_YEAR, years)
    tested = [y for y in all_years if y not in NO_TESTS]
    group_years = set(tested[-GROUP_YEARS:])
    contexts: dict[int, dict[str, SchoolContext]] = {}
    for c in SchoolContext.objects.filter(school_year__in=all_years).only(
        "school_id",
        "school_year",
        "pct_low_income",
        "pct_language_learners",
        "pct_special_education",
        "pct_parents_no_degree",
    ):
        contexts.setdefault(c.school_id, {})[c.school_year] = c
    schools = list(
        School.objects.filter(level=School.Level.ELEMENTARY)
        .order_by("number")
        .values_list("pk", "grade_range", "enrolment")
    )
    rows: list[tuple] = []
    for done, (school_id, grade_range, enrolment) in enumerate(schools, start=1):
        by_year = contexts.get(school_id, {})
        latest = by_year.get(all_years[-1])
        ell_share = (latest.pct_language_learners or 0) / 100 if latest else 0.1
        special_share = (latest.pct_special_education or 0) / 100 if latest else 0.1
        school_effect = rng.gauss(0, 7.5)
        kind = rng.random()
        slope = 1.0 + (2.5 if kind < 0.22 else -2.5 if kind > 0.93 else rng.gauss(0, 0.4))
        cohort = max(4, int((enrolment or 200) / 9))
        for grade in (3, 6):
            if not _teaches(grade_range or "JK-8", grade):
                continue
            for index, year in enumerate(tested):
                t = index - (len(tested) - 1) / 2
                need = _need(by_year.get(year) or latest)
                participating = max(0, int(rng.gauss(cohort, cohort * 0.08)))
                for subject in ("READ", "WRITE", "MATH"):
                    code = f"G{grade}-{subject}"
                    base = PROVINCIAL_2018_19[code] + 23 - 80 * need + school_effect + slope * t
                    noise_sd = 3 + 25 / math.sqrt(max(participating, 1))
                    value = _clip(round(base + rng.gauss(0, noise_sd)))
                    rows.append(
                        _row(school_id, year, assessments[code], "all", participating, value)
                    )
                    if year in group_years:
                        for group, shift in GROUP_SHIFT.items():
                            share = {"ell": ell_share, "special_education": special_share}.get(
                                group, 0.5
                            )
                            count = int(round(participating * share))
                            if count == 0:
                                continue
                            group_value = _clip(round(value + shift[subject] + rng.gauss(0, 4)))
                            rows.append(
                                _row(school_id, year, assessments[code], group, count, group_value)
                            )
        if done % 500 == 0:
            say("results", done, len(schools))
    _insert(rows)
    say("results", len(schools), len(schools))
    return len(rows)


def _need(context: SchoolContext | None) -> float:
    """A school's need, 0 (none) to about 1, from the year's context shares."""
    if context is None:
        return 0.3
    return (
        0.45 * (context.pct_low_income or 0) / 40
        + 0.2 * (context.pct_language_learners or 0) / 50
        + 0.2 * (context.pct_special_education or 0) / 30
        + 0.15 * (context.pct_parents_no_degree or 0) / 20
    )


def _row(
    school_id: int, year: str, assessment_id: int, group: str, participating: int, value: float
) -> tuple:
    if participating < MIN_REPORTED:
        return (school_id, year, assessment_id, group, participating, None, "nr", "demo")
    return (school_id, year, assessment_id, group, participating, float(value), "", "demo")


@transaction.atomic
def _insert(rows: list[tuple]) -> None:
    sql = (
        'INSERT INTO evidence_result (school_id, school_year, assessment_id, "group", participating, '
        "pct_at_standard, status, source) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    # On PostgreSQL each school year's results live in a partition of their own.
    ensure_years({row[1] for row in rows})
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20000):
            cursor.executemany(sql, rows[start : start + 20000])
    refresh_statistics()
