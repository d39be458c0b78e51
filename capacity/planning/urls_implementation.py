"""Pages for strategies' implementation status with dated evidence, and leading indicators rolled
up (issue 13).
"""

from __future__ import annotations

from typing import Any

urlpatterns: list[Any] = []
