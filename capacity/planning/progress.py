"""Where a target stands, computed live from the evidence (or from the team's dated entries).

A target runs in a straight line from its baseline (year and value) to its
target (year and value). The latest measured value after the baseline year
is compared with that line at its own year:

* met: the target year has a value at or above the target;
* on track: the latest value is at or above the line;
* off track: below the line;
* no data: nothing measured after the baseline yet.

School plans read the school's results; board plans the board's results,
weighted by participating students where known (the rollup rule in
docs/analytics.md). Nothing is stored: a results import moves every target
the next time it is read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from capacity.evidence.analytics.schema import school_year_label, year_start_of
from capacity.evidence.models import Result
from capacity.planning.models import Target

MET = "met"
ON_TRACK = "on_track"
OFF_TRACK = "off_track"
NO_DATA = "no_data"

LABELS = {
    MET: _("Met"),
    ON_TRACK: _("On track"),
    OFF_TRACK: _("Off track"),
    NO_DATA: _("No data yet"),
}


def school_year_of(day: datetime.date) -> str:
    """Ontario's school year runs September to August."""
    return school_year_label(day.year if day.month >= 9 else day.year - 1)


@dataclass(frozen=True)
class Progress:
    status: str
    latest_year: str | None = None
    latest_value: float | None = None
    expected: float | None = None  # where the line from baseline to target is in the latest year

    @property
    def label(self) -> Any:
        return LABELS[self.status]

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "latest_year": self.latest_year, "latest_value": self.latest_value,
                "expected": self.expected}


def measured_values(target: Target) -> dict[str, float]:
    """{school year: value} for the target's measure."""
    if target.measure == Target.Measure.CUSTOM:
        values: dict[str, float] = {}
        for entry in target.entries.order_by("on", "id"):
            values[school_year_of(entry.on)] = entry.value  # the last entry of a year stands for it
        return values
    plan = target.goal.plan
    if target.assessment_id is None:
        return {}
    rows = Result.objects.filter(assessment_id=target.assessment_id, group=target.group,
                                 pct_at_standard__isnull=False)
    if plan.school_id is not None:
        pairs = rows.filter(school_id=plan.school_id).values_list("school_year", "pct_at_standard")
        return {year: value for year, value in pairs if value is not None}
    known = Q(participating__gt=0)
    per_year = (
        rows.filter(school__board_id=plan.board_id)
        .values("school_year")
        .annotate(
            weighted=Sum(F("participating") * F("pct_at_standard"), filter=known),
            students=Sum("participating", filter=known),
            plain=Avg("pct_at_standard"),
            n=Count("id"),
        )
    )
    return {
        row["school_year"]: round(row["weighted"] / row["students"], 1) if row["students"] else round(row["plain"], 1)
        for row in per_year
    }


def target_progress(target: Target, values: dict[str, float] | None = None) -> Progress:
    values = measured_values(target) if values is None else values
    baseline_year = target.baseline_year or None
    after = sorted((y for y in values if baseline_year is None or y > baseline_year), key=year_start_of)
    if not after:
        return Progress(NO_DATA)
    latest = after[-1]
    value = values[latest]
    if target.target_year in values and values[target.target_year] >= target.target_value:
        return Progress(MET, latest, value, target.target_value)
    if year_start_of(latest) >= year_start_of(target.target_year) or baseline_year is None or target.baseline_value is None:
        expected = target.target_value
    else:
        span = year_start_of(target.target_year) - year_start_of(baseline_year)
        share = (year_start_of(latest) - year_start_of(baseline_year)) / span if span > 0 else 1.0
        expected = target.baseline_value + share * (target.target_value - target.baseline_value)
    status = ON_TRACK if value >= expected else OFF_TRACK
    if year_start_of(latest) >= year_start_of(target.target_year) and value >= target.target_value:
        status = MET
    return Progress(status, latest, value, round(expected, 1))
