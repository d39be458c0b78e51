"""Existence proofs over several years, and partners for identified schools.

Pure (no Django, no database): the inputs are plain values already through the disclosure gate
(each year's `context_model.beat_the_odds` rows and the similar-schools z-scores of
`neighbours.standardized`); `capacity/evidence/selectors_partners.py` feeds them from the app's
tables, and tests feed them a hand-built province.

**Stable beat-the-odds.** One year's residual (actual minus what the context predicts) is noisy:
a school can be far above its prediction one year and below it the next. A school *beats the
odds stably* under a `StableRule` (defaults in brackets) when, over the last `years` [3] school
years with results up to the year asked (years without results, such as 2019-20 and 2020-21
when Ontario gave no tests, are not years here: they are skipped, not counted against anyone):

1. in at least `at_least` [2] of those years it is above its prediction by at least `margin_sd`
   [1.0] of that year's residual standard deviation (1.0 is what the app calls an existence
   proof in one year) with enough students (its participation known to be at least 10, or
   unknown where the published table trusts it);
2. in none of those years where it was measured is it below its prediction (a residual under
   zero): steady, not a good year among bad ones.

A year in which the school was not measured (a missing assessment or context) counts neither for
nor against it; it is listed as such.

**Partners.** For an identified school, the schools that beat the odds stably whose context is
nearest its own (the similar-schools distance: z-scores of the context indicators and a size
term), of the same level, within `max_distance` [1.5]; those teaching in the same language come
first, each group nearest first (ties by school number), at most `limit` [3]. Each partner says
why: the indicators on which the two contexts are within `similar_within` [0.5] standard
deviations (closest first) and the years it beat the odds, with its margin over its prediction.
When there is none the answer says why not (`NO_CONTEXT`, `NO_STABLE_SCHOOLS`, `NONE_NEAR`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "NONE_NEAR",
    "NO_CONTEXT",
    "NO_STABLE_SCHOOLS",
    "Partner",
    "PartnerRule",
    "Partners",
    "SchoolRecord",
    "StableRule",
    "StableSchool",
    "YearStanding",
    "last_years",
    "stable_beat_the_odds",
    "suggest_partners",
]

NO_CONTEXT = (
    "no_context"  # the identified school's context is incomplete: no distance can be measured
)
NO_STABLE_SCHOOLS = "no_stable_schools"  # no school of its level beats the odds stably
NONE_NEAR = "none_near"  # some do, but none has a context near enough


@dataclass(frozen=True)
class StableRule:
    years: int = 3
    at_least: int = 2
    margin_sd: float = 1.0
    min_participating: int = 10

    def __post_init__(self) -> None:
        if not 1 <= self.at_least <= self.years:
            raise ValueError("A stable rule needs 1 <= at_least <= years.")
        if self.margin_sd < 0 or self.min_participating < 0:
            raise ValueError("margin_sd and min_participating must be >= 0.")


@dataclass(frozen=True)
class PartnerRule:
    limit: int = 3
    max_distance: float = 1.5
    similar_within: float = 0.5
    same_level: bool = True

    def __post_init__(self) -> None:
        if self.limit < 1 or self.max_distance < 0 or self.similar_within < 0:
            raise ValueError("limit must be >= 1, max_distance and similar_within >= 0.")


@dataclass(frozen=True)
class YearStanding:
    """A school against its context's prediction in one school year (a `beat_the_odds` row) and
    the year's residual standard deviation (the model's)."""

    year: str
    actual: float
    predicted: float
    residual_sd: float
    participating: int | None = None

    @property
    def residual(self) -> float:
        return self.actual - self.predicted


@dataclass(frozen=True)
class SchoolRecord:
    """What the evidence says of one school: published figures and context only.

    `z`: each context indicator as a z-score (the similar-schools measure), by indicator;
    `size`: the size term; both None/empty when its context is incomplete. `standings`: the years
    it was measured, in any order."""

    number: str
    name: str
    board_number: str
    board_name: str = ""
    level: str = "elementary"
    language: str = ""
    context: Mapping[str, float | None] = field(default_factory=dict)
    z: Mapping[str, float] = field(default_factory=dict)
    size: float | None = None
    standings: tuple[YearStanding, ...] = ()

    @property
    def placed(self) -> bool:
        return bool(self.z) and self.size is not None


@dataclass(frozen=True)
class StableSchool:
    """A school that beats the odds stably, with the years that make it so (newest first)."""

    school: SchoolRecord
    years: tuple[str, ...]  # the years looked at, newest first
    beat: tuple[YearStanding, ...]  # the years it beat the odds by the margin
    measured: tuple[YearStanding, ...]  # every year looked at in which it was measured
    unmeasured: tuple[str, ...]

    @property
    def mean_residual(self) -> float:
        return sum(s.residual for s in self.measured) / len(self.measured)


@dataclass(frozen=True)
class Partner:
    school: SchoolRecord
    stable: StableSchool
    distance: float
    same_language: bool
    similar_on: tuple[str, ...]  # indicators within `similar_within` sd, closest first


@dataclass(frozen=True)
class Partners:
    school: str
    partners: tuple[Partner, ...]
    reason: str = ""  # why there are none ("" when there are some)


def last_years(years: Iterable[str], up_to: str, count: int) -> tuple[str, ...]:
    """The last `count` school years with results up to and including `up_to`, newest first.

    >>> last_years(["2016-17", "2017-18", "2018-19", "2021-22", "2023-24"], "2021-22", 3)
    ('2021-22', '2018-19', '2017-18')
    """
    return tuple(sorted((y for y in set(years) if y <= up_to), reverse=True)[:count])


def _beats(standing: YearStanding, rule: StableRule) -> bool:
    enough = standing.participating is None or standing.participating >= rule.min_participating
    return enough and standing.residual >= rule.margin_sd * standing.residual_sd


def stable_beat_the_odds(
    schools: Iterable[SchoolRecord], *, years: Sequence[str], rule: StableRule | None = None
) -> list[StableSchool]:
    """The schools that beat the odds stably over `years` (see the module's docstring), most
    years first, then the larger mean residual, then the school number.

    `years`: the school years to look at (`last_years` gives them), any order.

    >>> standing = lambda year, actual: YearStanding(year, actual, 50.0, 5.0)
    >>> steady = SchoolRecord("000001", "Steady", "B1", standings=(standing("2017-18", 58.0),
    ...                       standing("2018-19", 56.0), standing("2021-22", 52.0)))
    >>> once = SchoolRecord("000002", "Once", "B1", standings=(standing("2017-18", 70.0),
    ...                     standing("2018-19", 45.0), standing("2021-22", 60.0)))
    >>> [s.school.name for s in stable_beat_the_odds([steady, once], years=["2017-18", "2018-19", "2021-22"])]
    ['Steady']
    """
    rule = rule or StableRule()
    looked = tuple(sorted(set(years), reverse=True))
    found: list[StableSchool] = []
    for school in schools:
        by_year = {s.year: s for s in school.standings if s.year in looked}
        measured = tuple(by_year[y] for y in looked if y in by_year)
        if any(s.residual < 0 for s in measured):
            continue
        beat = tuple(s for s in measured if _beats(s, rule))
        if len(beat) < rule.at_least:
            continue
        found.append(
            StableSchool(
                school=school,
                years=looked,
                beat=beat,
                measured=measured,
                unmeasured=tuple(y for y in looked if y not in by_year),
            )
        )
    found.sort(key=lambda s: (-len(s.beat), -round(s.mean_residual, 9), s.school.number))
    return found


def _distance(a: SchoolRecord, b: SchoolRecord) -> float:
    squared = ((a.size or 0.0) - (b.size or 0.0)) ** 2
    for name, value in a.z.items():
        squared += (value - b.z.get(name, 0.0)) ** 2
    return math.sqrt(squared)


def suggest_partners(
    school: SchoolRecord, stable: Sequence[StableSchool], *, rule: PartnerRule | None = None
) -> Partners:
    """Partners for `school` among the `stable` schools (see the module's docstring).

    >>> here = SchoolRecord("000001", "Here", "B1", language="en", z={"pct_low_income": 1.0}, size=0.0)
    >>> near = SchoolRecord("000002", "Near", "B2", language="en", z={"pct_low_income": 1.2}, size=0.0)
    >>> far = SchoolRecord("000003", "Far", "B2", language="en", z={"pct_low_income": -2.0}, size=0.0)
    >>> stable = [StableSchool(s, ("2018-19",), (), (), ()) for s in (near, far)]
    >>> found = suggest_partners(here, stable)
    >>> [(p.school.name, round(p.distance, 1), p.similar_on) for p in found.partners]
    [('Near', 0.2, ('pct_low_income',))]
    """
    rule = rule or PartnerRule()
    if not school.placed:
        return Partners(school.number, (), NO_CONTEXT)
    pool = [
        s
        for s in stable
        if s.school.number != school.number
        and (not rule.same_level or s.school.level == school.level)
    ]
    if not pool:
        return Partners(school.number, (), NO_STABLE_SCHOOLS)
    candidates = []
    for s in pool:
        if not s.school.placed or set(s.school.z) != set(school.z):
            continue
        distance = _distance(school, s.school)
        if distance > rule.max_distance:
            continue
        same_language = bool(school.language) and s.school.language == school.language
        candidates.append((0 if same_language else 1, round(distance, 9), s.school.number, s))
    if not candidates:
        return Partners(school.number, (), NONE_NEAR)
    candidates.sort(key=lambda c: c[:3])
    partners = []
    for same, distance, _number, s in candidates[: rule.limit]:
        gaps = sorted(
            (abs(value - s.school.z[name]), name)
            for name, value in school.z.items()
            if abs(value - s.school.z[name]) <= rule.similar_within
        )
        partners.append(
            Partner(
                school=s.school,
                stable=s,
                distance=distance,
                same_language=same == 0,
                similar_on=tuple(name for _gap, name in gaps),
            )
        )
    return Partners(school.number, tuple(partners))
