"""Pages for schools that beat the odds over several years, and partners for identified schools
(issue 13).
"""

from __future__ import annotations

from typing import Any

urlpatterns: list[Any] = []
