"""The debrief's pages: a visit's debrief (themes, task levels, the prediction, finishing it),
its PDF, the next level of work becoming plan strategies or network actions, and patterns
over time. Rights come from `access.visit_rights` through the selectors; every change goes
through `services_debrief`.

Every edit of the debrief is a plain form posted to the debrief page (`action` says which),
so the page works without JavaScript; with htmx the page swaps only its work area
(`rounds/debrief/_work.html`) and keeps its place, and every form there carries the visit's
new version.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capacity.directory import access
from capacity.directory.models import Network, School
from capacity.rounds import charts_debrief, exports_debrief
from capacity.rounds import selectors_debrief as selectors
from capacity.rounds import services_debrief as services
from capacity.rounds.affinity import MAX_GROUPS
from capacity.rounds.forms_debrief import FORMS, NextStepForm, StrategyForm
from capacity.rounds.models import Bloom, NextStep, Visit, VisitStage


def url_or_blank(name: str, *args: Any) -> str:
    """A page of another part of the rounds app, or "" while that part has not added it."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _partial(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _messages(error: ValidationError) -> list[str]:
    return list(error.messages)


def _context(
    request: HttpRequest,
    visit: Visit,
    rights: Any,
    *,
    errors: dict[str, list[str]] | None = None,
    confirm_groups: str | None = None,
    typed: dict[str, str] | None = None,
    step_form: NextStepForm | None = None,
    done: str = "",
) -> dict[str, Any]:
    readable = selectors.may_read_debrief(visit, rights)
    debrief = selectors.debrief_for(visit) if readable else None
    editing = rights.debrief and visit.stage == VisitStage.DEBRIEF
    plan, goals = selectors.goals_for_steps(request.user, visit) if rights.debrief else (None, [])
    level_title = _("Tasks by level on this visit")
    return {
        "visit": visit,
        "rights": rights,
        "readable": readable,
        "debrief": debrief,
        "editing": editing,
        "steps_open": rights.debrief and visit.stage in (VisitStage.DEBRIEF, VisitStage.DONE),
        "chart": charts_debrief.levels_chart(debrief.levels, title=level_title)
        if debrief is not None and debrief.levelled
        else None,
        "horizons": selectors.next_steps_by_horizon(debrief.next_steps) if debrief else [],
        "plan": plan,
        "goals": goals,
        "bloom": Bloom.choices,
        "group_counts": range(2, MAX_GROUPS + 1),
        "errors": errors or {},
        "confirm_groups": confirm_groups,
        "typed": typed or {},
        "step_form": step_form or NextStepForm(),
        "done": done,
        "visit_url": url_or_blank("rounds_visit", visit.pk),
        "index_url": url_or_blank("rounds_index"),
        "school_patterns": access.scope_for(request.user).may_read_rounds_of(
            board_ids={visit.school.board_id}, school_ids={visit.school.pk}, network_id=None
        ),
        "responsible": _("The school improvement team"),
    }


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    template = "rounds/debrief/_work.html" if _partial(request) else "rounds/debrief/debrief.html"
    return render(request, template, context, status=status)


# --- the debrief -------------------------------------------------------------------------------

# Where each edit's errors show, and where the page goes back to after it.
_TARGETS = {
    "group": lambda d: ("group", "themes"),
    "move": lambda d: (f"move-{d.get('note', '')}", f"note-{d.get('note', '')}"),
    "rename": lambda d: (f"rename-{d.get('group', '')}", f"theme-{d.get('group', '')}"),
    "level": lambda d: (f"level-{d.get('note', '')}", f"note-{d.get('note', '')}"),
    "predict": lambda d: ("prediction", "prediction"),
    "finish": lambda d: ("finish", "finish"),
}


def _done_message(action: str) -> str:
    return {
        "group": _("The notes are grouped into themes."),
        "move": _("The note is moved."),
        "rename": _("The theme is named."),
        "level": _("The task's level is saved."),
        "predict": _("The prediction is saved."),
        "finish": _("The debrief is finished; the visit's team and the school's team were told."),
    }[action]


def _apply(request: HttpRequest, visit: Visit, action: str, data: dict[str, Any]) -> None:
    user, version = request.user, data["version"]
    if action == "group":
        services.debrief_group(
            user=user,
            visit=visit,
            version=version,
            groups=data["groups"],
            discard_edits=data["confirm"],
        )
    elif action == "move":
        services.debrief_move(
            user=user, visit=visit, version=version, note=data["note"], to_group=data["to_group"]
        )
    elif action == "rename":
        services.debrief_rename(
            user=user, visit=visit, version=version, group=data["group"], name=data["name"]
        )
    elif action == "level":
        services.debrief_level(
            user=user, visit=visit, version=version, note=data["note"], level=data["level"]
        )
    elif action == "predict":
        services.debrief_predict(
            user=user, visit=visit, version=version, prediction=data["prediction"]
        )
    else:
        services.debrief_finish(user=user, visit=visit, version=version)


@login_required
@require_http_methods(["GET", "POST"])
def rounds_debrief(request: HttpRequest, pk: int) -> HttpResponse:
    visit, rights = selectors.get_visit_for_user(request.user, pk)
    if request.method == "GET":
        return _page(request, _context(request, visit, rights))
    if not rights.debrief:
        raise PermissionDenied
    action = request.POST.get("action", "")
    if action not in FORMS:
        return HttpResponseBadRequest(_("Unknown change to the debrief."))
    form = FORMS[action](request.POST)
    target, anchor = _TARGETS[action](request.POST)
    if not form.is_valid():
        errors = [str(e) for field in form.errors.values() for e in field]
        return _page(request, _context(request, visit, rights, errors={target: errors}))
    data = form.cleaned_data
    try:
        _apply(request, visit, action, data)
    except services.RegroupNeedsConfirmation:
        groups = "" if data.get("groups") is None else str(data["groups"])
        return _page(request, _context(request, visit, rights, confirm_groups=groups))
    except ValidationError as error:
        fresh, rights = selectors.get_visit_for_user(request.user, pk)
        stale = isinstance(error, services.StaleDebrief)
        typed = {"prediction": data["prediction"]} if action == "predict" else {}
        response = _page(
            request,
            _context(
                request,
                fresh,
                rights,
                errors={"all" if stale else target: _messages(error)},
                typed=typed,
            ),
        )
        if stale and _partial(request):
            # The message is at the top of the work area: show it there (htmx's HX-Reswap).
            response["HX-Reswap"] = "outerHTML show:#debrief-work:top"
        return response
    if _partial(request):
        fresh, rights = selectors.get_visit_for_user(request.user, pk)
        return _page(request, _context(request, fresh, rights, done=_done_message(action)))
    messages.success(request, _done_message(action))
    return redirect(f"{reverse('rounds_debrief', args=[visit.pk])}#{anchor}")


@login_required
def rounds_debrief_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The debrief as a PDF: for its readers once finished, for those who run it at any time."""
    visit, rights = selectors.get_visit_for_user(request.user, pk)
    if not selectors.may_read_debrief(visit, rights):
        raise Http404
    pdf = exports_debrief.debrief_pdf(selectors.debrief_for(visit), language=get_language() or "en")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"debrief-{visit.school.number}-{visit.on:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- the next level of work ----------------------------------------------------------------------


def _to_steps(visit: Visit) -> HttpResponse:
    return redirect(f"{reverse('rounds_debrief', args=[visit.pk])}#next-steps")


@login_required
@require_POST
def rounds_next_step_new(request: HttpRequest, pk: int) -> HttpResponse:
    visit, rights = selectors.get_visit_for_user(request.user, pk)
    if not rights.debrief:
        raise PermissionDenied
    form = NextStepForm(request.POST)
    if form.is_valid():
        try:
            services.next_step_add(
                user=request.user,
                visit=visit,
                horizon=form.cleaned_data["horizon"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            if _partial(request):
                return _page(
                    request, _context(request, visit, rights, done=_("The step is added."))
                )
            messages.success(request, _("The step is added."))
            return _to_steps(visit)
    return _page(request, _context(request, visit, rights, step_form=form))


def _step_for_user(request: HttpRequest, pk: int) -> tuple[NextStep, Visit, Any]:
    step = get_object_or_404(NextStep, pk=pk)
    visit, rights = selectors.get_visit_for_user(request.user, step.visit_id)
    if not rights.debrief:
        raise PermissionDenied
    return step, visit, rights


def _step_refused(
    request: HttpRequest, visit: Visit, rights: Any, step: NextStep, problems: list[str]
) -> HttpResponse:
    return _page(request, _context(request, visit, rights, errors={f"step-{step.pk}": problems}))


@login_required
@require_POST
def rounds_next_step_strategy(request: HttpRequest, pk: int) -> HttpResponse:
    """The step becomes a strategy of the school's current plan, under the goal chosen."""
    step, visit, rights = _step_for_user(request, pk)
    plan, goals = selectors.goals_for_steps(request.user, visit)
    if plan is None:
        if selectors.current_plan(visit) is not None:
            raise PermissionDenied  # someone who does not write the school's plan
        return _step_refused(
            request, visit, rights, step, [_("The school has no improvement plan yet.")]
        )
    form = StrategyForm(request.POST, goals=[(g.pk, str(g)) for g in goals])
    if not form.is_valid():
        problems = [str(e) for field in form.errors.values() for e in field]
        return _step_refused(request, visit, rights, step, problems)
    goal = next(g for g in goals if g.pk == form.cleaned_data["goal"])
    try:
        services.next_step_strategy(
            user=request.user,
            step=step,
            goal=goal,
            seen=form.cleaned_data["seen"],
            responsible=form.cleaned_data["responsible"],
        )
    except ValidationError as error:
        return _step_refused(request, visit, rights, step, _messages(error))
    messages.success(request, _("The step is a strategy of the school's plan now."))
    return _to_steps(visit)


@login_required
@require_POST
def rounds_next_step_action(request: HttpRequest, pk: int) -> HttpResponse:
    """The step of a network's visit becomes one of the network's actions."""
    step, visit, rights = _step_for_user(request, pk)
    try:
        services.next_step_action(user=request.user, step=step)
    except ValidationError as error:
        return _step_refused(request, visit, rights, step, _messages(error))
    messages.success(request, _("The step is one of the network's actions now."))
    return _to_steps(visit)


# --- patterns over time ------------------------------------------------------------------------


@login_required
def rounds_patterns(request: HttpRequest) -> HttpResponse:
    school_number = request.GET.get("school", "").strip()
    network_id = request.GET.get("network", "").strip()
    if not school_number and not network_id:
        return _patterns_index(request)
    if school_number and network_id:
        raise Http404
    school, network = selectors.patterns_place(
        request.user, school=school_number or None, network=network_id or None
    )
    patterns = selectors.patterns_for(request.user, school=school, network=network)
    place = school.name if school is not None else network.name if network is not None else ""
    points = [
        (f"{row.visit.on:%Y-%m-%d}", row.higher_share, sum(c["count"] for c in row.levels.values()))
        for row in patterns.visits
    ]
    chart = charts_debrief.higher_share_chart(
        points, title=_("%(place)s: tasks at the higher levels, visit by visit") % {"place": place}
    )
    year_charts = [
        (
            year,
            charts_debrief.levels_chart(
                year.levels,
                title=_("%(place)s: tasks by level in %(year)s")
                % {"place": place, "year": year.school_year},
            ),
        )
        for year in patterns.years
        if any(c["count"] for c in year.levels.values())
    ]
    return render(
        request,
        "rounds/debrief/patterns.html",
        {
            "patterns": patterns,
            "place": place,
            "chart": chart,
            "year_charts": year_charts,
            "levels": Bloom.choices,
            "index_url": url_or_blank("rounds_index"),
        },
    )


def _patterns_index(request: HttpRequest) -> HttpResponse:
    """Where the person may read patterns: the schools and networks with finished debriefs."""
    done = Visit.objects.filter(
        access.rounds_filter(request.user, team="members__person"), stage=VisitStage.DONE
    )
    school_ids = set(done.values_list("school_id", flat=True))
    network_ids = set(done.exclude(network=None).values_list("network_id", flat=True))
    scope = access.scope_for(request.user)
    schools = [
        s
        for s in School.objects.filter(pk__in=school_ids).order_by("name")
        if scope.may_read_rounds_of(board_ids={s.board_id}, school_ids={s.pk}, network_id=None)
    ]
    networks = [
        n
        for n in Network.objects.filter(pk__in=network_ids).prefetch_related("schools")
        if scope.may_read_rounds_of(
            board_ids={s.board_id for s in n.schools.all()},
            school_ids={s.pk for s in n.schools.all()},
            network_id=n.pk,
        )
    ]
    networks.sort(key=lambda n: n.name)
    return render(
        request,
        "rounds/debrief/patterns_index.html",
        {"schools": schools, "networks": networks, "index_url": url_or_blank("rounds_index")},
    )
