"""Pages for identification proposals a ministry officer confirms or sets aside (issue 13)."""

from __future__ import annotations

from typing import Any

urlpatterns: list[Any] = []
