"""Building blocks for the ledger's tests: requests dated in the past, capacity given, plans with targets."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from capacity.planning import services, services_ledger
from capacity.planning.models import CapacityGift, Goal, Plan, SupportRequest, Target

YEAR = "2025-26"


def on(day: str) -> datetime.date:
    return datetime.date.fromisoformat(day)


def ask(
    w: Any,
    *,
    school: Any = None,
    day: str = "2025-10-01",
    tried: str = "ledger: tried",
    who: str = "",
) -> SupportRequest:
    """A request from `school` (A1 by default, by its principal) dated `day`."""
    school = school or w.school_a1
    who = who or ("principal_b1" if school == w.school_b1 else "principal_a1")
    request = services.support_request_create(
        user=w.personas[who], school=school, tried=tried, needs=["people"]
    )
    asked = datetime.datetime.combine(
        on(day), datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    SupportRequest.objects.filter(pk=request.pk).update(requested_at=asked)
    request.refresh_from_db()
    return request


def give(
    w: Any,
    *,
    by: str = "board_a",
    school: Any = None,
    board: Any = None,
    kind: str = CapacityGift.Kind.COACHING_HOURS,
    amount: str = "6",
    day: str = "2025-10-15",
    request: SupportRequest | None = None,
    note: str = "",
) -> CapacityGift:
    if board is None and school is None:
        school = w.school_a1
    return services_ledger.capacity_give(
        user=w.personas[by],
        school=school,
        board=board,
        kind=kind,
        amount=Decimal(amount),
        given_on=on(day),
        request=request,
        note=note,
    )


def focused_plan(w: Any, *, school: Any = None, targets: int = 2, year: str = YEAR) -> Plan:
    """A focused-intervention plan of `school` for `year` with `targets` custom targets."""
    school = school or w.school_a1
    who = "principal_b1" if school == w.school_b1 else "principal_a1"
    plan = services.plan_create(user=w.personas[who], school=school, school_year=year)
    Plan.objects.filter(pk=plan.pk).update(focused_intervention=True)
    goal = Goal.objects.create(plan=plan, statement="ledger: more students read fluently")
    for n in range(targets):
        Target.objects.create(
            goal=goal,
            measure=Target.Measure.CUSTOM,
            description=f"ledger: running records {n}",
            target_value=80,
        )
    plan.refresh_from_db()
    return plan
