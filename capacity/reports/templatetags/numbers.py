"""Numbers as each language writes them: `percent` ("72.5%" / "72,5 %")."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils import translation

register = template.Library()


def percent_text(value: Any, decimals: Any = "-1") -> str:
    """A percentage in the current language: French puts a no-break space before the sign.

    `decimals` is floatformat's argument: "-1" shows one decimal only when there is one.
    """
    if value is None or value == "":
        return "—"
    number = floatformat(value, decimals)
    if number == "":
        return str(value)
    language = translation.get_language() or "en"
    return f"{number}\xa0%" if language.startswith("fr") else f"{number}%"


@register.filter
def percent(value: Any, decimals: Any = "-1") -> str:
    """{{ 72.5|percent }} -> "72.5%" in English, "72,5 %" in French; None -> "—"."""
    return percent_text(value, decimals)
