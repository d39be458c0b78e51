"""Engines for backend-parity tests: the same analytics on DuckDB, SQLite, PostgreSQL and PySpark.

Use the `engine` fixture (parametrised) and `tests.evidence.analytics_data.load`
(or `capacity.evidence.analytics.engines.load_table`) to put a frame into it. PySpark runs
in local mode and is marked `spark`;
PostgreSQL runs when DATABASE_URL points at a PostgreSQL server.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from capacity.evidence.analytics import engines
from capacity.evidence.models import Result
from capacity.evidence.services import assessments_ensure
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
    from pyspark.errors import PySparkRuntimeError

    try:
        return engines.connect("pyspark")
    except PySparkRuntimeError as error:
        if error.getCondition() != "JAVA_GATEWAY_EXITED":
            raise
        # Java's own words went to this process's stderr (shown with the error); the machine's
        # state is what else tells a squeeze from a Spark that cannot run.
        pytest.fail(f"Java died before Spark started; {_machine_state()}", pytrace=False)


def _machine_state() -> str:
    """Free memory and load, from /proc, for a failure's message."""
    try:
        meminfo = dict(
            line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines()
        )
        load = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        return "the machine's state is not readable here"
    memory = ", ".join(f"{key} {meminfo[key].strip()}" for key in ("MemTotal", "MemAvailable"))
    return f"{memory}; load {' '.join(load)}"


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


SIX = ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")


def results_for(
    school, year: str, values: list[float | None], group: str = "all", participating: int = 40
) -> None:
    ids = assessments_ensure()
    for code, value in zip(SIX, values, strict=True):
        Result.objects.create(
            school=school,
            school_year=year,
            assessment_id=ids[code],
            group=group,
            participating=participating,
            pct_at_standard=value,
            status="" if value is not None else "nr",
        )


@pytest.fixture
def evidence_world(world):
    """A1 is under 50% on five of six assessments two years running; B1 does well."""
    for year in ("2017-18", "2018-19"):
        results_for(world.school_a1, year, [40, 42, 30, 45, 48, 70])
        results_for(world.school_b1, year, [80, 75, 70, 85, 82, 60])
    return world
