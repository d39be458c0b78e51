"""Results partitioned by school year on PostgreSQL: one table per year, added without locking readers.

On PostgreSQL `evidence_result` is a table partitioned by list on
`school_year` (migration 0006), with one partition per school year and no
default partition. SQLite keeps one plain table; the model is the same on
both. The layout exists for the national first load of a year's results
(`capacity import results` on a year the database has no results for): that
year's partition is built as a standalone table nobody else can see, loaded
with COPY, indexed, and only then attached (see `YearPartition`), instead of
millions of rows going one at a time through the indexes and foreign-key
triggers of a shared table (benchmarks/RESULTS.md, "PostgreSQL first load").

What the layout asks of everything that writes results:

* A year's partition must exist before a row of that year is inserted (there
  is no default partition, for the reason given in `YearPartition.attach`).
  `ensure_years` creates the missing ones; the model calls it before every
  `save()` and `bulk_create()` of results, and code that inserts results with
  SQL of its own calls it first (the importer, the demo).
* The primary key is `(id, school_year)`, as PostgreSQL requires the
  partition key in every unique index of a partitioned table. Django still
  sees `id` as the primary key: ids come from one sequence for all years, so
  `id` alone stays unique, and a lookup by id uses the key's index in each
  partition. Nothing refers to a result by a foreign key.
* `id` is filled from `evidence_result_id_seq` (owned by the column, so
  Django's sequence resets find it), not an identity column: PostgreSQL 15
  does not allow identity columns on partitioned tables.

Partitions are named `evidence_result_<year>` (`evidence_result_2023_24`) and
each carries the check `school_year = '<year>'` beside the partition bound.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

TABLE = "evidence_result"
SEQUENCE = "evidence_result_id_seq"
YEAR = re.compile(r"\d{4}-\d{2}")
BOUND = re.compile(r"FOR VALUES IN \('((?:[^']|'')*)'\)")
# Two-part key of the transaction-level advisory lock taken on a school year while
# its partition is created: pg_advisory_xact_lock(hashtext(LOCK_SPACE), hashtext(year)).
LOCK_SPACE = "capacity.evidence_result"


def partition_name(year: str) -> str:
    """The partition's table name: evidence_result_2023_24 (a year of another shape is hashed)."""
    if YEAR.fullmatch(year):
        return f"{TABLE}_{year.replace('-', '_')}"
    return f"{TABLE}_x{hashlib.sha256(year.encode()).hexdigest()[:16]}"


def literal(value: str) -> str:
    """A string as an SQL literal (DDL such as a partition bound takes no parameters)."""
    return "'" + value.replace("'", "''") + "'"


def year_partitions(cursor: Any) -> dict[str, str] | None:
    """{school year: partition name}, or None when the results table is not partitioned."""
    cursor.execute(
        "SELECT p.partrelid IS NOT NULL, c.relname, pg_get_expr(c.relpartbound, c.oid) "
        "FROM (SELECT to_regclass(%s) AS parent) t "
        "LEFT JOIN pg_partitioned_table p ON p.partrelid = t.parent "
        "LEFT JOIN pg_inherits i ON i.inhparent = p.partrelid "
        "LEFT JOIN pg_class c ON c.oid = i.inhrelid",
        [TABLE],
    )
    rows = cursor.fetchall()
    if not rows or not rows[0][0]:
        return None
    years = {}
    for _partitioned, name, bound in rows:
        found = BOUND.fullmatch(bound or "")
        if found:
            years[found.group(1).replace("''", "'")] = name
    return years


def lock_year(cursor: Any, year: str) -> None:
    """Wait for any other transaction creating this year's partition, until this one ends."""
    cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s), hashtext(%s))", [LOCK_SPACE, year])


def ensure_years(years: Iterable[str], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the missing partitions of these school years (empty), inside the caller's transaction.

    Does nothing on SQLite, or when every year has its partition (one catalog
    query). A created partition is attached like a loaded one, so it takes no
    lock that stops readers; it is rolled back with the caller's transaction.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    wanted = {year for year in years if year}
    if not wanted:
        return
    with connection.cursor() as cursor:
        existing = year_partitions(cursor)
        if existing is None or not wanted - existing.keys():
            return
    # In the caller's transaction, or one of its own: never a table left created but not attached.
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for year in sorted(wanted - existing.keys()):
            lock_year(cursor, year)
            if year in (year_partitions(cursor) or {}):
                continue  # another transaction created it while this one waited
            partition = YearPartition(cursor, year)
            partition.create()
            partition.index()
            partition.attach()


class YearPartition:
    """One school year's partition, built as a standalone table and attached when complete.

    The order is what makes a first load fast and keeps readers running:

    1. `create`: a plain table LIKE the results table (its columns, defaults,
       NOT NULL and CHECK constraints) plus `CHECK (school_year = <year>)`.
       Nobody else can see it until the transaction commits. COPY fills it;
       the checks are tested row by row as it does (cheap), so a percentage
       of 101 stops the COPY with the constraint's name.
    2. `index`: every index of the results table is built once over the loaded
       rows (a sort, instead of a million insertions into each index). A key
       given twice fails the unique index's build, which names the key.
    3. `attach`: ATTACH PARTITION. The year check proves the partition bound,
       so PostgreSQL skips that scan; the indexes match the parent's, so they
       are adopted rather than built again; the two foreign keys are copied
       from the parent and each is checked with one set-based query (an
       anti-join against the schools or the assessments).
    """

    def __init__(self, cursor: Any, year: str) -> None:
        self.cursor = cursor
        self.year = year
        self.name = partition_name(year)
        self.rows = 0

    def create(self) -> None:
        self.cursor.execute(
            f"CREATE TABLE {self.name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
            "INCLUDING STORAGE INCLUDING COMPRESSION, "
            f"CONSTRAINT {self.name}_year CHECK (school_year = {literal(self.year)}))"
        )

    def index(self) -> None:
        """Build the results table's indexes on this table, constraints (primary key, unique) first."""
        self.cursor.execute(
            "SELECT con.contype, pg_get_constraintdef(con.oid), "
            "substring(pg_get_indexdef(i.indexrelid) from ' USING .*$') "
            "FROM pg_index i LEFT JOIN pg_constraint con "
            "ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid "
            "WHERE i.indrelid = to_regclass(%s) ORDER BY con.contype NULLS LAST, i.indexrelid",
            [TABLE],
        )
        for kind, constraint, definition in self.cursor.fetchall():
            # ATTACH adopts a partition's index for a parent's constraint only when the index
            # belongs to a constraint of the same kind, so keys are added as constraints.
            if kind in ("p", "u"):
                self.cursor.execute(f"ALTER TABLE {self.name} ADD {constraint}")
            else:
                self.cursor.execute(f"CREATE INDEX ON {self.name}{definition}")

    def analyze(self) -> None:
        self.cursor.execute(f"ANALYZE {self.name}")

    def attach(self) -> None:
        """Make the table the year's partition.

        Locks, held to the end of the transaction: SHARE UPDATE EXCLUSIVE on the
        results table (readers and writers of other years carry on; another
        ATTACH waits), SHARE ROW EXCLUSIVE on the schools and assessments tables
        for the two foreign keys (readers carry on; a change to a school waits
        for the commit), and ACCESS EXCLUSIVE on this table, which no one else
        can see yet.

        Two alternatives were measured and rejected. Adding the foreign keys to
        the standalone table first (NOT VALID, then VALIDATE) checks the same
        way, but ATTACH then drops the table's own triggers on the schools and
        assessments tables, which takes ACCESS EXCLUSIVE on both until the
        commit: every reader of the directory would wait. A DEFAULT partition
        would let rows of any year in without `ensure_years`, but ATTACH takes
        ACCESS EXCLUSIVE on the default partition, so every query that does
        not name its school year (a school's page reads all its years) would
        wait for the foreign-key checks and the commit.
        """
        self.cursor.execute(
            f"ALTER TABLE {TABLE} ATTACH PARTITION {self.name} FOR VALUES IN ({literal(self.year)})"
        )


__all__ = ["YearPartition", "ensure_years", "lock_year", "partition_name", "year_partitions"]
