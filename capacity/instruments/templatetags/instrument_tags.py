"""Template filters for the instruments' pages."""

from __future__ import annotations

from django import template

from capacity.directory.models import Role

register = template.Library()


@register.filter
def role_name(code: str) -> str:
    """A role's name in the reader's language (never its code)."""
    return str(Role(code).label) if code in Role.values else code
