"""Writes for the OFIP themes and lessons and for challenging circumstances (issue 13).

* A plan's team tags its goals and strategies with lessons for all schools; the edit names
  the plan version the person saw, like every edit of a plan's parts (planning.services).
* The system side (ministry or board staff who review the plan) tags its co-reflections;
  two reviewers tagging one co-reflection are told when the tags changed under them.
* A team picks a school strategy paired with a challenging circumstance (or writes its own):
  it becomes a plan strategy through planning's `strategy_add`, tagged with the circumstance.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from capacity.planning import services
from capacity.planning.models import CoReflection, Goal, Plan, Strategy
from capacity.planning.themes import CIRCUMSTANCES_BY_CODE, unknown_lessons


class StaleTags(Exception):
    """Someone else changed a co-reflection's lessons since the person loaded them."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this co-reflection's lessons since you opened the page: "
                "look at them again and save your choice."
            )
        )


def _clean_lessons(lessons: list[str]) -> list[str]:
    unknown = unknown_lessons(lessons)
    if unknown:
        raise ValidationError(
            {"lessons": _("Unknown lesson: %(names)s.") % {"names": ", ".join(unknown)}}
        )
    return sorted(set(lessons), key=lessons.index)


@transaction.atomic
def lessons_tag(
    *, item: Goal | Strategy, user: Any, seen: int, lessons: list[str]
) -> Goal | Strategy:
    """Tag a goal or a strategy of a plan with lessons for all schools (the plan's team)."""
    plan = item.plan if isinstance(item, Goal) else item.goal.plan
    plan.refresh_from_db(fields=["stage", "review", "version"])  # decide on the stored plan
    services._require_team(user, plan)
    services._require_editable(plan)
    changed = services._apply(item, {"lessons": _clean_lessons(lessons)}, {"lessons"})
    if changed:
        item.save(update_fields=["lessons"])
        services._edit(
            plan, user, seen, f"{type(item).__name__.lower()}_changed", str(item), changed
        )
    return item


@transaction.atomic
def coreflection_tag(
    *, coreflection: CoReflection, user: Any, seen: list[str], lessons: list[str]
) -> CoReflection:
    """Tag a co-reflection with lessons: the plan's reviewers (ministry or board staff) do.

    `seen` is the co-reflection's lessons as the person loaded them; if they changed since,
    StaleTags is raised and nothing is saved.
    """
    plan = coreflection.plan
    plan.refresh_from_db(fields=["stage", "review", "version"])
    if not services._rights(user, plan).review:
        raise PermissionDenied
    services._require_open(plan)
    lessons = _clean_lessons(lessons)
    current = CoReflection.objects.select_for_update().get(pk=coreflection.pk)
    if sorted(current.lessons or []) != sorted(seen):
        coreflection.refresh_from_db()
        raise StaleTags
    if sorted(current.lessons or []) == sorted(lessons):
        return coreflection
    before = list(current.lessons or [])
    coreflection.lessons = lessons
    coreflection.full_clean()
    coreflection.save(update_fields=["lessons"])
    services._log(
        plan,
        user,
        "coreflection_tagged",
        coreflection.themes,
        {"lessons": [before, lessons]},
    )
    return coreflection


@transaction.atomic
def circumstance_strategy_add(
    *,
    goal: Goal,
    user: Any,
    seen: int,
    circumstance: str,
    action: str,
    responsible: str,
    lessons: list[str] | None = None,
) -> Strategy:
    """A school strategy answering a challenging circumstance, added to one of the plan's goals.

    `action` is one of the circumstance's example strategies or the team's own words. The
    strategy is made by planning's `strategy_add` (rights, the plan's version, its history)
    and then carries the circumstance.
    """
    if circumstance not in CIRCUMSTANCES_BY_CODE:
        raise ValidationError({"circumstance": _("Choose one of the challenging circumstances.")})
    plan: Plan = goal.plan
    plan.refresh_from_db(fields=["stage", "review", "version"])
    if plan.school_id is None:
        raise ValidationError(
            {"circumstance": _("Challenging circumstances belong to a school's plan.")}
        )
    strategy = services.strategy_add(
        goal=goal, user=user, seen=seen, action=action, responsible=responsible
    )
    strategy.circumstance = circumstance
    strategy.lessons = _clean_lessons(lessons or [])
    strategy.full_clean()
    strategy.save(update_fields=["circumstance", "lessons"])
    services._log(
        plan,
        user,
        "strategy_changed",
        str(strategy),
        {"circumstance": ["", circumstance], "lessons": [[], strategy.lessons]},
    )
    return strategy
