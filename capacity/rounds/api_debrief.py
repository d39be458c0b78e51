"""The rounds app's API: debrief (capacity/rounds/api.py joins the parts)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["rounds"])
