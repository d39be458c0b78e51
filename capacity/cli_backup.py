"""`capacity backup FILE` and `capacity restore FILE`: the whole database and the stored files.

capacity/cli.py calls `register(groups)` as it does for every app; the work is
done in capacity/backup.py, and docs/operations.md is the operator's guide.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from capacity.cli_common import CommandGroups, console, django_setup, err, migrate


def register(groups: CommandGroups) -> None:
    """Put `backup` and `restore` on `capacity`."""
    groups.root.command("backup")(backup)
    groups.root.command("restore")(restore)


def _files(count: int) -> str:
    return f"{count:,} stored file{'' if count == 1 else 's'}"


def _progress() -> tuple[Progress, Callable[[str, int, int], None]]:
    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def report(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = bars.add_task(step, total=total)
        bars.update(tasks[step], completed=done, total=total)

    return bars, report


def backup(
    file: Annotated[
        Path,
        typer.Argument(
            help="The file to write: .tar, or .tar.gz / .tar.xz to compress it.",
            dir_okay=False,
        ),
    ],
    overwrite: Annotated[bool, typer.Option(help="Replace FILE if it exists.")] = False,
) -> None:
    """Back up the whole database and every stored file (uploads, documentation) into FILE.

    Safe while Capacity serves: SQLite's online backup or pg_dump, one consistent
    moment. FILE appears only once it is whole.
    """
    django_setup()
    from capacity.backup import BackupError, make_backup, record_backup, size_text

    started = time.perf_counter()
    bars, report = _progress()
    try:
        with bars:
            manifest = make_backup(file, overwrite=overwrite, progress=report)
    except BackupError as exc:
        err.print(f"[red]No backup was written.[/] {exc}")
        raise typer.Exit(1) from exc
    seconds = time.perf_counter() - started
    console.print(
        f"[green]Backed up[/] to {file} ({size_text(file.stat().st_size)}) in {seconds:.1f} s: "
        f"{len(manifest.tables)} tables with {manifest.rows:,} rows "
        f"({'SQLite' if manifest.vendor == 'sqlite' else 'PostgreSQL'} {manifest.server_version}), "
        f"{_files(len(manifest.files))} ({size_text(manifest.files_size)})."
    )
    if manifest.missing_files:
        err.print(
            f"[yellow]{len(manifest.missing_files)} file(s) the database names are not in the "
            f"stored files' folder, so the backup cannot hold them[/] (first: "
            f"{manifest.missing_files[0]}); they are listed under missing_files in its manifest."
        )
    if not record_backup(file, manifest):
        err.print("[yellow]The audit log could not take an entry for this backup.[/]")


def restore(
    file: Annotated[Path, typer.Argument(help="A file `capacity backup` wrote.", dir_okay=False)],
    force: Annotated[
        bool,
        typer.Option(
            help="Replace what the configured database and stored files' folder hold "
            "(the files are moved aside, not deleted)."
        ),
    ] = False,
) -> None:
    """Restore a backup into the configured database (which must be empty) and stored files' folder.

    Everything is checked first (the manifest, the database vendor, the
    migrations, every checksum); a damaged or foreign file changes nothing.
    Stop `capacity serve` while restoring.
    """
    django_setup()
    from capacity.backup import BackupError, record_restore, restore_backup

    bars, report = _progress()
    try:
        with bars:
            result = restore_backup(
                file,
                force=force,
                say=lambda message: err.print(f"[yellow]{message}[/]"),
                progress=report,
            )
    except BackupError as exc:
        err.print(f"[red]Not restored.[/] {exc}")
        raise typer.Exit(1) from exc
    manifest = result.manifest
    console.print(
        f"[green]Restored[/] the backup made {manifest.created_at} by Capacity "
        f"{manifest.capacity_version} in {result.seconds:.1f} s: every checksum matched, and "
        f"all {len(manifest.tables)} tables hold the rows the backup lists ({manifest.rows:,}); "
        f"{_files(len(manifest.files))} put back."
    )
    if result.files_moved_aside is not None:
        console.print(f"The stored files that were there are in {result.files_moved_aside}.")
    if result.pending_migrations:
        console.print(f"Applying {result.pending_migrations} migration(s) the backup predates.")
    migrate()
    if not record_restore(file, result):
        err.print("[yellow]The audit log could not take an entry for this restore.[/]")
