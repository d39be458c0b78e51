from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

from capacity.evidence import labels
from capacity.evidence.analytics.policy import Policy, PolicyError, parse_policy
from capacity.evidence.models import Policy as PolicyRow

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """mapping[key] in a template, or None."""
    if not hasattr(mapping, "get"):
        return None
    return mapping.get(key)


@register.filter
def absolute(value: Any) -> Any:
    """The size of a number without its sign."""
    try:
        return abs(value)
    except TypeError:
        return value


@register.filter
def assessment_name(code: Any) -> str:
    """An assessment code ("G3-READ") as its name in the viewer's language."""
    return labels.assessment_name(str(code)) if code is not None else ""


@register.filter
def group_name(code: Any) -> str:
    """A student group code ("ell") as its name in the viewer's language."""
    return labels.group_name(None if code is None else str(code))


def _as_policy(policy: Any) -> Policy | None:
    """A parsed policy from either the parsed form or a stored row (its TOML text)."""
    if isinstance(policy, Policy):
        return policy
    if isinstance(policy, PolicyRow):
        try:
            return parse_policy(policy.definition, source=str(policy))
        except PolicyError:
            return None
    return None


@register.filter
def policy_title(policy: Any) -> str:
    """A policy's title in the viewer's language (policy files give English and French)."""
    parsed = _as_policy(policy)
    if parsed is None:
        return str(getattr(policy, "title", policy))
    return parsed.title_in(translation.get_language() or "en")


@register.filter
def proposal_policy_title(proposal: Any) -> str:
    """The policy an identification proposal was made under, in the viewer's language (the
    proposal keeps the English title; its stored policy version gives the French)."""
    row = PolicyRow.objects.filter(
        name=proposal.policy_name, version=proposal.policy_version
    ).first()
    if row is None:
        return str(proposal.policy_title or proposal.policy_label)
    return policy_title(row)


@register.filter
def policy_description(policy: Any) -> str:
    """A policy's description in the viewer's language."""
    parsed = _as_policy(policy)
    return parsed.description_in(translation.get_language() or "en") if parsed else ""


@register.filter
def category_title(name: Any, policy: Any) -> str:
    """An identification category's title ("intensive") in the viewer's language."""
    parsed = _as_policy(policy)
    if parsed is None:
        return "" if name is None else str(name)
    return parsed.category_title(
        None if name is None else str(name), translation.get_language() or "en"
    )
