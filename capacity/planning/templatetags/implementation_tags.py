"""The plan page's implementation panel: `{% load implementation_tags %}{% implementation_panel %}`
(one line in planning/plan_detail.html, so the plan's own view and template stay as they are)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from capacity.directory import access
from capacity.planning import selectors_implementation as impl
from capacity.planning.progress import school_year_of

register = template.Library()


@register.inclusion_tag("planning/implementation/_plan_panel.html", takes_context=True)
def implementation_panel(context: template.Context) -> dict[str, Any]:
    """Each strategy's status and last review, each checkpoint with how many strategies were not
    reviewed at it, and a link to the school's indicators for those who read them."""
    plan = context["plan"]
    user = context["request"].user
    lines = impl.strategy_lines(plan)
    current = plan.school_year >= school_year_of(timezone.localdate())
    return {
        "plan": plan,
        "lines": lines,
        "checkpoints": impl.checkpoints_with_unreviewed(plan) if lines else [],
        "indicators": bool(plan.school_id and access.can_read_implementation(user, plan.school)),
        # An earlier year's indicators as they stood at its end (June).
        "month": "" if current else f"{int(plan.school_year[:4]) + 1}-06",
    }


@register.inclusion_tag("planning/implementation/_plan_pdf.html")
def implementation_pdf(plan: Any) -> dict[str, Any]:
    """The PDF's part: each strategy's status and its reviews, oldest first (no links)."""
    reviews = impl.plan_reviews(plan)
    return {
        "plan": plan,
        "lines": [(line, reviews.get(line.strategy.pk, [])) for line in impl.strategy_lines(plan)],
    }


@register.inclusion_tag("planning/implementation/_checkpoint_note.html")
def implementation_checkpoint_note(plan: Any, checkpoint: Any) -> dict[str, Any]:
    """On the form that records a checkpoint: the strategies not reviewed at it, and where to."""
    return {
        "plan": plan,
        "checkpoint": checkpoint,
        "unreviewed": impl.checkpoint_unreviewed(checkpoint),
    }
