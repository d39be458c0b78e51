"""What every importer shares: a report of each bad row, and all-or-nothing application.

An importer reads the whole file first and validates every row, collecting a
`RowProblem` (row, column, reason) for each fault. If there is any problem the
file is rejected: nothing is written, the rejection is audited, and the report
lists every problem. Otherwise the rows are applied in one transaction as
upserts keyed by a natural key (school number, board number, sourcedId), so
importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


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
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["row", "column", "reason"])
        for p in self.problems:
            writer.writerow(["" if p.row is None else p.row, p.column, p.reason])
        return out.getvalue()


class ImportRejected(Exception):
    """Raised inside the applying transaction to undo everything."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.problems)} problem(s) in {report.source}")
        self.report = report


ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


def decode_text(data: bytes, report: ImportReport) -> str | None:
    """Decode a CSV's bytes: UTF-8 if it is UTF-8, else Windows-1252/Latin-1 as Ontario publishes.

    A file that is not text at all (a spreadsheet renamed .csv, UTF-16) is a
    problem, reported rather than guessed at.
    """
    # A zip (xlsx) header holds NUL bytes too, so recognise it before the UTF-16 test.
    if data.startswith(b"PK\x03\x04"):
        report.problem(None, "", _("The file is a spreadsheet (xlsx), not CSV. Give it an .xlsx name."))
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        report.problem(
            None, "",
            _("The file is not plain text in UTF-8 or Latin-1 (it looks like UTF-16 or a binary "
              "file). Save it as CSV in UTF-8 and try again."),
        )
        return None
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "utf-8-sig":
            report.notes.append(_("Read as %(encoding)s (the file is not UTF-8).") % {"encoding": encoding})
        return text
    report.problem(None, "", _("The file's text encoding could not be recognised."))  # pragma: no cover
    return None


def read_table(path: Path, report: ImportReport) -> tuple[list[str], Iterator[tuple[int, list[str]]]] | None:
    """Read a CSV or XLSX file into a header and numbered rows of strings.

    Numbers in spreadsheets come back as text without a trailing `.0`, so the
    same validation applies to both formats.
    """
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.problem(None, "", _("The file cannot be read: %(reason)s") % {"reason": exc.strerror})
        return None
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        return _read_xlsx(data, report)
    text = decode_text(data, report)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        report.problem(None, "", _("The file is empty."))
        return None
    except csv.Error as exc:
        report.problem(1, "", _("The header cannot be read as CSV: %(reason)s") % {"reason": exc})
        return None
    header = [h.strip() for h in header]

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, row in enumerate(reader, start=2):
                if any(cell.strip() for cell in row):
                    yield number, row
        except csv.Error as exc:
            report.problem(reader.line_num, "", _("Not valid CSV: %(reason)s") % {"reason": exc})

    return header, rows()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes, report: ImportReport) -> tuple[list[str], Iterator[tuple[int, list[str]]]] | None:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for damaged files
        report.problem(None, "", _("The spreadsheet cannot be opened: %(reason)s") % {"reason": exc})
        return None
    report.notes.append(_("Read the sheet %(sheet)s.") % {"sheet": workbook.sheet_names[0]})
    if not rows:
        report.problem(None, "", _("The spreadsheet is empty."))
        return None
    header = [_cell_text(h) for h in rows[0]]

    def numbered() -> Iterator[tuple[int, list[str]]]:
        for number, row in enumerate(rows[1:], start=2):
            cells = [_cell_text(c) for c in row]
            if any(cells):
                yield number, cells

    return header, numbered()


# --- Shared by the importers ------------------------------------------------

BOARD_NUMBER_RE = re.compile(r"^B\d{5}$")
SCHOOL_NUMBER_RE = re.compile(r"^\d{5,6}$")


def clean_text(value: str) -> str:
    """A cell's text with runs of spaces (common in published tables) collapsed to one."""
    return " ".join(value.split())


def clean_board_number(value: str) -> str:
    return value.strip().upper()


def clean_school_number(value: str) -> str:
    """Ontario school numbers have six digits; spreadsheets often drop the leading zero."""
    value = value.strip()
    if re.fullmatch(r"\d{5}", value):
        return "0" + value
    return value


class Columns:
    """A file's header: finds columns by name, ignoring case and extra spaces."""

    def __init__(self, header: list[str]) -> None:
        self.header = header
        self._index: dict[str, int] = {}
        for position, name in enumerate(header):
            self._index.setdefault(self._key(name), position)

    @staticmethod
    def _key(name: str) -> str:
        return " ".join(name.split()).lower()

    def has(self, name: str) -> bool:
        return self._key(name) in self._index

    def label(self, name: str) -> str:
        """The column's name as the file spells it, for problem reports."""
        position = self._index.get(self._key(name))
        return self.header[position] if position is not None else name

    def get(self, row: list[str], name: str) -> str:
        """The cell's text, stripped; empty when the column or the cell is absent."""
        position = self._index.get(self._key(name))
        if position is None or position >= len(row):
            return ""
        return row[position].strip()

    def missing(self, required: list[str], report: ImportReport, *, prefix: str = "") -> bool:
        """Report each required column the header lacks. True when any is missing."""
        absent = [name for name in required if not self.has(name)]
        for name in absent:
            report.problem(1, prefix + name, _("This required column is missing."))
        return bool(absent)


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
            action=action, actor=actor, actor_label=actor_label, target=report.source,
            detail={**report.summary(), **(detail or {}),
                    "first_problems": [str(p) for p in report.problems[:20]]},
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
            None, "",
            _("The database refused the import, so nothing was written: %(reason)s") % {"reason": reason},
        )
        audit(Action.IMPORT_REJECTED)
    return report
