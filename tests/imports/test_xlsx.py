"""Workbooks are read cell by cell as the spreadsheet shows them, and refused before reading when too large.

Every workbook here is built from Ontario's published 2018-19 table.
"""

from __future__ import annotations

import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell import WriteOnlyCell

from capacity.imports import ImportReport, Limits, read_table
from capacity.imports.xlsx import number_text
from tests.imports.variants import (
    G3_READ,
    ontario,
    ontario_rows,
    resaved,
    with_dimension,
    with_padding,
)

TABLE = "sif_data_table_2018_2019_en.xlsx"


def read(
    path: Path, limits: Limits | None = None
) -> tuple[list[str], list[tuple[int, list[str]]], ImportReport]:
    report = ImportReport(kind="test", source=str(path))
    table = read_table(path, report, limits=limits)
    if table is None:
        return [], [], report
    header, rows = table
    return header, list(rows), report


def test_it_reads_a_percent_formatted_number_as_the_percentage_shown(tmp_path: Path) -> None:
    rows = ontario_rows(TABLE, limit=60)
    path = resaved(rows, tmp_path / "resaved.xlsx")
    header, read_rows, report = read(path)
    assert report.problems == []
    column = header.index(G3_READ)
    published = {number: row[column] for number, row in enumerate(rows[1:], start=2)}
    percentages = [
        (number, cells[column]) for number, cells in read_rows if published[number].endswith("%")
    ]
    assert len(percentages) > 20
    # "73%" in the published table, 0.73 formatted 0% after the re-save: read as 73, never 0.73.
    assert all(value == published[number].removesuffix("%") for number, value in percentages)


def test_it_reads_dates_by_their_format(tmp_path: Path) -> None:
    header, read_rows, _report = read(ontario(TABLE))
    assert (
        read_rows[0][1][header.index("Extract Date")]
        == ontario_rows(TABLE, limit=1)[1][-1].date().isoformat()
    )


def test_number_text_reads_as_a_person_would() -> None:
    assert number_text(0.73 * 100) == "73"
    assert number_text(0.735 * 100) == "73.5"
    assert number_text(220.0) == "220"
    assert number_text(-84.3077) == "-84.3077"


def broken_cells(tmp_path: Path, broken: dict[tuple[int, str], object]) -> Path:
    """The first rows of the table with some cells replaced (keys: row number, column header)."""
    rows = ontario_rows(TABLE, limit=5)
    header = rows[0]
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("SIF_1819_EQAO1819_EN")
    for number, values in enumerate(rows, start=1):
        cells = list(values)
        for (row, column), value in broken.items():
            if row == number:
                cells[header.index(column)] = WriteOnlyCell(sheet, value=value)
        sheet.append(cells)
    path = tmp_path / "broken.xlsx"
    workbook.save(path)
    return path


def test_it_reports_error_cells_with_row_and_column(tmp_path: Path) -> None:
    path = broken_cells(tmp_path, {(3, G3_READ): "#DIV/0!", (4, "Enrolment"): "#REF!"})
    _header, read_rows, report = read(path)
    assert [(p.row, p.column) for p in report.problems] == [(3, G3_READ), (4, "Enrolment")]
    assert "#DIV/0!" in report.problems[0].reason and "#REF!" in report.problems[1].reason
    assert [number for number, _cells in read_rows] == [2, 5, 6]


def test_it_reports_formulas_whose_value_was_never_stored(tmp_path: Path) -> None:
    # openpyxl writes formulas without calculating them, like many programs that generate workbooks.
    path = broken_cells(tmp_path, {(2, "Enrolment"): "=SUM(1,2)"})
    _header, _rows, report = read(path)
    assert [(p.row, p.column) for p in report.problems] == [(2, "Enrolment")]
    assert "formula whose value was never calculated" in report.problems[0].reason


def test_it_refuses_a_value_under_no_header(tmp_path: Path) -> None:
    rows = ontario_rows(TABLE, limit=3)
    rows[2] = [*rows[2], "stray"]
    path = resaved(rows, tmp_path / "wide.xlsx")
    _header, read_rows, report = read(path)
    assert [(p.row, p.column) for p in report.problems] == [(3, "AZ")]
    assert [number for number, _cells in read_rows] == [2, 4]


def one_cell_workbook(tmp_path: Path) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = ontario_rows(TABLE, limit=0)[0][0]
    workbook.save(tmp_path / "one-cell.xlsx")
    return tmp_path / "one-cell.xlsx"


def test_it_refuses_a_sheet_declaring_more_cells_than_allowed_before_reading_it(
    tmp_path: Path,
) -> None:
    path = with_dimension(one_cell_workbook(tmp_path), "A1:XFD1048576")
    started = time.monotonic()
    _header, _rows, report = read(path)
    assert time.monotonic() - started < 5
    assert len(report.problems) == 1
    assert "declares 1,048,576 rows and 16,384 columns" in report.problems[0].reason
    assert "CAPACITY_IMPORT_MAX_CELLS" in report.problems[0].reason


def test_a_declared_size_within_the_limit_is_read(tmp_path: Path) -> None:
    path = with_dimension(one_cell_workbook(tmp_path), "A1:Z1000")
    header, _rows, report = read(path)
    assert report.problems == [] and header == ["Board Number"]


def test_it_refuses_a_workbook_that_inflates_far_more_than_a_table(tmp_path: Path) -> None:
    path = with_padding(one_cell_workbook(tmp_path), megabytes=64)
    assert path.stat().st_size < 1 << 20
    _header, _rows, report = read(path)
    assert (
        len(report.problems) == 1 and "CAPACITY_IMPORT_MAX_XLSX_RATIO" in report.problems[0].reason
    )


def test_the_inflated_size_limit_comes_from_the_settings(settings: pytest.FixtureRequest) -> None:
    settings.CAPACITY_IMPORT_MAX_XLSX_MB = 5  # the published table unpacks to about 11 MB
    _header, _rows, report = read(ontario(TABLE))
    assert len(report.problems) == 1 and "CAPACITY_IMPORT_MAX_XLSX_MB" in report.problems[0].reason


def test_it_names_the_cause_when_a_workbook_is_not_one(tmp_path: Path) -> None:
    text = tmp_path / "table.xlsx"
    text.write_bytes(b"Board Number,Board Name\nB28010,Algoma DSB\n")
    old_excel = tmp_path / "old.xlsx"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert "plain text (CSV?)" in read(text)[2].problems[0].reason
    assert "old Excel workbook (.xls)" in read(old_excel)[2].problems[0].reason


def with_sheet(path: Path, edit: Callable[[bytes], bytes]) -> Path:
    """The same workbook with its sheet's XML passed through `edit` (as a broken writer leaves it)."""
    out = path.with_name(f"edited-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = edit(data)
            target.writestr(info, data)
    return out


def _small(tmp_path: Path) -> Path:
    """Four rows of the published table in a workbook."""
    workbook = openpyxl.Workbook()
    for values in ontario_rows(TABLE, limit=4):
        workbook.active.append(values)
    workbook.save(tmp_path / "small.xlsx")
    return tmp_path / "small.xlsx"


def test_a_sheet_whose_xml_is_cut_short_is_refused_as_damaged(tmp_path: Path) -> None:
    path = with_sheet(_small(tmp_path), lambda data: data[: len(data) // 2])

    _header, _rows, report = read(path)

    assert len(report.problems) == 1
    assert report.problems[0].reason.startswith(
        "The spreadsheet cannot be opened: its XML is damaged"
    )


def test_cells_a_broken_writer_left_are_reported_with_their_row_and_column(tmp_path: Path) -> None:
    def damage(data: bytes) -> bytes:
        # Row 3's first cell points to a shared text the workbook lacks; row 4's second is
        # "a number" that is not one.
        data = re.sub(
            rb'<c r="A3" t="inlineStr"><is><t>[^<]*</t></is></c>',
            b'<c r="A3" t="s"><v>999999</v></c>',
            data,
        )
        return re.sub(
            rb'<c r="B4" t="inlineStr"><is><t>[^<]*</t></is></c>',
            b'<c r="B4"><v>12abc</v></c>',
            data,
        )

    header, rows, report = read(with_sheet(_small(tmp_path), damage))

    assert [(p.row, p.column) for p in report.problems] == [(3, header[0]), (4, header[1])]
    assert "shared text that the workbook lacks" in report.problems[0].reason
    assert "“12abc” is stored as a number but is not one" in report.problems[1].reason
    # The damaged rows are left out; the others are read.
    assert [number for number, _cells in rows] == [2, 5]
