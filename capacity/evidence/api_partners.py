"""API for schools that beat the odds over several years, and partners for identified schools."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["evidence"])
