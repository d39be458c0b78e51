"""Running the real `capacity` command in child processes, against a database file of the test's own.

Tests that kill workers and servers cannot use pytest-django's database (the
children could not see it), so `instance` gives each test a migrated SQLite
file (migrated once per session, then copied) and helpers to run commands,
run Python with Django set up, and read the database. tests/conftest.py loads
this module as a plugin, so the fixtures are there for every test.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")


def wait_for(condition: Callable[[], T], timeout: float, interval: float = 0.02) -> T:
    """Poll `condition` until it returns something true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout} s")
        time.sleep(interval)


def children_of(pid: int) -> list[int]:
    """Process ids of the live children of `pid` (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    """Whether the process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@dataclass
class Instance:
    folder: Path
    env: dict[str, str]

    @property
    def database(self) -> Path:
        return self.folder / "capacity.sqlite3"

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "capacity.cli", *args]

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{args[0]}-{time.monotonic_ns()}.log").open("wb")
        return subprocess.Popen(
            self.command(*args), env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )  # noqa: S603

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,  # noqa: S603
            timeout=timeout,
            check=False,
        )

    def python(self, code: str) -> str:
        """Run Python with Django set up against this instance; returns what it printed."""
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", "import django\ndjango.setup()\n" + code],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.database) as db:
            return db.execute(sql, params).fetchall()

    def logs(self) -> str:
        return "\n".join(
            path.read_text(errors="replace") for path in sorted(self.folder.glob("*.log"))
        )


def _environment(folder: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name != "CAPACITY_PARENT_PID"}
    return env | {
        "CAPACITY_ENV": "local",
        "CAPACITY_VAR_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'capacity.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "capacity.settings",
        "CAPACITY_IMPORT_IN_CHILD_PROCESS": "1",
        "PYTHONPATH": str(ROOT),
    }


@pytest.fixture(scope="session")
def migrated_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import need

    need(Path("/proc/self/task").exists(), "these tests read child processes from Linux's /proc")
    folder = tmp_path_factory.mktemp("migrated")
    Instance(folder, _environment(folder)).python(
        "from django.core.management import call_command\ncall_command('migrate', verbosity=0)"
    )
    return folder


@pytest.fixture
def instance(migrated_folder: Path, tmp_path: Path) -> Instance:
    """A migrated, empty Capacity of the test's own, with its own var/ folder."""
    shutil.copy(migrated_folder / "capacity.sqlite3", tmp_path / "capacity.sqlite3")
    shutil.copy(migrated_folder / "secret_key", tmp_path / "secret_key")
    return Instance(tmp_path, _environment(tmp_path))
