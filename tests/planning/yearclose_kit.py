"""Deciding a plan's goals for next year before its year closes (issue 13: nothing is carried by
default), for tests that close years."""

from __future__ import annotations

from typing import Any

from capacity.planning.models import CarryDecision, Plan
from capacity.planning.services_yearclose import goal_carry_decide


def decide_all(plan: Plan, user: Any, decision: str = CarryDecision.CARRY, **by_goal: str) -> None:
    """Decide every goal of `plan` (`decision`, or by_goal[statement] for a goal by its wording)."""
    for goal in plan.goals.order_by("position", "id"):
        plan.refresh_from_db(fields=["version"])
        goal_carry_decide(
            plan=plan,
            goal=goal,
            user=user,
            seen=plan.version,
            decision=by_goal.get(goal.statement, decision),
            why="Decided in a test",
        )
