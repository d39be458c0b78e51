"""Learning networks formed from evidence: which schools could learn together, and why.

Pure (no Django): the inputs are plain data, already through the disclosure gate, and the
answer is plain data a page, the API and the command line show. `services_networks` feeds it
from the database (the evidence app's results, province figures, context model and context
z-scores); a test feeds it a hand-built province.

The idea (York Region formed its networks from student data): schools whose students struggle
on the same assessments and groups work on the same problem, and a school in a similar context
that does better than its context predicts (Elmore's "existence proof") shows it can be done.

How a run goes, deterministically (the same data give the same groups, in the same order):

1. **Needs.** For each of a school's published figures (an assessment and a student group) its
   shortfall is how far it is below the province's figure, in percentage points (0 when at or
   above). A *need* is a shortfall of at least `need_points`. A school with at least
   `min_needs` needs is a candidate member. Figures the gate hides are not in the input, so
   they never count as a need, never make two schools look alike and never appear in an
   explanation.
2. **Schools that beat the odds.** A school whose result is above what its context predicts by
   at least one residual standard deviation in the run's year (the evidence app's existence
   proof) and above its prediction in the year before as well (a *stable* positive residual)
   may be a group's example. It is never a candidate member.
3. **Groups.** Candidates are taken as seeds, most in need first (the sum of their needs'
   shortfalls; then by school number). A seed's group grows with the free candidate most like
   the group (the mean, over its members, of the weighted Jaccard similarity of shortfalls on
   the figures both schools publish, at least `min_similarity`, and at least `min_shared`
   figures in common); while the group is within one board, a candidate from another board
   is taken first when one is similar enough, so groups cross boards where they can. The
   group stops one short of `largest`, leaving a place for its example.
4. **The example.** Among free schools that beat the odds, the one whose context is nearest
   the members' (mean distance in the z-scores of the context indicators and size, the
   similar-schools measure), within `max_context_distance`; one from another board first when
   the members are all in one board; then the nearest, then the larger residual, then the
   number. A group without an example, or smaller than `smallest` with it, is not suggested
   and its schools stay free for later seeds.
5. Every school is in at most one suggestion of a run; a run stops after `limit` suggestions.

Each suggestion carries its explanation as JSON-ready data: the shared needs with every
school's figure and the province's, each school's profile (its weakest figures, its context,
how alike it is to the rest), and why the example was chosen (its residuals, its prediction,
how near its context is to each member's).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "EXPLANATION_VERSION",
    "Run",
    "SchoolEvidence",
    "Settings",
    "Standing",
    "Suggestion",
    "suggest_networks",
]

EXPLANATION_VERSION = 1
Key = tuple[str, str]  # (assessment, group)


@dataclass(frozen=True)
class Standing:
    """A school against its context's prediction in one school year (the evidence app's
    `beat_the_odds` row): `existence_proof` is its verdict (residual of at least one residual
    standard deviation, enough students)."""

    year: str
    actual: float
    predicted: float
    residual: float
    standardized: float | None = None
    existence_proof: bool = False


@dataclass(frozen=True)
class SchoolEvidence:
    """What the evidence says of one school, published figures only.

    `figures`: % at standard by (assessment, group), only those the gate shows (a hidden figure
    is left out, or given as None, which is the same). `context`: the indicators' values, to
    explain. `position`: where its context sits (the similar-schools z-scores and size term),
    None when its context is incomplete. `standings`: the run's year first, then the year
    before, when known."""

    number: str
    name: str
    board_number: str
    board_name: str = ""
    figures: Mapping[Key, float | None] = field(default_factory=dict)
    context: Mapping[str, float | None] = field(default_factory=dict)
    position: tuple[float, ...] | None = None
    standings: tuple[Standing, ...] = ()


@dataclass(frozen=True)
class Settings:
    smallest: int = 4  # schools in a suggestion, its example included
    largest: int = 8
    need_points: float = 5.0  # a need: at least this many points below the province
    min_needs: int = 2
    min_shared: int = 3  # figures two schools must both publish to be compared
    min_similarity: float = 0.5
    max_context_distance: float = 1.5
    limit: int | None = None  # the most suggestions in a run (None: as many as found)

    def __post_init__(self) -> None:
        if not 2 <= self.smallest <= self.largest:
            raise ValueError("A group needs 2 <= smallest <= largest schools.")
        if self.need_points < 0 or self.min_needs < 1 or self.min_shared < 1:
            raise ValueError("need_points must be >= 0, min_needs and min_shared >= 1.")
        if not 0 <= self.min_similarity <= 1 or self.max_context_distance < 0:
            raise ValueError("min_similarity is in [0, 1]; max_context_distance >= 0.")
        if self.limit is not None and self.limit < 1:
            raise ValueError("limit must be at least 1 (or None).")

    def as_dict(self) -> dict[str, Any]:
        return {
            "smallest": self.smallest,
            "largest": self.largest,
            "need_points": self.need_points,
            "min_needs": self.min_needs,
            "min_shared": self.min_shared,
            "min_similarity": self.min_similarity,
            "max_context_distance": self.max_context_distance,
            "limit": self.limit,
        }


@dataclass(frozen=True)
class Suggestion:
    """A group: its members (most in need first), its example, and why."""

    members: tuple[str, ...]
    example: str
    explanation: dict[str, Any]

    @property
    def schools(self) -> tuple[str, ...]:
        return (*self.members, self.example)


@dataclass(frozen=True)
class Run:
    suggestions: tuple[Suggestion, ...]
    schools: int  # schools given
    candidates: int  # schools with enough needs
    examples: int  # schools that beat the odds, stably
    without_example: int  # seeds whose group found no example near enough in context
    settings: Settings


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


def _is_example(school: SchoolEvidence) -> bool:
    """A stable positive residual: an existence proof this year and above its prediction the
    year before (both years needed)."""
    if len(school.standings) < 2:
        return False
    this, before = school.standings[0], school.standings[1]
    return this.existence_proof and this.residual > 0 and before.residual > 0


def suggest_networks(
    schools: Iterable[SchoolEvidence],
    province: Mapping[Key, float],
    *,
    settings: Settings | None = None,
    exclude: Iterable[str] = (),
    avoid: Iterable[Iterable[str]] = (),
    year: str = "",
) -> Run:
    """Suggest groups of schools (see the module's docstring for how).

    `province`: the province's figure for each (assessment, group), from the same gated results.
    `exclude`: school numbers already taken (in a network formed this year). `avoid`: groups
    already rejected; a group with exactly those schools is not suggested again.
    """
    settings = settings or Settings()
    excluded = set(exclude)
    rejected = {frozenset(group) for group in avoid}
    given = sorted(
        {s.number: s for s in schools if s.number not in excluded}.values(),
        key=lambda s: s.number,
    )
    keys = sorted(province)
    key_index = {key: i for i, key in enumerate(keys)}
    n, k = len(given), len(keys)

    # Shortfalls, NaN where the school publishes no figure (hidden, untested, or no province figure).
    short = np.full((n, k), np.nan)
    for row, school in enumerate(given):
        for key, value in school.figures.items():
            column = key_index.get(key)
            if column is None or value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            short[row, column] = max(0.0, province[key] - float(value))
    published = ~np.isnan(short)
    filled = np.where(published, short, 0.0)
    is_need = published & (filled >= settings.need_points)
    needs = is_need.sum(axis=1)
    severity = np.where(is_need, filled, 0.0).sum(axis=1)

    example_rows = [i for i, s in enumerate(given) if _is_example(s)]
    examples = set(example_rows)
    candidate_rows = [i for i in range(n) if i not in examples and needs[i] >= settings.min_needs]
    candidates = np.zeros(n, dtype=bool)
    candidates[candidate_rows] = True

    # Each seed's group keeps its members' rows (the explanation reads them again); never the
    # province's n x n, which a real province would not fit in memory for.
    similarity_rows: dict[int, np.ndarray] = {}

    def similarities(i: int) -> np.ndarray:
        """Weighted Jaccard of row i's shortfalls with every row's, on figures both publish."""
        found = similarity_rows.get(i)
        if found is None:
            both = published & published[i]
            low = np.where(both, np.minimum(filled, filled[i]), 0.0).sum(axis=1)
            high = np.where(both, np.maximum(filled, filled[i]), 0.0).sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                found = np.where(high > 0, low / np.where(high > 0, high, 1.0), 0.0)
            found[both.sum(axis=1) < settings.min_shared] = 0.0
            similarity_rows[i] = found
        return found

    board_of = np.array([s.board_number for s in given], dtype=object)
    places = _places(given)
    order = sorted(candidate_rows, key=lambda i: (-severity[i], given[i].number))
    used = np.zeros(n, dtype=bool)
    suggestions: list[Suggestion] = []
    without_example = 0
    for seed in order:
        if settings.limit is not None and len(suggestions) >= settings.limit:
            break
        if used[seed]:
            continue
        similarity_rows.clear()
        group = [seed]
        total = similarities(seed).copy()
        free = candidates & ~used
        free[seed] = False
        while len(group) < settings.largest - 1:
            mean = total / len(group)
            eligible = free & (mean >= settings.min_similarity)
            if not eligible.any():
                break
            boards = {given[i].board_number for i in group}
            if len(boards) == 1:
                elsewhere = eligible & (board_of != given[seed].board_number)
                if elsewhere.any():
                    eligible = elsewhere
            rows = np.flatnonzero(eligible)  # in school-number order: ties go to the first
            best = rows[int(np.argmax(np.round(mean[rows], 9)))]
            group.append(int(best))
            free[best] = False
            total += similarities(int(best))
        example = _example(group, given, places, example_rows, used, settings)
        if example is None:
            without_example += 1
            continue
        if len(group) + 1 < settings.smallest:
            continue
        numbers = frozenset(given[i].number for i in (*group, example))
        if numbers in rejected:
            continue
        used[group] = True
        used[example] = True
        suggestions.append(
            Suggestion(
                members=tuple(given[i].number for i in group),
                example=given[example].number,
                explanation=_explain(
                    group,
                    example,
                    given,
                    keys,
                    filled,
                    published,
                    province,
                    similarities,
                    settings,
                    year,
                ),
            )
        )
    return Run(
        suggestions=tuple(suggestions),
        schools=n,
        candidates=len(candidate_rows),
        examples=len(example_rows),
        without_example=without_example,
        settings=settings,
    )


def _distances(example: SchoolEvidence, members: Sequence[SchoolEvidence]) -> dict[str, float]:
    """The example's context distance to each member whose context is known."""
    if example.position is None:
        return {}
    here = np.array(example.position, dtype=float)
    return {
        m.number: float(np.sqrt(((np.array(m.position, dtype=float) - here) ** 2).sum()))
        for m in members
        if m.position is not None and len(m.position) == len(example.position)
    }


def _places(given: list[SchoolEvidence]) -> np.ndarray:
    """Each school's context position as a row (NaN when unknown or of another length)."""
    sizes = [len(s.position) for s in given if s.position is not None]
    width = max(set(sizes), key=sizes.count) if sizes else 0
    places = np.full((len(given), width), np.nan)
    for row, school in enumerate(given):
        if school.position is not None and len(school.position) == width:
            places[row] = school.position
    return places


def _example(
    group: list[int],
    given: list[SchoolEvidence],
    places: np.ndarray,
    example_rows: list[int],
    used: np.ndarray,
    settings: Settings,
) -> int | None:
    """The free example nearest the members' contexts (see the module's docstring), or None."""
    known = ~np.isnan(places).any(axis=1) if places.size else np.zeros(len(given), dtype=bool)
    members = [i for i in group if known[i]]
    free = [i for i in example_rows if not used[i] and known[i]]
    if not members or not free:
        return None
    gaps = places[free][:, None, :] - places[members][None, :, :]
    mean = np.sqrt((gaps**2).sum(axis=2)).mean(axis=1)
    boards = {given[i].board_number for i in group}
    best: tuple[Any, ...] | None = None
    chosen = None
    for position in np.flatnonzero(mean <= settings.max_context_distance):
        i = free[int(position)]
        adds_board = len(boards) == 1 and given[i].board_number not in boards
        key = (
            0 if adds_board else 1,
            round(float(mean[position]), 9),
            -given[i].standings[0].residual,
            given[i].number,
        )
        if best is None or key < best:
            best, chosen = key, i
    return chosen


def _explain(
    group: list[int],
    example: int,
    given: list[SchoolEvidence],
    keys: list[Key],
    filled: np.ndarray,
    published: np.ndarray,
    province: Mapping[Key, float],
    similarities: Any,
    settings: Settings,
    year: str,
) -> dict[str, Any]:
    rows = [*group, example]
    shared = []
    for column, key in enumerate(keys):
        members_with = [i for i in group if published[i, column]]
        below = [i for i in members_with if filled[i, column] >= settings.need_points]
        if not members_with or len(below) * 2 < len(group):
            continue
        shared.append(
            {
                "assessment": key[0],
                "group": key[1],
                "province": _round(province[key]),
                "below": len(below),
                "of": len(group),
                "mean_gap": _round(-float(np.mean([filled[i, column] for i in members_with]))),
                "figures": {
                    given[i].number: _round(given[i].figures[key])
                    for i in rows
                    if published[i, column]
                },
            }
        )
    shared.sort(key=lambda need: (need["mean_gap"], need["assessment"], need["group"]))

    profiles = []
    for i in rows:
        school = given[i]
        others = [j for j in group if j != i]
        weakest = sorted(
            (
                (float(filled[i, c]), keys[c])
                for c in range(len(keys))
                if published[i, c] and filled[i, c] >= settings.need_points
            ),
            key=lambda pair: (-pair[0], pair[1]),
        )[:3]
        profiles.append(
            {
                "number": school.number,
                "name": school.name,
                "board_number": school.board_number,
                "board_name": school.board_name,
                "role": "example" if i == example else "member",
                "needs": int((published[i] & (filled[i] >= settings.need_points)).sum()),
                "weakest": [
                    {
                        "assessment": key[0],
                        "group": key[1],
                        "figure": _round(school.figures[key]),
                        "province": _round(province[key]),
                        "gap": _round(-gap),
                    }
                    for gap, key in weakest
                ],
                "similarity": _round(
                    float(np.mean([similarities(i)[j] for j in others])) if others else None, 2
                )
                if i != example
                else None,
                "context": {name: _round(value) for name, value in sorted(school.context.items())},
            }
        )

    chosen = given[example]
    distances = _distances(chosen, [given[i] for i in group])
    standings = [
        {
            "year": s.year,
            "actual": _round(s.actual),
            "predicted": _round(s.predicted),
            "residual": _round(s.residual),
            "standardized": _round(s.standardized, 2),
        }
        for s in chosen.standings[:2]
    ]
    return {
        "version": EXPLANATION_VERSION,
        "school_year": year,
        "shared_needs": shared,
        "schools": profiles,
        "boards": len({given[i].board_number for i in rows}),
        "example": {
            "number": chosen.number,
            "standings": standings,
            "distance": _round(sum(distances.values()) / len(distances), 2),
            "distances": {number: _round(d, 2) for number, d in sorted(distances.items())},
        },
        "settings": settings.as_dict(),
    }
