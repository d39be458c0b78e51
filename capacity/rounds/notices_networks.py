"""The rounds app's messages: networks. Registered from RoundsConfig.ready."""

from __future__ import annotations


def register_kinds() -> None:
    return None
