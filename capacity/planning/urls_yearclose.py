"""Pages for year close goal by goal, the marker-student log and pedagogical documentation (issue
13).
"""

from __future__ import annotations

from typing import Any

urlpatterns: list[Any] = []
