"""`capacity identify`: which schools an identification policy names, and why.

With `--results` the files alone are used: DuckDB (or Spark) reads and checks
them itself (capacity/evidence/readers.py and checks.py) and the policy runs
there on the checked rows, with no database at all. Without `--results` the rule runs on the
results in Capacity's database, with the policy stored there under that name
(its latest version) or else the one Capacity ships.

`--format json` prints exactly one JSON object on standard output
(`Identification.to_json()`); every note goes to standard error.
"""

from __future__ import annotations

import contextlib
import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Column, Table

from capacity.cli_common import django_setup, migrate, settings_setup
from capacity.reports import csv as safe_csv

if TYPE_CHECKING:
    from capacity.evidence.analytics.identification import Identification, SchoolStatus
    from capacity.evidence.analytics.policy import Policy
    from capacity.imports.report import ImportReport

FORMATS = ("json", "csv", "table")
ENGINES = ("duckdb", "spark")
CSV_COLUMNS = (
    "school_number",
    "school_name",
    "board_number",
    "board_name",
    "status",
    "category",
    "reasons",
    "missing",
)

err = Console(stderr=True, soft_wrap=True)


def identify(
    results: Annotated[
        list[str] | None,
        typer.Option(
            "--results",
            help="A results file, [YEAR=]PATH (Ontario's school table or the long format); repeat "
            "for each year. Without it, the results in Capacity's database are used.",
            show_default=False,
        ),
    ] = None,
    policy: Annotated[
        str,
        typer.Option(
            "--policy",
            help="An identification policy's name (ofip-2016, capacity-ofip-2026, reading-2008) or a .toml file.",
        ),
    ] = "ofip-2016",
    year: Annotated[
        str | None,
        typer.Option(
            "--year",
            help="The school year to identify for, like 2018-19. Default: the latest in the results.",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="Where the rule runs on files: duckdb, or spark (needs Java and the spark extra). "
            "Without --results the rule runs in the database unless spark is asked for.",
        ),
    ] = "duckdb",
    format: Annotated[
        str,
        typer.Option(  # noqa: A002 - the option is --format
            "--format",
            help="json (one object on standard output), csv (one row per school) or table.",
        ),
    ] = "table",
    propose: Annotated[
        bool,
        typer.Option(
            "--propose",
            help="Also make the identification proposal a ministry officer decides on "
            "(/evidence/decisions/): no plan opens or ends before their decision. Reads the database.",
        ),
    ] = False,
) -> None:
    """Identify schools under a policy (OFIP by default) and say why, from files or the database."""
    if format not in FORMATS:
        err.print(f"[red]Unknown format {format!r}.[/] Use one of: {', '.join(FORMATS)}.")
        raise typer.Exit(2)
    if engine not in ENGINES:
        err.print(f"[red]Unknown engine {engine!r}.[/] Use one of: {', '.join(ENGINES)}.")
        raise typer.Exit(2)
    if propose and results:
        err.print("[red]--propose reads Capacity's database:[/] leave out --results.")
        raise typer.Exit(2)
    if results:
        # Settings only, for the wording of messages: with --results nothing opens the database
        # and no model is needed (cli_common.settings_setup).
        settings_setup()
    else:
        django_setup()
    from capacity.evidence.analytics.identification import identify as run
    from capacity.evidence.analytics.policy import PolicyError

    # On Spark, its tasks show in this command's progress bar (Spark's own console progress is off).
    with _spark_progress(engine) as spark_tasks:
        try:
            if results:
                table, chosen, held = _from_files(results, policy, engine)
            else:
                table, chosen = _from_database(policy, engine)
                from capacity.evidence.readers import years_held

                held = years_held(table)
        except PolicyError as exc:
            err.print(f"[red]{exc}[/]")
            raise typer.Exit(2) from exc
        latest = held[-1] if held else None
        if latest is None:
            err.print(
                "[red]There are no results to identify from.[/] Give files with --results, or import "
                "results with `capacity import results`."
            )
            raise typer.Exit(1)
        if year is None:
            year = latest
            err.print(f"Identifying for {year}, the latest school year in the results.")
        else:
            years = held
            if year not in years:
                # Otherwise every school would come out "insufficient data", as if the schools lacked results.
                err.print(
                    f"[red]There are no results for {escape(year)}.[/] The results hold "
                    f"{', '.join(years)}; give one of those with --year, or import {escape(year)}'s results."
                )
                raise typer.Exit(2)
        try:
            # The schools not identified are counted, not listed: nothing prints them.
            found = run(table, chosen, year, every_school=False)
        except ValueError as exc:
            err.print(f"[red]{exc}[/]")
            raise typer.Exit(2) from exc
    if spark_tasks is not None:
        err.print(f"[dim]Spark ran {spark_tasks.tasks} tasks in {spark_tasks.stages} stages.[/]")
    if not results:
        # From the app's database the figures given as reasons pass the disclosure gate, as on the pages;
        # files given with --results are the caller's own and are read as they are.
        from capacity.evidence.privacy import shown_identification

        found = shown_identification(found)
    _print(found, format)
    if propose:
        _propose(chosen, year)


def _propose(policy: Policy, year: str) -> None:
    """The proposal for `policy` and `year` (docs/decisions.md), said on standard error."""
    from capacity.evidence.models import IdentificationProposal
    from capacity.evidence.services_decisions import proposal_make

    proposal = proposal_make(
        policy=policy,
        school_year=year,
        source=IdentificationProposal.Source.COMMAND,
        actor_label="capacity identify",
    )
    waiting = proposal.changes.filter(state="pending").count()
    err.print(
        f"Proposal {proposal.pk} for {escape(year)}: {waiting} change(s) wait for a ministry "
        f"officer's decision at /evidence/decisions/{proposal.pk}/."
    )


def _from_files(paths: list[str], policy: str, engine: str) -> tuple[Any, Policy, list[str]]:
    """The results in `paths` loaded into DuckDB or Spark, the policy by name or file, and the years held.

    No database here, so the policy is a file or one Capacity ships: the part of
    `selectors.get_policy` that needs no stored policies.
    """
    from capacity.evidence.analytics import engines
    from capacity.evidence.analytics.policy import load_policy
    from capacity.evidence.readers import KIND, ResultsReader, parse_source
    from capacity.imports.report import ImportReport

    chosen = load_policy(policy)
    report = ImportReport(kind=KIND, source=", ".join(paths))
    con = engines.connect("pyspark" if engine == "spark" else "duckdb")
    # Read and checked where the rule will run: the results never pass through Python.
    reader = ResultsReader([parse_source(path) for path in paths], report, engine=con)
    reader.check()
    reader.tidy()
    for note in report.notes:
        err.print(f"[dim]note:[/] {escape(note)}")
    if report.problems:
        _print_problems(report)
        raise typer.Exit(1)
    # The years come from the cells the checks found: no pass over the rows for them.
    return reader.engine_table(), chosen, reader.school_years()


def _spark_progress(engine: str) -> Any:
    """Spark's tasks as a progress bar on standard error while the block runs (nothing on DuckDB)."""
    if engine != "spark":
        return contextlib.nullcontext()
    from capacity.evidence import spark_files

    return spark_files.progress(err)


def _from_database(policy: str, engine: str) -> tuple[Any, Policy]:
    """The results in Capacity's database (copied to Spark if asked), and the stored or shipped policy."""
    from capacity.evidence.analytics import engines
    from capacity.evidence.data import app_tables
    from capacity.evidence.selectors import get_policy

    migrate()
    # A .toml file; else the newest version stored under the name; else the one Capacity ships; else refused.
    chosen = get_policy(policy, files=True, strict=True)
    results = app_tables().results
    if engine == "spark":
        results = engines.load_table(engines.connect("pyspark"), "results", results.to_pyarrow())
    else:
        err.print("[dim]note:[/] The rule runs in Capacity's database.")
    return results, chosen


def _print_problems(report: ImportReport) -> None:
    shown = Table(
        "row",
        "column",
        "problem",
        title=f"{len(report.problems)} problem(s) in {escape(report.source)}",
    )
    for problem in report.problems[:200]:
        shown.add_row(
            "" if problem.row is None else str(problem.row),
            escape(problem.column),
            escape(problem.reason),
        )
    err.print(shown)
    if len(report.problems) > 200:
        err.print(
            f"... and {len(report.problems) - 200} more (`capacity import results --dry-run --problems "
            f"FILE` writes them all)."
        )
    err.print("[red]Nothing was identified.[/] Fix the files and run the command again.")


# --- Output --------------------------------------------------------------------------------


def _reasons(school: SchoolStatus) -> str:
    """ "2018-19 G3-READ 45%; 2018-19 G3-WRITE 38%" """
    return "; ".join(
        f"{r.school_year} {r.assessment} "
        + ("(small group, hidden)" if r.pct_at_standard is None else f"{r.pct_at_standard:g}%")
        for r in school.reasons
    )


def _why(school: SchoolStatus) -> str:
    """The reasons column: below results, or why a sustaining or static school is so."""
    if school.status == "sustaining":
        return f"left identification in {school.left_in}; sustaining {school.sustaining_years_left} more year(s)"
    if school.status == "static" and school.trend is not None:
        t = school.trend
        return (
            f"mean {t.first_mean:.1f}% in {t.first_label}, {t.last_mean:.1f}% in {t.last_label} "
            f"({t.gain:+g} points)"
        )
    held = "kept until clear of the exit threshold; " if school.held else ""
    return held + _reasons(school)


def _print(found: Identification, output: str) -> None:
    if output == "json":
        typer.echo(json.dumps(found.to_json(), ensure_ascii=False, indent=2))
        return
    # Sustaining and static schools only exist under a policy with those options.
    schools = [*found.identified, *found.insufficient_data, *found.sustaining, *found.static]
    if output == "csv":
        writer = safe_csv.writer(
            sys.stdout, lineterminator="\n"
        )  # school names cannot carry formulas
        writer.writerow(CSV_COLUMNS)
        for school in schools:
            writer.writerow(
                [
                    school.school_number,
                    school.school_name,
                    school.board_number,
                    school.board_name,
                    school.status,
                    school.category or "",
                    _why(school),
                    "; ".join(school.missing),
                ]
            )
        return
    console = Console(soft_wrap=True)
    shown = Table(
        Column("school", no_wrap=True),
        "name",
        "board",
        "category",
        "why (results below the threshold)",
        title=escape(f"{found.policy.title} — {found.year} ({', '.join(found.window)})"),
    )
    for school in found.identified:
        shown.add_row(
            school.school_number,
            escape(school.school_name),
            escape(f"{school.board_number} {school.board_name}"),
            school.category or "",
            _why(school),
        )
    console.print(shown)
    for label, listed in (("sustaining", found.sustaining), ("static", found.static)):
        if listed:
            console.print(
                f"{len(listed)} school(s) {label}: "
                + "; ".join(escape(f"{s.school_number} ({_why(s)})") for s in listed[:20])
                + (" ..." if len(listed) > 20 else "")
            )
    if found.insufficient_data:
        console.print(
            f"{len(found.insufficient_data)} school(s) cannot be decided for lack of results: "
            + ", ".join(
                f"{s.school_number} (missing {', '.join(s.missing)})"
                for s in found.insufficient_data[:20]
            )
            + (" ..." if len(found.insufficient_data) > 20 else "")
        )
    console.print("How this policy decides:")
    for _key, text in found.policy.options():
        console.print(f"  - {escape(text)}")
    console.print(", ".join(f"{key}: {value}" for key, value in found.counts().items()))
