"""Read the first sheet of an xlsx workbook as text, a row at a time, with each cell read by its format.

Why not openpyxl, pandas or calamine: each of them trusts what the workbook
declares. A one-cell sheet whose dimension claims A1:XFD1048576 made calamine
allocate for 17 billion cells and abort the process, and a 4.6 MB file that
inflates to 1.2 GB took gigabytes before it was refused. Here the zip is
inspected first (`inspect_workbook`: the declared size of every member, their
compression ratio and the sheet's `<dimension>`, against `Limits`), and then
the sheet's XML is streamed through expat, so memory holds one row, the shared
strings and the styles, never the declared grid.

What a cell means depends on its format, so cells are read the way a person
sees them in the spreadsheet:

* a number formatted as a percentage reads as the percentage shown: 0.73 with
  the format `0%` is "73" (a re-saved Ontario table stores "73%" that way);
* a number formatted as a date reads as the date (2019-09-12);
* other numbers read without a trailing ".0";
* an error cell (#DIV/0!, #REF!, #N/A) and a formula whose value was never
  stored (files written by programs that do not calculate) are problems with
  their row and column, never blanks.
"""

from __future__ import annotations

import datetime
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from django.utils.translation import gettext as _

from capacity.imports.limits import RATIO_FLOOR_BYTES, Limits
from capacity.imports.sniff import binary_cause, workbook_cause

Problem = Callable[[int | None, str, str], None]

CHUNK = 1 << 20
# Built-in number formats (ECMA-376 18.8.30): 9 and 10 are percentages; these are dates and times.
BUILTIN_PERCENT = {9, 10}
BUILTIN_DATES = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
# A format's sections in quotes, brackets ([Red], [$-409]) and escaped characters say nothing of its kind.
FORMAT_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
DIMENSION_RE = re.compile(
    r"<(?:\w+:)?dimension\s+ref=\"([A-Za-z]{1,3})?(\d+)?(?::([A-Za-z]{1,3})(\d+))?\""
)
CELL_REF_RE = re.compile(r"^([A-Za-z]{1,3})(\d+)$")
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)  # noqa: DTZ001 - spreadsheet dates have no time zone
EPOCH_1904 = datetime.datetime(1904, 1, 1)  # noqa: DTZ001
MAX_COLUMNS = 16_384


class WorkbookRefused(Exception):
    """The workbook cannot be read; the message says why, for the person who gave it."""


def column_letters(index: int) -> str:
    """0 -> "A", 26 -> "AA": a column as the spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """ "A" -> 0, "AA" -> 26."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


def number_text(value: float) -> str:
    """A number as a person reads it: 73 not 73.0, 73.5, and 72.99999999999999 (from 0.73 x 100) as 73."""
    rounded = round(value, 9)
    if rounded.is_integer() and abs(rounded) < 1e16:
        return str(int(rounded))
    return repr(rounded)


def format_kind(code: str) -> str:
    """ "percent", "date" or "" for a number format code such as `0.0%` or `yyyy-mm-dd`."""
    bare = FORMAT_LITERALS.sub("", code).lower()
    if "%" in bare:
        return "percent"
    if bare != "general" and re.search(r"[dmyhs]", bare):
        return "date"
    return ""


@dataclass
class Workbook:
    """An opened workbook: its first sheet's name and where its parts are."""

    path: Path
    sheet_name: str
    sheet_member: str
    shared_strings_member: str | None
    styles_member: str | None
    date1904: bool
    limits: Limits
    declared_rows: int | None = None


@dataclass
class Sheet:
    """The first sheet: its header (the first row with anything in it) and the rows after it.

    `rows` yields (row number as the spreadsheet shows it, cells as text); a
    cell past the end of a row is absent, not "". A cell that cannot be read
    (an error, a formula without a value, a value under no header) is reported
    through the `problem` callback given to `read_sheet`, and its row is left out.
    """

    name: str
    header_row: int
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    declared_rows: int | None = None


def inspect_workbook(path: Path, limits: Limits) -> Workbook:
    """Check the zip and the sheet's declared size against `limits`, before parsing any cell.

    Raises WorkbookRefused with the reason (and the setting that raises a limit).
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise WorkbookRefused(
            _("The file cannot be read: %(reason)s") % {"reason": exc.strerror}
        ) from exc
    cause = binary_cause(path, head, expect="xlsx")
    if cause is not None:
        raise WorkbookRefused(cause)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookRefused(
            _(
                "The spreadsheet cannot be opened: it is damaged or not an Excel workbook "
                "(%(reason)s)."
            )
            % {"reason": exc}
        ) from exc
    with archive:
        members = {info.filename: info for info in archive.infolist()}
        cause = workbook_cause(set(members))
        if cause is not None:
            raise WorkbookRefused(cause)
        _check_sizes(list(members.values()), limits)
        try:
            workbook = _locate(archive, path, limits)
            if workbook.sheet_member not in members:
                raise WorkbookRefused(
                    _("The spreadsheet cannot be opened: its first sheet is missing.")
                )
            with archive.open(workbook.sheet_member) as member:
                workbook.declared_rows = _check_dimension(member.read(1 << 16), limits)
        except (
            ValueError,
            KeyError,
            NotImplementedError,
            RuntimeError,
            zipfile.BadZipFile,
            OSError,
        ) as exc:
            raise WorkbookRefused(
                _("The spreadsheet cannot be opened: it is damaged (%(reason)s).") % {"reason": exc}
            ) from exc
    return workbook


def _check_sizes(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    total = sum(info.file_size for info in members)
    if total > limits.max_inflated_bytes:
        raise WorkbookRefused(
            _(
                "The spreadsheet unpacks to %(size)s MB, more than the %(limit)s MB allowed "
                "(CAPACITY_IMPORT_MAX_XLSX_MB). Save the results as CSV, or raise the limit."
            )
            % {"size": f"{total / (1 << 20):,.0f}", "limit": f"{limits.max_inflated_bytes >> 20:,}"}
        )
    for info in members:
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
            raise WorkbookRefused(
                _(
                    "The spreadsheet's part %(part)s unpacks %(ratio)s times larger than it is stored, more "
                    "than the %(limit)s allowed (CAPACITY_IMPORT_MAX_XLSX_RATIO): a real table does not "
                    "compress that well."
                )
                % {
                    "part": info.filename,
                    "ratio": f"{ratio:,.0f}",
                    "limit": f"{limits.max_ratio:,}",
                }
            )


def _check_dimension(head: bytes, limits: Limits) -> int | None:
    """The rows the sheet declares (None when it does not say); refuses a declared size over the limit."""
    match = DIMENSION_RE.search(head.decode("utf-8", errors="replace"))
    if match is None or match.group(2) is None:
        return None
    first_column, first_row, last_column, last_row = match.groups()
    if last_column is None:
        return 1
    rows = int(last_row) - int(first_row or "1") + 1
    columns = column_index(last_column) - column_index(first_column or "A") + 1
    if rows * columns > limits.max_cells:
        raise WorkbookRefused(
            _(
                "The sheet declares %(rows)s rows and %(columns)s columns (to cell %(cell)s), %(cells)s cells, "
                "more than the %(limit)s allowed (CAPACITY_IMPORT_MAX_CELLS). If the table is really that "
                "small, delete the empty rows and columns below and beside it and save again."
            )
            % {
                "rows": f"{rows:,}",
                "columns": f"{columns:,}",
                "cell": f"{last_column.upper()}{last_row}",
                "cells": f"{rows * columns:,}",
                "limit": f"{limits.max_cells:,}",
            }
        )
    return rows


def _locate(archive: zipfile.ZipFile, path: Path, limits: Limits) -> Workbook:
    """Find the first sheet, its name, the shared strings and the styles from the workbook's parts."""
    book = _parse_small(archive, "xl/workbook.xml")
    sheets = [attrs for name, attrs in book if name == "sheet"]
    if not sheets:
        raise WorkbookRefused(_("The spreadsheet has no sheets."))
    date1904 = any(
        name == "workbookPr" and attrs.get("date1904", "0").lower() in {"1", "true"}
        for name, attrs in book
    )
    first = sheets[0]
    relation = next(
        (value for key, value in first.items() if key.endswith("}id") or key == "r:id"), ""
    )
    targets: dict[str, str] = {}
    kinds: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in archive.namelist():
        for name, attrs in _parse_small(archive, "xl/_rels/workbook.xml.rels"):
            if name == "Relationship":
                target = attrs.get("Target", "")
                member = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join("xl", target))
                )
                targets[attrs.get("Id", "")] = member
                kinds[attrs.get("Type", "").rsplit("/", 1)[-1]] = member
    names = archive.namelist()
    sheet_member = targets.get(relation) or "xl/worksheets/sheet1.xml"
    strings = kinds.get("sharedStrings") or (
        "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else None
    )
    styles = kinds.get("styles") or ("xl/styles.xml" if "xl/styles.xml" in names else None)
    return Workbook(
        path=path,
        sheet_name=first.get("name", ""),
        sheet_member=sheet_member,
        shared_strings_member=strings if strings in names else None,
        styles_member=styles if styles in names else None,
        date1904=date1904,
        limits=limits,
    )


def sheet_name(path: Path, limits: Limits) -> str:
    """The first sheet's name, or "" when the workbook cannot be opened (its reader reports why)."""
    try:
        return inspect_workbook(path, limits).sheet_name
    except WorkbookRefused:
        return ""


# --- XML, streamed through expat ------------------------------------------------------------


def _parser(
    start: Callable[..., None] | None = None,
    end: Callable[..., None] | None = None,
    text: Callable[[str], None] | None = None,
) -> Any:
    """An expat parser that refuses any DTD or entity declaration (no legitimate workbook has one)."""
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse(*_args: Any) -> None:
        raise WorkbookRefused(
            _(
                "The spreadsheet holds XML declarations a workbook never has (a DTD or "
                "entities), so it is not read."
            )
        )

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    parser.buffer_text = True
    return parser


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _feed(parser: Any, member: IO[bytes], limit: int) -> Iterator[None]:
    """Parse a zip member a chunk at a time (yielding after each), never past `limit` inflated bytes."""
    read = 0
    try:
        while chunk := member.read(CHUNK):
            read += len(chunk)
            if read > limit:
                raise WorkbookRefused(
                    _(
                        "The spreadsheet unpacks to more than the %(limit)s MB allowed "
                        "(CAPACITY_IMPORT_MAX_XLSX_MB)."
                    )
                    % {"limit": f"{limit >> 20:,}"}
                )
            parser.Parse(chunk, False)
            yield
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise WorkbookRefused(
            _("The spreadsheet cannot be opened: its XML is damaged (%(reason)s).")
            % {"reason": expat.ErrorString(exc.code)}
        ) from exc
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise WorkbookRefused(
            _("The spreadsheet cannot be opened: it is damaged (%(reason)s).") % {"reason": exc}
        ) from exc
    yield


def _parse_small(archive: zipfile.ZipFile, member: str) -> list[tuple[str, dict[str, str]]]:
    """Every element of a small part (workbook, relationships) as (local name, attributes)."""
    found: list[tuple[str, dict[str, str]]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        found.append((_local(name), attrs))

    try:
        with archive.open(member) as handle:
            for _step in _feed(_parser(start), handle, 16 << 20):
                pass
    except KeyError as exc:
        raise WorkbookRefused(
            _("The spreadsheet cannot be opened: its part %(part)s is missing.") % {"part": member}
        ) from exc
    return found


def _shared_strings(archive: zipfile.ZipFile, workbook: Workbook) -> list[str]:
    """The workbook's shared strings; rich text runs are joined and phonetic guides left out."""
    if workbook.shared_strings_member is None:
        return []
    strings: list[str] = []
    parts: list[str] = []
    depth = {"t": 0, "rPh": 0}

    def start(name: str, _attrs: dict[str, str]) -> None:
        local = _local(name)
        if local in depth:
            depth[local] += 1
        elif local == "si":
            parts.clear()

    def end(name: str) -> None:
        local = _local(name)
        if local in depth:
            depth[local] -= 1
        elif local == "si":
            strings.append("".join(parts))

    def text(data: str) -> None:
        if depth["t"] and not depth["rPh"]:
            parts.append(data)

    with archive.open(workbook.shared_strings_member) as handle:
        for _step in _feed(_parser(start, end, text), handle, workbook.limits.max_inflated_bytes):
            pass
    return strings


def _styles(archive: zipfile.ZipFile, workbook: Workbook) -> list[str]:
    """Each cell style's kind of number ("percent", "date" or ""), by the style's index."""
    if workbook.styles_member is None:
        return []
    codes: dict[int, str] = {}
    formats: list[int] = []
    inside = {"cellXfs": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "numFmt":
            codes[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            inside["cellXfs"] = True
        elif local == "xf" and inside["cellXfs"]:
            formats.append(int(attrs.get("numFmtId", "0") or 0))

    def end(name: str) -> None:
        if _local(name) == "cellXfs":
            inside["cellXfs"] = False

    with archive.open(workbook.styles_member) as handle:
        for _step in _feed(_parser(start, end), handle, 64 << 20):
            pass

    def kind(number_format: int) -> str:
        if number_format in codes:
            return format_kind(codes[number_format])
        if number_format in BUILTIN_PERCENT:
            return "percent"
        return "date" if number_format in BUILTIN_DATES else ""

    return [kind(number_format) for number_format in formats]


# --- The sheet -----------------------------------------------------------------------------


@dataclass
class _Cell:
    column: int = 0
    type: str = "n"
    style: int = 0
    value: list[str] = field(default_factory=list)
    has_value: bool = False
    has_formula: bool = False


class _SheetParser:
    """Turns the sheet's XML into rows of text; collects each cell that cannot be read as a fault."""

    def __init__(self, strings: list[str], kinds: list[str], date1904: bool) -> None:
        self.strings = strings
        self.kinds = kinds
        self.epoch = EPOCH_1904 if date1904 else EXCEL_EPOCH
        self.done: list[tuple[int, dict[int, str], list[tuple[int, str]]]] = []
        self.row_number = 0
        self.cells: dict[int, str] = {}
        self.faults: list[tuple[int, str]] = []
        self.last_column = -1
        self.cell: _Cell | None = None
        self.collect = False
        self.inline_depth = 0
        self.phonetic = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "c":
            ref = CELL_REF_RE.match(attrs.get("r", ""))
            column = column_index(ref.group(1)) if ref else self.last_column + 1
            self.last_column = column
            style = attrs.get("s", "0")
            self.cell = _Cell(
                column=column, type=attrs.get("t", "n"), style=int(style) if style.isdigit() else 0
            )
        elif self.cell is not None:
            if local == "v":
                self.collect = True
                self.cell.has_value = True
            elif local == "f":
                self.cell.has_formula = True
            elif local == "is":
                self.inline_depth += 1
            elif local == "t" and self.inline_depth and not self.phonetic:
                self.collect = True
                self.cell.has_value = True
            elif local == "rPh":
                self.phonetic += 1
        elif local == "row":
            number = attrs.get("r", "")
            self.row_number = int(number) if number.isdigit() else self.row_number + 1
            self.cells = {}
            self.faults = []
            self.last_column = -1

    def text(self, data: str) -> None:
        if self.collect and self.cell is not None:
            self.cell.value.append(data)

    def end(self, name: str) -> None:
        local = _local(name)
        if local in {"v", "t"}:
            self.collect = False
        elif local == "is":
            self.inline_depth -= 1
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "c" and self.cell is not None:
            self._finish(self.cell)
            self.cell = None
        elif local == "row":
            self.done.append((self.row_number, self.cells, self.faults))

    def _finish(self, cell: _Cell) -> None:
        raw = "".join(cell.value)
        if cell.type == "e":
            self.faults.append(
                (
                    cell.column,
                    _(
                        "The cell holds the error %(error)s instead of a value. Correct the "
                        "formula or type the value."
                    )
                    % {"error": raw or "#?"},
                )
            )
            return
        if cell.has_formula and (not cell.has_value or raw == ""):
            self.faults.append(
                (
                    cell.column,
                    _(
                        "The cell holds a formula whose value was never calculated and "
                        "saved. Open the file in a spreadsheet program and save it again, "
                        "or paste the values in place of the formulas."
                    ),
                )
            )
            return
        text = self._text(cell, raw)
        if text:
            if cell.column >= MAX_COLUMNS:
                raise WorkbookRefused(
                    _("The sheet has a cell beyond the last column a spreadsheet can have.")
                )
            self.cells[cell.column] = text

    def _text(self, cell: _Cell, raw: str) -> str:
        if cell.type == "s":
            try:
                return self.strings[int(raw)].strip()
            except (ValueError, IndexError):
                self.faults.append(
                    (
                        cell.column,
                        _(
                            "The cell refers to a shared text that the workbook lacks; "
                            "the file is damaged."
                        ),
                    )
                )
                return ""
        if cell.type in {"str", "inlineStr", "d"}:
            return raw.strip()
        if cell.type == "b":
            return "TRUE" if raw.strip() in {"1", "true"} else "FALSE"
        if not raw.strip():
            return ""
        try:
            number = float(raw)
        except ValueError:
            self.faults.append(
                (
                    cell.column,
                    _("“%(value)s” is stored as a number but is not one; the file is damaged.")
                    % {"value": raw},
                )
            )
            return ""
        kind = self.kinds[cell.style] if cell.style < len(self.kinds) else ""
        if kind == "percent":
            return number_text(number * 100)
        if kind == "date":
            return self._date(number)
        return number_text(number)

    def _date(self, serial: float) -> str:
        try:
            moment = self.epoch + datetime.timedelta(days=serial)
        except OverflowError:
            return number_text(serial)
        if moment.time() == datetime.time(0):
            return moment.date().isoformat()
        return moment.isoformat()


def read_sheet(path: Path, problem: Problem, limits: Limits) -> Sheet:
    """Open the workbook's first sheet and read up to its header; the rest is read as `rows` is used.

    Raises WorkbookRefused when the workbook cannot be read at all. Each cell
    that cannot be read is reported through `problem` (row, column label,
    reason) and its row is left out of `rows`; so is a value in a column the
    header does not name.
    """
    workbook = inspect_workbook(path, limits)
    archive = zipfile.ZipFile(path)
    try:
        strings = _shared_strings(archive, workbook)
        kinds = _styles(archive, workbook)
        member = archive.open(workbook.sheet_member)
    except (
        ValueError,
        KeyError,
        NotImplementedError,
        RuntimeError,
        zipfile.BadZipFile,
        OSError,
    ) as exc:
        archive.close()
        raise WorkbookRefused(
            _("The spreadsheet cannot be opened: it is damaged (%(reason)s).") % {"reason": exc}
        ) from exc
    except BaseException:
        archive.close()
        raise
    state = _SheetParser(strings, kinds, workbook.date1904)
    steps = _feed(_parser(state.start, state.end, state.text), member, limits.max_inflated_bytes)
    header: list[str] = []

    def pending() -> Iterator[tuple[int, dict[int, str], list[tuple[int, str]]]]:
        try:
            for _step in steps:
                done, state.done = state.done, []
                yield from done
        finally:
            member.close()
            archive.close()

    raw_rows = pending()
    header_row = 0

    def label(column: int) -> str:
        if column < len(header) and header[column]:
            return header[column]
        return column_letters(column)

    def report(number: int, faults: list[tuple[int, str]]) -> None:
        for column, reason in faults:
            problem(number, label(column), reason)

    for number, cells, faults in raw_rows:
        report(number, faults)
        if cells or faults:
            header_row = number
            width = max(cells, default=-1) + 1
            header = [cells.get(position, "") for position in range(width)]
            break
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, cells, faults in raw_rows:
            report(number, faults)
            beyond = [column for column in cells if column >= width]
            if beyond:
                problem(
                    number,
                    column_letters(min(beyond)),
                    _(
                        "This row has a value (“%(value)s”) in column %(column)s, beyond the header's last "
                        "column; a column without a name cannot be read. Give the column a name in the "
                        "header, or move the value."
                    )
                    % {"value": cells[min(beyond)], "column": column_letters(min(beyond))},
                )
            if faults or beyond or not cells:
                continue
            yield number, [cells.get(position, "") for position in range(max(cells) + 1)]

    return Sheet(
        name=workbook.sheet_name,
        header_row=header_row,
        header=header,
        rows=rows(),
        declared_rows=workbook.declared_rows,
    )
