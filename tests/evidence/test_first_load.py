"""The first load of a school year on PostgreSQL: a partition of its own, checked, attached unseen.

capacity/evidence/partitions.py and the importer's PostgreSQL writer. Every
test here runs on PostgreSQL only (DATABASE_URL); SQLite keeps one table and
the importer's upsert, tested in test_import_results.py.
"""

from __future__ import annotations

import csv
import importlib
import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from django.db import DatabaseError, connection, transaction

from capacity.directory.models import School
from capacity.evidence import partitions
from capacity.evidence.importers import pgcopy
from capacity.evidence.importers import results as importer
from capacity.evidence.importers.results import import_results
from capacity.evidence.models import Assessment, Result
from capacity.evidence.readers import BATCH_SCHEMA, ResultBatch
from capacity.evidence.services import assessments_ensure
from tests.conftest import need
from tests.factories import BoardFactory, ProvinceFactory, SchoolFactory

pytestmark = pytest.mark.postgres

HEADER = [
    "school_number",
    "school_year",
    "assessment",
    "group",
    "participating",
    "pct_at_standard",
    "status",
]
ASSESSMENTS = ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")


@pytest.fixture
def postgresql() -> None:
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")


def results_file(path: Path, rows: list[list[Any]]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(out.getvalue())
    return path


def year_rows(numbers: list[str], year: str, groups: tuple[str, ...] = ("all",)) -> list[list[Any]]:
    """A result for every school x assessment x group; one in ten not reported."""
    rows = []
    for count, (number, assessment, group) in enumerate(
        (number, assessment, group)
        for number in numbers
        for assessment in ASSESSMENTS
        for group in groups
    ):
        if count % 10 == 9:
            rows.append([number, year, assessment, group, 5, "", "nr"])
        else:
            rows.append([number, year, assessment, group, 40 + count % 50, 30 + count % 60, ""])
    return rows


def partition_of(year: str) -> str | None:
    with connection.cursor() as cursor:
        return (partitions.year_partitions(cursor) or {}).get(year)


def indexes_of(table: str) -> list[tuple[str, str | None]]:
    """(index name, the parent index it is attached to) of a table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, inh.inhparent::regclass::text FROM pg_index i "
            "LEFT JOIN pg_inherits inh ON inh.inhrelid = i.indexrelid "
            "WHERE i.indrelid = to_regclass(%s) ORDER BY 1",
            [table],
        )
        return cursor.fetchall()


def foreign_keys_of(table: str) -> list[tuple[str, bool]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT confrelid::regclass::text, convalidated FROM pg_constraint "
            "WHERE conrelid = to_regclass(%s) AND contype = 'f' ORDER BY 1",
            [table],
        )
        return cursor.fetchall()


def test_it_loads_a_new_year_into_a_partition_of_its_own(
    world: Any, postgresql: None, tmp_path: Path
) -> None:
    numbers = ["700001", "700002", "700003"]
    path = results_file(
        tmp_path / "new.csv", year_rows(numbers, "2030-31", ("all", "girls", "boys"))
    )
    assert partition_of("2030-31") is None

    report = import_results([(None, path)])

    assert report.problems == [] and report.applied
    assert (report.rows, report.created, report.updated, report.unchanged) == (54, 54, 0, 0)
    name = partition_of("2030-31")
    assert name == "evidence_result_2030_31"
    # Every index of the partitioned table was adopted, none built twice.
    adopted = indexes_of(name)
    assert sorted(parent for _index, parent in adopted) == sorted(
        index for index, _parent in indexes_of("evidence_result")
    )
    # The foreign keys came from the partitioned table and were checked.
    assert foreign_keys_of(name) == [("directory_school", True), ("evidence_assessment", True)]
    stored = Result.objects.get(
        school__number="700002", school_year="2030-31", assessment__code="G3-MATH", group="boys"
    )
    # The 27th row of the file: school 2 of 3, assessment 3 of 6, group 3 of 3.
    assert (stored.participating, stored.status, stored.source) == (40 + 26, "", "new.csv")
    assert Result.objects.filter(school_year="2030-31", status="nr").count() == 5
    assert Result.objects.filter(school_year="2030-31").values("id").distinct().count() == 54

    # The year is stored now: the same file again is upserted and changes nothing.
    again = import_results([(None, path)])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 54)
    rows = year_rows(numbers, "2030-31", ("all", "girls", "boys"))
    rows[0][5] = 99
    corrected = import_results([(None, results_file(tmp_path / "corrected.csv", rows))])
    assert (corrected.created, corrected.updated, corrected.unchanged) == (0, 1, 53)
    assert (
        Result.objects.get(
            school__number="700001", school_year="2030-31", assessment__code="G3-READ", group="all"
        ).pct_at_standard
        == 99
    )


def test_a_file_of_stored_and_new_years_upserts_one_and_loads_the_other(
    world: Any, postgresql: None, tmp_path: Path
) -> None:
    numbers = ["700001", "700002", "700003"]
    import_results([(None, results_file(tmp_path / "old.csv", year_rows(numbers, "2029-30")))])
    old = year_rows(numbers, "2029-30")
    old[3][5] = 12
    both = results_file(tmp_path / "both.csv", old + year_rows(numbers, "2030-31"))

    report = import_results([(None, both)])

    assert report.problems == []
    assert (report.created, report.updated, report.unchanged) == (18, 1, 17)
    assert partition_of("2029-30") and partition_of("2030-31")
    assert Result.objects.filter(school_year="2030-31").count() == 18


def test_a_dry_run_of_a_first_load_leaves_no_partition(
    world: Any, postgresql: None, tmp_path: Path
) -> None:
    path = results_file(tmp_path / "new.csv", year_rows(["700001"], "2030-31"))
    report = import_results([(None, path)], dry_run=True)
    assert report.created == 6 and not report.applied
    assert partition_of("2030-31") is None
    assert not Result.objects.filter(school_year="2030-31").exists()


# --- The database is the last guard: what the reading side would refuse, refused again ----------


def batch(rows: list[dict[str, Any]]) -> ResultBatch:
    columns: dict[str, list[Any]] = {field.name: [] for field in BATCH_SCHEMA}
    for number, values in enumerate(rows, start=2):
        full = {
            "row": number,
            "school_number": "700001",
            "school_name": None,
            "board_number": None,
            "board_name": None,
            "school_year": "2030-31",
            "assessment": "G3-READ",
            "group": "all",
            "participating": 40,
            "pct_at_standard": 60.0,
            "status": "",
            "pct_level_1": None,
            "pct_level_2": None,
            "pct_level_3": None,
            "pct_level_4": None,
            **values,
        }
        for name in columns:
            columns[name].append(full[name])
    return ResultBatch(pa.RecordBatch.from_pydict(columns, schema=BATCH_SCHEMA), "guard.csv", {})


def write_through(rows: list[dict[str, Any]], schools: list[int], assessments: list[int]) -> None:
    """Write rows as the importer does, in one transaction, skipping the reading side's checks."""
    with transaction.atomic(), connection.wrap_database_errors:
        writer = importer._writer()
        writer.write(
            batch(rows), (pa.array(schools, pa.int64()), pa.array(assessments, pa.int64()))
        )
        writer.finish()


@pytest.mark.parametrize(
    ("case", "refusal"),
    [
        ("percentage over 100", "result_pct_at_standard_is_percentage"),
        ("a number and a status", "result_number_or_status"),
        ("the same key twice", "is duplicated"),
        ("no such school", 'is not present in table "directory_school"'),
        ("no such assessment", 'is not present in table "evidence_assessment"'),
        ("a group name too long", "value too long"),
    ],
)
def test_the_database_refuses_a_bad_first_load_and_keeps_nothing(
    world: Any, postgresql: None, case: str, refusal: str
) -> None:
    school = world.school_a1.pk
    read_id = Assessment.objects.get(code="G3-READ").pk
    math_id = Assessment.objects.get(code="G3-MATH").pk
    rows: list[dict[str, Any]] = [{"assessment": "G3-READ"}, {"assessment": "G3-MATH"}]
    schools, assessments = [school, school], [read_id, math_id]
    if case == "percentage over 100":
        rows[1]["pct_at_standard"] = 101.0
    elif case == "a number and a status":
        rows[1]["status"] = "nr"
    elif case == "the same key twice":
        assessments[1] = read_id
    elif case == "no such school":
        schools[1] = School.objects.order_by("-pk").first().pk + 1000
    elif case == "no such assessment":
        assessments[1] = Assessment.objects.order_by("-pk").first().pk + 1000
    elif case == "a group name too long":
        rows[1]["group"] = "g" * 41

    with pytest.raises(DatabaseError, match=refusal):
        write_through(rows, schools, assessments)

    assert partition_of("2030-31") is None
    assert not Result.objects.filter(school_year="2030-31").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('evidence_result_2030_31')")
        assert cursor.fetchone() == (None,)


def test_a_school_deleted_while_its_new_year_loads_rejects_the_import(
    world: Any, postgresql: None, tmp_path: Path
) -> None:
    gone = SchoolFactory(board=world.board_a, number="700009")
    path = results_file(tmp_path / "new.csv", year_rows(["700001", "700009"], "2030-31"))

    def delete_the_school(done: int, total: int | None) -> None:
        # After the directory was read and the first rows written: the school goes meanwhile.
        if done and School.objects.filter(pk=gone.pk).exists():
            School.objects.filter(pk=gone.pk).delete()

    report = import_results([(None, path)], progress=delete_the_school)

    assert not report.applied
    assert "directory_school" in report.problems[0].reason
    assert partition_of("2030-31") is None
    assert not Result.objects.filter(school_year="2030-31").exists()


# --- Binary COPY ------------------------------------------------------------------------------


def test_binary_copy_stores_what_csv_stores(world: Any, postgresql: None) -> None:
    """Nulls, empty texts, multi-byte texts and extreme numbers arrive the same either way."""
    table = pa.table(
        {
            "school_id": pa.array([1, 2, 3, 9_007_199_254_740_993], pa.int64()),
            "school_year": ["2030-31"] * 4,
            "group": ["all", "élèves du français", "", "x" * 40],
            "participating": pa.array([0, None, 2_147_483_647, -5], pa.int64()),
            "pct_at_standard": pa.array([0.1, None, 100.0, 1e-300]),
            "status": ["", "nr", "", "sp"],
        }
    )
    fields = [
        ("school_id", "bigint"),
        ("school_year", "character varying"),
        ("group", "character varying"),
        ("participating", "integer"),
        ("pct_at_standard", "double precision"),
        ("status", "character varying"),
    ]
    assert pgcopy.encodable(table, fields)
    stored = {}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for form in ("binary", "csv"):
            cursor.execute(
                f"CREATE TEMPORARY TABLE copied_{form} (school_id bigint, school_year varchar(7), "
                '"group" varchar(40), participating integer, pct_at_standard double precision, '
                "status varchar(2))"
            )
            names = 'school_id, school_year, "group", participating, pct_at_standard, status'
            with raw.copy(f"COPY copied_{form} ({names}) FROM STDIN (FORMAT {form})") as copy:
                if form == "binary":
                    copy.write(pgcopy.SIGNATURE)
                    for block in pgcopy.binary_rows(table, fields):
                        copy.write(block)
                    copy.write(pgcopy.TRAILER)
                else:
                    buffer = io.BytesIO()
                    pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False))
                    copy.write(buffer.getvalue())
            cursor.execute(f"SELECT * FROM copied_{form} ORDER BY school_id")  # noqa: S608
            stored[form] = cursor.fetchall()
    assert stored["binary"] == stored["csv"]
    assert stored["binary"][1] == (2, "2030-31", "élèves du français", None, None, "nr")
    assert stored["binary"][3][0] == 9_007_199_254_740_993


def test_a_number_binary_copy_cannot_carry_goes_as_csv_for_the_database_to_refuse(
    world: Any, postgresql: None
) -> None:
    table = pa.table({"participating": pa.array([1, 2_147_483_648], pa.int64())})
    assert not pgcopy.encodable(table, [("participating", "integer")])
    school = world.school_a1.pk
    read_id = Assessment.objects.get(code="G3-READ").pk
    math_id = Assessment.objects.get(code="G3-MATH").pk
    with pytest.raises(DatabaseError, match="out of range"):
        write_through(
            [{"participating": 1}, {"assessment": "G3-MATH", "participating": 2_147_483_648}],
            [school, school],
            [read_id, math_id],
        )
    assert partition_of("2030-31") is None


# --- Partitions made for other writers ----------------------------------------------------------


def test_saving_a_result_of_a_new_year_makes_its_partition_within_the_transaction(
    world: Any, postgresql: None
) -> None:
    assessment = Assessment.objects.get(code="G3-READ")
    try:
        with transaction.atomic():
            Result.objects.create(
                school=world.school_a1,
                school_year="2040-41",
                assessment=assessment,
                pct_at_standard=50,
            )
            assert partition_of("2040-41") == "evidence_result_2040_41"
            Result.objects.bulk_create(
                [
                    Result(
                        school=world.school_a2,
                        school_year="2041-42",
                        assessment=assessment,
                        pct_at_standard=5,
                    )
                ]
            )
            assert partition_of("2041-42")
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert partition_of("2040-41") is None and partition_of("2041-42") is None


# --- The migration ------------------------------------------------------------------------------


def test_the_migration_converts_the_table_both_ways_keeping_every_row_and_id(
    world: Any, postgresql: None
) -> None:
    migration = importlib.import_module(
        "capacity.evidence.migrations.0006_result_partitioned_by_school_year"
    )
    editor = SimpleNamespace(connection=connection)
    assessment = Assessment.objects.get(code="G6-MATH")
    for year in ("2016-17", "2017-18"):
        for school in (world.school_a1, world.school_b1):
            Result.objects.create(
                school=school, school_year=year, assessment=assessment, pct_at_standard=61.5
            )

    def snapshot() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM evidence_result ORDER BY id")
            return cursor.fetchall()

    before = snapshot()
    # A migration runs with no checks pending; this test's own inserts leave some.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    migration.unpartition(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = 'evidence_result'::regclass")
        assert cursor.fetchone() == ("r",)
    assert snapshot() == before
    assert {index for index, _parent in indexes_of("evidence_result")} == {
        "evidence_result_pkey",
        "result_one_per_school_year_group",
        "result_year_assessment",
        "evidence_result_assessment_id_0c47b355",
    }
    migration.partition(None, editor)
    assert snapshot() == before
    assert partition_of("2016-17") and partition_of("2017-18")
    created = Result.objects.create(
        school=world.school_a2, school_year="2017-18", assessment=assessment, pct_at_standard=1
    )
    assert created.pk > max(row[0] for row in before)


# --- Readers during a first load -----------------------------------------------------------------


@pytest.fixture
def province(postgresql: None, transactional_db: None) -> Iterator[list[str]]:
    """400 schools with a stored year (2029-30), committed, for two connections to see."""
    assessments_ensure()
    board = BoardFactory(province=ProvinceFactory(), number="B69999")
    School.objects.bulk_create(
        [
            School(
                board=board,
                number=f"{650000 + n}",
                name=f"School {n}",
                level="elementary",
                language="en",
            )
            for n in range(400)
        ]
    )
    numbers = sorted(School.objects.values_list("number", flat=True))
    yield numbers
    with connection.cursor() as cursor:
        for name in (partitions.year_partitions(cursor) or {}).values():
            cursor.execute(f"DROP TABLE {name}")


def reader_connection() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    )


@pytest.mark.slow
def test_readers_of_the_directory_and_other_years_never_wait_for_a_first_load(
    province: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_results([(None, results_file(tmp_path / "old.csv", year_rows(province, "2029-30")))])
    path = results_file(
        tmp_path / "new.csv", year_rows(province, "2030-31", tuple(f"g{n}" for n in range(12)))
    )
    # Mark the load's phases, and hold the end of the transaction open a moment after the
    # attach, when its locks are all taken: readers must get through then too.
    phase = {"now": "reading"}
    attach = partitions.YearPartition.attach

    def attach_and_linger(self: partitions.YearPartition) -> None:
        phase["now"] = "attaching"
        attach(self)
        phase["now"] = "attached"
        time.sleep(1.5)

    monkeypatch.setattr(partitions.YearPartition, "attach", attach_and_linger)
    loaded: dict[str, Any] = {}

    def load() -> None:
        try:
            loaded["report"] = import_results([(None, path)])
        finally:
            phase["now"] = "done"
            connection.close()

    reads: dict[str, int] = {}
    held: list[tuple[str, str]] = []
    failures: list[str] = []
    with reader_connection() as reader:
        reader.execute("SET lock_timeout = '200ms'")
        reader.execute("SET statement_timeout = '2s'")
        loader = threading.Thread(target=load)
        loader.start()
        while phase["now"] != "done":
            now = phase["now"]
            try:
                reader.execute("SELECT count(*) FROM directory_school").fetchone()
                reader.execute("SELECT count(*) FROM directory_board").fetchone()
                reader.execute(
                    "SELECT count(*) FROM evidence_result WHERE school_year = '2029-30'"
                ).fetchone()
                reader.execute(
                    "SELECT count(*), sum(pct_at_standard) FROM evidence_result r "
                    "JOIN directory_school s ON s.id = r.school_id WHERE s.number = %s",
                    [province[7]],
                ).fetchone()
                reader.execute("SELECT count(*) FROM evidence_result").fetchone()
            except psycopg.Error as exc:
                failures.append(f"{now}: {exc}")
            else:
                reads[now] = reads.get(now, 0) + 1
            if now == "attached":
                held += reader.execute(
                    "SELECT l.relation::regclass::text, l.mode FROM pg_locks l "
                    "WHERE l.pid <> pg_backend_pid() AND l.granted AND l.locktype = 'relation' "
                    "AND l.relation::regclass::text IN "
                    "('directory_school', 'directory_board', 'evidence_result', 'evidence_result_2029_30')"
                ).fetchall()
        loader.join()

    report = loaded["report"]
    assert report.problems == [] and report.created == len(province) * 6 * 12
    assert failures == []
    assert reads.get("reading", 0) > 0 and reads.get("attached", 0) > 0
    # What the load held on the directory and the other years while its transaction was open
    # after the attach: nothing a reader waits for (only ACCESS EXCLUSIVE stops a SELECT).
    assert ("evidence_result", "ShareUpdateExclusiveLock") in held
    assert ("directory_school", "ShareRowExclusiveLock") in held
    assert [lock for lock in held if lock[1] == "AccessExclusiveLock"] == []


@pytest.mark.slow
def test_foreign_keys_of_their_own_would_have_locked_the_directory(province: list[str]) -> None:
    """Why the importer lets ATTACH copy the foreign keys: the rejected order, measured by a reader.

    The issue's suggested order (the standalone table gets its own foreign keys,
    NOT VALID then VALIDATE, then ATTACH) makes ATTACH drop the table's own
    triggers on the schools table, which takes ACCESS EXCLUSIVE on it until the
    commit: the same reader as above times out.
    """
    with reader_connection() as loader, reader_connection() as reader:
        loader.autocommit = False
        loader.execute(
            "CREATE TABLE evidence_result_2030_31 (LIKE evidence_result INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        for key, (column, target) in enumerate(
            (("school_id", "directory_school"), ("assessment_id", "evidence_assessment"))
        ):
            loader.execute(
                f"ALTER TABLE evidence_result_2030_31 ADD CONSTRAINT own_{key} FOREIGN KEY ({column}) "
                f"REFERENCES {target} (id) DEFERRABLE INITIALLY DEFERRED NOT VALID"
            )
            loader.execute(f"ALTER TABLE evidence_result_2030_31 VALIDATE CONSTRAINT own_{key}")
        reader.execute("SET lock_timeout = '200ms'")
        reader.execute("SELECT count(*) FROM directory_school").fetchone()  # not yet locked
        loader.execute(
            "ALTER TABLE evidence_result ATTACH PARTITION evidence_result_2030_31 FOR VALUES IN ('2030-31')"
        )
        with pytest.raises(psycopg.errors.LockNotAvailable):
            reader.execute("SELECT count(*) FROM directory_school").fetchone()
        loader.rollback()
