"""Builders for identification tests: small results frames in the canonical schema.

A school's year is written as six values in the order of OFIP_ASSESSMENTS:
a number is a reported percentage, "nr"/"nd"/"sp" a result with no number, and
None an absent row. For example

    frame(school_year("000001", "2018-19", [40, 45, 30, 48, 70, 80]))

is one school with four results under 50% in 2018-19.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from capacity.evidence.analytics import engines
from capacity.evidence.analytics.policy import Policy, load_policy
from capacity.evidence.analytics.schema import RESULTS_SCHEMA

OFIP_ASSESSMENTS = ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")
READING_ASSESSMENTS = ("G3-READ", "G6-READ")
NO_NUMBER = ("nr", "nd", "sp")

Value = float | int | str | None


def ofip() -> Policy:
    return load_policy("ofip-2016")


def reading() -> Policy:
    return load_policy("reading-2008")


def proposal() -> Policy:
    """Capacity's proposal built on OFIP: every option of issue 13."""
    return load_policy("capacity-ofip-2026")


def small_schools_policy(min_participating: int = 10) -> Policy:
    """OFIP with a minimum of participating students."""
    return replace(ofip(), name="ofip-min", min_participating=min_participating)


def result(
    school: str,
    year: str,
    assessment: str,
    value: Value,
    *,
    participating: int | None = 40,
    group: str = "all",
    school_name: str | None = None,
    board: str = "B1",
    board_name: str | None = None,
) -> dict[str, Any]:
    """One canonical results row; `value` is a percentage or a status like "nr"."""
    reported = isinstance(value, (int, float)) and not isinstance(value, bool)
    return {
        "school_number": school,
        "school_name": school_name or f"School {school}",
        "board_number": board,
        "board_name": board_name or f"Board {board}",
        "school_year": year,
        "assessment": assessment,
        "group": group,
        "participating": participating if reported else None,
        "pct_at_standard": float(value) if reported else None,  # type: ignore[arg-type]
        "status": "" if reported else str(value),
    }


def school_year(
    school: str,
    year: str,
    values: Sequence[Value],
    *,
    assessments: Sequence[str] = OFIP_ASSESSMENTS,
    **kwargs: Any,
) -> list[dict[str, Any]]:
    """A school's results in one year, one value per assessment (None: no row)."""
    if len(values) != len(assessments):
        raise ValueError("one value per assessment")
    return [
        result(school, year, a, v, **kwargs)
        for a, v in zip(assessments, values, strict=True)
        if v is not None
    ]


def history(
    school: str, years: Mapping[str, Sequence[Value]], **kwargs: Any
) -> list[dict[str, Any]]:
    """A school's results over several years."""
    return [
        row for year, values in years.items() for row in school_year(school, year, values, **kwargs)
    ]


BELOW = [40.0, 45.0, 30.0, 48.0, 70.0, 80.0]  # four of six under 50: meets OFIP's per-year rule
ABOVE = [60.0, 65.0, 70.0, 55.0, 70.0, 80.0]  # none under 50
THREE_BELOW = [40.0, 45.0, 30.0, 60.0, 70.0, 80.0]


def frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """A results frame with the canonical columns and nullable dtypes."""
    df = pd.DataFrame(list(rows), columns=list(RESULTS_SCHEMA.names))
    for name in RESULTS_SCHEMA.names:
        if name == "participating":
            df[name] = df[name].astype("Int64")
        elif name == "pct_at_standard":
            df[name] = df[name].astype("Float64")
        else:
            df[name] = df[name].astype(object)
    return df


_COUNTER = iter(range(10**9))


def arrow(df: pd.DataFrame) -> pa.Table:
    """The frame as Arrow with the canonical types, even when a column is all null or empty."""
    table = pa.Table.from_pandas(df, schema=RESULTS_SCHEMA.to_pyarrow(), preserve_index=False)
    # Without the pandas metadata, backends that go through pandas (SQLite) get
    # None/NaN rather than pd.NA, which sqlite3 cannot bind.
    return table.replace_schema_metadata(None)


def load(df: pd.DataFrame, con: Any = None, *, name: str | None = None) -> ir.Table:
    """Put a frame into DuckDB (or `con`) and return it as an Ibis table."""
    con = con if con is not None else engines.connect("duckdb")
    return engines.load_table(con, name or f"results_{next(_COUNTER)}", arrow(df))


def load_into(con: Any, name: str, df: pd.DataFrame) -> ir.Table:
    """Load a frame into any engine of the `engine` fixture.

    Spark gets the Arrow table directly: engines.load_table goes through pandas,
    where a nullable integer column becomes float and PySpark then silently
    turns every value of a bigint column into null.
    """
    if con.name == "pyspark":
        con._session.createDataFrame(arrow(df)).createOrReplaceTempView(name)
        return con.table(name)
    return engines.load_table(con, name, arrow(df))


def random_results(
    seed: int,
    *,
    schools: int = 300,
    years: Sequence[str] = ("2016-17", "2017-18", "2018-19", "2021-22"),
    boards: int = 7,
) -> pd.DataFrame:
    """A seeded synthetic province: elementary schools with N/R, gaps, small
    cohorts, exact-threshold values and name changes; some secondary schools
    (no policy assessment) and rows for another student group.
    """
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for i in range(schools):
        number = f"{100000 + i * 7:06d}"
        board = f"B{rng.randrange(boards) + 1:02d}"
        secondary = rng.random() < 0.05
        tendency = rng.gauss(55, 14)  # some schools struggle year after year
        for y, year in enumerate(years):
            if rng.random() < 0.06:
                continue  # a gap year for this school
            name = f"School {number}" + (
                " (renamed)" if y == len(years) - 1 and i % 11 == 0 else ""
            )
            common: dict[str, Any] = {
                "school_name": name,
                "board": board,
                "board_name": f"Board {board}",
            }
            if secondary:
                rows.append(
                    result(number, year, "G9-MATH", round(rng.uniform(20, 90), 1), **common)
                )
                continue
            all_nr = rng.random() < 0.03
            for assessment in OFIP_ASSESSMENTS:
                if rng.random() < 0.04:
                    continue  # an absent row
                roll = rng.random()
                value: Value
                if all_nr or roll < 0.07:
                    value = rng.choice(NO_NUMBER)
                elif roll < 0.10:
                    value = rng.choice([50.0, 34.0, 20.0])  # on a threshold: not below it
                else:
                    value = round(min(100.0, max(0.0, rng.gauss(tendency, 12))), 1)
                participating = None if rng.random() < 0.03 else rng.randrange(3, 120)
                rows.append(
                    result(number, year, assessment, value, participating=participating, **common)
                )
                if rng.random() < 0.15:
                    # Another group's result never counts under an "all" policy.
                    rows.append(result(number, year, assessment, 5.0, group="ell", **common))
    return frame(rows)


def table_rows(table: ir.Table) -> list[dict[str, Any]]:
    """An expression's rows as plain dicts, sorted by school_number."""
    rows = table.to_pyarrow().to_pylist()
    return sorted(rows, key=lambda r: r["school_number"])
