"""`capacity import student-results`: student-level results counted into school results by group.

Registered by capacity/evidence/cli.py. Django is imported inside the command,
so `capacity --help` stays fast. The file is read into memory and handed to the
one service the web page uses too (services_students.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from capacity.cli_common import DryRun, Problems, django_setup, err, finish, migrate


def import_student_results(
    path: Annotated[
        str,
        typer.Argument(
            help="A student-level CSV or Ed-Fi StudentAssessment JSON file (see docs/data-formats.md). "
            "Give the school year as YEAR=PATH when the file does not say it, like 2018-19=students.csv.",
            show_default=False,
        ),
    ],
    dry_run: DryRun = False,
    problems: Problems = None,
) -> None:
    """Student-level results counted into school results by group (the students are not kept), all or nothing."""
    django_setup()
    migrate()
    from capacity.evidence.readers import parse_source
    from capacity.evidence.services_students import student_results_import
    from capacity.schoolyears import normal_year

    given, file = parse_source(path)
    year = normal_year(given) if given else None
    if given and year is None:
        err.print(f"[red]{given} is not a school year[/] (write it like 2018-19).")
        raise typer.Exit(2)
    try:
        data = Path(file).read_bytes()
    except OSError as exc:
        err.print(f"[red]Cannot read {file}:[/] {exc.strerror}")
        raise typer.Exit(2) from exc
    report = student_results_import(
        data=data,
        name=Path(file).name,
        school_year=year,
        actor_label="capacity import student-results",
        dry_run=dry_run,
    )
    finish(report, problems)
