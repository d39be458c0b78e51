"""The backup file's manifest: what a backup holds, read strictly; the names shared by every part."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass

FORMAT = "capacity-backup"


FORMAT_VERSION = 1


MANIFEST = "manifest.json"


FILES_PREFIX = "files/"


DATABASE_MEMBERS = {
    "sqlite": "database/capacity.sqlite3",
    "postgresql": "database/capacity.pgdump",
}


VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


CHUNK = 1 << 20


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


Progress = Callable[[str, int, int], None]
"""Told (step, bytes done, bytes in all) as a long step goes."""


Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class StoredFile:
    path: str  # its name in MEDIA_ROOT, with forward slashes
    size: int
    sha256: str


@dataclass
class Manifest:
    """What a backup holds: read from and written to its manifest.json."""

    created_at: str
    capacity_version: str
    vendor: str
    database_size: int
    database_sha256: str
    server_version: str
    migrations: list[str]
    tables: dict[str, int]
    files: list[StoredFile]
    dump_tool_version: str = ""
    missing_files: list[str] = field(default_factory=list)

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBERS[self.vendor]

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    @property
    def files_size(self) -> int:
        return sum(f.size for f in self.files)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "capacity_version": self.capacity_version,
            "created_at": self.created_at,
            "database": {
                "vendor": self.vendor,
                "member": self.database_member,
                "size": self.database_size,
                "sha256": self.database_sha256,
                "server_version": self.server_version,
                "dump_tool_version": self.dump_tool_version,
                "migrations": self.migrations,
                "tables": self.tables,
            },
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files],
            "missing_files": self.missing_files,
        }

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        """Read a manifest strictly: anything unexpected is a BackupError naming the part."""

        def need(condition: bool, what: str) -> None:
            if not condition:
                raise BackupError(f"The backup's manifest is not valid: {what}.")

        need(isinstance(data, dict), "it is not a JSON object")
        need(data.get("format") == FORMAT, f"its format is not {FORMAT!r}")
        version = data.get("format_version")
        need(isinstance(version, int), "format_version is not a number")
        if version > FORMAT_VERSION:
            raise BackupError(
                f"The backup has format version {version}; this Capacity reads version "
                f"{FORMAT_VERSION}. Restore it with the Capacity version that made it "
                f"({data.get('capacity_version', 'unknown')}) or a newer one."
            )
        database = data.get("database")
        need(isinstance(database, dict), "it has no database part")
        vendor = database.get("vendor")
        need(vendor in DATABASE_MEMBERS, f"the database vendor {vendor!r} is not known")
        need(database.get("member") == DATABASE_MEMBERS[vendor], "the database member is wrong")
        need(_is_size(database.get("size")), "the database size is not a number")
        need(_is_sha256(database.get("sha256")), "the database checksum is not a sha256")
        migrations = database.get("migrations")
        need(
            isinstance(migrations, list) and all(isinstance(m, str) for m in migrations),
            "the migrations are not a list of names",
        )
        tables = database.get("tables")
        need(
            isinstance(tables, dict)
            and all(isinstance(k, str) and _is_size(v) for k, v in tables.items()),
            "the table counts are not names with numbers",
        )
        files = data.get("files")
        need(isinstance(files, list), "the files are not a list")
        stored: list[StoredFile] = []
        seen: set[str] = set()
        for number, entry in enumerate(files, start=1):
            need(isinstance(entry, dict), f"file {number} is not an object")
            path = entry.get("path")
            need(isinstance(path, str) and safe_name(path), f"file {number} has an unsafe name")
            need(path not in seen, f"file {path!r} is listed twice")
            need(_is_size(entry.get("size")), f"file {path!r} has no size")
            need(_is_sha256(entry.get("sha256")), f"file {path!r} has no sha256")
            seen.add(path)
            stored.append(StoredFile(path=path, size=entry["size"], sha256=entry["sha256"]))
        missing = data.get("missing_files", [])
        need(isinstance(missing, list), "missing_files is not a list")
        return cls(
            created_at=str(data.get("created_at", "")),
            capacity_version=str(data.get("capacity_version", "")),
            vendor=vendor,
            database_size=database["size"],
            database_sha256=database["sha256"],
            server_version=str(database.get("server_version", "")),
            dump_tool_version=str(database.get("dump_tool_version", "")),
            migrations=list(migrations),
            tables=dict(tables),
            files=stored,
            missing_files=[str(m) for m in missing],
        )


def _is_size(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_sha256(value: Any) -> bool:
    return isinstance(value, str) and bool(_SHA256.match(value))


def safe_name(name: str) -> bool:
    """A relative name inside MEDIA_ROOT: no '..', no absolute path, nothing odd."""
    if not name or "\x00" in name or "\\" in name:
        return False
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and "." not in path.parts
        and str(path) == name
    )


def walk_files(root: Path) -> Iterator[Path]:
    """Every regular file under root (symbolic links are not followed), in a stable order."""
    if not root.is_dir():
        return
    for folder, folders, names in os.walk(root):
        folders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path


def size_text(count: int) -> str:
    """A byte count for people: '812 bytes', '3.4 MB'."""
    value = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:,.0f} {unit}" if unit == "bytes" else f"{value:,.1f} {unit}"
        value /= 1000
    return f"{count} bytes"
