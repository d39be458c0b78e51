"""Template filters for the learning library's pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from capacity.learning import markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """A section's Markdown as HTML (raw HTML in it shown as text)."""
    return markdown.render(text)


@register.filter
def text_in_language(version: Any) -> Any:
    """A version's text in the reader's language, else its other language."""
    if version is None:
        return None
    return version.text((get_language() or "en")[:2])
