"""API for the OFIP themes and lessons on goals, strategies and co-reflections; challenging
circumstances; the ministry's tasks; timelines' dates.
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["planning"])
