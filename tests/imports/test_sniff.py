"""A file that is not what its name says is refused with its real nature and the fix, not a problem per row."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pytest

from capacity.imports import ImportReport, read_table
from capacity.imports.sniff import binary_cause, delimiter_cause, workbook_cause
from tests.imports.variants import csv_lines

TABLE = "sif_data_table_2021_2022_en.csv"


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _cause(path: Path, *, expect: str = "csv") -> str | None:
    return binary_cause(path, path.read_bytes()[:65536], expect=expect)


@pytest.mark.parametrize(
    ("members", "named"),
    [
        (
            {"xl/workbook.xml": b"<workbook/>"},
            "a spreadsheet (xlsx), not CSV. Give it an .xlsx name",
        ),
        ({"mimetype": b"application/vnd.oasis", "content.xml": b"<x/>"}, "OpenDocument"),
        ({"word/document.xml": b"<w/>"}, "a Word document"),
        ({"notes.txt": b"hello"}, "a zip archive but not an Excel workbook"),
    ],
    ids=["xlsx", "ods", "docx", "zip"],
)
def test_it_names_the_kind_of_zip_file_given_as_csv(tmp_path: Path, members, named) -> None:
    cause = _cause(_zip(tmp_path / "results.csv", members))

    assert cause is not None and named in cause


def test_a_zip_named_xlsx_is_left_to_the_workbook_reader(tmp_path: Path) -> None:
    assert _cause(_zip(tmp_path / "r.xlsx", {"word/document.xml": b""}), expect="xlsx") is None


def test_a_damaged_zip_is_named_as_such(tmp_path: Path) -> None:
    whole = _zip(tmp_path / "whole.zip", {"xl/workbook.xml": b"<workbook/>" * 100}).read_bytes()
    cut = tmp_path / "results.csv"
    cut.write_bytes(whole[: len(whole) // 2])

    assert _cause(cut) == "The file is a damaged zip file, not CSV."


@pytest.mark.parametrize(
    ("head", "named"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Excel workbook (.xls)"),
        (b"PAR1\x15\x04", "a Parquet file"),
        (b"\xff\xfeS\x00c\x00", "UTF-16"),
        (b"School,\x00Board", "UTF-16 or a binary file"),
    ],
    ids=["xls", "parquet", "utf16-bom", "nul"],
)
def test_it_names_binary_formats_by_their_signature(tmp_path: Path, head, named) -> None:
    path = tmp_path / "results.csv"
    path.write_bytes(head + b"\n" + b"".join(csv_lines(TABLE)[:2]))

    cause = _cause(path)

    assert cause is not None and named in cause


def test_a_gzipped_table_is_refused_with_the_fix_before_any_row_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sif.csv"
    path.write_bytes(gzip.compress(b"".join(csv_lines(TABLE)[:50])))
    report = ImportReport(kind="test", source=str(path))

    assert read_table(path, report) is None
    assert [p.reason for p in report.problems] == [
        "The file is compressed (gzip). Uncompress it first."
    ]


def test_control_bytes_in_a_csv_make_it_a_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    path.write_bytes(b"".join(csv_lines(TABLE)[:3]) + bytes([1, 2, 3, 27]))

    assert "binary file, not text" in (_cause(path) or "")


def test_the_published_table_and_a_tab_or_form_feed_are_text(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    path.write_bytes(b"".join(csv_lines(TABLE)[:40]) + b"\t\x0c\r\n\x1a")

    assert _cause(path) is None


def test_text_named_xlsx_is_named_as_text_and_other_bytes_as_not_a_workbook(tmp_path: Path) -> None:
    text = tmp_path / "results.xlsx"
    text.write_bytes(b"".join(csv_lines(TABLE)[:3]))
    other = tmp_path / "other.xlsx"
    other.write_bytes(bytes(range(1, 32)) * 4)

    assert "plain text (CSV?), not an Excel workbook" in (_cause(text, expect="xlsx") or "")
    assert _cause(other, expect="xlsx") == "The file is not an Excel workbook (.xlsx)."


def test_a_tab_separated_header_is_named_and_a_comma_header_is_not() -> None:
    header = csv_lines(TABLE)[0].decode("cp1252").rstrip("\r\n")
    tabbed = header.replace(",", "\t")

    assert "separated by tabs" in (delimiter_cause([tabbed], tabbed) or "")
    assert delimiter_cause(header.split(","), header) is None
    # One column with neither separator is a one-column file, not a separator mistake.
    assert delimiter_cause(["School Number"], "School Number") is None


def test_a_workbook_is_known_by_its_workbook_part() -> None:
    assert workbook_cause({"[Content_Types].xml", "xl/workbook.xml"}) is None
