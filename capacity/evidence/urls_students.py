"""Pages for student-level results aggregated on import into school results by group (issue 13)."""

from __future__ import annotations

from typing import Any

urlpatterns: list[Any] = []
