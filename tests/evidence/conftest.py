"""Engines for backend-parity tests: the same analytics on DuckDB, SQLite, PostgreSQL and PySpark.

Use the `engine` fixture (parametrised) and `load(con, name, frame)` to put a
pandas frame into it. PySpark runs in local mode and is marked `spark`;
PostgreSQL runs when DATABASE_URL points at a PostgreSQL server.
"""

from __future__ import annotations

import os
import shutil

import pytest

from capacity.evidence.analytics import engines
from tests.conftest import need

ENGINE_PARAMS = [
    pytest.param("duckdb", id="duckdb"),
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    pytest.param("pyspark", id="pyspark", marks=[pytest.mark.spark, pytest.mark.slow]),
]


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture(scope="session")
def spark_con():
    need(shutil.which("java") is not None, "Java is not installed (PySpark needs Java 17)")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        need(False, "pyspark is not installed (pip install 'capacity[spark]')")
    return engines.connect("pyspark")


@pytest.fixture(params=ENGINE_PARAMS)
def engine(request):
    """An Ibis connection to each engine in turn."""
    name = request.param
    if name == "pyspark":
        return request.getfixturevalue("spark_con")
    if name == "postgres":
        url = postgres_url()
        need(url is not None, "DATABASE_URL does not point at PostgreSQL")
        return engines.connect("postgres", url=url)
    return engines.connect(name)
