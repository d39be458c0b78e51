"""The home page. Thin: gather the apps' sections for the person and render them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from capacity.directory import access
from capacity.home.sections import home_page_sections


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = access.scope_for(request.user)
    sections = home_page_sections(request.user)
    return render(
        request,
        "home/home.html",
        {"sections": sections, "has_role": not scope.empty},
    )
