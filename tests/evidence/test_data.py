"""The analytics read the app's own database, in the same transaction as the ORM, and leave it as they found it."""

from __future__ import annotations

import pytest
from django.db import transaction

from capacity.directory.models import School
from capacity.evidence.data import app_tables
from capacity.evidence.models import Result
from tests.evidence.conftest import results_for

pytestmark = pytest.mark.django_db


def test_the_results_table_holds_the_orms_rows_with_their_school_and_board(evidence_world) -> None:
    expected = {
        (
            r.school.number,
            r.school.name,
            r.school.board.number,
            r.school_year,
            r.assessment.code,
            r.group,
            r.participating,
            r.pct_at_standard,
        )
        for r in Result.objects.select_related("school__board", "assessment")
    }

    frame = app_tables().results.to_pandas()

    read = {
        (
            row.school_number,
            row.school_name,
            row.board_number,
            row.school_year,
            row.assessment,
            row.group,
            row.participating,
            row.pct_at_standard,
        )
        for row in frame.itertuples()
    }
    assert len(frame) == Result.objects.count() == 24
    assert read == expected


def test_the_context_table_has_each_schools_year_with_its_level(world) -> None:
    frame = app_tables().context.to_pandas()

    assert sorted(zip(frame.school_number, frame.level, strict=True)) == sorted(
        School.objects.values_list("number", "level")
    )


def test_reading_does_not_end_the_transaction_it_reads_in(world) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        results_for(world.school_a2, "2018-19", [50, 50, 50, 50, 50, 50])
        # The rows written in this transaction are there to read...
        assert app_tables().results.count().to_pyarrow().as_py() == 6
        raise RuntimeError("undo")

    # ...and undoing the transaction undoes them: the read committed nothing.
    assert not Result.objects.exists()


def test_searches_stay_case_insensitive_after_the_analytics_ran(world) -> None:
    app_tables().results.school_name.like("%aspen%").sum().to_pyarrow()

    assert list(
        School.objects.filter(name__icontains="aspen").values_list("number", flat=True)
    ) == ["700001"]
