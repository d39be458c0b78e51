"""The indicators counted from plain facts: the month window, statuses as of a date, checkpoints'
states, custom measures against their targets, and reviews at a checkpoint."""

from __future__ import annotations

import datetime
import doctest

from capacity.planning import indicators_implementation as ind
from capacity.planning.models import Implementation

D = datetime.date


def test_its_statuses_are_the_models_in_order() -> None:
    assert list(ind.STATUSES) == list(Implementation.values)


def test_its_examples_hold() -> None:
    assert doctest.testmod(ind).failed == 0


def test_the_window_is_the_month_up_to_today() -> None:
    today = D(2026, 3, 9)
    assert ind.month_window("2026-03", today=today) == ind.Window(
        D(2026, 3, 1), D(2026, 3, 31), today
    )
    assert ind.month_window("2026-02", today=today).as_of == D(2026, 2, 28)
    assert ind.month_window("2027-01", today=today).start == D(2026, 3, 1)  # no future month
    assert ind.month_window("2026-13", today=today).start == D(2026, 3, 1)
    assert ind.month_window("", today=today).month == "2026-03"


def test_checkpoints_are_done_overdue_due_or_later_as_of_the_day() -> None:
    w = ind.month_window("2025-11", today=D(2026, 1, 10))
    recorded = datetime.datetime(2025, 11, 3, 10, tzinfo=datetime.UTC)
    late = datetime.datetime(2025, 12, 3, 10, tzinfo=datetime.UTC)
    assert w.checkpoint_state(ind.CheckpointFact(1, D(2025, 11, 1), recorded)) == "done"
    assert w.checkpoint_state(ind.CheckpointFact(2, D(2025, 11, 1), late)) == "overdue"
    assert w.checkpoint_state(ind.CheckpointFact(3, D(2025, 12, 20))) == "due"
    assert w.checkpoint_state(ind.CheckpointFact(4, D(2026, 2, 20))) == "later"
    # Strategies reviewed at a checkpoint make it done from the review's date.
    assert w.checkpoint_state(ind.CheckpointFact(5, D(2025, 11, 1), None, D(2025, 11, 4))) == "done"
    assert (
        w.checkpoint_state(ind.CheckpointFact(6, D(2025, 11, 1), None, D(2025, 12, 4))) == "overdue"
    )


def test_it_counts_one_plan() -> None:
    w = ind.month_window("2025-11", today=D(2026, 1, 10))
    counts, last = ind.count_indicators(
        w,
        strategy_ids=[1, 2, 3],
        reviews=[
            ind.ReviewFact(1, D(2025, 9, 30), "started"),
            ind.ReviewFact(1, D(2025, 11, 28), "embedded"),
            ind.ReviewFact(2, D(2025, 10, 30), "in_place"),
            ind.ReviewFact(3, D(2025, 12, 1), "started"),  # after the month: not yet
            ind.ReviewFact(99, D(2025, 11, 1), "started"),  # another plan's strategy
        ],
        checkpoints=[
            ind.CheckpointFact(1, D(2025, 11, 20)),
            ind.CheckpointFact(2, D(2025, 12, 15)),
        ],
        targets=[
            ind.TargetFact(1, 70.0, ((D(2025, 10, 1), 75.0), (D(2025, 11, 15), 65.0))),
            ind.TargetFact(2, 50.0, ((D(2025, 11, 2), 50.0),)),
            ind.TargetFact(3, 50.0, ((D(2025, 12, 2), 90.0),)),
        ],
    )
    assert counts.by_status == (1, 0, 1, 1)
    assert (counts.reviewed_in_month, counts.never_reviewed) == (1, 1)
    assert (counts.checkpoints_overdue, counts.checkpoints_due) == (1, 1)
    assert (counts.targets_reached, counts.targets_below, counts.targets_no_value) == (1, 1, 1)
    assert last == D(2025, 11, 28)
    total = counts + counts
    assert total.strategies == 6 and total.by_status == (2, 0, 2, 2)
    assert total.status_count("embedded") == 2


def test_a_review_counts_for_its_checkpoint_or_the_period_before_it() -> None:
    cps = [ind.CheckpointFact(1, D(2025, 11, 1)), ind.CheckpointFact(2, D(2026, 2, 1))]
    reviews = [
        ind.ReviewFact(7, D(2025, 10, 20), "started"),
        ind.ReviewFact(8, D(2025, 11, 1), "started"),
        ind.ReviewFact(9, D(2026, 2, 9), "in_place", checkpoint_id=2),
    ]
    assert ind.reviewed_at_checkpoint(cps, 1, reviews) == {7, 8}
    assert ind.reviewed_at_checkpoint(cps, 2, reviews) == {9}
