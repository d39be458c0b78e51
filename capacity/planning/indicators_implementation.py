"""The leading indicators of one plan in one month, counted from plain facts (no Django).

A board monitors its schools monthly (seed 000): how far each strategy is carried out, when it was
last reviewed, which checkpoints are done, overdue or coming, and the latest value of each custom
measure against its target. Everything is counted "as of" the month's last day (today for the
current month), so last month's figures stay what they were even after later reviews.

    >>> w = month_window("2025-11", today=datetime.date(2026, 2, 1))
    >>> (w.start, w.as_of)
    (datetime.date(2025, 11, 1), datetime.date(2025, 11, 30))
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

# The implementation statuses in order (planning.models.Implementation's values; a test checks).
STATUSES = ("not_started", "started", "in_place", "embedded")
NOT_STARTED = STATUSES[0]

# A checkpoint "due" is one still to come within this many days of the month's end.
DUE_AHEAD_DAYS = 30

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Window:
    """A month: its first day, and the day figures are counted at (its last day, or today)."""

    start: datetime.date
    end: datetime.date
    as_of: datetime.date

    @property
    def month(self) -> str:
        return f"{self.start:%Y-%m}"

    def checkpoint_state(self, checkpoint: CheckpointFact) -> str:
        """done (its notes recorded, or strategies reviewed at it, by `as_of`), overdue, due (within
        DUE_AHEAD_DAYS) or later."""
        if checkpoint.recorded_at is not None and checkpoint.recorded_at.date() <= self.as_of:
            return "done"
        if checkpoint.reviewed_on is not None and checkpoint.reviewed_on <= self.as_of:
            return "done"  # the team reviewed its strategies at it
        if checkpoint.due < self.as_of:
            return "overdue"
        if checkpoint.due <= self.as_of + datetime.timedelta(days=DUE_AHEAD_DAYS):
            return "due"
        return "later"


def month_window(month: str, *, today: datetime.date) -> Window:
    """The window of `month` ("YYYY-MM"); an empty, malformed or future month is today's month.

    >>> month_window("bad", today=datetime.date(2026, 3, 9)).as_of
    datetime.date(2026, 3, 9)
    """
    found = _MONTH.match(month or "")
    year, number = (int(found[1]), int(found[2])) if found else (today.year, today.month)
    start = datetime.date(year, number, 1)
    if start > today:
        start = today.replace(day=1)
    end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return Window(start=start, end=end, as_of=min(end, today))


@dataclass(frozen=True)
class ReviewFact:
    strategy_id: int
    on: datetime.date
    status: str
    checkpoint_id: int | None = None


@dataclass(frozen=True)
class CheckpointFact:
    """A checkpoint: its date, when its notes were recorded, and the first review made at it."""

    id: int
    due: datetime.date
    recorded_at: datetime.datetime | None = None
    reviewed_on: datetime.date | None = None


@dataclass(frozen=True)
class TargetFact:
    """A custom measure's target and its dated entries (date, value), oldest first."""

    id: int
    target_value: float
    entries: tuple[tuple[datetime.date, float], ...] = ()


@dataclass(frozen=True)
class Indicators:
    """Counts for one plan, or summed over many (`+`)."""

    strategies: int = 0
    by_status: tuple[int, ...] = (0, 0, 0, 0)  # in STATUSES order
    reviewed_in_month: int = 0
    never_reviewed: int = 0
    checkpoints_done: int = 0
    checkpoints_overdue: int = 0
    checkpoints_due: int = 0
    targets_reached: int = 0
    targets_below: int = 0
    targets_no_value: int = 0

    def __add__(self, other: Indicators) -> Indicators:
        return Indicators(
            strategies=self.strategies + other.strategies,
            by_status=tuple(a + b for a, b in zip(self.by_status, other.by_status, strict=True)),
            reviewed_in_month=self.reviewed_in_month + other.reviewed_in_month,
            never_reviewed=self.never_reviewed + other.never_reviewed,
            checkpoints_done=self.checkpoints_done + other.checkpoints_done,
            checkpoints_overdue=self.checkpoints_overdue + other.checkpoints_overdue,
            checkpoints_due=self.checkpoints_due + other.checkpoints_due,
            targets_reached=self.targets_reached + other.targets_reached,
            targets_below=self.targets_below + other.targets_below,
            targets_no_value=self.targets_no_value + other.targets_no_value,
        )

    def status_count(self, status: str) -> int:
        return self.by_status[STATUSES.index(status)]


def count_indicators(
    window: Window,
    *,
    strategy_ids: Iterable[int],
    reviews: Iterable[ReviewFact],
    checkpoints: Iterable[CheckpointFact],
    targets: Iterable[TargetFact],
) -> tuple[Indicators, datetime.date | None]:
    """One plan's indicators in `window`, and the date of its latest review by then.

    A strategy's status is its latest review's on or before `window.as_of` (by date, then the order
    given); a strategy with none is not started.

    >>> w = month_window("2025-11", today=datetime.date(2026, 1, 5))
    >>> rs = [ReviewFact(1, datetime.date(2025, 10, 2), "started"),
    ...       ReviewFact(1, datetime.date(2025, 11, 20), "in_place"),
    ...       ReviewFact(2, datetime.date(2025, 12, 1), "embedded")]
    >>> counts, last = count_indicators(w, strategy_ids=[1, 2], reviews=rs, checkpoints=[], targets=[])
    >>> counts.by_status, counts.reviewed_in_month, counts.never_reviewed, last
    ((1, 0, 1, 0), 1, 1, datetime.date(2025, 11, 20))
    """
    ids = list(strategy_ids)
    latest: dict[int, ReviewFact] = {}
    in_month: set[int] = set()
    last: datetime.date | None = None
    for review in sorted(reviews, key=lambda r: r.on):
        if review.on > window.as_of or review.strategy_id not in ids:
            continue
        latest[review.strategy_id] = review
        last = review.on if last is None or review.on > last else last
        if review.on >= window.start:
            in_month.add(review.strategy_id)
    by_status = [0, 0, 0, 0]
    for sid in ids:
        by_status[STATUSES.index(latest[sid].status if sid in latest else NOT_STARTED)] += 1
    states = [window.checkpoint_state(c) for c in checkpoints]
    reached = below = no_value = 0
    for target in targets:
        values = [v for on, v in target.entries if on <= window.as_of]
        if not values:
            no_value += 1
        elif values[-1] >= target.target_value:
            reached += 1
        else:
            below += 1
    return (
        Indicators(
            strategies=len(ids),
            by_status=tuple(by_status),
            reviewed_in_month=len(in_month),
            never_reviewed=len([s for s in ids if s not in latest]),
            checkpoints_done=states.count("done"),
            checkpoints_overdue=states.count("overdue"),
            checkpoints_due=states.count("due"),
            targets_reached=reached,
            targets_below=below,
            targets_no_value=no_value,
        ),
        last,
    )


def reviewed_at_checkpoint(
    checkpoints: Iterable[CheckpointFact], checkpoint_id: int, reviews: Iterable[ReviewFact]
) -> set[int]:
    """The strategies reviewed at one of a plan's checkpoints: a review recorded at it, or one
    dated after the previous checkpoint's date and on or before this one's.

    >>> cps = [CheckpointFact(1, datetime.date(2025, 11, 1)), CheckpointFact(2, datetime.date(2026, 2, 1))]
    >>> rs = [ReviewFact(7, datetime.date(2025, 10, 20), "started"),
    ...       ReviewFact(8, datetime.date(2026, 1, 10), "started"),
    ...       ReviewFact(9, datetime.date(2026, 2, 9), "in_place", checkpoint_id=2)]
    >>> sorted(reviewed_at_checkpoint(cps, 2, rs))
    [8, 9]
    """
    ordered = sorted(checkpoints, key=lambda c: (c.due, c.id))
    index = next(i for i, c in enumerate(ordered) if c.id == checkpoint_id)
    this = ordered[index]
    after = ordered[index - 1].due if index else None
    return {
        r.strategy_id
        for r in reviews
        if r.checkpoint_id == checkpoint_id
        or (r.on <= this.due and (after is None or r.on > after))
    }
