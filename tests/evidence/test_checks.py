"""The long format checked in the engine (capacity/evidence/checks.py): the paths test_readers.py does not reach.

test_readers.py holds the rules (every bad cell, repeats, row numbers); these
tests reach the engine's own choices: a column whose many distinct cells need
tidying (mapped by a join, not a CASE), typed Parquet columns with NaN and
figures out of range, results given twice found by their hashes, the configured
school-number scheme, and the rule running on the checked rows in DuckDB.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from capacity.evidence import checks
from capacity.evidence.analytics import engines
from capacity.evidence.readers import ResultsReader
from capacity.imports import ImportReport
from tests.evidence.test_readers import write_csv


def _reader(*paths: Path) -> tuple[ResultsReader, ImportReport]:
    report = ImportReport(kind="results", source="test")
    return ResultsReader([(None, path) for path in paths], report), report


def _row(number: str, assessment: str = "g3-read", pct: str = "60", **extra: str) -> list[str]:
    values = {
        "school_number": number,
        "school_year": "2018-19",
        "assessment": assessment,
        "group": "all",
        "participating": "20",
        "pct_at_standard": pct,
        "status": "",
        "school_name": f"School {number}",
        "board_number": "B66001",
        "board_name": "Alpha",
        "pct_level_1": "",
        "pct_level_2": "",
        "pct_level_3": "",
        "pct_level_4": "",
    }
    values.update(extra)
    return list(values.values())


def test_many_cells_needing_tidying_are_mapped_by_a_join(tmp_path: Path) -> None:
    # More distinct school numbers than a CASE takes, each missing its leading zero.
    count = checks.CASE_LIMIT * 3
    rows = [_row(f"{10000 + i}") for i in range(count)]
    reader, report = _reader(write_csv(tmp_path / "results.csv", rows))

    table = reader.table()

    assert report.problems == []
    numbers = table.column("school_number").to_pylist()
    assert numbers == [f"0{10000 + i}" for i in range(count)]
    assert set(table.column("assessment").to_pylist()) == {"G3-READ"}


def test_typed_parquet_with_nan_and_figures_out_of_range(tmp_path: Path) -> None:
    path = tmp_path / "results.parquet"
    pq.write_table(
        pa.table(
            {
                "school_number": ["019186", "019187", "019188", "019189"],
                "school_year": ["2018-19"] * 4,
                "assessment": ["G3-READ"] * 4,
                "pct_at_standard": pa.array([55.0, float("nan"), 101.5, 70.0]),
                "status": ["", "nr", "", ""],
                "participating": pa.array([30, 12, 40, 2.5], pa.float64()),
            }
        ),
        path,
    )
    reader, report = _reader(path)

    reader.table()

    found = [(p.row, p.column, p.reason) for p in report.problems]
    # NaN with a status is a result without a number; 101.5 and 2.5 students are refused, by row.
    assert [(row, column) for row, column, _reason in found] == [
        (4, "pct_at_standard"),
        (5, "participating"),
    ]
    assert "101.5 is not a percentage" in found[0][2]
    assert "2.5 is not a whole number" in found[1][2]


def test_a_result_given_twice_is_found_and_a_different_one_is_not(tmp_path: Path) -> None:
    rows = [_row(f"{100000 + i}", "G3-READ") for i in range(500)]
    rows += [_row("100007", "G3-READ", pct="61")]  # row 502 repeats row 9
    reader, report = _reader(write_csv(tmp_path / "results.csv", rows))

    reader.check()

    assert [(p.row, p.column) for p in report.problems] == [(502, "school_number")]
    assert "already on row 9" in report.problems[0].reason


def test_repeats_across_engines_agree_on_the_same_tables() -> None:
    con = engines.connect("duckdb")
    first = con.create_table(
        "first",
        pa.table(
            {
                "row": [2, 3, 4],
                "school_number": ["1", "2", "1"],
                "school_year": ["2018-19"] * 3,
                "assessment": ["A", "A", "A"],
                "group": ["all"] * 3,
            }
        ),
        temp=True,
    )
    second = con.create_table(
        "second",
        pa.table(
            {
                "row": [2],
                "school_number": ["2"],
                "school_year": ["2018-19"],
                "assessment": ["A"],
                "group": ["all"],
            }
        ),
        temp=True,
    )

    found = checks.repeats([first, second])

    assert found == [
        (("1", "2018-19", "A", "all"), 0, 4, 0, 2),
        (("2", "2018-19", "A", "all"), 1, 2, 0, 3),
    ]


def _keyed(con, name: str, rows: list[tuple[str, str, str, str]]):  # type: ignore[no-untyped-def]
    numbers, years, assessments, groups = (list(column) for column in zip(*rows, strict=True))
    return con.create_table(
        name,
        pa.table(
            {
                "row": list(range(2, len(rows) + 2)),
                "school_number": numbers,
                "school_year": years,
                "assessment": assessments,
                "group": groups,
            }
        ),
        temp=True,
    )


def _cells(rows: list[tuple[str, str, str, str]]) -> checks.KeyCells:
    return checks.KeyCells(
        years=frozenset(r[1] for r in rows),
        assessments=frozenset(r[2] for r in rows),
        groups=frozenset(r[3] for r in rows),
        schools=len({r[0] for r in rows}),
    )


@pytest.mark.parametrize("word_bits", [checks.WORD_BITS, 0])
def test_one_grouping_proves_no_key_repeats_and_leaves_a_repeat_to_the_sort(
    word_bits: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each school's kinds of result as one integer's bits (up to 64 kinds) or as a string of
    bits (more): the same answers."""
    monkeypatch.setattr(checks, "WORD_BITS", word_bits)
    con = engines.connect("duckdb")
    rows = [
        (number, year, assessment, group)
        for number in ("1", "2", "3")
        for year in ("2017-18", "2018-19")
        for assessment in ("G3-READ", "G6-MATH")
        for group in ("all", "girls")
    ]
    clean = _keyed(con, "clean", rows)
    # The same results again, in a second file: every key now comes twice.
    again = _keyed(con, "again", rows[:1])

    assert checks._none_repeated(clean.select(*checks.KEY), [_cells(rows)])
    union = clean.select(*checks.KEY).union(again.select(*checks.KEY), distinct=False)
    assert not checks._none_repeated(union, [_cells(rows), _cells(rows[:1])])
    # A key the cells did not number cannot be proved unique: the sort decides.
    assert not checks._none_repeated(clean.select(*checks.KEY), [_cells(rows[:4])])
    # Found through the grouping or the sort, the answer is the same.
    assert checks.repeats([clean, again], [_cells(rows), _cells(rows[:1])]) == [
        (rows[0], 1, 2, 0, 2)
    ]
    assert checks.repeats([clean], [_cells(rows)]) == []


@pytest.fixture
def national(settings):  # type: ignore[no-untyped-def]
    settings.CAPACITY_SCHOOL_NUMBER_PATTERN = r"\d{12}"
    settings.CAPACITY_SCHOOL_NUMBER_PAD = 0
    settings.CAPACITY_SCHOOL_NUMBER_EXAMPLE = "123456789012"


def test_a_national_scheme_reads_twelve_digit_identifiers(national: None, tmp_path: Path) -> None:
    rows = [_row("123456789012"), _row("123456789013"), _row("19186")]
    reader, report = _reader(write_csv(tmp_path / "results.csv", rows))

    reader.table()

    assert [(p.row, p.column) for p in report.problems] == [(4, "school_number")]
    assert "123456789012" in report.problems[0].reason


def test_the_rule_runs_on_the_checked_rows_in_the_engine(tmp_path: Path) -> None:
    from capacity.evidence.analytics.identification import identify
    from capacity.evidence.analytics.policy import load_policy

    rows = []
    for year in ("2016-17", "2017-18", "2018-19"):
        for assessment in ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH"):
            rows.append(_row("019186", assessment, pct="40", school_year=year))
            rows.append(_row("019187", assessment, pct="80", school_year=year))
    reader, report = _reader(write_csv(tmp_path / "results.csv", rows))
    reader.check()
    assert report.problems == []

    found = identify(reader.engine_table(), load_policy("ofip-2016"), "2018-19")

    assert [s.school_number for s in found.identified] == ["019186"]
    assert reader.engine.name == "duckdb"


def _calls(monkeypatch: pytest.MonkeyPatch, name: str) -> list[bool]:
    """A list that gets True each time `checks.<name>` is called (it still runs)."""
    calls: list[bool] = []
    original = getattr(checks, name)

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(True)
        return original(*args, **kwargs)

    monkeypatch.setattr(checks, name, recording)
    return calls


def _typed_file(path: Path, assessment_cell: str) -> Path:
    """A typed national-style file with three faults across a row (a status beside a percentage,
    a percentage over 100, 2.5 students); `assessment_cell` is the last row's assessment as written."""
    pq.write_table(
        pa.table(
            {
                "school_number": ["019186", "019187", "019188", "019189", "019190"],
                "school_year": ["2018-19"] * 5,
                "assessment": ["G3-READ"] * 4 + [assessment_cell],
                "group": ["all"] * 5,
                "pct_at_standard": pa.array([55.0, 40.0, 101.5, 70.0, 65.0]),
                "status": ["", "nr", "", "", ""],
                "participating": pa.array([30, 12, 40, 2.5, 25], pa.float64()),
            }
        ),
        path,
    )
    return path


def test_a_tidy_file_is_checked_in_one_pass_with_the_same_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cells already tidy: the checks across a row run on the columns as read, and no tidied
    table is built. One untidy cell (a lower-case assessment) builds the tidied table; both
    give the same problems and the same rows."""
    tidied = _calls(monkeypatch, "_tidied")
    answers = []
    for name, cell in (("tidy", "G3-READ"), ("untidy", "g3-read ")):
        reader, report = _reader(_typed_file(tmp_path / f"{name}.parquet", cell))
        table = reader.table()
        answers.append(
            (
                [(p.row, p.column, p.reason) for p in report.problems],
                table.select(["school_number", "assessment", "pct_at_standard"]).to_pylist(),
            )
        )
        assert tidied == ([] if name == "tidy" else [True])
    (tidy_problems, tidy_rows), (untidy_problems, untidy_rows) = answers
    assert [(row, column) for row, column, _ in tidy_problems] == [
        (3, "status"),
        (4, "pct_at_standard"),
        (5, "participating"),
    ]
    assert tidy_problems == untidy_problems
    assert tidy_rows == untidy_rows
    assert [row["school_number"] for row in tidy_rows] == ["019186", "019190"]


def _clean_typed(path: Path, **change: object) -> Path:
    """A typed file with nothing wrong; `change` sets one cell of the third row (column=value)."""
    columns: dict[str, list[object]] = {
        "school_number": ["019186", "019187", "019188", "019189"],
        "school_year": ["2018-19"] * 4,
        "assessment": ["G3-READ"] * 4,
        "group": ["all"] * 4,
        "pct_at_standard": [55.0, None, 70.0, 65.0],
        "status": ["", "nr", "", ""],
        "participating": [30, 12, 40, 25],
    }
    for name, value in change.items():
        columns[name][2] = value
    pq.write_table(
        pa.table(
            {
                **columns,
                "pct_at_standard": pa.array(columns["pct_at_standard"], pa.float64()),
                "participating": pa.array(columns["participating"], pa.int64()),
            }
        ),
        path,
    )
    return path


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({}, None, None),
        ({"pct_at_standard": 100.5}, "pct_at_standard", "100.5 is not a percentage"),
        ({"pct_at_standard": float("nan")}, "pct_at_standard", "Give the percentage"),
        ({"status": "nr"}, "status", "not both"),
        ({"participating": -3}, "participating", "not a whole number"),
    ],
)
def test_least_and_greatest_values_prove_a_clean_file_and_a_fault_is_still_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change, column, words
) -> None:  # type: ignore[no-untyped-def]
    """A clean file is settled by one pass of least and greatest values and one paired count
    (`checks._proof`): no check is counted row by row. One fault anywhere breaks the proof,
    and every check is counted and worded on its row as before."""
    counted = _calls(monkeypatch, "_counts")
    reader, report = _reader(_clean_typed(tmp_path / "results.parquet", **change))

    table = reader.table()

    found = [(p.row, p.column, p.reason) for p in report.problems]
    if column is None:
        assert found == [] and counted == []
        assert table.num_rows == 4
    else:
        assert counted == [True]
        assert [(row, name) for row, name, _ in found] == [(4, column)], found
        assert words in found[0][2], found
