"""The `capacity` command: serve, demo, createuser, check, import, identify, plans.

Every subcommand sets up Django itself, so `capacity ...` works from any
directory once the package is installed (the Makefile installs it into .venv).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn
from rich.table import Table

if TYPE_CHECKING:
    from capacity.directory.importers.common import ImportReport

app = typer.Typer(
    help="Capacity: whole-system school and district improvement.",
    no_args_is_help=True,
    add_completion=False,
)
import_app = typer.Typer(help="Load organisations, people and context from files.", no_args_is_help=True)
app.add_typer(import_app, name="import")
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capacity.settings")
    import django

    django.setup()


def _migrate(quiet: bool = True) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0 if quiet else 1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option(help="Load the demo province if the database is empty.")] = True,
    background: Annotated[bool, typer.Option(help="Also run the background worker (web uploads).")] = True,
    workers: Annotated[int, typer.Option(help="gunicorn workers (0: Django's development server).")] = 0,
) -> None:
    """Migrate, load the demo province into an empty database, and serve the app."""
    _django()
    from capacity.directory.demo import DEMO_PASSWORD
    from capacity.directory.models import Board, User

    _migrate()
    if demo and not Board.objects.exists():
        console.print("[bold]The database is empty: loading the demo province (about a minute)...[/]")
        _load_demo(seed=2016, boards=72, schools=4870, years=10)
    console.print(f"\n[bold green]Capacity is serving on http://{host}:{port}/[/]")
    demo_users = list(
        User.objects.filter(email__endswith="@demo.capacity.invalid").order_by("pk")
        .values_list("username", flat=True)
    )
    if demo_users:
        console.print(f"Demo sign-ins (password [bold]{DEMO_PASSWORD}[/]): " + ", ".join(demo_users))
    console.print("Stop with Ctrl+C.\n")
    sys.stdout.flush()
    _serve_with_worker(host=host, port=port, background=background, workers=workers)


def _serve_with_worker(*, host: str, port: int, background: bool, workers: int) -> None:
    """Serve the web app while supervising the background worker; stopping serve stops the worker.

    The worker is a child process started again whenever it dies. SIGTERM and
    SIGINT end the web server and then the worker (capacity/processes.py); if
    serve itself is killed outright, the worker notices its parent is gone and ends.
    """
    import signal
    import subprocess

    from django.core.management import call_command

    from capacity.processes import Supervised, child_environment

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # Set explicitly: a shell starting serve in the background has SIGINT ignored.
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop)
    supervised = Supervised([sys.executable, "-m", "capacity.cli", "worker"], name="background worker",
                            say=lambda message: err.print(f"[yellow]{message}[/]"))
    web: subprocess.Popen[bytes] | None = None
    try:
        if background:
            supervised.start()
        if workers > 0:
            web = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "gunicorn", "capacity.wsgi", "-b", f"{host}:{port}", "-w", str(workers)],
                env=child_environment(),
            )
            web.wait()
        else:
            os.environ.setdefault("DJANGO_RUNSERVER_HIDE_WARNING", "true")  # local use is what it is for
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
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  console=console, transient=True) as progress:
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
    console.print(
        f"Demo province: {result.boards} boards, {result.schools} schools, "
        f"{result.contexts} school-year context rows, {result.networks} networks, "
        f"{result_rows} assessment results, {plans['plans']} improvement plans "
        f"({plans['focused_intervention']} for focused intervention)."
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
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same province.")] = 2016,
    boards: Annotated[int, typer.Option(min=1, help="Number of boards (Ontario: 72).")] = 72,
    schools: Annotated[int, typer.Option(min=1, help="Number of schools (Ontario: about 4,870).")] = 4870,
    years: Annotated[int, typer.Option(min=1, max=20, help="School years of context and results, ending 2023-24.")] = 10,
    reset: Annotated[bool, typer.Option(help="Delete every board, school, network and person first.")] = False,
) -> None:
    """Build the synthetic demo province (deterministic; scale it with the options)."""
    _django()
    _migrate()
    from capacity.directory.models import Board

    if Board.objects.exists():
        if not reset:
            err.print("[red]The database already holds boards.[/] Use --reset to replace everything with the demo.")
            raise typer.Exit(1)
        _reset_directory()
    if schools < boards:
        err.print("[red]--schools must be at least --boards (every board has a school).[/]")
        raise typer.Exit(2)
    _load_demo(seed=seed, boards=boards, schools=schools, years=years)


def _reset_directory() -> None:
    from django.db import transaction

    from capacity.directory.models import Board, Network, Province, School, User
    from capacity.planning.models import Plan, SupportRequest, Timeline

    with transaction.atomic():
        SupportRequest.objects.all().delete()  # plans and requests protect their schools and boards
        Plan.objects.all().delete()
        Timeline.objects.all().delete()  # the ministry's timelines belong to no board
        User.objects.all().delete()
        Network.objects.all().delete()
        School.objects.all().delete()
        Board.objects.all().delete()
        Province.objects.all().delete()


@app.command()
def createuser(
    username: Annotated[str, typer.Argument(help="The name the person signs in with.")],
    role: Annotated[str | None, typer.Option(help="A role: " + ", ".join([
        "ministry_officer", "board_leader", "trustee", "principal", "school_team", "teacher",
        "network_facilitator"]))] = None,
    organisation: Annotated[str | None, typer.Option(
        "--org", help="Where the role is held: ON, a board number (B28010), a school number or a network name.")] = None,
    email: Annotated[str, typer.Option(help="E-mail address.")] = "",
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    staff: Annotated[bool, typer.Option(help="May use the Django admin.")] = False,
    superuser: Annotated[bool, typer.Option(help="Has every permission in the Django admin.")] = False,
    password_file: Annotated[Path | None, typer.Option(help="Read the password from this file.")] = None,
) -> None:
    """Create a person who can sign in, optionally with a role in an organisation."""
    _django()
    from django.core.exceptions import ValidationError

    from capacity.directory.lookup import find_organisation
    from capacity.directory.models import Role, User
    from capacity.directory.services import membership_grant, user_create

    if User.objects.filter(username=username).exists():
        err.print(f"[red]A person with the user name {username!r} already exists.[/]")
        raise typer.Exit(1)
    org = None
    if role is not None:
        if role not in Role.values:
            err.print(f"[red]Unknown role {role!r}.[/] Choose one of: {', '.join(Role.values)}")
            raise typer.Exit(2)
        if organisation is None:
            err.print("[red]--role needs --org (where the role is held).[/]")
            raise typer.Exit(2)
        org = find_organisation(role=role, reference=organisation)
        if org is None:
            err.print(f"[red]No organisation {organisation!r} at the level a {role} is held.[/]")
            raise typer.Exit(2)
    if password_file is not None:
        password = password_file.read_text(encoding="utf-8").strip()
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = user_create(username=username, email=email, display_name=name, password=password,
                           is_staff=staff, is_superuser=superuser, actor_label="capacity createuser")
    except ValidationError as exc:
        for message in exc.messages:
            err.print(f"[red]{message}[/]")
        raise typer.Exit(1) from exc
    if role is not None and org is not None:
        membership_grant(user=user, role=role, organisation=org, actor_label="capacity createuser")
    console.print(f"Created {username}" + (f" as {role} in {org}" if org else "") + ".")


@app.command()
def check(
    deploy: Annotated[bool, typer.Option(help="Also run Django's deployment checks.")] = False,
) -> None:
    """Check the configuration, the database and (with --deploy) production settings."""
    try:
        _django()
    except Exception as exc:  # a ConfigError names the variable at fault
        err.print(f"[red]Configuration error:[/] {exc}")
        raise typer.Exit(1) from exc
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    console.print(f"Environment: {settings.ENVIRONMENT}; database: {settings.DATABASES['default']['ENGINE']}")
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        err.print(f"[red]The database cannot be reached:[/] {exc}")
        raise typer.Exit(1) from exc
    if pending:
        console.print(f"[yellow]{len(pending)} migration(s) not yet applied[/] (capacity serve applies them).")
    try:
        call_command("check", deploy=deploy, fail_level="WARNING")
    except Exception as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    console.print("[green]All checks passed.[/]")


def _print_report(report: ImportReport) -> None:
    for note in report.notes:
        console.print(f"[dim]note:[/] {note}")
    if report.problems:
        table = Table("row", "column", "problem", title=f"{len(report.problems)} problem(s) in {report.source}")
        for problem in report.problems[:200]:
            table.add_row("" if problem.row is None else str(problem.row), problem.column, problem.reason)
        err.print(table)
        if len(report.problems) > 200:
            err.print(f"... and {len(report.problems) - 200} more (use --problems FILE to get them all).")
        err.print("[red]Nothing was imported.[/] Fix the file and run the import again.")
        return
    verb = "Would import" if not report.applied else "Imported"
    console.print(
        f"[green]{verb}[/] {report.rows} rows from {report.source}: {report.created} created, "
        f"{report.updated} updated, {report.unchanged} unchanged, {report.skipped} skipped."
    )


def _finish(report: ImportReport, problems: Path | None) -> None:
    _print_report(report)
    if problems is not None and report.problems:
        problems.write_text(report.problems_csv(), encoding="utf-8")
        err.print(f"Problems written to {problems}")
    if report.problems:
        raise typer.Exit(1)


DryRun = Annotated[bool, typer.Option("--dry-run", help="Check the file and count changes; write nothing.")]
Problems = Annotated[Path | None, typer.Option(help="Write every problem to this CSV file.")]


@import_app.command("schools")
def import_schools(
    path: Annotated[str, typer.Argument(help="Ontario's school information table (xlsx or csv), optionally YEAR=PATH.")],
    dry_run: DryRun = False,
    problems: Problems = None,
) -> None:
    """Boards, schools and their context from Ontario's published school information table."""
    _django()
    _migrate()
    from capacity.directory.importers import import_sif

    year, _, file_name = path.rpartition("=") if "=" in path else (None, "", path)
    report = import_sif(Path(file_name), school_year=year or None, actor_label="capacity import schools",
                        dry_run=dry_run)
    _finish(report, problems)


@import_app.command("oneroster")
def import_oneroster_command(
    folder: Annotated[Path, typer.Argument(help="A folder holding OneRoster 1.2 orgs.csv and users.csv (and roles.csv).")],
    config: Annotated[Path | None, typer.Option(
        "--config", help="A roster configuration (TOML): role mapping and organisation keys.")] = None,
    dry_run: DryRun = False,
    problems: Problems = None,
) -> None:
    """Organisations, people and roles from a OneRoster 1.2 CSV folder."""
    _django()
    _migrate()
    from capacity.directory.importers import import_oneroster

    report = import_oneroster(folder, config=config, actor_label="capacity import oneroster", dry_run=dry_run)
    _finish(report, problems)


@import_app.command("people")
def import_people_command(
    path: Annotated[Path, typer.Argument(help="A CSV of people and roles (see docs/data-formats.md).")],
    dry_run: DryRun = False,
    problems: Problems = None,
) -> None:
    """People and their roles from a plain CSV."""
    _django()
    _migrate()
    from capacity.directory.importers import import_people

    _finish(import_people(path, actor_label="capacity import people", dry_run=dry_run), problems)


@import_app.command("orgs")
def import_orgs_command(
    path: Annotated[Path, typer.Argument(help="A CSV or XLSX of boards, schools and networks (see docs/data-formats.md).")],
    dry_run: DryRun = False,
    problems: Problems = None,
) -> None:
    """Boards, schools and learning networks from a plain CSV or XLSX."""
    _django()
    _migrate()
    from capacity.directory.importers import import_orgs

    _finish(import_orgs(path, actor_label="capacity import orgs", dry_run=dry_run), problems)




token_app = typer.Typer(help="API tokens for data teams.", no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    username: Annotated[str, typer.Argument(help="The person the token acts as.")],
    name: Annotated[str, typer.Option(help="What the token is for, e.g. 'nightly export'.")] = "api",
    days: Annotated[int | None, typer.Option(
        help="Days until it expires (CAPACITY_API_TOKEN_DAYS, 90 unless set; at most 366).")] = None,
) -> None:
    """Create an API token. It is printed once; only its hash is kept."""
    _django()
    _migrate()
    from capacity.directory.models import User
    from capacity.directory.services import api_token_create

    user = User.objects.filter(username=username).first()
    if user is None:
        err.print(f"[red]No person with the user name {username!r}.[/]")
        raise typer.Exit(1)
    try:
        token, key = api_token_create(user=user, name=name, days=days, actor_label="capacity token create")
    except ValueError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from exc
    console.print(f"Expires {token.expires:%Y-%m-%d %H:%M %Z}. Use it as: Authorization: Bearer <token>. "
                  "It will not be shown again.")
    print(key)


@token_app.command("list")
def token_list(
    username: Annotated[str | None, typer.Argument(help="Only this person's tokens.")] = None,
) -> None:
    """List API tokens: whose, name, prefix, made, expires, last used. Keys are never shown."""
    _django()
    _migrate()
    from capacity.directory.models import ApiToken

    tokens = ApiToken.objects.select_related("user")
    if username:
        tokens = tokens.filter(user__username=username)
    # Tab-separated lines rather than a table: whole prefixes at any terminal width, and easy to grep or cut.
    print("id\tperson\tname\tprefix\tmade\texpires\tlast used")
    for t in tokens:
        print("\t".join([str(t.pk), t.user.get_username(), t.name, t.prefix, f"{t.created:%Y-%m-%d}",
                         f"{t.expires:%Y-%m-%d}" + (" (expired)" if t.expired else ""),
                         f"{t.last_used:%Y-%m-%d %H:%M}" if t.last_used else "never"]))


@token_app.command("revoke")
def token_revoke(
    token: Annotated[str, typer.Argument(help="The token's id or prefix (cap_...), as `capacity token list` shows.")],
) -> None:
    """Revoke an API token: it stops working at once. Audited."""
    _django()
    _migrate()
    from capacity.directory.models import ApiToken
    from capacity.directory.services import api_token_revoke

    tokens = ApiToken.objects.select_related("user")
    by_id = token.isdigit() and len(token) < 19
    found = list(tokens.filter(pk=int(token)) if by_id else tokens.filter(prefix=token))
    if len(found) != 1:
        err.print(f"[red]{'No token' if not found else 'More than one token'} matches {token!r}.[/]")
        raise typer.Exit(1)
    api_token_revoke(token=found[0], actor_label="capacity token revoke")
    console.print(f"Revoked {found[0].prefix}… of {found[0].user.get_username()}.")


@app.command()
def worker(
    once: Annotated[bool, typer.Option(help="Run the waiting tasks, then stop.")] = False,
) -> None:
    """Run background tasks (imports uploaded through the web).

    At start and every minute it recovers imports whose worker died
    (capacity/evidence/tasks.py); started by `capacity serve`, it ends when serve does.
    """
    from capacity.processes import exit_when_parent_dies

    exit_when_parent_dies()
    _django()
    _migrate()
    from django.core.management import call_command

    from capacity.evidence.tasks import recover_stale_imports, watch_for_stale_imports

    recover_stale_imports()
    if not once:
        watch_for_stale_imports()
    args = ["--batch", "--no-startup-delay"] if once else []
    call_command("db_worker", *args)


def _register_parts() -> None:
    from capacity.evidence.cli import register
    from capacity.planning.cli import register as register_plans

    register(app, import_app)
    register_plans(app)


_register_parts()


if __name__ == "__main__":  # pragma: no cover
    app()
