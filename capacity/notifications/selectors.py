"""Every read of notifications, always the reader's own: nobody reads another person's messages."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from capacity.notifications.models import Notification, Preference
from capacity.notifications.services import preference_of


def inbox(*, user: Any) -> QuerySet[Notification]:
    """The person's messages, unread first, newest first within each."""
    return Notification.objects.filter(recipient=user).order_by(
        F("read_at").asc(nulls_first=True), "-created", "-id"
    )


def unread_count(*, user: Any) -> int:
    """How many messages the person has not read (one COUNT on the recipient/read index)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def recent(*, user: Any, limit: int = 5) -> list[Notification]:
    """The person's latest unread messages (for the home page), newest first."""
    return list(
        Notification.objects.filter(recipient=user, read_at__isnull=True).order_by(
            "-created", "-id"
        )[:limit]
    )


def get_notification_for_user(*, user: Any, pk: int) -> Notification:
    """The person's own message; another person's is 404, as if it did not exist."""
    return get_object_or_404(Notification, pk=pk, recipient=user)


def preference_for(*, user: Any) -> Preference:
    return preference_of(user)
