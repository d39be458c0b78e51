"""The learning library's demo: the starter content, and work in progress through the services.

`build_demo_library` is called by `capacity demo` after the plans and survey rounds.
"""

from __future__ import annotations

from capacity.learning import services


def build_demo_library(*, seed: int) -> dict[str, int]:
    """Load the starter modules and case studies; returns counts for the demo's summary."""
    report = services.load_shipped()
    counts = {"items": len(report.created) + len(report.updated) + len(report.unchanged)}
    return counts
