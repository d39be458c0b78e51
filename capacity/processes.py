"""Child processes that never outlive their parent, and a supervisor that restarts one.

`capacity serve` runs the background worker as a child and restarts it when it
dies; the worker runs each uploaded file's import as a child of its own. Every
such child is told its parent's process id (CAPACITY_PARENT_PID) and calls
`exit_when_parent_dies`, so killing the parent, even with SIGKILL, which runs no
clean-up code, still ends its children within a second. Polling the parent id is
portable (Linux's PR_SET_PDEATHSIG is not) and costs nothing noticeable.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence

PARENT_PID = "CAPACITY_PARENT_PID"


def exit_when_parent_dies(*, interval: float = 1.0) -> None:
    """End this process (exit code 3) as soon as the parent named in CAPACITY_PARENT_PID is gone.

    A child whose parent died is re-parented, so `os.getppid()` changes. Does
    nothing when the variable is not set (the process was started by hand).
    """
    expected = os.environ.get(PARENT_PID)
    if not expected or not expected.isdigit():
        return
    parent = int(expected)
    if os.getppid() != parent:  # the parent died before we got here
        os._exit(3)

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                # No clean-up on purpose: an open import transaction is rolled back by
                # the database, and the import is recovered as a stale claim.
                os._exit(3)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def child_environment() -> dict[str, str]:
    """This process's environment plus CAPACITY_PARENT_PID naming this process."""
    return os.environ | {PARENT_PID: str(os.getpid())}


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine (zombies count as gone)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists but belongs to someone else
        return True
    try:  # a zombie has exited and waits to be reaped: it runs nothing
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:  # no /proc (macOS): trust kill()
        return True


class Supervised:
    """Run a command as a child, start it again whenever it stops, stop it on request.

    Restarts wait 1 s, then twice as long after each quick failure (at most 30 s),
    so a worker that cannot start (a broken database URL) does not spin.
    """

    def __init__(
        self,
        command: Sequence[str],
        *,
        name: str,
        say: Callable[[str], None] = lambda message: print(message, file=sys.stderr),  # noqa: T201
        grace: float = 10.0,
    ) -> None:
        self.command = list(command)
        self.name = name
        self.say = say
        self.grace = grace
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=f"supervise-{name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _spawn(self) -> subprocess.Popen[bytes]:
        # Its own process group: Ctrl+C in the terminal reaches only `capacity serve`,
        # which then stops the child in order (SIGTERM, then SIGKILL after the grace period).
        return subprocess.Popen(self.command, env=child_environment(), start_new_session=True)  # noqa: S603

    def _run(self) -> None:
        delay = 1.0
        while not self._stopping.is_set():
            with self._lock:
                if self._stopping.is_set():
                    return
                self.process = self._spawn()
                self.starts += 1
            started = time.monotonic()
            code = self.process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started > 60:
                delay = 1.0
            self.say(
                f"The {self.name} stopped (exit code {code}); starting it again in {delay:.0f} s."
            )
            if self._stopping.wait(delay):
                return
            delay = min(delay * 2, 30.0)

    def stop(self) -> None:
        """Stop the child and do not start it again: SIGTERM, then SIGKILL after the grace period."""
        with self._lock:
            self._stopping.set()
            process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(self.grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
