"""Every download comes as CSV and XLSX from one writer (capacity/reports/tables.py).

The workbooks are read back with openpyxl: a formula planted in text stays text,
figures are numbers, and a figure the disclosure gate hides is in neither format.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from capacity.evidence.models import ResultImport
from capacity.imports.report import ImportReport
from capacity.planning.exports import CSV_COLUMNS
from capacity.reports.tables import table_bytes, table_xlsx
from tests.planning.test_disclosure import cells, leaks, planted  # noqa: F401 (a fixture)
from tests.reports.test_csv import LINK, planted_plan  # noqa: F401 (a fixture)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_rows(content: bytes) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [[cell.value for cell in row] for row in book.active.iter_rows()]


def sheet_cells(content: bytes) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for row in book.active.iter_rows() for cell in row]


def test_it_writes_a_formula_in_text_as_text_with_the_quote_prefix() -> None:
    content = table_xlsx(["name", "note"], [[LINK, "@SUM(A1:A9)"], ["+1+1", "-5%"]])
    cells = {cell.value: cell for cell in sheet_cells(content)}
    for text in (LINK, "@SUM(A1:A9)", "+1+1", "-5%"):
        assert cells[text].data_type == "s", text  # kept as typed: text, never a formula
        assert cells[text].quotePrefix, text
    assert not cells["name"].quotePrefix


def test_it_writes_plain_numbers_as_numbers_and_codes_as_text() -> None:
    content = table_xlsx(
        ["a", "b", "c", "d"], [["-3.5", "40", "012345", 7], ["1e3", "", None, 2.5]]
    )
    assert sheet_rows(content)[1:] == [[-3.5, 40, "012345", 7], ["1e3", None, None, 2.5]]


def test_it_replaces_characters_a_workbook_cannot_hold() -> None:
    content = table_xlsx(["reason"], [["bad\x00byte\x1bhere"]])
    assert sheet_rows(content)[1] == ["bad\ufffdbyte\ufffdhere"]


def test_it_keeps_the_header_in_view_and_bold() -> None:
    book = openpyxl.load_workbook(io.BytesIO(table_xlsx(["a"], [[1]], title="Plans")))
    assert book.active.title == "Plans"
    assert book.active.freeze_panes == "A2"
    assert book.active["A1"].font.b


def test_the_two_formats_hold_the_same_cells() -> None:
    header, rows = ["name", "value"], [[LINK, "-3.5"], ["Aspen", "60"]]
    from_csv = list(csv.reader(io.StringIO(table_bytes("csv", header, rows).decode())))
    from_xlsx = sheet_rows(table_bytes("xlsx", header, rows))
    assert from_csv[1] == ["'" + LINK, "-3.5"] and from_xlsx[1] == [LINK, -3.5]
    with pytest.raises(ValueError, match="unknown table format"):
        table_bytes("ods", header, rows)


@pytest.mark.usefixtures("planted_plan")
def test_the_plans_download_comes_as_xlsx_with_the_csv_rows(client, world) -> None:
    client.force_login(world.personas["ministry"])
    response = client.get("/plans/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="plans.xlsx"'
    rows = sheet_rows(response.content)
    as_csv = list(csv.reader(io.StringIO(client.get("/plans/export.csv").content.decode())))
    assert rows[0] == list(CSV_COLUMNS) == as_csv[0]
    assert len(rows) == len(as_csv) == 3  # one row per target
    goal = CSV_COLUMNS.index("goal")
    assert {row[goal] for row in rows[1:]} == {LINK}  # the text as typed, stored as text
    assert {row[CSV_COLUMNS.index("baseline_value")] for row in rows[1:]} == {40}


def test_an_unknown_download_format_is_not_found(client, world) -> None:
    client.force_login(world.personas["ministry"])
    assert client.get("/plans/export.ods").status_code == 404


@pytest.mark.usefixtures("planted")
def test_a_hidden_figure_is_in_neither_download(client, world) -> None:
    client.force_login(world.personas["ministry"])
    as_csv = client.get("/plans/export.csv").content.decode()
    as_xlsx = client.get("/plans/export.xlsx").content
    sheet = " ".join(str(value) for row in sheet_rows(as_xlsx) for value in row)
    assert "ell" in sheet  # the planted targets are there
    assert leaks(cells(as_csv)) == [] and leaks(sheet) == []


def test_an_uploads_problems_come_as_xlsx_as_the_file_had_them(
    client, world, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    bad = (
        "school_number,school_year,assessment,group,participating,pct_at_standard,status\n"
        "=HYPERLINK(1),2018-19,G3-READ,all,40,=1+1,@nr\n"
    )
    client.force_login(world.personas["ministry"])
    client.post("/evidence/imports/", {"file": SimpleUploadedFile("results.csv", bad.encode())})
    job = ResultImport.objects.get()
    # A column name and a reason taken from a file, stored as the import stores them.
    report = ImportReport(kind="results", source="results.csv")
    report.problem(1, LINK, "@unknown column")
    job.problems_csv += report.problems_csv().split("\r\n", 1)[1]
    job.save()
    response = client.get(f"/evidence/imports/{job.pk}/problems.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    cells = sheet_cells(response.content)
    assert [c.value for c in cells[:3]] == ["row", "column", "reason"]
    from_file = [c for c in cells if c.value in (LINK, "@unknown column")]
    assert len(from_file) == 2, "the planted values come back as the file had them"
    assert all(c.data_type == "s" and c.quotePrefix for c in from_file)
    as_csv = client.get(f"/evidence/imports/{job.pk}/problems.csv").content.decode()
    assert len(list(csv.reader(io.StringIO(as_csv)))) == len(sheet_rows(response.content))
    assert client.get(f"/evidence/imports/{job.pk}/problems.ods").status_code == 404
