"""Trends per school, and results rolled up to boards or the province.

`school_trends` answers "is this school's result rising or falling?" per school
and assessment; `rollup` answers "what share of a board's (or the province's)
students reached the standard?" per school year and assessment. Both read the
canonical `results` table (see `schema.py`) and return lazy Ibis expressions,
so they run unchanged on DuckDB, SQLite, PostgreSQL and Spark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ibis
import ibis.expr.types as ir

from capacity.evidence.analytics.schema import (
    RESULTS_SCHEMA,
    check_columns,
    school_year_label,
    year_start,
    year_start_of,
)

__all__ = ["base_year_for", "rollup", "school_trends", "weighted_cells"]


def base_year_for(latest: str, available: Sequence[str], *, years: int = 3) -> str | None:
    """The year a `years`-year change to `latest` compares with: `years` school years
    earlier when that year has results, else the year with results nearest to it
    (before `latest`; of two equally near, the earlier). None when no earlier year has results.

    Ontario gave no tests in 2019-20 and 2020-21, so a three-year change to
    2022-23 compares with 2018-19 and one to 2023-24 with 2021-22:

    >>> base_year_for("2023-24", ["2018-19", "2021-22", "2022-23", "2023-24"])
    '2021-22'
    >>> base_year_for("2022-23", ["2018-19", "2021-22", "2022-23"])
    '2018-19'
    >>> base_year_for("2018-19", ["2015-16", "2016-17", "2017-18", "2018-19"])
    '2015-16'
    """
    target = year_start_of(latest) - years
    earlier = sorted(
        {year_start_of(y) for y in available if year_start_of(y) < year_start_of(latest)}
    )
    if not earlier:
        return None
    return school_year_label(min(earlier, key=lambda start: (abs(start - target), start)))


def _groups_filter(table: ir.Table, group: str | Sequence[str] | None) -> ir.Table:
    """Keep the rows of one student group, several, or (None) all of them."""
    if group is None:
        return table
    if isinstance(group, str):
        return table.filter(table.group == group)
    return table.filter(table.group.isin(list(group)))


def school_trends(
    results: ir.Table,
    *,
    group: str = "all",
    years: int = 3,
    latest: str | None = None,
    base: str | None = None,
) -> ir.Table:
    """Per school and assessment: the latest result, the result `years` school years before, and the trend.

    The window is anchored on one school year for every school, so that all rows
    compare the same years: `latest` (a label like "2018-19") or, when None, the
    most recent school year present in `results` for `group`. The window runs
    from `years` calendar school years before the anchor to the anchor itself
    (years=3 and latest="2018-19" compare 2018-19 with 2015-16 and fit the
    trend over 2015-16, 2016-17, 2017-18 and 2018-19). Years are counted by the
    calendar, not by the years a school happens to have results for.

    `base` (with `latest`) names the year to compare with instead, when the year
    `years` before has no results (see `base_year_for`): the window then runs
    from `base` to `latest`, and base_year says which year it was.

    A value is "reported" when `pct_at_standard` is not null (rows with status
    "nr", "nd" or "sp" carry no number and are ignored).

    Output, one row per school x assessment with at least one row (reported or
    not) in the window:

    - school_number, school_name, board_number, board_name, assessment
    - latest_year ("2018-19"), latest_value (null when not reported that year),
      latest_participating
    - base_year ("2015-16"), base_value (null when not reported that year)
    - change: latest_value - base_value, null when either end is missing
    - slope: ordinary least-squares slope of value on school year, in
      percentage points per year, over the reported values in the window; null
      with fewer than 2 reported values
    - points: the number of reported values in the window

    The slope is computed from aggregate sums (n, Σx, Σy, Σxy, Σx²) with x the
    school year's start relative to the anchor (0, -1, -2, ...), because every
    engine can sum, and small whole-number x keeps Σx and Σx² exact.

    Values of 40, 45 and 50 over three consecutive years give slope 5.0:

    >>> from capacity.evidence.analytics.examples import results_table
    >>> results = results_table(*({"school_year": year, "pct_at_standard": value}
    ...                           for year, value in (("2016-17", 40.0), ("2017-18", 45.0), ("2018-19", 50.0))))
    >>> trends = school_trends(results, group="all", years=3, latest="2018-19")
    >>> rising = trends.filter(trends.slope > 0).order_by(trends.slope.desc())
    >>> rising.select("school_number", "slope", "points").to_pyarrow().to_pylist()
    [{'school_number': '000001', 'slope': 5.0, 'points': 3}]
    """
    check_columns(results, RESULTS_SCHEMA, "results")
    if base is not None:
        if latest is None:
            raise ValueError("A base year needs a latest year to compare it with")
        years = year_start_of(latest) - year_start_of(base)
    if years < 1:
        raise ValueError("years must be at least 1")

    rows = results.filter(results.group == group)
    if latest is not None:
        # A known anchor: also keep only the window's labels, so that a database
        # can use an index on school_year and DuckDB can skip Parquet row groups
        # (the _x filter below still applies: a row is never added).
        first = year_start_of(latest) - years
        rows = rows.filter(
            rows.school_year.isin([school_year_label(y) for y in range(first, first + years + 1)])
        )
    start = year_start(rows.school_year)
    if latest is None:
        # One anchor for the whole table: a scalar reduction inside mutate
        # becomes a window over all rows, which every engine runs.
        rows = rows.mutate(_start=start, _anchor=start.max())
    else:
        rows = rows.mutate(_start=start, _anchor=ibis.literal(year_start_of(latest), "int64"))
    rows = rows.mutate(_x=(rows._start - rows._anchor).cast("int64"))
    rows = rows.filter((rows._x >= -years) & (rows._x <= 0))

    reported = rows.pct_at_standard.notnull()
    x = rows._x.cast("float64")
    y = rows.pct_at_standard
    summary = rows.group_by(["school_number", "assessment"]).aggregate(
        school_name=rows.school_name.max(),
        board_number=rows.board_number.max(),
        board_name=rows.board_name.max(),
        _anchor=rows._anchor.max(),
        latest_value=y.max(where=rows._x == 0),
        latest_participating=rows.participating.max(where=rows._x == 0),
        base_value=y.max(where=rows._x == -years),
        points=reported.ifelse(1, 0).sum(),
        _sx=x.sum(where=reported),
        _sy=y.sum(where=reported),
        _sxy=(x * y).sum(where=reported),
        _sxx=(x * x).sum(where=reported),
    )
    n = summary.points.cast("float64")
    denominator = n * summary._sxx - summary._sx * summary._sx
    slope = ibis.ifelse(
        (summary.points >= 2) & (denominator != 0),
        (n * summary._sxy - summary._sx * summary._sy) / denominator,
        ibis.null("float64"),
    )
    anchor = summary._anchor
    if latest is None:
        latest_year, base_year = _label(anchor), _label(anchor - years)
    else:
        # The same labels as literals, rather than built from numbers on every row.
        latest_year = ibis.literal(school_year_label(year_start_of(latest)), "string")
        base_year = ibis.literal(school_year_label(year_start_of(latest) - years), "string")
    return summary.select(
        "school_number",
        "school_name",
        "board_number",
        "board_name",
        "assessment",
        latest_year=latest_year,
        latest_value=summary.latest_value,
        latest_participating=summary.latest_participating.cast("int64"),
        base_year=base_year,
        base_value=summary.base_value,
        change=summary.latest_value - summary.base_value,
        slope=slope.cast("float64"),
        points=summary.points.cast("int64"),
    ).order_by(["school_number", "assessment"])


def _label(start: ir.IntegerValue) -> ir.StringValue:
    """2018 -> "2018-19" as an expression (the inverse of `year_start`).

    Takes the last two characters of the following year as text rather than
    using a modulo, because SQLite's MOD returns a float ("10.0").
    """
    return start.cast("string") + "-" + (start + 1).cast("string").right(2)


def weighted_cells(
    rows: ir.Table,
    keys: Sequence[str],
    *,
    extra: Mapping[str, ir.Scalar] | None = None,
    one_row_per_school: bool = False,
) -> ir.Table:
    """Participation-weighted % at standard per cell of `keys` (the rule `rollup` documents).

    A building block for `rollup` and `equity_gaps`: `rows` are already
    filtered to the groups wanted; `extra` adds aggregations of `rows` (for
    example a board's name) to each cell. Only rows with a reported
    `pct_at_standard` take part.

    Columns: the keys, the extras, pct_at_standard, schools, students,
    weighting.

    `one_row_per_school=True` says that a school has at most one row per cell,
    as when the keys include school_year and assessment and either include
    group or `rows` hold one group (the canonical table has one row per school
    x school year x assessment x group: see schema.py). The schools are then
    counted as rows, which gives the same answer without a COUNT(DISTINCT):
    on DuckDB that is most of a rollup's time and memory.

    >>> from capacity.evidence.analytics.examples import results_table
    >>> results = results_table({"group": "ell", "participating": 10, "pct_at_standard": 30.0},
    ...                         {"group": "ell", "participating": 30, "pct_at_standard": 60.0,
    ...                          "school_number": "000002"})
    >>> ell = results.filter(results.group == "ell")
    >>> cells = weighted_cells(ell, ["board_number", "school_year", "assessment"])
    >>> cells.count().to_pyarrow().as_py()
    1
    """
    rows = rows.filter(rows.pct_at_standard.notnull())
    known = rows.participating.notnull() & (rows.participating > 0)
    weight = rows.participating.cast("float64")
    aggregates: dict[str, ir.Scalar] = {
        "_known_rows": known.ifelse(1, 0).sum(),
        "_weight": weight.sum(where=known),
        "_weighted": (weight * rows.pct_at_standard).sum(where=known),
        "_plain": rows.pct_at_standard.sum(),
        "_rows": rows.count(),
    }
    if one_row_per_school:
        aggregates["_known_schools"] = aggregates["_known_rows"]
        aggregates["_schools"] = rows.count()
    else:
        aggregates["_known_schools"] = rows.school_number.nunique(where=known)
        aggregates["_schools"] = rows.school_number.nunique()
    aggregates.update(extra or {})
    cells = rows.group_by(list(keys)).aggregate(**aggregates)
    by_count = cells._known_rows > 0
    return cells.select(
        *keys,
        *(extra or {}),
        pct_at_standard=ibis.ifelse(
            by_count, cells._weighted / cells._weight, cells._plain / cells._rows.cast("float64")
        ).cast("float64"),
        schools=ibis.ifelse(by_count, cells._known_schools, cells._schools).cast("int64"),
        students=ibis.ifelse(by_count, cells._weight, ibis.null("float64")).cast("int64"),
        weighting=ibis.ifelse(by_count, "participating", "equal"),
    )


def rollup(
    results: ir.Table,
    *,
    by: Sequence[str] = ("board_number",),
    group: str | Sequence[str] | None = "all",
) -> ir.Table:
    """Results rolled up per `by` keys x school year x assessment x group.

    `by=("board_number",)` gives boards, `by=()` the province; any columns of
    `results` can be keys (for example ("board_number", "board_name")).
    `group` is one student group, a list of them, or None for every group.

    The rolled-up % at standard is a weighted mean of the schools' reported
    values, with this rule for the weights, per cell:

    - when at least one reported row in the cell has a known participation
      (participating > 0), each such row weighs its participating students and
      rows whose participation is unknown are left out, since their weight
      cannot be known and giving them any weight would bias the mean;
    - when no reported row in the cell has a known participation, every
      reported row weighs 1 (a plain mean of the schools' percentages).

    Output columns: the `by` keys, school_year, assessment, group,
    pct_at_standard, schools (the schools whose values entered the mean),
    students (the sum of their participating students; null when the mean is a
    plain one) and weighting ("participating" or "equal").

    30% of 10 students and 60% of 30 students roll up to 52.5%:

    >>> from capacity.evidence.analytics.examples import results_table
    >>> results = results_table({"school_number": "000001", "participating": 10, "pct_at_standard": 30.0},
    ...                         {"school_number": "000002", "participating": 30, "pct_at_standard": 60.0})
    >>> boards = rollup(results, by=("board_number",), group="all")
    >>> boards.select("board_number", "pct_at_standard", "schools", "students").to_pyarrow().to_pylist()
    [{'board_number': 'B00001', 'pct_at_standard': 52.5, 'schools': 2, 'students': 40}]
    >>> province = rollup(results, by=())
    >>> province.select("pct_at_standard", "weighting").to_pyarrow().to_pylist()
    [{'pct_at_standard': 52.5, 'weighting': 'participating'}]
    """
    check_columns(results, RESULTS_SCHEMA, "results")
    by = tuple(by)
    for key in by:
        if key not in results.columns:
            raise ValueError(f"The results table has no column {key!r} to roll up by")
    rows = _groups_filter(results, group)
    # dict.fromkeys drops a repeated key (e.g. by=("group",)) while keeping order.
    keys = list(dict.fromkeys([*by, "school_year", "assessment", "group"]))
    # school_year, assessment and group are always keys: one row per school and cell.
    return weighted_cells(rows, keys, one_row_per_school=True).order_by(keys)
