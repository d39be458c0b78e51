"""PostgreSQL's side: finding pg_dump, pg_restore and psql, dumping one snapshot, and loading
a dump in one transaction after dropping what the target holds."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
from capacity.backup.databases import (
    Installation,
    applied_migrations,
    database_connection,
    stored_file_names,
    table_counts,
)
from capacity.backup.manifest import (
    BackupError,
    Manifest,
)

POSTGRESQL_TOOLS_GLOB = "/usr/lib/postgresql/*/bin"


_TOOL_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


@dataclass(frozen=True)
class PostgresqlTool:
    path: str
    major: int
    version: str


def tool_version(text: str) -> tuple[int, str] | None:
    """(major, 'major.minor') from a tool's `--version` line, e.g. 'pg_dump (PostgreSQL) 15.18'."""
    found = _TOOL_VERSION.search(text)
    if not found:
        return None
    major = int(found.group(1))
    return major, f"{major}.{found.group(2) or 0}"


def find_postgresql_tool(
    name: str,
    *,
    at_least: int,
    needed_for: str,
    search: Sequence[str] | None = None,
    env: dict[str, str] | None = None,
) -> PostgresqlTool:
    """The newest `name` (pg_dump, pg_restore, psql) on PATH or in /usr/lib/postgresql/*/bin.

    Refused with what to install when none is found or the newest is older than
    `at_least` (a major version: pg_dump must be at least the server's).
    """
    import glob

    if search is None:
        on_path = shutil.which(name)
        folders = ([str(Path(on_path).parent)] if on_path else []) + sorted(
            glob.glob(POSTGRESQL_TOOLS_GLOB)
        )
    else:
        folders = list(search)
    found: list[PostgresqlTool] = []
    for folder in folders:
        path = Path(folder) / name
        if not (path.is_file() and os.access(path, os.X_OK)):
            continue
        try:
            done = subprocess.run(
                [str(path), "--version"],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
                env=env,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        version = tool_version(done.stdout)
        if done.returncode == 0 and version:
            found.append(PostgresqlTool(path=str(path), major=version[0], version=version[1]))
    install = (
        f"install PostgreSQL's client tools (Debian: apt-get install postgresql-client-{at_least})"
    )
    if not found:
        raise BackupError(
            f"{name} is needed {needed_for} but was not found on PATH or in "
            f"{POSTGRESQL_TOOLS_GLOB}: {install}."
        )
    best = max(found, key=lambda tool: tool.major)
    if best.major < at_least:
        raise BackupError(
            f"{name} {best.version} ({best.path}) is older than PostgreSQL {at_least}, which it is "
            f"needed {needed_for}: {install}."
        )
    return best


def postgresql_environment(database: dict[str, Any]) -> dict[str, str]:
    """The environment PostgreSQL's tools read to reach `database` (the password never on argv)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGDATABASE": database.get("NAME"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
    }
    options = database.get("OPTIONS") or {}
    for option, variable in {
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
        "connect_timeout": "PGCONNECT_TIMEOUT",
        "options": "PGOPTIONS",
        "passfile": "PGPASSFILE",
        "service": "PGSERVICE",
    }.items():
        values[variable] = options.get(option)
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return env


def run_tool(command: list[str], *, env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {last_lines(done.stderr)}")


def last_lines(text: str, count: int = 5) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return " / ".join(lines[-count:]) or "(no message)"


def dump_postgresql(installation: Installation, dump: Path) -> dict[str, Any]:
    database = installation.database
    env = postgresql_environment(database)
    with database_connection(database) as connection:
        try:
            connection.ensure_connection()
        except Exception as exc:
            raise BackupError(f"{installation.describe()} cannot be reached: {exc}") from exc
        server = int(getattr(connection, "pg_version", 0))
        server_major = server // 10000
        pg_dump = find_postgresql_tool(
            "pg_dump", at_least=server_major, needed_for="to back up this database", env=env
        )
        connection.set_autocommit(False)
        try:
            with connection.cursor() as cursor:
                # The counts, the file names and pg_dump all read this one snapshot.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cursor.fetchone()
            migrations = applied_migrations(connection)
            if not migrations:
                raise BackupError(
                    f"{installation.describe()} holds no Capacity tables (it was never migrated): "
                    "nothing to back up."
                )
            tables = table_counts(connection)
            file_names = stored_file_names(connection)
            run_tool(
                [
                    pg_dump.path,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                    "--no-password",
                ],
                env=env,
                what="pg_dump",
            )
        finally:
            connection.rollback()
            connection.set_autocommit(True)
    return {
        "server_version": str(server_version),
        "dump_tool_version": pg_dump.version,
        "migrations": migrations,
        "tables": tables,
        "file_names": file_names,
    }


def restore_tools(installation: Installation, manifest: Manifest) -> dict[str, PostgresqlTool]:
    """pg_restore able to read the dump (as new as the pg_dump that wrote it) and psql."""
    env = postgresql_environment(installation.database)
    made_by = tool_version(f"(PostgreSQL) {manifest.dump_tool_version}")
    at_least = made_by[0] if made_by else 0
    pg_restore = find_postgresql_tool(
        "pg_restore", at_least=at_least, needed_for="to read this backup", env=env
    )
    psql = find_postgresql_tool("psql", at_least=0, needed_for="to restore this backup", env=env)
    return {"pg_restore": pg_restore, "psql": psql}


# What a restore drops first: every relation, routine and type in the target's own
# schemas, except what an extension owns (unaccent's functions stay with unaccent);
# partitions go with their table.
_RELATIONS = """
SELECT c.relkind, format('%I.%I', n.nspname, c.relname) FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
  AND NOT (c.relkind = 'r' AND c.relispartition)
ORDER BY 2
"""
_ROUTINES = """
SELECT p.oid::regprocedure::text, p.prokind FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
ORDER BY 1
"""
_TYPES = """
SELECT format('%I.%I', n.nspname, t.typname) FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype IN ('e', 'd', 'r')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
ORDER BY 1
"""
_RELATION_KINDS = {
    "r": "TABLE",
    "p": "TABLE",
    "v": "VIEW",
    "m": "MATERIALIZED VIEW",
    "S": "SEQUENCE",
    "f": "FOREIGN TABLE",
}


def _drop_statement(connection: BaseDatabaseWrapper) -> str:
    """SQL dropping every table, view, sequence, routine and type the target's own schemas hold."""
    statements: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute(_RELATIONS)
        for kind, name in cursor.fetchall():
            statements.append(f"DROP {_RELATION_KINDS[kind]} IF EXISTS {name} CASCADE;")
        cursor.execute(_ROUTINES)
        for signature, kind in cursor.fetchall():
            routine = {"p": "PROCEDURE", "a": "AGGREGATE"}.get(kind, "FUNCTION")
            statements.append(f"DROP {routine} IF EXISTS {signature} CASCADE;")
        cursor.execute(_TYPES)
        for (name,) in cursor.fetchall():
            statements.append(f"DROP TYPE IF EXISTS {name} CASCADE;")
    return "\n".join(statements) + "\n"


def load_postgresql(
    dump: Path, installation: Installation, tools: dict[str, PostgresqlTool]
) -> None:
    """Replace the target's objects with the dump's in one transaction (all or nothing)."""
    env = postgresql_environment(installation.database)
    with database_connection(installation.database) as connection:
        prelude = _drop_statement(connection)
    prelude_file = dump.with_suffix(".drop.sql")
    prelude_file.write_text(prelude, encoding="utf-8")
    restore = subprocess.Popen(
        [
            tools["pg_restore"].path,
            "--no-owner",
            "--no-privileges",
            "--no-comments",
            "--file=-",
            str(dump),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert restore.stdout is not None
    try:
        applied = subprocess.run(
            [
                tools["psql"].path,
                "--no-psqlrc",
                "--quiet",
                "--no-password",
                "--set=ON_ERROR_STOP=1",
                "--single-transaction",
                f"--file={prelude_file}",
                "--file=-",
            ],
            stdin=restore.stdout,
            capture_output=True,
            env=env,
            check=False,
        )
    finally:
        restore.stdout.close()
        restore_errors = restore.stderr.read() if restore.stderr else b""
        restore.wait()
    if restore.returncode != 0:
        raise BackupError(
            f"pg_restore could not read the dump: {last_lines(restore_errors.decode(errors='replace'))}. "
            "Nothing was changed."
        )
    if applied.returncode != 0:
        raise BackupError(
            "PostgreSQL refused the restore, so it was rolled back and nothing was changed: "
            + last_lines(applied.stderr.decode(errors="replace"))
        )
