"""The app's own database as Ibis tables in the canonical analytics shapes.

`app_tables()` wraps Django's open connection (SQLite or PostgreSQL) with
Ibis, so analytics read the same rows, in the same transaction, that the ORM
sees, and no data is copied out of the database to compute an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
from django.db import connection

from capacity.evidence.analytics.schema import CONTEXT_SCHEMA, RESULTS_SCHEMA


@dataclass(frozen=True)
class AppTables:
    backend: Any
    results: ir.Table
    context: ir.Table


class _ReadingConnection:
    """Django's SQLite connection as Ibis sees it: it may read, never end Django's transaction.

    Ibis's SQLite backend commits after some statements and turns on
    case-sensitive LIKE for the whole connection. Both would leak into the
    app: a commit would end the request's (or a test's) transaction early, and
    the pragma would make Django's case-insensitive searches case-sensitive.
    The analytics only read, and compare strings with `=` and substrings, so
    they need neither.
    """

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        if sql.strip().lower().startswith("pragma case_sensitive_like"):
            return self._raw.execute("SELECT 1")
        return self._raw.execute(sql, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def app_backend() -> Any:
    """An Ibis backend on Django's current database connection."""
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        return ibis.sqlite.from_connection(_ReadingConnection(raw))
    if connection.vendor == "postgresql":
        return ibis.postgres.from_connection(raw)
    raise RuntimeError(f"Analytics do not support the {connection.vendor} database.")


def app_tables() -> AppTables:
    """The canonical `results` and `context` tables over the app's database."""
    backend = app_backend()
    result = backend.table("evidence_result")
    assessment = backend.table("evidence_assessment")
    school = backend.table("directory_school")
    board = backend.table("directory_board")
    context_rows = backend.table("directory_schoolcontext")

    schools = school.join(board, school.board_id == board.id).select(
        school_id=school.id,
        school_number=school.number,
        school_name=school.name,
        board_number=board.number,
        board_name=board.name,
        level=school.level,
        language=school.language,
    )
    results = (
        result.join(assessment, result.assessment_id == assessment.id)
        .join(schools, result.school_id == schools.school_id)
        .select(
            school_number=schools.school_number,
            school_name=schools.school_name,
            board_number=schools.board_number,
            board_name=schools.board_name,
            school_year=result.school_year,
            assessment=assessment.code,
            group=result.group,
            participating=result.participating.cast("int64"),
            pct_at_standard=result.pct_at_standard.cast("float64"),
            status=result.status,
        )
    )
    context = context_rows.join(schools, context_rows.school_id == schools.school_id).select(
        school_number=schools.school_number,
        school_year=context_rows.school_year,
        board_number=schools.board_number,
        level=schools.level,
        language=schools.language,
        enrolment=context_rows.enrolment.cast("int64"),
        pct_low_income=context_rows.pct_low_income.cast("float64"),
        pct_language_learners=context_rows.pct_language_learners.cast("float64"),
        pct_special_education=context_rows.pct_special_education.cast("float64"),
        pct_parents_no_degree=context_rows.pct_parents_no_degree.cast("float64"),
    )
    assert results.schema().names == RESULTS_SCHEMA.names
    assert context.schema().names == CONTEXT_SCHEMA.names
    return AppTables(backend=backend, results=results, context=context)


def refresh_statistics() -> None:
    """Let the database's planner see the results just written, before it would on its own.

    On PostgreSQL the analyses are large joins of grouped results; planned on
    statistics that predate an import (an empty table, in the worst case), it
    picks nested loops over tens of thousands of rows and a request takes
    minutes. ANALYZE samples the table (inside the writer's transaction it
    counts that transaction's own rows). SQLite keeps no statistics until
    asked: without them it looks up one school's results (a plan's target)
    through the assessment index, about 40 ms a target on the demo instead of
    well under 1 ms; with them the analyses take the same time or less.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE evidence_result")
