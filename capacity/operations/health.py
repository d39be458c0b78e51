"""/healthz: whether this site can serve, for load balancers and monitors.

    GET /healthz  ->  200 {"status": "ok", "failing": [], "database": {...}, "worker": {...}}
                      503 {"status": "failing", "failing": ["worker"], ...}

Two parts are checked: the database (`SELECT 1`, with the time it took in
milliseconds) and the background worker's heartbeat (capacity/operations/heartbeat.py):
when a worker last beat, how many seconds ago, and whether that is within
CAPACITY_HEARTBEAT_STALE_SECONDS. A site configured to run without a worker
(CAPACITY_EXPECT_WORKER=false, which `capacity serve --no-background` sets) passes
with `"worker": {"status": "not expected"}`.

It is answered by `HealthCheckMiddleware`, second in MIDDLEWARE after the request id,
before anything else runs: no sign-in, session, language or CSRF, no HTTPS redirect
(a load balancer often asks over plain HTTP), and no host check (it asks by the
machine's address, not the site's name). So the answer says nothing that needs any of
those: no version, path, host, error text or count of anyone's data. An error's
details go to the log. The JSON is for machines, so it is not translated.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from capacity.operations.heartbeat import worker_status

PATH = "/healthz"

logger = logging.getLogger(__name__)


def database_part() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database did not answer")
        return {"status": "failing"}
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 2)}


def worker_part(database_ok: bool) -> dict[str, Any]:
    if not database_ok:
        return {"status": "unknown"}  # the beats are in the database
    try:
        status = worker_status()
    except Exception:  # the table is missing (migrations not applied) or the read failed
        logger.exception("Health check: the worker's heartbeat could not be read")
        return {"status": "unknown"}
    return {
        "status": status.state,
        "expected": status.expected,
        "last_beat": None
        if status.last_beat is None
        else status.last_beat.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "seconds_since_last_beat": status.seconds_since,
        "alive": status.alive,
        "interval_seconds": status.interval,
        "stale_after_seconds": status.stale_after,
    }


def health() -> tuple[bool, dict[str, Any]]:
    """Whether the site is healthy, and the parts' report."""
    database = database_part()
    worker = worker_part(database["status"] == "ok")
    failing = [
        name
        for name, part in (("database", database), ("worker", worker))
        if part["status"] not in ("ok", "not expected")
    ]
    report = {
        "status": "failing" if failing else "ok",
        "failing": failing,
        "database": database,
        "worker": worker,
    }
    return not failing, report


@require_http_methods(["GET", "HEAD"])
def healthz(request: HttpRequest) -> HttpResponse:
    ok, report = health()
    response = HttpResponse(
        b"" if request.method == "HEAD" else json.dumps(report).encode(),
        status=200 if ok else 503,
        content_type="application/json",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    """Answers /healthz before the rest of the stack (host check, HTTPS redirect, session, language)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH:
            return healthz(request)
        return self.get_response(request)
