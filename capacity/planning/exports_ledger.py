"""The ledger as tables (CSV or XLSX through capacity/reports/tables.py): one row per board, per
school or per entry, the same figures the pages show."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from capacity.planning.models import CapacityGift
from capacity.planning.selectors_ledger import Line


def line_header(place: str) -> list[str]:
    """`place`: the first column's heading (Board or School)."""
    return [
        place,
        _("Number"),
        _("School year"),
        _("Focused-intervention plans"),
        _("Targets set"),
        _("Support requests"),
        _("Sent on to the ministry"),
        _("Requests still open"),
        _("Requests given capacity"),
        _("Median days from request to first capacity"),
        # Each kind's label names its unit (release days, coaching hours, ..., funding in dollars).
        *(str(label) for _k, label in CapacityGift.Kind.choices),
        _("Entries of capacity given"),
        *(str(label) for _k, label in CapacityGift.Helped.choices),
        _("Waiting for an answer"),
    ]


def line_rows(lines: Iterable[Line], year: str) -> Iterator[list[Any]]:
    for line in lines:
        yield [
            line.label,
            line.number,
            year,
            line.focused_plans,
            line.targets,
            line.requests,
            line.escalated,
            line.open_requests,
            line.met,
            line.median_days if line.median_days is not None else "",
            *(_plain(line.given_of(k)) for k in CapacityGift.Kind.values),
            line.entries,
            *(line.helped.get(h, 0) for h in CapacityGift.Helped.values),
            line.waiting,
        ]


def _plain(amount: Any) -> Any:
    """A total as a number a spreadsheet reads (no trailing zeros, an integer when whole)."""
    value = amount.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def gift_header() -> list[str]:
    return [
        _("Given on"),
        _("Board"),
        _("School"),
        _("Given by"),
        _("Kind of capacity"),
        _("Amount"),
        _("In answer to request"),
        _("Note"),
        _("Did it help?"),
        _("Comment"),
    ]


def gift_rows(gifts: Iterable[CapacityGift]) -> Iterator[list[Any]]:
    for gift in gifts:
        yield [
            gift.given_on.isoformat(),
            gift.board.name,
            gift.school.name if gift.school is not None else "",
            gift.get_given_by_display(),
            gift.get_kind_display(),
            _plain(gift.amount),
            gift.request_id or "",
            gift.note,
            gift.get_helped_display() if gift.helped else _("No answer yet"),
            gift.helped_comment,
        ]
