"""The instruments part of the `capacity` command: `capacity instruments list` and `load`.

capacity/cli.py calls `register(groups)` as it does for every app. Django is imported only
inside the commands, so `capacity --help` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from capacity.cli_common import CommandGroups, django_setup, migrate

instruments_app = typer.Typer(
    help="Self-assessment instruments: list them, load a definition.", no_args_is_help=True
)
err = Console(stderr=True, soft_wrap=True)


def register(groups: CommandGroups) -> None:
    """Put the `instruments` group on `capacity`."""
    groups.root.add_typer(instruments_app, name="instruments")


@instruments_app.command("list")
def list_instruments(
    format: Annotated[  # noqa: A002 - the option is --format
        str, typer.Option("--format", help="text (a table) or json.")
    ] = "text",
) -> None:
    """Each instrument with its dimensions, item counts, reverse-scored items and scale."""
    if format not in ("text", "json"):
        err.print(f"[red]Unknown format {escape(format)!r}.[/] Use text or json.")
        raise typer.Exit(2)
    django_setup()
    migrate()
    from capacity.instruments.selectors import instrument_summaries

    rows = instrument_summaries()
    if format == "json":
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    # Plain columns, never wrapped: the list is read by people and by scripts alike.
    header = ("code", "version", "kind", "dimensions", "items", "reverse-scored", "scale")
    lines = [header]
    for row in rows:
        scale = row["scale"]
        lines.append(
            (
                row["code"],
                str(row["version"]),
                row["kind"],
                str(len(row["dimensions"])),
                str(row["items"]),
                str(row["reverse_scored"]),
                f"{scale['kind']} {scale['min']}-{scale['max']}" if scale else "-",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        typer.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        )


@instruments_app.command("load")
def load(
    file: Annotated[Path, typer.Argument(help="A definition file (YAML, docs/instruments.md).")],
) -> None:
    """Check a definition and store it: a new instrument, another wording, or a new version.

    Nothing is stored from a refused file; loading the same file again changes nothing.
    """
    django_setup()
    migrate()
    from capacity.instruments import services
    from capacity.instruments.definition import DefinitionError

    try:
        loaded = services.instrument_load(
            text=services.read_file(file),
            file_name=file.name,
            actor_label="capacity instruments load",
        )
    except DefinitionError as error:
        err.print(f"[red]Refused {escape(file.name)}: nothing was loaded.[/]")
        for problem in error.problems:
            err.print(f"  {escape(str(problem))}")
        raise typer.Exit(1) from None
    definition = loaded.definition
    said = {
        services.CREATED: "loaded (new)",
        services.UNCHANGED: "unchanged (already loaded)",
        services.WORDING: "loaded: its wording replaces the previous one",
        services.VERSION: "loaded: a new version",
    }[loaded.outcome]
    err.print(
        f"{escape(definition.code)} v{definition.version}: {said}; "
        f"{len(definition.dimensions)} dimensions, {len(definition.items)} items, "
        f"{definition.reverse_count} reverse-scored."
    )
