"""The header's count of unread messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from capacity.notifications import selectors


def unread(request: HttpRequest) -> dict[str, Any]:
    """A callable, so the one COUNT query runs only when a template shows the count (base.html does)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count: Callable[[], int] = lambda: selectors.unread_count(user=user)  # noqa: E731
    return {"unread_messages": count}
