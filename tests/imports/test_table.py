"""read_table refuses files it would read wrong, skips blank rows, and `Columns` finds columns as people name them.

The width and encoding refusals of CSV are in test_text.py; workbook cells in test_xlsx.py.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from capacity.imports import Columns, ImportReport, read_table
from capacity.imports.table import encoding_problem
from tests.imports.variants import csv_lines, ontario_rows

TABLE = "sif_data_table_2021_2022_en.csv"


def read(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], ImportReport]:
    report = ImportReport(kind="test", source=str(path))
    table = read_table(path, report)
    if table is None:
        return [], [], report
    header, rows = table
    return header, list(rows), report


def reasons(report: ImportReport) -> list[str]:
    return [str(problem) for problem in report.problems]


def test_blank_rows_are_left_out_and_the_others_keep_their_spreadsheet_numbers(
    tmp_path: Path,
) -> None:
    lines = csv_lines(TABLE)[:4]
    width = lines[0].count(b",")
    path = tmp_path / "sif.csv"
    path.write_bytes(lines[0] + lines[1] + b"," * width + b"\r\n\r\n" + lines[2] + lines[3])

    header, rows, report = read(path)

    assert report.problems == [] and header[0] == "Board Number"
    assert [number for number, _row in rows] == [2, 5, 6]
    assert rows[1][1][0] == lines[2].decode("cp1252").split(",")[0]


def test_an_empty_file_and_an_old_excel_name_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    old = tmp_path / "sif.xls"
    old.write_bytes(b"".join(csv_lines(TABLE)[:3]))

    assert reasons(read(empty)[2]) == ["file: The file is empty."]
    assert reasons(read(old)[2]) == [
        "file: Old Excel files (.xls) cannot be read. Save the sheet as .xlsx or CSV."
    ]


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    report = read(tmp_path / "nowhere.csv")[2]

    assert reasons(report) == ["file: The file cannot be read: No such file or directory"]


def test_a_cell_too_long_for_csv_is_refused_in_the_header_or_at_its_row(tmp_path: Path) -> None:
    lines = csv_lines(TABLE)[:3]
    huge = b"x" * 200_000
    in_header = tmp_path / "header.csv"
    in_header.write_bytes(huge + b"," + lines[0] + lines[1])
    in_row = tmp_path / "row.csv"
    in_row.write_bytes(lines[0] + lines[1] + huge + lines[2])

    header_report = read(in_header)[2]
    _header, rows, row_report = read(in_row)

    assert len(header_report.problems) == 1
    assert header_report.problems[0].row == 1
    assert "The header cannot be read as CSV: field larger than field limit" in str(
        header_report.problems[0]
    )
    # The rows before it are read; the reader stops at the row it cannot read, naming it.
    assert [number for number, _row in rows] == [2]
    assert [(p.row, p.reason[:40]) for p in row_report.problems] == [
        (3, "Not valid CSV: field larger than field l")
    ]


def test_a_workbook_with_nothing_in_its_header_row_is_empty(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Blank"
    path = tmp_path / "blank.xlsx"
    workbook.save(path)

    _header, rows, report = read(path)

    assert rows == [] and reasons(report) == ["file: The spreadsheet is empty."]
    assert report.notes == ["Read the sheet Blank."]


def test_a_workbook_that_is_not_a_zip_is_refused_as_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "sif.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 64)

    _header, rows, report = read(path)

    assert rows == [] and len(report.problems) == 1 and report.problems[0].row is None


def test_the_encoding_refusal_lists_twenty_lines_then_counts_the_rest() -> None:
    one = encoding_problem([7])
    many = encoding_problem(list(range(2, 32)))

    assert "except on row 7, which holds" in one
    listed = ", ".join(str(number) for number in range(2, 22))
    assert f"except on rows {listed} and 10 more, which hold" in many


def test_columns_are_found_ignoring_case_and_spaces_and_the_first_of_a_repeat_wins() -> None:
    header = [str(name) for name in ontario_rows("sif_data_table_2018_2019_en.xlsx", limit=0)[0]]
    columns = Columns([*header, "school  NUMBER"])
    row = [f"v{i}" for i in range(len(header) + 1)]

    assert columns.has("  school number ") and columns.position("SCHOOL NUMBER") == header.index(
        "School Number"
    )
    assert columns.label("school number") == "School Number"
    assert columns.get(row, "School   Number") == f"v{header.index('School Number')}"
    assert columns.label("Principal") == "Principal" and columns.position("Principal") is None
    # A row shorter than the header (a workbook row ends at its last value) reads blank past its end.
    assert columns.get(row[:2], "Extract Date") == "" and columns.get(row, "Principal") == ""


def test_columns_report_every_required_column_the_header_lacks() -> None:
    report = ImportReport(kind="test", source="orgs.csv")
    columns = Columns(["sourcedId", "name"])

    assert columns.missing(["sourcedId", "type", "identifier"], report, prefix="orgs.csv: ")
    assert reasons(report) == [
        "row 1, orgs.csv: type: This required column is missing.",
        "row 1, orgs.csv: identifier: This required column is missing.",
    ]
    assert not columns.missing(["NAME"], report)
