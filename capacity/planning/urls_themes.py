"""Pages for the OFIP themes and lessons on goals, strategies and co-reflections; challenging
circumstances; the ministry's tasks; timelines' dates (issue 13).
"""

from __future__ import annotations

from typing import Any

urlpatterns: list[Any] = []
