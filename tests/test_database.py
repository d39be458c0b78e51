"""The suite runs on the database CI asks for: a PostgreSQL run must really be PostgreSQL."""

from __future__ import annotations

import os

from django.db import connection

from tests.conftest import need


def test_it_runs_on_the_expected_database(db) -> None:
    expected = os.environ.get("CAPACITY_TEST_EXPECT_DB", "")
    need(bool(expected) or connection.vendor == "sqlite",
         "CAPACITY_TEST_EXPECT_DB is not set for a non-SQLite database")
    assert connection.vendor == (expected or "sqlite")
