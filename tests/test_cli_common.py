"""What every import command prints and how it ends: the report, the problems file, the exit code."""

from __future__ import annotations

import csv
import io

import pytest
import typer

from capacity.cli_common import finish
from capacity.imports.report import ImportReport


def rejected(problems: int) -> ImportReport:
    report = ImportReport(kind="schools", source="schools.csv", rows=problems)
    for n in range(problems):
        report.problem(n + 2, "School Number", f"not a school number ({n})")
    return report


def test_a_rejected_file_lists_its_problems_and_exits_1(capsys) -> None:
    with pytest.raises(typer.Exit) as ended:
        finish(rejected(3), None)
    assert ended.value.exit_code == 1
    out, err = capsys.readouterr()
    assert "3 problem(s) in schools.csv" in err and "not a school number (2)" in err
    assert "Nothing was imported." in err and out == ""


def test_a_long_list_is_cut_at_200_and_the_file_holds_every_problem(capsys, tmp_path) -> None:
    problems = tmp_path / "problems.csv"
    with pytest.raises(typer.Exit):
        finish(rejected(250), problems)
    err = capsys.readouterr().err
    assert "... and 50 more (use --problems FILE to get them all)." in err
    assert "not a school number (199)" in err and "not a school number (200)" not in err
    assert f"Problems written to {problems}" in err
    rows = list(csv.reader(io.StringIO(problems.read_text(encoding="utf-8"))))
    assert rows[0] == ["row", "column", "reason"] and len(rows) == 251
    assert rows[-1] == ["251", "School Number", "not a school number (249)"]


def test_a_clean_file_reports_what_it_did_or_would_do_and_writes_no_problems_file(
    capsys, tmp_path
) -> None:
    problems = tmp_path / "problems.csv"
    report = ImportReport(kind="schools", source="schools.csv", rows=5, created=3, unchanged=2)
    report.notes.append("2 schools closed since the last file")
    finish(report, problems)  # no exit: the command ends normally
    out = capsys.readouterr().out
    assert "note: 2 schools closed since the last file" in out
    assert "Would import 5 rows from schools.csv: 3 created, 0 updated, 2 unchanged" in out
    report.applied = True
    finish(report, problems)
    assert "Imported 5 rows" in capsys.readouterr().out
    assert not problems.exists()
