"""Pages of the directory: boards, schools, networks. Thin: authorise, select, render.

The home page gathers every app's items, so it lives above the apps in capacity/home/.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from capacity.directory import access, selectors, selectors_portfolios
from capacity.directory.models import Language, School, SchoolContext


@login_required
def board_list(request: HttpRequest) -> HttpResponse:
    if not access.can_browse_boards(request.user):
        raise PermissionDenied
    return render(
        request,
        "directory/board_list.html",
        {"boards": selectors.board_page(user=request.user, params=request.GET)},
    )


@login_required
def board_detail(request: HttpRequest, number: str) -> HttpResponse:
    board, can_change = access.get_board_for_user(request.user, number)
    profile = selectors.board_profile(board=board)
    families = selectors_portfolios.portfolios_for(request.user).filter(board=board)
    return render(
        request,
        "directory/board_detail.html",
        {
            "board": board,
            "profile": profile,
            "can_change": can_change,
            "families": families,
            "may_make_family": access.scope_for(request.user).may_edit_portfolio(board_id=board.pk),
        },
    )


@login_required
def school_list(request: HttpRequest) -> HttpResponse:
    if not access.can_browse_schools(request.user):
        raise PermissionDenied
    filters = selectors.SchoolFilters.from_params(request.GET)
    context = {
        "schools": selectors.school_page(user=request.user, filters=filters, params=request.GET),
        "filters": filters,
        "boards": selectors.board_choices(user=request.user)
        if access.can_browse_boards(request.user)
        else [],
        "languages": Language.choices,
        "levels": School.Level.choices,
    }
    partial = bool(getattr(request, "htmx", False))  # django-htmx sets request.htmx
    template = "directory/_school_results.html" if partial else "directory/school_list.html"
    return render(request, template, context)


def _reads_rounds_at(user: Any, school: School) -> bool:
    """Whether the person reads the school's rounds (trustees read none)."""
    return access.scope_for(user).may_read_rounds_of(
        board_ids={school.board_id}, school_ids={school.pk}, network_id=None
    )


@login_required
def school_detail(request: HttpRequest, number: str) -> HttpResponse:
    school, can_change = access.get_school_for_user(request.user, number)
    contexts = selectors.school_contexts(school=school)
    latest = contexts[0] if contexts else None
    indicators = []
    if latest is not None:
        for field in SchoolContext.INDICATORS:
            value, status = latest.indicator(field)
            indicators.append(
                {
                    "label": SchoolContext.indicator_label(field),
                    "value": value,
                    "status": SchoolContext.Status(status).label if status else "",
                }
            )
    return render(
        request,
        "directory/school_detail.html",
        {
            "school": school,
            "can_change": can_change,
            "latest": latest,
            "indicators": indicators,
            "contexts": contexts,
            "leaders": selectors.school_leaders(school=school),
            "networks": school.networks.filter(
                pk__in=access.networks_for(request.user).values("pk")
            ),
            # Trustees read no rounds: the school's page does not point them to any.
            "rounds": _reads_rounds_at(request.user, school),
        },
    )


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    networks = selectors.network_list(user=request.user)
    if not networks.exists():
        raise PermissionDenied
    return render(request, "directory/network_list.html", {"networks": networks})


@login_required
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network, can_change = access.get_network_for_user(request.user, pk)
    readable = set(
        access.schools_for(request.user).filter(networks=network).values_list("pk", flat=True)
    )
    facilitators = network.membership_set.select_related("user")
    return render(
        request,
        "directory/network_detail.html",
        {
            "network": network,
            "can_change": can_change,
            "schools": network.schools.select_related("board").order_by("name"),
            "readable": readable,
            "facilitators": facilitators,
        },
    )
