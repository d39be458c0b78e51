"""Similar schools on a tiny province whose order is worked out by hand."""

from __future__ import annotations

import math
import statistics

import pytest

from capacity.evidence.analytics import engines
from capacity.evidence.analytics.neighbours import similar_schools
from capacity.evidence.analytics.schema import CONTEXT_INDICATORS
from tests.evidence.analytics_data import context_frame, load

YEAR = "2018-19"


@pytest.fixture(params=["duckdb", "sqlite"])
def con(request):
    return engines.connect(request.param)


def school(number, low_income, *, level="elementary", enrolment=300, year=YEAR, **others):
    return {
        "school_number": number,
        "school_year": year,
        "level": level,
        "enrolment": enrolment,
        **dict.fromkeys(CONTEXT_INDICATORS, 10.0),
        "pct_low_income": low_income,
        **others,
    }


@pytest.fixture
def tiny(con):
    rows = [
        school("100", 20.0),  # the school we look from
        school("101", 22.0),  # 2 points away
        school("102", 17.0),  # 3 points away
        school("103", 18.0),  # 2 points away: ties with 101, after it by number
        school("104", 40.0),  # 20 points away
        school("105", 20.0, level="secondary"),  # identical, but secondary
        school("106", None),  # missing indicator: never a neighbour, not in the mean or sd
        school("107", 20.0, year="2017-18"),  # another year
    ]
    return load(con, context_frame(rows), "context")


def test_nearest_first_with_ties_broken_by_number(tiny):
    peers = similar_schools(
        tiny, school_number="100", year=YEAR, indicators=("pct_low_income",), size_weight=0
    ).to_pandas()
    assert list(peers.school_number) == ["101", "103", "102", "104"]
    assert list(peers["rank"]) == [1, 2, 3, 4]
    sd = statistics.stdev(
        [20.0, 22.0, 17.0, 18.0, 40.0, 20.0]
    )  # the year's complete rows, any level
    assert list(peers.distance) == pytest.approx([2 / sd, 2 / sd, 3 / sd, 20 / sd])


def test_k_and_level(tiny):
    three = similar_schools(
        tiny, school_number="100", year=YEAR, k=3, indicators=("pct_low_income",), size_weight=0
    ).to_pandas()
    assert list(three.school_number) == ["101", "103", "102"]
    any_level = similar_schools(
        tiny,
        school_number="100",
        year=YEAR,
        k=2,
        same_level=False,
        indicators=("pct_low_income",),
        size_weight=0,
    ).to_pandas()
    assert list(any_level.school_number) == ["105", "101"]
    assert any_level.distance.iloc[0] == 0


def test_all_indicators_and_size(con):
    rows = [
        school("1", 10.0, enrolment=200, pct_language_learners=5.0),
        school("2", 12.0, enrolment=800, pct_language_learners=5.0),  # close context, 4x the size
        school("3", 14.0, enrolment=200, pct_language_learners=15.0),
        school("4", 30.0, enrolment=250, pct_language_learners=30.0),
    ]
    table = load(con, context_frame(rows), "context")
    peers = similar_schools(table, school_number="1", year=YEAR, size_weight=0.5).to_pandas()

    # By hand: z-scores with the sample sd over the four schools; the special
    # education and parents indicators do not vary (sd 0) and add nothing.
    low = [10.0, 12.0, 14.0, 30.0]
    ell = [5.0, 5.0, 15.0, 30.0]
    sd_low, sd_ell = statistics.stdev(low), statistics.stdev(ell)
    expected = {}
    for index, number in enumerate(("2", "3", "4")):
        other = index + 1
        size = 0.5 * (math.log([200, 800, 200, 250][other]) - math.log(200))
        expected[number] = math.sqrt(
            ((low[other] - low[0]) / sd_low) ** 2 + ((ell[other] - ell[0]) / sd_ell) ** 2 + size**2
        )
    order = sorted(expected, key=lambda number: (expected[number], number))
    assert list(peers.school_number) == order == ["2", "3", "4"]
    assert list(peers.distance) == pytest.approx([expected[number] for number in order], abs=1e-12)

    # Without the size term, school 2 is still nearest, and closer.
    no_size = similar_schools(table, school_number="1", year=YEAR, size_weight=0).to_pandas()
    assert no_size.distance.iloc[0] < peers.distance.iloc[0]


def test_unknown_or_incomplete_school_gives_nothing(tiny):
    assert similar_schools(tiny, school_number="106", year=YEAR).to_pandas().empty
    assert similar_schools(tiny, school_number="999", year=YEAR).to_pandas().empty
    with pytest.raises(ValueError):
        similar_schools(tiny, school_number="100", year=YEAR, k=0)
