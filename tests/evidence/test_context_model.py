"""The context model: exact recovery of known coefficients, which rows enter the fit, existence proofs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from capacity.evidence.analytics import engines
from capacity.evidence.analytics.context_model import (
    SIX,
    ContextModel,
    beat_the_odds,
    fit_context_model,
    school_outcomes,
)
from capacity.evidence.analytics.schema import CONTEXT_INDICATORS
from tests.evidence.analytics_data import context_frame, load, results_frame

YEAR = "2018-19"
TRUE = {
    "intercept": 85.0,
    "pct_low_income": -0.6,
    "pct_language_learners": -0.25,
    "pct_special_education": -0.4,
    "pct_parents_no_degree": -0.15,
}
# Per-assessment offsets that sum to 0, so the six-assessment mean is the exact prediction.
OFFSETS = dict(zip(SIX, (3.0, -3.0, 2.0, -2.0, 1.5, -1.5), strict=True))


@pytest.fixture(params=["duckdb", "sqlite"])
def con(request):
    return engines.connect(request.param)


def exact(indicators: dict[str, float]) -> float:
    return TRUE["intercept"] + sum(TRUE[name] * indicators[name] for name in CONTEXT_INDICATORS)


def province(schools: int = 30, *, seed: int = 7, noise=None):
    """Schools whose six-assessment mean is exactly the TRUE model (plus `noise(index)`)."""
    rng = np.random.default_rng(seed)
    results, context = [], []
    for index in range(schools):
        number = f"{500_000 + index}"
        indicators = {name: round(float(rng.uniform(0, 50)), 3) for name in CONTEXT_INDICATORS}
        context.append({"school_number": number, **indicators})
        mean = exact(indicators) + (noise(index) if noise else 0.0)
        for assessment in SIX:
            results.append(
                {
                    "school_number": number,
                    "assessment": assessment,
                    "pct_at_standard": mean + OFFSETS[assessment],
                    "participating": 30,
                }
            )
    return results, context


def add_school(
    results, context, number, *, value, indicators=None, participating=30, assessments=SIX
):
    indicators = indicators or dict.fromkeys(CONTEXT_INDICATORS, 20.0)
    context.append({"school_number": number, **indicators})
    for assessment in assessments:
        results.append(
            {
                "school_number": number,
                "assessment": assessment,
                "pct_at_standard": value,
                "participating": participating,
            }
        )


def test_recovers_known_coefficients_exactly(con):
    results, context = province()
    # Rows that must stay out of the fit; any of them inside it would break the exact fit.
    add_school(
        results,
        context,
        "900001",
        value=5.0,
        indicators={**dict.fromkeys(CONTEXT_INDICATORS, 10.0), "pct_low_income": None},
    )
    add_school(
        results, context, "900002", value=99.0, assessments=SIX[:5]
    )  # one assessment missing
    add_school(results, context, "900003", value=99.0, participating=9)  # too few students
    add_school(results, context, "900004", value=99.0, participating=None)  # unknown participation
    add_school(results, context, "900005", value=99.0)
    context.pop()  # no context row at all
    results.append(
        {
            "school_number": "500000",
            "group": "ell",
            "assessment": "G3-READ",
            "pct_at_standard": 0.0,
            "participating": 30,
        }
    )  # another group
    results.append(
        {
            "school_number": "500001",
            "school_year": "2017-18",
            "assessment": "G3-READ",
            "pct_at_standard": 0.0,
            "participating": 30,
        }
    )  # another year
    r = load(con, results_frame(results), "results")
    c = load(con, context_frame(context), "context")

    model = fit_context_model(r, c, year=YEAR)

    assert model.n == 30
    assert list(model.coefficients) == ["intercept", *CONTEXT_INDICATORS]
    for name, value in TRUE.items():
        assert math.isclose(model.coefficients[name], value, abs_tol=1e-9), (
            name,
            model.coefficients[name],
        )
    assert math.isclose(model.r_squared, 1.0, abs_tol=1e-9)
    assert model.residual_sd < 1e-9
    assert model.year == YEAR and model.assessments == SIX


def test_single_assessment_model(con):
    results, context = province(12)
    r = load(con, results_frame(results), "results")
    c = load(con, context_frame(context), "context")
    model = fit_context_model(r, c, year=YEAR, assessments=["G3-READ"])
    # G3-READ carries the +3 offset on every school: only the intercept moves.
    assert math.isclose(model.coefficients["intercept"], TRUE["intercept"] + 3.0, abs_tol=1e-9)
    assert math.isclose(model.coefficients["pct_low_income"], TRUE["pct_low_income"], abs_tol=1e-9)


def test_school_outcomes_lists_complete_rows_only(con):
    results, context = province(3)
    add_school(
        results,
        context,
        "900001",
        value=50.0,
        indicators={**dict.fromkeys(CONTEXT_INDICATORS, 10.0), "pct_special_education": None},
    )
    add_school(results, context, "900002", value=50.0, participating=4)
    results[0]["participating"] = 12  # the smallest of school 500000's six counts
    r = load(con, results_frame(results), "results")
    c = load(con, context_frame(context), "context")
    rows = school_outcomes(r, c, year=YEAR).to_pandas().set_index("school_number")
    assert sorted(rows.index) == ["500000", "500001", "500002", "900002"]
    assert rows.loc["500000", "participating"] == 12
    assert rows.loc["900002", "actual"] == pytest.approx(50.0)


def test_a_school_far_above_its_prediction_is_an_existence_proof(con):
    # Small alternating noise, and one school 30 points above what its context predicts.
    results, context = province(
        40, noise=lambda index: 30.0 if index == 17 else (1.0 if index % 2 else -1.0)
    )
    # Also far above, but with too few students to count as a proof.
    add_school(
        results,
        context,
        "900009",
        value=exact(dict.fromkeys(CONTEXT_INDICATORS, 20.0)) + 30,
        participating=6,
    )
    r = load(con, results_frame(results), "results")
    c = load(con, context_frame(context), "context")
    model = fit_context_model(r, c, year=YEAR)
    assert model.n == 40
    table = beat_the_odds(r, c, model).to_pandas().set_index("school_number")

    assert len(table) == 41
    proofs = sorted(table.index[table.existence_proof.astype(bool)])
    assert proofs == ["500017"]
    star = table.loc["500017"]
    assert star.residual > 25 and star.residual >= model.residual_sd
    assert star.actual == pytest.approx(star.predicted + star.residual)
    assert star.standardized_residual == pytest.approx(star.residual / model.residual_sd)
    small = table.loc["900009"]
    assert small.residual > model.residual_sd and not small.existence_proof
    # A stricter threshold, in standard deviations, can exclude the star too.
    strict = beat_the_odds(r, c, model, existence_sd=star.standardized_residual + 0.1).to_pandas()
    assert not strict.existence_proof.astype(bool).any()


def test_model_json_round_trip_and_predict(con):
    results, context = province(10)
    r = load(con, results_frame(results), "results")
    c = load(con, context_frame(context), "context")
    model = fit_context_model(r, c, year=YEAR)
    text = model.to_json()
    again = ContextModel.from_json(text)
    assert again == model
    assert '"intercept"' in text and '"r_squared"' in text and '"G6-MATH"' in text


def test_too_few_schools_or_collinear_indicators_are_refused(con):
    results, context = province(5)
    r = load(con, results_frame(results), "results")
    c = load(con, context_frame(context), "context")
    with pytest.raises(ValueError, match="needs at least 6"):
        fit_context_model(r, c, year=YEAR)

    results, context = province(12)
    for row in context:
        row["pct_special_education"] = 12.5  # does not vary
    r = load(con, results_frame(results), "results")
    c = load(con, context_frame(context), "context")
    with pytest.raises(ValueError, match="collinear"):
        fit_context_model(r, c, year=YEAR)


def test_unknown_participation_is_trusted_only_when_asked(con):
    results, context = province()
    add_school(
        results, context, "900004", value=99.0, participating=None
    )  # a published table: no counts
    r = load(con, results_frame(results), "results")
    c = load(con, context_frame(context), "context")
    assert fit_context_model(r, c, year=YEAR).n == 30
    trusted = fit_context_model(r, c, year=YEAR, unknown_participation=True)
    assert trusted.n == 31
    odds = beat_the_odds(r, c, trusted, year=YEAR, unknown_participation=True).to_pandas()
    assert bool(odds.set_index("school_number").loc["900004", "existence_proof"]) is True
