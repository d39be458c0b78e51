"""How the `capacity` command is put together: every app registers its commands the same way, with no cycle.

capacity/cli.py imports each app's cli.py and calls its `register(groups)`;
the apps take their helpers from capacity/cli_common.py and never import
capacity/cli.py back.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
import typer

import capacity
from capacity.cli import app
from capacity.cli_common import CommandGroups

PACKAGE = Path(capacity.__file__).parent
APP_CLIS = (
    "capacity.directory.cli",
    "capacity.evidence.cli",
    "capacity.planning.cli",
    "capacity.notifications.cli",
    "capacity.instruments.cli",
    "capacity.learning.cli",
    "capacity.cli_backup",
)


def _imported_modules(path: Path) -> set[str]:
    """Every module a source file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_no_module_imports_the_main_command_back() -> None:
    importers = [
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if path != PACKAGE / "cli.py" and "capacity.cli" in _imported_modules(path)
    ]
    assert importers == []


@pytest.mark.parametrize("module_name", APP_CLIS)
def test_each_app_registers_its_commands_through_one_register_function(module_name: str) -> None:
    module = __import__(module_name, fromlist=["register"])
    parameters = list(inspect.signature(module.register).parameters.values())
    assert [p.name for p in parameters] == ["groups"]
    # Registering on fresh groups adds commands there and nothing anywhere else.
    groups = CommandGroups(root=typer.Typer(), imports=typer.Typer())
    module.register(groups)
    added = (
        len(groups.root.registered_commands)
        + len(groups.root.registered_groups)
        + len(groups.imports.registered_commands)
    )
    assert added > 0


def test_the_command_offers_every_command_and_group() -> None:
    commands = {
        info.name or info.callback.__name__ for info in app.registered_commands if info.callback
    }
    groups = {info.name for info in app.registered_groups}
    assert commands == {
        "serve",
        "demo",
        "check",
        "worker",
        "createuser",
        "identify",
        "remind",
        "backup",
        "restore",
    }
    assert groups == {"import", "token", "plans", "instruments", "survey", "learning"}
    import_app = next(
        info.typer_instance for info in app.registered_groups if info.name == "import"
    )
    assert {info.name for info in import_app.registered_commands} == {
        "schools",
        "oneroster",
        "people",
        "orgs",
        "results",
        "student-results",
    }
