"""Single plans and support requests for one reader, and list rows for the API.

Like `access.get_school_for_user`: an unknown object is a 404, an object
outside the reader's scope raises PermissionDenied. The lists themselves
come from `monitoring.plans_for` and `monitoring.requests_for`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404

from capacity.directory import access
from capacity.planning.models import Goal, Plan, SupportRequest, Target
from capacity.planning.monitoring import progress_by_target, requests_for
from capacity.planning.progress import MET, NO_DATA, OFF_TRACK, ON_TRACK, Progress


def get_plan_for_user(user: Any, pk: int) -> tuple[Plan, access.PlanRights]:
    """The plan and what the person may do with it; 404 when unknown, PermissionDenied when out of scope."""
    plan = get_object_or_404(Plan.objects.select_related("board", "school"), pk=pk)
    rights = access.plan_rights(user, plan)
    if not rights.read:
        raise PermissionDenied
    return plan, rights


def get_request_for_user(user: Any, pk: int) -> SupportRequest:
    """A support request the person may see; 404 when unknown, PermissionDenied when out of scope."""
    request = get_object_or_404(SupportRequest.objects.select_related("board", "school"), pk=pk)
    if not requests_for(user).filter(pk=pk).exists():
        raise PermissionDenied
    return request


@dataclass
class PlanSummary:
    plan: Plan
    goals: int = 0
    targets: Counter[str] = field(default_factory=Counter)
    open_requests: int = 0

    def as_dict(self) -> dict[str, Any]:
        plan = self.plan
        return {
            "id": plan.pk, "kind": plan.kind,
            "school_number": plan.school.number if plan.school else None,
            "school_name": plan.school.name if plan.school else None,
            "board_number": plan.board.number, "board_name": plan.board.name,
            "school_year": plan.school_year, "title": plan.title, "stage": plan.stage, "review": plan.review,
            "focused_intervention": plan.focused_intervention, "version": plan.version, "goals": self.goals,
            "targets": {status: self.targets.get(status, 0) for status in (ON_TRACK, OFF_TRACK, MET, NO_DATA)},
            "open_support_requests": self.open_requests,
        }


def plan_summaries(plans: list[Plan]) -> list[PlanSummary]:
    """Goal count, targets by live progress and open support requests for each plan, in a few queries."""
    rows = {p.pk: PlanSummary(p) for p in plans}
    if not rows:
        return []
    for plan_id, n in Goal.objects.filter(plan__in=plans).values_list("plan_id").annotate(n=Count("id")):
        rows[plan_id].goals = n
    targets = list(Target.objects.filter(goal__plan__in=plans).select_related("goal__plan"))
    progress = progress_by_target(targets)
    for target in targets:
        rows[target.goal.plan_id].targets[progress[target.pk].status] += 1
    for plan_id, n in (SupportRequest.objects.filter(plan__in=plans, status=SupportRequest.Status.OPEN)
                       .values_list("plan_id").annotate(n=Count("id"))):
        rows[plan_id].open_requests = n
    return list(rows.values())


def plan_targets(plan: Plan) -> list[tuple[Target, Progress]]:
    """The plan's targets, goal by goal, with their live progress."""
    targets = list(Target.objects.filter(goal__plan=plan).select_related("goal__plan", "assessment")
                   .order_by("goal__position", "goal_id", "id"))
    progress = progress_by_target(targets)
    return [(t, progress[t.pk]) for t in targets]
