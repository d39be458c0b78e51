"""The planning part of the `capacity` command: `capacity plans export`.

capacity/cli.py calls `register(groups)` as it does for every app. Django is imported only
inside the command, so `capacity --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from capacity.cli_common import CommandGroups, django_setup, migrate

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from capacity.planning.models import Plan

FORMATS = ("json", "csv", "pdf")

plans_app = typer.Typer(
    help="Improvement plans: export them as JSON, CSV or PDF.", no_args_is_help=True
)
err = Console(stderr=True, soft_wrap=True)


def register(groups: CommandGroups) -> None:
    """Put the `plans` group on `capacity`."""
    groups.root.add_typer(plans_app, name="plans")


@plans_app.command("export")
def export(
    format: Annotated[
        str,
        typer.Option(  # noqa: A002 - the option is --format
            "--format",
            help="json (each plan with everything in it), csv (one row per target) or pdf (the printable "
            "plans; needs --out).",
        ),
    ] = "json",
    school: Annotated[
        str | None,
        typer.Option(
            "--school", help="Only this school's plans (its school number).", show_default=False
        ),
    ] = None,
    board: Annotated[
        str | None,
        typer.Option(
            "--board",
            help="Only this board's plans: its own and its schools' (its board number, like B66001).",
            show_default=False,
        ),
    ] = None,
    year: Annotated[
        str | None,
        typer.Option(
            "--year", help="Only plans for this school year, like 2018-19.", show_default=False
        ),
    ] = None,
    language: Annotated[
        str, typer.Option("--language", help="The language of the PDF: en or fr.")
    ] = "en",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write to this file. Without it JSON and CSV go to standard output.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Export improvement plans (every plan in the province unless --school or --board says otherwise)."""
    if format not in FORMATS:
        err.print(f"[red]Unknown format {escape(format)!r}.[/] Use one of: {', '.join(FORMATS)}.")
        raise typer.Exit(2)
    if school is not None and board is not None:
        err.print("[red]Give --school or --board, not both.[/]")
        raise typer.Exit(2)
    if format == "pdf" and out is None:
        err.print("[red]A PDF is not written to the terminal:[/] give --out FILE.pdf.")
        raise typer.Exit(2)
    django_setup()
    from django.conf import settings
    from django.core.exceptions import ValidationError

    from capacity.directory.models import validate_school_year

    languages = [code for code, _ in settings.LANGUAGES]
    if language not in languages:
        err.print(
            f"[red]Unknown language {escape(language)!r}.[/] Use one of: {', '.join(languages)}."
        )
        raise typer.Exit(2)
    if year is not None:
        try:
            validate_school_year(year)
        except ValidationError as exc:
            err.print(f"[red]{escape(year)!r} is not a school year:[/] write it like 2018-19.")
            raise typer.Exit(2) from exc
    migrate()
    plans = _plans(school=school, board=board, year=year)
    count = plans.count()
    if not count:
        err.print("No improvement plans match: the export is empty.")
    from capacity.planning import exports

    if format == "pdf":
        content = exports.plans_pdf(plans, language)
    else:
        text = exports.plans_json(plans) + "\n" if format == "json" else exports.plans_csv(plans)
        if out is None:
            typer.echo(text, nl=False)
            return
        content = text.encode("utf-8")
    assert out is not None
    try:
        out.write_bytes(content)
    except OSError as exc:
        err.print(f"[red]Cannot write {escape(str(out))}:[/] {escape(exc.strerror or str(exc))}")
        raise typer.Exit(1) from exc
    err.print(f"Wrote {count} plan(s) to {escape(str(out))}.")


def _plans(*, school: str | None, board: str | None, year: str | None) -> QuerySet[Plan]:
    """The plans asked for, in a steady order: by year, board, then the board's plan before its schools'."""
    from django.db.models import F

    from capacity.directory.models import Board, School
    from capacity.planning.models import Plan

    plans = Plan.objects.all()
    if school is not None:
        found = School.objects.filter(number=school.strip()).first()
        if found is None:
            err.print(f"[red]No school with the number {escape(school)!r}.[/]")
            raise typer.Exit(1)
        plans = plans.filter(school=found)
    if board is not None:
        chosen = Board.objects.filter(number=board.strip().upper()).first()
        if chosen is None:
            err.print(f"[red]No board with the number {escape(board)!r}.[/]")
            raise typer.Exit(1)
        plans = plans.filter(board=chosen)
    if year is not None:
        plans = plans.filter(school_year=year)
    return plans.order_by(
        "school_year", "board__number", F("school__number").asc(nulls_first=True), "pk"
    )
