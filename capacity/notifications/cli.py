"""The notifications part of the `capacity` command: `capacity remind`.

capacity/cli.py calls `register(groups)` as it does for every app; the worker
runs the same reminders once a day (capacity/notifications/daily.py).
"""

from __future__ import annotations

import datetime
from typing import Annotated

import typer

from capacity.cli_common import CommandGroups, console, django_setup, err, migrate


def register(groups: CommandGroups) -> None:
    """Put `remind` on `capacity`."""
    groups.root.command("remind")(remind)


def remind(
    day: Annotated[
        str | None,
        typer.Option("--date", help="Remind as of this day (YYYY-MM-DD); today by default."),
    ] = None,
) -> None:
    """Remind people of what is overdue (checkpoints, plans past their submission date).

    Each person hears once per item and day: running it again the same day sends
    nothing new. The worker runs it once a day by itself.
    """
    try:
        today = datetime.date.fromisoformat(day) if day else None
    except ValueError as exc:
        err.print(f"[red]--date {day!r} is not a date like 2019-01-31.[/]")
        raise typer.Exit(2) from exc
    django_setup()
    migrate()
    from capacity.notifications.services import remind as send_reminders

    sent = send_reminders(today=today)
    console.print(f"Reminders sent: {sent}.")
