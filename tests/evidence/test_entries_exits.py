"""Entries and exits reconcile year to year, on Ontario's published tables.

For each year with results: identified = identified in the nearest earlier year with
results + schools that entered - schools that left. The expected schools are found
here by hand with pandas from the published files (tests/evidence/ontario_tables.py),
independently of the reader's canonical rows and of the identification engine.
"""

from __future__ import annotations

import pandas as pd
import pytest

from capacity.evidence.analytics import engines, identification
from capacity.evidence.analytics.policy import Policy, load_policy
from capacity.schoolyears import school_year_label, year_start_of
from tests.evidence import ontario_tables

YEARS = list(ontario_tables.FILES)


@pytest.fixture(scope="module")
def results():
    con = engines.connect("duckdb")
    return engines.load_table(con, "results", ontario_tables.canonical())


def statuses_by_hand(policy: Policy, year: str) -> dict[str, set[str]]:
    """identified and insufficient_data schools for `year`, counted with pandas from the files."""
    meeting: dict[str, int] = {}
    with_data: dict[str, int] = {}
    last = year_start_of(year)
    for start in range(last - policy.years + 1, last + 1):
        label = school_year_label(start)
        if label not in ontario_tables.FILES:
            continue  # no tests that year: a gap for every school
        frame: pd.DataFrame = ontario_tables.by_hand(label)[list(policy.assessments)]
        below = (frame < policy.threshold).sum(axis=1)
        for number in frame.index[frame.notna().any(axis=1)]:
            with_data[number] = with_data.get(number, 0) + 1
        for number in frame.index[below >= policy.min_assessments_below]:
            meeting[number] = meeting.get(number, 0) + 1
    identified = {n for n, m in meeting.items() if m >= policy.min_years}
    insufficient = {
        n
        for n, d in with_data.items()
        if n not in identified and meeting.get(n, 0) + (policy.years - d) >= policy.min_years
    }
    return {"identified": identified, "insufficient_data": insufficient}


@pytest.mark.parametrize("name", ["ofip-2016", "reading-2008"])
def test_identified_each_year_is_the_year_before_plus_entries_minus_exits(results, name) -> None:
    policy = load_policy(name)
    over = identification.identification_over_time(results, policy)
    assert over.years == YEARS
    movement = {m.year: m for m in over.movement()}
    hand = {year: statuses_by_hand(policy, year) for year in YEARS}
    for before, year in zip(YEARS, YEARS[1:], strict=False):
        now, then = hand[year], hand[before]
        m = movement[year]
        assert m.compared_with == before
        assert m.identified == len(now["identified"]) == over.counts[year]["identified"]
        assert m.before == len(then["identified"])
        entered = now["identified"] - then["identified"]
        left = then["identified"] - now["identified"]
        # Every way in and out, school by school, as the pandas count has it.
        assert set(over.entries_from_insufficient[year]) == entered & then["insufficient_data"]
        assert set(over.entries[year]) == entered - then["insufficient_data"]
        assert set(over.exits_to_insufficient[year]) == left & now["insufficient_data"]
        assert (
            set(over.exits[year]) | set(over.exits_without_data[year])
            == left - (now["insufficient_data"])
        )
        assert (m.entered, m.left) == (len(entered), len(left))
        assert m.identified == m.before + m.entered - m.left
        assert m.reconciles
    first = movement[YEARS[0]]
    assert (first.compared_with, first.before, first.entered, first.left) == (None, 0, 0, 0)


def test_ontarios_gap_years_are_named_and_the_year_after_is_compared_with_2018_19(
    results,
) -> None:
    over = identification.identification_over_time(results, load_policy("ofip-2016"))
    movement = {m.year: m for m in over.movement()}
    after = movement["2021-22"]
    assert after.compared_with == "2018-19"
    assert after.skipped == ("2019-20", "2020-21")
    # OFIP 2016 needs two consecutive years: after the gap nobody can meet it, and every
    # school identified in 2018-19 leaves, most to insufficient data rather than improved.
    assert after.before == over.counts["2018-19"]["identified"] > 50
    assert after.identified == 0 and after.left == after.before
    assert after.exits_to_insufficient > 0
    # 2022-23 is not among the tables here: 2023-24 is compared with 2021-22 and says why.
    assert (movement["2023-24"].compared_with, movement["2023-24"].skipped) == (
        "2021-22",
        ("2022-23",),
    )
    assert movement["2018-19"].skipped == ()
