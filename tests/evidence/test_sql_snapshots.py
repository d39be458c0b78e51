"""The SQL that identification and the rollups compile to, on DuckDB and SQLite, against committed snapshots.

A change to an analytics expression (or an Ibis or sqlglot upgrade) that changes the
SQL an engine runs fails here, so it is seen and reviewed in the diff of
tests/evidence/snapshots/ rather than found in production. When the change is
intended, refresh the snapshots and commit them:

    CAPACITY_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/evidence/test_sql_snapshots.py
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pytest

from capacity.evidence.analytics.identification import identification_table
from capacity.evidence.analytics.policy import load_policy
from capacity.evidence.analytics.schema import RESULTS_SCHEMA
from capacity.evidence.analytics.trends import rollup

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("CAPACITY_UPDATE_SNAPSHOTS") == "1"
DIALECTS = ("duckdb", "sqlite")

EXPRESSIONS: dict[str, Callable[[ir.Table], ir.Table]] = {
    "identification_ofip_2016": lambda t: identification_table(
        t, load_policy("ofip-2016"), "2018-19"
    ),
    "rollup_boards": lambda t: rollup(t, by=("board_number",), group="all"),
    "rollup_province": lambda t: rollup(t, by=()),
}


def compiled(name: str, dialect: str) -> str:
    """The SQL for one expression over an unbound canonical results table."""
    results = ibis.table(RESULTS_SCHEMA, name="results")
    return ibis.to_sql(EXPRESSIONS[name](results), dialect=dialect).strip() + "\n"


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", EXPRESSIONS)
def test_the_compiled_sql_matches_its_snapshot(name: str, dialect: str) -> None:
    path = SNAPSHOTS / f"{name}.{dialect}.sql"
    sql = compiled(name, dialect)
    if UPDATE:
        path.write_text(sql, encoding="utf-8")
    assert path.exists(), (
        f"No snapshot {path.name}: run with CAPACITY_UPDATE_SNAPSHOTS=1 and commit it"
    )
    assert sql == path.read_text(encoding="utf-8"), (
        f"The SQL for {name} on {dialect} changed: review it, then refresh with CAPACITY_UPDATE_SNAPSHOTS=1"
    )


def test_a_changed_expression_no_longer_matches_its_snapshot() -> None:
    """The comparison is strict: a threshold of 60 instead of 50 is a different query."""
    results = ibis.table(RESULTS_SCHEMA, name="results")
    changed = (
        ibis.to_sql(
            identification_table(results, load_policy("ofip-2016").with_threshold(60), "2018-19"),
            dialect="duckdb",
        ).strip()
        + "\n"
    )
    assert changed != (SNAPSHOTS / "identification_ofip_2016.duckdb.sql").read_text(
        encoding="utf-8"
    )


def test_every_snapshot_file_belongs_to_an_expression() -> None:
    """A renamed expression leaves no stale snapshot behind."""
    expected = {f"{name}.{dialect}.sql" for name in EXPRESSIONS for dialect in DIALECTS}
    assert {p.name for p in SNAPSHOTS.glob("*.sql")} == expected
