"""Pages for reciprocity as a ledger of the capacity given to schools (issue 13)."""

from __future__ import annotations

from typing import Any

urlpatterns: list[Any] = []
