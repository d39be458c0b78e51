"""Helpers for the notification tests: run the services' after-commit messages, read who got what."""

from __future__ import annotations

import pytest

from capacity.notifications.models import Notification


def received(kind: str | None = None) -> set[str]:
    """Usernames that have a message (of `kind`)."""
    rows = Notification.objects.all()
    if kind is not None:
        rows = rows.filter(kind=kind)
    return set(rows.values_list("recipient__username", flat=True))


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the services send after commit, as a real request's commit would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run
