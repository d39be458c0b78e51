"""The leading indicators as a table (one row source for CSV and XLSX, through
`reports.tables`, whose CSV writer neutralises formulas)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from capacity.planning.indicators_implementation import Indicators
from capacity.planning.models import Implementation
from capacity.planning.selectors_implementation import Rollup


def _count_header() -> list[str]:
    return [
        _("Strategies"),
        *[str(label) for _value, label in Implementation.choices],
        _("Reviewed in the month"),
        _("Never reviewed"),
        _("Checkpoints done"),
        _("Checkpoints overdue"),
        _("Checkpoints due within 30 days"),
        _("Custom measures at or above target"),
        _("Custom measures below target"),
        _("Custom measures without a value"),
    ]


def _counts(i: Indicators) -> list[int]:
    return [
        i.strategies,
        *i.by_status,
        i.reviewed_in_month,
        i.never_reviewed,
        i.checkpoints_done,
        i.checkpoints_overdue,
        i.checkpoints_due,
        i.targets_reached,
        i.targets_below,
        i.targets_no_value,
    ]


def board_header() -> list[str]:
    return [
        _("Month"),
        _("School year"),
        _("School number"),
        _("School"),
        _("Focused intervention"),
        _("Last review"),
        *_count_header(),
    ]


def board_rows(rollup: Rollup) -> Iterator[list[Any]]:
    month, year = rollup.window.month, rollup.school_year
    for row in rollup.rows:
        school = row.plan.school
        yield [
            month,
            year,
            school.number,
            school.name,
            _("Yes") if row.plan.focused_intervention else _("No"),
            row.last_reviewed.isoformat() if row.last_reviewed else "",
            *_counts(row.indicators),
        ]
    yield [month, year, "", _("All schools of the board"), "", "", *_counts(rollup.totals)]


def province_header() -> list[str]:
    return [
        _("Month"),
        _("School year"),
        _("Board number"),
        _("Board"),
        _("School plans"),
        _("Last review"),
        *_count_header(),
    ]


def province_rows(rollup: Rollup) -> Iterator[list[Any]]:
    month, year = rollup.window.month, rollup.school_year
    for row in rollup.rows:
        yield [
            month,
            year,
            row.board.number,
            row.board.name,
            row.plans,
            row.last_reviewed.isoformat() if row.last_reviewed else "",
            *_counts(row.indicators),
        ]
    yield [
        month,
        year,
        "",
        _("Province"),
        sum(r.plans for r in rollup.rows),
        "",
        *_counts(rollup.totals),
    ]
