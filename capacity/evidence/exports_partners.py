"""The download of a list of schools that beat the odds over several years (CSV or XLSX through
`capacity/reports/tables.py`, which neutralises formulas), built from the same rows as the page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from capacity.evidence.analytics import existence
from capacity.evidence.analytics.schema import CONTEXT_INDICATORS
from capacity.evidence.wording_partners import INDICATOR_HEADS, beat_years, language_label


def stable_header(years: Sequence[str]) -> list[str]:
    header = [_("School number"), _("School"), _("Board number"), _("Board"), _("Language")]
    header += [str(INDICATOR_HEADS[name]) for name in CONTEXT_INDICATORS]
    for year in sorted(years):
        header += [
            _("%(year)s: actual (%%)") % {"year": year},
            _("%(year)s: predicted (%%)") % {"year": year},
        ]
    header += [_("Years above prediction by the margin"), _("Beat the odds in")]
    return header


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def stable_rows(found: Sequence[existence.StableSchool], years: Sequence[str]) -> list[list[Any]]:
    rows = []
    for s in found:
        school = s.school
        by_year = {m.year: m for m in s.measured}
        row: list[Any] = [
            school.number,
            school.name,
            school.board_number,
            school.board_name,
            language_label(school.language),
        ]
        row += [_round(school.context.get(name)) for name in CONTEXT_INDICATORS]
        for year in sorted(years):
            standing = by_year.get(year)
            row += (
                [_round(standing.actual), _round(standing.predicted)] if standing else [None, None]
            )
        row += [len(s.beat), beat_years(s)]
        rows.append(row)
    return rows
