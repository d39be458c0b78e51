"""Settings come from the environment, strictly parsed; production settings pass Django's deploy checks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_check(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "PYTEST", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    environment.update(
        {"CAPACITY_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "capacity.settings"}
    )
    environment.update(variables)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_production_settings_pass_the_deploy_checks(tmp_path) -> None:
    key = tmp_path / "key"
    key.write_text(secrets.token_urlsafe(60))
    result = run_check(
        tmp_path,
        CAPACITY_ENV="production",
        SECRET_KEY_FILE=str(key),
        ALLOWED_HOSTS="capacity.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret(tmp_path) -> None:
    result = run_check(tmp_path, CAPACITY_ENV="production", ALLOWED_HOSTS="x.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"SECRET_KEY": "short-and-guessable"}, "at least 50 characters"),
        ({"SECRET_KEY": "k" * 60, "DEBUG": "1"}, "DEBUG cannot be on"),
        ({"SECRET_KEY": "k" * 60, "SESSION_COOKIE_AGE": "60"}, "SESSION_COOKIE_AGE=60"),
    ],
)
def test_production_refuses_settings_that_are_unsafe_there(tmp_path, variables, message) -> None:
    result = run_check(
        tmp_path, CAPACITY_ENV="production", ALLOWED_HOSTS="x.example.org", **variables
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_a_local_installation_generates_its_secret_once_readable_only_by_its_owner(
    tmp_path,
) -> None:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("SECRET_KEY", "PYTEST"))
    }
    environment.update(
        {
            "CAPACITY_VAR_DIR": str(tmp_path),
            "CAPACITY_ENV": "local",
            "DJANGO_SETTINGS_MODULE": "capacity.settings",
        }
    )
    code = "from capacity import settings; print(settings.SECRET_KEY)"
    keys = [
        subprocess.run(
            [sys.executable, "-c", code], env=environment, capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
        for _ in range(2)
    ]
    stored = tmp_path / "secret_key"
    assert keys[0] == keys[1] == stored.read_text(encoding="utf-8").strip()
    assert len(keys[0]) >= 50
    assert stored.stat().st_mode & 0o777 == 0o600


def test_a_malformed_database_url_is_refused(tmp_path) -> None:
    result = run_check(tmp_path, DATABASE_URL="mysql://someone@host/db")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_postgresql_keeps_the_urls_options_and_reads_whole_cursors(tmp_path) -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CAPACITY_", "DATABASE_"))
    }
    environment.update(
        {
            "CAPACITY_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "capacity.settings",
            "DATABASE_URL": "postgres://someone@db.example.org/capacity?options=-c%20statement_timeout%3D5000",
        }
    )
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "'options': '-c statement_timeout=5000 -c cursor_tuple_fraction=1'" in result.stdout


def test_every_variable_the_settings_read_is_in_the_readmes_configuration_table() -> None:
    import re

    settings_text = (ROOT / "capacity" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env_(?:str|bool|int|list|choice)\(\s*"([A-Z0-9_]+)"', settings_text))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    assert read, "the pattern found no variables in settings.py"
    assert read - documented == set(), (
        f"missing from README's Configuration table: {sorted(read - documented)}"
    )
