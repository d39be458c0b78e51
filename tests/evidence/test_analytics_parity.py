"""Backend parity: every analysis gives the same answer on every engine of the `engine` fixture.

One seeded synthetic province (240 schools x 4 school years x 6 assessments x
3 groups) is computed once on a fresh DuckDB connection; each engine must then
give the same rows, with floats equal to 1e-9. A single test function per engine
keeps the Spark run to one test (its session takes ~20 s to start).
"""

from __future__ import annotations

import math

import pytest

from capacity.evidence.analytics import engines
from capacity.evidence.analytics.context_model import ContextModel, beat_the_odds, fit_context_model
from capacity.evidence.analytics.gaps import context_gap, equity_gaps
from capacity.evidence.analytics.neighbours import similar_schools
from capacity.evidence.analytics.suppression import suppress_small
from capacity.evidence.analytics.trends import rollup, school_trends
from tests.evidence.analytics_data import assert_frames_close, load, random_dataset

YEAR = "2018-19"


def run_all(
    con, results_frame, context_frame
) -> tuple[dict[str, tuple[list[str], object]], ContextModel]:
    """Every analysis on `con`: {name: (sort keys, pandas frame)}, and the fitted model."""
    results = load(con, results_frame, "results")
    context = load(con, context_frame, "context")
    model = fit_context_model(results, context, year=YEAR)
    first_schools = sorted(context_frame.school_number.unique())[:3]
    out: dict[str, tuple[list[str], object]] = {
        "school_trends": (["school_number", "assessment"], school_trends(results)),
        "school_trends_ell": (
            ["school_number", "assessment"],
            school_trends(results, group="ell", years=2),
        ),
        "rollup_boards": (["board_number", "school_year", "assessment", "group"], rollup(results)),
        "rollup_province": (
            ["school_year", "assessment", "group"],
            rollup(results, by=(), group=None),
        ),
        "gaps_school": (
            ["school_number", "school_year", "assessment", "group"],
            equity_gaps(results, groups=["ell", "female"]),
        ),
        "gaps_board": (
            ["board_number", "school_year", "assessment", "group"],
            equity_gaps(results, reference="female", groups=["ell"], level="board"),
        ),
        "context_gap": (["school_year", "assessment"], context_gap(results, context)),
        "beat_the_odds": (["school_number"], beat_the_odds(results, context, model)),
        "suppressed": (
            ["school_number", "school_year", "assessment", "group"],
            suppress_small(results, value_columns=("pct_at_standard", "participating")),
        ),
    }
    for number in first_schools:
        out[f"similar_{number}"] = (
            ["rank"],
            similar_schools(context, school_number=number, year=YEAR, k=8, same_level=False),
        )
    return {name: (keys, expr.to_pandas()) for name, (keys, expr) in out.items()}, model


@pytest.fixture(scope="module")
def dataset():
    return random_dataset()


@pytest.fixture(scope="module")
def reference(dataset):
    return run_all(engines.connect("duckdb"), *dataset)


def test_every_analysis_matches_duckdb(engine, dataset, reference):
    expected, expected_model = reference
    actual, model = run_all(engine, *dataset)

    assert model.n == expected_model.n and model.n > 100
    assert list(model.coefficients) == list(expected_model.coefficients)
    for name, value in model.coefficients.items():
        assert math.isclose(value, expected_model.coefficients[name], rel_tol=1e-9, abs_tol=1e-9), (
            name
        )
    assert math.isclose(model.r_squared, expected_model.r_squared, abs_tol=1e-9)
    assert math.isclose(model.residual_sd, expected_model.residual_sd, abs_tol=1e-9)

    assert set(actual) == set(expected)
    for name, (keys, frame) in actual.items():
        assert len(frame) > 0, name
        try:
            assert_frames_close(frame, expected[name][1], keys)
        except AssertionError as error:
            raise AssertionError(f"{name} differs on {engine.name}: {error}") from error
