"""What every app's commands share: Django set-up, migrations, consoles and import reports.

capacity/cli.py builds the `capacity` command and calls each app's
`register(groups)` (capacity/<app>/cli.py) the same way; the apps' commands
import their helpers from here, never back from capacity/cli.py, so the
command line has no import cycle. Django is imported only inside functions,
so `capacity --help` stays fast.
"""

from __future__ import annotations

import atexit
import gc
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from capacity.imports.report import ImportReport

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@dataclass(frozen=True)
class CommandGroups:
    """Where an app puts its commands: on `capacity` itself, or under `capacity import`."""

    root: typer.Typer
    imports: typer.Typer


def django_setup() -> None:
    """Set Django up with Capacity's settings (every command calls this before touching models).

    Then the objects made so far (modules, classes, Django's registries: a few
    hundred thousand, alive until the command ends) are set aside from the
    garbage collector (`gc.freeze`), and at exit the collector is not run over the
    whole heap again. A command that reads a national file makes hundreds of
    thousands of objects more, and each full collection walked the set-up's
    objects too: measured, about a second of a six-million-row
    `capacity identify --results` went to collections at run time and at exit.
    Nothing long-lived is lost: memory goes back to the system when the process
    ends, and objects with a finalizer that are not in a cycle are still
    finalized when their modules are cleared.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capacity.settings")
    import django

    django.setup()
    _freeze()


def settings_setup() -> None:
    """Capacity's settings without Django's apps, for a command that reads files and no model.

    `capacity identify --results` needs the settings (the school-number scheme, import
    limits) and the wording of its messages, not the app registry: setting the apps up
    imports every model and Django's HTTP and URL machinery, about 0.4 s of a run that
    is measured as a whole process (issue 14). Messages are worded in the English the
    code is written in, as with the registry when the site's language is English (there
    is no English catalogue: the msgids are the words), by turning translation off;
    a site in another language gets the full set-up, so its messages are translated.
    A command that already has the registry (tests run commands in one process) keeps it.
    Importing a model after this fails loudly (AppRegistryNotReady): tests run the
    command in a fresh process to keep it so.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capacity.settings")
    from django.apps import apps
    from django.conf import settings

    if apps.ready or settings.LANGUAGE_CODE.split("-")[0] != "en":
        django_setup()
        return
    settings.USE_I18N = False
    _freeze()


def _freeze() -> None:
    global _FROZEN
    if not _FROZEN:  # once per process (the tests call commands many times in one)
        _FROZEN = True
        gc.freeze()
        atexit.register(gc.freeze)


_FROZEN = False


def migrate(quiet: bool = True) -> None:
    """Apply any pending migrations, so a command works on a fresh database."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0 if quiet else 1)


DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Check the file and count changes; write nothing.")
]
Problems = Annotated[Path | None, typer.Option(help="Write every problem to this CSV file.")]


def print_report(report: ImportReport) -> None:
    """An import's notes, then its problems (nothing imported) or what it created and updated."""
    for note in report.notes:
        console.print(f"[dim]note:[/] {note}")
    if report.problems:
        table = Table(
            "row",
            "column",
            "problem",
            title=f"{len(report.problems)} problem(s) in {report.source}",
        )
        for problem in report.problems[:200]:
            table.add_row(
                "" if problem.row is None else str(problem.row), problem.column, problem.reason
            )
        err.print(table)
        if len(report.problems) > 200:
            err.print(
                f"... and {len(report.problems) - 200} more (use --problems FILE to get them all)."
            )
        err.print("[red]Nothing was imported.[/] Fix the file and run the import again.")
        return
    verb = "Would import" if not report.applied else "Imported"
    console.print(
        f"[green]{verb}[/] {report.rows} rows from {report.source}: {report.created} created, "
        f"{report.updated} updated, {report.unchanged} unchanged, {report.skipped} skipped."
    )


def finish(report: ImportReport, problems: Path | None) -> None:
    """Print the report, write its problems to `problems` if asked, and exit 1 when there were any."""
    print_report(report)
    if problems is not None and report.problems:
        problems.write_text(report.problems_csv(), encoding="utf-8")
        err.print(f"Problems written to {problems}")
    if report.problems:
        raise typer.Exit(1)
