"""Pages for strategies' implementation (reviews with dated evidence) and the leading indicators
rolled up by school, board and province. Thin: access and reads through the selectors, writes
through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from capacity.directory import access
from capacity.planning import forms_implementation as forms
from capacity.planning import history, selectors
from capacity.planning import selectors_implementation as impl
from capacity.planning import services_implementation as services
from capacity.planning.exports_implementation import (
    board_header,
    board_rows,
    province_header,
    province_rows,
)
from capacity.planning.indicators_implementation import STATUSES
from capacity.planning.models import Implementation, Stage
from capacity.planning.views import _form_errors
from capacity.reports.tables import table_response


def _month(request: HttpRequest) -> tuple[forms.MonthForm, str]:
    form = forms.MonthForm(request.GET or None)
    return form, (form.cleaned_data["month"] if form.is_valid() else "")


def _conflict_context(plan: Any, conflict: services.Conflict | None) -> dict[str, Any]:
    return {
        "conflict": conflict,
        "changes": history.describe(selectors.changes_since(plan, conflict.seen), plan)
        if conflict
        else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def implementation_strategy(request: HttpRequest, pk: int, strategy_id: int) -> HttpResponse:
    """A strategy's review history and, for its team, a form to record a dated review."""
    plan, rights = selectors.get_plan_for_user(request.user, pk)
    strategy = impl.get_strategy(plan, strategy_id)
    can_review = rights.edit and plan.stage != Stage.CLOSED
    if request.method == "POST" and not can_review:
        raise PermissionDenied
    form = forms.StrategyReviewForm(
        request.POST or None,
        request.FILES or None,
        checkpoints=impl.checkpoint_choices(plan),
        initial={"version": plan.version, "on": timezone.localdate()},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.strategy_review_record(
                strategy=strategy,
                user=request.user,
                seen=data["version"],
                status=data["status"],
                evidence=data["evidence"],
                on=data["on"],
                evidence_file=data.get("evidence_file"),
                checkpoint=data.get("checkpoint"),
            )
        except services.Conflict as error:
            conflict = error
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("implementation_strategy", plan.pk, strategy.pk)
    lines = [line for line in impl.strategy_lines(plan) if line.strategy.pk == strategy.pk]
    return render(
        request,
        "planning/implementation/strategy.html",
        {
            "plan": plan,
            "strategy": strategy,
            "line": lines[0],
            "reviews": impl.strategy_reviews(strategy),
            "form": form if can_review else None,
            **_conflict_context(plan, conflict),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def implementation_checkpoint(request: HttpRequest, pk: int, checkpoint_id: int) -> HttpResponse:
    """Every strategy of the plan reviewed at a checkpoint (its team), and which were not."""
    plan, rights = selectors.get_plan_for_user(request.user, pk)
    checkpoint = impl.get_checkpoint(plan, checkpoint_id)
    can_review = rights.edit and plan.stage != Stage.CLOSED
    if request.method == "POST" and not can_review:
        raise PermissionDenied
    lines = impl.strategy_lines(plan)
    form = forms.CheckpointReviewForm(
        request.POST or None,
        strategies=[line.strategy for line in lines],
        initial={"version": plan.version, "on": timezone.localdate()},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.checkpoint_review(
                checkpoint=checkpoint,
                user=request.user,
                seen=form.cleaned_data["version"],
                on=form.cleaned_data["on"],
                reviews=[
                    services.ReviewInput(strategy=s, status=status, evidence=evidence)
                    for s, status, evidence in form.reviews()
                ],
            )
        except services.Conflict as error:
            conflict = error
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Reviews recorded."))
            return redirect("implementation_checkpoint", plan.pk, checkpoint.pk)
    statuses = {line.strategy.pk: line for line in lines}
    return render(
        request,
        "planning/implementation/checkpoint.html",
        {
            "plan": plan,
            "checkpoint": checkpoint,
            "lines": lines,
            "unreviewed": impl.checkpoint_unreviewed(checkpoint),
            "form": form if can_review and lines else None,
            "rows": [(statuses[s.pk], status, evidence) for s, status, evidence in form.rows()],
            **_conflict_context(plan, conflict),
        },
    )


@login_required
def implementation_review_file(request: HttpRequest, pk: int, review_id: int) -> FileResponse:
    """A review's evidence file, for the people who may read the plan (never served publicly)."""
    plan, _rights = selectors.get_plan_for_user(request.user, pk)
    review = impl.get_review(plan, review_id)
    if not review.evidence_file:
        raise Http404
    return FileResponse(
        review.evidence_file.open("rb"),
        as_attachment=True,
        filename=review.evidence_file.name.rsplit("/", 1)[-1],
    )


def _status_columns() -> list[tuple[str, str]]:
    return [(value, str(Implementation(value).label)) for value in STATUSES]


@login_required
def implementation_school(request: HttpRequest, number: str) -> HttpResponse:
    """A school plan's leading indicators in one month: strategies, checkpoints, custom measures."""
    school = impl.school_by_number(number)
    month_form, month = _month(request)
    plan = impl.school_plan_for(request.user, school, month)
    detail = impl.school_indicators(request.user, plan, month) if plan else None
    return render(
        request,
        "planning/implementation/school.html",
        {
            "school": school,
            "plan": plan,
            "detail": detail,
            "month_form": month_form,
            "window": detail.window if detail else impl.window_for(month),
            "status_counts": [
                (label, n)
                for (_value, label), n in zip(
                    _status_columns(), detail.indicators.by_status, strict=True
                )
            ]
            if detail
            else [],
        },
    )


@login_required
def implementation_board(request: HttpRequest, number: str, fmt: str = "") -> HttpResponse:
    """A board's schools a row each, and the board's totals; `fmt` csv or xlsx downloads it."""
    board = impl.board_by_number(number)
    month_form, month = _month(request)
    rollup = impl.board_rollup(request.user, board, month)
    if fmt:
        return table_response(
            fmt,
            board_header(),
            board_rows(rollup),
            filename=f"indicators-{board.number}-{rollup.window.month}",
            title=_("Leading indicators"),
        )
    return render(
        request,
        "planning/implementation/board.html",
        {
            "board": board,
            "rollup": rollup,
            "month_form": month_form,
            "statuses": _status_columns(),
            "query": f"?month={rollup.window.month}",
            "perms_province": access.can_read_implementation_province(request.user),
        },
    )


@login_required
def implementation_province(request: HttpRequest, fmt: str = "") -> HttpResponse:
    """Each board a row, and the province's totals (ministry officers)."""
    month_form, month = _month(request)
    rollup = impl.province_rollup(request.user, month)
    if fmt:
        return table_response(
            fmt,
            province_header(),
            province_rows(rollup),
            filename=f"indicators-province-{rollup.window.month}",
            title=_("Leading indicators"),
        )
    return render(
        request,
        "planning/implementation/province.html",
        {
            "rollup": rollup,
            "month_form": month_form,
            "statuses": _status_columns(),
            "query": f"?month={rollup.window.month}",
        },
    )
