"""`capacity learning load`, run as a person would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capacity.cli import app
from capacity.learning import content
from capacity.learning.models import Item, Version

pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()


def test_load_starter_then_again_says_unchanged() -> None:
    first = runner.invoke(app, ["learning", "load", "--starter"])
    assert first.exit_code == 0, first.output
    assert "20 new" in first.output
    assert Item.objects.count() == 20
    again = runner.invoke(app, ["learning", "load", "--starter"])
    assert again.exit_code == 0
    assert "20 unchanged" in again.output
    assert Version.objects.count() == 20


def test_a_refused_folder_names_file_line_and_field_and_exits_1(tmp_path: Path) -> None:
    root = tmp_path / "ours"
    shutil.copytree(content.SHIPPED, root)
    path = root / "cases" / "lakeshore-data-cycles.en.md"
    path.write_text(path.read_text(encoding="utf-8").replace("year: ", "year: two thousand #"))
    result = runner.invoke(app, ["learning", "load", str(root)])
    assert result.exit_code == 1
    assert "nothing was loaded" in result.output
    assert "lakeshore-data-cycles.en.md" in result.output and "year" in result.output
    assert not Item.objects.exists()


def test_it_asks_for_a_folder_or_starter() -> None:
    result = runner.invoke(app, ["learning", "load"])
    assert result.exit_code == 2
    assert not Item.objects.exists()


def test_a_folder_without_modules_or_cases_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["learning", "load", str(tmp_path)])
    assert result.exit_code == 1
    assert "neither a modules/ nor a cases/" in result.output


def test_reindex_rebuilds_an_emptied_search_index() -> None:
    from capacity.learning import search
    from capacity.learning.models import SearchEntry

    assert runner.invoke(app, ["learning", "load", "--starter"]).exit_code == 0
    assert search.search("mentoring")
    SearchEntry.objects.all().delete()  # as a restore that brought the library without its index
    assert search.search("mentoring") == []
    result = runner.invoke(app, ["learning", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 20 published items." in result.output
    assert search.search("mentoring") and search.search("évaluation")
