"""Writing a backup: the database's dump, the stored files' list, the archive under a .partial name."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass
from capacity.backup.databases import (
    Installation,
    dump_sqlite,
    record,
)
from capacity.backup.manifest import (
    CHUNK,
    DATABASE_MEMBERS,
    FILES_PREFIX,
    MANIFEST,
    VENDOR_NAMES,
    BackupError,
    Manifest,
    Progress,
    StoredFile,
    safe_name,
    walk_files,
)
from capacity.backup.postgresql import (
    dump_postgresql,
)


def make_backup(
    path: Path,
    *,
    installation: Installation | None = None,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> Manifest:
    """Write one file holding the whole database and every stored file; returns its manifest.

    Safe while the app serves. Nothing is left under `path` unless the whole
    backup was written (it is written under a hidden .partial name, then renamed).
    """
    import capacity

    installation = installation or Installation.configured()
    vendor = installation.vendor
    path = Path(os.path.abspath(path))
    if path.is_dir():
        raise BackupError(
            f"{path} is a folder: name the file to write, e.g. {path / 'capacity.tar'}."
        )
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    if path.exists() and not overwrite:
        raise BackupError(f"{path} exists already: choose another name, or use --overwrite.")
    media_root = Path(os.path.abspath(installation.media_root))
    if path.is_relative_to(media_root):
        raise BackupError(f"Write the backup outside the stored files' folder ({media_root}).")
    with tempfile.TemporaryDirectory(prefix=".capacity-backup-", dir=path.parent) as work:
        dump = Path(work) / PurePosixPath(DATABASE_MEMBERS[vendor]).name
        created_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        if vendor == "sqlite":
            database = dump_sqlite(installation, dump, progress)
        else:
            database = dump_postgresql(installation, dump)
        files = _list_files(media_root, progress)
        listed = {f.path for f in files}
        manifest = Manifest(
            created_at=created_at,
            capacity_version=capacity.__version__,
            vendor=vendor,
            database_size=dump.stat().st_size,
            database_sha256=_sha256_of(dump, "Checking the database copy", progress),
            server_version=database["server_version"],
            dump_tool_version=database.get("dump_tool_version", ""),
            migrations=database["migrations"],
            tables=database["tables"],
            files=files,
            missing_files=sorted(database["file_names"] - listed),
        )
        _write_archive(path, manifest, dump, media_root, progress)
    return manifest


def _list_files(media_root: Path, progress: Progress | None) -> list[StoredFile]:
    paths = list(walk_files(media_root))
    total = sum(p.stat().st_size for p in paths)
    done = 0
    files: list[StoredFile] = []
    for path in paths:
        name = path.relative_to(media_root).as_posix()
        if not safe_name(name):
            raise BackupError(f"A stored file has a name a backup cannot hold: {name!r}.")
        digest = hashlib.sha256()
        size = 0
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                done += len(chunk)
                if progress:
                    progress("Reading the stored files", done, total)
        files.append(StoredFile(path=name, size=size, sha256=digest.hexdigest()))
    return files


def _sha256_of(path: Path, step: str, progress: Progress | None) -> str:
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            done += len(chunk)
            if progress:
                progress(step, done, total)
    return digest.hexdigest()


class _HashingReader:
    """Reads a file for tarfile while hashing what it hands over."""

    def __init__(self, handle: IO[bytes], on_read: Callable[[int], None] | None = None) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0
        self.on_read = on_read

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        if self.on_read:
            self.on_read(len(data))
        return data


def _archive_mode(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".gz", ".tgz")):
        return "w:gz"
    if name.endswith((".xz", ".txz")):
        return "w:xz"
    return "w"


def _write_archive(
    path: Path, manifest: Manifest, dump: Path, media_root: Path, progress: Progress | None
) -> None:
    handle, partial_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".partial", dir=path.parent
    )
    partial = Path(partial_name)
    total = manifest.database_size + manifest.files_size
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress("Writing the backup", done, total)

    def add(name: str, source: Path, size: int, sha256: str) -> None:
        info = tarfile.TarInfo(name)
        info.size = size
        info.mode = 0o600
        info.mtime = int(time.time())
        try:
            with source.open("rb") as opened:
                reader = _HashingReader(opened, advance)
                archive.addfile(info, reader)
        except OSError as exc:  # removed, or shorter than listed
            raise BackupError(
                f"{source} changed while it was being backed up ({exc.strerror or exc}); "
                "run the backup again."
            ) from exc
        if reader.digest.hexdigest() != sha256:
            raise BackupError(
                f"{source} changed while it was being backed up; run the backup again."
            )

    try:
        with os.fdopen(handle, "wb") as raw:
            mode = _archive_mode(path)
            options: dict[str, Any] = {"compresslevel": 6} if mode == "w:gz" else {}
            with tarfile.open(
                fileobj=raw,
                mode=mode,  # type: ignore[call-overload]
                format=tarfile.PAX_FORMAT,
                **options,
            ) as archive:
                body = json.dumps(manifest.as_json(), indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(body)
                info.mode = 0o600
                info.mtime = int(time.time())
                archive.addfile(info, io.BytesIO(body))
                add(
                    manifest.database_member, dump, manifest.database_size, manifest.database_sha256
                )
                for stored in manifest.files:
                    add(
                        FILES_PREFIX + stored.path,
                        media_root / stored.path,
                        stored.size,
                        stored.sha256,
                    )
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
        _sync_folder(path.parent)
    except OSError as exc:  # a full disk, a folder that cannot be written
        partial.unlink(missing_ok=True)
        raise BackupError(f"Writing {path} failed: {exc}. No backup was left there.") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def record_backup(path: Path, manifest: Manifest) -> bool:
    """Note the backup in the audit log; False when the database cannot take the entry."""
    return record(
        "backup_made",
        actor_label="capacity backup",
        target=str(path),
        detail={
            "source": str(path),
            "database": VENDOR_NAMES[manifest.vendor],
            "size": Path(path).stat().st_size,
            "rows": manifest.rows,
            "files": len(manifest.files),
        },
    )
