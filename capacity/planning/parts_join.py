"""The planning app's parts added for the focused-intervention loop (issue 13), one module per
part (implementation, themes, yearclose, ledger): their pages, home items, API routers and demo steps, joined here so
that parts built side by side never edit one file."""

from __future__ import annotations

from typing import Any

from capacity.homeitems import HomeSection
from capacity.planning import (
    api_implementation,
    api_ledger,
    api_themes,
    api_yearclose,
    demo_implementation,
    demo_ledger,
    demo_themes,
    demo_yearclose,
    home_implementation,
    home_ledger,
    home_themes,
    home_yearclose,
    urls_implementation,
    urls_ledger,
    urls_themes,
    urls_yearclose,
)

urlpatterns: list[Any] = [
    *urls_implementation.urlpatterns,
    *urls_themes.urlpatterns,
    *urls_yearclose.urlpatterns,
    *urls_ledger.urlpatterns,
]

ROUTERS = (api_implementation.router, api_themes.router, api_yearclose.router, api_ledger.router)


def sections(user: Any) -> list[HomeSection]:
    return [
        *home_implementation.sections(user),
        *home_themes.sections(user),
        *home_yearclose.sections(user),
        *home_ledger.sections(user),
    ]


def build_demo(*, seed: int) -> dict[str, int]:
    """Counts of what each part's demo built."""
    counts: dict[str, int] = {}
    for part in (demo_implementation, demo_themes, demo_yearclose, demo_ledger):
        counts.update(part.build(seed=seed))
    return counts
