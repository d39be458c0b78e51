"""The database side every vendor shares: which installation, its tables and counts, its
migrations, whether it holds data; SQLite's copy, check and load; the audit entries."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
from capacity.backup.manifest import (
    BackupError,
    Manifest,
    Progress,
    size_text,
    walk_files,
)

# Tables a fresh `migrate` fills (Django's bookkeeping and the reference rows
# Capacity's data migrations load): a target holding rows only there is empty.
# tests/test_backup.py checks that a freshly migrated database counts as empty,
# so a new data migration that seeds a table must name it here.
REFERENCE_TABLES = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "evidence_assessment",
        "evidence_policy",
        "instruments_instrument",
    }
)
# What a running site writes about itself, not data: a target that was served for a
# moment before the restore (its worker's heartbeat) is still empty.
OPERATIONAL_TABLES = frozenset({"operations_workerbeat"})


@dataclass(frozen=True)
class Installation:
    """A Capacity's database (a Django DATABASES entry) and the folder of its stored files."""

    database: dict[str, Any]
    media_root: Path

    @classmethod
    def configured(cls) -> Installation:
        """The database and MEDIA_ROOT the settings name (DATABASE_URL, CAPACITY_VAR_DIR)."""
        from django.conf import settings

        return cls(
            database=dict(settings.DATABASES["default"]),
            media_root=Path(settings.MEDIA_ROOT),
        )

    @property
    def vendor(self) -> str:
        engine = str(self.database.get("ENGINE", ""))
        if engine.endswith("sqlite3"):
            return "sqlite"
        if engine.endswith("postgresql"):
            return "postgresql"
        raise BackupError(f"Backups cover SQLite and PostgreSQL databases, not {engine}.")

    def describe(self) -> str:
        """The database in words: 'the SQLite file X' or 'the PostgreSQL database N on H:P'."""
        if self.vendor == "sqlite":
            return f"the SQLite file {self.database['NAME']}"
        where = f"{self.database.get('HOST') or 'localhost'}:{self.database.get('PORT') or 5432}"
        return f"the PostgreSQL database {self.database['NAME']} on {where}"


@contextmanager
def database_connection(database: dict[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    """A Django connection to any DATABASES entry (not only the configured one), closed after."""
    from django.db.utils import ConnectionHandler

    handler = ConnectionHandler({"default": dict(database)})
    connection = handler["default"]
    try:
        yield connection
    finally:
        connection.close()


def table_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Every table's row count, by name (the database's own list of tables, not Django's models)."""
    quote = connection.ops.quote_name
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(name)}")  # noqa: S608 (names from the catalogue)
            counts[name] = int(cursor.fetchone()[0])
    return counts


def applied_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    """'app.name' of every migration the database records as applied; [] with no Django tables."""
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return []
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _derived_tables(connection: BaseDatabaseWrapper) -> set[str]:
    """SQLite's own and full-text tables: kept in step by the database, never data of their own."""
    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA table_list")
        return {
            str(row[1])
            for row in cursor.fetchall()
            if row[2] in {"virtual", "shadow"} or str(row[1]).startswith("sqlite_")
        }


def stored_file_names(connection: BaseDatabaseWrapper) -> set[str]:
    """The names every FileField in the database refers to (relative to MEDIA_ROOT)."""
    from django.apps import apps
    from django.db import models

    quote = connection.ops.quote_name
    names: set[str] = set()
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model in apps.get_models():
            table = model._meta.db_table
            if table not in tables:
                continue
            for model_field in model._meta.concrete_fields:
                if isinstance(model_field, models.FileField):
                    column = quote(model_field.column)
                    cursor.execute(
                        f"SELECT {column} FROM {quote(table)} WHERE {column} <> ''"  # noqa: S608
                    )
                    names.update(str(row[0]) for row in cursor.fetchall() if row[0])
    return names


@dataclass(frozen=True)
class Contents:
    """What an installation holds now: data rows by table (reference rows left out) and files."""

    rows: dict[str, int]
    files: int
    files_size: int

    @property
    def empty(self) -> bool:
        return not self.rows and not self.files

    def describe(self) -> str:
        parts = []
        if self.rows:
            largest = sorted(self.rows.items(), key=lambda item: (-item[1], item[0]))[:5]
            parts.append(
                f"{sum(self.rows.values()):,} rows in {len(self.rows)} tables (most in "
                + ", ".join(f"{name}: {count:,}" for name, count in largest)
                + ")"
            )
        if self.files:
            plural = "" if self.files == 1 else "s"
            parts.append(f"{self.files:,} stored file{plural} ({size_text(self.files_size)})")
        return " and ".join(parts) or "nothing"


def installation_contents(installation: Installation) -> Contents:
    """The data rows and stored files an installation holds (a missing SQLite file holds none)."""
    rows: dict[str, int] = {}
    if _database_exists(installation):
        try:
            with database_connection(installation.database) as connection:
                derived = _derived_tables(connection)
                rows = {
                    name: count
                    for name, count in table_counts(connection).items()
                    if count
                    and name not in REFERENCE_TABLES | OPERATIONAL_TABLES
                    and name not in derived
                }
        except BackupError:
            raise
        except Exception as exc:
            raise BackupError(f"{installation.describe()} cannot be read: {exc}") from exc
    files = list(walk_files(installation.media_root))
    return Contents(rows=rows, files=len(files), files_size=sum(p.stat().st_size for p in files))


def _database_exists(installation: Installation) -> bool:
    if installation.vendor != "sqlite":
        return True
    path = Path(installation.database["NAME"])
    return path.is_file() and path.stat().st_size > 0


def unknown_migrations(applied: Sequence[str]) -> list[str]:
    """Migrations a backup had applied that this code does not have (it is from a newer Capacity)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    return [name for name in applied if name not in known]


def pending_migrations(applied: Sequence[str]) -> int:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    done = set(applied)
    return sum(1 for app, name in loader.disk_migrations if f"{app}.{name}" not in done)


def dump_sqlite(
    installation: Installation, dump: Path, progress: Progress | None
) -> dict[str, Any]:
    name = str(installation.database["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("The database is in memory: there is nothing on disk to back up.")
    source_path = Path(name)
    if not source_path.is_file():
        raise BackupError(f"There is no database at {source_path}: nothing to back up.")
    try:
        # mode=rw: never create a database where there is none.
        with (
            closing(
                sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
            ) as source,
            closing(sqlite3.connect(dump)) as copy,
        ):
            total = source.execute("PRAGMA page_count").fetchone()[0]
            if progress:
                progress("Copying the database", 0, total)
            # One step: SQLite copies one consistent state while the app keeps reading
            # and writing (a write during a step-by-step copy would restart it).
            source.backup(copy)
            if progress:
                progress("Copying the database", total, total)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not copy {source_path}: {exc}") from exc
    copy_settings = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(dump)}
    with database_connection(copy_settings) as connection:
        migrations = applied_migrations(connection)
        if not migrations:
            raise BackupError(
                f"{source_path} holds no Capacity tables (it was never migrated): nothing to back up."
            )
        return {
            "server_version": sqlite3.sqlite_version,
            "migrations": migrations,
            "tables": table_counts(connection),
            "file_names": stored_file_names(connection),
        }


def check_sqlite_copy(dump: Path, manifest: Manifest) -> None:
    try:
        with closing(sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro", uri=True)) as copy:
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupError(f"The backup's database is not a SQLite database: {exc}.") from exc
    if verdict != "ok":
        raise BackupError(f"The backup's database fails SQLite's check: {verdict}.")
    copy_settings = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(dump)}
    with database_connection(copy_settings) as connection:
        if table_counts(connection) != manifest.tables:
            raise BackupError(
                "The backup's database does not hold the row counts its manifest lists: "
                "the backup is damaged. Nothing was changed."
            )


def load_sqlite(dump: Path, installation: Installation) -> None:
    """Copy the checked database into the target with SQLite's backup API (one write transaction)."""
    target = Path(installation.database["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            closing(sqlite3.connect(dump)) as source,
            closing(sqlite3.connect(target, timeout=30)) as destination,
        ):
            source.backup(destination)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite could not write {target}: {exc}") from exc


def record(action: str, **entry: Any) -> bool:
    from django.db import DatabaseError

    from capacity.audit.services import audit_record

    try:
        audit_record(action=action, **entry)
    except DatabaseError:
        return False
    return True
