"""Pages for year close goal by goal, the marker-student log and pedagogical documentation.

Thin: reads through selectors_yearclose (which refuses the log and documentation to everyone but
the school's team), writes through services_yearclose."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capacity.directory import access
from capacity.planning import forms_yearclose as forms
from capacity.planning import history, selectors
from capacity.planning import selectors_yearclose as yc
from capacity.planning import services_yearclose as services
from capacity.planning.models import Stage
from capacity.planning.services import Conflict
from capacity.planning.views import _form_errors


def _goal_form(plan: Any, line: yc.GoalLine) -> forms.GoalCarryForm:
    initial: dict[str, Any] = {"version": plan.version}
    if line.decision is not None:
        initial |= {
            "decision": line.decision.decision,
            "statement": line.decision.statement,
            "why": line.decision.why,
        }
    return forms.GoalCarryForm(initial=initial, prefix=f"g{line.goal.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def yearclose_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Each goal with its targets' progress and its year-close decisions; at Reflect the plan's
    team decides, goal by goal, whether it goes into next year's plan and why."""
    plan, rights = selectors.get_plan_for_user(request.user, pk)
    can_decide = rights.edit and plan.stage == Stage.REFLECT
    if request.method == "POST" and not can_decide:
        raise PermissionDenied
    bound: forms.GoalCarryForm | None = None
    posted_goal = None
    conflict: Conflict | None = None
    if request.method == "POST":
        try:
            posted_goal = yc.get_goal(plan, int(request.POST.get("goal", "")))
        except ValueError as error:
            raise Http404 from error
        prefix = f"g{posted_goal.pk}"
        bound = forms.GoalCarryForm(request.POST, prefix=prefix)
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                services.goal_carry_decide(
                    plan=plan,
                    goal=posted_goal,
                    user=request.user,
                    seen=data["version"],
                    decision=data["decision"],
                    why=data["why"],
                    statement=data["statement"],
                )
            except Conflict as error:
                conflict = error
            except ValidationError as error:
                _form_errors(bound, error)
            else:
                messages.success(request, _("Decision recorded."))
                return redirect(reverse("yearclose_plan", args=[plan.pk]) + f"#goal-{prefix}")
        if conflict is not None:
            # Keep what was typed; the form now carries the current version, so saving again is
            # a choice made after reading what changed.
            plan.refresh_from_db()
            data = request.POST.copy()
            data[f"{prefix}-version"] = str(plan.version)
            bound = forms.GoalCarryForm(data, prefix=prefix)
    lines = yc.goal_lines(plan)
    rows = []
    for line in lines:
        form = None
        if can_decide:
            form = bound if posted_goal and posted_goal.pk == line.goal.pk else None
            form = form or _goal_form(plan, line)
        rows.append((line, form))
    return render(
        request,
        "planning/yearclose/plan.html",
        {
            "plan": plan,
            "rows": rows,
            "can_decide": can_decide,
            "undecided": [line for line in lines if line.decision is None],
            "conflict": conflict,
            "changes": history.describe(selectors.changes_since(plan, conflict.seen), plan)
            if conflict
            else None,
            "records": access.may_keep_school_records(request.user, plan),
        },
    )


# --- the marker-student log ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def yearclose_marker_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The school team's log of what it saw of each marker student, by code; add an entry."""
    plan = yc.get_records_plan(request.user, pk)
    codes = yc.marker_code_suggestions(plan)
    can_write = plan.stage != Stage.CLOSED
    if request.method == "POST" and not can_write:
        raise PermissionDenied
    form = forms.MarkerNoteForm(request.POST or None, codes=codes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.marker_note_add(
                plan=plan,
                user=request.user,
                code=data["code"],
                on=data["on"],
                observed=data["observed"],
                next_step=data["next_step"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Entry added to the log."))
            return redirect("yearclose_marker_log", plan.pk)
    return render(
        request,
        "planning/yearclose/marker_log.html",
        {
            "plan": plan,
            "groups": yc.marker_log(request.user, plan),
            "codes": codes,
            "form": form if can_write else None,
        },
    )


@login_required
@require_POST
def yearclose_marker_note_delete(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    plan = yc.get_records_plan(request.user, pk)
    note = yc.get_note(request.user, plan, note_id)
    try:
        services.marker_note_delete(note=note, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Entry deleted from the log."))
    return redirect("yearclose_marker_log", plan.pk)


# --- pedagogical documentation --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def yearclose_documentation(request: HttpRequest, pk: int) -> HttpResponse:
    """The school team's pedagogical documentation; add an item with its consent."""
    plan = yc.get_records_plan(request.user, pk)
    can_write = plan.stage != Stage.CLOSED
    if request.method == "POST" and not can_write:
        raise PermissionDenied
    form = forms.DocumentationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.documentation_add(
                plan=plan,
                user=request.user,
                title=data["title"],
                file=data["file"],
                consent=data["consent"],
                description=data["description"],
                code=data["code"],
                consent_on=data.get("consent_on"),
                consent_scope=data["consent_scope"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Documentation added."))
            return redirect("yearclose_documentation", plan.pk)
    return render(
        request,
        "planning/yearclose/documentation.html",
        {
            "plan": plan,
            "items": yc.documentation_list(request.user, plan),
            "form": form if can_write else None,
        },
    )


@login_required
def yearclose_documentation_file(request: HttpRequest, pk: int, item_id: int) -> FileResponse:
    """An item's file, for the school's team only (never served publicly)."""
    plan = yc.get_records_plan(request.user, pk)
    item = yc.get_documentation(request.user, plan, item_id)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.file.name.rsplit("/", 1)[-1],
    )


@login_required
@require_http_methods(["GET", "POST"])
def yearclose_documentation_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Remove an item and its file, saying why (a consent withdrawn, no longer needed)."""
    plan = yc.get_records_plan(request.user, pk)
    item = yc.get_documentation(request.user, plan, item_id)
    form = forms.RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.documentation_remove(
                item=item, user=request.user, why=form.cleaned_data["why"]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Documentation removed, with its file."))
            return redirect("yearclose_documentation", plan.pk)
    return render(
        request,
        "planning/yearclose/documentation_remove.html",
        {"plan": plan, "item": item, "form": form},
    )
