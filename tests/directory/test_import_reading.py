"""Every directory importer reads its file through the import toolkit, so nothing is stored wrong.

Rows cut short, files mixing encodings and workbooks with error cells are
refused with row and column, the rejection audited, and nothing written. The
school tables are built from Ontario's published ones.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from capacity.audit.models import Action, AuditEntry
from capacity.cli import app
from capacity.directory.importers import import_oneroster, import_orgs, import_sif
from capacity.directory.models import Board, School, SchoolContext, User
from tests.imports.variants import csv_lines, ontario_rows, resaved

DATA = Path(__file__).resolve().parent.parent / "data"
runner = CliRunner()


def cut_short(path: Path, line: int) -> None:
    """Drop the last value of one line (counted from 1, the header)."""
    lines = path.read_bytes().splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].rstrip(b"\r\n").rsplit(b",", 1)[0] + b"\n"
    path.write_bytes(b"".join(lines))


def test_it_refuses_a_school_table_with_a_row_cut_short(db, tmp_path: Path) -> None:
    path = tmp_path / "sif_data_table_2021_2022_en.csv"
    path.write_bytes(b"".join(csv_lines("sif_data_table_2021_2022_en.csv")[:40]))
    cut_short(path, 7)

    report = import_sif(path)

    # Before, the row's missing last columns were stored as "not available".
    assert not report.applied
    assert [(p.row, p.column) for p in report.problems] == [(7, "")]
    assert "values but the header has" in report.problems[0].reason
    assert not School.objects.exists() and not SchoolContext.objects.exists()
    assert AuditEntry.objects.filter(action=Action.IMPORT_REJECTED).count() == 1


def test_the_import_command_exits_1_listing_the_row(db, tmp_path: Path) -> None:
    path = tmp_path / "sif_data_table_2021_2022_en.csv"
    path.write_bytes(b"".join(csv_lines("sif_data_table_2021_2022_en.csv")[:40]))
    cut_short(path, 12)
    problems = tmp_path / "problems.csv"
    result = runner.invoke(app, ["import", "schools", str(path), "--problems", str(problems)])
    assert result.exit_code == 1
    listed = problems.read_text(encoding="utf-8").splitlines()
    assert (
        len(listed) == 2
        and listed[1].startswith("12,,")
        and "values but the header has" in listed[1]
    )


def test_it_refuses_an_organisations_file_with_a_row_cut_short(db, tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    shutil.copy(DATA / "orgs" / "orgs.csv", path)
    cut_short(path, 3)

    report = import_orgs(path)

    assert not report.applied and (3, "") in [(p.row, p.column) for p in report.problems]
    assert not Board.objects.exists()


def test_it_refuses_a_oneroster_file_with_a_row_cut_short(db, tmp_path: Path) -> None:
    folder = tmp_path / "roster"
    shutil.copytree(DATA / "oneroster" / "v12", folder)
    cut_short(folder / "users.csv", 2)

    report = import_oneroster(folder)

    # Before, the values after the gap moved one column left (the org into pronouns, and so on).
    assert not report.applied
    assert [(p.row, p.column) for p in report.problems] == [(2, "users.csv")]
    assert not User.objects.exists()


def test_a_resaved_school_workbook_with_an_error_cell_is_refused_with_row_and_column(
    db, tmp_path: Path
) -> None:
    rows = ontario_rows("sif_data_table_2018_2019_en.xlsx", limit=30)
    rows[4][rows[0].index("Enrolment")] = "#DIV/0!"
    path = resaved(rows, tmp_path / "sif_data_table_2018_2019_en.xlsx")

    report = import_sif(path)

    assert not report.applied
    assert [(p.row, p.column) for p in report.problems] == [(5, "Enrolment")]
    assert not School.objects.exists()


def test_a_resaved_school_workbook_imports_as_published(db, tmp_path: Path) -> None:
    rows = ontario_rows("sif_data_table_2018_2019_en.xlsx", limit=30)
    path = resaved(rows, tmp_path / "sif_data_table_2018_2019_en.xlsx")

    report = import_sif(path)

    assert report.applied, report.problems
    assert SchoolContext.objects.filter(school_year="2018-19").count() == 30
