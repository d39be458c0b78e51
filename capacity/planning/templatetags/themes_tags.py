"""The plan page's themes panel: `{% load themes_tags %}{% themes_panel %}` (one line in
planning/plan_detail.html): the timeline's dates the plan has let pass, how many of its parts
name a lesson, and links to tag them and to the challenging circumstances (school plans)."""

from __future__ import annotations

from typing import Any

from django import template

from capacity.planning import selectors_themes

register = template.Library()


@register.inclusion_tag("planning/themes/_plan_panel.html", takes_context=True)
def themes_panel(context: template.Context) -> dict[str, Any]:
    plan = context["plan"]
    return {
        "plan": plan,
        "late": selectors_themes.lateness([plan])[plan.pk],
        "tagged": selectors_themes.tagged_count(plan),
    }
