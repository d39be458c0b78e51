"""A text file is UTF-8 or Windows-1252 (Latin-1 at worst), decided over the whole file, never a mix.

The scan reads in blocks; a small block size here puts the block edges inside
lines and inside multi-byte letters of Ontario's published table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from capacity.imports import encoding
from capacity.imports.encoding import scan_text
from tests.imports.variants import csv_lines

TABLE = "sif_data_table_2021_2022_en.csv"


@pytest.fixture(params=[1 << 22, 97], ids=["one-block", "small-blocks"])
def block(request, monkeypatch) -> int:
    monkeypatch.setattr(encoding, "BLOCK", request.param)
    return request.param


def _accented(lines: list[bytes]) -> list[int]:
    """Line numbers (from 1) of the lines holding a byte beyond ASCII."""
    return [number for number, line in enumerate(lines, start=1) if not line.isascii()]


def test_the_published_table_is_windows_1252_over_every_line(tmp_path: Path, block) -> None:
    lines = csv_lines(TABLE)[:400]
    path = tmp_path / "sif.csv"
    path.write_bytes(b"".join(lines))

    scan = scan_text(path)

    assert _accented(lines), "the sample has no accented line to decide on"
    assert (scan.encoding, scan.lines, scan.bad_lines, scan.bom) == ("cp1252", 400, [], False)


def test_the_same_table_in_utf8_with_a_bom_is_utf8(tmp_path: Path, block) -> None:
    text = b"".join(csv_lines(TABLE)[:400]).decode("cp1252")
    path = tmp_path / "sif.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))

    scan = scan_text(path)

    assert (scan.encoding, scan.bom, scan.lines) == ("utf-8", True, 400)


def test_a_mix_names_exactly_the_lines_not_in_utf8(tmp_path: Path, block) -> None:
    lines = csv_lines(TABLE)[:400]
    accented = _accented(lines)
    stray = set(accented[1::3])
    mixed = [
        line if number in stray else line.decode("cp1252").encode("utf-8")
        for number, line in enumerate(lines, start=1)
    ]
    path = tmp_path / "sif.csv"
    path.write_bytes(b"".join(mixed))

    scan = scan_text(path)

    assert scan.encoding is None and scan.bad_lines == sorted(stray)


def test_a_byte_windows_1252_leaves_undefined_makes_it_latin1(tmp_path: Path, block) -> None:
    lines = csv_lines(TABLE)[:50]
    path = tmp_path / "sif.csv"
    path.write_bytes(b"".join(lines) + b"999999,Ecole \x81,x\r\n")

    assert scan_text(path).encoding == "latin-1"


def test_a_last_line_without_its_line_end_is_counted(tmp_path: Path, block) -> None:
    lines = csv_lines(TABLE)[:3]
    path = tmp_path / "sif.csv"
    path.write_bytes(b"".join(lines).rstrip(b"\r\n"))

    assert scan_text(path).lines == 3


def test_an_empty_file_has_no_lines_and_reads_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    assert (scan_text(path).encoding, scan_text(path).lines) == ("utf-8", 0)
