"""CSV files are read strictly: one encoding, every row as wide as the header, the cause named when they are not CSV.

Every file here is built from Ontario's published 2021-22 table (CSV in Windows-1252).
"""

from __future__ import annotations

from pathlib import Path

from capacity.imports import ImportReport, read_table
from tests.imports.variants import csv_lines, ontario

TABLE = "sif_data_table_2021_2022_en.csv"


def read(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], ImportReport]:
    report = ImportReport(kind="test", source=str(path))
    table = read_table(path, report)
    if table is None:
        return [], [], report
    header, rows = table
    return header, list(rows), report


def accented_line(lines: list[bytes]) -> int:
    """The index of the first data line with an accented letter."""
    return next(index for index, line in enumerate(lines) if index and not line.isascii())


def test_the_published_windows_1252_table_reads_with_a_note() -> None:
    header, rows, report = read(ontario(TABLE))
    assert report.problems == [] and len(rows) > 4000
    assert "Read as cp1252 (the file is not UTF-8)." in report.notes
    assert any("École" in cells[header.index("School Name")] for _number, cells in rows)


def test_it_refuses_a_utf8_file_with_a_stray_latin1_byte_naming_the_row(tmp_path: Path) -> None:
    lines = [line.decode("cp1252").encode("utf-8") for line in csv_lines(TABLE)]
    stray = accented_line(lines) + 5
    lines[stray] = (
        lines[stray].rstrip(b"\r\n").replace(b",", b",\xe9", 1) + b"\r\n"
    )  # one Latin-1 "é"
    path = tmp_path / "schools.csv"
    path.write_bytes(b"".join(lines))
    _header, rows, report = read(path)
    # Read whole as Windows-1252, every "École" would have become "Ã‰cole".
    assert rows == [] and len(report.problems) == 1
    assert report.problems[0].row is None
    assert f"except on row {stray + 1}," in report.problems[0].reason


def test_it_refuses_each_row_with_fewer_or_more_values_than_the_header(tmp_path: Path) -> None:
    lines = csv_lines(TABLE)
    lines[4] = lines[4].rstrip(b"\r\n").rsplit(b",", 1)[0] + b"\r\n"  # the last value cut off
    lines[9] = lines[9].rstrip(b"\r\n") + b",extra\r\n"
    path = tmp_path / "schools.csv"
    path.write_bytes(b"".join(lines))
    header, rows, report = read(path)
    width = len(header)
    assert [(p.row, p.reason.split(",")[0]) for p in report.problems] == [
        (5, f"This row has {width - 1} values but the header has {width} columns"),
        (10, f"This row has {width + 1} values but the header has {width} columns"),
    ]
    assert 5 not in {number for number, _cells in rows} and 10 not in {
        number for number, _cells in rows
    }


def test_it_names_semicolons_as_the_cause(tmp_path: Path) -> None:
    lines = csv_lines(TABLE)[:20]
    path = tmp_path / "schools.csv"
    path.write_bytes(b"".join(line.replace(b",", b";") for line in lines))
    _header, _rows, report = read(path)
    assert len(report.problems) == 1 and "separated by semicolons" in report.problems[0].reason


def test_it_names_the_cause_of_a_binary_file(tmp_path: Path) -> None:
    pdf = tmp_path / "schools.csv"
    pdf.write_bytes(b"%PDF-1.7\n" + b"".join(csv_lines(TABLE)[:3]))
    workbook = tmp_path / "table.csv"
    workbook.write_bytes(ontario("sif_data_table_2018_2019_en.xlsx").read_bytes())
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(b"".join(csv_lines(TABLE)[:3]).decode("cp1252").encode("utf-16"))
    assert "PDF document" in read(pdf)[2].problems[0].reason
    assert "spreadsheet (xlsx), not CSV" in read(workbook)[2].problems[0].reason
    assert "UTF-16" in read(utf16)[2].problems[0].reason
