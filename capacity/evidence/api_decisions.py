"""API for identification proposals a ministry officer confirms or sets aside."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["evidence"])
