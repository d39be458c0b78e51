"""`capacity import results`: assessment results from Ontario's school table or the long format.

Registered by capacity/evidence/cli.py. Django is imported inside the command,
so `capacity --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from capacity.cli_common import django_setup, finish, migrate


def import_results(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Results files (xlsx, csv or parquet): Ontario's school information table or the long format "
            "(see docs/data-formats.md). Give the school year as YEAR=PATH when a file does not say it, "
            "like 2018-19=results.csv.",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the files and count changes; write nothing.")
    ] = False,
    problems: Annotated[
        Path | None, typer.Option(help="Write every problem to this CSV file.")
    ] = None,
) -> None:
    """Assessment results (EQAO percentages at the provincial standard), all files or none."""
    django_setup()
    migrate()
    from capacity.evidence.importers.results import import_results as run
    from capacity.evidence.readers import parse_source

    # An import reads local files only (an address like hdfs:// is for `identify --engine spark`):
    # as a path, it is reported as a file that is not there.
    sources = [(year, Path(path)) for year, path in (parse_source(text) for text in paths)]
    # The bar goes to standard error, so standard output holds only the summary.
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("Reading and importing rows", total=None)

        def report(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        result = run(
            sources, actor_label="capacity import results", dry_run=dry_run, progress=report
        )
    finish(result, problems)
