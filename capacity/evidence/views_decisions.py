"""Pages of the identification decisions: the proposals, one proposal, a decision, the CSV."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from capacity.directory import access
from capacity.evidence import selectors
from capacity.evidence import selectors_decisions as chosen
from capacity.evidence import services_decisions as services
from capacity.evidence.analytics.policy import PolicyError
from capacity.evidence.forms_decisions import ConfirmAllForm, DecisionForm
from capacity.evidence.models import IdentificationProposal
from capacity.reports.csv import csv_text


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    if not access.can_read_identification_decisions(request.user):
        raise PermissionDenied
    may_decide = access.can_decide_identification(request.user)
    context: dict[str, Any] = {
        "proposals": chosen.proposals_for(request.user)[:50],
        "may_decide": may_decide,
    }
    if may_decide:
        context["policies"] = [
            (row.name, selectors.policy_title(row)) for row in selectors.policy_rows()
        ]
        context["years"] = list(reversed(selectors.result_years()))
        default = selectors.get_policy()
        context["default_policy"] = default.name
        context["default_year"] = selectors.default_year(default)
    return render(request, "evidence/decisions/list.html", context)


@login_required
@require_POST
def proposal_propose(request: HttpRequest) -> HttpResponse:
    if not access.can_decide_identification(request.user):
        raise PermissionDenied
    year = request.POST.get("year") or ""
    if year not in selectors.result_years():
        messages.error(request, _("Choose a school year that has results."))
        return redirect("decisions_proposals")
    try:
        policy = selectors.get_policy(request.POST.get("policy") or None, strict=True)
    except PolicyError:
        messages.error(request, _("Choose one of the policies listed."))
        return redirect("decisions_proposals")
    proposal = services.proposal_make(
        policy=policy,
        school_year=year,
        source=IdentificationProposal.Source.OFFICER,
        user=request.user,
    )
    return redirect("decisions_proposal", pk=proposal.pk)


def _detail_context(request: HttpRequest, proposal: IdentificationProposal) -> dict[str, Any]:
    _proposal, may_decide = chosen.get_proposal_for_user(request.user, proposal.pk)
    groups = chosen.proposal_groups(request.user, proposal)
    return {
        "proposal": proposal,
        "groups": groups,
        "may_decide": may_decide,
        "is_ministry": access.can_decide_identification(request.user),
        "waiting": sum(len(g.pending) for g in groups),
    }


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, _may_decide = chosen.get_proposal_for_user(request.user, pk)
    return render(request, "evidence/decisions/proposal.html", _detail_context(request, proposal))


@login_required
def proposal_export(request: HttpRequest, pk: int) -> HttpResponse:
    proposal, _may_decide = chosen.get_proposal_for_user(request.user, pk)
    text = csv_text(chosen.EXPORT_HEADER, chosen.export_rows(request.user, proposal))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = f"identification-{proposal.policy_name}-{proposal.school_year}-{proposal.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm one school's change or set it aside. htmx gets the row back; others the page."""
    if not access.can_decide_identification(request.user):
        raise PermissionDenied
    item = chosen.get_change_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            services.decision_record(
                item=item,
                user=request.user,
                outcome=form.cleaned_data["outcome"],
                seen=form.cleaned_data["seen"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, found in exc.error_dict.items():
                    for e in found:
                        form.add_error(field if field in form.fields else None, e)
            else:
                errors = _errors(exc)
    partial = bool(getattr(request, "htmx", False))
    if form.is_valid() and not errors:
        if partial:
            return _row(request, item.pk)
        messages.success(request, _("Decision recorded for %(school)s.") % {"school": item.school})
        return redirect("decisions_proposal", pk=item.proposal_id)
    if partial:
        # htmx swaps only 2xx answers: the row comes back with its errors in place.
        return _row(request, item.pk, form=form, errors=errors)
    context = _detail_context(request, item.proposal)
    context.update({"failed": item.pk, "failed_form": form, "failed_errors": errors})
    return render(request, "evidence/decisions/proposal.html", context, status=400)


def _row(
    request: HttpRequest,
    pk: int,
    *,
    form: DecisionForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    item = chosen.get_change_for_user(request.user, pk)
    groups = chosen.proposal_groups(request.user, item.proposal, only=pk)
    row = next((r for g in groups for r in g.rows if r.item.pk == pk), None)
    if row is None:
        raise Http404
    _proposal, may_decide = chosen.get_proposal_for_user(request.user, item.proposal_id)
    return render(
        request,
        "evidence/decisions/_change.html",
        {
            "row": row,
            "may_decide": may_decide,
            "failed": pk if form is not None else None,
            "failed_form": form,
            "failed_errors": errors or [],
        },
        status=status,
    )


@login_required
@require_POST
def proposal_confirm_all(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_decide_identification(request.user):
        raise PermissionDenied
    proposal, _may_decide = chosen.get_proposal_for_user(request.user, pk)
    form = ConfirmAllForm(request.POST)
    if form.is_valid():
        try:
            done = services.decisions_confirm_all(
                proposal=proposal, user=request.user, seen=form.seen
            )
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(
                request,
                ngettext("%(count)s change confirmed.", "%(count)s changes confirmed.", len(done))
                % {"count": len(done)},
            )
    else:
        for refusal in form.non_field_errors():
            messages.error(request, str(refusal))
    return redirect("decisions_proposal", pk=proposal.pk)
