"""API for strategies' implementation status with dated evidence, and leading indicators rolled up."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["planning"])
