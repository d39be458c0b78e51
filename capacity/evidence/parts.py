"""Rendered parts of the evidence pages, kept under the data version (capacity/fragments.py).

The province page is the same for everyone who may read it, so its body is rendered
once per data version, disclosure rule, policy, year and language. The view reads it
here, and the worker renders it ahead after an import (warming.py), so that a first
visit costs what a second does.
"""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString

from capacity import fragments
from capacity.evidence import charts, selectors, tables
from capacity.evidence.analytics.policy import Policy
from capacity.evidence.privacy import rule


def province_body(policy: Policy, year: str | None, years: list[str]) -> SafeString:
    """The province evidence page's body in the active language."""

    def figures() -> dict[str, Any]:
        context: dict[str, Any] = {
            "policy": policy,
            "year": year,
            "years": years,
            "policies": selectors.policy_rows(),
        }
        if year is not None:
            over_time = selectors.province_over_time(policy)
            found = selectors.province_identification(policy, year)
            context |= {
                "over_time": over_time,
                "found": found,
                "counts": found.counts(),
                "chart": charts.province_chart(policy),
                "movement": tables.movement_rows(over_time),
                "by_board": tables.board_rows(over_time, year),
                "elementary_schools": selectors.elementary_school_count(),
            }
        return context

    # Everyone who may read the province reads the same page: kept once per version.
    version = (selectors.data_version(), rule().digest, repr(policy), year, years)
    return fragments.rendered("province", version, "evidence/_province_body.html", figures)
