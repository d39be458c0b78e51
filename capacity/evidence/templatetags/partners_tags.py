"""The partners section other pages include with one line: an identified school's evidence page
(`{% school_partners school %}`) and its focused-intervention plan (`{% plan_partners_link plan %}`).
Each reads the person from the request and shows nothing to someone who may not see partners."""

from __future__ import annotations

from typing import Any

from django import template

from capacity.evidence.views_partners import partners_context

register = template.Library()


def _user(context: Any) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("evidence/partners/_partners.html", takes_context=True)
def school_partners(context: Any, school: Any) -> dict[str, Any]:
    return partners_context(_user(context), school)


@register.inclusion_tag("evidence/partners/_plan_link_body.html", takes_context=True)
def plan_partners_link(context: Any, plan: Any) -> dict[str, Any]:
    if not getattr(plan, "focused_intervention", False) or plan.school_id is None:
        return {"shown": None}
    return partners_context(_user(context), plan.school)
