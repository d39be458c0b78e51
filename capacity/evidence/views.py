"""Evidence pages: province overview, simulator, board and school evidence, result uploads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from capacity.directory import access
from capacity.evidence import parts, selectors, services, tables
from capacity.evidence.analytics.policy import Policy
from capacity.evidence.forms import ResultUploadForm, SimulationForm
from capacity.evidence.models import ResultImport
from capacity.evidence.tasks import import_uploaded_results
from capacity.reports.tables import table_response


def _policy_and_year(request: HttpRequest) -> tuple[Policy, str | None, list[str]]:
    policy = selectors.get_policy(request.GET.get("policy") or None)
    years = selectors.result_years()
    year = request.GET.get("year") or selectors.default_year(policy)
    if year is not None and year not in years:
        raise Http404
    return policy, year, years


def _partial(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@login_required
def province_overview(request: HttpRequest) -> HttpResponse:
    if not access.can_view_province_evidence(request.user):
        raise PermissionDenied
    policy, year, years = _policy_and_year(request)
    body = parts.province_body(policy, year, years)
    return render(request, "evidence/province.html", {"body": body})


@login_required
def simulator(request: HttpRequest) -> HttpResponse:
    if not access.can_view_province_evidence(request.user):
        raise PermissionDenied
    rows = selectors.policy_rows()
    years = selectors.result_years()
    choices = [(row.name, selectors.policy_title(row)) for row in rows]
    default = selectors.get_policy()
    initial = {
        "current": default.name,
        "proposed": default.name,
        "year": selectors.default_year(default),
    }
    form = SimulationForm(request.GET or None, policies=choices, years=years, initial=initial)
    context: dict[str, Any] = {"form": form, "outcome": None}
    if request.GET and form.is_valid():
        current = selectors.get_policy(form.cleaned_data["current"])
        proposed = selectors.get_policy(form.cleaned_data["proposed"])
        if form.cleaned_data["threshold"] is not None:
            proposed = proposed.with_threshold(float(form.cleaned_data["threshold"]))
        outcome = selectors.simulation(current, proposed, form.cleaned_data["year"])
        sort = request.GET.get("sort")
        context |= {
            "outcome": outcome,
            "board_rows": tables.simulation_board_rows(outcome, sort),
            "board_headers": tables.simulation_headers(sort, request.GET),
            "movement": tables.movement_rows(selectors.province_over_time(proposed)),
        }
    template = "evidence/_simulation.html" if _partial(request) else "evidence/simulator.html"
    return render(request, template, context)


@login_required
def board_evidence(request: HttpRequest, number: str) -> HttpResponse:
    board, _can_change = access.get_board_for_user(request.user, number)
    policy, year, years = _policy_and_year(request)
    context: dict[str, Any] = {
        "board": board,
        "body": parts.board_body(board, policy, year, years),
        "compares_schools": access.scope_for(request.user).may_compare_schools_of(board.pk),
    }
    return render(request, "evidence/board.html", context)


@login_required
def school_evidence(request: HttpRequest, number: str) -> HttpResponse:
    school, _can_change = access.get_school_for_user(request.user, number)
    policy, year, years = _policy_and_year(request)
    context: dict[str, Any] = {
        "school": school,
        "year": year,
        "parts": parts.school_parts(school, policy, year, years),
        "grade_codes": selectors.GRADE_3_6,
    }
    if year is not None:
        within = access.comparison_scope(request.user, school)
        context["may_compare"] = within is not None
        if within is not None:
            context["similar"] = selectors.similar_schools_for(
                school=school, year=year, within=within
            )
    return render(request, "evidence/school.html", context)


# --- uploads -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def result_imports(request: HttpRequest) -> HttpResponse:
    if not access.can_import_results(request.user):
        raise PermissionDenied
    form = ResultUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.result_import_create(
            user=request.user,
            file=form.cleaned_data["file"],
            school_year=form.cleaned_data["school_year"] or "",
        )
        import_uploaded_results.enqueue(job.pk)
        return redirect("result_import", pk=job.pk)
    jobs = ResultImport.objects.select_related("uploaded_by")[:50]
    return render(request, "evidence/imports.html", {"form": form, "jobs": jobs})


def _job_for(request: HttpRequest, pk: int) -> ResultImport:
    if not access.can_import_results(request.user):
        raise PermissionDenied
    return get_object_or_404(ResultImport, pk=pk)


@login_required
def result_import(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    template = "evidence/_import_status.html" if _partial(request) else "evidence/import.html"
    return render(
        request, template, {"job": job, "problems": tables.problem_rows(job.problems_csv)}
    )


@login_required
def result_import_problems(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Every problem of a rejected upload, as CSV or XLSX."""
    job = _job_for(request, pk)
    if not job.problems_csv:
        raise Http404
    header, rows = tables.problem_table(job.problems_csv)
    return table_response(
        fmt, header, rows, filename=_("problems") + f"-{job.pk}", title=_("Problems")
    )
