"""Small in-memory tables for the docstring examples (run as doctests) and quick trials.

Each row names only the columns it is about; the others take plain defaults, so an
example shows the numbers that matter. The tables are Ibis memtables: they run on
Ibis's default backend (DuckDB), in memory.

>>> from capacity.evidence.analytics.examples import results_table
>>> results_table({"pct_at_standard": 40.0}).to_pandas()[["school_number", "group", "pct_at_standard"]]
  school_number group  pct_at_standard
0        000001   all             40.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from capacity.evidence.analytics.schema import CONTEXT_SCHEMA, RESULTS_SCHEMA

RESULTS_DEFAULTS: dict[str, Any] = {
    "school_number": "000001",
    "school_name": "Example Public School",
    "board_number": "B00001",
    "board_name": "Example District School Board",
    "school_year": "2018-19",
    "assessment": "G3-READ",
    "group": "all",
    "participating": 30,
    "pct_at_standard": 50.0,
    "status": "",
}

CONTEXT_DEFAULTS: dict[str, Any] = {
    "school_number": "000001",
    "school_year": "2018-19",
    "board_number": "B00001",
    "level": "elementary",
    "language": "en",
    "enrolment": 300,
    "pct_low_income": 15.0,
    "pct_language_learners": 10.0,
    "pct_special_education": 15.0,
    "pct_parents_no_degree": 5.0,
}


def _table(
    rows: tuple[Mapping[str, Any], ...], defaults: Mapping[str, Any], schema: ibis.Schema
) -> ir.Table:
    unknown = {name for row in rows for name in row} - set(schema.names)
    if unknown:
        raise ValueError(f"Unknown columns: {sorted(unknown)}")
    columns = {name: [row.get(name, defaults[name]) for row in rows] for name in schema.names}
    return ibis.memtable(columns, schema=schema)


def results_table(*rows: Mapping[str, Any]) -> ir.Table:
    """A canonical results table, one row per mapping, unnamed columns defaulted."""
    return _table(rows, RESULTS_DEFAULTS, RESULTS_SCHEMA)


def context_table(*rows: Mapping[str, Any]) -> ir.Table:
    """A canonical context table, one row per mapping, unnamed columns defaulted."""
    return _table(rows, CONTEXT_DEFAULTS, CONTEXT_SCHEMA)


OFIP_ASSESSMENTS = ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")


def two_schools() -> ir.Table:
    """Two schools, 2017-18 and 2018-19, the six Grade 3 and 6 assessments.

    School 019186 has 40% at standard on each (under OFIP 2016's 50%), school 000002
    has 55% (under a 60% threshold, not under 50%).
    """
    return results_table(
        *(
            {
                "school_number": number,
                "school_year": year,
                "assessment": assessment,
                "pct_at_standard": value,
            }
            for year in ("2017-18", "2018-19")
            for assessment in OFIP_ASSESSMENTS
            for number, value in (("019186", 40.0), ("000002", 55.0))
        )
    )
