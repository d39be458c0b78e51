"""Broken variants of Ontario's published tables, built in a test's tmp_path (never committed).

Each one is a way real files arrive wrong: a spreadsheet program's re-save, a
row cut short, a stray byte from another encoding, a formula never calculated,
a workbook whose declared size or compression lies.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell

from tests.conftest import ONTARIO_SIF, need

PERCENT_TEXT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
G3_READ = "Percentage of Grade 3 Students Achieving the Provincial Standard in Reading"


def ontario(name: str) -> Path:
    """One of Ontario's published tables, or a skip (a failure under CAPACITY_TEST_STRICT=1) without them."""
    path = ONTARIO_SIF / name
    need(path.exists(), f"Ontario's tables are not in {ONTARIO_SIF}")
    return path


def ontario_rows(name: str, limit: int | None = None) -> list[list[Any]]:
    """The header and rows of a published xlsx table as openpyxl reads them (values as stored)."""
    workbook = openpyxl.load_workbook(ontario(name), read_only=True)
    rows = [
        list(row)
        for row in workbook.active.iter_rows(
            max_row=None if limit is None else limit + 1, values_only=True
        )
    ]
    workbook.close()
    return rows


def resaved(rows: list[list[Any]], path: Path, *, title: str = "SIF_1819_EQAO1819_EN") -> Path:
    """Write rows as a spreadsheet program re-saves them: "73%" becomes the number 0.73 formatted as 0%."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for number, values in enumerate(rows):
        out = []
        for value in values:
            match = PERCENT_TEXT.match(value) if number and isinstance(value, str) else None
            if match:
                cell = WriteOnlyCell(sheet, value=float(match.group(1)) / 100)
                cell.number_format = "0%"
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)
    workbook.save(path)
    return path


def csv_lines(name: str) -> list[bytes]:
    """The lines of the published CSV table (2021-22, Windows-1252), with their line ends."""
    return ontario(name).read_bytes().splitlines(keepends=True)


def with_dimension(path: Path, ref: str) -> Path:
    """The same workbook with its sheet's <dimension ref> replaced by `ref` (as a broken writer leaves it)."""
    out = path.with_name(f"dimension-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data, count = re.subn(
                    rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), data
                )
                if not count:
                    data = data.replace(
                        b"<sheetData", f'<dimension ref="{ref}"/><sheetData'.encode(), 1
                    )
            target.writestr(info, data)
    return out


def with_padding(path: Path, megabytes: int) -> Path:
    """The same workbook with its sheet padded by whitespace that inflates `megabytes` MB from a few KB."""
    out = path.with_name(f"padded-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<sheetData", b" " * (megabytes << 20) + b"<sheetData", 1)
            target.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return out
