"""Survey pages: the list, opening and closing a round, answering (signed in or by link), the report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capacity.directory import access
from capacity.directory.models import Board, School, User
from capacity.instruments import exports, selectors, services
from capacity.instruments.definition import Definition
from capacity.instruments.forms import RegisterEntryForm, RoundForm
from capacity.instruments.models import Instrument, Invitation, RegisterEntry
from capacity.instruments.scoring import PROFILE_PREFIX
from capacity.reports.tables import table_response


def _places(user: Any) -> list[tuple[str, str]]:
    """Where the person may open a round: boards they lead (and those boards' schools), schools on
    their team; a ministry officer, every board."""
    scope = access.scope_for(user)
    boards = (
        Board.objects.all() if scope.ministry else Board.objects.filter(pk__in=scope.led_board_ids)
    )
    schools = School.objects.filter(pk__in=scope.team_school_ids) | School.objects.filter(
        board_id__in=scope.led_board_ids
    )
    return [(f"board:{b.pk}", str(b)) for b in boards.order_by("name")] + [
        (f"school:{s.pk}", str(s)) for s in schools.distinct().order_by("name")
    ]


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    invitations = list(selectors.invitations_of(request.user)[:50])
    run = list(selectors.rounds_run_by(request.user)[:100])
    rates = selectors.response_rates(run)
    return render(
        request,
        "instruments/survey_list.html",
        {
            "to_answer": selectors.to_answer(request.user),
            "invitations": invitations,
            "rounds": [(r, services.round_state(r), rates[r.pk]) for r in run],
            "may_open": bool(_places(request.user)),
            "may_register": access.can_keep_register(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest) -> HttpResponse:
    places = _places(request.user)
    if not places:
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("place") not in {
        value for value, _name in places
    }:
        raise PermissionDenied  # a place the form never offered this person
    form = RoundForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        kind, _sep, pk = form.cleaned_data["place"].partition(":")
        board = get_object_or_404(Board, pk=pk) if kind == "board" else None
        school = get_object_or_404(School, pk=pk) if kind == "school" else None
        subject = None
        if form.cleaned_data["subject"]:
            subject = User.objects.filter(
                username=form.cleaned_data["subject"].strip(), is_active=True
            ).first()
            if subject is None:
                form.add_error("subject", _("No active person has this username."))
        if not form.errors:
            try:
                round_, links = services.round_open(
                    user=request.user,
                    instrument=form.cleaned_data["instrument"],
                    board=board,
                    school=school,
                    roles=form.cleaned_data["roles"] or None,
                    opens_on=form.cleaned_data["opens_on"],
                    closes_on=form.cleaned_data["closes_on"],
                    subject=subject,
                    min_respondents=form.cleaned_data["min_respondents"],
                    links=form.cleaned_data["links"] or 0,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if links:
                    # Shown once: only the links' hashes are kept.
                    base = request.build_absolute_uri("/surveys/link/")
                    return render(
                        request,
                        "instruments/links.html",
                        {"round": round_, "links": [f"{base}{token}/" for token in links]},
                    )
                messages.success(request, _("The round is open; the people invited were told."))
                return redirect("survey_round", round_.pk)
    return render(request, "instruments/survey_new.html", {"form": form})


@login_required
def survey_round(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_to_run(request.user, pk)
    return render(
        request,
        "instruments/survey_round.html",
        {
            "round": round_,
            "definition": selectors.definition_of_round(round_),
            "state": services.round_state(round_),
            "rate": selectors.response_rate(round_),
        },
    )


@login_required
@require_POST
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_to_run(request.user, pk)
    services.round_close(round_=round_, user=request.user)
    messages.success(request, _("The round is closed; no more answers are accepted."))
    return redirect("survey_round", round_.pk)


def _answer_page(
    request: HttpRequest, invitation: Invitation, *, action: str, anonymous: bool
) -> HttpResponse:
    round_ = invitation.round
    definition = selectors.definition_of_round(round_)
    response = selectors.own_response(invitation)
    errors: dict[str, list[str]] = {}
    values = dict(response.answers) if response else {}
    evidence = dict(response.evidence) if response else {}
    comment = response.comment if response else ""
    if request.method == "POST":
        values = {key: request.POST.get(f"a-{key}", "") for key in _answer_keys(definition)}
        evidence = {key: request.POST.get(f"e-{key}", "") for key in _answer_keys(definition)}
        comment = request.POST.get("comment", "")
        submit = "send" in request.POST
        seen = request.POST.get("seen")
        try:
            saved = services.response_save(
                invitation=invitation,
                answers=values,
                evidence=evidence,
                comment=comment,
                seen=int(seen) if seen and seen.isdigit() else None,
                submit=submit,
            )
        except ValidationError as error:
            errors = (
                error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            )
        except services.Conflict:
            errors = {
                "__all__": [
                    _(
                        "Your answers were saved elsewhere since you opened this page. "
                        "The saved answers are shown; check them and save again."
                    )
                ]
            }
            response = selectors.own_response(invitation)
            values = dict(response.answers) if response else {}
        else:
            if saved.submitted_at is not None:
                return render(
                    request,
                    "instruments/thanks.html",
                    {"round": round_, "definition": definition, "anonymous": anonymous},
                )
            messages.success(request, _("Saved. You can come back and finish later."))
            return redirect(action)
    if response is not None and response.submitted_at is not None:
        return render(
            request,
            "instruments/thanks.html",
            {"round": round_, "definition": definition, "anonymous": anonymous, "already": True},
        )
    return render(
        request,
        "instruments/respond.html",
        {
            "round": round_,
            "definition": definition,
            "state": services.round_state(round_),
            "questions": _questions(definition, values, evidence, errors),
            "quadrants": _quadrants(definition, values, errors),
            "comment": comment,
            "general_errors": errors.get("__all__", []),
            "error_count": len(errors),
            "seen": response.version if response else "",
            "action": action,
            "anonymous": anonymous,
        },
    )


def _answer_keys(definition: Definition) -> list[str]:
    keys = (
        [d.code for d in definition.dimensions]
        if definition.kind == "rubric"
        else [i.code for i in definition.items]
    )
    if definition.profile is not None:
        keys += [PROFILE_PREFIX + q.code for q in definition.profile.quadrants]
    return keys


def _questions(
    definition: Definition,
    values: dict[str, Any],
    evidence: dict[str, str],
    errors: dict[str, list[str]],
) -> list[dict[str, Any]]:
    """What the answer form shows, grouped by dimension: each question, its choices and errors."""
    language = get_language() or "en"
    scale = definition.scale
    assert scale is not None

    def label(point: int) -> str:
        found = scale.label(point)
        return found.get(language) if found is not None else str(point)

    out: list[dict[str, Any]] = []
    for dimension in definition.dimensions:
        questions: list[dict[str, Any]]
        if definition.kind == "rubric":
            choices = [
                {"value": point, "label": label(point), "detail": descriptor.get(language)}
                for point, descriptor in zip(scale.points, dimension.descriptors, strict=True)
            ]
            questions = [
                {"code": dimension.code, "text": dimension.name.get(language), "choices": choices}
            ]
        else:
            choices = [{"value": point, "label": label(point)} for point in scale.points]
            questions = [
                {"code": item.code, "text": item.text.get(language), "choices": choices}
                for item in dimension.items
            ]
        for question in questions:
            code = question["code"]
            question["chosen"] = str(values.get(code, ""))
            question["evidence"] = evidence.get(code, "")
            question["errors"] = errors.get(code, [])
        out.append(
            {"dimension": dimension, "name": dimension.name.get(language), "questions": questions}
        )
    return out


def _quadrants(
    definition: Definition, values: dict[str, Any], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    if definition.profile is None:
        return []
    language = get_language() or "en"
    return [
        {
            "key": PROFILE_PREFIX + q.code,
            "name": q.name.get(language),
            "description": q.description.get(language) if q.description else "",
            "value": values.get(PROFILE_PREFIX + q.code, ""),
            "errors": errors.get(PROFILE_PREFIX + q.code, []),
        }
        for q in definition.profile.quadrants
    ]


@login_required
@require_http_methods(["GET", "POST"])
def survey_respond(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.get_invitation(request.user, pk)
    return _answer_page(request, invitation, action=request.path, anonymous=False)


@require_http_methods(["GET", "POST"])
def survey_link(request: HttpRequest, token: str) -> HttpResponse:
    """A single-use link: no account; the link itself is the invitation."""
    invitation = services.invitation_by_token(token)
    if invitation is None:
        raise Http404
    return _answer_page(request, invitation, action=request.path, anonymous=True)


@login_required
def survey_report(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_to_read(request.user, pk)
    report = selectors.round_report(round_, viewer=request.user)
    return render(
        request,
        "instruments/report.html",
        {
            **selectors.next_steps(round_, report, request.user),
            **_compared(round_, report),
            "round": round_,
            "report": report,
            "rate": selectors.response_rate(round_),
            "state": services.round_state(round_),
            "charts": selectors.report_charts(report),
            "reference": selectors.reference_beside(report.definition),
            "self_rows": selectors.self_rows(report),
        },
    )


def _compared(round_: Any, report: Any) -> dict[str, Any]:
    """The dimension table's rows with the board's and the province's figures beside them."""
    found = selectors.comparisons(round_) if report.shown else []
    headers = [
        (
            _("Other schools of the board (%(n)s)") % {"n": c.places}
            if c.label == "board" and round_.school_id
            else _("Other schools in the province (%(n)s)") % {"n": c.places}
            if round_.school_id
            else _("Other boards (%(n)s)") % {"n": c.places}
        )
        for c in found
    ]
    rows = [(row, [c.means.get(row.dimension.code) for c in found]) for row in report.dimensions]
    return {"compared_headers": headers, "dimension_rows": rows}


@login_required
@require_POST
def survey_actions(request: HttpRequest, pk: int) -> HttpResponse:
    """The team's three actions after the report: each a plan goal, or a strategy under a goal."""
    round_ = selectors.get_round_to_read(request.user, pk)
    goal = None
    if request.POST.get("goal"):
        goal = selectors.goal_for_actions(round_, request.user, request.POST["goal"])
    try:
        made = services.round_actions_add(
            round_=round_, user=request.user, actions=request.POST.getlist("action"), goal=goal
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Added to this year's plan: %(n)s.") % {"n": len(made)})
    return redirect("survey_report", round_.pk)


@login_required
@require_POST
def survey_characteristic_goal(request: HttpRequest, pk: int) -> HttpResponse:
    """A board-plan goal for one of the weakest characteristics, in one step."""
    round_ = selectors.get_round_to_read(request.user, pk)
    try:
        services.characteristic_goal_add(
            round_=round_, user=request.user, dimension=request.POST.get("dimension", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The goal is in this year's board plan."))
    return redirect("survey_report", round_.pk)


@login_required
def survey_report_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    round_ = selectors.get_round_to_read(request.user, pk)
    report = selectors.round_report(round_)
    filename = f"survey-{round_.pk}-{report.definition.code}"
    if fmt == "pdf":
        response = HttpResponse(
            exports.as_pdf(round_, report, selectors.response_rate(round_)),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    if fmt == "json":
        data = exports.as_json(round_, report, selectors.response_rate(round_).invited)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    return table_response(fmt, exports.header(), exports.rows(report), filename=filename)


@login_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "instruments/instrument_list.html",
        {"instruments": [(i, selectors.definition_of(i)) for i in selectors.instruments()]},
    )


@login_required
def instrument_detail(request: HttpRequest, code: str) -> HttpResponse:
    instrument = get_object_or_404(Instrument, code=code)
    return render(
        request,
        "instruments/instrument_detail.html",
        {"instrument": instrument, "definition": selectors.definition_of(instrument)},
    )


# --- the compliance register -------------------------------------------------------------


def _register_values(form: RegisterEntryForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """The person's own compliance register: A items to do well, C items to delegate."""
    if not access.can_keep_register(request.user):
        raise PermissionDenied
    form = RegisterEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_entry_add(user=request.user, **_register_values(form))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Added to your register."))
            return redirect("register")
    entries = list(RegisterEntry.objects.filter(leader_id=request.user.pk))
    return render(
        request,
        "instruments/register.html",
        {
            "form": form,
            "a_items": [e for e in entries if e.category == RegisterEntry.Category.A],
            "c_items": [e for e in entries if e.category == RegisterEntry.Category.C],
            "definition": selectors.register_definition(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        RegisterEntry, pk=pk, leader_id=request.user.pk
    )  # nobody else's register
    form = RegisterEntryForm(
        request.POST or None, instance=entry, initial={"version": entry.version}
    )
    if request.method == "POST" and "delete" in request.POST:
        services.register_entry_delete(entry=entry, user=request.user)
        messages.success(request, _("Removed from your register."))
        return redirect("register")
    if request.method == "POST" and form.is_valid():
        try:
            services.register_entry_update(
                entry=entry,
                user=request.user,
                seen=form.cleaned_data["version"] or 0,
                **_register_values(form),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("Saved."))
            return redirect("register")
    return render(request, "instruments/register_entry.html", {"form": form, "entry": entry})
