"""Read a CSV or XLSX file into a header and numbered rows of text, refusing what would be read wrong.

Used by every directory importer (schools, organisations, people, OneRoster).
Rows are numbered as a spreadsheet numbers them (the header is row 1). What is
refused, each as a problem with its row and column where it has one:

* a CSV row with more or fewer values than the header (its values would land
  in the wrong columns, or missing ones would read as blanks);
* a file mixing UTF-8 with other bytes (see `capacity.imports.encoding`);
* a file that is not what its name says (a workbook named .csv, a PDF, UTF-16),
  and a CSV separated by semicolons or tabs, with the cause named;
* spreadsheet cells holding errors or formulas never calculated, and
  workbooks over the size limits (see `capacity.imports.xlsx`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.imports.encoding import scan_text
from capacity.imports.limits import Limits, import_limits
from capacity.imports.report import ImportReport
from capacity.imports.sniff import binary_cause, delimiter_cause
from capacity.imports.xlsx import WorkbookRefused, read_sheet

XLSX_SUFFIXES = {".xlsx", ".xlsm"}
# How many lines with bad bytes a refusal names before it only counts the rest.
LISTED_LINES = 20

Rows = Iterator[tuple[int, list[str]]]


def read_table(
    path: Path, report: ImportReport, *, limits: Limits | None = None
) -> tuple[list[str], Rows] | None:
    """Read a CSV or XLSX file into a header and numbered rows of strings (None when it cannot be read).

    Numbers in spreadsheets come back as text without a trailing `.0`, and
    percentages as the percentage shown, so the same validation applies to
    both formats. Rows with nothing in them are left out.
    """
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path, report, limits or import_limits())
    if suffix == ".xls":
        report.problem(
            None, "", _("Old Excel files (.xls) cannot be read. Save the sheet as .xlsx or CSV.")
        )
        return None
    text = read_text(path, report)
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
    cause = delimiter_cause(header, text.split("\n", 1)[0])
    if cause is not None:
        report.problem(1, "", cause)
        return None
    header = [name.strip() for name in header]
    width = len(header)

    def rows() -> Rows:
        number = 1
        try:
            for row in reader:
                number += 1
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != width:
                    report.problem(number, "", width_problem(len(row), width))
                    continue
                yield number, row
        except csv.Error as exc:
            report.problem(reader.line_num, "", _("Not valid CSV: %(reason)s") % {"reason": exc})

    return header, rows()


def width_problem(values: int, width: int) -> str:
    """The reason given for a row whose number of values differs from the header's."""
    return ngettext(
        "This row has %(values)s value but the header has %(width)s columns, so its values cannot be put in "
        "their columns. Check for a missing or extra comma, or a quote left open.",
        "This row has %(values)s values but the header has %(width)s columns, so its values cannot be put in "
        "their columns. Check for a missing or extra comma, or a quote left open.",
        values,
    ) % {"values": values, "width": width}


def read_text(path: Path, report: ImportReport, *, column: str = "") -> str | None:
    """A text file's content, decoded strictly (see `capacity.imports.encoding`), or None with the problem."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
        cause = binary_cause(path, head, expect="csv")
        if cause is not None:
            report.problem(None, column, cause)
            return None
        scan = scan_text(path)
        if scan.encoding is None:
            report.problem(None, column, encoding_problem(scan.bad_lines))
            return None
        data = path.read_bytes()
    except OSError as exc:
        report.problem(
            None, column, _("The file cannot be read: %(reason)s") % {"reason": exc.strerror}
        )
        return None
    if scan.encoding != "utf-8":
        report.notes.append(
            _("Read as %(encoding)s (the file is not UTF-8).") % {"encoding": scan.encoding}
        )
    return data.decode("utf-8-sig" if scan.encoding == "utf-8" else scan.encoding)


def encoding_problem(bad_lines: list[int]) -> str:
    """The reason given for a file that is UTF-8 except on `bad_lines`."""
    listed = ", ".join(str(number) for number in bad_lines[:LISTED_LINES])
    if len(bad_lines) > LISTED_LINES:
        listed += " " + _("and %(count)s more") % {"count": len(bad_lines) - LISTED_LINES}
    return ngettext(
        "The file is in UTF-8 except on row %(rows)s, which holds characters in another encoding "
        "(such as Windows-1252). Reading the whole file in either encoding would garble names, so fix that "
        "row (retype its accented letters) or save the whole file as CSV UTF-8.",
        "The file is in UTF-8 except on rows %(rows)s, which hold characters in another encoding "
        "(such as Windows-1252). Reading the whole file in either encoding would garble names, so fix those "
        "rows (retype their accented letters) or save the whole file as CSV UTF-8.",
        len(bad_lines),
    ) % {"rows": listed}


def _read_xlsx(path: Path, report: ImportReport, limits: Limits) -> tuple[list[str], Rows] | None:
    try:
        sheet = read_sheet(path, report.problem, limits)
    except WorkbookRefused as exc:
        report.problem(None, "", str(exc))
        return None
    report.notes.append(_("Read the sheet %(sheet)s.") % {"sheet": sheet.name})
    if not any(sheet.header):
        report.problem(None, "", _("The spreadsheet is empty."))
        return None

    def rows() -> Rows:
        try:
            yield from sheet.rows
        except WorkbookRefused as exc:
            report.problem(None, "", str(exc))

    return sheet.header, rows()


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

    def position(self, name: str) -> int | None:
        """The column's position in the header, or None when the header lacks it."""
        return self._index.get(self._key(name))

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
