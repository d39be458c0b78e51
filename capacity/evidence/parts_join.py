"""The evidence app's parts added for the focused-intervention loop (issue 13), one module per
part (decisions, partners, gaps, students): their pages, home items, API routers and demo steps, joined here so
that parts built side by side never edit one file."""

from __future__ import annotations

from typing import Any

from capacity.evidence import (
    api_decisions,
    api_gaps,
    api_partners,
    api_students,
    demo_decisions,
    demo_gaps,
    demo_partners,
    demo_students,
    home_decisions,
    home_gaps,
    home_partners,
    home_students,
    urls_decisions,
    urls_gaps,
    urls_partners,
    urls_students,
)
from capacity.homeitems import HomeSection

urlpatterns: list[Any] = [
    *urls_decisions.urlpatterns,
    *urls_partners.urlpatterns,
    *urls_gaps.urlpatterns,
    *urls_students.urlpatterns,
]

ROUTERS = (api_decisions.router, api_partners.router, api_gaps.router, api_students.router)


def sections(user: Any) -> list[HomeSection]:
    return [
        *home_decisions.sections(user),
        *home_partners.sections(user),
        *home_gaps.sections(user),
        *home_students.sections(user),
    ]


def build_demo(*, seed: int) -> dict[str, int]:
    """Counts of what each part's demo built."""
    counts: dict[str, int] = {}
    for part in (demo_decisions, demo_partners, demo_gaps, demo_students):
        counts.update(part.build(seed=seed))
    return counts
