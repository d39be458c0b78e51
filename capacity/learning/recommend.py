"""What to read next: from a board's last self-assessment to the modules and case studies for it.

Reads only. The board's latest closed round of the nine characteristics (the
`strong-districts` instrument) is read through the instruments app's own report
(`instruments.selectors.round_report`), so every figure here is one the report shows:
a round under its reporting minimum gives no mean at all, and nothing is recommended
from it (the page says why rather than falling back on an older round, whose figures
would no longer describe the board). Its dimensions are planning's characteristics
through `instruments.services.CHARACTERISTIC_OF`, the mapping the report's "add as a
board-plan goal" buttons use, so the library and the plan name the same weaknesses.

The weakest characteristics (lowest means; ties in planning's order of the nine) lead to

* the published modules that work on them, weakest first, then by module number;
* the published case studies that address them, from boards most like this one: the
  same type (language and system), then a similar number of schools, then the most
  recent work; the board's own case studies are left out (it knows its own story).

Each recommendation carries its reasons in words, so a reader sees why it is there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from capacity.directory.models import Board
from capacity.instruments import selectors as instrument_selectors
from capacity.instruments import services as instrument_services
from capacity.instruments.definition import Scale
from capacity.instruments.models import Round
from capacity.instruments.scoring import SMALL, Report
from capacity.learning.models import BoardType, Item, Kind
from capacity.learning.selectors import published_items
from capacity.learning.services import board_type_of
from capacity.planning.models import Characteristic

INSTRUMENT = "strong-districts"
# How many of the lowest-rated characteristics lead the recommendations: two keep the list
# about a focus a senior team can take on in a year (the report offers three as plan goals).
WEAKEST = 2
# A board with at most twice (or half) as many schools counts as of a similar size.
SIMILAR_SIZE = 2.0
# The fixed order that breaks ties between equal means: planning's order of the nine.
ORDER = {code: index for index, code in enumerate(Characteristic.values)}


@dataclass(frozen=True)
class Mean:
    """One characteristic in the board's last self-assessment, as its report shows it."""

    characteristic: str  # planning's Characteristic code
    mean: float | None  # None when the report hides it (`hidden` says why)
    respondents: int
    hidden: str = ""  # scoring.SMALL when the round is under its minimum

    @property
    def label(self) -> str:
        return str(Characteristic(self.characteristic).label)

    @property
    def shown(self) -> bool:
        return self.mean is not None


@dataclass(frozen=True)
class SelfAssessment:
    """A board's latest closed round of the nine characteristics, as its report allows."""

    round: Round
    respondents: int
    minimum: int
    shown: bool  # False: too few respondents, no figure at all
    scale: Scale | None
    means: tuple[Mean, ...]


@dataclass(frozen=True)
class Weak:
    """A characteristic among the board's weakest, with its mean and the scale it is on."""

    characteristic: str
    mean: float
    scale_min: int
    scale_max: int
    rank: int  # 0: the lowest

    @property
    def label(self) -> str:
        return str(Characteristic(self.characteristic).label)


@dataclass(frozen=True)
class Recommendation:
    """A module or a case study to read next, and why."""

    item: Item
    addresses: Weak  # the weakest characteristic it addresses first
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def kind_label(self) -> str:
        return str(Kind(self.item.kind).label)


def latest_round(board: Board) -> Round | None:
    """The board's latest closed round of the nine characteristics (closed early or past its
    last day), or None when it has none."""
    today = timezone.localdate()
    return (
        Round.objects.filter(board=board, school__isnull=True, instrument__code=INSTRUMENT)
        .filter(Q(closed_at__isnull=False) | Q(closes_on__lt=today))
        .select_related("instrument", "board")
        .order_by("-closes_on", "-opens_on", "-id")
        .first()
    )


def _means(report: Report) -> tuple[Mean, ...]:
    """The report's dimension rows as characteristics, in planning's order; a hidden figure
    stays hidden (its mean None) with the report's reason."""
    out = []
    for row in report.dimensions:
        code = instrument_services.CHARACTERISTIC_OF.get(row.dimension.code)
        if code is None:
            continue
        figure = row.figure
        out.append(
            Mean(
                characteristic=str(code),
                mean=figure.mean if report.shown else None,
                respondents=figure.n,
                hidden="" if report.shown and figure.shown else (figure.reason or SMALL),
            )
        )
    return tuple(sorted(out, key=lambda m: ORDER.get(m.characteristic, len(ORDER))))


def self_assessment(board: Board) -> SelfAssessment | None:
    """The board's last self-assessment as its report shows it; None when it has no closed round.

    Only aggregates leave the instruments app's report, and nobody's own rating
    (`round_report` without a viewer drops the rated leader's self-rating)."""
    found = latest_round(board)
    return None if found is None else assessment_of(found)


def assessment_of(found: Round) -> SelfAssessment:
    """A round of the nine characteristics as its report shows it (see `self_assessment`)."""
    report = instrument_selectors.round_report(found)
    return SelfAssessment(
        round=found,
        respondents=report.respondents,
        minimum=report.minimum,
        shown=report.shown,
        scale=report.definition.scale,
        means=_means(report),
    )


def weakest_from(assessment: SelfAssessment | None, count: int = WEAKEST) -> list[Weak]:
    """The `count` lowest means shown (ties in planning's order); none under the minimum."""
    if assessment is None or not assessment.shown or assessment.scale is None:
        return []
    scale = assessment.scale
    ranked = sorted(
        (m for m in assessment.means if m.mean is not None),
        key=lambda m: (m.mean, ORDER.get(m.characteristic, len(ORDER))),
    )
    return [
        Weak(m.characteristic, float(m.mean or 0.0), scale.min, scale.max, rank)
        for rank, m in enumerate(ranked[:count])
    ]


def weakest_characteristics(board: Board, count: int = WEAKEST) -> list[Weak]:
    """The board's lowest-rated characteristics in its last self-assessment, lowest first."""
    return weakest_from(self_assessment(board), count)


# --- reasons, in words ---------------------------------------------------------------------


def _figure(value: float) -> str:
    return number_format(round(value, 2), decimal_pos=2)


def weakness_reason(weak: Weak, *, own: bool = True) -> str:
    """Why an item is there: the weakness it addresses. `own`: the reader is of this board
    ("your board"); others (a ministry officer, say) read "this board's"."""
    values = {
        "name": weak.label,
        "mean": _figure(weak.mean),
        "min": weak.scale_min,
        "max": weak.scale_max,
    }
    if weak.rank == 0:
        if own:
            sentence = _(
                "Your board's lowest-rated characteristic: %(name)s (%(mean)s on a scale of %(min)s to %(max)s)"
            )
        else:
            sentence = _(
                "This board's lowest-rated characteristic: %(name)s (%(mean)s on a scale of %(min)s to %(max)s)"
            )
    elif own:
        sentence = _(
            "One of your board's lowest-rated characteristics: %(name)s (%(mean)s on a scale of %(min)s to %(max)s)"
        )
    else:
        sentence = _(
            "One of this board's lowest-rated characteristics: %(name)s (%(mean)s on a scale of %(min)s to %(max)s)"
        )
    return sentence % values


def _like_yours(board_type: str, *, own: bool = True) -> str:
    """A sentence per board type, so that each language can word it whole; "like yours" to the
    board's own people, "like this one" to others."""
    if own:
        sentences = {
            BoardType.ENGLISH_PUBLIC: _("An English public board like yours"),
            BoardType.ENGLISH_CATHOLIC: _("An English Catholic board like yours"),
            BoardType.FRENCH_PUBLIC: _("A French public board like yours"),
            BoardType.FRENCH_CATHOLIC: _("A French Catholic board like yours"),
        }
    else:
        sentences = {
            BoardType.ENGLISH_PUBLIC: _("An English public board like this one"),
            BoardType.ENGLISH_CATHOLIC: _("An English Catholic board like this one"),
            BoardType.FRENCH_PUBLIC: _("A French public board like this one"),
            BoardType.FRENCH_CATHOLIC: _("A French Catholic board like this one"),
        }
    return sentences.get(BoardType(board_type), "") if board_type in BoardType.values else ""


def _schools_of(item: Item) -> int | None:
    value = (item.published.facts if item.published else {}).get("schools")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def similar_size(schools: int | None, own: int) -> bool:
    """At most SIMILAR_SIZE times as many schools, or as few; unknown sizes are not similar."""
    if schools is None or own <= 0:
        return False
    return max(schools, own) / min(schools, own) <= SIMILAR_SIZE


# --- what to read next --------------------------------------------------------------------


def _characteristics(item: Item) -> list[str]:
    facts = item.published.facts if item.published else {}
    return [str(c) for c in facts.get("characteristics", [])]


def _first_weak(item: Item, weakest: list[Weak]) -> Weak | None:
    addressed = set(_characteristics(item))
    return next((w for w in weakest if w.characteristic in addressed), None)


def recommend(
    board: Board,
    weakest: list[Weak],
    *,
    limit: int = 6,
    items: list[Item] | None = None,
    own: bool = True,
) -> list[Recommendation]:
    """Modules, then case studies, for these weakest characteristics (see the module docstring).

    `limit` caps each kind: up to `limit` modules and `limit` case studies. `items` is the
    published library (read here when not given). `own`: the reasons are worded for the
    board's own people ("your board"); False words them for others ("this board's")."""
    if not weakest:
        return []
    library = items if items is not None else list(published_items())
    own_type = board_type_of(board)
    own_schools = board.schools.count()

    modules = []
    for item in library:
        if item.kind != Kind.MODULE:
            continue
        weak = _first_weak(item, weakest)
        if weak is not None:
            modules.append((weak.rank, item.number or 0, item.slug, item, weak))
    modules.sort(key=lambda row: row[:3])
    out = [
        Recommendation(item, weak, (weakness_reason(weak, own=own),))
        for *_k, item, weak in modules[:limit]
    ]

    cases = []
    for item in library:
        if item.kind != Kind.CASE or (item.board_id is not None and item.board_id == board.pk):
            continue
        weak = _first_weak(item, weakest)
        if weak is None:
            continue
        facts = item.published.facts if item.published else {}
        same_type = bool(own_type) and facts.get("board_type") == own_type
        schools = _schools_of(item)
        similar = similar_size(schools, own_schools)
        found_year = facts.get("year")
        year = found_year if isinstance(found_year, int) else 0
        reasons = [weakness_reason(weak, own=own)]
        if same_type:
            reasons.append(_like_yours(own_type, own=own))
        if similar and schools is not None:
            size = (
                _("A board of a similar size: %(n)s schools (yours: %(own)s)")
                if own
                else _("A board of a similar size: %(n)s schools (this one: %(own)s)")
            )
            reasons.append(size % {"n": schools, "own": own_schools})
        key = (not same_type, not similar, -year, weak.rank, item.slug)
        cases.append((key, Recommendation(item, weak, tuple(r for r in reasons if r))))
    cases.sort(key=lambda row: row[0])
    return out + [rec for _key, rec in cases[:limit]]


def what_to_read_next(board: Board, limit: int = 6) -> list[Recommendation]:
    """The modules and case studies addressing the board's weakest characteristics; none when
    the board has no closed self-assessment or its last one is under the reporting minimum."""
    return recommend(board, weakest_characteristics(board), limit=limit)


def for_board(
    board: Board, *, limit: int = 6, found: Round | None = None, own: bool = True
) -> tuple[SelfAssessment | None, list[Weak], list[Recommendation]]:
    """The self-assessment, its weakest characteristics and the recommendations, read once (the
    profile page and the home page show all three). `found`: the board's latest closed round,
    when the caller has read it already. `own`: worded for the board's own people (see
    `recommend`)."""
    found = found or latest_round(board)
    assessment = None if found is None else assessment_of(found)
    weakest = weakest_from(assessment)
    return assessment, weakest, recommend(board, weakest, limit=limit, own=own)
