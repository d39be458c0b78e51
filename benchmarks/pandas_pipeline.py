"""The evidence pipeline as a competent analyst would write it in pandas: the baseline.

Read both Parquet files into DataFrames once, then filter, groupby and merge;
the context model is an ordinary least-squares fit with numpy. Vectorised
throughout (no per-row Python), nothing deliberately slow, nothing clever
either: the code one would write in a notebook from docs/analytics.md and
docs/identification.md. The answers are the same as Capacity's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from capacity.evidence.analytics.policy import Policy

SIX = ["G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH"]
INDICATORS = [
    "pct_low_income",
    "pct_language_learners",
    "pct_special_education",
    "pct_parents_no_degree",
]


def _label(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def identification(results: pd.DataFrame, policy: Policy, year: str) -> pd.DataFrame:
    """school_number, status, years_meeting, years_missing for every school with a policy row in the window."""
    last = int(year[:4])
    window = [_label(start) for start in range(last - policy.years + 1, last + 1)]
    rows = results[
        (results["group"] == policy.group)
        & results["assessment"].isin(policy.assessments)
        & results["school_year"].isin(window)
    ]
    usable = rows["status"].fillna("").eq("") & rows["pct_at_standard"].notna()
    if policy.min_participating > 0:
        usable &= rows["participating"].ge(policy.min_participating).fillna(False)
    below = usable & (rows["pct_at_standard"] < policy.threshold)
    per_year = (
        pd.DataFrame(
            {
                "school_number": rows["school_number"],
                "school_year": rows["school_year"],
                "usable": usable,
                "below": below,
            }
        )
        .groupby(["school_number", "school_year"])
        .sum()
    )
    per_year["has_data"] = per_year["usable"] > 0
    per_year["meets"] = per_year["below"] >= policy.min_assessments_below
    schools = per_year.groupby(level="school_number")[["meets", "has_data"]].sum()
    meeting = schools["meets"].astype("int64")
    missing = (policy.years - schools["has_data"]).astype("int64")
    status = np.select(
        [meeting >= policy.min_years, meeting + missing < policy.min_years],
        ["identified", "not_identified"],
        "insufficient_data",
    )
    return pd.DataFrame(
        {"status": status, "years_meeting": meeting, "years_missing": missing}, index=schools.index
    ).reset_index()


def school_trends(
    results: pd.DataFrame, latest: str, *, years: int = 3, group: str = "all"
) -> pd.DataFrame:
    """Per school x assessment: latest and base values, change, least-squares slope, points."""
    anchor = int(latest[:4])
    rows = results[results["group"] == group]
    x = rows["school_year"].str.slice(0, 4).astype("int64") - anchor
    rows, x = rows[(x >= -years) & (x <= 0)], x[(x >= -years) & (x <= 0)].astype("float64")
    y = rows["pct_at_standard"]
    reported = y.notna()
    frame = rows[
        ["school_number", "assessment", "school_name", "board_number", "board_name"]
    ].assign(
        latest_value=y.where(x == 0),
        latest_participating=rows["participating"].where(x == 0),
        base_value=y.where(x == -years),
        points=reported.astype("int64"),
        sx=x.where(reported),
        sy=y,
        sxy=x * y,
        sxx=(x * x).where(reported),
    )
    out = (
        frame.groupby(["school_number", "assessment"], sort=True)
        .agg(
            school_name=("school_name", "first"),
            board_number=("board_number", "first"),
            board_name=("board_name", "first"),
            latest_value=("latest_value", "max"),
            latest_participating=("latest_participating", "max"),
            base_value=("base_value", "max"),
            points=("points", "sum"),
            sx=("sx", "sum"),
            sy=("sy", "sum"),
            sxy=("sxy", "sum"),
            sxx=("sxx", "sum"),
        )
        .reset_index()
    )
    n = out["points"].astype("float64")
    denominator = n * out["sxx"] - out["sx"] ** 2
    slope = (n * out["sxy"] - out["sx"] * out["sy"]) / denominator
    out["slope"] = slope.where((out["points"] >= 2) & (denominator != 0))
    out["change"] = out["latest_value"] - out["base_value"]
    out["latest_year"] = latest
    out["base_year"] = _label(anchor - years)
    return out[
        [
            "school_number",
            "school_name",
            "board_number",
            "board_name",
            "assessment",
            "latest_year",
            "latest_value",
            "latest_participating",
            "base_year",
            "base_value",
            "change",
            "slope",
            "points",
        ]
    ]


def weighted_cells(
    rows: pd.DataFrame, keys: Sequence[str], *, board_name: bool = False
) -> pd.DataFrame:
    """The rollup rule per cell of `keys`: participation-weighted when any count is known, else a plain mean."""
    rows = rows[rows["pct_at_standard"].notna()]
    known = rows["participating"].gt(0).fillna(False)
    weight = rows["participating"].where(known).astype("float64")
    frame = rows[list(keys)].assign(
        known=known.astype("int64"),
        weight=weight,
        weighted=weight * rows["pct_at_standard"],
        pct=rows["pct_at_standard"],
        school=rows["school_number"],
        known_school=rows["school_number"].where(known),
    )
    aggregations: dict[str, Any] = {
        "known_rows": ("known", "sum"),
        "weight": ("weight", "sum"),
        "weighted": ("weighted", "sum"),
        "plain": ("pct", "mean"),
        "known_schools": ("known_school", "nunique"),
        "all_schools": ("school", "nunique"),
    }
    if board_name:
        frame["board_name"] = rows["board_name"]
        aggregations["board_name"] = ("board_name", "max")
    cells = frame.groupby(list(keys), sort=True).agg(**aggregations).reset_index()
    by_count = cells["known_rows"] > 0
    cells["pct_at_standard"] = np.where(
        by_count, cells["weighted"] / cells["weight"], cells["plain"]
    )
    cells["schools"] = np.where(by_count, cells["known_schools"], cells["all_schools"])
    cells["students"] = cells["weight"].where(by_count)
    cells["weighting"] = np.where(by_count, "participating", "equal")
    return cells[
        [
            *keys,
            *(["board_name"] if board_name else []),
            "pct_at_standard",
            "schools",
            "students",
            "weighting",
        ]
    ]


def rollup(results: pd.DataFrame, *, group: str = "all") -> pd.DataFrame:
    return weighted_cells(
        results[results["group"] == group], ["board_number", "school_year", "assessment", "group"]
    )


def equity_gaps(results: pd.DataFrame, *, reference: str = "all") -> pd.DataFrame:
    """Board level: each group's weighted value against the reference group's, per board, year and assessment."""
    keys = ["board_number", "school_year", "assessment"]
    groups = weighted_cells(
        results[results["group"] != reference], [*keys, "group"], board_name=True
    )
    ref = weighted_cells(results[results["group"] == reference], keys).rename(
        columns={
            "pct_at_standard": "reference_pct",
            "students": "reference_participating",
            "schools": "reference_schools",
        }
    )
    joined = groups.merge(
        ref[[*keys, "reference_pct", "reference_participating", "reference_schools"]],
        on=keys,
        how="left",
    )
    joined["reference"] = reference
    joined["gap"] = joined["pct_at_standard"] - joined["reference_pct"]
    joined = joined.rename(columns={"students": "participating"})
    return joined[
        [
            "board_number",
            "board_name",
            "school_year",
            "assessment",
            "group",
            "reference",
            "pct_at_standard",
            "reference_pct",
            "gap",
            "participating",
            "reference_participating",
            "schools",
            "reference_schools",
        ]
    ]


def school_outcomes(
    results: pd.DataFrame, context: pd.DataFrame, year: str, *, group: str = "all"
) -> pd.DataFrame:
    """One row per school with all six results and all four indicators in `year`."""
    rows = results[
        (results["school_year"] == year)
        & (results["group"] == group)
        & results["assessment"].isin(SIX)
        & results["pct_at_standard"].notna()
    ]
    per_school = (
        rows.assign(unknown=rows["participating"].isna())
        .groupby("school_number")
        .agg(
            school_name=("school_name", "first"),
            board_number=("board_number", "first"),
            board_name=("board_name", "first"),
            assessments=("assessment", "nunique"),
            rows=("assessment", "size"),
            unknown=("unknown", "sum"),
            actual=("pct_at_standard", "mean"),
            participating=("participating", "min"),
        )
    )
    per_school = per_school[
        (per_school["assessments"] == len(SIX)) & (per_school["rows"] == len(SIX))
    ]
    per_school["participating"] = per_school["participating"].where(per_school["unknown"] == 0)
    ctx = context[(context["school_year"] == year) & context[INDICATORS].notna().all(axis=1)]
    out = per_school.reset_index().merge(
        ctx[["school_number", "level", "enrolment", *INDICATORS]], on="school_number"
    )
    out["school_year"] = year
    return out[
        [
            "school_number",
            "school_name",
            "board_number",
            "board_name",
            "school_year",
            "actual",
            "participating",
            "level",
            "enrolment",
            *INDICATORS,
        ]
    ]


def context_model(
    outcomes: pd.DataFrame, *, min_participating: int = 10
) -> tuple[dict[str, Any], pd.DataFrame]:
    """OLS of actual on the four indicators over schools with >= min_participating; residuals for every school."""
    fit = outcomes[outcomes["participating"] >= min_participating]
    design = np.column_stack([np.ones(len(fit)), fit[INDICATORS].to_numpy("float64")])
    actual = fit["actual"].to_numpy("float64")
    beta, *_ = np.linalg.lstsq(design, actual, rcond=None)
    ssr = float(np.sum((actual - design @ beta) ** 2))
    sst = float(np.sum((actual - actual.mean()) ** 2))
    residual_sd = float(np.sqrt(ssr / (len(fit) - design.shape[1])))
    coefficients = {
        "intercept": float(beta[0]),
        **{name: float(b) for name, b in zip(INDICATORS, beta[1:], strict=True)},
    }
    model = {
        "coefficients": coefficients,
        "n": len(fit),
        "r_squared": 1 - ssr / sst,
        "residual_sd": residual_sd,
    }

    table = outcomes.copy()
    table["predicted"] = beta[0] + table[INDICATORS].to_numpy("float64") @ beta[1:]
    table["residual"] = table["actual"] - table["predicted"]
    table["standardized_residual"] = table["residual"] / residual_sd
    table["existence_proof"] = (table["residual"] >= residual_sd) & (
        table["participating"] >= min_participating
    )
    table = table.sort_values(
        ["residual", "school_number"], ascending=[False, True], ignore_index=True
    )
    return model, table


def run(
    results_path: str,
    context_path: str,
    *,
    policy: Policy,
    groups: bool,
    timer: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """The whole pipeline; returns DataFrames and the model. `timer(stage)` is called after each stage."""
    mark = timer or (lambda stage: None)
    results = pd.read_parquet(results_path)
    context = pd.read_parquet(context_path)
    mark("read")
    latest = results.loc[results["group"] == "all", "school_year"].max()
    mark("latest_year")
    out: dict[str, Any] = {"latest": latest}
    out["identification"] = identification(results, policy, latest)
    mark("identification")
    out["trends"] = school_trends(results, latest)
    mark("trends")
    out["rollup"] = rollup(results)
    mark("rollup")
    if groups:
        out["gaps"] = equity_gaps(results)
        mark("gaps")
    out["model"], out["beat_the_odds"] = context_model(school_outcomes(results, context, latest))
    mark("context_model")
    return out
