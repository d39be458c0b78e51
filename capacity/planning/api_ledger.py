"""API for reciprocity as a ledger of the capacity given to schools."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["planning"])
