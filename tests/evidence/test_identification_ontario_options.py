"""Issue 13's options on Ontario's published tables: single-grade schools and counting by share.

The issue says about 15% of Ontario's elementary schools test one grade only, and that 17
of them meet the same proportion as "4 of 6" in both 2017-18 and 2018-19 yet are never
identified by a fixed "4 of 6". Both figures are computed here with pandas from the
published files (tests/evidence/ontario_tables.py), independently of the engine, with
these definitions:

- an elementary school (the table's School Level) *tests one grade only* in a year when it
  has a reported percentage for at least one assessment of one grade (3 or 6) and none for
  the other; the share is taken over the elementary schools with at least one percentage;
- it *meets the same proportion* in a year when at least two thirds of its reported
  percentages on the six assessments are under 50% (below x 3 >= 2 x reported);
- the 17 test one grade only in both years and meet the proportion in both.

Found: 543 of 3,580 (15.2%) in 2017-18 and 530 of 3,574 (14.8%) in 2018-19; 17 schools,
none identified by OFIP's "4 of 6". The engine, under the shipped capacity-ofip-2026
policy (2/3 of the usable results, at least 3 of them), identifies those 17 too.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pandas as pd
import pytest

from capacity.evidence.analytics import engines, identification
from capacity.evidence.analytics.identification import (
    IDENTIFIED,
    identification_over_time,
    identify,
)
from capacity.evidence.analytics.policy import load_policy
from tests.evidence import ontario_tables

G3 = ["G3-READ", "G3-WRITE", "G3-MATH"]
G6 = ["G6-READ", "G6-WRITE", "G6-MATH"]
YEARS = ("2017-18", "2018-19")
PREVIOUS = {"2018-19": "2017-18", "2023-24": "2021-22"}  # the nearest earlier year with results


@pytest.fixture(scope="module")
def results():
    con = engines.connect("duckdb")
    return engines.load_table(con, "results", ontario_tables.canonical())


@cache
def levels(year: str) -> pd.Series:
    """The School Level column of one year's published table, by six-digit school number."""
    path = ontario_tables._path(year)
    frame = pd.read_excel(path, dtype=str, engine="calamine", keep_default_na=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.set_index(frame["School Number"].str.strip().str.zfill(6))["School Level"]


def elementary(year: str) -> pd.DataFrame:
    frame = ontario_tables.by_hand(year)
    return frame[levels(year).reindex(frame.index) == "Elementary"]


def one_grade(frame: pd.DataFrame) -> pd.Series:
    g3, g6 = frame[G3].notna().sum(axis=1), frame[G6].notna().sum(axis=1)
    return (g3 + g6 > 0) & ((g3 == 0) | (g6 == 0))


def same_proportion(frame: pd.DataFrame) -> pd.Series:
    reported = frame.notna().sum(axis=1)
    below = (frame < 50).sum(axis=1)
    return (reported > 0) & (below * 3 >= reported * 2)


def test_about_fifteen_per_cent_of_elementary_schools_test_one_grade_only() -> None:
    found = {}
    for year in YEARS:
        frame = elementary(year)
        with_numbers = frame.notna().any(axis=1)
        found[year] = (int(one_grade(frame).sum()), int(with_numbers.sum()))
    assert found == {"2017-18": (543, 3580), "2018-19": (530, 3574)}
    for single, total in found.values():
        assert 0.14 < single / total < 0.16


def single_grade_schools_meeting_both_years() -> set[str]:
    a, b = elementary(YEARS[0]), elementary(YEARS[1])
    both = a.index.intersection(b.index)
    keep = (
        one_grade(a).reindex(both)
        & one_grade(b).reindex(both)
        & same_proportion(a).reindex(both)
        & same_proportion(b).reindex(both)
    )
    return set(both[keep.to_numpy()])


def test_seventeen_single_grade_schools_meet_the_proportion_and_four_of_six_misses_them(
    results,
) -> None:
    schools = single_grade_schools_meeting_both_years()
    assert len(schools) == 17
    ofip = identify(results, load_policy("ofip-2016"), "2018-19")
    assert {s.school_number for s in ofip.identified} & schools == set()
    proposal = identify(results, load_policy("capacity-ofip-2026"), "2018-19")
    identified = {s.school_number for s in proposal.identified}
    assert schools <= identified
    # Counting by share adds schools and removes none from OFIP's list.
    assert {s.school_number for s in ofip.identified} <= identified
    one = proposal.school(sorted(schools)[0])
    assert one is not None and one.status == IDENTIFIED and len(one.reasons) >= 4


def test_share_counting_alone_adds_exactly_the_schools_a_fixed_count_misses(results) -> None:
    """The share option on its own (no exit, no static): identified = OFIP's + those it adds."""
    share = replace(load_policy("capacity-ofip-2026"), exit=None, static=None, categories=())
    ofip = {
        s.school_number for s in identify(results, load_policy("ofip-2016"), "2018-19").identified
    }
    by_share = {s.school_number for s in identify(results, share, "2018-19").identified}
    assert ofip < by_share
    # By hand: every school meeting the proportion in both years, with 3 or more reported.
    a, b = ontario_tables.by_hand(YEARS[0]), ontario_tables.by_hand(YEARS[1])
    both = a.index.intersection(b.index)

    def meets(frame: pd.DataFrame) -> pd.Series:
        return same_proportion(frame) & (frame.notna().sum(axis=1) >= 3)

    by_hand = set(both[(meets(a).reindex(both) & meets(b).reindex(both)).to_numpy()])
    assert by_share == by_hand
    assert len(by_share) == 92 and len(ofip) == 68


def test_the_shipped_proposal_over_ontarios_years_reconciles_and_holds_across_the_gaps(
    results,
) -> None:
    over = identification_over_time(results, load_policy("capacity-ofip-2026"))
    assert all(m.reconciles for m in over.movement())
    # Nobody can enter after 2018-19 (each later window has a year without tests), but the
    # exit rule keeps the 2018-19 schools identified until they are clear twice running.
    assert over.counts["2021-22"]["identified"] > 0
    assert over.entries["2021-22"] == [] and over.entries["2023-24"] == []
    assert over.counts["2023-24"]["sustaining"] == len(over.exits["2023-24"]) > 0
    for number in over.exits["2023-24"]:
        assert all(c["direction"] == "above" for c in over.changes["2023-24"][number])


def test_each_ofip_exit_after_the_gap_names_what_moved_above_as_the_tables_say(results) -> None:
    """OFIP's exits in 2021-22 are compared with 2018-19 (the last year they met the rule):
    the assessments under 50% then and at 50% or more in 2021-22, counted by hand."""
    over = identification_over_time(results, load_policy("ofip-2016"))
    exits = over.exits["2021-22"]
    assert exits
    then, now = ontario_tables.by_hand("2018-19"), ontario_tables.by_hand("2021-22")
    for number in exits:
        by_hand = [
            code
            for code in ontario_tables.HEADS
            if then.loc[number, code] < 50 and now.loc[number, code] >= 50
        ]
        changes = over.changes["2021-22"][number]
        assert [c["assessment"] for c in changes] == by_hand, number
        assert all(c["before_year"] == "2018-19" for c in changes)


@pytest.mark.parametrize("name", ["ofip-2016", "capacity-ofip-2026"])
@pytest.mark.parametrize("year", ["2023-24", "2018-19"])
@pytest.mark.parametrize("limit", [identification.LISTED_ONLY_LIMIT, 0])
def test_leaving_out_the_schools_not_identified_changes_nothing_else(
    results, name, year, limit, monkeypatch
) -> None:
    """`capacity identify` asks for the schools not identified to be counted, not listed: on
    Ontario's tables every other school is the same, with the same reasons, history, previous
    year's status (the nearest year with results), and the counts are the
    same. Under a policy without a history, a first pass finds the schools to list and only
    their results are read after it (identification._listed_only); with more schools to list
    than the limit, the whole table is read. Both give the same answer."""
    narrowed = []
    original = identification._listed_only

    def spying(*args, **kwargs):  # type: ignore[no-untyped-def]
        table, not_listed = original(*args, **kwargs)
        narrowed.append(table is not args[0])
        return table, not_listed

    monkeypatch.setattr(identification, "_listed_only", spying)
    monkeypatch.setattr(identification, "LISTED_ONLY_LIMIT", limit)
    policy = load_policy(name)
    every = identify(results, policy, year)
    listed = identify(results, policy, year, every_school=False)

    assert listed.counts() == every.counts()
    assert listed.not_listed == every.counts()["not_identified"] > 1000
    assert listed.schools == tuple(s for s in every.schools if s.status != "not_identified")
    assert listed.to_json() == every.to_json()
    assert narrowed == ([] if policy.has_history else [limit > 0])
    # The previous year's status came from the narrowed results too (compared above).
    assert {s.previous_year for s in listed.schools} == {PREVIOUS[year]}
    assert any(s.previous_status for s in listed.schools)
