"""Log lines: one JSON object a line when asked (time in UTC, exception text), text otherwise; strict settings."""

from __future__ import annotations

import datetime
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from capacity.operations.logs import JsonFormatter, TextFormatter, logging_config

ROOT = Path(__file__).resolve().parents[2]


def record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("capacity.test", logging.ERROR, __file__, 1, message, args, None)
    made.__dict__.update(extra)
    return made


def test_a_json_line_is_one_object_with_the_time_in_utc() -> None:
    made = record("imported %s rows\nthen stopped", 12)
    made.created = datetime.datetime(2025, 1, 31, 14, 2, 3, 120000, tzinfo=datetime.UTC).timestamp()
    line = JsonFormatter().format(made)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["time"] == "2025-01-31T14:02:03.120Z"
    assert (entry["level"], entry["logger"]) == ("ERROR", "capacity.test")
    assert entry["message"] == "imported 12 rows\nthen stopped"
    # Outside a request the request's fields are there, empty.
    assert (entry["request_id"], entry["method"], entry["path"], entry["user_id"]) == (None,) * 4
    assert "exception" not in entry


def test_a_json_line_holds_the_exception_text() -> None:
    logger = logging.getLogger("capacity.test.exceptions")
    formatter = JsonFormatter()
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(formatter.format(record))

    handler = Keep()
    logger.addHandler(handler)
    try:
        try:
            {}["missing"]
        except KeyError:
            logger.exception("Could not read the row")
    finally:
        logger.removeHandler(handler)
    (line,) = lines
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "Could not read the row"
    assert entry["exception"].startswith("Traceback (most recent call last):")
    assert "KeyError: 'missing'" in entry["exception"]


def test_plain_extra_values_are_kept_and_objects_are_left_out() -> None:
    entry = json.loads(
        JsonFormatter().format(record("x", status=503, duration_ms=1.5, request=object()))
    )
    assert (entry["status"], entry["duration_ms"]) == (503, 1.5)
    assert "request" not in entry


def test_a_text_line_reads_like_before_with_the_request_id() -> None:
    line = TextFormatter().format(record("ready"))
    assert line.endswith(" ERROR capacity.test [-] ready")
    line = TextFormatter().format(record("ready", request_id="abc"))
    assert line.endswith(" ERROR capacity.test [abc] ready")


def test_the_configuration_refuses_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown log format 'xml'"):
        logging_config(format="xml", level="INFO", access_log=True)


def test_the_access_log_can_be_turned_off() -> None:
    on = logging_config(format="json", level="WARNING", access_log=True)["loggers"]
    off = logging_config(format="json", level="WARNING", access_log=False)["loggers"]
    assert on["capacity.request"]["level"] == "INFO"
    assert off["capacity.request"]["level"] == "WARNING"
    # With Capacity's access line, the development server's own one is left out.
    assert (on["django.server"]["level"], off["django.server"]["level"]) == ("ERROR", "INFO")


def run_python(code: str, **variables: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    environment |= {"DJANGO_SETTINGS_MODULE": "capacity.settings", "CAPACITY_ENV": "local"}
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environment | variables,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_settings_refuse_an_unknown_format_naming_the_variable(tmp_path) -> None:
    done = run_python(
        "import django\ndjango.setup()", CAPACITY_LOG_FORMAT="yaml", CAPACITY_VAR_DIR=str(tmp_path)
    )
    assert done.returncode != 0
    assert "CAPACITY_LOG_FORMAT='yaml' must be one of: text, json" in done.stderr


def test_a_json_site_writes_json_lines_from_every_logger(tmp_path) -> None:
    done = run_python(
        "import django, logging\ndjango.setup()\n"
        "logging.getLogger('django.db').error('from Django')\n"
        "logging.getLogger('capacity.evidence').error('from Capacity')\n"
        "logging.getLogger('capacity.evidence').info('below the level')\n",
        CAPACITY_LOG_FORMAT="json",
        CAPACITY_VAR_DIR=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    entries = [json.loads(line) for line in done.stderr.splitlines()]
    assert [(e["logger"], e["message"]) for e in entries] == [
        ("django.db", "from Django"),
        ("capacity.evidence", "from Capacity"),
    ]


def test_gunicorn_is_configured_like_the_site(tmp_path) -> None:
    done = run_python(
        "import json\nfrom capacity.operations import gunicorn as g\n"
        "print(json.dumps({'format': g.logconfig_dict['handlers']['console']['formatter'],"
        " 'error': g.logconfig_dict['loggers']['gunicorn.error'],"
        " 'access': g.Logger.access(None, None, None, None, None)}))",
        CAPACITY_LOG_FORMAT="json",
        CAPACITY_VAR_DIR=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "format": "json",
        "error": {"handlers": [], "level": "INFO", "propagate": True},
        "access": None,
    }
