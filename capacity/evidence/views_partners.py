"""Pages for schools that beat the odds over several years (province and board lists, with
downloads) and for an identified school's partners."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.evidence import exports_partners, selectors, selectors_partners
from capacity.evidence.analytics import existence
from capacity.evidence.analytics.schema import CONTEXT_INDICATORS
from capacity.evidence.wording_partners import (
    INDICATOR_HEADS,
    beat_years,
    language_label,
    reason,
    why,
)
from capacity.reports.tables import table_response


def _year(request: HttpRequest) -> str | None:
    year = request.GET.get("year") or selectors_partners.latest_year()
    if year is not None and year not in selectors.result_years():
        raise Http404
    return year


def stable_table(found: list[existence.StableSchool], years: tuple[str, ...]) -> dict[str, Any]:
    """The rows a list page shows: context, each year's actual and predicted, the years beaten."""
    ordered = tuple(sorted(years))
    rows = []
    for s in found:
        by_year = {m.year: m for m in s.measured}
        rows.append(
            {
                "school": s.school,
                "language": language_label(s.school.language),
                "context": [s.school.context.get(name) for name in CONTEXT_INDICATORS],
                "years": [by_year.get(year) for year in ordered],
                "beat": beat_years(s),
            }
        )
    return {
        "rows": rows,
        "years": ordered,
        "heads": [INDICATOR_HEADS[name] for name in CONTEXT_INDICATORS],
    }


def _list_context(
    request: HttpRequest, year: str | None, found: list[existence.StableSchool]
) -> dict[str, Any]:
    years = selectors_partners.years_for(year) if year else ()
    readable: set[str] = set()
    if found:
        readable = set(
            access.schools_for(request.user)
            .filter(number__in=[s.school.number for s in found])
            .values_list("number", flat=True)
        )
    return {
        "year": year,
        "all_years": selectors.result_years(),
        "rule": selectors_partners.RULE,
        "table": stable_table(found, years),
        "readable": readable,
    }


@login_required
def partners_province(request: HttpRequest) -> HttpResponse:
    if not access.can_read_stable_list(request.user, None):
        raise PermissionDenied
    year = _year(request)
    found = selectors_partners.province_stable(year) if year else []
    context = _list_context(request, year, found) | {"board": None}
    return render(request, "evidence/partners/stable_list.html", context)


@login_required
def partners_board(request: HttpRequest, number: str) -> HttpResponse:
    board, _can_change = access.get_board_for_user(request.user, number)
    if not access.can_read_stable_list(request.user, board):
        raise PermissionDenied
    year = _year(request)
    found = selectors_partners.board_stable(board, year) if year else []
    context = _list_context(request, year, found) | {"board": board}
    if year is not None:
        context["identified"] = [
            {
                "school": school,
                "partners": [
                    {"name": p.school.name, "board": p.school.board_name, "why": why(p)}
                    for p in answer.partners
                ],
                "why_none": reason(answer.reason) if answer.reason else "",
            }
            for school, answer in selectors_partners.board_partners_for_user(
                request.user, board, year
            )
        ]
    return render(request, "evidence/partners/stable_list.html", context)


def _download(
    fmt: str, found: list[existence.StableSchool], year: str | None, name: str
) -> HttpResponse:
    years = selectors_partners.years_for(year) if year else ()
    return table_response(
        fmt,
        exports_partners.stable_header(years),
        exports_partners.stable_rows(found, years),
        filename=f"{name}-{year or ''}",
        title=_("Beat the odds"),
    )


@login_required
def partners_province_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if not access.can_read_stable_list(request.user, None):
        raise PermissionDenied
    year = _year(request)
    found = selectors_partners.province_stable(year) if year else []
    return _download(fmt, found, year, _("beat-the-odds"))


@login_required
def partners_board_download(request: HttpRequest, number: str, fmt: str) -> HttpResponse:
    board, _can_change = access.get_board_for_user(request.user, number)
    if not access.can_read_stable_list(request.user, board):
        raise PermissionDenied
    year = _year(request)
    found = selectors_partners.board_stable(board, year) if year else []
    return _download(fmt, found, year, f"{_('beat-the-odds')}-{board.number}")


def partner_rows(shown: selectors_partners.SchoolPartners) -> list[dict[str, Any]]:
    """Each partner as the pages show it: who, where, why, and its published standings."""
    return [
        {
            "school": p.school,
            "link": p.school.number in shown.readable,
            "language": language_label(p.school.language),
            "why": why(p),
            "context": [p.school.context.get(name) for name in CONTEXT_INDICATORS],
            "standings": sorted(p.stable.measured, key=lambda s: s.year),
        }
        for p in shown.partners.partners
    ]


def partners_context(user: Any, school: Any) -> dict[str, Any]:
    """What the partners section (school page, plan page) and the partners page show."""
    shown = selectors_partners.school_partners_for_user(user, school)
    if shown is None:
        return {"shown": None}
    return {
        "shown": shown,
        "partner_rows": partner_rows(shown),
        "why_none": reason(shown.partners.reason) if shown.partners.reason else "",
        "heads": [INDICATOR_HEADS[name] for name in CONTEXT_INDICATORS],
    }


@login_required
def partners_school(request: HttpRequest, number: str) -> HttpResponse:
    school, _can_change = access.get_school_for_user(request.user, number)
    if not access.can_see_partners(request.user, school):
        raise PermissionDenied
    context = partners_context(request.user, school) | {"school": school}
    record = None
    year = selectors_partners.latest_year()
    if year is not None:
        record = selectors_partners.school_records(year).get(school.number)
    context["own_context"] = (
        [record.context.get(name) for name in CONTEXT_INDICATORS] if record else None
    )
    context["year"] = year
    return render(request, "evidence/partners/school.html", context)
