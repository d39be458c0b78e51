"""The pure walk over a school's evaluated years (analytics/history.py), on bare facts."""

from __future__ import annotations

from capacity.evidence.analytics.history import Fact, is_static, trend, walk
from capacity.evidence.analytics.policy import ExitRule, StaticRule

EXIT = ExitRule(margin=5.0, years=2, sustaining_years=1)


def statuses(facts: list[Fact], rule: ExitRule | None = EXIT) -> dict[int, str]:
    return {start: s.status for start, s in walk(facts, rule).items()}


def test_without_an_exit_rule_the_entry_status_stands() -> None:
    facts = [Fact(2017, "identified", True, True), Fact(2018, "not_identified", True, False)]
    assert statuses(facts, None) == {2017: "identified", 2018: "not_identified"}


def test_a_year_without_a_row_is_walked_but_gets_no_status() -> None:
    facts = [
        Fact(2016, "identified", True, True),
        Fact(2017, None, False, False),  # no row in the window: breaks the run, no standing
        Fact(2018, "not_identified", True, False),
        Fact(2019, "not_identified", True, False),
        Fact(2020, "not_identified", True, False),
    ]
    assert statuses(facts) == {
        2016: "identified",
        2018: "identified",
        2019: "sustaining",
        2020: "not_identified",
    }
    standing = walk(facts, EXIT)[2019]
    assert (
        standing.left_in == 2019
        and standing.sustaining_left == 0
        and standing.clear
        == (
            2018,
            2019,
        )
    )


def test_insufficient_data_while_held_stays_identified() -> None:
    facts = [Fact(2017, "identified", True, True), Fact(2018, "insufficient_data", False, False)]
    held = walk(facts, EXIT)[2018]
    assert held.status == "identified" and held.held and held.entry == "insufficient_data"


def test_a_trend_needs_the_judged_year_and_an_earlier_one_in_the_span() -> None:
    rule = StaticRule(years=3, min_gain=1.0, below=50.0)
    assert trend({2018: 40.0}, 2018, rule) is None
    assert trend({2015: 30.0, 2018: 40.0}, 2018, rule) is None  # 2015 is outside the span
    assert trend({2016: 40.0}, 2018, rule) is None  # nothing in the judged year
    rose = trend({2016: 40.0, 2018: 41.5}, 2018, rule)
    assert rose is not None and not rose.static and rose.gain == 1.5
    flat = trend({2016: 40.0, 2017: 20.0, 2018: 41.0}, 2018, rule)
    assert flat is not None and flat.static and flat.first_label == "2016-17"
    standing = walk([Fact(2018, "not_identified", True, False)], None)[2018]
    assert is_static(standing, flat)
    assert not is_static(walk([Fact(2018, "identified", True, True)], None)[2018], flat)
