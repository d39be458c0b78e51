"""Scoring and reporting a round in confidence: pure functions of a definition and its answers.

Nothing here reads the database or knows who answered: the services hand in the
submitted answers with each respondent's role and rater side, and get back only
aggregates. The confidentiality rules (docs/instruments.md, "Reporting in confidence"):

* a round with fewer respondents than its minimum shows no figure at all;
* a group (a role, or "others" beside the leader's own rating) under the minimum is
  hidden, and when exactly one group is hidden another is hidden with it, so that
  the total minus the shown groups does not give it away. That rule is the evidence
  app's own (`complementary_suppression`), reused, not copied;
* when others rate a leader, the leader's own rating is never part of a figure
  anyone else reads: it would be the total minus the others. Only its author sees it;
* open text is shown only from `min_text_respondents` respondents, in alphabetical
  order so that the order says nothing about who wrote what;
* Cronbach's alpha is computed from 10 respondents on (`ALPHA_MINIMUM`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from capacity.evidence.analytics.suppression import complementary_suppression
from capacity.instruments.definition import Definition, Dimension, Item, Scale, Text

ALPHA_MINIMUM = 10
SMALL = "small"
COMPLEMENTARY = "complementary"
PROFILE_PREFIX = "profile."


@dataclass(frozen=True)
class Answered:
    """One submitted response, without its author: role and side are all a report may use."""

    answers: dict[str, int]
    role: str = ""
    rater: str = "self"
    comment: str = ""


@dataclass(frozen=True)
class Figure:
    """A mean over `n` respondents; `mean` is None when hidden (`reason` says why)."""

    n: int
    mean: float | None
    reason: str = ""

    @property
    def shown(self) -> bool:
        return self.mean is not None


@dataclass(frozen=True)
class ItemRow:
    item: Item
    dimension: Dimension
    figure: Figure
    distribution: tuple[tuple[int, int], ...] = ()  # (scale point, how many), when shown


@dataclass(frozen=True)
class DimensionRow:
    dimension: Dimension
    figure: Figure
    alpha: float | None = None
    groups: tuple[tuple[str, Figure], ...] = ()  # by role
    change: float | None = None  # since the last comparable round, when both are shown


@dataclass
class Report:
    definition: Definition
    respondents: int  # submitted, counted in the figures (a leader's own rating apart)
    minimum: int
    shown: bool
    dimensions: list[DimensionRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    highest: list[ItemRow] = field(default_factory=list)
    lowest: list[ItemRow] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    comments_hidden: bool = False
    quadrants: list[tuple[str, Text, int]] = field(
        default_factory=list
    )  # profile: students per quadrant
    self_rating: dict[str, float] = field(default_factory=dict)  # only for the leader rated

    @property
    def scored_dimensions(self) -> list[DimensionRow]:
        return [row for row in self.dimensions if row.figure.shown]


def item_score(item: Item, value: int, scale: Scale) -> int:
    """The answer as scored: a reverse-scored item counts `min + max - value`."""
    return scale.min + scale.max - value if item.reverse else value


def dimension_score(
    definition: Definition, dimension: Dimension, answers: dict[str, int]
) -> float | None:
    """One respondent's score on a dimension: the level for a rubric; the sum or mean of its
    items (reverse-scored ones turned round) otherwise. None when an item is unanswered."""
    scale = definition.scale
    if scale is None:
        return None
    if definition.kind == "rubric":
        level = answers.get(dimension.code)
        return float(level) if level is not None else None
    values = []
    for item in dimension.items:
        value = answers.get(item.code)
        if value is None:
            return None
        values.append(item_score(item, value, scale))
    if not values:
        return None
    return float(sum(values)) if definition.scoring == "sum" else sum(values) / len(values)


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha of respondents x items: k/(k-1) x (1 - sum of item variances / variance of totals).

    Sample variances (n - 1). None with fewer than two items or respondents, or when the
    totals do not vary (alpha is undefined then).

    >>> round(cronbach_alpha([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5]]), 3)
    0.982
    """
    n = len(rows)
    k = len(rows[0]) if rows else 0
    if n < 2 or k < 2:
        return None

    def variance(values: Sequence[float]) -> float:
        mean = sum(values) / len(values)
        return sum((v - mean) ** 2 for v in values) / (len(values) - 1)

    totals = [sum(row) for row in rows]
    total_variance = variance(totals)
    if total_variance == 0:
        return None
    item_variances = sum(variance([row[i] for row in rows]) for i in range(k))
    return k / (k - 1) * (1 - item_variances / total_variance)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _groups(
    responses: Sequence[Answered], score: dict[int, float | None], minimum: int
) -> tuple[tuple[str, Figure], ...]:
    """The figure of each role, hidden under the minimum, with complementary hiding."""
    roles = sorted({r.role for r in responses if r.role})
    if len(roles) < 2:
        return ()
    rows: list[dict[str, object]] = []
    for role in roles:
        values = [
            v for i, r in enumerate(responses) if r.role == role and (v := score[i]) is not None
        ]
        rows.append({"role": role, "count": len(values), "mean": _mean(values)})
    gated = complementary_suppression(
        rows, total=len(responses), minimum=minimum, value_columns=["mean"]
    )
    out: list[tuple[str, Figure]] = []
    for row in gated:
        count = int(str(row["count"]))
        mean = row["mean"]
        hidden = bool(row["suppressed"])
        reason = (SMALL if count < minimum else COMPLEMENTARY) if hidden else ""
        figure = Figure(count, None if hidden or mean is None else float(str(mean)), reason)
        out.append((str(row["role"]), figure))
    return tuple(out)


def report(
    definition: Definition,
    submitted: Sequence[Answered],
    *,
    minimum: int,
    previous: Report | None = None,
) -> Report:
    """The round's report: every figure gated by the rules in the module docstring."""
    others_rate = "others" in definition.raters
    counted = [r for r in submitted if not (others_rate and r.rater == "self")]
    own = [r for r in submitted if others_rate and r.rater == "self"]
    n = len(counted)
    out = Report(definition=definition, respondents=n, minimum=minimum, shown=n >= minimum)
    if own:
        for dimension in definition.dimensions:
            value = dimension_score(definition, dimension, own[0].answers)
            if value is not None:
                out.self_rating[dimension.code] = value
    if not out.shown or definition.scale is None:
        out.dimensions = [
            DimensionRow(d, Figure(n, None, SMALL if not out.shown else ""))
            for d in definition.dimensions
        ]
        out.comments_hidden = any(r.comment.strip() for r in counted)
        return out

    scale = definition.scale
    before = (
        {row.dimension.code: row.figure.mean for row in previous.dimensions} if previous else {}
    )
    for dimension in definition.dimensions:
        scores = {
            i: dimension_score(definition, dimension, r.answers) for i, r in enumerate(counted)
        }
        values = [v for v in scores.values() if v is not None]
        mean = _mean(values)
        alpha = None
        if len(dimension.items) >= 2 and len(values) >= ALPHA_MINIMUM:
            matrix = [
                [float(item_score(item, r.answers[item.code], scale)) for item in dimension.items]
                for r in counted
                if all(item.code in r.answers for item in dimension.items)
            ]
            alpha = cronbach_alpha(matrix)
        previous_mean = before.get(dimension.code)
        change = mean - previous_mean if mean is not None and previous_mean is not None else None
        out.dimensions.append(
            DimensionRow(
                dimension,
                Figure(len(values), mean),
                alpha=alpha,
                groups=_groups(counted, scores, minimum),
                change=change,
            )
        )
        for item in dimension.items:
            answers = [r.answers[item.code] for r in counted if item.code in r.answers]
            scored = [item_score(item, value, scale) for value in answers]
            counts = Counter(answers)
            out.items.append(
                ItemRow(
                    item,
                    dimension,
                    Figure(len(answers), _mean([float(v) for v in scored])),
                    tuple((point, counts.get(point, 0)) for point in scale.points),
                )
            )
    ranked = sorted(
        (row for row in out.items if row.figure.mean is not None),
        key=lambda row: (-(row.figure.mean or 0.0), row.item.code),
    )
    if len(ranked) >= 6:
        out.highest, out.lowest = ranked[:3], list(reversed(ranked[-3:]))
    comments = sorted(r.comment.strip() for r in counted if r.comment.strip())
    if n >= definition.min_text_respondents:
        out.comments = comments
    else:
        out.comments_hidden = bool(comments)
    if definition.profile is not None:
        for quadrant in definition.profile.quadrants:
            total = sum(r.answers.get(PROFILE_PREFIX + quadrant.code, 0) for r in counted)
            out.quadrants.append((quadrant.code, quadrant.name, total))
    return out


def rounded(value: float | None, places: int = 2) -> float | None:
    """A figure as reported (half away from zero, not banker's rounding)."""
    if value is None:
        return None
    factor = 10**places
    return math.floor(abs(value) * factor + 0.5) / factor * (1 if value >= 0 else -1)
