"""Settings come from the environment, strictly parsed; production settings pass Django's deploy checks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from capacity import env

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("off", False), ("", False)]
)
def test_booleans_parse(monkeypatch, raw, expected) -> None:
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env.env_bool("SOME_FLAG", not expected) is expected


def test_a_bad_boolean_names_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(env.ConfigError, match="SOME_FLAG='perhaps'"):
        env.env_bool("SOME_FLAG", False)


def test_a_bad_number_names_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(env.ConfigError, match="SOME_NUMBER"):
        env.env_int("SOME_NUMBER", 1)
    monkeypatch.setenv("SOME_NUMBER", "-1")
    with pytest.raises(env.ConfigError, match="minimum"):
        env.env_int("SOME_NUMBER", 1, minimum=0)


def test_a_secret_can_come_from_a_file(monkeypatch, tmp_path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.delenv("SOME_SECRET", raising=False)
    monkeypatch.setenv("SOME_SECRET_FILE", str(secret))
    assert env.env_str("SOME_SECRET", "") == "from-a-file"
    monkeypatch.setenv("SOME_SECRET", "both")
    with pytest.raises(env.ConfigError, match="both set"):
        env.env_str("SOME_SECRET", "")


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
