"""`{% may_run_sessions as flag %}`: whether the person reading may run a module session
(the module page offers "Run this module" to them)."""

from __future__ import annotations

from typing import Any

from django import template

from capacity.learning.selectors_sessions import may_run_sessions as _may_run

register = template.Library()


@register.simple_tag(takes_context=True)
def may_run_sessions(context: dict[str, Any]) -> bool:
    request = context.get("request")
    return request is not None and _may_run(request.user)
