"""Every table people download, as CSV or XLSX, from one row source and one writer.

A download is a header and rows, built once by the app that owns them (the plans'
targets, an upload's problems), with figures already through the disclosure gate
(`capacity/evidence/privacy.py`). `table_response(fmt, ...)` writes them in the
format asked for, so the two formats cannot disagree:

- CSV through `capacity/reports/csv.py`: a text cell a spreadsheet would run as a
  formula gets a leading apostrophe;
- XLSX with openpyxl (already used to read uploads): the same rule
  (`runs_as_formula`) marks such a cell as text with Excel's quote prefix, so the
  cell holds exactly what was typed and never becomes a formula, even when edited.
  Text that is exactly a plain number without leading zeros ("-3.5", "12") is
  written as a number so that a spreadsheet can add it up; "0123" stays text.
  Characters XML cannot hold (control characters from an uploaded file) become U+FFFD.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from capacity.reports.csv import csv_text, runs_as_formula

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A number as a person types it; no leading zero (a school number like "012345" is a code).
NUMBER = re.compile(r"-?(0|[1-9]\d{0,14})(\.\d+)?")


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        if NUMBER.fullmatch(value):
            value = float(value) if "." in value else int(value)
    elif isinstance(value, Decimal):
        value = float(value)
    elif value is not None and not isinstance(value, int | float):
        value = str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if runs_as_formula(value):
        # openpyxl takes any text starting with "=" for a formula: say it is text.
        cell.data_type = "s"
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def table_xlsx(header: Sequence[Any], rows: Iterable[Iterable[Any]], *, title: str = "") -> bytes:
    """A workbook of one sheet: the header row (bold, kept in view when scrolling), then the rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=(title or "Table")[:31])
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, name, bold=True) for name in header])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_bytes(
    fmt: str, header: Sequence[Any], rows: Iterable[Iterable[Any]], *, title: str = ""
) -> bytes:
    """The table in `fmt` ("csv" or "xlsx"); ValueError for any other format."""
    if fmt == "csv":
        return csv_text(header, rows, lineterminator="\n").encode()
    if fmt == "xlsx":
        return table_xlsx(header, rows, title=title)
    raise ValueError(f"unknown table format {fmt!r}")


def table_response(
    fmt: str,
    header: Sequence[Any],
    rows: Iterable[Iterable[Any]],
    *,
    filename: str,
    title: str = "",
) -> HttpResponse:
    """A download of the table as `filename.csv` or `filename.xlsx`; 404 for another format."""
    if fmt not in FORMATS:
        raise Http404
    response = HttpResponse(
        table_bytes(fmt, header, rows, title=title), content_type=CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
