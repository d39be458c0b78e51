"""Pages for a school's and a board's gaps: against the other students, over the years, against
their context's prediction, and Grade 3 cohorts three years on (issue 13)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.evidence import exports_gaps
from capacity.evidence import selectors_gaps as gaps
from capacity.evidence.selectors import result_years
from capacity.reports.tables import table_response


def _year(request: HttpRequest) -> tuple[str | None, list[str]]:
    years = result_years()
    year = request.GET.get("year") or (years[-1] if years else None)
    if year is not None and year not in years:
        raise Http404
    return year, years


@login_required
def gaps_school(request: HttpRequest, number: str) -> HttpResponse:
    school, _can_change = access.get_school_for_user(request.user, number)
    year, years = _year(request)
    others = gaps.school_against_others(school=school)
    context_gaps = gaps.school_context_gaps(school=school)
    context: dict[str, Any] = {
        "school": school,
        "year": year,
        "years": years,
        "others": gaps.for_year(others, year),
        "counts_known": any(r["why_not"] != "no_counts" for r in others),
        "trends": gaps.school_gap_trends(school=school),
        "axis": gaps.year_axis(),
        "context_gaps": context_gaps,
        "context_latest": context_gaps[-1] if context_gaps else None,
        "cohorts": gaps.school_cohorts(school=school),
    }
    return render(request, "evidence/gaps/school.html", context)


@login_required
def gaps_board(request: HttpRequest, number: str) -> HttpResponse:
    board, _can_change = access.get_board_for_user(request.user, number)
    year, years = _year(request)
    scope = access.scope_for(request.user)
    # Ranking a board's schools against their predictions is for system leaders, as similar
    # schools are (access.comparison_scope); others see the board's average.
    may_compare = scope.may_compare_schools_of(board.pk)
    context_years = gaps.board_context_gaps(board=board)
    context: dict[str, Any] = {
        "board": board,
        "year": year,
        "years": years,
        "others": gaps.for_year(gaps.board_against_others(board=board), year),
        "trends": gaps.board_gap_trends(board=board),
        "axis": gaps.year_axis(),
        "context_years": context_years,
        "context_latest": context_years[-1] if context_years else None,
        "may_compare": may_compare,
        "school_gaps": gaps.board_schools_context_gaps(board=board, year=year)
        if may_compare and year
        else [],
        "cohorts": gaps.board_cohorts(board=board),
    }
    return render(request, "evidence/gaps/board.html", context)


@login_required
def gaps_school_export(request: HttpRequest, number: str, table: str, fmt: str) -> HttpResponse:
    school, _can_change = access.get_school_for_user(request.user, number)
    header, rows = exports_gaps.school_table(school, table)
    return table_response(
        fmt,
        header,
        rows,
        filename=f"{exports_gaps.file_stem(table)}-{school.number}",
        title=_("Gaps"),
    )


@login_required
def gaps_board_export(request: HttpRequest, number: str, table: str, fmt: str) -> HttpResponse:
    board, _can_change = access.get_board_for_user(request.user, number)
    header, rows = exports_gaps.board_table(board, table)
    return table_response(
        fmt,
        header,
        rows,
        filename=f"{exports_gaps.file_stem(table)}-{board.number}",
        title=_("Gaps"),
    )
