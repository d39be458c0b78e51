"""Importing results into the database: checked against the directory, all or nothing, safe to repeat."""

from __future__ import annotations

import csv
import io
import threading
import time
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.utils import translation
from typer.testing import CliRunner

from capacity.audit.models import Action, AuditEntry
from capacity.cli import app
from capacity.directory.importers import import_sif
from capacity.directory.models import School
from capacity.evidence.importers.results import _read_ahead, import_results
from capacity.evidence.models import Result
from tests.conftest import ONTARIO_SIF, need
from tests.evidence.test_readers import LONG_HEADER, REAL_FILES, row, write_csv

REAL = ONTARIO_SIF
DATA = Path(__file__).resolve().parent.parent / "data" / "results"

pytestmark = pytest.mark.django_db


def problems(report: Any) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.reason) for p in report.problems]


def stored(school: str, year: str, assessment: str, group: str = "all") -> Result:
    return Result.objects.get(
        school__number=school, school_year=year, assessment__code=assessment, group=group
    )


def assert_rejected(report: Any, before: int) -> None:
    assert not report.applied
    assert report.problems
    assert Result.objects.count() == before
    assert AuditEntry.objects.filter(action=Action.IMPORT_REJECTED, target=report.source).exists()
    assert not AuditEntry.objects.filter(
        action=Action.IMPORT_APPLIED, target=report.source
    ).exists()


# --- The four real tables, after the school table itself ---------------------------------------


@pytest.mark.parametrize(
    ("name", "year", "results", "reported", "nr", "nd", "sp", "g3_nr", "skipped", "checks"),
    REAL_FILES,
    ids=[entry[1] for entry in REAL_FILES],
)
@pytest.mark.slow
def test_real_school_tables_import_after_the_directory_and_twice_change_nothing(
    name: str,
    year: str,
    results: int,
    reported: int,
    nr: int,
    nd: int,
    sp: int,
    g3_nr: int,
    skipped: int,
    checks: list[tuple[str, str, str, float | str]],
) -> None:
    path = REAL / name
    need(path.exists(), f"{path} is not there")
    assert import_sif(path).applied

    report = import_results([(None, path)], actor_label="test")
    assert report.problems == []
    assert report.applied
    assert (report.rows, report.created, report.updated, report.unchanged, report.skipped) == (
        results,
        results,
        0,
        0,
        skipped,
    )
    assert Result.objects.count() == results
    assert Result.objects.filter(status="").count() == reported
    assert Result.objects.filter(status="nr").count() == nr
    assert Result.objects.filter(assessment__code="G3-READ", status="nr").count() == g3_nr
    for school, assessment, group, expected in checks:
        result = stored(school, year, assessment, group)
        if isinstance(expected, str):
            assert (result.status, result.pct_at_standard) == (expected, None)
        else:
            assert (result.status, result.pct_at_standard) == ("", expected)
        assert result.source == name
    assert (
        AuditEntry.objects.filter(
            action=Action.IMPORT_APPLIED, target=str(path), detail__kind="results"
        ).count()
        == 1
    )

    again = import_results([(None, path)], actor_label="test")
    assert (again.created, again.updated, again.unchanged) == (0, 0, results)
    assert Result.objects.count() == results


def test_without_the_school_table_the_schools_are_unknown() -> None:
    path = REAL / "sif_data_table_2018_2019_en.xlsx"
    need(path.exists(), f"{path} is not there")
    report = import_results([(None, path)])
    assert_rejected(report, 0)
    first = report.problems[0]
    assert (first.row, first.column) == (2, "School Number")
    assert first.reason == (
        "There is no school 902344 in Capacity. Import the school table first with "
        "`capacity import schools`."
    )


# --- The long format -------------------------------------------------------------------------------


def test_long_csv_creates_updates_and_leaves_alone(world: Any, tmp_path: Path) -> None:
    report = import_results([(None, DATA / "long.csv")])
    assert report.problems == [] and report.applied
    assert (report.rows, report.created, report.updated, report.unchanged) == (14, 14, 0, 0)
    aspen = stored("700001", "2018-19", "G3-READ")
    assert (
        aspen.participating,
        aspen.pct_level_1,
        aspen.pct_level_2,
        aspen.pct_level_3,
        aspen.pct_level_4,
        aspen.pct_at_standard,
        aspen.status,
    ) == (40, 10, 42, 40, 8, 48, "")
    assert stored("700001", "2018-19", "G6-MATH").status == "nr"
    assert stored("700003", "2018-19", "G6-MATH", "ell").status == "sp"

    changed = (
        (DATA / "long.csv")
        .read_text()
        .replace("700001,2018-19,G3-WRITE,all,40,,,,,38,", "700001,2018-19,G3-WRITE,all,40,,,,,39,")
    )
    path = tmp_path / "long.csv"
    path.write_text(changed)
    report = import_results([(None, path)])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 13)
    assert stored("700001", "2018-19", "G3-WRITE").pct_at_standard == 39
    # A new file name alone changes nothing.
    path.write_text((DATA / "long.csv").read_text().replace("40,,,,,38,", "40,,,,,39,"))
    renamed = tmp_path / "renamed.csv"
    path.rename(renamed)
    report = import_results([(None, renamed)])
    assert (report.created, report.updated, report.unchanged) == (0, 0, 14)


def test_long_xlsx_and_parquet_import_the_same_rows(world: Any, tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO((DATA / "long.csv").read_text())))
    workbook = openpyxl.Workbook()
    for values in rows:
        workbook.active.append(values)
    xlsx = tmp_path / "long.xlsx"
    workbook.save(xlsx)
    report = import_results([(None, xlsx)])
    assert (report.created, report.problems) == (14, [])
    parquet = tmp_path / "long.parquet"
    pq.write_table(
        pa.table({name: [r[i] for r in rows[1:]] for i, name in enumerate(rows[0])}), parquet
    )
    report = import_results([(None, parquet)])
    assert (report.created, report.updated, report.unchanged, report.problems) == (0, 0, 14, [])


def test_a_dry_run_counts_exactly_and_writes_nothing(world: Any) -> None:
    report = import_results([(None, DATA / "long.csv")], dry_run=True)
    assert (report.created, report.updated, report.unchanged, report.applied) == (14, 0, 0, False)
    assert "This was a dry run: nothing was written." in report.notes
    assert Result.objects.count() == 0
    assert not AuditEntry.objects.exists()


def test_progress_is_reported_with_the_total(world: Any) -> None:
    seen: list[tuple[int, int | None]] = []
    import_results(
        [(None, DATA / "long.csv")], progress=lambda done, total: seen.append((done, total))
    )
    assert seen[0] == (0, 14) and seen[-1] == (14, 14)


# --- Broken files: every problem named, nothing applied, the rejection audited ---------------------


def import_broken(path: Path | str, before: int = 0) -> list[tuple[int | None, str, str]]:
    year, _sep, file = str(path).rpartition("=") if "=" in str(path) else ("", "", str(path))
    report = import_results([(year or None, Path(file))], actor_label="test")
    assert_rejected(report, before)
    return problems(report)


def test_missing_columns(world: Any, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        [["700001", "2018-19", "G3-READ"]],
        header=["school_number", "school_year", "assessment"],
    )
    assert import_broken(path) == [(1, "pct_at_standard", "This required column is missing.")]


def test_bad_numbers_and_percentages_over_100(world: Any, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        [
            row(),
            row(assessment="G3-MATH", pct_at_standard="6O"),
            row(assessment="G6-MATH", pct_at_standard="101"),
        ],
    )
    assert import_broken(path) == [
        (3, "pct_at_standard", "“6O” is not a number. Give a percentage like 69 or 69.5."),
        (4, "pct_at_standard", "101 is not a percentage between 0 and 100."),
    ]


def test_duplicate_keys(world: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [row(), row(pct_at_standard="70")])
    assert import_broken(path) == [
        (
            3,
            "school_number",
            "The result of school 700001 in 2018-19 on G3-READ for the group “all” is already "
            "on row 2; each result may appear only once.",
        ),
    ]


def test_unknown_school_and_unknown_assessment(world: Any, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv", [row(), row(school_number="799999"), row(assessment="G4-READ")]
    )
    assert import_broken(path) == [
        (
            3,
            "school_number",
            "There is no school 799999 in Capacity. Import the school table first with "
            "`capacity import schools`.",
        ),
        (
            4,
            "assessment",
            "There is no assessment G4-READ in Capacity. Known assessments: G3-READ, G3-WRITE, "
            "G3-MATH, G6-READ, G6-WRITE, G6-MATH, G9-MATH, OSSLT.",
        ),
    ]


def test_a_number_and_a_status_both_given(world: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [row(status="sp")])
    assert import_broken(path) == [
        (
            2,
            "status",
            "Give either a percentage or a status, not both: a result with a status (sp) has no "
            "percentage.",
        ),
    ]


def test_wrong_encoding(world: Any, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes((",".join(LONG_HEADER) + "\n" + ",".join(row()) + "\n").encode("utf-16"))
    assert import_broken(path) == [
        (
            None,
            "",
            "The file is not plain text in UTF-8 or Latin-1 (it looks like UTF-16 or a binary file). "
            "Save it as CSV in UTF-8 and try again.",
        ),
    ]


def test_year_given_against_the_school_year_column(world: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [row()])
    assert import_broken(f"2019-20={path}") == [
        (
            2,
            "school_year",
            "The school year here is 2018-19, but 2019-20 was given with the file "
            "(2019-20=r.csv). Give no year with the file, or the same one.",
        ),
    ]


def test_one_bad_file_keeps_every_file_out_and_stored_results_as_they_were(
    world: Any, tmp_path: Path
) -> None:
    assert import_results([(None, DATA / "long.csv")]).applied
    before = Result.objects.count()
    good = write_csv(tmp_path / "good.csv", [row(school_year="2019-20")])
    bad = write_csv(
        tmp_path / "bad.csv", [row(school_year="2019-20", assessment="G3-MATH", pct_at_standard="")]
    )
    report = import_results([(None, good), (None, bad)])
    assert_rejected(report, before)
    assert problems(report) == [
        (
            2,
            "bad.csv: pct_at_standard",
            "Give the percentage at the provincial standard, or a status (nr, nd or "
            "sp) saying why there is none.",
        ),
    ]
    assert not Result.objects.filter(school_year="2019-20").exists()
    assert stored("700001", "2018-19", "G3-READ").pct_at_standard == 48


@pytest.mark.django_db(transaction=True)
def test_the_database_refusing_a_row_rolls_everything_back(
    world: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The reader checks what the database checks, so force a refusal the way it can happen: a
    # school deleted after the import looked up its id. Its foreign key fails at the commit.
    path = write_csv(tmp_path / "r.csv", [row(), row(school_number="700002")])
    from capacity.evidence.importers import results as module

    class Vanishing(module._Directory):
        def __init__(self) -> None:
            super().__init__()
            School.objects.filter(number="700002").delete()

    monkeypatch.setattr(module, "_Directory", Vanishing)
    report = import_results([(None, path)])
    assert not report.applied
    assert report.problems[-1].reason.startswith(
        "The database refused the import, so nothing was written"
    )
    assert Result.objects.count() == 0
    assert AuditEntry.objects.filter(action=Action.IMPORT_REJECTED, target=report.source).exists()
    assert not AuditEntry.objects.filter(
        action=Action.IMPORT_APPLIED, target=report.source
    ).exists()


# --- The command -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_import_results_command(world: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["import", "results", str(DATA / "long.csv")])
    assert done.exit_code == 0, done.output
    assert "Imported 14 rows" in done.stdout and "14 created" in done.stdout
    again = runner.invoke(app, ["import", "results", "--dry-run", str(DATA / "long.csv")])
    assert (
        again.exit_code == 0
        and "Would import 14 rows" in again.stdout
        and "14 unchanged" in again.stdout
    )
    bad = write_csv(tmp_path / "bad.csv", [row(pct_at_standard="110")])
    listed = tmp_path / "problems.csv"
    refused = runner.invoke(app, ["import", "results", f"2018-19={bad}", "--problems", str(listed)])
    assert refused.exit_code == 1
    assert "Nothing was imported" in refused.output
    assert listed.read_text().splitlines() == [
        "row,column,reason",
        "2,pct_at_standard,110 is not a percentage between 0 and 100.",
    ]
    assert Result.objects.count() == 14


# --- reading ahead in a thread while the database writes ----------------------------------------


def test_reading_ahead_hands_over_every_batch_in_order_in_the_callers_language() -> None:
    def batches():
        for number in range(7):
            yield (number, translation.get_language())

    with translation.override("fr"):
        read = list(_read_ahead(batches(), depth=2))

    assert read == [(number, "fr") for number in range(7)]


def test_a_failure_while_reading_ahead_is_raised_to_the_caller_after_the_batches_before_it() -> (
    None
):
    def batches():
        yield 1
        yield 2
        raise OSError("the disk went away")

    read = []
    with pytest.raises(OSError, match="the disk went away"):
        for batch in _read_ahead(batches()):
            read.append(batch)

    assert read == [1, 2]


def test_a_caller_that_stops_early_stops_the_reader_too() -> None:
    produced = []

    def batches():
        for number in range(10_000):
            produced.append(number)
            yield number

    ahead = _read_ahead(batches(), depth=2)
    assert next(ahead) == 0
    started = time.monotonic()
    ahead.close()  # as when a problem stops the import

    assert time.monotonic() - started < 2
    assert not any(t.name == "capacity-results-reader" for t in threading.enumerate())
    assert len(produced) < 10  # it read no further than the hand-over allows
