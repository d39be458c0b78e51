"""Which goals go into next year's plan: each goal's newest year-close decision.

Its own module so that closing a year (services.plan_year_close) and deciding goals
(services_yearclose) read the decisions the same way without importing each other.
"""

from __future__ import annotations

from capacity.planning.models import Goal, GoalCarry, Plan


def latest_decisions(plan: Plan) -> dict[int, GoalCarry]:
    """Each goal's newest year-close decision (goals with none are absent). One query."""
    found: dict[int, GoalCarry] = {}
    for row in GoalCarry.objects.filter(goal__plan=plan).order_by("goal_id", "-decided_at", "-id"):
        found.setdefault(row.goal_id, row)
    return found


def undecided_goals(plan: Plan) -> list[Goal]:
    decided = latest_decisions(plan)
    return [g for g in plan.goals.order_by("position", "id") if g.pk not in decided]
