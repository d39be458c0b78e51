"""Writes for strategies' implementation: a dated review of each strategy, one at a time or every
strategy of a plan at a checkpoint.

A strategy's status is its latest review's (`StrategyReview`), so the only way to change it is to
record a review with a date and what shows it. Reviews change the plan: they take its next version
(a stale form is refused with `Conflict`, as every plan edit) and leave a `PlanChange` row
(`implementation_reviewed`), so the plan's history and API show them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from capacity.planning.models import Checkpoint, Plan, Strategy, StrategyReview
from capacity.planning.services import (
    Conflict,
    _bump,
    _log,
    _require_open,
    _require_team,
)

__all__ = ["Conflict", "ReviewInput", "checkpoint_review", "strategy_review_record"]

ACTION = "implementation_reviewed"


@dataclass(frozen=True)
class ReviewInput:
    """One strategy's review as a form or the API gives it."""

    strategy: Strategy
    status: str
    evidence: str
    on: datetime.date | None = None
    evidence_file: Any = None


def _latest_status(strategy: Strategy) -> str | None:
    latest = strategy.reviews.order_by("-on", "-id").first()
    return latest.status if latest else None


def _build(
    *, plan: Plan, review: ReviewInput, user: Any, checkpoint: Checkpoint | None, on: datetime.date
) -> StrategyReview:
    if review.strategy.goal.plan_id != plan.pk:
        raise ValidationError(_("This strategy belongs to another plan."))
    if on > timezone.localdate():
        raise ValidationError(
            {"on": _("A review records what has happened: the date cannot be in the future.")}
        )
    row = StrategyReview(
        strategy=review.strategy,
        checkpoint=checkpoint,
        on=on,
        status=review.status,
        evidence=(review.evidence or "").strip(),
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if review.evidence_file:
        row.evidence_file = review.evidence_file
    try:
        row.full_clean()
    except ValidationError as error:
        if "evidence" in getattr(error, "error_dict", {}):
            raise ValidationError(
                {"evidence": _("Say what shows this status: a status changes only with evidence.")}
            ) from error
        raise
    return row


def _save_and_log(plan: Plan, user: Any, row: StrategyReview) -> None:
    before = _latest_status(row.strategy)
    row.save()
    fields: dict[str, Any] = {
        "status": [before, row.status],
        "on": [None, row.on.isoformat()],
        "evidence": [None, row.evidence],
    }
    if row.evidence_file:
        fields["evidence_file"] = [None, row.evidence_file.name]
    _log(plan, user, ACTION, str(row.strategy), fields)


@transaction.atomic
def strategy_review_record(
    *,
    strategy: Strategy,
    user: Any,
    seen: int,
    status: str,
    evidence: str,
    on: datetime.date | None = None,
    evidence_file: Any = None,
    checkpoint: Checkpoint | None = None,
) -> StrategyReview:
    """Record one dated review of `strategy` (its team only); its status becomes this review's
    when the date is the latest."""
    plan = strategy.goal.plan
    _require_team(user, plan)
    _require_open(plan)
    if checkpoint is not None and checkpoint.plan_id != plan.pk:
        raise ValidationError(_("This checkpoint belongs to another plan."))
    row = _build(
        plan=plan,
        review=ReviewInput(strategy, status, evidence, on, evidence_file),
        user=user,
        checkpoint=checkpoint,
        on=on or timezone.localdate(),
    )
    _bump(plan, seen)
    _save_and_log(plan, user, row)
    return row


@transaction.atomic
def checkpoint_review(
    *,
    checkpoint: Checkpoint,
    user: Any,
    seen: int,
    reviews: list[ReviewInput],
    on: datetime.date | None = None,
) -> list[StrategyReview]:
    """The team's review of the plan's strategies at a checkpoint, in one save and one version.

    Each review is dated `on` (default today) unless it carries its own date. Strategies left out
    stay unreviewed at this checkpoint; `selectors_implementation.checkpoint_unreviewed` names them.
    """
    plan = checkpoint.plan
    _require_team(user, plan)
    _require_open(plan)
    if not reviews:
        raise ValidationError(_("Review at least one strategy: give its status and what shows it."))
    day = on or timezone.localdate()
    rows = [
        _build(plan=plan, review=r, user=user, checkpoint=checkpoint, on=r.on or day)
        for r in reviews
    ]
    _bump(plan, seen)
    for row in rows:
        _save_and_log(plan, user, row)
    return rows
