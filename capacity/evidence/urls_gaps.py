"""Pages for gaps against the other students, gap trends, the context gap and cohorts (issue 13)."""

from __future__ import annotations

from typing import Any

urlpatterns: list[Any] = []
