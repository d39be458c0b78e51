"""The `capacity` command, run as a user would run it (Typer's runner, the real database)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capacity.audit.models import Action, AuditEntry
from capacity.cli import app
from capacity.directory.models import Board, Membership, Role, School, User

runner = CliRunner()

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_builds_a_scaled_province_and_lists_the_sign_ins() -> None:
    result = runner.invoke(
        app, ["demo", "--boards", "4", "--schools", "30", "--years", "2", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "4 boards, 30 schools" in result.output
    assert "principal.other" in result.output
    assert Board.objects.count() == 4 and School.objects.count() == 30
    from capacity.rounds.models import LessonStudy, Visit

    visits, studies = Visit.objects.count(), LessonStudy.objects.count()
    assert visits and studies
    summary = " ".join(result.output.split())
    assert f"{visits} rounds visits" in summary and f"{studies} lesson studies" in summary


def test_demo_refuses_a_loaded_database_without_reset() -> None:
    assert runner.invoke(app, ["demo", "--boards", "2", "--schools", "4"]).exit_code == 0
    refused = runner.invoke(app, ["demo", "--boards", "2", "--schools", "4"])
    assert refused.exit_code == 1
    assert "--reset" in refused.output
    again = runner.invoke(app, ["demo", "--boards", "3", "--schools", "6", "--reset"])
    assert again.exit_code == 0 and Board.objects.count() == 3


def test_createuser_makes_a_principal_who_can_sign_in(tmp_path, world) -> None:
    secret = tmp_path / "pw"
    secret.write_text("a rather long pass phrase 9\n")
    result = runner.invoke(
        app,
        [
            "createuser",
            "newprincipal",
            "--role",
            "principal",
            "--org",
            "700001",
            "--name",
            "Nora Principal",
            "--password-file",
            str(secret),
        ],
    )
    assert result.exit_code == 0, result.output
    user = User.objects.get(username="newprincipal")
    assert user.check_password("a rather long pass phrase 9")
    assert Membership.objects.get(user=user).role == Role.PRINCIPAL
    assert AuditEntry.objects.filter(
        action=Action.MEMBERSHIP_GRANTED, target="newprincipal"
    ).exists()


def test_createuser_refuses_an_unknown_organisation(tmp_path, world) -> None:
    secret = tmp_path / "pw"
    secret.write_text("a rather long pass phrase 9")
    result = runner.invoke(
        app,
        [
            "createuser",
            "x",
            "--role",
            "principal",
            "--org",
            "B66001",
            "--password-file",
            str(secret),
        ],
    )
    assert result.exit_code == 2
    assert not User.objects.filter(username="x").exists()


def test_check_reports_a_healthy_configuration() -> None:
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert "All checks passed" in result.output


def test_demo_refuses_fewer_schools_than_boards() -> None:
    result = runner.invoke(app, ["demo", "--boards", "3", "--schools", "2"])
    assert result.exit_code == 2
    assert "--schools must be at least --boards" in result.output
    assert not Board.objects.exists()


def run_capacity(tmp_path, *args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """The installed `capacity` command in a child process, with its own var/ and `variables`."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "PYTEST", "CAPACITY_", "DJANGO_SETTINGS_MODULE"))
    }
    environment |= {"CAPACITY_VAR_DIR": str(tmp_path), **variables}
    command = [str(Path(sys.executable).parent / "capacity"), *args]
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)  # noqa: S603


def test_check_names_a_bad_setting_and_exits_1(tmp_path) -> None:
    result = run_capacity(tmp_path, "check", CAPACITY_ENV="staging")
    assert result.returncode == 1
    assert "Configuration error:" in result.stderr and "CAPACITY_ENV='staging'" in result.stderr


@pytest.mark.slow
def test_check_says_when_the_database_cannot_be_reached(tmp_path) -> None:
    result = run_capacity(
        tmp_path, "check", DATABASE_URL="postgres://nobody@127.0.0.1:9/capacity?connect_timeout=2"
    )
    assert result.returncode == 1
    assert "The database cannot be reached" in result.stderr


@pytest.mark.slow
def test_check_counts_the_migrations_serve_would_apply(tmp_path) -> None:
    result = run_capacity(tmp_path, "check")  # a new, empty SQLite file
    assert result.returncode == 0, result.stderr
    assert "migration(s) not yet applied" in result.stdout
    assert "All checks passed" in result.stdout
