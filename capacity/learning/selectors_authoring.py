"""Reads for writing and reviewing case studies, beside selectors.py's (scoped the same way)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from capacity.directory import access
from capacity.learning.models import Item, State, Version
from capacity.learning.selectors import drafts_for


def working_version(item: Item) -> Version:
    """The item's working version as stored now (read afresh: a colleague may just have saved)."""
    assert item.current_id is not None, "a case study written in Capacity has a working version"
    return Version.objects.prefetch_related("texts").get(pk=item.current_id)


def needing_authors(user: Any) -> QuerySet[Item]:
    """Case studies the person may edit that wait for them: returned, or drafts not submitted.

    Returned ones first, then the longest untouched.
    """
    scope = access.scope_for(user)
    if scope.empty:
        return Item.objects.none()
    mine = (
        Q(created_by_id=user.pk)
        | Q(versions__created_by_id=user.pk)
        | Q(board_id__in=scope.led_board_ids)
    )
    return (
        drafts_for(user)
        .filter(mine, current__state__in=(State.RETURNED, State.DRAFT))
        .order_by("-current__state", "current__updated_at")
    )
