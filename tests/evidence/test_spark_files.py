"""`--engine spark` reads Parquet and CSV itself (capacity/evidence/spark_files.py): the same answers as DuckDB.

Every case here reads the same file on both engines and compares what comes out:
the problems (row, column, reason) of a bad file, the checked rows of a good one,
and the schools `capacity identify` names, on a generated file and on Ontario's
published tables. Spark runs in local mode in this process, once for the module.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from capacity.cli import app
from capacity.evidence.analytics import engines
from capacity.evidence.readers import ResultsReader, parse_source
from capacity.imports import ImportReport
from tests.evidence.test_readers import LONG_HEADER, found, row, write_csv

pytestmark = [pytest.mark.spark, pytest.mark.slow]

runner = CliRunner()


def read_on(con: Any, *sources: Any) -> tuple[list[tuple[Any, ...]], list[dict[str, Any]]]:
    """(problems, checked rows in row order) of `sources` read on `con`."""
    report = ImportReport(kind="results", source="test")
    reader = ResultsReader([parse_source(str(source)) for source in sources], report, engine=con)
    reader.check()
    reader.tidy()
    rows = reader.engine_table().to_pyarrow().to_pylist() if not report.problems else []
    rows.sort(key=lambda item: tuple(str(value) for value in item.values()))
    return found(report), rows


@pytest.fixture(scope="module")
def both(spark_con: Any) -> tuple[Any, Any]:
    return engines.connect("duckdb"), spark_con


def same_on_both(both: tuple[Any, Any], *sources: Any) -> tuple[list[tuple[Any, ...]], list[Any]]:
    duck = read_on(both[0], *sources)
    spark = read_on(both[1], *sources)
    assert spark == duck
    return duck


def bad_cells(path: Path) -> Path:
    return write_csv(
        path,
        [
            row(pct_at_standard="sixty"),
            row(assessment="G3-WRITE", pct_at_standard="100.5"),
            row(assessment="G3-MATH", pct_at_standard="70", status="nr"),
            row(assessment="G6-READ", pct_at_standard="", status=""),
            row(assessment="G6-WRITE", pct_at_standard="", status="hidden"),
            row(assessment="G6-MATH", school_year="2018-20"),
            row(assessment="G3 reading"),
            row(school_number="12345A"),
            row(assessment="G6-MATH", participating="4.5"),
            row(assessment="G6-MATH", group="esl", board_number="28010"),
            row(assessment="G6-MATH", group="girls", pct_at_standard="-1"),
            row(assessment="G6-MATH", group="boys", pct_at_standard=" 69 %"),
        ],
    )


@pytest.mark.parametrize("form", ["csv", "parquet"])
def test_bad_cells_give_the_same_rows_and_reasons(
    both: tuple[Any, Any], tmp_path: Path, form: str
) -> None:
    path = bad_cells(tmp_path / "results.csv")
    if form == "parquet":
        import pyarrow.csv as pacsv

        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(LONG_HEADER, pa.string())
            ),
        )
        path = tmp_path / "results.parquet"
        pq.write_table(table, path, row_group_size=3)
    problems, _rows = same_on_both(both, path)
    assert [problem[0] for problem in problems] == list(range(2, 13))


def test_blank_and_malformed_lines_keep_every_row_number_right(
    both: tuple[Any, Any], tmp_path: Path
) -> None:
    lines = [
        ",".join(LONG_HEADER),
        ",".join(row()),  # 2
        "",  # 3: blank, skipped
        ",".join(row(assessment="G3-MATH")) + ",extra",  # 4: one value too many
        ",".join(row(assessment="G6-MATH", pct_at_standard="x")),  # 5
        ",,,,,,,,,,,,,",  # 6: blank cells, skipped
        ",".join(row(assessment="G6-READ", pct_at_standard="y")),  # 7
        ",".join(row(assessment="G6-WRITE")[:5]),  # 8: too few
        '700001,2018-19,G6-WRITE,"a ""quoted"" group",41,69,,"Aspen, the school",B66001,,,,,',  # 9
    ]
    path = tmp_path / "results.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    problems, _rows = same_on_both(both, path)
    assert problems == [
        (4, "", "This row has 15 values but the header has 14 columns."),
        (5, "pct_at_standard", "“x” is not a number. Give a percentage like 69 or 69.5."),
        (7, "pct_at_standard", "“y” is not a number. Give a percentage like 69 or 69.5."),
        (8, "", "This row has 5 values but the header has 14 columns."),
    ]


def test_many_blocks_number_rows_as_one_file(both: tuple[Any, Any], tmp_path: Path) -> None:
    """A file Spark splits into several blocks: rows keep their numbers across the blocks."""
    rows = [
        row(school_number=f"{700000 + number}", assessment=code)
        for number in range(1, 2001)
        for code in ("G3-READ", "G3-MATH", "G6-READ")
    ]
    rows[4321] = row(school_number="7000x1")
    rows[5998] = row(pct_at_standard="lots")
    path = write_csv(tmp_path / "big.csv", rows)
    spark = both[1]._session
    spark.conf.set("spark.sql.files.maxPartitionBytes", "64k")
    try:
        problems, _rows = same_on_both(both, path)
    finally:
        spark.conf.set("spark.sql.files.maxPartitionBytes", "128m")
    assert [problem[0] for problem in problems] == [4323, 6000]


def test_repeats_across_files_and_part_directories(both: tuple[Any, Any], tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", [row(), row(assessment="G3-MATH")])
    again = write_csv(tmp_path / "c.csv", [row(assessment="G6-READ"), row(assessment="G3-MATH")])
    problems, _rows = same_on_both(both, first, again)
    assert problems[-1][0] == 3
    # A directory of part files, as Spark writes them: numbered as one file, parts in name order.
    parts = tmp_path / "parts.parquet"
    parts.mkdir()
    table = pa.table({name: [row()[i], row()[i]] for i, name in enumerate(LONG_HEADER)})
    good = pa.table(
        {
            name: [row(assessment="G3-MATH")[i], row(assessment="G6-MATH")[i]]
            for i, name in enumerate(LONG_HEADER)
        }
    )
    pq.write_table(good, parts / "part-0000.parquet")
    pq.write_table(table, parts / "part-0001.parquet")
    problems, _rows = read_on(both[1], parts)
    assert [(problem[0], problem[1]) for problem in problems] == [(5, "school_number")]
    assert "already on row 4" in problems[0][2]


def test_a_missing_file_and_a_binary_named_csv(both: tuple[Any, Any], tmp_path: Path) -> None:
    same_on_both(both, tmp_path / "missing.csv")
    same_on_both(both, tmp_path / "missing.parquet")
    utf16 = tmp_path / "results.csv"
    utf16.write_bytes(",".join(LONG_HEADER).encode("utf-16"))
    problems, _rows = same_on_both(both, utf16)
    assert "UTF-16" in problems[0][2]


def test_a_csv_not_in_utf8_is_refused_on_spark_with_its_row(
    both: tuple[Any, Any], tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "results.csv",
        [row(), row(assessment="G3-MATH", school_name="École Saint-Jean")],
        encoding="cp1252",
    )
    problems, _rows = read_on(both[1], path)
    assert problems == [
        (
            None,
            "",
            "The file is not UTF-8 (row 3 is the first that is not). Spark reads UTF-8 only: save the "
            "file as UTF-8, or read it with --engine duckdb, which also reads Windows-1252.",
        )
    ]
    problems, rows = read_on(both[0], path)  # DuckDB reads it
    assert problems == [] and len(rows) == 2


def test_addresses_go_to_spark_only(both: tuple[Any, Any], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "results.csv", [row(), row(assessment="G3-MATH")])
    problems, rows = read_on(both[1], f"file://{path}")
    assert problems == [] and len(rows) == 2
    year, location = parse_source(f"2018-19=file://{path}")
    assert (year, location) == ("2018-19", f"file://{path}")
    problems, _rows = read_on(both[0], f"file://{path}")
    assert problems == [
        (
            None,
            "",
            "Only Spark reads files at addresses like hdfs:// or s3a://: add --engine spark.",
        )
    ]


# --- identify: the same schools on both engines --------------------------------------------------


def generated(path: Path, schools: int = 3000) -> Path:
    """A long-format file of `schools` schools x 2 years x the six assessments, some statuses."""
    rng = random.Random(14)
    columns: dict[str, list[Any]] = {name: [] for name in LONG_HEADER}
    for number in range(schools):
        board = f"B{66000 + number % 40:05d}"
        for year in ("2017-18", "2018-19"):
            for code in ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH"):
                status = rng.choice(["", "", "", "", "", "", "", "nr", "sp"])
                values = row(
                    school_number=f"{100000 + number}",
                    school_year=year,
                    assessment=code,
                    participating=str(rng.randint(5, 120)),
                    pct_at_standard="" if status else str(round(rng.uniform(20, 95), 1)),
                    status=status,
                    school_name=f"School {number}",
                    board_number=board,
                    board_name=f"Board {board}",
                )
                for name, value in zip(LONG_HEADER, values, strict=True):
                    columns[name].append(value)
    table = pa.table(columns)
    if path.suffix == ".parquet":
        pq.write_table(table, path, row_group_size=5000)
    else:
        import pyarrow.csv as pacsv

        pacsv.write_csv(table, path)
    return path


def identified(*arguments: str) -> Any:
    result = runner.invoke(app, ["identify", *arguments, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_identify_on_spark_equals_duckdb_on_a_generated_file(
    both: tuple[Any, Any], tmp_path: Path, suffix: str
) -> None:
    path = generated(tmp_path / f"results{suffix}")
    duck = identified("--results", str(path))
    spark = identified("--results", str(path), "--engine", "spark")
    assert spark == duck
    assert duck["identified"]


def test_identify_on_spark_equals_duckdb_on_ontarios_tables(
    both: tuple[Any, Any], tmp_path: Path
) -> None:
    from tests.evidence.ontario_tables import canonical

    path = tmp_path / "ontario.parquet"
    pq.write_table(canonical(), path)
    duck = identified("--results", str(path), "--year", "2018-19")
    spark = identified("--results", str(path), "--year", "2018-19", "--engine", "spark")
    assert spark == duck
    assert len(duck["identified"]) > 10
