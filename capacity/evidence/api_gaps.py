"""API for gaps against the other students, gap trends, the context gap and cohorts."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["evidence"])
