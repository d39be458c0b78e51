"""The plan page's year-close pieces: `{% load yearclose_tags %}{% yearclose_panel %}` (where
this year's goals came from and why; the year-close page; the school team's log and
documentation) and `{% yearclose_close_note %}` in the close-the-year form (which goals are still
undecided). One line each in planning/plan_detail.html, so the plan's view stays as it is."""

from __future__ import annotations

from typing import Any

from django import template

from capacity.directory import access
from capacity.planning import selectors_yearclose as yc
from capacity.planning.carry import undecided_goals
from capacity.planning.models import Stage

register = template.Library()


@register.inclusion_tag("planning/yearclose/_plan_panel.html", takes_context=True)
def yearclose_panel(context: template.Context) -> dict[str, Any]:
    plan = context["plan"]
    user = context["request"].user
    deciding = plan.stage in (Stage.REFLECT, Stage.CLOSED)
    return {
        "plan": plan,
        "deciding": deciding,
        "undecided": undecided_goals(plan) if plan.stage == Stage.REFLECT else [],
        "stopped": yc.stopped_goals(plan) if plan.stage == Stage.CLOSED else [],
        "origins": yc.carried_origins(plan),
        "records": access.may_keep_school_records(user, plan),
    }


@register.inclusion_tag("planning/yearclose/_close_note.html", takes_context=True)
def yearclose_close_note(context: template.Context) -> dict[str, Any]:
    plan = context["plan"]
    return {"plan": plan, "undecided": undecided_goals(plan)}


@register.filter
def file_name(name: str) -> str:
    """A stored file's own name, without its folders (plans/documentation/2026/chart.txt)."""
    return str(name).rsplit("/", 1)[-1]
