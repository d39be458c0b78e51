"""What /healthz and the request id with its access line cost a request, measured in one run.

    .venv/bin/python benchmarks/healthz_logs.py [--requests 2000]
    DATABASE_URL=postgres://postgres@127.0.0.1:55433/mydb .venv/bin/python benchmarks/healthz_logs.py

Setup: a fresh SQLite var dir (or the PostgreSQL database DATABASE_URL names, which
must be migrated or empty), migrated, with one worker's heartbeat. Requests go
through Django's whole handler in this process (django.test.Client: no network, so
the figures are the site's own work) with DEBUG off.

Measured, each `--requests` times after a warm-up, interleaved in rounds of 100 so
that a change in the machine's load touches every case alike:

1. `healthz`: GET /healthz (the database's SELECT 1 and the beats' query);
2. `login, bare`: GET /accounts/login/ (a template, the CSRF cookie; no database
   query) without the request id middleware: the baseline;
3. `login, text log`: the same with the request id middleware and its access line
   in the text format, written to /dev/null through the site's handler and filter;
4. `login, json log`: the same in the JSON format.

Printed: the machine, the load average, the database, and per case the mean, p50 and
p95 in microseconds; the access line's cost is case 3 or 4 minus case 2.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="capacity-healthz-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/capacity.sqlite3")
    os.environ.update(
        {
            "CAPACITY_VAR_DIR": folder,
            "CAPACITY_ENV": "local",
            "DJANGO_SETTINGS_MODULE": "capacity.settings",
            "CAPACITY_ACCESS_LOG": "false",  # each case sets its own logging below
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from capacity.operations.heartbeat import Heartbeat
    from capacity.operations.logs import (
        ACCESS_LOGGER,
        JsonFormatter,
        RequestContextFilter,
        TextFormatter,
    )

    call_command("migrate", verbosity=0)
    Heartbeat().start(thread=False)

    null = open(os.devnull, "w")  # noqa: SIM115 - open for the whole run
    handler = logging.StreamHandler(null)
    handler.addFilter(RequestContextFilter())
    access = logging.getLogger(ACCESS_LOGGER)
    access.propagate = False
    access.addHandler(handler)

    bare_middleware = [
        m for m in settings.MIDDLEWARE if m != "capacity.operations.middleware.RequestIdMiddleware"
    ]

    def client(log_format: str | None) -> Client:
        handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
        access.setLevel(logging.INFO if log_format else logging.WARNING)
        return Client(HTTP_HOST="127.0.0.1")

    cases = {
        "healthz": ("/healthz", True, None),
        "login, bare": ("/accounts/login/", False, None),
        "login, text log": ("/accounts/login/", True, "text"),
        "login, json log": ("/accounts/login/", True, "json"),
    }
    timings: dict[str, list[float]] = {name: [] for name in cases}

    def run(name: str, count: int, keep: bool) -> None:
        path, request_ids, log_format = cases[name]
        middleware = settings.MIDDLEWARE if request_ids else bare_middleware
        with override_settings(MIDDLEWARE=middleware):
            browser = client(log_format)
            for _ in range(count):
                started = time.perf_counter()
                response = browser.get(path)
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, (name, response.status_code)
                if keep:
                    timings[name].append(elapsed * 1e6)

    print(
        f"machine: {platform.node()}, {os.cpu_count()} cores, "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    for name in cases:
        run(name, 100, keep=False)
    rounds = max(1, args.requests // 100)
    for _ in range(rounds):
        for name in cases:
            run(name, 100, keep=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{rounds * 100} requests a case, in microseconds:")
    print(f"{'case':<18} {'mean':>8} {'p50':>8} {'p95':>8}")
    for name, values in timings.items():
        values.sort()
        p95 = values[int(len(values) * 0.95)]
        print(
            f"{name:<18} {statistics.fmean(values):8.0f} "
            f"{statistics.median(values):8.0f} {p95:8.0f}"
        )
    bare = statistics.median(timings["login, bare"])
    for name in ("login, text log", "login, json log"):
        extra = statistics.median(timings[name]) - bare
        print(
            f"request id and access line ({name.split(', ')[1]}): {extra:+.0f} us a request (p50)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
