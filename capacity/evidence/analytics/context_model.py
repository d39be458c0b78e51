"""The context model: what a school's context predicts, and the schools that beat it.

A linear regression of a school's % at standard on its context indicators
(`schema.CONTEXT_INDICATORS`: low income, language learners, special
education, parents without post-secondary education), fitted by ordinary least
squares. Schools far above their prediction are Elmore's "existence proofs":
schools that beat the pull of social capital, the ones others should learn
from.

How it is computed, so that it runs on every engine and gives the same answer
on each: the sums of products the normal equations need (XᵀX and Xᵀy, with the
indicators centred on their means for numerical accuracy) are Ibis
aggregations; numpy solves the small (k x k) system; predictions and residuals
are again Ibis expressions with the coefficients as literals. Nothing is
sampled or randomised, so the same rows always give the same model.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np

from capacity.evidence.analytics.schema import (
    CONTEXT_INDICATORS,
    CONTEXT_SCHEMA,
    RESULTS_SCHEMA,
    check_columns,
)

__all__ = ["SIX", "ContextModel", "beat_the_odds", "fit_context_model", "school_outcomes"]

# The six elementary assessments: Grades 3 and 6 in reading, writing and mathematics.
SIX = ("G3-READ", "G3-WRITE", "G3-MATH", "G6-READ", "G6-WRITE", "G6-MATH")


@dataclass(frozen=True)
class ContextModel:
    """A fitted context model.

    `coefficients` maps "intercept" and each indicator to its coefficient (in
    percentage points of students at standard per percentage point of the
    indicator); `n` is the number of schools in the fit; `residual_sd` is the
    standard deviation of the residuals with n - k degrees of freedom (k =
    number of coefficients).
    """

    coefficients: Mapping[str, float] = field(hash=False)
    n: int
    r_squared: float
    residual_sd: float
    year: str
    assessments: tuple[str, ...]
    group: str = "all"
    min_participating: int = 10

    @property
    def indicators(self) -> tuple[str, ...]:
        """The indicators, in the model's order (without the intercept)."""
        return tuple(name for name in self.coefficients if name != "intercept")

    def to_json(self) -> str:
        """The model as JSON (stable key order), to store next to a report and reload with `from_json`."""
        data = asdict(self)
        data["coefficients"] = dict(self.coefficients)
        data["assessments"] = list(self.assessments)
        return json.dumps(data, indent=2)

    @classmethod
    def from_json(cls, text: str) -> ContextModel:
        """The model `to_json` wrote."""
        data = json.loads(text)
        data["assessments"] = tuple(data["assessments"])
        return cls(**data)

    def predict(self, table: ir.Table) -> ir.FloatingValue:
        """The predicted % at standard for rows of `table` that carry the indicator columns."""
        value: Any = ibis.literal(self.coefficients["intercept"], "float64")
        for name in self.indicators:
            value = value + ibis.literal(self.coefficients[name], "float64") * table[name]
        return value.cast("float64")


def school_outcomes(
    results: ir.Table,
    context: ir.Table,
    *,
    year: str,
    assessments: Sequence[str] = SIX,
    group: str = "all",
    indicators: Sequence[str] = CONTEXT_INDICATORS,
) -> ir.Table:
    """One row per school with its outcome and its context in `year`: the rows the context model works on.

    A school has a row when it reported a % at standard for `group` on every
    one of `assessments` in `year` and the context table has all `indicators`
    for it that year. `actual` is the mean of its values over `assessments`
    (each assessment counts once); `participating` is the smallest number of
    participating students among them (null when any is unknown), so
    "participating >= 10" means every averaged result rests on at least 10
    students.
    """
    check_columns(results, RESULTS_SCHEMA, "results")
    check_columns(context, CONTEXT_SCHEMA, "context")
    wanted = list(dict.fromkeys(assessments))
    if not wanted:
        raise ValueError("Give at least one assessment")
    rows = results.filter(
        (results.school_year == year)
        & (results.group == group)
        & results.assessment.isin(wanted)
        & results.pct_at_standard.notnull()
    )
    per_school = rows.group_by("school_number").aggregate(
        school_name=rows.school_name.max(),
        board_number=rows.board_number.max(),
        board_name=rows.board_name.max(),
        _assessments=rows.assessment.nunique(),
        _rows=rows.count(),
        _unknown=rows.participating.isnull().ifelse(1, 0).sum(),
        actual=rows.pct_at_standard.mean(),
        participating=rows.participating.min(),
    )
    # Exactly one row per wanted assessment: a duplicated row must not count twice.
    per_school = per_school.filter(
        (per_school._assessments == len(wanted)) & (per_school._rows == len(wanted))
    )
    per_school = per_school.mutate(
        participating=ibis.ifelse(
            per_school._unknown > 0, ibis.null("int64"), per_school.participating
        ).cast("int64")
    )
    complete = ibis.literal(True)
    for name in indicators:
        complete = complete & context[name].notnull()
    ctx = context.filter((context.school_year == year) & complete).select(
        "school_number", "level", "enrolment", *indicators
    )
    joined = per_school.join(ctx, "school_number")
    return joined.select(
        "school_number",
        "school_name",
        "board_number",
        "board_name",
        school_year=ibis.literal(year),
        actual=joined.actual.cast("float64"),
        participating=joined.participating,
        level=joined.level,
        enrolment=joined.enrolment,
        **{name: joined[name].cast("float64") for name in indicators},
    )


def fit_context_model(
    results: ir.Table,
    context: ir.Table,
    *,
    year: str,
    assessments: Sequence[str] = SIX,
    group: str = "all",
    min_participating: int = 10,
    indicators: Sequence[str] = CONTEXT_INDICATORS,
    unknown_participation: bool = False,
) -> ContextModel:
    """Fit the context model for one school year by ordinary least squares.

    Specification::

        actual = b0 + b1 * pct_low_income + b2 * pct_language_learners
                    + b3 * pct_special_education + b4 * pct_parents_no_degree + e

    where `actual` is a school's % at standard for `group` in `year`, averaged
    over `assessments` (one assessment, or by default the six Grade 3 and 6
    assessments, each weighing the same; schools are not weighted by size).

    Rows in the fit, one per school (see `school_outcomes`):

    - the school reported a % at standard on *every* one of `assessments` in
      `year` (a mean over a subset would not be comparable);
    - the context table has *all* the indicators for the school in `year`:
      schools with a missing indicator are excluded, never imputed;
    - the smallest participation among its averaged results is known and at
      least `min_participating` (small results are too noisy to fit on;
      results with unknown participation are excluded because their size
      cannot be checked, unless `unknown_participation=True`: use that for
      published tables such as Ontario's, which give no counts but report a
      percentage only for groups large enough to publish).

    The coefficients minimise the sum of squared residuals. For accuracy the
    system is solved on indicators centred on their means within the fit rows
    (the intercept is recovered afterwards); the answer is the same OLS fit.
    `r_squared` is 1 - SSR/SST; `residual_sd` is sqrt(SSR / (n - k)) with k
    the number of coefficients including the intercept.

    Raises ValueError when fewer than k + 1 schools qualify or when the
    indicators are collinear (for example one that is the same for every
    school).

    >>> from capacity.evidence.analytics.examples import context_table, results_table
    >>> schools = [("000001", 10.0, 70.0), ("000002", 20.0, 60.0), ("000003", 30.0, 50.0),
    ...            ("000004", 40.0, 40.0), ("000005", 25.0, 75.0), ("000006", 15.0, 65.0)]
    >>> context = context_table(*({"school_number": n, "pct_low_income": income} for n, income, _ in schools))
    >>> results = results_table(*({"school_number": n, "pct_at_standard": pct} for n, _, pct in schools))
    >>> model = fit_context_model(results, context, year="2018-19", assessments=["G3-READ"],
    ...                           indicators=["pct_low_income"])
    >>> round(model.coefficients["pct_low_income"], 2), round(model.r_squared, 2)
    (-0.94, 0.61)
    """
    indicators = tuple(indicators)
    k = len(indicators) + 1
    rows = school_outcomes(
        results, context, year=year, assessments=assessments, group=group, indicators=indicators
    )
    rows = rows.filter(_enough_students(rows, min_participating, unknown_participation))

    # Pass 1: n, the means, and the cross products of the indicators and the
    # outcome centred on those means (window means over all fit rows, so one
    # query does it): D'D, D'e and the total sum of squares e'e.
    centred = rows.mutate(
        _e=rows.actual - rows.actual.mean(),
        **{f"_d{i}": rows[name] - rows[name].mean() for i, name in enumerate(indicators)},
    )
    products: dict[str, ir.Scalar] = {
        "n": centred.count(),
        "_mean_y": centred.actual.mean(),
        "_see": (centred._e * centred._e).sum(),
    }
    for i, name in enumerate(indicators):
        products[f"_mean_{i}"] = centred[name].mean()
        products[f"_de{i}"] = (centred[f"_d{i}"] * centred._e).sum()
        for j in range(i, len(indicators)):
            products[f"_dd{i}_{j}"] = (centred[f"_d{i}"] * centred[f"_d{j}"]).sum()
    sums = _one_row(centred.aggregate(**products))
    n = int(sums["n"])
    if n < k + 1:
        raise ValueError(
            f"Only {n} school(s) qualify for the context model in {year}; it needs at least {k + 1}."
        )
    mean_y = float(sums["_mean_y"])
    means = [float(sums[f"_mean_{i}"]) for i in range(len(indicators))]
    m = len(indicators)
    dtd = np.zeros((m, m))
    dte = np.zeros(m)
    for i in range(m):
        dte[i] = float(sums[f"_de{i}"])
        for j in range(i, m):
            dtd[i, j] = dtd[j, i] = float(sums[f"_dd{i}_{j}"])
    if m and np.linalg.matrix_rank(dtd) < m:
        raise ValueError(
            f"The context indicators are collinear in {year} (one may not vary): the model cannot be fitted."
        )
    slopes = np.linalg.solve(dtd, dte) if m else np.zeros(0)
    intercept = mean_y - float(np.dot(slopes, means))
    coefficients = {
        "intercept": intercept,
        **{name: float(slopes[i]) for i, name in enumerate(indicators)},
    }

    # Pass 2: the residual sum of squares, computed directly (more accurate than SST - b'D'e).
    draft = ContextModel(
        coefficients=coefficients,
        n=n,
        r_squared=math.nan,
        residual_sd=math.nan,
        year=year,
        assessments=tuple(assessments),
        group=group,
        min_participating=min_participating,
    )
    residual = rows.actual - draft.predict(rows)
    ssr = float(_one_row(rows.aggregate(_ssr=(residual * residual).sum()))["_ssr"])
    sst = float(sums["_see"])
    r_squared = 1.0 - ssr / sst if sst > 0 else 1.0
    residual_sd = math.sqrt(ssr / (n - k))
    return ContextModel(
        coefficients=coefficients,
        n=n,
        r_squared=r_squared,
        residual_sd=residual_sd,
        year=year,
        assessments=tuple(assessments),
        group=group,
        min_participating=min_participating,
    )


def _enough_students(rows: ir.Table, minimum: int, unknown_ok: bool) -> ir.BooleanValue:
    """Known participation of at least `minimum`; or unknown, when the caller trusts the publisher."""
    enough = rows.participating >= minimum
    return (rows.participating.isnull() | enough) if unknown_ok else enough.fill_null(False)


def beat_the_odds(
    results: ir.Table,
    context: ir.Table,
    model: ContextModel,
    *,
    min_participating: int = 10,
    existence_sd: float = 1.0,
    year: str | None = None,
    unknown_participation: bool = False,
) -> ir.Table:
    """Every school's actual and predicted result, and whether it is an existence proof.

    `unknown_participation=True` lets a school whose participation is unknown
    be an existence proof (published tables that report only large enough groups).

    The schools are those `school_outcomes` gives for the model's assessments
    and group in `year` (default: the model's year): every assessment reported
    and every indicator present. Unlike the fit, schools with few or unknown
    participating students are listed (so nobody disappears from the table),
    but they cannot be existence proofs.

    Columns: school_number, school_name, board_number, board_name, school_year,
    level, enrolment, the indicators, actual, predicted, residual
    (actual - predicted), standardized_residual (residual / the model's
    residual_sd; null when that is 0), participating, and existence_proof:
    true when residual >= existence_sd * residual_sd and participating >=
    min_participating.

    >>> from capacity.evidence.analytics.examples import context_table, results_table
    >>> schools = [("000001", 10.0, 70.0), ("000002", 20.0, 60.0), ("000003", 30.0, 50.0),
    ...            ("000004", 40.0, 40.0), ("000005", 25.0, 75.0), ("000006", 15.0, 65.0)]
    >>> context = context_table(*({"school_number": n, "pct_low_income": income} for n, income, _ in schools))
    >>> results = results_table(*({"school_number": n, "pct_at_standard": pct} for n, _, pct in schools))
    >>> model = fit_context_model(results, context, year="2018-19", assessments=["G3-READ"],
    ...                           indicators=["pct_low_income"])
    >>> table = beat_the_odds(results, context, model, existence_sd=1.0)
    >>> proofs = table.filter(table.existence_proof).order_by(table.residual.desc())
    >>> [(row["school_number"], round(row["residual"], 1)) for row in proofs.to_pyarrow().to_pylist()]
    [('000005', 16.6)]
    """
    rows = school_outcomes(
        results,
        context,
        year=year or model.year,
        assessments=model.assessments,
        group=model.group,
        indicators=model.indicators,
    )
    predicted = model.predict(rows)
    rows = rows.mutate(predicted=predicted)
    rows = rows.mutate(residual=rows.actual - rows.predicted)
    sd = ibis.literal(model.residual_sd, "float64")
    standardized = (rows.residual / sd) if model.residual_sd > 0 else ibis.null("float64")
    threshold = ibis.literal(existence_sd * model.residual_sd, "float64")
    proof = (rows.residual >= threshold) & _enough_students(
        rows, min_participating, unknown_participation
    )
    return rows.mutate(
        standardized_residual=standardized.cast("float64"),
        existence_proof=proof.fill_null(False),
    ).order_by([ibis.desc("residual"), "school_number"])


def _one_row(expr: ir.Table) -> dict[str, Any]:
    """Execute a one-row aggregate and return it as a dict."""
    frame = expr.to_pandas()
    return {column: frame[column].iloc[0] for column in frame.columns}
