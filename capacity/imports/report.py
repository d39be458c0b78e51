"""A file's problems, the import's report, and all-or-nothing application.

An importer reads the whole file first and validates every row, collecting a
`RowProblem` (row, column, reason) for each fault. If there is any problem the
file is rejected: nothing is written, the rejection is audited, and the report
lists every problem. Otherwise the rows are applied in one transaction as
upserts keyed by a natural key (school number, board number, sourcedId), so
importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from capacity.reports.csv import csv_text


@dataclass(frozen=True)
class RowProblem:
    """One fault in one place of a file. `row` counts lines as a spreadsheet shows them (header = 1)."""

    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = _("row %(row)s") % {"row": self.row} if self.row is not None else _("file")
        column = f", {self.column}" if self.column else ""
        return f"{where}{column}: {self.reason}"


@dataclass
class ImportReport:
    """What an import found and did."""

    kind: str
    source: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, row: int | None, column: str, reason: str) -> None:
        self.problems.append(RowProblem(row, column, reason))

    def summary(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "problems": len(self.problems),
            "applied": self.applied,
        }

    def problems_csv(self) -> str:
        """The problems as CSV (row, column, reason) for people to fix the file."""
        # Column names and values come from the file: csv_text neutralises formulas.
        return csv_text(
            ["row", "column", "reason"],
            (["" if p.row is None else p.row, p.column, p.reason] for p in self.problems),
        )


class ImportRejected(Exception):
    """Raised inside the applying transaction to undo everything."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.problems)} problem(s) in {report.source}")
        self.report = report


def conclude(
    report: ImportReport,
    *,
    apply: Callable[[], None],
    actor: Any = None,
    actor_label: str = "",
    dry_run: bool = False,
    detail: dict[str, Any] | None = None,
) -> ImportReport:
    """Reject, preview or apply a validated import, and audit the outcome.

    With any problem nothing is written and the rejection is audited. A dry run
    writes nothing at all (not even to the audit log). Otherwise `apply` runs in
    one transaction; if the database refuses anything, everything is undone and
    the import is reported and audited as rejected.
    """
    from django.db import DatabaseError, transaction

    from capacity.audit.models import Action
    from capacity.audit.services import audit_record

    def audit(action: str) -> None:
        audit_record(
            action=action,
            actor=actor,
            actor_label=actor_label,
            target=report.source,
            detail={
                **report.summary(),
                **(detail or {}),
                "first_problems": [str(p) for p in report.problems[:20]],
            },
        )

    report.applied = False
    if report.problems:
        if not dry_run:
            audit(Action.IMPORT_REJECTED)
        return report
    if dry_run:
        report.notes.append(_("This was a dry run: nothing was written."))
        return report
    try:
        with transaction.atomic():
            apply()
            report.applied = True
            audit(Action.IMPORT_APPLIED)
    except (DatabaseError, ValidationError, ImportRejected) as exc:
        report.applied = False
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        report.problem(
            None,
            "",
            _("The database refused the import, so nothing was written: %(reason)s")
            % {"reason": reason},
        )
        audit(Action.IMPORT_REJECTED)
    return report
