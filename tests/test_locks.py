"""The lock files carry every dependency pyproject.toml names: `make run` installs
requirements.lock alone, so a runtime dependency missing there breaks a fresh machine even
when the tests (which add the dev lock) pass."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~;\s]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _locked(path: Path) -> set[str]:
    return {
        _name(line)
        for line in path.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }


def test_every_runtime_dependency_is_in_the_runtime_lock() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    missing = {_name(r) for r in project["dependencies"]} - _locked(ROOT / "requirements.lock")
    assert not missing, f"run `make lock` or add to requirements.lock: {sorted(missing)}"


def test_every_dev_dependency_is_in_the_dev_lock() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {
        _name(r) for r in project["optional-dependencies"]["dev"] if not r.startswith("capacity")
    }
    missing = wanted - _locked(ROOT / "requirements-dev.lock")
    assert not missing, f"run `make lock` or add to requirements-dev.lock: {sorted(missing)}"
