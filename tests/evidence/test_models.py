"""What the database itself refuses about results, and how an upload reports its progress."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction

from capacity.evidence.models import Result, ResultImport
from capacity.evidence.services import assessments_ensure

pytestmark = pytest.mark.django_db


def _result(school, **values) -> Result:
    fields = {
        "school": school,
        "school_year": "2018-19",
        "assessment_id": assessments_ensure()["G3-READ"],
        "group": "all",
        "pct_at_standard": 61.0,
        "status": "",
    } | values
    return Result.objects.create(**fields)


@pytest.mark.parametrize(
    "values",
    [
        {"pct_at_standard": 100.5},
        {"pct_at_standard": -1.0},
        {"pct_at_standard": None, "status": ""},  # neither a number nor a reason
        {"pct_at_standard": 40.0, "status": "sp"},  # a number and a reason for having none
    ],
    ids=["over 100", "negative", "no number no status", "number and status"],
)
def test_the_database_refuses_a_result_that_is_not_a_percentage_or_a_reason(world, values) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        _result(world.school_a1, **values)

    assert not Result.objects.exists()


def test_the_database_keeps_one_result_per_school_year_assessment_and_group(world) -> None:
    _result(world.school_a1)
    _result(world.school_a1, group="female")
    _result(world.school_a1, pct_at_standard=None, status="nr", school_year="2017-18")

    with pytest.raises(IntegrityError), transaction.atomic():
        _result(world.school_a1, pct_at_standard=70.0)

    assert Result.objects.count() == 3


def _job(world, **values) -> ResultImport:
    return ResultImport.objects.create(
        uploaded_by=world.personas["ministry"],
        file="imports/results.csv",
        original_name="results.csv",
        **values,
    )


def test_a_running_import_reports_the_live_progress_its_worker_shares(world) -> None:
    job = _job(world, state=ResultImport.State.RUNNING, rows_done=0, rows_total=None)
    assert (job.rows_read, job.rows_expected, job.percent_done) == (0, None, 0)

    cache.set(job.progress_key, (250, 1000), 60)

    assert (job.rows_read, job.rows_expected, job.percent_done) == (250, 1000, 25)


def test_a_finished_import_reports_what_it_stored_whatever_the_cache_holds(world) -> None:
    job = _job(world, state=ResultImport.State.APPLIED, rows_done=1000, rows_total=1000)
    cache.set(job.progress_key, (10, 1000), 60)

    assert (job.rows_read, job.percent_done) == (1000, 100)


@pytest.mark.parametrize(
    ("state", "percent"),
    [
        (ResultImport.State.QUEUED, 0),
        (ResultImport.State.REJECTED, 100),
        (ResultImport.State.FAILED, 100),
    ],
)
def test_an_import_without_a_row_count_is_at_0_until_it_ends(world, state, percent) -> None:
    job = _job(world, state=state)

    assert job.percent_done == percent
    assert str(job) == f"results.csv ({job.get_state_display()})"
