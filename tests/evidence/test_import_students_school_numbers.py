"""Student-level results name schools by the configured scheme: a national file's twelve-digit schools are counted."""

from __future__ import annotations

from typing import Any

import pytest

from capacity.evidence.models import Result
from capacity.evidence.services_students import student_results_import
from tests.factories import BoardFactory, SchoolFactory

HEADER = "school_number,school_year,assessment,student_id,level\n"
TWELVE = "420000123456"

pytestmark = pytest.mark.django_db


def run(body: str) -> Any:
    return student_results_import(
        data=(HEADER + body).encode(), name="students.csv", actor_label="test"
    )


@pytest.fixture
def national(settings) -> None:
    settings.CAPACITY_SCHOOL_NUMBER_PATTERN = r"\d{12}"
    settings.CAPACITY_SCHOOL_NUMBER_PAD = 0
    settings.CAPACITY_SCHOOL_NUMBER_EXAMPLE = "123456789012"
    SchoolFactory(number=TWELVE, board=BoardFactory())


def test_a_twelve_digit_school_is_counted(national) -> None:
    report = run(f"{TWELVE},2018-19,G3-READ,S-1,3\n{TWELVE},2018-19,G3-READ,S-2,2\n")
    assert report.applied, report.problems
    result = Result.objects.get(school__number=TWELVE, assessment__code="G3-READ", group="all")
    assert (result.participating, result.pct_at_standard) == (2, 50.0)


def test_a_five_digit_school_is_refused_without_repeating_the_cell(national) -> None:
    report = run(f"{TWELVE},2018-19,G3-READ,S-1,3\n12345,2018-19,G3-READ,S-2,2\n")
    assert not report.applied
    assert [(p.row, p.column, p.reason) for p in report.problems] == [
        (
            3,
            "school_number",
            "This is not a school number: it should be 12 digits, like 123456789012.",
        )
    ]
    assert Result.objects.count() == 0
