"""Restoring a backup: every check before any change, then the database, the counts, the files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import lzma
import os
import shutil
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass
from capacity.backup.databases import (
    Contents,
    Installation,
    check_sqlite_copy,
    database_connection,
    installation_contents,
    load_sqlite,
    pending_migrations,
    record,
    table_counts,
    unknown_migrations,
)
from capacity.backup.manifest import (
    CHUNK,
    FILES_PREFIX,
    MANIFEST,
    VENDOR_NAMES,
    BackupError,
    Manifest,
    Progress,
    Say,
    walk_files,
)
from capacity.backup.postgresql import (
    load_postgresql,
    postgresql_environment,
    restore_tools,
    run_tool,
)

_MANIFEST_LIMIT = 512 << 20


@contextmanager
def open_backup(path: Path) -> Iterator[tuple[tarfile.TarFile, Manifest]]:
    """The archive, positioned after its manifest, and the manifest; a foreign file is refused."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no file {path}.")
    try:
        archive = tarfile.open(path, mode="r:*")  # noqa: SIM115 (closed below)
    except (tarfile.TarError, EOFError, zlib.error, lzma.LZMAError, OSError) as exc:
        raise BackupError(
            f"{path} is not a Capacity backup (it is not a tar archive, or it is damaged)."
        ) from exc
    try:
        try:
            first = archive.next()
        except (tarfile.TarError, EOFError, zlib.error, lzma.LZMAError, OSError) as exc:
            raise BackupError(f"{path} is not a Capacity backup, or it is damaged: {exc}.") from exc
        if first is None or first.name != MANIFEST or not first.isfile():
            found = "nothing" if first is None else repr(first.name)
            raise BackupError(
                f"{path} is not a Capacity backup: its first member is {found}, not {MANIFEST}."
            )
        if first.size > _MANIFEST_LIMIT:
            raise BackupError(f"{path} is not a Capacity backup: its manifest is too large.")
        try:
            opened = archive.extractfile(first)
            assert opened is not None
            data = json.loads(opened.read())
        except (tarfile.TarError, EOFError, zlib.error, lzma.LZMAError, OSError) as exc:
            raise BackupError(f"{path} ends early or is damaged: {exc}.") from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise BackupError(f"The manifest of {path} is not valid JSON: {exc}.") from exc
        yield archive, Manifest.from_json(data)
    finally:
        archive.close()


def read_manifest(path: Path) -> Manifest:
    """A backup's manifest, without reading the rest."""
    with open_backup(path) as (_archive, manifest):
        return manifest


@dataclass
class RestoreReport:
    manifest: Manifest
    replaced: Contents
    files_moved_aside: Path | None = None
    pending_migrations: int = 0
    seconds: float = 0.0


def restore_backup(
    path: Path,
    *,
    installation: Installation | None = None,
    force: bool = False,
    say: Say | None = None,
    progress: Progress | None = None,
) -> RestoreReport:
    """Restore a backup into an installation; every check passes before anything changes.

    The target must hold no data (no tables, or only what a fresh migration
    puts there) unless `force`; then its data is replaced and its stored files
    are moved aside beside MEDIA_ROOT. Raises BackupError with the reason.
    """
    from django.db import connections

    started = time.perf_counter()
    installation = installation or Installation.configured()
    tell = say or (lambda message: None)
    vendor = installation.vendor
    media_root = Path(os.path.abspath(installation.media_root))
    with open_backup(path) as (archive, manifest):
        if manifest.vendor != vendor:
            raise BackupError(
                f"{path} is a backup of a {VENDOR_NAMES[manifest.vendor]} database; the configured "
                f"database is {VENDOR_NAMES[vendor]} ({installation.describe()}). Restore it into a "
                f"{VENDOR_NAMES[manifest.vendor]} database (set DATABASE_URL). Nothing was changed."
            )
        unknown = unknown_migrations(manifest.migrations)
        if unknown:
            raise BackupError(
                f"{path} comes from a newer Capacity: this code does not know {len(unknown)} of "
                f"the migrations its database had applied ({', '.join(unknown[:5])}"
                f"{', ...' if len(unknown) > 5 else ''}). Restore it with the Capacity that made it "
                f"(version {manifest.capacity_version}) or a newer one. Nothing was changed."
            )
        tools = restore_tools(installation, manifest) if vendor == "postgresql" else {}
        contents = installation_contents(installation)
        if not contents.empty and not force:
            raise BackupError(
                f"The target is not empty: {installation.describe()} and {media_root} hold "
                f"{contents.describe()}. Restore into an empty database (a new DATABASE_URL or "
                "CAPACITY_VAR_DIR), or use --force to replace all of it. Nothing was changed."
            )
        media_root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".capacity-restore-", dir=media_root.parent))
        try:
            _unpack(archive, manifest, staging, progress)
            dump = staging / manifest.database_member
            if vendor == "sqlite":
                check_sqlite_copy(dump, manifest)
            else:
                run_tool(
                    [tools["pg_restore"].path, "--list", str(dump)],
                    env=postgresql_environment(installation.database),
                    what=f"pg_restore --list (reading {path}'s database dump)",
                )
            # Every check has passed: from here on the target changes.
            if not contents.empty:
                tell(
                    f"--force: replacing {contents.describe()} in {installation.describe()} "
                    f"and {media_root}."
                )
            connections.close_all()
            if vendor == "sqlite":
                load_sqlite(dump, installation)
            else:
                load_postgresql(dump, installation, tools)
            with database_connection(installation.database) as connection:
                restored = table_counts(connection)
            if restored != manifest.tables:
                differing = sorted(
                    name
                    for name in set(restored) | set(manifest.tables)
                    if restored.get(name) != manifest.tables.get(name)
                )
                raise BackupError(
                    f"The restored database does not match the backup's row counts in "
                    f"{len(differing)} tables ({', '.join(differing[:5])}); restore again, or "
                    "from another backup."
                )
            aside = _put_files(staging / FILES_PREFIX.rstrip("/"), media_root)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return RestoreReport(
        manifest=manifest,
        replaced=contents,
        files_moved_aside=aside,
        pending_migrations=pending_migrations(manifest.migrations),
        seconds=time.perf_counter() - started,
    )


def _unpack(
    archive: tarfile.TarFile, manifest: Manifest, staging: Path, progress: Progress | None
) -> None:
    """Unpack every member beside the target, checking each against the manifest."""
    expected = {manifest.database_member: (manifest.database_size, manifest.database_sha256)}
    expected |= {FILES_PREFIX + f.path: (f.size, f.sha256) for f in manifest.files}
    total = sum(size for size, _ in expected.values())
    done = 0
    seen: set[str] = set()
    try:
        # next(), not iteration: iterating a TarFile starts again from its first member.
        while (member := archive.next()) is not None:
            if member.name not in expected or member.name in seen:
                listed = "twice" if member.name in seen else "at all"
                raise BackupError(
                    f"The backup holds {member.name!r}, which its manifest does not list "
                    f"{listed}: it was altered, or it is not a backup Capacity made. "
                    "Nothing was changed."
                )
            size, sha256 = expected[member.name]
            if not member.isfile() or member.size != size:
                raise BackupError(
                    f"{member.name} in the backup is not the file its manifest lists "
                    f"({member.size:,} bytes, the manifest says {size:,}): the backup is damaged. "
                    "Nothing was changed."
                )
            seen.add(member.name)
            target = staging / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            assert source is not None
            digest = hashlib.sha256()
            with target.open("wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress("Checking the backup", done, total)
            if digest.hexdigest() != sha256:
                raise BackupError(
                    f"{member.name} in the backup does not match its checksum in the manifest: "
                    "the backup is damaged. Nothing was changed."
                )
    except (tarfile.TarError, EOFError, zlib.error, lzma.LZMAError) as exc:
        raise BackupError(
            f"The backup ends early or is damaged ({exc}): it is incomplete. Nothing was changed."
        ) from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(
            f"The backup is incomplete: {len(missing)} of the members its manifest lists are "
            f"missing (first: {missing[0]}); it was cut short. Nothing was changed."
        )


def _put_files(staged: Path, media_root: Path) -> Path | None:
    """Put the restored files in MEDIA_ROOT; files already there are moved aside, never deleted."""
    aside: Path | None = None
    if media_root.exists() and any(walk_files(media_root)):
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        aside = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
        _move(media_root, aside)
    if not staged.exists():
        staged.mkdir(parents=True)
    if media_root.exists():  # empty folders only, or a mount point
        _move_children(staged, media_root)
    else:
        os.replace(staged, media_root)
    return aside


def _move(source: Path, target: Path) -> None:
    try:
        os.replace(source, target)
    except OSError:  # a mount point or another file system: move what it holds
        target.mkdir(parents=True)
        _move_children(source, target)


def _move_children(source: Path, target: Path) -> None:
    for child in sorted(source.iterdir()):
        destination = target / child.name
        if destination.is_dir() and child.is_dir():
            _move_children(child, destination)
            child.rmdir()
        else:
            shutil.move(str(child), str(destination))


def record_restore(path: Path, report: RestoreReport) -> bool:
    """Note the restore in the restored database's audit log."""
    return record(
        "backup_restored",
        actor_label="capacity restore",
        target=str(path),
        detail={
            "source": str(path),
            "database": VENDOR_NAMES[report.manifest.vendor],
            "backup_made": report.manifest.created_at,
            "rows": report.manifest.rows,
            "files": len(report.manifest.files),
            "replaced_data": not report.replaced.empty,
        },
    )
