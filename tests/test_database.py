"""The suite runs on the database CI asks for: a PostgreSQL run must really be PostgreSQL."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from tests.conftest import need


def test_it_runs_on_the_expected_database(db) -> None:
    expected = os.environ.get("CAPACITY_TEST_EXPECT_DB", "")
    need(
        bool(expected) or connection.vendor == "sqlite",
        "CAPACITY_TEST_EXPECT_DB is not set for a non-SQLite database",
    )
    assert connection.vendor == (expected or "sqlite")


@pytest.mark.postgres
def test_postgresql_plans_ibis_cursors_for_every_row(db) -> None:
    """Ibis reads through a server-side cursor; planned for 10% of the rows, the
    identification-over-time query took minutes on PostgreSQL (benchmarks/RESULTS.md)."""
    need(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW cursor_tuple_fraction")
        assert float(cursor.fetchone()[0]) == 1.0
