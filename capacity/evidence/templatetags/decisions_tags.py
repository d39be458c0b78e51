"""The decision history a school's evidence page includes with one line:
`{% load decisions_tags %}{% school_decisions school %}`. It reads the person from the request
and shows only the decisions they may read (nothing at all to someone who reads none)."""

from __future__ import annotations

from typing import Any

from django import template

from capacity.directory import access
from capacity.evidence import selectors_decisions

register = template.Library()


@register.inclusion_tag("evidence/decisions/_school_history.html", takes_context=True)
def school_decisions(context: Any, school: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not access.can_read_identification_decisions(user):
        return {"shown": False}
    history = selectors_decisions.school_history(user, school)
    return {"shown": True, "history": history, "may_open": bool(history)}
