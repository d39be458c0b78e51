"""The rounds app's messages: debrief. Registered from RoundsConfig.ready."""

from __future__ import annotations


def register_kinds() -> None:
    return None
