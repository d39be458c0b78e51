"""The demo's the OFIP themes and lessons on goals, strategies and co-reflections; challenging
circumstances; the ministry's tasks; timelines' dates, built through the services.
"""

from __future__ import annotations


def build(*, seed: int) -> dict[str, int]:
    return {}
