from __future__ import annotations

from typing import Any

from django import template

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
