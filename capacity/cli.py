"""The `capacity` command: serve, demo, check and worker here; each app's own commands from its cli.py.

Every subcommand sets up Django itself, so `capacity ...` works from any
directory once the package is installed (the Makefile installs it into .venv).
The apps (directory: createuser, import, token; evidence: identify, import
results; planning: plans; notifications: remind) each expose `register(groups)`, called below in the
same way; their helpers come from capacity/cli_common.py, never from here.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn
from rich.table import Table

from capacity.cli_common import CommandGroups, console, django_setup, err, migrate

app = typer.Typer(
    help="Capacity: whole-system school and district improvement.",
    no_args_is_help=True,
    add_completion=False,
)
import_app = typer.Typer(
    help="Load organisations, people and context from files.", no_args_is_help=True
)
app.add_typer(import_app, name="import")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool, typer.Option(help="Load the demo province if the database is empty.")
    ] = True,
    background: Annotated[
        bool, typer.Option(help="Also run the background worker (web uploads).")
    ] = True,
    workers: Annotated[
        int, typer.Option(help="gunicorn workers (0: Django's development server).")
    ] = 0,
) -> None:
    """Migrate, load the demo province into an empty database, and serve the app."""
    if not background:
        # /healthz then passes without a worker's heartbeat, unless the variable says a worker
        # runs elsewhere (`capacity worker` under systemd beside `serve --no-background`).
        os.environ.setdefault("CAPACITY_EXPECT_WORKER", "false")
    django_setup()
    from capacity.directory.demo import DEMO_PASSWORD
    from capacity.directory.models import Board, User

    migrate()
    if demo and not Board.objects.exists():
        console.print(
            "[bold]The database is empty: loading the demo province (about a minute)...[/]"
        )
        _load_demo(seed=2016, boards=72, schools=4870, years=10)
    console.print(f"\n[bold green]Capacity is serving on http://{host}:{port}/[/]")
    demo_users = list(
        User.objects.filter(email__endswith="@demo.capacity.invalid")
        .order_by("pk")
        .values_list("username", flat=True)
    )
    if demo_users:
        console.print(
            f"Demo sign-ins (password [bold]{DEMO_PASSWORD}[/]): " + ", ".join(demo_users)
        )
    console.print("Stop with Ctrl+C.\n")
    sys.stdout.flush()
    _serve_with_worker(host=host, port=port, background=background, workers=workers)


def _serve_with_worker(*, host: str, port: int, background: bool, workers: int) -> None:
    """Serve the web app while supervising the background worker; stopping serve stops the worker.

    The worker is a child process started again whenever it dies. SIGTERM and
    SIGINT end the web server and then the worker (capacity/processes.py); if
    serve itself is killed outright, the worker notices its parent is gone and ends.
    """
    import logging
    import signal
    import subprocess

    from django.conf import settings
    from django.core.management import call_command

    from capacity.processes import Supervised, child_environment

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # Set explicitly: a shell starting serve in the background has SIGINT ignored.
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop)

    def say(message: str) -> None:
        if settings.CAPACITY_LOG_FORMAT == "json":  # keep standard error one JSON object a line
            logging.getLogger("capacity.serve").warning(message)
        else:
            err.print(f"[yellow]{message}[/]")

    supervised = Supervised(
        [sys.executable, "-m", "capacity.cli", "worker"], name="background worker", say=say
    )
    web: subprocess.Popen[bytes] | None = None
    try:
        if background:
            supervised.start()
        if workers > 0:
            web = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "capacity.wsgi",
                    "-b",
                    f"{host}:{port}",
                    "-w",
                    str(workers),
                    # Its lines in the site's format, and no access line of its own
                    # (capacity.request writes one per request, with the request id).
                    "-c",
                    "python:capacity.operations.gunicorn",
                ],
                env=child_environment(),
            )
            web.wait()
        else:
            os.environ.setdefault(
                "DJANGO_RUNSERVER_HIDE_WARNING", "true"
            )  # local use is what it is for
            call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=True)
    except KeyboardInterrupt:
        console.print("Stopping.")
    finally:
        if web is not None and web.poll() is None:
            web.terminate()
            try:
                web.wait(10)
            except subprocess.TimeoutExpired:
                web.kill()
        supervised.stop()


def _load_demo(*, seed: int, boards: int, schools: int, years: int) -> None:
    from capacity.directory.demo import DemoOptions, build_demo

    options = DemoOptions(seed=seed, boards=boards, schools=schools, years=years)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        console=console,
        transient=True,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def report(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(step, total=total)
            progress.update(tasks[step], completed=done)

        result = build_demo(options, progress=report)
        from capacity.evidence.demo import build_demo_results

        result_rows = build_demo_results(seed=seed, years=years, progress=report)
        from capacity.planning.demo import build_demo_plans

        plans = build_demo_plans(seed=seed, progress=report)
        from capacity.instruments.demo import build_demo_rounds

        rounds = build_demo_rounds(seed=seed)
        from capacity.learning.demo import build_demo_library

        library = build_demo_library(seed=seed)
        from capacity.rounds.demo import build_demo_rounds_work

        work = build_demo_rounds_work(seed=seed)
        from capacity.evidence.parts_join import build_demo as build_demo_evidence_parts
        from capacity.planning.parts_join import build_demo as build_demo_planning_parts

        loop = {**build_demo_evidence_parts(seed=seed), **build_demo_planning_parts(seed=seed)}
        from capacity.planning.demo.portfolios import build as build_demo_portfolios

        loop.update(build_demo_portfolios(seed=seed))  # after the plans: families hold them
    from capacity.evidence.tasks import queue_warming

    queue_warming()  # the worker computes the evidence pages' analyses ahead of the first visit
    console.print(
        f"Demo province: {result.boards} boards, {result.schools} schools, "
        f"{result.contexts} school-year context rows, {result.networks} networks, "
        f"{result_rows} assessment results, {plans['plans']} improvement plans "
        f"({plans['focused_intervention']} for focused intervention), "
        f"{rounds['rounds']} survey rounds ({rounds['responses']} responses), "
        f"{library['items']} library modules and case studies, "
        f"{work.get('visits', 0)} rounds visits ({work.get('notes', 0)} notes, "
        f"{work.get('debriefs', 0)} debriefed), {work.get('lesson_studies', 0)} lesson studies, "
        f"{work.get('network_suggestions', 0)} network suggestions."
    )
    if loop:  # the focused-intervention loop's parts (issue 13), each counting what it built
        console.print(
            "Focused-intervention loop: "
            + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in loop.items())
        )
    table = Table("user name", "role", "where", title="Demo sign-ins")
    for account in result.accounts:
        table.add_row(account.username, account.role, account.where)
    from capacity.planning.demo import demo_plan_accounts

    for username, role, where in demo_plan_accounts():
        table.add_row(username, role, where)
    console.print(table)


@app.command()
def demo(
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed gives the same province.")
    ] = 2016,
    boards: Annotated[int, typer.Option(min=1, help="Number of boards (Ontario: 72).")] = 72,
    schools: Annotated[
        int, typer.Option(min=1, help="Number of schools (Ontario: about 4,870).")
    ] = 4870,
    years: Annotated[
        int,
        typer.Option(min=1, max=20, help="School years of context and results, ending 2023-24."),
    ] = 10,
    reset: Annotated[
        bool, typer.Option(help="Delete every board, school, network and person first.")
    ] = False,
) -> None:
    """Build the synthetic demo province (deterministic; scale it with the options)."""
    django_setup()
    migrate()
    from capacity.directory.models import Board

    if Board.objects.exists():
        if not reset:
            err.print(
                "[red]The database already holds boards.[/] Use --reset to replace everything with the demo."
            )
            raise typer.Exit(1)
        _reset_directory()
    if schools < boards:
        err.print("[red]--schools must be at least --boards (every board has a school).[/]")
        raise typer.Exit(2)
    _load_demo(seed=seed, boards=boards, schools=schools, years=years)


def _reset_directory() -> None:
    from django.db import transaction

    from capacity.directory.models import Board, Network, Province, School, User
    from capacity.instruments.models import Round
    from capacity.learning.models import Item, Origin, Session
    from capacity.planning.models import Plan, SupportRequest, Timeline

    with transaction.atomic():
        # The rounds app's work protects its schools, boards, networks and facilitators.
        from capacity.rounds.models import LessonStudy, NetworkSuggestion, ProblemOfPractice, Visit

        LessonStudy.objects.all().delete()
        Visit.objects.all().delete()
        ProblemOfPractice.objects.all().delete()
        NetworkSuggestion.objects.all().delete()
        # Module sessions protect their boards, schools, facilitators and evaluation rounds.
        Session.objects.all().delete()
        # Case studies written in Capacity protect their boards; their versions protect them.
        written = Item.objects.filter(origin=Origin.APP)
        written.update(published=None, current=None)
        written.delete()
        Round.objects.all().delete()  # rounds protect their boards, schools and the leader rated
        # Identification decisions keep their schools; capacity given keeps its request.
        from capacity.evidence.models import (
            IdentificationDecision,
            IdentificationProposal,
            ProposedChange,
        )
        from capacity.planning.models import CapacityGift

        IdentificationDecision.objects.all().delete()
        ProposedChange.objects.all().delete()
        IdentificationProposal.objects.all().delete()
        CapacityGift.objects.all().delete()
        SupportRequest.objects.all().delete()  # plans and requests protect their schools and boards
        Plan.objects.all().delete()
        Timeline.objects.all().delete()  # the ministry's timelines belong to no board
        User.objects.all().delete()
        Network.objects.all().delete()
        School.objects.all().delete()
        Board.objects.all().delete()
        Province.objects.all().delete()


@app.command()
def check(
    deploy: Annotated[bool, typer.Option(help="Also run Django's deployment checks.")] = False,
) -> None:
    """Check the configuration, the database and (with --deploy) production settings."""
    try:
        django_setup()
    except Exception as exc:  # a ConfigError names the variable at fault
        err.print(f"[red]Configuration error:[/] {exc}")
        raise typer.Exit(1) from exc
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    console.print(
        f"Environment: {settings.ENVIRONMENT}; database: {settings.DATABASES['default']['ENGINE']}"
    )
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        err.print(f"[red]The database cannot be reached:[/] {exc}")
        raise typer.Exit(1) from exc
    if pending:
        console.print(
            f"[yellow]{len(pending)} migration(s) not yet applied[/] (capacity serve applies them)."
        )
    try:
        call_command("check", deploy=deploy, fail_level="WARNING")
    except Exception as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    console.print("[green]All checks passed.[/]")


@app.command()
def worker(
    once: Annotated[bool, typer.Option(help="Run the waiting tasks, then stop.")] = False,
) -> None:
    """Run background tasks (imports uploaded through the web) and the day's reminders.

    At start and every minute it recovers imports whose worker died
    (capacity/evidence/tasks.py) and sends the day's reminders if they are not yet
    sent (`capacity remind`, once a day: capacity/notifications/daily.py); started by
    `capacity serve`, it ends when serve does. It records a heartbeat at start and
    every CAPACITY_HEARTBEAT_SECONDS, which /healthz reads (capacity/operations/heartbeat.py).
    """
    from capacity.processes import exit_when_parent_dies

    exit_when_parent_dies()
    django_setup()
    migrate()
    from django.core.management import call_command

    from capacity.evidence.tasks import recover_stale_imports, watch_for_stale_imports
    from capacity.notifications.daily import run_daily_reminders, watch_for_daily_reminders
    from capacity.operations.heartbeat import Heartbeat

    Heartbeat().start(thread=not once)
    recover_stale_imports()
    run_daily_reminders()
    if not once:
        watch_for_stale_imports()
        watch_for_daily_reminders()
    args = ["--batch", "--no-startup-delay"] if once else []
    call_command("db_worker", *args)


def _register_apps() -> None:
    """Each app adds its own commands through the same `register(groups)`, in import order."""
    from capacity.cli_backup import register as register_backup
    from capacity.directory.cli import register as register_directory
    from capacity.evidence.cli import register as register_evidence
    from capacity.instruments.cli import register as register_instruments
    from capacity.learning.cli import register as register_learning
    from capacity.notifications.cli import register as register_notifications
    from capacity.planning.cli import register as register_planning

    groups = CommandGroups(root=app, imports=import_app)
    for register in (
        register_directory,
        register_evidence,
        register_planning,
        register_notifications,
        register_instruments,
        register_learning,
        register_backup,
    ):
        register(groups)


_register_apps()


if __name__ == "__main__":  # pragma: no cover
    app()
