"""Words for the gaps pages: why a group has no comparison, a year's empty cell, a gap's direction,
the context gap in a sentence."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.evidence import exports_gaps
from capacity.evidence.selectors_gaps import (
    NO_GAP,
    NO_RESULTS,
    NO_TESTS,
    BoardContextYear,
    ContextGap,
    GapTrend,
)
from capacity.reports.templatetags.numbers import percent_text

register = template.Library()


@register.filter
def why_not_label(code: Any) -> str:
    return exports_gaps.why_not_label(str(code or ""))


@register.filter
def subject_name(code: Any) -> str:
    return exports_gaps.subject_label(str(code))


@register.filter
def year_note(code: Any) -> str:
    """What an empty year of a gap's row says."""
    return {
        NO_TESTS: _("no tests (COVID-19)"),
        NO_RESULTS: _("no results"),
        NO_GAP: _("no comparison"),
    }.get(str(code), "—")


def _points(value: float) -> str:
    return floatformat(abs(value), 1)


@register.filter
def trend_words(trend: GapTrend) -> str:
    """ "narrowing: from -12.0 points in 2017-18 to -5.0 in 2023-24"."""
    if trend.direction == "one_year":
        return _("one year only (%(year)s)") % {"year": trend.last_year}
    return _(
        "%(direction)s: from %(first)s points in %(first_year)s to %(last)s in %(last_year)s"
    ) % {
        "direction": exports_gaps.direction_label(trend.direction),
        "first": floatformat(trend.first_gap, 1),
        "first_year": trend.first_year,
        "last": floatformat(trend.last_gap, 1),
        "last_year": trend.last_year,
    }


@register.filter
def context_words(gap: ContextGap) -> str:
    """The school's context gap for a year in a sentence."""
    values = {
        "year": gap.year,
        "actual": percent_text(gap.actual, 1),
        "predicted": percent_text(gap.predicted, 1),
        "points": _points(gap.gap),
    }
    if gap.gap >= 0:
        text = _(
            "In %(year)s, %(actual)s of students reached the standard on average across the "
            "Grade 3 and 6 assessments: %(points)s points above the %(predicted)s predicted for "
            "a school with its context."
        )
    else:
        text = _(
            "In %(year)s, %(actual)s of students reached the standard on average across the "
            "Grade 3 and 6 assessments: %(points)s points below the %(predicted)s predicted for "
            "a school with its context."
        )
    return text % values


@register.filter
def board_context_words(year: BoardContextYear) -> str:
    """The board's mean context gap for a year in a sentence."""
    values = {
        "year": year.year,
        "count": year.schools,
        "points": _points(year.mean_gap),
        "above": year.above,
    }
    if year.mean_gap >= 0:
        text = ngettext(
            "In %(year)s, the board's %(count)s school with a prediction was on average "
            "%(points)s points above what its context predicts; %(above)s of them were above.",
            "In %(year)s, the board's %(count)s schools with a prediction were on average "
            "%(points)s points above what their contexts predict; %(above)s of them were above.",
            year.schools,
        )
    else:
        text = ngettext(
            "In %(year)s, the board's %(count)s school with a prediction was on average "
            "%(points)s points below what its context predicts; %(above)s of them were above.",
            "In %(year)s, the board's %(count)s schools with a prediction were on average "
            "%(points)s points below what their contexts predict; %(above)s of them were above.",
            year.schools,
        )
    return text % values
