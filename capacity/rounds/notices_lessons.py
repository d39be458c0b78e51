"""The rounds app's messages: lessons. Registered from RoundsConfig.ready."""

from __future__ import annotations


def register_kinds() -> None:
    return None
