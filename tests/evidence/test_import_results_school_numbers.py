"""Results files name schools by the configured scheme too (a national file's twelve-digit schools)."""

from __future__ import annotations

from pathlib import Path

from capacity.evidence.readers import ResultsReader
from capacity.imports import ImportReport

HEADER = "school_number,school_year,assessment,pct_at_standard\n"


def read(tmp_path: Path, body: str) -> tuple[list[str], list[str]]:
    path = tmp_path / "results.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    report = ImportReport(kind="results", source="test")
    table = ResultsReader([(None, path)], report).table()
    return table.column("school_number").to_pylist(), [str(p) for p in report.problems]


def test_ontario_numbers_lose_no_zero(tmp_path) -> None:
    assert read(tmp_path, "19186,2018-19,G3-READ,50\n") == (["019186"], [])


def test_a_national_file_is_read_under_a_national_scheme(settings, tmp_path) -> None:
    settings.CAPACITY_SCHOOL_NUMBER_PATTERN = r"\d{12}"
    settings.CAPACITY_SCHOOL_NUMBER_PAD = 0
    settings.CAPACITY_SCHOOL_NUMBER_EXAMPLE = "123456789012"
    assert read(tmp_path, "420000123456,2018-19,G3-READ,50\n") == (["420000123456"], [])
    _numbers, problems = read(
        tmp_path, "420000123456,2018-19,G3-READ,50\n12345,2018-19,G3-READ,50\n"
    )
    assert problems == [
        "row 3, school_number: “12345” is not a school number: it should be 12 digits, like "
        "123456789012."
    ]
