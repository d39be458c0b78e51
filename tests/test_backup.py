"""`capacity backup` and `capacity restore`: one file holds the whole database and every stored file.

The round trip restores into a fresh database of the configured vendor (a new
SQLite file, or a new PostgreSQL database in CI's PostgreSQL stage) and
compares every table, row by row, and every stored file, byte for byte. The
refusals check that a damaged, foreign or mismatched file, or a target that
holds data, changes nothing.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection

from capacity.audit.models import AuditEntry
from capacity.backup import (
    FILES_PREFIX,
    MANIFEST,
    REFERENCE_TABLES,
    BackupError,
    Installation,
    database_connection,
    find_postgresql_tool,
    installation_contents,
    make_backup,
    read_manifest,
    restore_backup,
    table_counts,
    tool_version,
)
from capacity.evidence.models import Result, ResultImport
from capacity.evidence.services import assessments_ensure
from tests.conftest import World, need
from tests.processes import Instance, _environment

# Another connection (SQLite's backup, pg_dump) must see the test's rows: no test transaction.
uses_the_database = pytest.mark.django_db(transaction=True)

# Bytes no text file has (every value 0-255, twice), to compare byte for byte.
BINARY = bytes(range(256)) * 2


# ---------------------------------------------------------------- helpers


def every_row(database: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the database lists (not only Django's models), sorted."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with database_connection(database) as db, db.cursor() as cursor:
        for table in db.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {db.ops.quote_name(table)}")
            rows[table] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
    return rows


def every_file(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def configured() -> Installation:
    return Installation.configured()


def rewrite(
    source: Path,
    target: Path,
    *,
    manifest: Callable[[dict[str, Any]], None] | None = None,
    member: Callable[[str, bytes], bytes | None] | None = None,
    extra: tuple[str, bytes] | None = None,
) -> Path:
    """A copy of a backup with its manifest or a member changed (None drops the member)."""
    with tarfile.open(source) as archive:
        members = [(m.name, archive.extractfile(m).read()) for m in archive]  # type: ignore[union-attr]
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as out:
        for name, data in members + ([extra] if extra else []):
            if name == MANIFEST and manifest:
                loaded = json.loads(data)
                manifest(loaded)
                data = json.dumps(loaded).encode()
            elif member:
                changed = member(name, data)
                if changed is None:
                    continue
                data = changed
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


def assert_unchanged(fresh: Installation) -> None:
    """A refused restore left the fresh target as it was: no tables, no files, no leftovers."""
    assert installation_contents(fresh).empty
    if fresh.vendor == "sqlite":
        assert not Path(fresh.database["NAME"]).exists()
    else:
        with database_connection(fresh.database) as db, db.cursor() as cursor:
            assert db.introspection.table_names(cursor) == []
    assert not fresh.media_root.exists()
    assert [p.name for p in fresh.media_root.parent.glob(".capacity-restore-*")] == []


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def stored(world: World, media: Path) -> World:
    """The personas' province with uploads stored: a results file named in French, a binary file."""
    ResultImport.objects.create(
        file=ContentFile(b"school,value\n700001,71\n", name="résultats été.csv"),
        original_name="résultats été.csv",
        school_year="2023-24",
        uploaded_by=world.personas["ministry"],
    )
    ResultImport.objects.create(
        file=ContentFile(BINARY, name="scan.bin"), original_name="scan.bin", state="applied"
    )
    AuditEntry.objects.create(action="sign_in", actor_label="ministry", detail={"é": [1, 2]})
    # Results in two school years (on PostgreSQL, two partitions of the results table).
    assessment = next(iter(assessments_ensure().values()))
    for year, value in (("2017-18", 55.5), ("2018-19", 61.25)):
        Result.objects.create(
            school=world.school_a1,
            school_year=year,
            assessment_id=assessment,
            participating=30,
            pct_at_standard=value,
        )
    return world


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Installation]:
    """An empty database of the configured vendor (a new SQLite file or PostgreSQL database)."""
    folder = tmp_path / "fresh"
    folder.mkdir()
    if connection.vendor == "sqlite":
        yield Installation(
            database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(folder / "db.sqlite3")},
            media_root=folder / "media",
        )
        return
    name = f"{connection.settings_dict['NAME']}_restore"[:63]
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quoted}")
    try:
        yield Installation(
            database={**connection.settings_dict, "NAME": name}, media_root=folder / "media"
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


@pytest.fixture
def backup(stored, tmp_path: Path) -> Path:
    path = tmp_path / "capacity.tar"
    make_backup(path)
    return path


# ---------------------------------------------------------------- the round trip


@uses_the_database
def test_it_restores_every_table_and_file_into_a_fresh_database(
    stored, media: Path, fresh: Installation, tmp_path: Path
) -> None:
    before = every_row(configured().database)
    files = every_file(media)
    assert len(files) == 2 and BINARY in files.values()
    # Every model's table (the many-to-many ones too) is among those compared.
    model_tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    assert model_tables <= set(before)
    assert before["directory_network_schools"]  # a many-to-many table with rows

    path = tmp_path / "capacity.tar"
    manifest = make_backup(path)

    assert every_row(configured().database) == before  # backing up changed nothing
    assert manifest.vendor == connection.vendor
    assert manifest.tables == {table: len(rows) for table, rows in before.items()}
    assert sorted(f.path for f in manifest.files) == sorted(files)
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # it holds personal information
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []

    report = restore_backup(path, installation=fresh)

    assert every_row(fresh.database) == before
    assert every_file(fresh.media_root) == files
    assert report.replaced.empty and report.files_moved_aside is None


@uses_the_database
def test_restoring_with_force_replaces_the_data_and_keeps_the_files_aside(
    backup: Path, media: Path, fresh: Installation
) -> None:
    restore_backup(backup, installation=fresh)
    (fresh.media_root / "kept.txt").write_bytes(b"a file only the target had")
    with database_connection(fresh.database) as db, db.cursor() as cursor:
        cursor.execute("DELETE FROM directory_membership")

    with pytest.raises(BackupError, match="The target is not empty: .* use --force"):
        restore_backup(backup, installation=fresh)
    said: list[str] = []
    report = restore_backup(backup, installation=fresh, force=True, say=said.append)

    assert every_row(fresh.database) == every_row(configured().database)
    assert every_file(fresh.media_root) == every_file(media)
    assert report.files_moved_aside is not None
    assert (report.files_moved_aside / "kept.txt").read_bytes() == b"a file only the target had"
    assert len(said) == 1 and "--force: replacing" in said[0] and "stored files" in said[0]


@uses_the_database
def test_a_backup_taken_while_people_write_is_one_moment(
    stored, fresh: Installation, tmp_path: Path
) -> None:
    """Writes go on during the backup; the counts in the manifest are those of the dump."""
    stop = threading.Event()
    written = 0

    def write() -> None:
        nonlocal written
        from django.db import connection as own

        try:
            while not stop.is_set():
                AuditEntry.objects.create(action="sign_in", actor_label=f"writer {written}")
                written += 1
        finally:
            own.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        manifest = make_backup(tmp_path / "during.tar")
    finally:
        stop.set()
        writer.join()
    assert written > 0
    restore_backup(tmp_path / "during.tar", installation=fresh)  # checks every count
    with database_connection(fresh.database) as db, db.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM audit_auditentry")
        assert cursor.fetchone()[0] == manifest.tables["audit_auditentry"]


@pytest.mark.slow
def test_a_freshly_migrated_database_counts_as_empty(instance: Instance, django_db_blocker) -> None:
    """Reference rows a migration loads are not data; a new data migration must be named."""
    target = Installation(
        database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(instance.database)},
        media_root=instance.folder / "media",
    )
    with django_db_blocker.unblock():  # the instance's own file, not the test database
        contents = installation_contents(target)
        with database_connection(target.database) as db:
            seeded = {name for name, count in table_counts(db).items() if count}
    assert contents.empty, contents.rows
    assert seeded >= REFERENCE_TABLES  # each name still matters


# ---------------------------------------------------------------- refusals


@uses_the_database
def test_it_refuses_a_target_that_holds_data_and_changes_nothing(backup: Path, media: Path) -> None:
    before, files = every_row(configured().database), every_file(media)
    with pytest.raises(BackupError) as refused:
        restore_backup(backup)
    assert "The target is not empty" in str(refused.value)
    assert "directory_user" in str(refused.value) or "rows in" in str(refused.value)
    assert every_row(configured().database) == before and every_file(media) == files


@uses_the_database
def test_it_refuses_a_backup_of_the_other_database_vendor(backup: Path, tmp_path: Path) -> None:
    if connection.vendor == "sqlite":
        other = Installation(
            database={
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "never_reached",
                "HOST": "127.0.0.1",
                "PORT": "9",
            },
            media_root=tmp_path / "other" / "media",
        )
        message = "is a backup of a SQLite database; the configured database is PostgreSQL"
    else:
        other = Installation(
            database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "o.sqlite3")},
            media_root=tmp_path / "other" / "media",
        )
        message = "is a backup of a PostgreSQL database; the configured database is SQLite"
    with pytest.raises(BackupError, match=message):
        restore_backup(backup, installation=other)
    assert not (tmp_path / "o.sqlite3").exists() and not (tmp_path / "other").exists()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("truncated", "ends early|incomplete"),
        ("flipped byte in the database", "database.* does not match its checksum"),
        ("flipped byte in a file", "files/.* does not match its checksum"),
        ("member dropped", "The backup is incomplete: 1 of the members"),
        ("member added", "holds 'files/extra.txt', which its manifest does not list"),
        ("not a tar file", "is not a Capacity backup"),
        ("a tar without a manifest", "its first member is 'notes.txt', not manifest.json"),
        ("manifest not JSON", "is not valid JSON"),
        ("a newer format", "format version 2; this Capacity reads version 1"),
        ("a newer migration", r"comes from a newer Capacity: .*\(directory.9999_from_the_future\)"),
        ("an unsafe file name", "file 1 has an unsafe name"),
    ],
)
@uses_the_database
def test_it_refuses_a_damaged_or_foreign_file_and_changes_nothing(
    backup: Path, fresh: Installation, tmp_path: Path, damage: str, message: str
) -> None:
    bad = tmp_path / "bad.tar"
    data = backup.read_bytes()

    def flip(prefix: str) -> Callable[[str, bytes], bytes | None]:
        def change(name: str, body: bytes) -> bytes | None:
            if name.startswith(prefix) and body:
                middle = len(body) // 2
                return body[:middle] + bytes([body[middle] ^ 0xFF]) + body[middle + 1 :]
            return body

        return change

    if damage == "truncated":
        bad.write_bytes(data[: len(data) * 2 // 3])
    elif damage == "flipped byte in the database":
        rewrite(backup, bad, member=flip("database/"))
    elif damage == "flipped byte in a file":
        rewrite(backup, bad, member=flip(FILES_PREFIX))
    elif damage == "member dropped":
        rewrite(backup, bad, member=lambda n, b: None if n.endswith("scan.bin") else b)
    elif damage == "member added":
        rewrite(backup, bad, extra=("files/extra.txt", b"not listed"))
    elif damage == "not a tar file":
        bad.write_bytes(b"PK\x03\x04 a zip, or anything else" * 100)
    elif damage == "a tar without a manifest":
        with tarfile.open(bad, "w") as archive:
            info = tarfile.TarInfo("notes.txt")
            info.size = 5
            archive.addfile(info, io.BytesIO(b"notes"))
    elif damage == "manifest not JSON":
        rewrite(backup, bad, member=lambda n, b: b"{not json" if n == MANIFEST else b)
    elif damage == "a newer format":
        rewrite(backup, bad, manifest=lambda m: m.update(format_version=2))
    elif damage == "a newer migration":
        rewrite(
            backup,
            bad,
            manifest=lambda m: m["database"]["migrations"].append("directory.9999_from_the_future"),
        )
    elif damage == "an unsafe file name":
        rewrite(backup, bad, manifest=lambda m: m["files"][0].update(path="../../etc/passwd"))

    with pytest.raises(BackupError, match=message):
        restore_backup(bad, installation=fresh)
    assert_unchanged(fresh)


@uses_the_database
def test_it_refuses_a_database_member_its_engine_cannot_read(
    backup: Path, fresh: Installation, tmp_path: Path
) -> None:
    """Checksums match (the manifest was made for these bytes), but they are no database."""
    import hashlib

    garbage = b"not a database at all" * 1000

    def swap(manifest: dict[str, Any]) -> None:
        manifest["database"].update(size=len(garbage), sha256=hashlib.sha256(garbage).hexdigest())

    bad = rewrite(
        backup,
        tmp_path / "bad.tar",
        manifest=swap,
        member=lambda n, b: garbage if n.startswith("database/") else b,
    )
    message = "not a SQLite database" if connection.vendor == "sqlite" else "pg_restore --list"
    with pytest.raises(BackupError, match=message):
        restore_backup(bad, installation=fresh)
    assert_unchanged(fresh)


@uses_the_database
def test_a_failed_backup_leaves_no_file(stored, media: Path, tmp_path: Path) -> None:
    """A stored file removed while the backup runs: refused, and nothing looks like a backup."""
    path = tmp_path / "out" / "capacity.tar"
    path.parent.mkdir()
    victim = media / ResultImport.objects.get(original_name="scan.bin").file.name

    def remove_a_file(step: str, done: int, total: int) -> None:
        if step == "Writing the backup" and victim.exists():
            victim.unlink()

    with pytest.raises(BackupError, match="changed while it was being backed up"):
        make_backup(path, progress=remove_a_file)
    assert list(path.parent.iterdir()) == []


@uses_the_database
def test_it_never_overwrites_a_file_unless_asked(backup: Path) -> None:
    before = backup.read_bytes()
    with pytest.raises(
        BackupError, match="exists already: choose another name, or use --overwrite"
    ):
        make_backup(backup)
    assert backup.read_bytes() == before
    manifest = make_backup(backup, overwrite=True)
    assert read_manifest(backup).created_at == manifest.created_at


@uses_the_database
def test_a_compressed_backup_restores_too(stored, fresh: Installation, tmp_path: Path) -> None:
    path = tmp_path / "capacity.tar.gz"
    make_backup(path)
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    restore_backup(path, installation=fresh)
    assert every_row(fresh.database) == every_row(configured().database)


# ---------------------------------------------------------------- PostgreSQL's tools


def test_tool_versions_are_read_from_their_version_line() -> None:
    assert tool_version("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)") == (15, "15.18")
    assert tool_version("pg_restore (PostgreSQL) 9.6.24") == (9, "9.6")
    assert tool_version("something else") is None


def test_a_missing_pg_dump_is_named_with_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(BackupError) as refused:
        find_postgresql_tool(
            "pg_dump", at_least=15, needed_for="to back up", search=[str(tmp_path)]
        )
    assert "pg_dump is needed to back up but was not found" in str(refused.value)
    assert "apt-get install postgresql-client-15" in str(refused.value)


@uses_the_database
@pytest.mark.postgres
def test_pg_dump_older_than_the_server_is_refused() -> None:
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    server_major = connection.pg_version // 10000  # type: ignore[attr-defined]
    found = find_postgresql_tool("pg_dump", at_least=server_major, needed_for="to back up")
    assert found.major >= server_major
    with pytest.raises(
        BackupError, match=rf"pg_dump {found.version} .* is older than PostgreSQL 99"
    ):
        find_postgresql_tool("pg_dump", at_least=99, needed_for="to back up")


@uses_the_database
@pytest.mark.postgres
def test_postgresql_backups_are_pg_dump_custom_archives(backup: Path, tmp_path: Path) -> None:
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    with tarfile.open(backup) as archive:
        dump = archive.extractfile("database/capacity.pgdump").read()  # type: ignore[union-attr]
    assert dump[:5] == b"PGDMP"  # pg_restore reads it without Capacity
    assert read_manifest(backup).dump_tool_version


# ---------------------------------------------------------------- as a person runs it


def _second_instance(migrated_folder: Path, folder: Path) -> Instance:
    folder.mkdir()
    shutil.copy(migrated_folder / "capacity.sqlite3", folder / "capacity.sqlite3")
    shutil.copy(migrated_folder / "secret_key", folder / "secret_key")
    return Instance(folder, _environment(folder))


def _rows_without(database: Path, action: str) -> dict[str, list[tuple[Any, ...]]]:
    rows = every_row({"ENGINE": "django.db.backends.sqlite3", "NAME": str(database)})
    rows["audit_auditentry"] = [r for r in rows["audit_auditentry"] if action not in r]
    return rows


@pytest.mark.slow
def test_the_commands_back_up_and_restore_as_a_person_runs_them(
    instance: Instance, migrated_folder: Path, tmp_path: Path, django_db_blocker
) -> None:
    instance.python(
        "from django.core.files.base import ContentFile\n"
        "from tests.factories import SchoolFactory, UserFactory, NetworkFactory\n"
        "from capacity.evidence.models import ResultImport\n"
        "school = SchoolFactory(name='École Sainte-Anne')\n"
        "NetworkFactory(name='N').schools.add(school)\n"
        "UserFactory(username='ada')\n"
        f"ResultImport.objects.create(file=ContentFile({BINARY!r}, name='a.bin'), original_name='a.bin')\n"
    )
    path = tmp_path / "backups" / "capacity.tar"
    path.parent.mkdir()

    done = instance.run("backup", str(path))
    assert done.returncode == 0, done.stderr
    assert "Backed up to" in done.stdout and "1 stored file (" in done.stdout
    again = instance.run("backup", str(path))
    assert again.returncode == 1 and "--overwrite" in again.stderr

    target = _second_instance(migrated_folder, tmp_path / "target")  # freshly migrated
    restored = target.run("restore", str(path))
    assert restored.returncode == 0, restored.stderr
    assert "every checksum matched" in restored.stdout

    with django_db_blocker.unblock():  # the instances' own files, not the test database
        assert _rows_without(target.database, "backup_restored") == _rows_without(
            instance.database, "backup_made"
        )
    assert every_file(target.folder / "media") == every_file(instance.folder / "media")
    assert target.query("SELECT actor_label FROM audit_auditentry WHERE action = 'backup_restored'")
    assert instance.query("SELECT actor_label FROM audit_auditentry WHERE action = 'backup_made'")

    refused = target.run("restore", str(path))
    assert refused.returncode == 1 and "The target is not empty" in refused.stderr
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    damaged = target.run("restore", str(path), "--force")
    assert damaged.returncode == 1 and "Nothing was changed" in damaged.stderr
    assert os.listdir(target.folder / "media") and target.query("SELECT 1 FROM directory_school")
