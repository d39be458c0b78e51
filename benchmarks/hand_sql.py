"""The evidence pipeline written by hand in DuckDB SQL: the yardstick for Capacity's Ibis version.

`run(results_path, context_path, ...)` computes, on one in-process DuckDB
connection with both Parquet files behind views, what the benchmark's pipeline
asks of Capacity (see evidence_scale.py):

- identification for one year under a policy: `identification_sql` (the
  project's own hand-written query, kept in step with the Ibis rule);
- school trends (3-year change and least-squares slope per school x assessment);
- the board rollup (participation-weighted % at standard);
- board-level equity gaps (each group against all students);
- the context model: sums of products in SQL, the normal equations in numpy,
  then residuals for every school in SQL with the coefficients as literals.

Each query is what a competent SQL writer would write for the documented rule
(docs/analytics.md, docs/identification.md), and gives the same answers as the
Ibis functions in capacity/evidence/analytics.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from identification_sql import identification_sql  # this folder's, beside the script

from capacity.evidence.analytics.policy import Policy

SIX = ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")
INDICATORS = (
    "pct_low_income",
    "pct_language_learners",
    "pct_special_education",
    "pct_parents_no_degree",
)


def _q(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _label(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def _in(values: Sequence[str]) -> str:
    return ", ".join(_q(v) for v in values)


def trends_sql(table: str, latest: str, *, years: int = 3, group: str = "all") -> str:
    """Per school x assessment: latest and base values, change, OLS slope over the calendar window."""
    anchor = int(latest[:4])
    window = [_label(anchor - k) for k in range(years, -1, -1)]
    return f"""
WITH rows AS (
    SELECT school_number, school_name, board_number, board_name, assessment, participating,
           pct_at_standard AS y,
           CAST(CAST(substr(school_year, 1, 4) AS BIGINT) - {anchor} AS DOUBLE) AS x
    FROM {table}
    WHERE "group" = {_q(group)} AND school_year IN ({_in(window)})
),
summary AS (
    SELECT school_number, assessment,
           max(school_name) AS school_name,
           max(board_number) AS board_number,
           max(board_name) AS board_name,
           max(y) FILTER (WHERE x = 0) AS latest_value,
           max(participating) FILTER (WHERE x = 0) AS latest_participating,
           max(y) FILTER (WHERE x = -{years}) AS base_value,
           count(y) AS points,
           sum(x) FILTER (WHERE y IS NOT NULL) AS sx,
           sum(y) AS sy,
           sum(x * y) AS sxy,
           sum(x * x) FILTER (WHERE y IS NOT NULL) AS sxx
    FROM rows
    GROUP BY school_number, assessment
)
SELECT school_number, school_name, board_number, board_name, assessment,
       {_q(latest)} AS latest_year, latest_value, latest_participating,
       {_q(_label(anchor - years))} AS base_year, base_value,
       latest_value - base_value AS change,
       CASE WHEN points >= 2 AND points * sxx - sx * sx <> 0
            THEN (points * sxy - sx * sy) / (points * sxx - sx * sx) END AS slope,
       points
FROM summary
ORDER BY school_number, assessment
"""  # noqa: S608


def _cells_sql(source: str, keys: Sequence[str], extra: str = "") -> str:
    """The rollup rule (docs/analytics.md) per cell of `keys` over the rows of `source`.

    Schools are counted as rows: every caller's keys hold school year and
    assessment and either the group or rows of one group, so a school has one
    row per cell (the same shape as `weighted_cells(..., one_row_per_school=True)`).
    """
    key_list = ", ".join(f'"{k}"' for k in keys)
    return f"""
SELECT {key_list}{extra},
       CASE WHEN count(*) FILTER (WHERE known) > 0
            THEN sum(weight * pct_at_standard) FILTER (WHERE known) / sum(weight) FILTER (WHERE known)
            ELSE avg(pct_at_standard) END AS pct_at_standard,
       CASE WHEN count(*) FILTER (WHERE known) > 0
            THEN count(*) FILTER (WHERE known)
            ELSE count(*) END AS schools,
       CASE WHEN count(*) FILTER (WHERE known) > 0
            THEN CAST(sum(weight) FILTER (WHERE known) AS BIGINT) END AS students,
       CASE WHEN count(*) FILTER (WHERE known) > 0 THEN 'participating' ELSE 'equal' END AS weighting
FROM (
    SELECT *, coalesce(participating > 0, false) AS known, CAST(participating AS DOUBLE) AS weight
    FROM {source}
    WHERE pct_at_standard IS NOT NULL
)
GROUP BY {key_list}
"""  # noqa: S608


def rollup_sql(table: str, *, group: str = "all") -> str:
    """Per board x school year x assessment x group: the weighted % at standard."""
    keys = ["board_number", "school_year", "assessment", "group"]
    source = f'(SELECT * FROM {table} WHERE "group" = {_q(group)})'
    return _cells_sql(source, keys) + "ORDER BY 1, 2, 3, 4\n"


def gaps_sql(table: str, *, reference: str = "all") -> str:
    """Per board x school year x assessment x group: the group's and the reference's weighted values."""
    groups = _cells_sql(
        f'(SELECT * FROM {table} WHERE "group" <> {_q(reference)})',
        ["board_number", "school_year", "assessment", "group"],
        ", max(board_name) AS board_name",
    )
    ref = _cells_sql(
        f'(SELECT * FROM {table} WHERE "group" = {_q(reference)})',
        ["board_number", "school_year", "assessment"],
    )
    return f"""
WITH g AS ({groups}), r AS ({ref})
SELECT g.board_number, g.board_name, g.school_year, g.assessment, g."group",
       {_q(reference)} AS reference,
       g.pct_at_standard, r.pct_at_standard AS reference_pct,
       g.pct_at_standard - r.pct_at_standard AS gap,
       g.students AS participating, r.students AS reference_participating,
       g.schools, r.schools AS reference_schools
FROM g LEFT JOIN r USING (board_number, school_year, assessment)
ORDER BY 1, 3, 4, 5
"""  # noqa: S608


def outcomes_sql(results: str, context: str, year: str, *, group: str = "all") -> str:
    """One row per school with every one of the six results and every indicator in `year`."""
    complete = " AND ".join(f"{name} IS NOT NULL" for name in INDICATORS)
    return f"""
WITH per_school AS (
    SELECT school_number,
           max(school_name) AS school_name,
           max(board_number) AS board_number,
           max(board_name) AS board_name,
           count(DISTINCT assessment) AS n_assessments,
           count(*) AS n_rows,
           count(*) FILTER (WHERE participating IS NULL) AS n_unknown,
           avg(pct_at_standard) AS actual,
           min(participating) AS participating
    FROM {results}
    WHERE school_year = {_q(year)} AND "group" = {_q(group)}
      AND assessment IN ({_in(SIX)}) AND pct_at_standard IS NOT NULL
    GROUP BY school_number
)
SELECT p.school_number, p.school_name, p.board_number, p.board_name,
       {_q(year)} AS school_year, p.actual,
       CASE WHEN p.n_unknown > 0 THEN NULL ELSE p.participating END AS participating,
       c.level, c.enrolment, {", ".join(f"c.{name}" for name in INDICATORS)}
FROM per_school p
JOIN {context} c ON c.school_number = p.school_number
WHERE p.n_assessments = {len(SIX)} AND p.n_rows = {len(SIX)}
  AND c.school_year = {_q(year)} AND {complete}
"""  # noqa: S608


def fit_sums_sql(outcomes: str, min_participating: int) -> str:
    """n, the means and the centred cross products the normal equations need."""
    m = len(INDICATORS)
    means = ", ".join(f"avg({name}) AS m{i}" for i, name in enumerate(INDICATORS))
    products = ["sum((actual - my) * (actual - my)) AS see"]
    for i, a in enumerate(INDICATORS):
        products.append(f"sum(({a} - m{i}) * (actual - my)) AS de{i}")
        for j in range(i, m):
            products.append(f"sum(({a} - m{i}) * ({INDICATORS[j]} - m{j})) AS dd{i}_{j}")
    return f"""
WITH fit AS (SELECT * FROM {outcomes} WHERE participating >= {int(min_participating)}),
means AS (SELECT count(*) AS n, avg(actual) AS my, {means} FROM fit)
SELECT any_value(n) AS n, any_value(my) AS my, {", ".join(f"any_value(m{i}) AS m{i}" for i in range(m))},
       {", ".join(products)}
FROM fit, means
"""  # noqa: S608


def _prediction(coefficients: dict[str, float]) -> str:
    expression = repr(coefficients["intercept"])
    for name in INDICATORS:
        expression = f"({expression} + {coefficients[name]!r} * {name})"
    return expression


def run(
    results_path: str,
    context_path: str,
    *,
    policy: Policy,
    groups: bool,
    threads: int | None = None,
    timer: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """The whole pipeline; returns Arrow tables and the model. `timer(stage)` is called after each stage."""
    import duckdb

    mark = timer or (lambda stage: None)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute(f"CREATE VIEW results AS SELECT * FROM read_parquet({_q(results_path)})")
    con.execute(f"CREATE VIEW context AS SELECT * FROM read_parquet({_q(context_path)})")
    latest = con.sql("SELECT max(school_year) FROM results WHERE \"group\" = 'all'").fetchone()[0]
    mark("latest_year")

    out: dict[str, Any] = {"latest": latest}
    out["identification"] = con.sql(identification_sql("results", policy, latest)).to_arrow_table()
    mark("identification")
    out["trends"] = con.sql(trends_sql("results", latest)).to_arrow_table()
    mark("trends")
    out["rollup"] = con.sql(rollup_sql("results")).to_arrow_table()
    mark("rollup")
    if groups:
        out["gaps"] = con.sql(gaps_sql("results")).to_arrow_table()
        mark("gaps")

    # The context model: the fit rows once into a small temporary table (one
    # row per school), then the sums, the residual sum of squares and every
    # school's residual from it.
    min_participating = 10
    con.execute(f"CREATE TEMP TABLE outcomes AS {outcomes_sql('results', 'context', latest)}")
    sums = con.sql(fit_sums_sql("outcomes", min_participating)).to_arrow_table().to_pylist()[0]
    m = len(INDICATORS)
    n = int(sums["n"])
    dtd = np.zeros((m, m))
    dte = np.zeros(m)
    for i in range(m):
        dte[i] = sums[f"de{i}"]
        for j in range(i, m):
            dtd[i, j] = dtd[j, i] = sums[f"dd{i}_{j}"]
    slopes = np.linalg.solve(dtd, dte)
    means = np.array([sums[f"m{i}"] for i in range(m)])
    coefficients = {"intercept": float(sums["my"] - slopes @ means)}
    coefficients.update({name: float(slopes[i]) for i, name in enumerate(INDICATORS)})
    predicted = _prediction(coefficients)
    ssr = con.sql(
        f"SELECT sum((actual - {predicted}) * (actual - {predicted})) FROM outcomes "
        f"WHERE participating >= {min_participating}"  # noqa: S608
    ).fetchone()[0]
    sst = float(sums["see"])
    residual_sd = math.sqrt(ssr / (n - m - 1))
    out["model"] = {
        "coefficients": coefficients,
        "n": n,
        "r_squared": 1.0 - ssr / sst if sst > 0 else 1.0,
        "residual_sd": residual_sd,
    }
    standardized = f"residual / {residual_sd!r}" if residual_sd > 0 else "CAST(NULL AS DOUBLE)"
    out["beat_the_odds"] = con.sql(
        f"""
SELECT *, {standardized} AS standardized_residual,
       coalesce(residual >= {residual_sd!r} AND participating >= {min_participating}, false) AS existence_proof
FROM (SELECT *, {predicted} AS predicted, actual - {predicted} AS residual FROM outcomes)
ORDER BY residual DESC, school_number
"""  # noqa: S608
    ).to_arrow_table()
    mark("context_model")
    con.close()
    return out
