"""A command's start-up (Django set up, every app ready) imports none of the analytics' heavy libraries.

`capacity identify --results` and `capacity import results` pay for every import as part of a
whole process (issue 14 measures them so). An app's `ready` that imported the evidence
selectors pulled in pandas and Ibis: 0.9 s more for every command, found by `-X importtime`.
django-ninja as an installed app imported itself and pydantic (0.2 s); the learning app's
`ready` imported its search and services (0.1 s).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = (
    "pandas",
    "ibis",
    "capacity.evidence.selectors",
    "capacity.evidence.analytics.neighbours",
    "ninja",
    "pydantic",
    "capacity.learning.search",
    "capacity.learning.services",
)


def test_setting_up_django_imports_no_analytics_library() -> None:
    code = (
        "import json, sys\n"
        "from capacity.cli_common import django_setup\n"
        "django_setup()\n"
        f"print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "capacity.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_swagger_ui_is_served_from_django_ninjas_files_without_its_app() -> None:
    from django.contrib.staticfiles import finders

    for name in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css"):
        found = finders.find(name)
        assert found and os.path.getsize(found) > 1000, name


IDENTIFY = (
    "import sys\n"
    "from capacity.cli import app\n"
    "sys.argv = ['capacity', 'identify', '--results', sys.argv[1], '--format', 'csv']\n"
    "code = 0\n"
    "try:\n"
    "    app()\n"
    "except SystemExit as exc:\n"
    "    code = exc.code\n"
    "from django.apps import apps\n"
    "print('registry ready:', apps.ready, 'models:', 'capacity.directory.models' in sys.modules,"
    " file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def test_identify_on_files_sets_up_no_app_and_words_problems_as_with_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`capacity identify --results` reads files, never a model: it sets up Django's settings
    only (cli_common.settings_setup, 0.4 s less of a run measured as a whole process). Its
    problems read word for word as the reader words them with every app set up (this test
    process), and a good file is identified; the command's process never loads a model."""
    from capacity.evidence.readers import ResultsReader
    from capacity.imports import ImportReport
    from tests.evidence.test_readers import row, write_csv

    good = write_csv(tmp_path / "good.csv", [row(), row(assessment="G3-WRITE")])
    bad = write_csv(
        tmp_path / "bad.csv",
        [row(), row(), row(school_number="12x", pct_at_standard="145", participating="2.5")],
    )
    report = ImportReport(kind="results", source="test")
    ResultsReader([(None, bad)], report).check()
    reasons = [problem.reason for problem in report.problems]
    assert len(reasons) >= 3

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "capacity.settings", "COLUMNS": "400"}
    runs = {
        name: subprocess.run(
            [sys.executable, "-c", IDENTIFY, str(path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        for name, path in (("good", good), ("bad", bad))
    }
    assert runs["good"].returncode == 0, runs["good"].stderr
    assert runs["good"].stdout.startswith("school_number,school_name,"), runs["good"].stdout
    assert runs["bad"].returncode == 1, runs["bad"].stderr
    for reason in reasons:
        assert reason in runs["bad"].stderr, (reason, runs["bad"].stderr)
    for done in runs.values():
        assert "registry ready: False models: False" in done.stderr, done.stderr
