"""capacity/processes.py with real child processes: who counts as alive, orphans that end, the supervisor.

`capacity serve` end to end (tests/test_serve.py, slow) relies on these pieces; here
each is checked alone, with short Python children, in a few seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from capacity.processes import PARENT_PID, Supervised, child_environment, process_alive
from tests.processes import wait_for

PYTHON = sys.executable


def test_this_process_is_alive_and_impossible_ids_are_not() -> None:
    assert process_alive(os.getpid())
    assert not process_alive(0) and not process_alive(-5)


def test_a_child_that_exited_is_gone_before_and_after_it_is_reaped() -> None:
    child = subprocess.Popen([PYTHON, "-c", "pass"])  # noqa: S603
    # Not yet waited for: a zombie, which runs nothing.
    wait_for(lambda: not process_alive(child.pid), timeout=10)
    child.wait()
    assert not process_alive(child.pid)


def test_children_are_told_who_their_parent_is() -> None:
    environment = child_environment()
    assert environment[PARENT_PID] == str(os.getpid())
    assert environment["PATH"] == os.environ["PATH"]


def run_child(code: str, **variables: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != PARENT_PID} | variables
    return subprocess.run(  # noqa: S603
        [PYTHON, "-c", code], env=environment, capture_output=True, text=True, timeout=30
    )


WATCH = "from capacity.processes import exit_when_parent_dies as e; e(interval=0.05); print('ran')"


def test_a_process_started_by_hand_is_not_watched() -> None:
    assert run_child(WATCH).stdout == "ran\n"
    assert run_child(WATCH, CAPACITY_PARENT_PID="not-a-pid").stdout == "ran\n"


def test_a_child_whose_parent_is_already_gone_exits_with_code_3() -> None:
    # Its parent is this test's Python, not the process named: as if that one had died
    # and the child had been handed to another.
    result = run_child(WATCH, CAPACITY_PARENT_PID="1")
    assert (result.returncode, result.stdout) == (3, "")


def test_a_child_ends_soon_after_its_parent_is_killed() -> None:
    parent_code = (
        "import subprocess, sys, time\n"
        "from capacity.processes import child_environment\n"
        "child = subprocess.Popen([sys.executable, '-c', "
        "'from capacity.processes import exit_when_parent_dies as e; e(interval=0.05); "
        "import time; time.sleep(60)'], env=child_environment())\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([PYTHON, "-c", parent_code], stdout=subprocess.PIPE, text=True)  # noqa: S603
    try:
        assert parent.stdout is not None
        child_pid = int(parent.stdout.readline())
        time.sleep(0.5)  # the child is watching
        assert process_alive(child_pid)
        parent.send_signal(signal.SIGKILL)  # no clean-up code runs in the parent
        parent.wait()
        wait_for(lambda: not process_alive(child_pid), timeout=5)
    finally:
        parent.kill()
        parent.wait()


def test_the_supervisor_starts_a_stopped_child_again_and_says_why() -> None:
    said: list[str] = []
    supervised = Supervised([PYTHON, "-c", "raise SystemExit(4)"], name="worker", say=said.append)
    supervised.start()
    try:
        wait_for(lambda: supervised.starts >= 2, timeout=15)  # the first restart waits 1 s
    finally:
        supervised.stop()
    assert said[0] == "The worker stopped (exit code 4); starting it again in 1 s."
    starts = supervised.starts
    time.sleep(1.2)
    assert supervised.starts == starts  # stopped: never started again


def test_stopping_kills_a_child_that_ignores_sigterm_after_the_grace_period(tmp_path) -> None:
    ready = tmp_path / "ready"
    stubborn = (
        "import pathlib, signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "pathlib.Path(sys.argv[1]).touch(); time.sleep(60)"
    )
    supervised = Supervised(
        [PYTHON, "-c", stubborn, str(ready)], name="worker", say=lambda _m: None, grace=0.3
    )
    supervised.start()
    wait_for(ready.exists, timeout=10)  # SIGTERM is ignored from here on
    process = supervised.process
    assert process is not None
    started = time.monotonic()
    supervised.stop()
    assert process.returncode == -signal.SIGKILL
    assert 0.3 <= time.monotonic() - started < 5
