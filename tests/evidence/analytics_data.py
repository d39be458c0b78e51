"""Small-data builders for the analytics tests: canonical frames, loading into an engine, a seeded dataset.

`results_frame([{...}, ...])` and `context_frame([{...}, ...])` fill every
canonical column that a test does not care about, `load(con, frame, kind)`
puts a frame into an Ibis backend with the canonical types, and
`random_dataset(seed)` builds the same few hundred schools x 4 years x 6
assessments x 3 groups on every call, for backend parity.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from typing import Any

import ibis
import numpy as np
import pandas as pd

from capacity.evidence.analytics import engines
from capacity.evidence.analytics.schema import (
    CONTEXT_INDICATORS,
    CONTEXT_SCHEMA,
    RESULTS_SCHEMA,
    school_year_label,
)

SIX = ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")

_counter = itertools.count()


def results_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Canonical results rows from partial dicts (school_number, school_year, assessment, ... )."""
    filled = []
    for row in rows:
        number = str(row.get("school_number", "000001"))
        board = str(row.get("board_number", "B00001"))
        pct = row.get("pct_at_standard")
        filled.append(
            {
                "school_number": number,
                "school_name": row.get("school_name", f"School {number}"),
                "board_number": board,
                "board_name": row.get("board_name", f"Board {board}"),
                "school_year": row.get("school_year", "2018-19"),
                "assessment": row.get("assessment", "G3-READ"),
                "group": row.get("group", "all"),
                "participating": row.get("participating"),
                "pct_at_standard": None if pct is None else float(pct),
                "status": row.get("status", "" if pct is not None else "nr"),
            }
        )
    return _typed(pd.DataFrame(filled, columns=RESULTS_SCHEMA.names), RESULTS_SCHEMA)


def context_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Canonical context rows from partial dicts."""
    filled = []
    for row in rows:
        filled.append(
            {
                "school_number": str(row.get("school_number", "000001")),
                "school_year": row.get("school_year", "2018-19"),
                "board_number": str(row.get("board_number", "B00001")),
                "level": row.get("level", "elementary"),
                "language": row.get("language", "en"),
                "enrolment": row.get("enrolment", 300),
                **{name: row.get(name) for name in CONTEXT_INDICATORS},
            }
        )
    return _typed(pd.DataFrame(filled, columns=CONTEXT_SCHEMA.names), CONTEXT_SCHEMA)


def _typed(frame: pd.DataFrame, schema: Any) -> pd.DataFrame:
    """Nullable pandas dtypes matching the canonical schema."""
    for name, dtype in schema.items():
        if dtype.is_integer():
            frame[name] = frame[name].astype("Int64")
        elif dtype.is_floating():
            frame[name] = frame[name].astype("float64")
        else:
            frame[name] = frame[name].astype(object)
    return frame


def load(con: Any, frame: pd.DataFrame, kind: str) -> Any:
    """Put a canonical frame ("results" or "context") into `con` with the canonical types.

    Goes through Arrow with the canonical schema so that nullable integers stay
    int64 on every engine; each call gets a fresh table name because the Spark
    session (and a PostgreSQL database) is shared between tests.
    """
    schema = RESULTS_SCHEMA if kind == "results" else CONTEXT_SCHEMA
    # Plain None for missing values: the SQLite backend inserts row by row and
    # cannot bind pandas' NA.
    plain = frame.astype(object).where(frame.notna(), None)
    data = ibis.memtable(plain, schema=schema)
    name = f"t_{kind}_{next(_counter)}"
    if con.name == "pyspark":
        # A temporary view over the in-memory frame: writing a managed table
        # (what create_table does on Spark) takes seconds per table.
        return con.create_view(name, data, overwrite=True)
    return engines.load_table(con, name, data)


def random_dataset(
    seed: int = 20_240_917, *, schools: int = 240, first_year: int = 2015, years: int = 4
):
    """A seeded synthetic province: (results, context) frames.

    `schools` schools in 12 boards x `years` school years x the six assessments
    x the groups all, ell and female. Values depend on the context indicators
    plus noise, so the context model has something to find; a few values,
    counts and indicators are missing, and some counts are small, so that every
    rule about missing data and small groups is exercised.
    """
    rng = np.random.default_rng(seed)
    result_rows: list[dict[str, Any]] = []
    context_rows: list[dict[str, Any]] = []
    for index in range(schools):
        number = f"{100_000 + index * 7:06d}"
        board = f"B{66_000 + index % 12}"
        level = "elementary" if index % 5 else "secondary"
        base_income = rng.uniform(2, 45)
        base_ell = rng.uniform(0, 35)
        base_sped = rng.uniform(5, 30)
        base_degree = rng.uniform(5, 50)
        size = int(rng.integers(80, 900))
        quality = rng.normal(0, 6)
        for offset in range(years):
            year = school_year_label(first_year + offset)
            income = round(base_income + rng.normal(0, 1), 2)
            indicators = {
                "pct_low_income": income,
                "pct_language_learners": round(base_ell + rng.normal(0, 1), 2),
                "pct_special_education": round(base_sped + rng.normal(0, 1), 2),
                "pct_parents_no_degree": round(base_degree + rng.normal(0, 1), 2),
            }
            if rng.random() < 0.03:
                indicators[CONTEXT_INDICATORS[int(rng.integers(0, 4))]] = None
            context_rows.append(
                {
                    "school_number": number,
                    "school_year": year,
                    "board_number": board,
                    "level": level,
                    "language": "fr" if index % 9 == 0 else "en",
                    "enrolment": size + int(rng.integers(-20, 20)),
                    **indicators,
                }
            )
            cohort = max(4, int(size / 9))
            for assessment in SIX:
                mean = 88 - 0.6 * income - 0.25 * base_ell - 0.4 * base_sped - 0.2 * base_degree
                mean += quality + 1.5 * offset + rng.normal(0, 4)
                for group, share, shift in (
                    ("all", 1.0, 0.0),
                    ("ell", base_ell / 100, -12.0),
                    ("female", 0.5, 3.0),
                ):
                    participating: int | None = max(
                        0, int(round(cohort * share + rng.normal(0, 2)))
                    )
                    pct: float | None = float(
                        np.clip(round(mean + shift + rng.normal(0, 3), 1), 0, 100)
                    )
                    status = ""
                    draw = rng.random()
                    if draw < 0.04:
                        pct, status = None, "nr"
                    elif draw < 0.06:
                        participating = None
                    elif participating == 0:
                        pct, status = None, "nd"
                    result_rows.append(
                        {
                            "school_number": number,
                            "school_name": f"School {number}",
                            "board_number": board,
                            "board_name": f"Board {board}",
                            "school_year": year,
                            "assessment": assessment,
                            "group": group,
                            "participating": participating,
                            "pct_at_standard": pct,
                            "status": status,
                        }
                    )
    return results_frame(result_rows), context_frame(context_rows)


def assert_frames_close(
    actual: pd.DataFrame, expected: pd.DataFrame, keys: list[str], *, tol: float = 1e-9
) -> None:
    """Same rows and columns; floats equal within `tol`, everything else exactly (nulls equal nulls)."""
    assert sorted(actual.columns) == sorted(expected.columns), (
        list(actual.columns),
        list(expected.columns),
    )
    assert len(actual) == len(expected), (len(actual), len(expected))
    left = actual.sort_values(keys).reset_index(drop=True)
    right = expected[list(actual.columns)].sort_values(keys).reset_index(drop=True)
    for column in actual.columns:
        for position, (a, b) in enumerate(zip(left[column], right[column], strict=True)):
            if _missing(a) or _missing(b):
                assert _missing(a) and _missing(b), (
                    column,
                    position,
                    a,
                    b,
                    left.loc[position, keys].tolist(),
                )
            elif isinstance(a, float | np.floating) or isinstance(b, float | np.floating):
                assert math.isclose(float(a), float(b), rel_tol=tol, abs_tol=tol), (
                    column,
                    position,
                    a,
                    b,
                    left.loc[position, keys].tolist(),
                )
            else:
                assert a == b, (column, position, a, b, left.loc[position, keys].tolist())


def _missing(value: Any) -> bool:
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float | np.floating) and math.isnan(value))
    )
