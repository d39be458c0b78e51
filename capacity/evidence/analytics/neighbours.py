"""Similar schools: the schools whose context is nearest to a given school's.

Used to compare a school with schools that face the same circumstances (and to
find, among them, the ones doing better: a network's natural partners).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from capacity.evidence.analytics.schema import CONTEXT_INDICATORS, CONTEXT_SCHEMA, check_columns

__all__ = ["nearest", "nearest_all", "similar_schools", "standardized"]


def standardized(
    context: ir.Table,
    *,
    year: str,
    indicators: Sequence[str] = CONTEXT_INDICATORS,
    size_weight: float = 0.5,
) -> ir.Table:
    """The year's complete context rows with what `similar_schools` measures distance on.

    One row per candidate school (see `similar_schools` for which rows count):
    school_number, board_number, level, language, enrolment, the indicators,
    `_z0`, `_z1`, ... (each indicator as a z-score, in the order given) and
    `_size` (ln enrolment times `size_weight`, or 0). The table is small (one row
    per school), so a page can read it once per year and find any school's
    nearest schools in memory with `nearest`.

    >>> from capacity.evidence.analytics.examples import context_table
    >>> context = context_table({"school_number": "000001", "pct_low_income": 10.0},
    ...                         {"school_number": "000002", "pct_low_income": 30.0})
    >>> scaled = standardized(context, year="2018-19", indicators=("pct_low_income",), size_weight=0)
    >>> [round(z, 4) for z in scaled.order_by("school_number")._z0.to_pyarrow().to_pylist()]
    [-0.7071, 0.7071]
    """
    check_columns(context, CONTEXT_SCHEMA, "context")
    indicators = tuple(indicators)
    if not indicators and not size_weight:
        raise ValueError("Give at least one indicator or a size_weight")

    complete = context.school_year == year
    for name in indicators:
        complete = complete & context[name].notnull()
    if size_weight:
        complete = complete & context.enrolment.notnull() & (context.enrolment > 0)
    pool = context.filter(complete)

    # Means and sds in a one-row aggregate joined to every school: one lazy
    # query. (Not window reductions: SQLite cannot run its standard deviation
    # as a window function.)
    stats = pool.aggregate(
        **{f"_mean_{i}": pool[name].mean() for i, name in enumerate(indicators)},
        **{f"_sd_{i}": pool[name].std() for i, name in enumerate(indicators)},
    )
    scaled = pool.cross_join(stats) if indicators else pool
    scaled = scaled.mutate(
        **{
            f"_z{i}": ibis.ifelse(
                scaled[f"_sd_{i}"] > 0,
                (scaled[name] - scaled[f"_mean_{i}"]) / scaled[f"_sd_{i}"],
                0.0,
            )
            for i, name in enumerate(indicators)
        },
        _size=(scaled.enrolment.cast("float64").ln() * size_weight)
        if size_weight
        else ibis.literal(0.0),
    )
    return scaled.select(
        "school_number",
        "board_number",
        "level",
        "language",
        "enrolment",
        *indicators,
        *(f"_z{i}" for i in range(len(indicators))),
        "_size",
    )


def nearest(
    scaled: pd.DataFrame, *, school_number: str, k: int = 10, same_level: bool = True
) -> pd.DataFrame:
    """`similar_schools` on a `standardized` table already read into memory.

    The same candidates, distances, order and columns as `similar_schools` with
    the same year, indicators and size weight (a test holds the two equal on
    Ontario's published context), for the price of one pass over a few thousand
    rows instead of a query per school.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    z_columns = [column for column in scaled.columns if column.startswith("_z")]
    indicators = [
        column
        for column in scaled.columns
        if column not in _FRAME_COLUMNS and not column.startswith("_")
    ]
    columns = ["rank", *_FRAME_COLUMNS, *indicators, "distance"]
    target = scaled[scaled.school_number == school_number]
    if target.empty:
        return pd.DataFrame(columns=columns)
    mine = target.iloc[0]
    others = scaled[scaled.school_number != school_number]
    if same_level:
        others = others[others.level == mine["level"]]
    squared = (others["_size"] - mine["_size"]) ** 2
    for column in z_columns:
        squared = squared + (others[column] - mine[column]) ** 2
    found = (
        others.assign(_squared=squared.astype("float64"))
        .sort_values(["_squared", "school_number"], kind="mergesort")
        .head(k)
    )
    found = found.assign(
        rank=range(1, len(found) + 1), distance=np.sqrt(found["_squared"].to_numpy())
    )
    return found[columns].reset_index(drop=True)


_FRAME_COLUMNS = ["school_number", "board_number", "level", "language", "enrolment"]

# Rows of the distance matrix computed at once: 256 x 4,000 schools is 8 MB of float64.
_CHUNK = 256


def nearest_all(
    scaled: pd.DataFrame, *, k: int = 10, same_level: bool = True
) -> dict[str, list[dict[str, Any]]]:
    """`nearest` for every school of a `standardized` table at once, as records.

    {school_number: the rows `nearest(scaled, school_number=..., k=k,
    same_level=same_level)` returns, as `to_dict("records")` gives them}: the same
    schools, order, ranks and distances (computed in the same order of operations,
    so equal to the last bit; a test holds the two equal). One pass of array
    arithmetic over the whole province (about a second for Ontario's 4,800 schools)
    instead of a pass of pandas per school page, so the worker computes it ahead and
    a school page looks its school up.

    >>> from capacity.evidence.analytics.examples import context_table
    >>> context = context_table(*({"school_number": number, "pct_low_income": value} for number, value in
    ...                           (("019186", 30.0), ("000002", 28.0), ("000003", 10.0), ("000004", 31.0))))
    >>> scaled = standardized(context, year="2018-19").to_pandas()
    >>> [r["school_number"] for r in nearest_all(scaled, k=2)["019186"]]
    ['000004', '000002']
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    z_columns = [column for column in scaled.columns if column.startswith("_z")]
    indicators = [
        column
        for column in scaled.columns
        if column not in _FRAME_COLUMNS and not column.startswith("_")
    ]
    shown = [*_FRAME_COLUMNS, *indicators]
    # In school-number order, so a stable sort on distance breaks ties by number, as `nearest` does.
    ordered = scaled.sort_values("school_number", kind="mergesort").reset_index(drop=True)
    numbers = ordered["school_number"].tolist()
    size = ordered["_size"].to_numpy(dtype="float64")
    z = [ordered[column].to_numpy(dtype="float64") for column in z_columns]
    values = {column: ordered[column].tolist() for column in shown}
    levels = ordered["level"].to_numpy(dtype=object)
    pools = (
        [np.flatnonzero(levels == level) for level in dict.fromkeys(levels)]
        if same_level
        else [np.arange(len(ordered))]
    )
    found: dict[str, list[dict[str, Any]]] = {}
    for pool in pools:
        for start in range(0, len(pool), _CHUNK):
            mine = pool[start : start + _CHUNK]
            # Each school's squared distance to every school of its pool, summed in `nearest`'s order.
            squared = (size[pool][None, :] - size[mine][:, None]) ** 2
            for column in z:
                squared = squared + (column[pool][None, :] - column[mine][:, None]) ** 2
            order = np.argsort(squared, axis=1, kind="stable")[:, : k + 1]
            for row, position in enumerate(mine):
                records: list[dict[str, Any]] = []
                for column_index in order[row]:
                    other = pool[column_index]
                    if other == position:
                        continue
                    if len(records) == k:
                        break
                    distance = float(squared[row, column_index])
                    records.append(
                        {"rank": len(records) + 1}
                        | {column: values[column][other] for column in shown}
                        | {"distance": float(np.sqrt(distance))}
                    )
                found[numbers[position]] = records
    return found


def similar_schools(
    context: ir.Table,
    *,
    school_number: str,
    year: str,
    k: int = 10,
    same_level: bool = True,
    indicators: Sequence[str] = CONTEXT_INDICATORS,
    size_weight: float = 0.5,
) -> ir.Table:
    """The `k` schools nearest to `school_number` by context in `year`, nearest first.

    Distance: each indicator is standardized to a z-score, (value - mean) / sd,
    with the mean and the sample standard deviation taken over the year's
    schools that have every indicator (of any level, so that "one sd" means the
    same thing whatever `same_level` is). The distance between two schools is

        sqrt( sum over indicators of (z_a - z_b)**2
              + (size_weight * (ln enrolment_a - ln enrolment_b))**2 )

    so size counts as one more dimension, shrunk by `size_weight` (0 ignores
    size). An indicator that does not vary that year (sd 0) adds nothing.

    Candidates: schools with a context row in `year` that have every indicator
    (and, when size_weight is not 0, an enrolment above 0), other than the
    school itself; with `same_level`, only schools of its level. Rows with a
    missing indicator are excluded, not imputed. Ties in distance are broken by
    school_number, so the order is the same on every engine.

    When the school has no complete context row in `year` the result is empty.

    Columns: rank (1 = nearest), school_number, board_number, level, language,
    enrolment, the indicators, distance.

    >>> from capacity.evidence.analytics.examples import context_table
    >>> context = context_table(*({"school_number": number, "pct_low_income": value} for number, value in
    ...                           (("019186", 30.0), ("000002", 28.0), ("000003", 10.0), ("000004", 31.0))))
    >>> peers = similar_schools(context, school_number="019186", year="2018-19", k=2)
    >>> peers.select("rank", "school_number").order_by("rank").to_pyarrow().to_pylist()
    [{'rank': 1, 'school_number': '000004'}, {'rank': 2, 'school_number': '000002'}]
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    indicators = tuple(indicators)
    scaled = standardized(context, year=year, indicators=indicators, size_weight=size_weight)
    z_columns = [f"_z{i}" for i in range(len(indicators))]
    target = scaled.filter(scaled.school_number == school_number).select(
        _t_level=scaled.level,
        _t_size=scaled._size,
        **{f"_t{column}": scaled[column] for column in z_columns},
    )
    others = scaled.filter(scaled.school_number != school_number)
    pairs = others.cross_join(target)
    if same_level:
        pairs = pairs.filter(pairs.level == pairs._t_level)

    squared: ir.FloatingValue = (pairs._size - pairs._t_size) ** 2
    for column in z_columns:
        squared = squared + (pairs[column] - pairs[f"_t{column}"]) ** 2
    pairs = pairs.mutate(_squared=squared.cast("float64"))
    ranked = pairs.mutate(
        rank=ibis.row_number().over(order_by=[pairs._squared, pairs.school_number]) + 1
    )
    closest = ranked.filter(ranked.rank <= k)
    return closest.select(
        rank=closest["rank"].cast("int64"),
        school_number=closest.school_number,
        board_number=closest.board_number,
        level=closest.level,
        language=closest.language,
        enrolment=closest.enrolment,
        **{name: closest[name] for name in indicators},
        distance=closest._squared.sqrt().cast("float64"),
    ).order_by("rank")
