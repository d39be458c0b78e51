"""Import assessment results: Ontario's school information table, or the long format.

Files are read and checked by `capacity.evidence.readers`, then each row is
checked against the directory (the school and the assessment must exist).
Reading, checking and writing happen in one pass inside one transaction: rows
are written a batch at a time while the files are read, and if anything at all
is wrong the transaction is rolled back, so nothing is imported and a file of
a million rows is never held in memory. Results are upserted on their natural
key (school, school year, assessment, group), so importing the same files
again creates and changes nothing. A dry run does the whole import and rolls
it back, which is how it can count exactly what would be created and updated.

Writing uses each database's fast path rather than the ORM. Every batch is
staged in a temporary table as it is read, and when every row has been checked
one set-based INSERT ... SELECT ... ON CONFLICT DO UPDATE moves them into the
results table, updating a stored result only where its values differ:

* SQLite: staged with `executemany` on the raw DB-API cursor (a per-row
  upsert was measured at half the speed: see `_SqliteWriter`);
* PostgreSQL: staged with binary COPY (`pgcopy`), and only new or changed
  rows reach the upsert, which goes into the school year's partition.

On PostgreSQL a school year the database holds no results for (the first,
national load of a year) skips the upsert: its rows are copied into a table
of their own, which is indexed, checked and attached as the year's partition
(`_PostgresWriter`, capacity/evidence/partitions.py), several times as fast
as upserting the same rows and without making readers wait.

Created, updated and unchanged are counted by the database, not by comparing
rows in Python. benchmarks/import_scale.py measures the speed on a million rows,
benchmarks/pg_first_load.py a PostgreSQL first load at one and ten million.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.db import DatabaseError, connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from capacity.directory.models import School
from capacity.evidence.data import refresh_statistics
from capacity.evidence.importers import pgcopy
from capacity.evidence.models import Assessment, Result
from capacity.evidence.partitions import YearPartition, lock_year, year_partitions
from capacity.evidence.readers import KIND, LEVELS, MAX_PROBLEMS, ResultBatch, ResultsReader
from capacity.evidence.signals import results_changed
from capacity.imports import ImportReport, conclude

Progress = Callable[[int, int | None], None]

# The columns written, in order; `source` is the file's name.
WRITTEN = (
    "school_id",
    "school_year",
    "assessment_id",
    "group",
    "participating",
    *LEVELS,
    "pct_at_standard",
    "status",
    "source",
)
# A result is updated only when one of these differs (a new file name alone changes nothing).
COMPARED = ("participating", *LEVELS, "pct_at_standard", "status")
KEY = ("school_id", "school_year", "assessment_id", "group")
SOURCE_LENGTH = Result._meta.get_field("source").max_length or 200
# The temporary table results are staged in before the one upsert into the results table.
STAGE = "capacity_result_import"


class _Undo(Exception):
    """Raised inside the import's transaction to roll everything back."""


def import_results(
    sources: Sequence[tuple[str | None, Path]],
    *,
    actor: Any = None,
    actor_label: str = "",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import results from files given as (school year or None, path) pairs.

    Each file is Ontario's school information table (the school year comes
    from the pair, or the file or sheet name) or a long-format CSV, XLSX or
    Parquet file. Every row of every file is checked; any problem rejects all
    the files and nothing is written (the rejection is audited). `progress`
    is called after each batch with the rows read so far and the total, if
    known.
    """
    pairs = [(year, Path(path)) for year, path in sources]
    report = ImportReport(kind=KIND, source=", ".join(str(path) for _year, path in pairs))
    reader = ResultsReader(pairs, report)
    if dry_run:
        return _dry_run(pairs, reader, report, actor=actor, actor_label=actor_label)
    say = progress or (lambda done, total: None)
    total = reader.total_rows()
    say(0, total)
    directory = _Directory()
    years: set[str] = set()
    writer: _Writer | None = None
    try:
        # The writers use the raw DB-API cursor; Django's wrapper turns its errors into DatabaseError.
        with transaction.atomic(), connection.wrap_database_errors:
            writer = _writer()
            with closing(_read_ahead(reader.batches())) as batches:
                for batch in batches:
                    ids = directory.resolve(batch, reader)
                    # After the first problem nothing more is written (it will all be rolled back),
                    # but every row is still read and checked, so the report lists every problem.
                    if not report.problems:
                        writer.write(batch, ids)
                        years.update(pc.unique(batch.data["school_year"]).to_pylist())
                    say(reader.rows_done, total)
            reader.tidy()
            if not report.problems:
                report.created, report.updated = writer.finish()
                report.unchanged = writer.rows - report.created - report.updated
                if report.created or report.updated:
                    writer.analyze()
            if report.problems or dry_run:
                raise _Undo
            # Audited inside the same transaction, so the entry and the results stand or fall together.
            conclude(
                report,
                apply=lambda: None,
                actor=actor,
                actor_label=actor_label,
                detail=_detail(pairs, years),
            )
            if not report.applied:
                raise _Undo
    except _Undo:
        pass
    except DatabaseError as exc:
        report.applied = False
        report.problem(
            None,
            "",
            _("The database refused the import, so nothing was written: %(reason)s")
            % {"reason": exc},
        )
    finally:
        if writer is not None:
            writer.close()
    if not report.applied:
        # Audits the rejection (outside the rolled-back transaction), or notes the dry run.
        conclude(
            report,
            apply=lambda: None,
            actor=actor,
            actor_label=actor_label,
            dry_run=dry_run,
            detail=_detail(pairs, years),
        )
    elif report.created or report.updated:
        results_changed.send(sender=import_results, years=years)
    return report


def _dry_run(
    pairs: list[tuple[str | None, Path]],
    reader: ResultsReader,
    report: ImportReport,
    *,
    actor: Any,
    actor_label: str,
) -> ImportReport:
    """Check everything and count what an import would change, in the engine that read the files.

    The rows never leave the engine: the directory's schools and assessments, and
    the stored results of the files' school years, are put beside them there, and
    the engine finds unknown schools and assessments and counts new, changed and
    unchanged results (a result is changed when one of `COMPARED` differs, as the
    upsert decides). Nothing is written to the database.
    """
    reader.check()
    con = reader.engine
    directory = _Directory()
    schools = _engine_table(
        con,
        "dry_schools",
        pa.table({"number": directory.school_numbers, "school_id": directory.school_ids}),
    )
    assessments = _engine_table(
        con,
        "dry_assessments",
        pa.table({"code": directory.assessment_codes, "assessment_id": directory.assessment_ids}),
    )
    parts = reader.checked_tables()
    for source, table, labels in parts:
        batch = ResultBatch(_NOTHING, source, labels)  # for its labels only
        unknown = table.anti_join(schools, table.school_number == schools.number)
        for row, number in _first(unknown, "school_number"):
            reader.problem(row, batch.label("school_number"), _no_school(number))
        unknown = table.anti_join(assessments, table.assessment == assessments.code)
        for row, code in _first(unknown, "assessment"):
            reader.problem(
                row, batch.label("assessment", code), _no_assessment(code, directory.codes)
            )
    reader.tidy()
    years: set[str] = set()
    if not report.problems and parts:
        union = reader.engine_table(levels=True)
        years = set(union.select("school_year").distinct().to_pyarrow().column(0).to_pylist())
        stored = _engine_table(con, "dry_stored", _stored(years))
        keyed = union.join(
            stored,
            [
                union[k] == stored[f"stored_{k}"]
                for k in ("school_number", "school_year", "assessment", "group")
            ],
            how="left",
        )
        found = keyed.mutate(
            new=keyed["stored_school_number"].isnull(),
            differs=ibis.or_(
                *(
                    ~keyed[name]
                    .cast("string" if name == "status" else "float64")
                    .identical_to(keyed[f"stored_{name}"])
                    for name in COMPARED
                )
            ),
        )
        counted = (
            found.aggregate(
                rows=found.count(),
                created=found.new.sum(),
                updated=(~found.new & found.differs).sum(),
            )
            .to_pyarrow()
            .to_pylist()[0]
        )
        report.created = int(counted["created"] or 0)
        report.updated = int(counted["updated"] or 0)
        report.unchanged = int(counted["rows"] or 0) - report.created - report.updated
    conclude(
        report,
        apply=lambda: None,
        actor=actor,
        actor_label=actor_label,
        dry_run=True,
        detail=_detail(pairs, years),
    )
    return report


# An empty batch, for a ResultBatch made only to name a problem's column.
_NOTHING = pa.RecordBatch.from_arrays([], schema=pa.schema([]))


def _no_school(number: str) -> str:
    return _(
        "There is no school %(number)s in Capacity. Import the school table first with "
        "`capacity import schools`."
    ) % {"number": number}


def _no_assessment(code: str, codes: Sequence[str]) -> str:
    return _("There is no assessment %(code)s in Capacity. Known assessments: %(codes)s.") % {
        "code": code,
        "codes": ", ".join(codes),
    }


def _engine_table(con: Any, name: str, table: pa.Table) -> Any:
    return con.create_table(f"capacity_{name}", table, temp=True, overwrite=True)


def _first(unknown: Any, column: str) -> list[tuple[int, str]]:
    """(row, value) of the first rows of `unknown`, in row order, as many as a report lists."""
    shown = unknown.order_by("row").limit(MAX_PROBLEMS).select("row", column).to_pyarrow()
    return list(zip(shown.column(0).to_pylist(), shown.column(1).to_pylist(), strict=True))


def _stored(years: set[str]) -> pa.Table:
    """The stored results of `years`, keyed as the files are (school number, year, code, group)."""
    from capacity.evidence.data import app_backend

    backend = app_backend()
    result = backend.table("evidence_result")
    school = backend.table("directory_school")
    assessment = backend.table("evidence_assessment")
    wanted = result.filter(result.school_year.isin(sorted(years)))
    stored = (
        wanted.join(school, wanted.school_id == school.id)
        .join(assessment, wanted.assessment_id == assessment.id)
        .select(
            stored_school_number=school.number,
            stored_school_year=wanted.school_year,
            stored_assessment=assessment.code,
            stored_group=wanted.group,
            **{
                f"stored_{name}": wanted[name].cast("string" if name == "status" else "float64")
                for name in COMPARED
            },
        )
    )
    return stored.to_pyarrow()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


def _read_ahead(
    batches: Iterator[ResultBatch], depth: int = 2
) -> Generator[ResultBatch, None, None]:
    """The same batches, read and checked in a thread while the database writes the previous ones.

    pyarrow, sqlite3 and psycopg release the GIL while they work, so reading
    overlaps writing. The thread never touches the database; it reads with the
    caller's language, so problems are worded as the caller expects.
    """
    language = translation.get_language()
    handoff: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand(item: Any) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        with translation.override(language):
            try:
                for batch in batches:
                    if not hand(batch):
                        return
                hand(_END)
            except BaseException as exc:  # handed over and raised in the caller's thread
                hand(_Failed(exc))

    thread = threading.Thread(target=work, name="capacity-results-reader", daemon=True)
    thread.start()
    try:
        while (item := handoff.get()) is not _END:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join()


def _detail(pairs: list[tuple[str | None, Path]], years: set[str]) -> dict[str, Any]:
    return {"files": [path.name for _year, path in pairs], "school_years": sorted(years)}


class _Directory:
    """School and assessment ids, looked up once, and matched to whole columns at a time."""

    def __init__(self) -> None:
        schools = dict(School.objects.order_by().values_list("number", "pk"))
        self.school_numbers = pa.array(list(schools), pa.string())
        self.school_ids = pa.array(list(schools.values()), pa.int64())
        assessments = dict(
            Assessment.objects.order_by("position", "code").values_list("code", "pk")
        )
        self.codes = list(assessments)
        self.assessment_codes = pa.array(self.codes, pa.string())
        self.assessment_ids = pa.array(list(assessments.values()), pa.int64())

    def resolve(self, batch: ResultBatch, reader: ResultsReader) -> tuple[pa.Array, pa.Array]:
        """(school ids, assessment ids) of a batch; each school or assessment Capacity lacks is a problem."""
        data = batch.data
        school_at = pc.index_in(data["school_number"], value_set=self.school_numbers)
        assessment_at = pc.index_in(data["assessment"], value_set=self.assessment_codes)
        rows = data["row"]
        for index in np.flatnonzero(
            np.asarray(pc.is_null(school_at).to_numpy(zero_copy_only=False))
        ):
            reader.problem(
                rows[index].as_py(),
                batch.label("school_number"),
                _no_school(data["school_number"][index].as_py()),
            )
        for index in np.flatnonzero(
            np.asarray(pc.is_null(assessment_at).to_numpy(zero_copy_only=False))
        ):
            code = data["assessment"][index].as_py()
            reader.problem(
                rows[index].as_py(),
                batch.label("assessment", code),
                _no_assessment(code, self.codes),
            )
        return pc.take(self.school_ids, school_at), pc.take(self.assessment_ids, assessment_at)


def _columns(batch: ResultBatch, ids: tuple[pa.Array, pa.Array]) -> pa.Table:
    """A batch as the columns written, in order."""
    data = batch.data
    size = data.num_rows
    table = pa.table(
        {
            "school_id": ids[0],
            "school_year": data["school_year"],
            "assessment_id": ids[1],
            "group": data["group"],
            "participating": data["participating"],
            **{level: data[level] for level in LEVELS},
            "pct_at_standard": data["pct_at_standard"],
            "status": data["status"],
            "source": pa.repeat(pa.scalar(batch.source[:SOURCE_LENGTH]), size),
        }
    )
    return table


class _Writer:
    """Writes checked batches of results inside the import's transaction."""

    rows = 0

    def write(self, batch: ResultBatch, ids: tuple[pa.Array, pa.Array]) -> None:
        raise NotImplementedError

    def finish(self) -> tuple[int, int]:
        """(created, updated), counted by the database."""
        raise NotImplementedError

    def analyze(self) -> None:
        """Let the planner see what was written (`refresh_statistics`)."""
        refresh_statistics()

    def close(self) -> None:
        """Undo any setting changed for the import (the connection lives on)."""


def _writer() -> _Writer:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return _SqliteWriter()
    if connection.vendor == "postgresql":
        return _PostgresWriter()
    raise RuntimeError(f"Results cannot be imported into a {connection.vendor} database.")


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


class _SqliteWriter(_Writer):
    """Stage with executemany into a temporary table, then one INSERT ... SELECT ... ON CONFLICT.

    Measured on a million rows: a per-row INSERT ... ON CONFLICT through
    executemany runs at about 45,000 rows a second on the results table (its
    four indexes, deferred foreign keys and AUTOINCREMENT are paid statement
    by statement), while executemany into an unindexed temporary table runs
    at about 400,000 and the one set-based upsert after it at about 150,000.
    """

    # 256 MiB of page cache while importing, so the table's indexes stay in memory.
    CACHE_KIB = 262_144

    def __init__(self) -> None:
        # The raw sqlite3 cursor: Django's wrapper would rewrite the SQL and log every call.
        self.cursor = connection.connection.cursor()
        self.cursor.execute("PRAGMA main.cache_size")
        self.cache_size = int(self.cursor.fetchone()[0])
        self.cursor.execute(f"PRAGMA main.cache_size = -{self.CACHE_KIB}")
        self.cursor.execute(f"DROP TABLE IF EXISTS temp.{STAGE}")
        self.cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGE} ({', '.join(_quoted(name) for name in WRITTEN)})"
        )
        self.stage = f"INSERT INTO temp.{STAGE} VALUES ({', '.join('?' for _name in WRITTEN)})"  # noqa: S608

    def write(self, batch: ResultBatch, ids: tuple[pa.Array, pa.Array]) -> None:
        table = _columns(batch, ids)
        values = [table[name].to_pylist() for name in WRITTEN]
        self.cursor.executemany(self.stage, zip(*values, strict=True))
        self.rows += table.num_rows

    def finish(self) -> tuple[int, int]:
        result = _quoted(Result._meta.db_table)
        columns = ", ".join(_quoted(name) for name in WRITTEN)
        updates = ", ".join(
            f"{_quoted(name)} = excluded.{_quoted(name)}" for name in (*COMPARED, "source")
        )
        differs = " OR ".join(
            f"{result}.{_quoted(name)} IS NOT excluded.{_quoted(name)}" for name in COMPARED
        )
        before = self._count(result)
        # "WHERE true" tells SQLite's parser that ON CONFLICT belongs to the INSERT, not to a join.
        self.cursor.execute(
            f"INSERT INTO {result} ({columns}) SELECT {columns} FROM temp.{STAGE} WHERE true "  # noqa: S608
            f"ON CONFLICT ({', '.join(_quoted(name) for name in KEY)}) DO UPDATE SET {updates} WHERE {differs}"
        )
        # SQLite counts a row as changed when it is inserted, or updated because a value differed.
        changed = self.cursor.rowcount
        created = self._count(result) - before
        self.cursor.execute(f"DROP TABLE temp.{STAGE}")
        return created, changed - created

    def _count(self, table: str) -> int:
        self.cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - the table's own name
        return int(self.cursor.fetchone()[0])

    def close(self) -> None:
        self.cursor.execute(f"PRAGMA main.cache_size = {self.cache_size}")


class _PostgresWriter(_Writer):
    """A year new to the database gets a partition of its own; other years are upserted.

    First load (a school year with no partition yet, so no results): its rows
    are COPY'd straight into a standalone table, which `finish` indexes and
    attaches as the year's partition (`capacity.evidence.partitions.YearPartition`
    says in what order and under which locks). The checks hold as they do on
    the shared table: CHECK and NOT NULL constraints row by row during the
    COPY, uniqueness when the key's index is built, the foreign keys by one
    set-based query each when the table is attached. A violation of any of
    them raises, and the import's transaction rolls everything back, the new
    table included.

    Other years (re-imports, corrections): COPY into a temporary table, then
    one INSERT ... ON CONFLICT for everything, as before partitions.

    Measured (benchmarks/pg_first_load.py, benchmarks/RESULTS.md "PostgreSQL
    first load"): a million rows at about 90,000 a second for the whole import
    by this path against 25,000 by the upsert; the upsert pays for index
    maintenance row by row and a deferred foreign-key trigger per row.
    """

    # Memory for sorting a year's rows while its indexes are built, for this transaction only:
    # the default 64 MB spills a million rows' sort to temporary files.
    MAINTENANCE_WORK_MEM = "512MB"

    def __init__(self) -> None:
        self.cursor = connection.connection.cursor()
        self.columns = ", ".join(_quoted(name) for name in WRITTEN)
        self.binary = self._binary_fields()
        # None when the results table is not partitioned: then every year is upserted.
        self.partitions = year_partitions(self.cursor)
        self.new: dict[str, YearPartition] = {}
        # {table upserted into: its temporary stage}: a year's partition, or the results table.
        self.stages: dict[str, str] = {}

    def write(self, batch: ResultBatch, ids: tuple[pa.Array, pa.Array]) -> None:
        table = _columns(batch, ids)
        years = pc.unique(table["school_year"]).to_pylist()
        for year in years:
            rows = (
                table
                if len(years) == 1
                else table.filter(pc.equal(table["school_year"], pa.scalar(year, pa.string())))
            )
            partition = self._new_partition(year)
            if partition is None:
                self._copy(self._stage(year), rows)
            else:
                self._copy(partition.name, rows)
                partition.rows += rows.num_rows
        self.rows += table.num_rows

    def _new_partition(self, year: str) -> YearPartition | None:
        """The standalone table of a year the database has no results for, or None to upsert."""
        if self.partitions is None or year in self.partitions:
            return None
        if year in self.new:
            return self.new[year]
        # Another import may be creating this year's partition: wait for it, then look again.
        lock_year(self.cursor, year)
        self.partitions = year_partitions(self.cursor) or {}
        if year in self.partitions:
            return None
        if not self.new:
            self.cursor.execute(f"SET LOCAL maintenance_work_mem = '{self.MAINTENANCE_WORK_MEM}'")
        partition = YearPartition(self.cursor, year)
        partition.create()
        self.new[year] = partition
        return partition

    def _stage(self, year: str) -> str:
        """The temporary table a stored year's rows wait in for the upsert into its partition.

        Upserting into the partition rather than the partitioned table lets the
        upsert tell inserted rows from updated ones (xmax, a system column
        PostgreSQL does not return from a partitioned table).
        """
        target = Result._meta.db_table if self.partitions is None else self.partitions[year]
        if target not in self.stages:
            stage = f"{STAGE}_{len(self.stages)}"
            self.cursor.execute(f"DROP TABLE IF EXISTS {stage}")
            # The results table's own column types, so one COPY format fits both.
            self.cursor.execute(
                f"CREATE TEMPORARY TABLE {stage} ON COMMIT DROP AS "  # noqa: S608 - names, not values
                f"SELECT {self.columns} FROM {_quoted(Result._meta.db_table)} WITH NO DATA"
            )
            self.stages[target] = stage
        return self.stages[target]

    def _binary_fields(self) -> list[tuple[str, str]] | None:
        """(column, type) of the written columns, when binary COPY knows every type."""
        self.cursor.execute(
            "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
            "WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped",
            [Result._meta.db_table],
        )
        types = dict(self.cursor.fetchall())
        if not all(types.get(name) in pgcopy.TYPES for name in WRITTEN):
            return None
        return [(name, types[name]) for name in WRITTEN]

    def _copy(self, table_name: str, rows: pa.Table) -> None:
        if self.binary and pgcopy.encodable(rows, self.binary):
            with self.cursor.copy(
                f"COPY {table_name} ({self.columns}) FROM STDIN (FORMAT binary)"
            ) as copy:
                copy.write(pgcopy.SIGNATURE)
                for block in pgcopy.binary_rows(rows, self.binary):
                    copy.write(block)
                copy.write(pgcopy.TRAILER)
            return
        # pyarrow writes CSV in C++: strings quoted (so "" is an empty status) and nulls as
        # nothing at all, which COPY reads as NULL.
        buffer = io.BytesIO()
        pacsv.write_csv(rows, buffer, pacsv.WriteOptions(include_header=False))
        with self.cursor.copy(
            f"COPY {table_name} ({self.columns}) FROM STDIN (FORMAT csv)"
        ) as copy:
            copy.write(buffer.getbuffer())

    def finish(self) -> tuple[int, int]:
        created = updated = 0
        for target, stage in self.stages.items():
            inserted, changed = self._upsert(target, stage)
            created += inserted
            updated += changed
        # The new years last: attaching holds locks on the schools and assessments tables (no
        # reader waits for them, but a change to a school does) until the import commits.
        for partition in self.new.values():
            partition.index()
            # Sampled before the table is attached, so no lock on the directory is held meanwhile.
            partition.analyze()
        for partition in self.new.values():
            partition.attach()
            created += partition.rows
        # The foreign keys are deferred to the commit; checking them now means a school deleted
        # meanwhile rejects the import here, before it is audited as applied.
        self.cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        return created, updated

    def analyze(self) -> None:
        """Statistics of the partitions this import wrote into, not of every partition.

        ANALYZE of the partitioned table samples every year's partition again
        (9 s of a million-row first load, measured with ten years stored); its
        own statistics of the whole table, which the planner reads to join
        results of several years, change little when a year is added, so they
        are gathered only when there are none yet. docs/operations.md says when to
        refresh them by hand. New partitions were sampled before they were attached.
        """
        if self.partitions is None:
            refresh_statistics()
            return
        for target in self.stages:
            self.cursor.execute(f"ANALYZE {_quoted(target)}")
        self.cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_stats WHERE schemaname = current_schema() "
            "AND tablename = %s AND inherited)",
            [Result._meta.db_table],
        )
        if not self.cursor.fetchone()[0]:
            refresh_statistics()

    def _upsert(self, target: str, stage: str) -> tuple[int, int]:
        result = _quoted(target)
        columns = self.columns
        staged = ", ".join(f"s.{_quoted(name)}" for name in WRITTEN)
        updates = ", ".join(
            f"{_quoted(name)} = EXCLUDED.{_quoted(name)}" for name in (*COMPARED, "source")
        )
        same_key = " AND ".join(f"e.{_quoted(name)} = s.{_quoted(name)}" for name in KEY)

        def values(alias: str) -> str:
            return "(" + ", ".join(f"{alias}.{_quoted(name)}" for name in COMPARED) + ")"

        # So the planner joins a million staged rows by hashing.
        self.cursor.execute(f"ANALYZE {stage}")
        # Only new and changed rows reach the upsert: ON CONFLICT DO UPDATE locks (and so writes)
        # every conflicting row even when its WHERE is false, which would rewrite an unchanged table.
        # xmax is 0 for a row this statement inserted, and set for one it updated.
        self.cursor.execute(
            f"WITH written AS (INSERT INTO {result} AS r ({columns}) "  # noqa: S608 - names, not values
            f"SELECT {staged} FROM {stage} s LEFT JOIN {result} e ON {same_key} "
            f"WHERE e.id IS NULL OR {values('e')} IS DISTINCT FROM {values('s')} "
            f"ON CONFLICT ({', '.join(_quoted(name) for name in KEY)}) DO UPDATE SET {updates} "
            f"WHERE {values('r')} IS DISTINCT FROM {values('EXCLUDED')} RETURNING (r.xmax = 0) AS created) "
            "SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM written"
        )
        created, updated = self.cursor.fetchone()
        return int(created), int(updated)


__all__ = ["import_results"]
