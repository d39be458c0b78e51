"""`capacity serve` supervises its background worker: restarts it, and stops it when serve stops.

Real processes: serve runs on a free loopback port against a database file of
the test's own; the tests kill things and watch /proc.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import urllib.request

import pytest

from tests.processes import Instance, alive, children_of, wait_for

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/accounts/login/", timeout=2
        ) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def worker_of(serve: subprocess.Popen[bytes]) -> int:
    def find() -> int | None:
        for pid in children_of(serve.pid):
            try:
                if b"worker" in open(f"/proc/{pid}/cmdline", "rb").read():  # noqa: SIM115
                    return pid
            except OSError:
                continue
        return None

    return wait_for(find, 60)


@pytest.fixture
def serving(instance: Instance):
    port = free_port()
    serve = instance.start("serve", "--no-demo", "--port", str(port))
    try:
        wait_for(lambda: answers(port), 90, interval=0.2)
        yield serve, port
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_stopping_serve_stops_its_worker(serving, how) -> None:
    serve, port = serving
    worker = worker_of(serve)
    serve.send_signal(how)
    assert serve.wait(30) == 0
    wait_for(lambda: not alive(worker), 15)
    assert not answers(port)


def test_serve_starts_the_worker_again_when_it_dies(serving, instance) -> None:
    serve, port = serving
    first = worker_of(serve)
    os.kill(first, signal.SIGKILL)
    second = wait_for(
        lambda: next((pid for pid in children_of(serve.pid) if pid != first), None), 30
    )
    assert alive(second) and answers(port)
    assert "The background worker stopped (exit code -9); starting it again" in instance.logs()


def test_a_worker_whose_serve_was_killed_outright_stops_too(serving) -> None:
    serve, _port = serving
    worker = worker_of(serve)
    serve.kill()  # SIGKILL: serve runs no clean-up at all
    serve.wait()
    wait_for(lambda: not alive(worker), 15)
