"""On PostgreSQL, results become a table partitioned by school year (SQLite is left as it is).

Why: a year's first load is built as a table of its own and attached when
complete (capacity/evidence/partitions.py). The conversion keeps every row,
id, check and foreign key, and the names of the constraints and indexes.
What changes, on PostgreSQL only (Django's model state is the same on both):

* the primary key grows to (id, school_year), as PostgreSQL requires the
  partition key in it; `id` is filled from a sequence owned by the column
  instead of an identity, which PostgreSQL 15 does not allow on a
  partitioned table, and the sequence hands ids out a thousand at a time;
* `result_year_assessment` leaves out the school year, the partition's
  own: (assessment_id, "group") in each year's partition finds what
  (school_year, assessment_id, "group") found in the one table. It starts with
  the assessment, so the foreign key's own index on assessment_id alone is
  not made again. Both cost a first load the most of its index builds
  (measured: the three-column index took twice as long as the unique key's,
  over keys that tie on their first columns).

The table is converted in this one migration's transaction, holding ACCESS
EXCLUSIVE on it: the old table is renamed, the partitioned one created with
a partition per school year present, the rows copied with no index to keep
up, the indexes built once and the foreign keys checked once, and the old
table dropped. The SQL is written out here rather than imported, so later
changes to the app's code do not change what this migration did.
"""

from django.db import migrations

TABLE = "evidence_result"


def _indexes(cursor, table):
    """(name, constraint kind or None, constraint or USING... definition) of a table's indexes."""
    cursor.execute(
        "SELECT c.relname, con.contype, "
        "coalesce(pg_get_constraintdef(con.oid), substring(pg_get_indexdef(i.indexrelid) from ' USING .*$')) "
        "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid "
        "WHERE i.indrelid = to_regclass(%s) ORDER BY con.contype NULLS LAST, c.relname",
        [table],
    )
    return cursor.fetchall()


def _foreign_keys(cursor, table):
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype = 'f' ORDER BY conname",
        [table],
    )
    return cursor.fetchall()


def _set_aside(cursor, table, aside):
    """Rename a table, its indexes and its id sequence out of the way (index names are per schema)."""
    cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    indexes = _indexes(cursor, table)
    foreign_keys = _foreign_keys(cursor, table)
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    (sequence,) = cursor.fetchone()
    cursor.execute(f"ALTER TABLE {table} RENAME TO {aside}")
    for number, (name, _kind, _definition) in enumerate(indexes):
        cursor.execute(f'ALTER INDEX "{name}" RENAME TO {aside}_index_{number}')
    cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {aside}_id_seq")
    return indexes, foreign_keys


YEAR_INDEX = "result_year_assessment"
ASSESSMENT_INDEX = " USING btree (assessment_id)"


def _partitioned_indexes(indexes):
    """The indexes of the partitioned table: the year index without the year, no assessment index."""
    for name, kind, definition in indexes:
        if kind is None and name == YEAR_INDEX:
            yield name, kind, ' USING btree (assessment_id, "group")'
        elif kind is None and definition == ASSESSMENT_INDEX:
            continue
        else:
            yield name, kind, definition


def _plain_indexes(indexes):
    """The indexes of the one table, as Django's migrations made them."""
    indexes = list(indexes)
    for name, kind, definition in indexes:
        if kind is None and name == YEAR_INDEX:
            yield name, kind, ' USING btree (school_year, assessment_id, "group")'
        else:
            yield name, kind, definition
    if (None, ASSESSMENT_INDEX) not in {(kind, definition) for _name, kind, definition in indexes}:
        yield "evidence_result_assessment_id_0c47b355", None, ASSESSMENT_INDEX


def _rebuild(cursor, table, indexes, foreign_keys, primary_key):
    for name, kind, definition in indexes:
        if kind == "p":
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" PRIMARY KEY ({primary_key})')
        elif kind is not None:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        else:
            cursor.execute(f'CREATE INDEX "{name}" ON {table}{definition}')
    for name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute(f"ANALYZE {table}")


def _literal(value):
    return "'" + value.replace("'", "''") + "'"


def _partition_name(year, number):
    digits = year.replace("-", "")
    if len(year) == 7 and year[4] == "-" and digits.isdigit():
        return f"{TABLE}_{year.replace('-', '_')}"
    return f"{TABLE}_other_{number}"


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    old = f"{TABLE}_unpartitioned"
    with schema_editor.connection.cursor() as cursor:
        indexes, foreign_keys = _set_aside(cursor, TABLE, old)
        # Each connection takes ids a thousand at a time: COPY asks for one per row, and a
        # sequence without a cache writes and locks its page for each (measured: COPY 15-25%
        # faster). Ids stay unique; they are no longer consecutive across connections.
        cursor.execute(f"CREATE SEQUENCE {TABLE}_id_seq CACHE 1000")
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING CONSTRAINTS INCLUDING STORAGE "
            "INCLUDING COMPRESSION) PARTITION BY LIST (school_year)"
        )
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq')")
        cursor.execute(f"ALTER SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")
        cursor.execute(f"SELECT DISTINCT school_year FROM {old} ORDER BY 1")  # noqa: S608
        for number, (year,) in enumerate(cursor.fetchall()):
            name = _partition_name(year, number)
            cursor.execute(
                f"CREATE TABLE {name} PARTITION OF {TABLE} "
                f"(CONSTRAINT {name}_year CHECK (school_year = {_literal(year)})) "
                f"FOR VALUES IN ({_literal(year)})"
            )
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {old}")  # noqa: S608
        cursor.execute(
            f"SELECT setval('{TABLE}_id_seq', coalesce(max(id), 0) + 1, false) FROM {old}"  # noqa: S608
        )
        _rebuild(cursor, TABLE, _partitioned_indexes(indexes), foreign_keys, "id, school_year")
        cursor.execute(f"DROP TABLE {old}")


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    old = f"{TABLE}_partitioned"
    with schema_editor.connection.cursor() as cursor:
        indexes, foreign_keys = _set_aside(cursor, TABLE, old)
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING CONSTRAINTS INCLUDING STORAGE "
            "INCLUDING COMPRESSION)"
        )
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {old}")  # noqa: S608
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), coalesce(max(id), 0) + 1, false) "  # noqa: S608
            f"FROM {TABLE}"
        )
        _rebuild(cursor, TABLE, _plain_indexes(indexes), foreign_keys, "id")
        cursor.execute(f"DROP TABLE {old}")


class Migration(migrations.Migration):

    dependencies = [
        ("evidence", "0005_decisions_proposals"),
    ]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
