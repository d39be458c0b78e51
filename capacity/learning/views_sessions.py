"""Module session pages: the person's sessions, planning one, a session's page, changing it,
and opening its evaluation. Rights come from `access.session_rights` through the selectors;
every change goes through `services_sessions`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capacity.learning import selectors_sessions as selectors
from capacity.learning import services_sessions as services
from capacity.learning.forms_sessions import SessionForm
from capacity.learning.models import Item, Session, Text


def module_text(item: Item) -> Text | None:
    """The module's published text in the reader's language (else the other)."""
    version = item.published
    return version.text(get_language() or "en") if version is not None else None


def _modules() -> list[tuple[str, str]]:
    out = []
    for item in selectors.published_modules():
        text = module_text(item)
        out.append((item.slug, f"{item.number}. {text.title if text else item.slug}"))
    return out


def _form_errors(form: SessionForm, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def learning_sessions(request: HttpRequest) -> HttpResponse:
    coming, held = selectors.sessions_listed(request.user)
    return render(
        request,
        "learning/session_list.html",
        {
            "coming": [(s, module_text(s.module)) for s in coming],
            "held": [(s, module_text(s.module)) for s in held],
            "may_run": bool(selectors.session_places(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def learning_session_new(request: HttpRequest) -> HttpResponse:
    """Plan a session: first the board or school (when the person runs more than one), then the
    module, date, participants among that place's people, and notes."""
    places = selectors.session_places(request.user)
    if not places:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    place = data.get("place", "") or (places[0][0] if len(places) == 1 else "")
    if place and place not in {value for value, _name in places}:
        raise PermissionDenied  # a place the page never offered this person
    modules = _modules()
    chosen_module = data.get("module", "")
    if not place:
        return render(
            request,
            "learning/session_place.html",
            {"places": places, "module": chosen_module},
        )
    board, school = selectors.place_of(place)
    people = [
        (person, role)
        for person, role in selectors.eligible_people(board=board, school=school)
        if person.pk != request.user.pk
    ]
    minimum = selectors.evaluation_minimum()
    form = SessionForm(
        request.POST or None,
        modules=modules,
        people=people,
        minimum=minimum,
        initial={"module": chosen_module},
    )
    del form.fields["revision"]
    if request.method == "POST" and form.is_valid():
        module = get_object_or_404(Item, slug=form.cleaned_data["module"])
        try:
            session = services.session_create(
                user=request.user,
                module=module,
                board=board,
                school=school,
                held_on=form.cleaned_data["held_on"],
                participants=[int(pk) for pk in form.cleaned_data["participants"]],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The session is planned; the participants were told."))
            return redirect("learning_session", session.pk)
    return render(
        request,
        "learning/session_form.html",
        {
            "form": form,
            "place": place,
            "place_name": school or board,
            "places": places,
            "session": None,
            "minimum": minimum,
        },
    )


@login_required
def learning_session(request: HttpRequest, pk: int) -> HttpResponse:
    session, rights = selectors.get_session_for_user(request.user, pk)
    participants = list(session.participants.order_by("last_name", "first_name", "pk"))
    today = timezone.localdate()
    minimum = selectors.evaluation_minimum()
    return render(
        request,
        "learning/session_detail.html",
        {
            "session": session,
            "rights": rights,
            "text": module_text(session.module),
            "participants": participants if rights.see_people else [],
            "participant_count": len(participants),
            "evaluation": selectors.evaluation_for(session, rights, request.user),
            "may_open_evaluation": rights.edit
            and session.evaluation_id is None
            and session.held_on <= today,
            "held": session.held_on <= today,
            "minimum": minimum,
            # Those who run it hear that its figures can never show; participants need not.
            "too_few": rights.see_people and len(participants) < minimum,
        },
    )


def _session_data(session: Session) -> dict[str, Any]:
    """The saved session as form data (what the page shows after a refused stale edit)."""
    return {
        "held_on": session.held_on.isoformat(),
        "participants": [str(pk) for pk in session.participants.values_list("pk", flat=True)],
        "notes": session.notes,
        "revision": session.revision,
    }


def _edit_form(
    data: Any, *, session: Session, people: list[tuple[Any, str]], minimum: int
) -> SessionForm:
    """The form changing `session`. Once its evaluation is open, the date and participants are
    what the participants answered about: the form then holds only the notes, and the page
    shows the date and participants as plain text rather than inputs that would be refused."""
    form = SessionForm(
        data, modules=[], people=people, minimum=minimum, initial=_session_data(session)
    )
    del form.fields["module"]
    if session.evaluation_id is not None:
        del form.fields["held_on"]
        del form.fields["participants"]
    return form


@login_required
@require_http_methods(["GET", "POST"])
def learning_session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session, rights = selectors.get_session_for_user(request.user, pk)
    if not rights.edit:
        raise PermissionDenied
    current = list(session.participants.all())
    eligible = selectors.eligible_people(board=session.board, school=session.school)
    seen = {person.pk for person, _role in eligible}
    people = [(p, r) for p, r in eligible if p.pk != session.facilitator_id]
    people += [(p, "") for p in current if p.pk not in seen]  # their role there has ended
    minimum = selectors.evaluation_minimum()
    form = _edit_form(request.POST or None, session=session, people=people, minimum=minimum)
    saved_notes = None
    if request.method == "POST" and form.is_valid():
        fixed = session.evaluation_id is not None
        try:
            services.session_update(
                user=request.user,
                session=session,
                revision=form.cleaned_data["revision"] or 0,
                held_on=session.held_on if fixed else form.cleaned_data["held_on"],
                participants=[p.pk for p in current]
                if fixed
                else [int(pk) for pk in form.cleaned_data["participants"]],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            fresh = Session.objects.get(pk=session.pk)
            if fresh.revision != form.cleaned_data["revision"]:
                # Someone saved first: show what they saved, but keep the notes this person
                # wrote (theirs shown beside them) so nothing typed is lost.
                mine = form.cleaned_data["notes"]
                session = fresh
                current = list(fresh.participants.all())
                form = _edit_form(
                    {**_session_data(fresh), "notes": mine},
                    session=fresh,
                    people=people,
                    minimum=minimum,
                )
                form.is_valid()
                saved_notes = fresh.notes if fresh.notes != mine.strip() else None
            _form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("learning_session", session.pk)
    return render(
        request,
        "learning/session_form.html",
        {
            "form": form,
            "session": session,
            "text": module_text(session.module),
            "place_name": session.school or session.board,
            "fixed_participants": sorted(current, key=lambda p: (p.last_name, p.first_name, p.pk)),
            "saved_notes": saved_notes,
            "minimum": minimum,
            "too_few": len(current) < minimum,
        },
    )


@login_required
@require_POST
def learning_session_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    session, rights = selectors.get_session_for_user(request.user, pk)
    if not rights.edit:
        raise PermissionDenied
    try:
        services.session_evaluation_open(user=request.user, session=session)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The evaluation is open; the participants were invited to answer.")
        )
    return redirect("learning_session", session.pk)
