"""API for year close goal by goal: a plan's decisions, and a decision posted by the plan's team.

Read by whoever reads the plan; written by the plan's team at Reflect through
`services_yearclose.goal_carry_decide`, with the plan version the caller read: 409 with the
current version when the plan moved on, 400 with the service's message when it refuses (not at
Reflect, no why, a refinement without wording). The marker-student log and pedagogical
documentation are the school team's only and are deliberately not in the API.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from capacity.api_common import SOME_TEXT, ErrorOut, ValidationErrorOut, answers, id_in_path
from capacity.planning import selectors
from capacity.planning import selectors_yearclose as yc
from capacity.planning import services_yearclose as services
from capacity.planning.api_errors import service_errors
from capacity.planning.models import CarryDecision, GoalCarry

router = Router(tags=["planning"])


class YearCloseConflictOut(Schema):
    detail: str
    version: int = Field(description="The plan's current version: reload it, then try again")


class YearCloseDecisionOut(Schema):
    id: int
    goal_id: int
    decision: CarryDecision
    statement: str = Field(description="Next year's wording when the goal goes on refined")
    why: str
    decided_at: datetime.datetime


class YearCloseGoalOut(Schema):
    goal_id: int
    goal_number: int
    statement: str
    decision: YearCloseDecisionOut | None = Field(
        description="The newest decision, the one that counts"
    )
    history: list[YearCloseDecisionOut] = Field(description="Earlier decisions, newest first")


class YearClosePlanOut(Schema):
    plan_id: int
    version: int
    stage: str
    undecided: int = Field(description="Goals with no decision yet; the year closes at 0")
    goals: list[YearCloseGoalOut]


def _decision(d: GoalCarry) -> dict[str, Any]:
    return {
        "id": d.pk,
        "goal_id": d.goal_id,
        "decision": d.decision,
        "statement": d.statement,
        "why": d.why,
        "decided_at": d.decided_at,
    }


@router.get(
    "/plans/{int:plan_id}/year-close",
    response=answers(YearClosePlanOut, 403, 404),
    url_name="api_yearclose_plan",
    summary="Each goal of a plan and the team's year-close decisions on it",
)
@service_errors
def plan_decisions(
    request: HttpRequest, plan_id: int = id_in_path("The plan's id")
) -> dict[str, Any]:
    plan, _rights = selectors.get_plan_for_user(request.user, plan_id)
    lines = yc.goal_lines(plan)
    return {
        "plan_id": plan.pk,
        "version": plan.version,
        "stage": plan.stage,
        "undecided": len([line for line in lines if line.decision is None]),
        "goals": [
            {
                "goal_id": line.goal.pk,
                "goal_number": line.number,
                "statement": line.goal.statement,
                "decision": _decision(line.decision) if line.decision else None,
                "history": [_decision(d) for d in line.history],
            }
            for line in lines
        ],
    }


class YearCloseDecisionIn(Schema):
    version: int = Field(ge=1, le=2**31 - 1, description="The plan version the caller last read")
    decision: CarryDecision
    why: str = Field(max_length=4000, pattern=SOME_TEXT, description="Why, in the team's words")
    statement: str = Field(
        "", max_length=2000, description="Next year's wording; required when refining"
    )


class YearCloseDecidedOut(Schema):
    decision: YearCloseDecisionOut
    version: int


@router.post(
    "/plans/{int:plan_id}/goals/{int:goal_id}/year-close",
    response={
        201: YearCloseDecidedOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: YearCloseConflictOut,
        422: ValidationErrorOut,
    },
    url_name="api_yearclose_decide",
    summary="Decide whether a goal goes into next year's plan, and why (the plan's team)",
    description="409 when the plan changed since `version`; 400 when the decision is refused.",
)
@service_errors
def decide(
    request: HttpRequest,
    body: YearCloseDecisionIn,
    plan_id: int = id_in_path("The plan's id"),
    goal_id: int = id_in_path("The goal's id"),
) -> Any:
    plan, _rights = selectors.get_plan_for_user(request.user, plan_id)
    goal = yc.get_goal(plan, goal_id)
    row = services.goal_carry_decide(
        plan=plan,
        goal=goal,
        user=request.user,
        seen=body.version,
        decision=body.decision,
        why=body.why,
        statement=body.statement,
    )
    plan.refresh_from_db(fields=["version"])
    return Status(201, {"decision": _decision(row), "version": plan.version})
