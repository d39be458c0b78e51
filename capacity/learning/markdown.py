"""Markdown to HTML for the library's texts, safe for text people type in drafts.

CommonMark with tables, raw HTML off (it is shown as text, so a draft cannot carry a
script), and markdown-it's own link check (no `javascript:` or `data:` links). Headings
in a section's text are moved two levels down: the page's title is h1 and each section's
heading h2, so the outline stays right for screen readers.
"""

from __future__ import annotations

from functools import cache

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def render(text: str) -> SafeString:
    parser = _parser()
    tokens = parser.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"
    return mark_safe(parser.renderer.render(tokens, parser.options, {}))  # noqa: S308 - escaped by markdown-it (html off)


def plain(text: str) -> str:
    """The text without Markdown marks (search indexes and PDFs' summaries)."""
    parser = _parser()
    out: list[str] = []
    for token in parser.parse(text or ""):
        if token.type == "inline":
            out.append(
                "".join(
                    child.content
                    for child in token.children or []
                    if child.type in ("text", "code_inline")
                )
            )
    return "\n".join(part for part in out if part)
