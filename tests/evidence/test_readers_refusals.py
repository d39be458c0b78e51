"""Results files that used to be stored wrong, or crash, are read right or refused with a normal problem.

Each file is built from Ontario's published tables in tmp_path.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from capacity.audit.models import Action, AuditEntry
from capacity.cli import app
from tests.evidence.test_readers import LONG_HEADER, found, read, row, write_csv
from tests.imports.variants import G3_READ, csv_lines, ontario, ontario_rows, resaved

runner = CliRunner()
TABLE_2018 = "sif_data_table_2018_2019_en.xlsx"
G3_WRITE = "Percentage of Grade 3 Students Achieving the Provincial Standard in Writing"


def test_a_resaved_table_gives_the_published_percentages(tmp_path: Path) -> None:
    path = resaved(ontario_rows(TABLE_2018, limit=200), tmp_path / TABLE_2018)
    resaved_table, report = read(path)
    assert report.problems == []
    published = {
        (r["school_number"], r["assessment"], r["group"]): r["pct_at_standard"]
        for r in read(ontario(TABLE_2018))[0].to_pylist()
    }
    rows = resaved_table.to_pylist()
    assert len(rows) > 500 and any(r["pct_at_standard"] for r in rows)
    # Read by its value alone, "73%" re-saved as 0.73 (format 0%) was stored as 0.73%.
    assert all(
        r["pct_at_standard"] == published[(r["school_number"], r["assessment"], r["group"])]
        for r in rows
    )


@pytest.mark.slow
def test_identification_on_a_resaved_2018_19_table_names_the_same_68_schools(
    tmp_path: Path,
) -> None:
    path = resaved(ontario_rows(TABLE_2018), tmp_path / TABLE_2018)
    older = f"2017-18={ontario('sif_data_table_2017_2018_en.xlsx')}"

    def identified(table: Path) -> set[str]:
        result = runner.invoke(
            app,
            ["identify", "--format", "json", "--results", older, "--results", f"2018-19={table}"],
        )
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        return {school["school_number"] for school in data["identified"]}

    schools = identified(path)
    assert len(schools) == 68  # 145 when the re-saved percentages were read as fractions
    assert schools == identified(ontario(TABLE_2018))


def test_a_table_missing_a_grade_3_column_is_refused(tmp_path: Path) -> None:
    lines = csv_lines("sif_data_table_2021_2022_en.csv")[:50]
    header = lines[0].decode("cp1252").rstrip("\r\n").split(",")
    drop = header.index(G3_WRITE)
    path = tmp_path / "sif_data_table_2021_2022_en.csv"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for record in csv.reader(io.StringIO(b"".join(lines).decode("cp1252"))):
        writer.writerow(record[:drop] + record[drop + 1 :])
    path.write_bytes(out.getvalue().encode("cp1252"))

    table, report = read(path)

    # Before, the rest was imported and G3-WRITE silently dropped out of identification.
    assert table.num_rows == 0
    assert [(p.row, p.column) for p in report.problems] == [(1, G3_WRITE)]
    assert "G3-WRITE" in report.problems[0].reason


def test_a_parquet_column_of_lists_is_refused_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "results.parquet"
    pq.write_table(
        pa.table(
            {
                "school_number": ["019186", "902344"],
                "school_year": ["2018-19", "2018-19"],
                "assessment": ["G3-READ", "G3-READ"],
                "pct_at_standard": pa.array([[69.0], [50.0]], pa.list_(pa.float64())),
            }
        ),
        path,
    )

    table, report = read(path)

    assert table.num_rows == 0
    assert found(report) == [
        (
            1,
            "pct_at_standard",
            "This column holds values of the type list<element: double>; "
            "each cell must be one number or one piece of text. Save the "
            "column as numbers or text.",
        )
    ]


def test_a_header_only_file_is_refused_like_every_other_import(tmp_path: Path) -> None:
    long = write_csv(tmp_path / "results.csv", [])
    school_table = tmp_path / "sif_data_table_2021_2022_en.csv"
    school_table.write_bytes(csv_lines("sif_data_table_2021_2022_en.csv")[0])
    for path in (long, school_table):
        table, report = read(path)
        assert table.num_rows == 0
        assert found(report) == [(None, "", "The file has a header but no rows of results.")]


def test_a_utf8_results_file_with_a_stray_byte_is_refused(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "results.csv", [row(school_name="École Sainte-Anne"), row(assessment="G3-WRITE")]
    )
    lines = path.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(
        b"Aspen", b"\xc9cole", 1
    )  # one line pasted from a Windows-1252 file
    path.write_bytes(b"".join(lines))
    table, report = read(path)
    assert table.num_rows == 0
    assert len(report.problems) == 1 and "except on row 3," in report.problems[0].reason


def test_a_semicolon_results_file_names_the_cause(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    path.write_text(";".join(LONG_HEADER) + "\n" + ";".join(row()) + "\n", encoding="utf-8")
    _table, report = read(path)
    assert len(report.problems) == 1 and "separated by semicolons" in report.problems[0].reason


def test_importing_a_workbook_claiming_xfd1048576_exits_1_instead_of_aborting(
    db, tmp_path: Path
) -> None:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = ontario_rows(TABLE_2018, limit=0)[0][0]
    workbook.save(tmp_path / "one.xlsx")
    path = tmp_path / "results.xlsx"
    with zipfile.ZipFile(tmp_path / "one.xlsx") as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename).replace(
                b'<dimension ref="A1:A1" />', b'<dimension ref="A1:XFD1048576"/>'
            )
            target.writestr(info, data)

    problems = tmp_path / "problems.csv"
    result = runner.invoke(
        app, ["import", "results", f"2018-19={path}", "--problems", str(problems)]
    )

    assert result.exit_code == 1
    assert "CAPACITY_IMPORT_MAX_CELLS" in problems.read_text(encoding="utf-8")
    assert AuditEntry.objects.filter(action=Action.IMPORT_REJECTED).count() == 1


def test_a_workbook_cell_with_an_error_is_a_problem_with_row_and_column(tmp_path: Path) -> None:
    rows = ontario_rows(TABLE_2018, limit=10)
    rows[3][rows[0].index(G3_READ)] = "#N/A"
    path = resaved(rows, tmp_path / TABLE_2018)
    _table, report = read(path)
    assert [(p.row, p.column) for p in report.problems] == [(4, G3_READ)]
    assert "#N/A" in report.problems[0].reason
