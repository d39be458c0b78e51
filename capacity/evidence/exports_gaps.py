"""The gaps pages' tables as CSV or XLSX (reports.tables: every CSV cell neutralised).

Every figure comes from selectors_gaps, so it has passed the disclosure gate: an
export shows nothing the page does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from capacity.directory.models import Board, School
from capacity.evidence import selectors_gaps as gaps
from capacity.evidence.labels import assessment_name, group_name

TABLES = ("others", "trends", "context", "cohorts")


def file_stem(table: str) -> str:
    stems = {
        "others": _("gaps-against-other-students"),
        "trends": _("gap-trends"),
        "context": _("context-gap"),
        "cohorts": _("cohorts"),
    }
    return stems.get(table, table)


def why_not_label(code: str) -> str:
    return {
        "": "",
        "no_figure": _("the group's or all students' result is hidden or not reported"),
        "no_counts": _("the results give no counts of students"),
        "others_small": _("fewer than 10 other students"),
    }.get(code, code)


def direction_label(code: str) -> str:
    return {
        "narrowing": _("narrowing"),
        "widening": _("widening"),
        "steady": _("about the same"),
        "one_year": _("one year only"),
    }.get(code, code)


def subject_label(code: str) -> str:
    return {"READ": _("Reading"), "WRITE": _("Writing"), "MATH": _("Mathematics")}.get(code, code)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


Table = tuple[list[str], list[list[Any]]]


def _others(
    rows: list[dict[str, Any]], first: list[str], lead: Callable[[dict[str, Any]], list[Any]]
) -> Table:
    header = [
        *first,
        _("School year"),
        _("Group"),
        _("Assessment"),
        _("Group %"),
        _("Group students"),
        _("Other students %"),
        _("Other students"),
        _("Gap (points)"),
    ]
    body = [
        [
            *lead(r),
            r["school_year"],
            group_name(r["group"]),
            assessment_name(r["assessment"]),
            _round(r["pct_at_standard"]),
            r["participating"],
            _round(r["others_pct"]),
            r["others_participating"],
            _round(r["gap"]),
        ]
        for r in rows
    ]
    return header, body


def _trends(trends: list[gaps.GapTrend]) -> Table:
    axis = gaps.year_axis()
    header = [_("Group"), _("Assessment"), *axis, _("Direction")]
    body = [
        [
            group_name(t.group),
            assessment_name(t.assessment),
            *(_round(c.gap) for c in t.cells),
            direction_label(t.direction),
        ]
        for t in trends
    ]
    return header, body


def _cohorts(rows: list[dict[str, Any]]) -> Table:
    header = [
        _("Subject"),
        _("Grade 3 year"),
        _("Grade 3 %"),
        _("Grade 6 year"),
        _("Grade 6 %"),
        _("Change (points)"),
    ]
    body = [
        [
            subject_label(r["subject"]),
            r["grade3_year"],
            _round(r["grade3_pct"]),
            r["grade6_year"],
            _round(r["grade6_pct"]),
            _round(r["change"]),
        ]
        for r in rows
    ]
    return header, body


def school_table(school: School, table: str) -> Table:
    """One of the school page's tables (TABLES); 404 for another name."""
    if table == "others":
        others = [r for r in gaps.school_against_others(school=school) if r["why_not"] == ""]
        return _others(others, [], lambda r: [])
    if table == "trends":
        return _trends(gaps.school_gap_trends(school=school))
    if table == "context":
        header = [_("School year"), _("Actual %"), _("Predicted %"), _("Gap (points)")]
        return header, [
            [c.year, _round(c.actual), _round(c.predicted), _round(c.gap)]
            for c in gaps.school_context_gaps(school=school)
        ]
    if table == "cohorts":
        return _cohorts(gaps.school_cohorts(school=school))
    raise Http404


def board_table(board: Board, table: str) -> Table:
    """One of the board page's tables (TABLES); 404 for another name."""
    if table == "others":
        return _others(
            gaps.board_against_others(board=board), [_("Schools")], lambda r: [r["schools"]]
        )
    if table == "trends":
        return _trends(gaps.board_gap_trends(board=board))
    if table == "context":
        header = [_("School year"), _("Schools"), _("Mean gap (points)"), _("Schools above")]
        return header, [
            [c.year, c.schools, _round(c.mean_gap), c.above]
            for c in gaps.board_context_gaps(board=board)
        ]
    if table == "cohorts":
        header, body = _cohorts(gaps.board_cohorts(board=board))
        return [*header, _("Schools")], [
            [*row, r["schools"]]
            for row, r in zip(body, gaps.board_cohorts(board=board), strict=True)
        ]
    raise Http404
