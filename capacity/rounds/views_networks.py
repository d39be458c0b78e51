"""Networks' work pages: suggestions from evidence and their decisions, a network's work, its
working agreement (and PDF), its cycles of the four-stage protocol, and its actions. Rights come
from `access` through `selectors_networks`; every change goes through `services_networks`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capacity.directory import access
from capacity.directory.models import Board, School
from capacity.evidence.labels import ASSESSMENT_NAMES, assessment_name
from capacity.rounds import exports_networks as exports
from capacity.rounds import selectors_networks as selectors
from capacity.rounds import services_networks as services
from capacity.rounds import suggest
from capacity.rounds.forms_networks import (
    AcceptForm,
    ActionForm,
    ActionUpdateForm,
    AgreementForm,
    CycleForm,
    CycleNewForm,
    RejectForm,
    SuggestionRunForm,
)
from capacity.rounds.models import NetworkCycle, NetworkSuggestion, Protocol, SuggestionState


def _form_errors(form: Form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- suggestions ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rounds_network_suggestions(request: HttpRequest) -> HttpResponse:
    """The suggestions of a school year, and the form that runs them again."""
    if not access.can_form_networks(request.user):
        raise PermissionDenied
    years = selectors.suggestion_years(request.user)
    boards = [(b.number, b.name) for b in Board.objects.order_by("name")]
    form = SuggestionRunForm(
        request.POST or None,
        years=years,
        boards=boards,
        initial={"school_year": years[0] if years else ""},
    )
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["school_year"]
        try:
            made = services.network_suggestions_run(
                user=request.user,
                school_year=year,
                boards=form.cleaned_data["boards"],
                settings=suggest.Settings(
                    largest=form.cleaned_data["largest"], limit=form.cleaned_data["limit"]
                ),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("%(n)s suggestions for %(year)s, each with its explanation.")
                % {"n": len(made), "year": year},
            )
            return redirect(f"{reverse('rounds_network_suggestions')}?school_year={year}")
    chosen = request.GET.get("school_year", "")
    shown_years = sorted(
        set(NetworkSuggestion.objects.order_by().values_list("school_year", flat=True).distinct()),
        reverse=True,
    )
    if chosen not in shown_years:
        chosen = shown_years[0] if shown_years else ""
    rows = list(selectors.suggestions_for(request.user, school_year=chosen)) if chosen else []
    return render(
        request,
        "rounds/networks/suggestions.html",
        {
            "form": form,
            "years": shown_years,
            "chosen": chosen,
            "proposed": [s for s in rows if s.state == SuggestionState.PROPOSED],
            "decided": [s for s in rows if s.state != SuggestionState.PROPOSED],
            "has_results": bool(years),
        },
    )


def _accept_form(data: Any, suggestion: NetworkSuggestion) -> AcceptForm:
    schools = list(suggestion.schools.all())
    return AcceptForm(
        data,
        schools=[(s.number, f"{s.name} ({s.board.name})") for s in schools],
        initial={"schools": [s.number for s in schools]},
        prefix="accept",
    )


@login_required
@require_http_methods(["GET", "POST"])
def rounds_network_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    """One suggestion with its explanation; accept it (edit its schools, name the network) or
    reject it with a reason."""
    suggestion = selectors.get_suggestion_for_user(request.user, pk)
    accept = _accept_form(
        request.POST if request.POST.get("decision") == "accept" else None, suggestion
    )
    reject = RejectForm(
        request.POST if request.POST.get("decision") == "reject" else None, prefix="reject"
    )
    if request.method == "POST":
        if suggestion.state != SuggestionState.PROPOSED:
            messages.error(request, _("This suggestion is already decided: nothing was changed."))
            return redirect("rounds_network_suggestion", suggestion.pk)
        decision = request.POST.get("decision")
        if decision == "accept" and accept.is_valid():
            numbers = set(accept.cleaned_data["schools"]) | set(accept.cleaned_data["add"])
            schools = list(School.objects.filter(number__in=numbers))
            unknown = numbers - {s.number for s in schools}
            if unknown:
                accept.add_error(
                    "add",
                    _("No school has the number %(numbers)s.")
                    % {"numbers": ", ".join(sorted(unknown))},
                )
            else:
                try:
                    network = services.network_suggestion_accept(
                        user=request.user,
                        suggestion=suggestion,
                        schools=schools,
                        name=accept.cleaned_data["name"],
                        purpose=accept.cleaned_data["purpose"],
                    )
                except ValidationError as error:
                    _form_errors(accept, error)
                else:
                    messages.success(
                        request, _("The network is formed; its schools' principals were told.")
                    )
                    return redirect("rounds_network", network.pk)
        elif decision == "reject" and reject.is_valid():
            try:
                services.network_suggestion_reject(
                    user=request.user, suggestion=suggestion, reason=reject.cleaned_data["reason"]
                )
            except ValidationError as error:
                _form_errors(reject, error)
            else:
                messages.success(request, _("The suggestion is rejected; your reason is kept."))
                return redirect(
                    f"{reverse('rounds_network_suggestions')}?school_year={suggestion.school_year}"
                )
        elif decision not in ("accept", "reject"):
            raise PermissionDenied
    explanation = suggestion.explanation or {}
    return render(
        request,
        "rounds/networks/suggestion.html",
        {
            "suggestion": suggestion,
            "explanation": explanation,
            "profiles": explanation.get("schools", []),
            "needs": explanation.get("shared_needs", []),
            "example": explanation.get("example", {}),
            "example_profile": next(
                (p for p in explanation.get("schools", []) if p.get("role") == "example"), None
            ),
            "accept": accept,
            "reject": reject,
            "open_form": request.POST.get("decision", ""),
            # The network formed is linked only for those who read it (a facilitator reads the
            # networks they lead and those of schools in their scope, not every one formed).
            "network_readable": suggestion.network_id is not None
            and access.networks_for(request.user).filter(pk=suggestion.network_id).exists(),
        },
    )


# --- a network's work ----------------------------------------------------------------------------


@login_required
def rounds_network(request: HttpRequest, pk: int) -> HttpResponse:
    network, lead = selectors.get_network_for_user(request.user, pk)
    agreement = selectors.agreement_version(network, None)
    open_actions, done_actions = selectors.actions(network)
    cycles = selectors.cycles(network)
    year, results = selectors.member_results(network)
    return render(
        request,
        "rounds/networks/network.html",
        {
            "network": network,
            "lead": lead,
            "agreement": agreement,
            "impact": selectors.impact(network, agreement.measures) if agreement else [],
            "cycles": cycles,
            "current": selectors.current_cycle(network),
            "open_actions": open_actions,
            "done_actions": done_actions,
            "members": selectors.members(network),
            "results_year": year,
            "results": results,
            "assessments": [(code, assessment_name(code)) for code in services.SIX],
            "cycle_form": CycleNewForm(prefix="cycle") if lead else None,
            "action_form": ActionForm(prefix="action") if lead else None,
            "today": timezone.localdate(),
        },
    )


def _assessment_choices() -> list[tuple[str, str]]:
    from capacity.evidence.models import Assessment

    codes = list(Assessment.objects.order_by("position", "code").values_list("code", flat=True))
    return [(code, assessment_name(code)) for code in codes or list(ASSESSMENT_NAMES)]


def _agreement_form(data: Any, network: Any, agreement: Any) -> AgreementForm:
    members = selectors.members(network)
    initial: dict[str, Any] = {"based_on": agreement.number if agreement else 0}
    if agreement is not None:
        initial.update(
            priorities=agreement.priorities,
            norms=agreement.norms,
            schools=[s.number for s in agreement.schools.all()],
            **AgreementForm.initial_measures(agreement.measures),
        )
    initial.setdefault("agreed_on", timezone.localdate())
    return AgreementForm(
        data,
        schools=[(s.number, s.name) for s in members],
        assessments=_assessment_choices(),
        initial=initial,
    )


@login_required
@require_http_methods(["GET", "POST"])
def rounds_network_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement (?version=N for an earlier one) and, for leads, the form recording a new
    version."""
    network, lead = selectors.get_network_for_user(request.user, pk)
    if request.method == "POST" and not lead:
        raise PermissionDenied
    asked = request.GET.get("version", "")
    if asked and not asked.isdigit():
        raise Http404
    shown = selectors.agreement_version(network, int(asked) if asked else None)
    latest = selectors.agreement_version(network, None)
    form = _agreement_form(request.POST or None, network, latest) if lead else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_record(
                user=request.user,
                network=network,
                based_on=form.cleaned_data["based_on"] or 0,
                priorities=form.cleaned_data["priorities"],
                norms=form.cleaned_data["norms"],
                measures=form.measures(),
                agreed_on=form.cleaned_data["agreed_on"],
                schools=list(network.schools.filter(number__in=form.cleaned_data["schools"])),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(n)s of the agreement is recorded; the member schools were told.")
                % {"n": agreement.number},
            )
            return redirect("rounds_network", network.pk)
    return render(
        request,
        "rounds/networks/agreement.html",
        {
            "network": network,
            "lead": lead,
            "shown": shown,
            "latest": latest,
            "versions": selectors.agreements(network),
            "form": form,
            "measure_rows": [
                (
                    form[f"measure_{i}_assessment"],
                    form[f"measure_{i}_group"],
                    form[f"measure_{i}_target"],
                )
                for i in range(1, 5)
            ]
            if form is not None
            else [],
        },
    )


@login_required
def rounds_network_agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    network, _lead = selectors.get_network_for_user(request.user, pk)
    asked = request.GET.get("version", "")
    if asked and not asked.isdigit():
        raise Http404
    agreement = selectors.agreement_version(network, int(asked) if asked else None)
    if agreement is None:
        raise Http404
    pdf = exports.agreement_pdf(
        network=network, agreement=agreement, members=selectors.members(network)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="network-{network.pk}-agreement-{agreement.number}.pdf"'
    )
    return response


# --- cycles --------------------------------------------------------------------------------------


@login_required
@require_POST
def rounds_network_cycle_new(request: HttpRequest, pk: int) -> HttpResponse:
    network, lead = selectors.get_network_for_user(request.user, pk)
    if not lead:
        raise PermissionDenied
    form = CycleNewForm(request.POST, prefix="cycle")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("rounds_network", network.pk)
    try:
        cycle = services.network_cycle_create(
            user=request.user,
            network=network,
            focus=form.cleaned_data["focus"],
            starts=form.cleaned_data["starts"],
            ends=form.cleaned_data["ends"],
        )
    except ValidationError as error:
        _messages(request, error)
        return redirect("rounds_network", network.pk)
    messages.success(request, _("Cycle %(n)s starts at co-plan.") % {"n": cycle.number})
    return redirect("rounds_network_cycle", network.pk, cycle.number)


def _reached(cycle: NetworkCycle) -> list[Protocol]:
    order = list(services.STAGES)
    if cycle.stage == Protocol.DONE:
        return order
    return order[: order.index(Protocol(cycle.stage)) + 1]


def _cycle_data(cycle: NetworkCycle) -> dict[str, Any]:
    """The saved cycle as form data (what the page shows after a refused stale edit)."""
    data = {
        key: "" if value is None else str(value)
        for key, value in _cycle_form(None, cycle).initial.items()
    }
    for key in ("starts", "ends"):
        value = getattr(cycle, key)
        data[key] = value.isoformat() if value else ""
    return data


def _cycle_form(data: Any, cycle: NetworkCycle) -> CycleForm:
    reached = _reached(cycle)
    initial: dict[str, Any] = {
        "focus": cycle.focus,
        "starts": cycle.starts,
        "ends": cycle.ends,
        "version": cycle.version,
        **{stage.value: getattr(cycle, stage.value) for stage in reached},
        **CycleForm.initial_cultures(cycle.cultures or {}),
    }
    return CycleForm(
        data, reached=reached, cultures=Protocol.CO_REFLECT in reached, initial=initial
    )


def _next_stage(cycle: NetworkCycle) -> Protocol | None:
    order = [*services.STAGES, Protocol.DONE]
    if cycle.stage == Protocol.DONE:
        return None
    return order[order.index(Protocol(cycle.stage)) + 1]


@login_required
@require_http_methods(["GET", "POST"])
def rounds_network_cycle(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A cycle's four stages: what each recorded, its visits, the cultures; leads write it and
    move it on."""
    cycle, lead = selectors.get_cycle_for_user(request.user, pk, number)
    unsaved: dict[str, str] = {}
    if request.method == "POST" and not lead:
        raise PermissionDenied
    form = _cycle_form(request.POST or None, cycle) if lead else None
    if form is not None and request.method == "POST" and form.is_valid():
        move = request.POST.get("move", "")
        try:
            saved = services.network_cycle_update(
                user=request.user,
                cycle=cycle,
                version=form.cleaned_data["version"],
                focus=form.cleaned_data["focus"],
                records=form.records(),
                cultures=form.cultures(),
                starts=form.cleaned_data["starts"],
                ends=form.cleaned_data["ends"],
                move=move,
            )
        except ValidationError as error:
            fresh = NetworkCycle.objects.select_related("network").get(pk=cycle.pk)
            if fresh.version != form.cleaned_data["version"]:
                # Someone saved first: the form shows what they saved, and what this person
                # wrote is shown beside it so nothing typed is lost.
                typed = form.records()
                unsaved = {
                    str(Protocol(code).label): text
                    for code, text in typed.items()
                    if text and text != getattr(fresh, code)
                }
                cycle = fresh
                form = _cycle_form(_cycle_data(fresh), fresh)
                form.is_valid()
                form.add_error(None, error.messages)
            else:
                _form_errors(form, error)
        else:
            if move:
                messages.success(
                    request,
                    _("The cycle moved to %(stage)s.")
                    % {"stage": Protocol(saved.stage).label.lower()},
                )
            else:
                messages.success(request, _("Saved."))
            return redirect("rounds_network_cycle", saved.network_id, saved.number)
    network = cycle.network
    following = _next_stage(cycle)
    order = [*services.STAGES, Protocol.DONE]
    here = order.index(Protocol(cycle.stage))
    return render(
        request,
        "rounds/networks/cycle.html",
        {
            "network": network,
            "cycle": cycle,
            "lead": lead,
            "form": form,
            "steps": [
                (stage, "done" if i < here else "current" if i == here else "")
                for i, stage in enumerate(services.STAGES)
            ],
            "records": [(stage, getattr(cycle, stage.value)) for stage in _reached(cycle)],
            "following": following,
            "visits": selectors.cycle_visits(request.user, cycle),
            "problems": selectors.visit_problems(request.user, network)
            if cycle.stage == Protocol.CO_TEACH
            else [],
            "signals": selectors.culture_signals(cycle)
            if here >= order.index(Protocol.CO_REFLECT)
            else [],
            "culture_names": selectors.CULTURE_NAMES,
            "culture_descriptions": selectors.CULTURE_DESCRIPTIONS,
            "cultures": cycle.cultures or {},
            "actions": list(cycle.actions.order_by("done_at", "due", "pk")),
            "cycles": selectors.cycles(network),
            "unsaved": unsaved,
        },
    )


# --- actions -------------------------------------------------------------------------------------


@login_required
@require_POST
def rounds_network_action_new(request: HttpRequest, pk: int) -> HttpResponse:
    network, lead = selectors.get_network_for_user(request.user, pk)
    if not lead:
        raise PermissionDenied
    form = ActionForm(request.POST, prefix="action")
    if form.is_valid():
        try:
            services.network_action_create(
                user=request.user,
                network=network,
                text=form.cleaned_data["text"],
                due=form.cleaned_data["due"],
                cycle=selectors.current_cycle(network),
            )
        except ValidationError as error:
            _messages(request, error)
        else:
            messages.success(request, _("The action is added."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    return redirect(f"{reverse('rounds_network', args=[network.pk])}#actions-h")


@login_required
@require_POST
def rounds_network_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark an action done or not done, or change its text and date."""
    action, lead = selectors.get_action_for_user(request.user, pk)
    if not lead:
        raise PermissionDenied
    form = ActionUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date as year, month and day."))
        return redirect(f"{reverse('rounds_network', args=[action.network_id])}#actions-h")
    changing = bool(request.POST.get("text"))
    try:
        services.network_action_update(
            user=request.user,
            action=action,
            done=form.cleaned_data["done"],
            text=form.cleaned_data["text"] if changing else None,
            due=form.cleaned_data["due"],
            seen_text=form.cleaned_data["seen_text"],
            seen_due=form.cleaned_data["seen_due"],
        )
    except ValidationError as error:
        _messages(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect(f"{reverse('rounds_network', args=[action.network_id])}#actions-h")
