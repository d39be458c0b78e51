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
survey_app = typer.Typer(help="Survey rounds: open one, write its report.", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)


def register(groups: CommandGroups) -> None:
    """Put the `instruments` and `survey` groups on `capacity`."""
    groups.root.add_typer(instruments_app, name="instruments")
    groups.root.add_typer(survey_app, name="survey")


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


@survey_app.command("open")
def survey_open(
    instrument: Annotated[
        str, typer.Argument(help="The instrument's code (capacity instruments list).")
    ],
    org: Annotated[
        str, typer.Option("--org", help="The board number (like B66001) or school number.")
    ],
    closes: Annotated[
        str, typer.Option("--closes", help="The last day to answer, like 2027-01-31.")
    ],
    roles: Annotated[
        list[str] | None,
        typer.Option(
            "--roles", help="Roles invited (repeat the option); the instrument's own by default."
        ),
    ] = None,
    opens: Annotated[
        str | None,
        typer.Option("--opens", help="The first day (today by default).", show_default=False),
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option(
            "--subject", help="The leader the others rate (a username).", show_default=False
        ),
    ] = None,
    links: Annotated[
        int, typer.Option("--links", help="Single-use links to print, for people without accounts.")
    ] = 0,
) -> None:
    """Open a round and invite the organisation's people (they are told in the app and by email)."""
    import datetime

    try:
        closes_on = datetime.date.fromisoformat(closes)
        opens_on = datetime.date.fromisoformat(opens) if opens else None
    except ValueError:
        err.print("[red]Dates are written like 2027-01-31.[/]")
        raise typer.Exit(2) from None
    django_setup()
    migrate()
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.utils import timezone, translation

    translation.activate(settings.LANGUAGE_CODE)  # the command speaks the site's language

    from capacity.directory.models import Board, School, User
    from capacity.instruments import services
    from capacity.instruments.models import Instrument

    found = Instrument.objects.filter(code=instrument).first()
    if found is None:
        err.print(f"[red]No instrument {escape(instrument)!r}.[/] See: capacity instruments list")
        raise typer.Exit(2)
    board = Board.objects.filter(number=org.strip()).first()
    school = None if board else School.objects.filter(number=org.strip()).first()
    if board is None and school is None:
        err.print(f"[red]No board or school numbered {escape(org)!r}.[/]")
        raise typer.Exit(2)
    leader = None
    if subject:
        leader = User.objects.filter(username=subject, is_active=True).first()
        if leader is None:
            err.print(f"[red]No active person {escape(subject)!r}.[/]")
            raise typer.Exit(2)
    try:
        round_, tokens = services.round_open(
            user=None,
            actor_label="capacity survey open",
            instrument=found,
            board=board,
            school=school,
            roles=roles or None,
            opens_on=opens_on or timezone.localdate(),
            closes_on=closes_on,
            subject=leader,
            links=links,
        )
    except ValidationError as error:
        err.print("[red]The round was not opened:[/]")
        for field, messages in error.message_dict.items():
            for message in messages:
                err.print(f"  {escape(field)}: {escape(message)}")
        raise typer.Exit(1) from None
    err.print(f"Opened round {round_.pk}: {round_.invitations.count()} invited.")
    for token in tokens:
        typer.echo(f"/surveys/link/{token}/")


@survey_app.command("report")
def survey_report(
    round_id: Annotated[int, typer.Argument(help="The round's number (shown when it opened).")],
    format: Annotated[  # noqa: A002 - the option is --format
        str, typer.Option("--format", help="json, csv or pdf.")
    ] = "json",
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Write to this file (needed for pdf).", show_default=False),
    ] = None,
    language: Annotated[str, typer.Option("--language", help="en or fr.")] = "en",
) -> None:
    """Write a round's report: aggregates only, hidden figures empty with their reason."""
    if format not in ("json", "csv", "pdf"):
        err.print(f"[red]Unknown format {escape(format)!r}.[/] Use json, csv or pdf.")
        raise typer.Exit(2)
    if format == "pdf" and out_file is None:
        err.print("[red]A PDF is not written to the terminal:[/] give --out FILE.pdf.")
        raise typer.Exit(2)
    django_setup()
    migrate()
    from django.utils import translation

    from capacity.instruments import exports, selectors
    from capacity.instruments.models import Round
    from capacity.reports.csv import csv_text

    round_ = (
        Round.objects.filter(pk=round_id).select_related("instrument", "board", "school").first()
    )
    if round_ is None:
        err.print(f"[red]No round {round_id}.[/]")
        raise typer.Exit(2)
    with translation.override(language):
        report = selectors.round_report(round_)
        if format == "pdf":
            content = exports.as_pdf(round_, report, selectors.response_rate(round_))
        elif format == "json":
            data = exports.as_json(round_, report, selectors.response_rate(round_).invited)
            content = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()
        else:
            content = csv_text(exports.header(), exports.rows(report)).encode()
    if out_file is None:
        typer.echo(content.decode(), nl=False)
        return
    try:
        out_file.write_bytes(content)
    except OSError as exc:
        err.print(
            f"[red]Cannot write {escape(str(out_file))}:[/] {escape(exc.strerror or str(exc))}"
        )
        raise typer.Exit(1) from exc
    err.print(f"Wrote the report of round {round_.pk} to {escape(str(out_file))}.")
