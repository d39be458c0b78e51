"""Properties the identification rule must have on any data (hypothesis, DuckDB).

- Lowering one of a school's results never removes it from identification
  (and never moves it further from identification).
- Adding an unrelated school changes nothing about the other schools.
- A school's status does not depend on the order of the rows.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capacity.evidence.analytics import engines
from capacity.evidence.analytics.identification import (
    Identification,
    identification_table,
    identify,
)
from capacity.evidence.analytics.policy import Policy
from tests.evidence.identification_cases import (
    NO_NUMBER,
    OFIP_ASSESSMENTS,
    frame,
    load,
    ofip,
    reading,
    result,
    small_schools_policy,
    table_rows,
)

# Hypothesis runs each property on many generated provinces: about 40 s in all.
pytestmark = pytest.mark.slow

YEARS = ("2016-17", "2017-18", "2018-19")
EVALUATED = ("2017-18", "2018-19")
POLICIES = [ofip(), reading(), small_schools_policy(10)]
RANK = {"not_identified": 0, "insufficient_data": 1, "identified": 2}

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Values cluster around the thresholds so that every status turns up often.
percent = st.one_of(
    st.integers(min_value=0, max_value=1000).map(lambda tenths: tenths / 10),
    st.sampled_from([20.0, 34.0, 49.9, 50.0, 50.1]),
)
cell = st.one_of(
    st.tuples(percent, st.one_of(st.none(), st.integers(min_value=0, max_value=60))),
    st.sampled_from(NO_NUMBER),
    st.none(),  # no row at all
)
school_cells = st.lists(  # one list of six cells per year, or None for a gap year
    st.one_of(st.none(), st.lists(cell, min_size=6, max_size=6)),
    min_size=len(YEARS),
    max_size=len(YEARS),
)
province = st.lists(school_cells, min_size=1, max_size=5)


def school_rows(number: str, years: list[Any], board: str = "B1") -> list[dict[str, Any]]:
    rows = []
    for year, cells in zip(YEARS, years, strict=True):
        for assessment, value in zip(OFIP_ASSESSMENTS, cells or [None] * 6, strict=True):
            if value is None:
                continue
            if isinstance(value, tuple):
                pct, participating = value
                rows.append(
                    result(number, year, assessment, pct, participating=participating, board=board)
                )
            else:
                rows.append(result(number, year, assessment, value, board=board))
    return rows


def province_rows(schools: list[list[Any]]) -> list[dict[str, Any]]:
    return [row for i, years in enumerate(schools) for row in school_rows(f"{i + 1:06d}", years)]


_CON: list[Any] = []


def connection() -> Any:
    """One DuckDB connection for every example: connecting each time costs more than the query."""
    if not _CON:
        _CON.append(engines.connect("duckdb"))
    return _CON[0]


def run(rows: list[dict[str, Any]], policy: Policy, year: str) -> Identification:
    return identify(load(frame(rows), connection(), name="properties"), policy, year)


def statuses(rows: list[dict[str, Any]], policy: Policy, year: str) -> dict[str, dict[str, Any]]:
    table = identification_table(load(frame(rows), connection(), name="properties"), policy, year)
    return {row["school_number"]: row for row in table_rows(table)}


@SETTINGS
@given(
    schools=province,
    policy=st.sampled_from(POLICIES),
    year=st.sampled_from(EVALUATED),
    data=st.data(),
)
def test_lowering_a_result_never_removes_a_school_from_identification(schools, policy, year, data):
    rows = province_rows(schools)
    reported = [i for i, row in enumerate(rows) if row["pct_at_standard"] is not None]
    if not reported:
        return
    index = data.draw(st.sampled_from(reported), label="result to lower")
    lowered = [dict(row) for row in rows]
    old = lowered[index]["pct_at_standard"]
    lowered[index]["pct_at_standard"] = data.draw(
        st.floats(min_value=0, max_value=old), label="new value"
    )
    before = statuses(rows, policy, year)
    after = statuses(lowered, policy, year)
    assert before.keys() == after.keys()
    for number, was in before.items():
        now = after[number]
        assert RANK[now["status"]] >= RANK[was["status"]], number
        assert now["years_meeting"] >= was["years_meeting"]
        assert now["years_missing"] == was["years_missing"]  # a lowered number is still a number


@SETTINGS
@given(
    schools=province,
    extra=school_cells,
    policy=st.sampled_from(POLICIES),
    year=st.sampled_from(EVALUATED),
)
def test_adding_an_unrelated_school_changes_no_other_school(schools, extra, policy, year):
    rows = province_rows(schools)
    before = statuses(rows, policy, year)
    after = statuses(rows + school_rows("999999", extra, board="B9"), policy, year)
    after.pop("999999", None)
    assert after == before


@SETTINGS
@given(
    schools=province,
    policy=st.sampled_from(POLICIES),
    year=st.sampled_from(EVALUATED),
    order=st.randoms(),
)
def test_a_schools_status_does_not_depend_on_row_order(schools, policy, year, order):
    rows = province_rows(schools)
    shuffled = list(rows)
    order.shuffle(shuffled)
    assert run(shuffled, policy, year) == run(rows, policy, year)
