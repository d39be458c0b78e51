"""A school's standing over the years: the exit rule, the sustaining period and static schools.

Plain Python over small per-year facts (no Ibis, no Django), so the rule can be read
and tested on its own. The window rule (identification.py) gives each evaluated year
its *entry* status; this module walks the evaluated years in order and applies the
options that need history:

- **exit** (`[exit]`): once identified, a school stays identified until it has been
  *clear* for `exit.years` consecutive evaluated years. A year is clear when the
  school has a usable result in it and does not meet the per-year rule with the
  threshold raised by `exit.margin`. A year in which the school has no usable
  result breaks the run; years in which no school has results (Ontario's 2019-20
  and 2020-21) are not evaluated, so they neither count nor break it.
- **sustaining**: a school that left is `sustaining` in the year it left and the
  next `sustaining_years - 1` evaluated years, unless it meets the entry rule again.
- **static** (`[static]`): a school whose status would be `not_identified` is
  `static` when its trend is flat (see `trend`).

>>> from capacity.evidence.analytics.policy import ExitRule
>>> facts = [Fact(2017, "identified", True, True), Fact(2018, "not_identified", True, False)]
>>> [s.status for s in walk(facts, ExitRule(margin=5, years=1, sustaining_years=2)).values()]
['identified', 'sustaining']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from capacity.evidence.analytics.policy import ExitRule, StaticRule
from capacity.schoolyears import school_year_label

IDENTIFIED = "identified"
NOT_IDENTIFIED = "not_identified"
INSUFFICIENT_DATA = "insufficient_data"
SUSTAINING = "sustaining"
STATIC = "static"


@dataclass(frozen=True)
class Fact:
    """What the data says about one school in one evaluated year."""

    start: int  # the school year's first calendar year (2018 for 2018-19)
    entry: str | None  # the window rule's status; None when the school has no row in the window
    has_data: bool  # a usable policy result in this very year
    meets_raised: bool  # meets the per-year rule with the threshold raised by the exit margin


@dataclass(frozen=True)
class Trend:
    """The mean of a school's usable policy results, from the first to the last year looked at."""

    first_year: int
    first_mean: float
    last_year: int
    last_mean: float
    static: bool

    @property
    def gain(self) -> float:
        return round(self.last_mean - self.first_mean, 1)

    @property
    def first_label(self) -> str:
        return school_year_label(self.first_year)

    @property
    def last_label(self) -> str:
        return school_year_label(self.last_year)

    def to_json(self, label: Any) -> dict[str, Any]:
        return {
            "first_year": label(self.first_year),
            "first_mean": round(self.first_mean, 1),
            "last_year": label(self.last_year),
            "last_mean": round(self.last_mean, 1),
            "gain": self.gain,
            "static": self.static,
        }


@dataclass(frozen=True)
class Standing:
    """A school's status in one evaluated year once the history options are applied."""

    start: int
    status: str
    entry: str
    held: bool = False  # identified only because it has not yet cleared the exit rule
    clear: tuple[int, ...] = ()  # the run of clear evaluated years ending here
    left_in: int | None = None  # the evaluated year it left identification (sustaining)
    sustaining_left: int = 0  # evaluated years still to come as sustaining after this one


def trend(means: Mapping[int, float], start: int, rule: StaticRule) -> Trend | None:
    """The trend over the `rule.years` school years ending at `start`, or None without two years.

    Static: the last year's mean has risen by no more than `min_gain` points since the
    first year with data, and is under `below`.

    >>> from capacity.evidence.analytics.policy import StaticRule
    >>> trend({2016: 41.0, 2018: 42.0}, 2018, StaticRule(years=3, min_gain=2.0, below=60.0))
    Trend(first_year=2016, first_mean=41.0, last_year=2018, last_mean=42.0, static=True)
    """
    if start not in means:
        return None
    earlier = sorted(y for y in means if start - rule.years < y < start)
    if not earlier:
        return None
    first, last = means[earlier[0]], means[start]
    flat = last - first <= rule.min_gain + 1e-9 and last < rule.below
    return Trend(earlier[0], first, start, last, flat)


def walk(facts: Sequence[Fact], exit_rule: ExitRule | None) -> dict[int, Standing]:
    """Each evaluated year's standing, for one school's facts (oldest first, evaluated years only).

    Years in which the school has no row in the window (`entry` None) are walked
    (they break a run of clear years) but get no standing. Static is applied after,
    with `trend` and `is_static`.
    """
    standings: dict[int, Standing] = {}
    state = "out"
    run: list[int] = []
    left_in: int | None = None
    sustained = 0
    for fact in facts:
        run = [*run, fact.start] if fact.has_data and not fact.meets_raised else []
        entry = fact.entry
        if exit_rule is None:
            if entry is not None:
                standings[fact.start] = Standing(fact.start, entry, entry)
            continue
        if entry == IDENTIFIED:
            state, left_in = "in", None
            standing = Standing(fact.start, IDENTIFIED, entry, clear=tuple(run))
        elif state == "in":
            if len(run) >= exit_rule.years:
                left_in = fact.start
                if exit_rule.sustaining_years > 0:
                    state, sustained = "sustaining", 1
                    standing = Standing(
                        fact.start,
                        SUSTAINING,
                        entry or NOT_IDENTIFIED,
                        clear=tuple(run),
                        left_in=left_in,
                        sustaining_left=exit_rule.sustaining_years - 1,
                    )
                else:
                    state = "out"
                    standing = Standing(
                        fact.start,
                        entry or NOT_IDENTIFIED,
                        entry or NOT_IDENTIFIED,
                        left_in=left_in,
                    )
            else:
                standing = Standing(
                    fact.start, IDENTIFIED, entry or INSUFFICIENT_DATA, held=True, clear=tuple(run)
                )
        elif state == "sustaining" and sustained < exit_rule.sustaining_years:
            sustained += 1
            standing = Standing(
                fact.start,
                SUSTAINING,
                entry or NOT_IDENTIFIED,
                clear=tuple(run),
                left_in=left_in,
                sustaining_left=exit_rule.sustaining_years - sustained,
            )
        else:
            state = "out"
            standing = Standing(fact.start, entry or NOT_IDENTIFIED, entry or NOT_IDENTIFIED)
        if entry is not None:
            standings[fact.start] = standing
    return standings


def is_static(standing: Standing, found: Trend | None) -> bool:
    """A school not identified, not sustaining and with data enough to judge, whose trend is flat."""
    return standing.status == NOT_IDENTIFIED and found is not None and found.static
