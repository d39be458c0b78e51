"""API for student-level results aggregated on import into school results by group."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["evidence"])
