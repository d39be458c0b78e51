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
