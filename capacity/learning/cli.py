"""The learning part of the `capacity` command: `capacity learning load`.

capacity/cli.py calls `register(groups)` as it does for every app. Django is imported only
inside the commands, so `capacity --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from capacity.cli_common import CommandGroups, django_setup, migrate

learning_app = typer.Typer(
    help="The learning library: load modules and case studies, rebuild the search index.",
    no_args_is_help=True,
)
err = Console(stderr=True, soft_wrap=True)


def register(groups: CommandGroups) -> None:
    """Put the `learning` group on `capacity`."""
    groups.root.add_typer(learning_app, name="learning")


@learning_app.command("load")
def load(
    folder: Annotated[
        Path | None,
        typer.Argument(
            help="A folder with modules/ and cases/ of Markdown files (docs/learning.md).",
            show_default=False,
        ),
    ] = None,
    starter: Annotated[
        bool, typer.Option("--starter", help="Load the starter content shipped with Capacity.")
    ] = False,
) -> None:
    """Check every file and store the modules and case studies: all of them, or none.

    A new item is published as version 1; changed words make a new version (earlier ones
    stay readable); loading the same files again changes nothing.
    """
    if (folder is None) == (not starter):
        err.print("[red]Name a folder, or --starter for the content shipped with Capacity.[/]")
        raise typer.Exit(2)
    django_setup()
    migrate()
    from capacity.learning import content, services

    root = content.SHIPPED if starter else Path(folder or ".")
    if not (root / "modules").is_dir() and not (root / "cases").is_dir():
        err.print(f"[red]{escape(str(root))} has neither a modules/ nor a cases/ folder.[/]")
        raise typer.Exit(1)
    try:
        report = services.content_load(root=root, actor_label="capacity learning load")
    except content.ContentError as error:
        err.print(f"[red]Refused {escape(str(root))}: nothing was loaded.[/]")
        for problem in error.problems:
            err.print(f"  {escape(str(problem))}")
        raise typer.Exit(1) from None
    err.print(
        f"{len(report.created)} new, {len(report.updated)} updated (a new version each), "
        f"{len(report.unchanged)} unchanged."
    )
    for label, slugs in (("new", report.created), ("updated", report.updated)):
        for slug in slugs:
            err.print(f"  {label}: {escape(slug)}")


@learning_app.command("reindex")
def reindex() -> None:
    """Rebuild the library's search index from the published versions (after a restore).

    Loading content and publishing a case study index as they go; this is for a database
    restored from a dump or copied in, whose index may be missing or behind.
    """
    django_setup()
    migrate()
    from capacity.learning import search

    count = search.rebuild()
    err.print(f"Indexed {count} published items.")
