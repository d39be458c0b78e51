"""Backing up and restoring a whole Capacity in one file: the database and the stored files.

`capacity backup FILE` and `capacity restore FILE` (capacity/cli_backup.py) call
`make_backup` (writing.py) and `restore_backup` (restoring.py); manifest.py reads
and writes the manifest, databases.py holds what both vendors share and SQLite's
side, postgresql.py PostgreSQL's. The file is a tar archive (POSIX pax format;
gzip- or xz-compressed when its name ends in .gz, .tgz or .xz), readable with `tar`:

    manifest.json                  what the rest holds; always the first member
    database/capacity.sqlite3      SQLite: a copy made by SQLite's online backup
    database/capacity.pgdump       PostgreSQL: `pg_dump --format=custom`
    files/<name>                   every stored file, under its name in MEDIA_ROOT

The manifest (format version 1) gives the Capacity version, the moment, the
database's vendor, member, size and sha256, its server version, its applied
migrations and each table's row count, and each stored file's name, size and
sha256. The database part is one consistent moment: SQLite's backup copies one
state and the counts are read from that copy; on PostgreSQL the counts and
pg_dump read one exported snapshot. The app may keep serving meanwhile.

A backup is written under a hidden `.partial` name beside FILE and renamed at
the end, so a failed backup never leaves a file that looks whole. A restore
checks everything before it changes anything: the manifest, the vendor, that
the code knows every migration the backup had applied, that the target holds
no data (unless `force`), then every member's size and checksum while it is
unpacked beside the target; only then does it load the database (SQLite:
the online backup API again; PostgreSQL: pg_restore through psql in one
transaction, after dropping what the target holds), compare every table's row
count with the manifest and put the files in place (files already there are
moved aside, never deleted). docs/operations.md is the operator's guide.
"""

from capacity.backup.databases import (
    REFERENCE_TABLES,
    Contents,
    Installation,
    database_connection,
    installation_contents,
    table_counts,
)
from capacity.backup.manifest import (
    DATABASE_MEMBERS,
    FILES_PREFIX,
    MANIFEST,
    BackupError,
    Manifest,
    StoredFile,
    size_text,
)
from capacity.backup.postgresql import find_postgresql_tool, tool_version
from capacity.backup.restoring import RestoreReport, read_manifest, record_restore, restore_backup
from capacity.backup.writing import make_backup, record_backup

__all__ = [
    "DATABASE_MEMBERS",
    "FILES_PREFIX",
    "MANIFEST",
    "REFERENCE_TABLES",
    "BackupError",
    "Contents",
    "Installation",
    "Manifest",
    "RestoreReport",
    "StoredFile",
    "database_connection",
    "find_postgresql_tool",
    "installation_contents",
    "make_backup",
    "read_manifest",
    "record_backup",
    "record_restore",
    "restore_backup",
    "size_text",
    "table_counts",
    "tool_version",
]
