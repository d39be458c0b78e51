"""API for strategies' implementation status with dated evidence, and leading indicators rolled up.

Reads are scoped like the pages (a school's indicators for the ministry, the board's leaders and
the school's staff; a board's roll-up for its members; the province's for ministry officers).
A review is written through `services_implementation`, with the plan version the caller read:
409 with the current version when the plan moved on, 400 with the service's message when it
refuses (no evidence, a date in the future, a closed year), 403 outside the plan's team.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from capacity.api_common import MAX_ID, SOME_TEXT, ErrorOut, ValidationErrorOut, answers, id_in_path
from capacity.planning import selectors
from capacity.planning import selectors_implementation as impl
from capacity.planning import services_implementation as services
from capacity.planning.api_errors import service_errors
from capacity.planning.indicators_implementation import STATUSES, Indicators
from capacity.planning.models import Implementation

router = Router(tags=["planning"])

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class ImplementationConflictOut(Schema):
    detail: str
    version: int = Field(description="The plan's current version: reload it, then try again")


class MonthQuery(Schema):
    month: str = Field("", pattern=rf"^$|{MONTH[1:]}", description="YYYY-MM; empty for this month")


class IndicatorsOut(Schema):
    strategies: int
    not_started: int
    started: int
    in_place: int
    embedded: int
    reviewed_in_month: int
    never_reviewed: int
    checkpoints_done: int
    checkpoints_overdue: int
    checkpoints_due: int = Field(description="Not done and due within 30 days of the month's end")
    targets_reached: int = Field(
        description="Custom measures whose latest value reaches the target"
    )
    targets_below: int
    targets_no_value: int


def _indicators(i: Indicators) -> dict[str, int]:
    return {
        "strategies": i.strategies,
        **dict(zip(STATUSES, i.by_status, strict=True)),
        "reviewed_in_month": i.reviewed_in_month,
        "never_reviewed": i.never_reviewed,
        "checkpoints_done": i.checkpoints_done,
        "checkpoints_overdue": i.checkpoints_overdue,
        "checkpoints_due": i.checkpoints_due,
        "targets_reached": i.targets_reached,
        "targets_below": i.targets_below,
        "targets_no_value": i.targets_no_value,
    }


class SchoolRowOut(Schema):
    school: str = Field(description="The school's number")
    school_name: str
    plan_id: int
    focused_intervention: bool
    last_reviewed: datetime.date | None
    indicators: IndicatorsOut


class BoardRollupOut(Schema):
    board: str
    month: str
    as_of: datetime.date
    school_year: str
    schools: list[SchoolRowOut]
    totals: IndicatorsOut


@router.get(
    "/plans/indicators/boards/{number}",
    response=answers(BoardRollupOut, 403, 404),
    url_name="api_implementation_board",
    summary="A board's leading indicators in a month, school by school, and its totals",
)
@service_errors
def board_indicators(request: HttpRequest, number: str, query: Query[MonthQuery]) -> dict[str, Any]:
    board = impl.board_by_number(number)
    rollup = impl.board_rollup(request.user, board, query.month)
    return {
        "board": board.number,
        "month": rollup.window.month,
        "as_of": rollup.window.as_of,
        "school_year": rollup.school_year,
        "schools": [
            {
                "school": r.plan.school.number,
                "school_name": r.plan.school.name,
                "plan_id": r.plan.pk,
                "focused_intervention": r.plan.focused_intervention,
                "last_reviewed": r.last_reviewed,
                "indicators": _indicators(r.indicators),
            }
            for r in rollup.rows
        ],
        "totals": _indicators(rollup.totals),
    }


class BoardRowOut(Schema):
    board: str = Field(description="The board's number")
    board_name: str
    school_plans: int
    last_reviewed: datetime.date | None
    indicators: IndicatorsOut


class ProvinceRollupOut(Schema):
    month: str
    as_of: datetime.date
    school_year: str
    boards: list[BoardRowOut]
    totals: IndicatorsOut


@router.get(
    "/plans/indicators",
    response=answers(ProvinceRollupOut, 403),
    url_name="api_implementation_province",
    summary="The province's leading indicators in a month, board by board (ministry officers)",
)
@service_errors
def province_indicators(request: HttpRequest, query: Query[MonthQuery]) -> dict[str, Any]:
    rollup = impl.province_rollup(request.user, query.month)
    return {
        "month": rollup.window.month,
        "as_of": rollup.window.as_of,
        "school_year": rollup.school_year,
        "boards": [
            {
                "board": r.board.number,
                "board_name": r.board.name,
                "school_plans": r.plans,
                "last_reviewed": r.last_reviewed,
                "indicators": _indicators(r.indicators),
            }
            for r in rollup.rows
        ],
        "totals": _indicators(rollup.totals),
    }


class ReviewOut(Schema):
    id: int
    strategy_id: int
    on: datetime.date
    status: Implementation
    evidence: str
    checkpoint_id: int | None
    has_file: bool


class StrategyStatusOut(Schema):
    strategy_id: int
    goal_number: int
    action: str
    status: Implementation
    last_reviewed: datetime.date | None
    reviews: list[ReviewOut] = Field(description="Oldest first")


class PlanImplementationOut(Schema):
    plan_id: int
    version: int
    strategies: list[StrategyStatusOut]


def _review(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "strategy_id": r.strategy_id,
        "on": r.on,
        "status": r.status,
        "evidence": r.evidence,
        "checkpoint_id": r.checkpoint_id,
        "has_file": bool(r.evidence_file),
    }


@router.get(
    "/plans/{int:plan_id}/implementation",
    response=answers(PlanImplementationOut, 403, 404),
    url_name="api_implementation_plan",
    summary="Each strategy of a plan: its implementation status and review history",
)
@service_errors
def plan_implementation(
    request: HttpRequest, plan_id: int = id_in_path("The plan's id")
) -> dict[str, Any]:
    plan, _rights = selectors.get_plan_for_user(request.user, plan_id)
    lines = impl.strategy_lines(plan)
    reviews = impl.plan_reviews(plan)
    return {
        "plan_id": plan.pk,
        "version": plan.version,
        "strategies": [
            {
                "strategy_id": line.strategy.pk,
                "goal_number": line.goal_number,
                "action": line.strategy.action,
                "status": line.status,
                "last_reviewed": line.last_review.on if line.last_review else None,
                "reviews": [_review(r) for r in reviews.get(line.strategy.pk, [])],
            }
            for line in lines
        ],
    }


class ReviewIn(Schema):
    version: int = Field(ge=1, le=2**31 - 1, description="The plan version the caller last read")
    status: Implementation
    evidence: str = Field(max_length=10000, pattern=SOME_TEXT, description="What shows the status")
    on: datetime.date | None = Field(None, description="The date of the evidence; today if empty")
    checkpoint_id: int | None = Field(None, ge=1, le=MAX_ID)


class ReviewCreatedOut(Schema):
    review: ReviewOut
    version: int


@router.post(
    "/plans/{int:plan_id}/strategies/{int:strategy_id}/reviews",
    response={
        201: ReviewCreatedOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ImplementationConflictOut,
        422: ValidationErrorOut,
    },
    url_name="api_implementation_review",
    summary="Record a dated review of a strategy (the plan's team)",
    description="409 when the plan changed since `version`; 400 when the review is refused.",
)
@service_errors
def review_create(
    request: HttpRequest,
    body: ReviewIn,
    plan_id: int = id_in_path("The plan's id"),
    strategy_id: int = id_in_path("The strategy's id"),
) -> Any:
    plan, _rights = selectors.get_plan_for_user(request.user, plan_id)
    strategy = impl.get_strategy(plan, strategy_id)
    checkpoint = impl.get_checkpoint(plan, body.checkpoint_id) if body.checkpoint_id else None
    review = services.strategy_review_record(
        strategy=strategy,
        user=request.user,
        seen=body.version,
        status=body.status,
        evidence=body.evidence,
        on=body.on,
        checkpoint=checkpoint,
    )
    plan.refresh_from_db(fields=["version"])
    return Status(201, {"review": _review(review), "version": plan.version})
