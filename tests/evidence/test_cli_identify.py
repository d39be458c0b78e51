"""`capacity identify`: on files alone (no database), on the database, and on Spark, the same schools.

The expected schools are recounted here by hand with plain pandas from the
published files, independently of the readers and the identification engine.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from capacity.cli import app
from tests.conftest import ONTARIO_SIF, need

REAL = ONTARIO_SIF
FILE_2017 = REAL / "sif_data_table_2017_2018_en.xlsx"
FILE_2018 = REAL / "sif_data_table_2018_2019_en.xlsx"
DATA = Path(__file__).resolve().parent.parent / "data" / "results"
FILES = ["--results", f"2017-18={FILE_2017}", "--results", f"2018-19={FILE_2018}"]

# The six OFIP assessments as Ontario's table heads them.
SIX = [
    f"Percentage of Grade {grade} Students Achieving the Provincial Standard in {subject}"
    for grade in (3, 6)
    for subject in ("Reading", "Writing", "Mathematics")
]

runner = CliRunner()


def below_on_four_of_six(path: Path) -> set[str]:
    """Schools with fewer than 50% at the standard on at least four of the six assessments, by hand."""
    frame = pd.read_excel(path, dtype=str, engine="calamine", keep_default_na=False)
    # "69%" and "69 %" are numbers; N/R, N/D, SP and NA are not, so they never count as below.
    numbers = frame[SIX].apply(
        lambda column: pd.to_numeric(
            column.str.replace("%", "", regex=False).str.strip(), errors="coerce"
        )
    )
    below = (numbers < 50).sum(axis=1)
    return set(frame.loc[below >= 4, "School Number"].str.strip().str.zfill(6))


@pytest.fixture(scope="module")
def expected() -> set[str]:
    need(
        FILE_2017.exists() and FILE_2018.exists(),
        f"the 2017-18 and 2018-19 tables are not in {REAL}",
    )
    # OFIP 2016: the rule met in each of two consecutive years.
    return below_on_four_of_six(FILE_2017) & below_on_four_of_six(FILE_2018)


def identified(output: str) -> tuple[dict[str, Any], set[str]]:
    data = json.loads(output)  # exactly one JSON object, or this fails
    assert isinstance(data, dict)
    return data, {school["school_number"] for school in data["identified"]}


# No django_db mark: pytest-django refuses any database query, so this proves files alone suffice.
def test_identify_on_the_real_files_as_json_matches_a_hand_count(expected: set[str]) -> None:
    result = runner.invoke(app, ["identify", *FILES, "--format", "json"])
    assert result.exit_code == 0, result.output
    data, schools = identified(result.stdout)
    assert data["policy"]["name"] == "ofip-2016"
    assert data["year"] == "2018-19" and data["window"] == ["2017-18", "2018-19"]
    assert schools == expected
    assert 50 <= len(expected) <= 90  # Ontario named 63 OFIP schools around 2016
    assert data["counts"]["identified"] == len(expected)
    # Every reason is a result below 50% in a year of the window, four or more per year.
    for school in data["identified"]:
        years = [reason["school_year"] for reason in school["reasons"]]
        assert all(reason["pct_at_standard"] < 50 for reason in school["reasons"])
        assert years.count("2017-18") >= 4 and years.count("2018-19") >= 4
    assert "Read the sheet SIF_1819_EQAO1819_EN" in result.stderr  # notes go to standard error


@pytest.mark.slow
def test_identify_defaults_to_the_latest_year_and_prints_csv_and_a_table(
    expected: set[str],
) -> None:
    result = runner.invoke(app, ["identify", *FILES, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "Identifying for 2018-19, the latest school year in the results." in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "school_number",
        "school_name",
        "board_number",
        "board_name",
        "status",
        "category",
        "reasons",
        "missing",
    ]
    assert {r["school_number"] for r in rows if r["status"] == "identified"} == expected
    kaufman = next(r for r in rows if r["school_number"] == "001058")
    assert kaufman["reasons"].startswith("2017-18 G3-READ 34%; 2017-18 G3-WRITE 27%")
    assert all(r["missing"] for r in rows if r["status"] == "insufficient_data")
    table = runner.invoke(app, ["identify", *FILES, "--year", "2018-19"])
    assert table.exit_code == 0, table.output
    assert "001058" in table.stdout and f"identified: {len(expected)}" in table.stdout


def test_identify_refuses_broken_files_and_unknown_policies(tmp_path: Path) -> None:
    broken = tmp_path / "results.csv"
    broken.write_text(
        "school_number,school_year,assessment,pct_at_standard\n700001,2018-19,G3-READ,150\n"
    )
    result = runner.invoke(app, ["identify", "--results", str(broken), "--format", "json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "150 is not a percentage between 0 and 100." in result.stderr
    unknown = runner.invoke(
        app, ["identify", "--results", str(DATA / "long.csv"), "--policy", "nope"]
    )
    assert unknown.exit_code == 2 and "No policy named 'nope'" in unknown.stderr


def test_identify_with_a_policy_file_on_the_long_format(tmp_path: Path) -> None:
    policy = tmp_path / "strict.toml"
    policy.write_text(
        'name = "one-year"\nversion = 3\ntitle = "Under 50% on 4 of 6, one year"\n'
        "[rule]\n"
        'assessments = ["G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH"]\n'
        "threshold = 50.0\nmin_assessments_below = 4\nyears = 1\n"
    )
    result = runner.invoke(
        app,
        [
            "identify",
            "--results",
            str(DATA / "long.csv"),
            "--policy",
            str(policy),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data, schools = identified(result.stdout)
    assert {k: v for k, v in data["policy"].items() if k != "options"} == {
        "name": "one-year",
        "version": 3,
        "title": "Under 50% on 4 of 6, one year",
    }
    assert data["policy"]["options"][0] == {
        "key": "count",
        "text": "A year meets the rule when at least 4 of the 6 assessments are under 50%.",
    }
    # Aspen: 48, 38, 41 and 47 in 2018-19 (52 in Grade 6 reading, no Grade 6 mathematics figure).
    assert schools == {"700001"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_identify_from_the_database_gives_the_same_schools(expected: set[str]) -> None:
    for path in (FILE_2017, FILE_2018):
        done = runner.invoke(app, ["import", "schools", str(path)])
        assert done.exit_code == 0, done.output
    done = runner.invoke(app, ["import", "results", str(FILE_2017), str(FILE_2018)])
    assert done.exit_code == 0, done.output
    assert "49382 created" in done.stdout  # 24,719 + 24,663 results
    result = runner.invoke(app, ["identify", "--format", "json"])
    assert result.exit_code == 0, result.output
    data, schools = identified(result.stdout)
    assert data["year"] == "2018-19"
    assert schools == expected


@pytest.mark.django_db(transaction=True)
def test_identify_on_an_empty_database_says_there_is_nothing() -> None:
    result = runner.invoke(app, ["identify", "--format", "json"])
    assert result.exit_code == 1
    assert result.stdout == "" and "There are no results to identify from." in result.stderr


@pytest.mark.spark
@pytest.mark.slow
def test_identify_on_spark_gives_the_same_schools(expected: set[str]) -> None:
    need(shutil.which("java") is not None, "Java is not installed (PySpark needs Java 17)")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        need(False, "pyspark is not installed (pip install 'capacity[spark]')")
    result = runner.invoke(app, ["identify", *FILES, "--engine", "spark", "--format", "json"])
    assert result.exit_code == 0, result.output
    _data, schools = identified(result.stdout)
    assert schools == expected


def test_identify_for_a_year_without_results_says_so_and_exits_2() -> None:
    result = runner.invoke(
        app,
        ["identify", "--results", str(DATA / "long.csv"), "--year", "2030-31", "--format", "json"],
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        "There are no results for 2030-31." in result.stderr and "2017-18, 2018-19" in result.stderr
    )


@pytest.mark.django_db(transaction=True)
def test_identify_from_the_database_names_schools_as_the_directory_does(world) -> None:
    """docs/identification.md rule 9: from the database, the directory's one name per school."""
    from tests.evidence.conftest import results_for

    for year in ("2017-18", "2018-19"):
        results_for(world.school_a1, year, [40, 42, 30, 45, 48, 70])
    world.school_a1.name = "Aspen Renamed Public School"
    world.school_a1.save()
    result = runner.invoke(app, ["identify", "--format", "json"])
    assert result.exit_code == 0, result.output
    data, schools = identified(result.stdout)
    assert schools == {"700001"}
    assert data["identified"][0]["school_name"] == "Aspen Renamed Public School"
    assert data["identified"][0]["board_name"] == world.board_a.name


@pytest.mark.parametrize(
    ("option", "value", "names"),
    [("--format", "xml", "json, csv, table"), ("--engine", "polars", "duckdb")],
)
def test_identify_refuses_an_unknown_format_or_engine_before_reading(option, value, names) -> None:
    result = runner.invoke(app, ["identify", "--results", "/nonexistent.csv", option, value])

    assert result.exit_code == 2 and result.stdout == ""
    assert f"Unknown {option[2:]} {value!r}." in result.stderr and names in result.stderr
