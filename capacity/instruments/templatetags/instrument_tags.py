"""Template filters for the instruments' pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from capacity.directory.models import Role

register = template.Library()


@register.filter
def role_name(code: str) -> str:
    """A role's name in the reader's language (never its code)."""
    return str(Role(code).label) if code in Role.values else code


@register.filter
def round_about(round_: Any) -> str:
    """What the round is about in the reader's language ("" when its opener set nothing)."""
    return str(round_.about_in(get_language() or "en")) if round_ is not None else ""
