"""API for year close goal by goal, the marker-student log and pedagogical documentation."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["planning"])
