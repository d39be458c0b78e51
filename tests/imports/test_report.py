"""An import is all or nothing: rejected with its problems, previewed, or applied in one audited transaction."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from capacity.audit.models import Action, AuditEntry
from capacity.directory.models import Board
from capacity.imports import ImportRejected, ImportReport, RowProblem, conclude
from tests.factories import BoardFactory, ProvinceFactory


def test_a_problem_names_its_row_and_column_or_the_whole_file() -> None:
    assert str(RowProblem(7, "School Number", "missing")) == "row 7, School Number: missing"
    assert str(RowProblem(None, "", "The file is empty.")) == "file: The file is empty."


def test_the_problems_csv_lists_every_problem_with_a_blank_row_for_the_file() -> None:
    report = ImportReport(kind="schools", source="schools.csv")
    report.problem(None, "", "Read as cp1252")
    report.problem(12, "=Board", "+1 is not a number")

    rows = list(csv.reader(io.StringIO(report.problems_csv())))

    # A column name or reason taken from the file cannot become a spreadsheet formula.
    assert rows == [
        ["row", "column", "reason"],
        ["", "", "Read as cp1252"],
        ["12", "'=Board", "'+1 is not a number"],
    ]


def _board(number: str) -> None:
    BoardFactory(province=ProvinceFactory(), number=number)


def test_a_report_with_problems_writes_nothing_and_audits_the_rejection(db) -> None:
    report = ImportReport(kind="boards", source="boards.csv", rows=2)
    report.problem(3, "Board Number", "not a board number")
    applied: list[bool] = []

    conclude(report, apply=lambda: applied.append(True), actor_label="capacity import")

    assert applied == [] and not report.applied and not report.ok
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_label, entry.target) == (
        Action.IMPORT_REJECTED,
        "capacity import",
        "boards.csv",
    )
    assert entry.detail["problems"] == 1
    assert entry.detail["first_problems"] == ["row 3, Board Number: not a board number"]


def test_a_dry_run_writes_nothing_not_even_to_the_audit_log(db) -> None:
    report = ImportReport(kind="boards", source="boards.csv")

    conclude(report, apply=lambda: _board("B10001"), dry_run=True)

    assert not report.applied and report.ok
    assert not Board.objects.exists() and not AuditEntry.objects.exists()
    assert report.notes == ["This was a dry run: nothing was written."]


def test_a_rejected_dry_run_is_not_audited_either(db) -> None:
    report = ImportReport(kind="boards", source="boards.csv")
    report.problem(2, "", "bad")

    conclude(report, apply=lambda: _board("B10001"), dry_run=True)

    assert not AuditEntry.objects.exists()


def test_a_clean_report_is_applied_and_audited_with_its_counts_and_detail(db) -> None:
    report = ImportReport(kind="boards", source="boards.csv", rows=1, created=1)

    conclude(report, apply=lambda: _board("B10001"), detail={"year": "2018-19"})

    assert report.applied and Board.objects.filter(number="B10001").exists()
    entry = AuditEntry.objects.get()
    assert entry.action == Action.IMPORT_APPLIED
    assert entry.detail == {
        "kind": "boards",
        "source": "boards.csv",
        "rows": 1,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "problems": 0,
        "applied": True,
        "year": "2018-19",
        "first_problems": [],
    }


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (IntegrityError("UNIQUE constraint failed"), "UNIQUE constraint failed"),
        (ValidationError(["first", "second"]), "first; second"),
    ],
    ids=["database", "validation"],
)
def test_a_refusal_while_applying_undoes_every_write_and_is_reported(db, failure, reason) -> None:
    report = ImportReport(kind="boards", source="boards.csv", rows=2)

    def apply() -> None:
        _board("B10001")
        raise failure

    conclude(report, apply=apply)

    assert not Board.objects.exists(), "the first board was written before the refusal"
    assert not report.applied
    assert [str(p) for p in report.problems] == [
        f"file: The database refused the import, so nothing was written: {reason}"
    ]
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [Action.IMPORT_REJECTED]


def test_an_importer_can_undo_from_inside_by_raising_import_rejected(db) -> None:
    report = ImportReport(kind="boards", source="boards.csv")

    def apply() -> None:
        _board("B10001")
        raise ImportRejected(report)

    conclude(report, apply=apply)

    assert not Board.objects.exists() and not report.applied
    assert "0 problem(s) in boards.csv" in report.problems[0].reason
