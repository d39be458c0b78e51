"""The directory part of the `capacity` command: people, organisation imports and API tokens.

`capacity createuser`, `capacity import schools|oneroster|people|orgs` and
`capacity token create|list|revoke`. capacity/cli.py calls `register(groups)`
as it does for every app. Django is imported only inside the commands, so
`capacity --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from capacity.cli_common import (
    CommandGroups,
    DryRun,
    Problems,
    console,
    django_setup,
    err,
    finish,
    migrate,
)

token_app = typer.Typer(help="API tokens for data teams.", no_args_is_help=True)


def register(groups: CommandGroups) -> None:
    """Put the directory's commands on `capacity` and under `capacity import`."""
    groups.root.command()(createuser)
    groups.imports.command("schools")(import_schools)
    groups.imports.command("oneroster")(import_oneroster_command)
    groups.imports.command("people")(import_people_command)
    groups.imports.command("orgs")(import_orgs_command)
    groups.root.add_typer(token_app, name="token")


def createuser(
    username: Annotated[str, typer.Argument(help="The name the person signs in with.")],
    role: Annotated[
        str | None,
        typer.Option(
            help="A role: "
            + ", ".join(
                [
                    "ministry_officer",
                    "board_leader",
                    "trustee",
                    "principal",
                    "school_team",
                    "teacher",
                    "network_facilitator",
                ]
            )
        ),
    ] = None,
    organisation: Annotated[
        str | None,
        typer.Option(
            "--org",
            help="Where the role is held: ON, a board number (B28010), a school number or a network name.",
        ),
    ] = None,
    email: Annotated[str, typer.Option(help="E-mail address.")] = "",
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    staff: Annotated[bool, typer.Option(help="May use the Django admin.")] = False,
    superuser: Annotated[
        bool, typer.Option(help="Has every permission in the Django admin.")
    ] = False,
    password_file: Annotated[
        Path | None, typer.Option(help="Read the password from this file.")
    ] = None,
) -> None:
    """Create a person who can sign in, optionally with a role in an organisation."""
    django_setup()
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
        user = user_create(
            username=username,
            email=email,
            display_name=name,
            password=password,
            is_staff=staff,
            is_superuser=superuser,
            actor_label="capacity createuser",
        )
    except ValidationError as exc:
        for message in exc.messages:
            err.print(f"[red]{message}[/]")
        raise typer.Exit(1) from exc
    if role is not None and org is not None:
        membership_grant(user=user, role=role, organisation=org, actor_label="capacity createuser")
    console.print(f"Created {username}" + (f" as {role} in {org}" if org else "") + ".")


def import_schools(
    path: Annotated[
        str,
        typer.Argument(
            help="Ontario's school information table (xlsx or csv), optionally YEAR=PATH."
        ),
    ],
    dry_run: DryRun = False,
    problems: Problems = None,
) -> None:
    """Boards, schools and their context from Ontario's published school information table."""
    django_setup()
    migrate()
    from capacity.directory.importers import import_sif

    year, _, file_name = path.rpartition("=") if "=" in path else (None, "", path)
    report = import_sif(
        Path(file_name),
        school_year=year or None,
        actor_label="capacity import schools",
        dry_run=dry_run,
    )
    finish(report, problems)


def import_oneroster_command(
    folder: Annotated[
        Path,
        typer.Argument(
            help="A folder holding OneRoster 1.2 orgs.csv and users.csv (and roles.csv)."
        ),
    ],
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="A roster configuration (TOML): role mapping and organisation keys."
        ),
    ] = None,
    dry_run: DryRun = False,
    problems: Problems = None,
) -> None:
    """Organisations, people and roles from a OneRoster 1.2 CSV folder."""
    django_setup()
    migrate()
    from capacity.directory.importers import import_oneroster

    report = import_oneroster(
        folder, config=config, actor_label="capacity import oneroster", dry_run=dry_run
    )
    finish(report, problems)


def import_people_command(
    path: Annotated[
        Path, typer.Argument(help="A CSV of people and roles (see docs/data-formats.md).")
    ],
    dry_run: DryRun = False,
    problems: Problems = None,
) -> None:
    """People and their roles from a plain CSV."""
    django_setup()
    migrate()
    from capacity.directory.importers import import_people

    finish(import_people(path, actor_label="capacity import people", dry_run=dry_run), problems)


def import_orgs_command(
    path: Annotated[
        Path,
        typer.Argument(
            help="A CSV or XLSX of boards, schools and networks (see docs/data-formats.md)."
        ),
    ],
    dry_run: DryRun = False,
    problems: Problems = None,
) -> None:
    """Boards, schools and learning networks from a plain CSV or XLSX."""
    django_setup()
    migrate()
    from capacity.directory.importers import import_orgs

    finish(import_orgs(path, actor_label="capacity import orgs", dry_run=dry_run), problems)


@token_app.command("create")
def token_create(
    username: Annotated[str, typer.Argument(help="The person the token acts as.")],
    name: Annotated[
        str, typer.Option(help="What the token is for, e.g. 'nightly export'.")
    ] = "api",
    days: Annotated[
        int | None,
        typer.Option(
            help="Days until it expires (CAPACITY_API_TOKEN_DAYS, 90 unless set; at most 366)."
        ),
    ] = None,
) -> None:
    """Create an API token. It is printed once; only its hash is kept."""
    django_setup()
    migrate()
    from capacity.directory.models import User
    from capacity.directory.services import api_token_create

    user = User.objects.filter(username=username).first()
    if user is None:
        err.print(f"[red]No person with the user name {username!r}.[/]")
        raise typer.Exit(1)
    try:
        token, key = api_token_create(
            user=user, name=name, days=days, actor_label="capacity token create"
        )
    except ValueError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from exc
    console.print(
        f"Expires {token.expires:%Y-%m-%d %H:%M %Z}. Use it as: Authorization: Bearer <token>. "
        "It will not be shown again."
    )
    print(key)


@token_app.command("list")
def token_list(
    username: Annotated[str | None, typer.Argument(help="Only this person's tokens.")] = None,
) -> None:
    """List API tokens: whose, name, prefix, made, expires, last used. Keys are never shown."""
    django_setup()
    migrate()
    from capacity.directory.models import ApiToken

    tokens = ApiToken.objects.select_related("user")
    if username:
        tokens = tokens.filter(user__username=username)
    # Tab-separated lines rather than a table: whole prefixes at any terminal width, and easy to grep or cut.
    print("id\tperson\tname\tprefix\tmade\texpires\tlast used")
    for t in tokens:
        print(
            "\t".join(
                [
                    str(t.pk),
                    t.user.get_username(),
                    t.name,
                    t.prefix,
                    f"{t.created:%Y-%m-%d}",
                    f"{t.expires:%Y-%m-%d}" + (" (expired)" if t.expired else ""),
                    f"{t.last_used:%Y-%m-%d %H:%M}" if t.last_used else "never",
                ]
            )
        )


@token_app.command("revoke")
def token_revoke(
    token: Annotated[
        str,
        typer.Argument(help="The token's id or prefix (cap_...), as `capacity token list` shows."),
    ],
) -> None:
    """Revoke an API token: it stops working at once. Audited."""
    django_setup()
    migrate()
    from capacity.directory.models import ApiToken
    from capacity.directory.services import api_token_revoke

    tokens = ApiToken.objects.select_related("user")
    by_id = token.isdigit() and len(token) < 19
    found = list(tokens.filter(pk=int(token)) if by_id else tokens.filter(prefix=token))
    if len(found) != 1:
        err.print(
            f"[red]{'No token' if not found else 'More than one token'} matches {token!r}.[/]"
        )
        raise typer.Exit(1)
    api_token_revoke(token=found[0], actor_label="capacity token revoke")
    console.print(f"Revoked {found[0].prefix}… of {found[0].user.get_username()}.")
