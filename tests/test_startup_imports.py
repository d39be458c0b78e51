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
