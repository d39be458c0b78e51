"""The heartbeat, /healthz and the JSON logs with real processes: `capacity worker`, `capacity serve` (and gunicorn).

Slow: each test starts Capacity on a free loopback port against a database file of its
own (tests/processes.py) and waits for it, as tests/test_serve.py does.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.processes import ROOT, Instance, alive, children_of, wait_for
from tests.test_serve import free_port, worker_of

pytestmark = pytest.mark.slow

FAST_BEATS = {"CAPACITY_HEARTBEAT_SECONDS": "1", "CAPACITY_HEARTBEAT_STALE_SECONDS": "3"}


def get(
    port: int, path: str, timeout: float = 5, **headers: str
) -> tuple[int, dict[str, str], bytes] | None:
    """Status, headers and body, or None while nothing answers on the port."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read()
    except OSError:
        return None


def health(port: int) -> tuple[int, dict[str, Any]] | None:
    answer = get(port, "/healthz")
    return None if answer is None else (answer[0], json.loads(answer[2]))


@contextmanager
def serving(instance: Instance, *args: str, stderr: Any = None, **variables: str) -> Iterator[Any]:
    """`capacity serve --no-demo` on a free port until the block ends (then SIGTERM, as Ctrl+C)."""
    port = free_port()
    log = (instance.folder / f"serve-{port}.log").open("wb")
    serve = subprocess.Popen(  # noqa: S603
        instance.command("serve", "--no-demo", "--port", str(port), *args),
        env=instance.env | variables,
        cwd=ROOT,
        stdout=log,
        stderr=stderr or subprocess.STDOUT,
    )
    try:
        wait_for(lambda: health(port), 120, interval=0.2)
        yield serve, port
    finally:
        if serve.poll() is None:
            serve.send_signal(signal.SIGTERM)
            try:
                serve.wait(30)
            except subprocess.TimeoutExpired:
                serve.kill()
                serve.wait()


def test_the_worker_beats_and_health_follows_it_when_it_hangs_and_recovers(instance) -> None:
    with serving(instance, **FAST_BEATS) as (serve, port):
        status, report = wait_for(lambda: (h := health(port)) and h[0] == 200 and h, 60)
        assert report["worker"]["status"] == "ok" and report["worker"]["alive"] == 1
        worker = worker_of(serve)
        os.kill(worker, signal.SIGSTOP)  # hung as a whole: its heartbeat thread stops too
        try:
            status, report = wait_for(lambda: (h := health(port)) and h[0] == 503 and h, 30)
            assert report["failing"] == ["worker"]
            assert report["worker"]["status"] == "stale"
            assert report["worker"]["seconds_since_last_beat"] >= 3
        finally:
            os.kill(worker, signal.SIGCONT)
        status, report = wait_for(lambda: (h := health(port)) and h[0] == 200 and h, 30)
        assert report["worker"]["status"] == "ok"
        # The rows show one worker beating, the process serve started.
        rows = instance.query("SELECT pid FROM operations_workerbeat")
        assert rows == [(worker,)]


def test_serve_without_its_worker_passes_saying_no_worker_is_expected(instance) -> None:
    with serving(instance, "--no-background") as (serve, port):
        status, report = wait_for(lambda: health(port), 60)
        assert status == 200
        assert report["worker"]["status"] == "not expected"
        assert not [pid for pid in children_of(serve.pid) if alive(pid)]


def test_a_worker_elsewhere_is_still_expected_when_the_variable_says_so(instance) -> None:
    with serving(instance, "--no-background", CAPACITY_EXPECT_WORKER="true") as (_serve, port):
        status, report = wait_for(lambda: health(port), 60)
        assert (status, report["worker"]["status"]) == (503, "missing")


def test_capacity_worker_records_a_beat_at_start_and_every_interval(instance) -> None:
    instance.env |= FAST_BEATS
    worker = instance.start("worker")
    try:
        beats = "SELECT pid, beat_at FROM operations_workerbeat"
        (pid, first), *others = wait_for(lambda: instance.query(beats), 60, interval=0.1)
        assert pid == worker.pid and not others
        wait_for(lambda: instance.query(beats)[0][1] > first, 10, interval=0.1)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)


def test_gunicorn_and_django_write_json_lines_carrying_the_request_id(instance) -> None:
    errors = (instance.folder / "stderr.log").open("wb")
    with serving(
        instance, "--workers", "2", stderr=errors, CAPACITY_LOG_FORMAT="json", **FAST_BEATS
    ) as (serve, port):
        # A generous timeout: a gunicorn worker's first page loads the templates, on a busy machine.
        chosen = get(port, "/accounts/login/", 120, **{"X-Request-ID": "probe-123"})
        made = get(port, "/no-such-page/?q=Jane", 120)
        unsafe = get(port, "/accounts/login/", 120, **{"X-Request-ID": "bad id <script>"})
    assert serve.returncode == 0
    assert chosen and made and unsafe
    assert chosen[1]["X-Request-ID"] == "probe-123"
    made_id, unsafe_id = made[1]["X-Request-ID"], unsafe[1]["X-Request-ID"]
    assert len(made_id) == len(unsafe_id) == 36 and made_id != unsafe_id

    lines = (instance.folder / "stderr.log").read_text().splitlines()
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    loggers = {entry["logger"] for entry in entries}
    assert {"gunicorn.error", "capacity.request", "django.request"} <= loggers
    assert not any(entry["logger"] == "gunicorn.access" for entry in entries)
    by_id: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_id.setdefault(entry["request_id"], []).append(entry)
    (login,) = by_id["probe-123"]
    assert (login["logger"], login["status"], login["path"]) == (
        "capacity.request",
        200,
        "/accounts/login/",
    )
    assert {e["logger"] for e in by_id[made_id]} == {"django.request", "capacity.request"}
    assert [e["status"] for e in by_id[made_id] if e["logger"] == "capacity.request"] == [404]
    assert all("Jane" not in json.dumps(entry) for entry in entries)
    assert by_id[unsafe_id][0]["status"] == 200
