"""`capacity instruments list` and `capacity instruments load`, run as a person would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capacity.cli import app
from capacity.instruments.models import Instrument
from tests.instruments.test_definition import GOOD

pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()


def test_list_prints_each_instrument_with_its_counts_as_json() -> None:
    result = runner.invoke(app, ["instruments", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["code"]: row for row in json.loads(result.stdout)}
    capital = rows["professional-capital"]
    assert [d["items"] for d in capital["dimensions"]] == [15, 18, 18]
    assert capital["reverse_scored"] == 3
    assert capital["scale"] == {"kind": "agreement", "min": 1, "max": 5}
    assert rows["strong-districts"]["items"] == 28


def test_list_as_a_table_names_every_instrument() -> None:
    result = runner.invoke(app, ["instruments", "list"])
    assert result.exit_code == 0
    for code in ("strong-districts", "leadership-competencies", "student-aspirations"):
        assert code in result.stdout


def test_load_stores_a_new_definition_then_says_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(GOOD, encoding="utf-8")
    first = runner.invoke(app, ["instruments", "load", str(path)])
    assert first.exit_code == 0, first.output
    assert "tiny v1: loaded (new); 1 dimensions, 2 items, 1 reverse-scored." in first.output
    again = runner.invoke(app, ["instruments", "load", str(path)])
    assert again.exit_code == 0 and "unchanged" in again.output


def test_load_refuses_a_bad_file_with_line_and_field_and_exit_code_1(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(GOOD.replace("reverse: true", "reverse: yes"), encoding="utf-8")
    result = runner.invoke(app, ["instruments", "load", str(path)])
    assert result.exit_code == 1
    assert "Refused tiny.yaml: nothing was loaded." in result.output
    assert "tiny.yaml, line 27: dimensions[0].items[1].reverse:" in result.output
    assert not Instrument.objects.filter(code="tiny").exists()


def test_an_unknown_format_is_a_usage_error() -> None:
    assert runner.invoke(app, ["instruments", "list", "--format", "xml"]).exit_code == 2


def test_survey_open_then_report_as_json_csv_and_pdf(world, tmp_path: Path) -> None:
    import datetime

    closes = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    opened = runner.invoke(
        app,
        [
            "survey",
            "open",
            "strong-districts",
            "--org",
            "B66001",
            "--closes",
            closes,
            "--links",
            "2",
        ],
    )
    assert opened.exit_code == 0, opened.output
    assert "invited" in opened.output and opened.stdout.count("/surveys/link/") == 2
    from capacity.instruments.models import Round

    round_ = Round.objects.get()
    report = runner.invoke(app, ["survey", "report", str(round_.pk)])
    assert report.exit_code == 0
    data = json.loads(report.stdout)
    assert data["invited"] == 5 and data["shown"] is False
    csv = runner.invoke(app, ["survey", "report", str(round_.pk), "--format", "csv"])
    assert csv.stdout.startswith("Dimension,Item,Text")
    pdf = tmp_path / "report.pdf"
    written = runner.invoke(
        app,
        [
            "survey",
            "report",
            str(round_.pk),
            "--format",
            "pdf",
            "--out",
            str(pdf),
            "--language",
            "fr",
        ],
    )
    assert written.exit_code == 0, written.output
    assert pdf.read_bytes().startswith(b"%PDF")


def test_survey_open_refuses_a_closing_date_in_the_past_and_opens_nothing(world) -> None:
    result = runner.invoke(
        app, ["survey", "open", "strong-districts", "--org", "B66001", "--closes", "2001-01-01"]
    )
    assert result.exit_code == 1
    assert "closes_on: The closing date has passed." in result.output
    from capacity.instruments.models import Round

    assert not Round.objects.exists()
