"""Pages of problems of practice, visits and notes. Rights come from `capacity.directory.access`
through `selectors_visits`; every change goes through `services_visits`.

The notes page is built for a phone that may lose its connection: it saves each note in the
browser first and sends it when it can (capacity/static/capacity/rounds/notes.js), and a small
service worker (`rounds_notes_worker`, served under /rounds/ so that its scope covers the notes
pages) keeps the page and its files for when the phone is offline.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capacity.directory import access
from capacity.directory.models import School
from capacity.evidence.labels import assessment_name, group_name
from capacity.planning.models import Goal
from capacity.rounds import selectors_visits as selectors
from capacity.rounds import services_visits as services
from capacity.rounds.forms_visits import (
    ClassroomFormSet,
    ProblemForm,
    StageForm,
    VisitForm,
    schedule_rows,
)
from capacity.rounds.language import LEVELS, shipped_bloom, suggest_level
from capacity.rounds.models import Bloom, ProblemOfPractice, Visit, VisitStage

CHECK_TEXT_MAX = services.NOTE_TEXT_MAX


def _form_errors(form: Any, error: ValidationError) -> None:
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _url(name: str, *args: Any) -> str:
    """A page of another part of the app, or "" while that part has not added it."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- my rounds ---------------------------------------------------------------------------


@login_required
def rounds_index(request: HttpRequest) -> HttpResponse:
    """Problems of practice and visits the person reads (one school's with ?school=), and where
    they may start a problem of practice."""
    school = None
    if request.GET.get("school"):
        school = get_object_or_404(School, number=request.GET["school"][:20])
    coming, past = selectors.visits_listed(request.user, school=school)
    plannable = access.rounds_schools_for(request.user).order_by("name")
    if school is not None:
        plannable = plannable.filter(pk=school.pk)
    return render(
        request,
        "rounds/visits/index.html",
        {
            "school": school,
            "problems": list(selectors.problems_for(request.user, school=school)[:200]),
            "coming": coming,
            "past": past,
            "plannable": list(plannable[:500]),
            "today": timezone.localdate(),
            "may_form_networks": access.can_form_networks(request.user),
            "school_patterns": school is not None and _reads_school_rounds(request.user, school),
        },
    )


def _reads_school_rounds(user: Any, school: School) -> bool:
    """Whether the school's own patterns page opens for the person (a network's facilitator
    reads the network's visits there, not the school's rounds)."""
    return access.scope_for(user).may_read_rounds_of(
        board_ids={school.board_id}, school_ids={school.pk}, network_id=None
    )


# --- problems of practice ----------------------------------------------------------------


def _goal(form: ProblemForm, school: School) -> Goal | None:
    value = form.cleaned_data.get("goal") or ""
    if not value:
        return None
    return Goal.objects.select_related("plan").filter(pk=int(value), plan__school=school).first()


def _problem_page(
    request: HttpRequest,
    *,
    school: School,
    form: ProblemForm,
    problem: ProblemOfPractice | None,
    chosen: str,
) -> HttpResponse:
    return render(
        request,
        "rounds/visits/problem_form.html",
        {
            "form": form,
            "school": school,
            "problem": problem,
            "choices": selectors.result_choices(school),
            "chosen": chosen,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rounds_problem_new(request: HttpRequest) -> HttpResponse:
    """Start a problem of practice from one of the school's published results (?result=)."""
    number = request.GET.get("school", "")[:20]
    if not number:
        schools = list(access.rounds_schools_for(request.user)[:2])
        if not schools:
            raise PermissionDenied
        if len(schools) > 1:
            return redirect("rounds_index")
        number = schools[0].number
    school = get_object_or_404(School.objects.select_related("board"), number=number)
    if not access.can_plan_rounds(request.user, school):
        raise PermissionDenied
    goals = selectors.goal_choices(school) if selectors.may_see_goal(request.user, school) else None
    chosen = request.POST.get("result") or request.GET.get("result", "")
    initial: dict[str, Any] = {"result": chosen}
    choice = {c.key: c for c in selectors.result_choices(school)}.get(chosen)
    if choice is not None:
        initial["evidence"] = selectors.evidence_sentence(choice)
    form = ProblemForm(request.POST or None, goals=goals, initial=initial)
    del form.fields["version"]
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_create(
                user=request.user,
                school=school,
                statement=form.cleaned_data["statement"],
                evidence=form.cleaned_data["evidence"],
                result=form.cleaned_data["result"],
                goal=_goal(form, school),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("The problem of practice is set. Plan a visit to observe it.")
            )
            return redirect("rounds_problem", problem.pk)
    return _problem_page(request, school=school, form=form, problem=None, chosen=chosen)


@login_required
def rounds_problem(request: HttpRequest, pk: int) -> HttpResponse:
    problem, may_plan = selectors.get_problem_for_user(request.user, pk)
    coming, past = selectors.visits_listed(request.user, school=problem.school)
    visits = [v for v in coming + past if v.problem_id == problem.pk]
    facts = problem.evidence_facts or {}
    figures = None
    if facts.get("assessment"):
        figures = {
            "assessment": assessment_name(str(facts["assessment"])),
            "group": group_name(str(facts.get("group") or "all")),
            "year": facts.get("school_year", ""),
            "below": facts.get("below_standard"),
            "participating": facts.get("participating"),
        }
    return render(
        request,
        "rounds/visits/problem_detail.html",
        {
            "problem": problem,
            "may_plan": may_plan,
            "see_goal": selectors.may_see_goal(request.user, problem.school),
            "visits": visits,
            "figures": figures,
        },
    )


def _problem_data(problem: ProblemOfPractice) -> dict[str, Any]:
    return {
        "evidence": problem.evidence,
        "statement": problem.statement,
        "goal": str(problem.goal_id or ""),
        "version": problem.version,
        "result": "",
    }


@login_required
@require_http_methods(["GET", "POST"])
def rounds_problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    problem, may_plan = selectors.get_problem_for_user(request.user, pk)
    if not may_plan:
        raise PermissionDenied
    school = problem.school
    goals = selectors.goal_choices(school) if selectors.may_see_goal(request.user, school) else None
    chosen = request.POST.get("result") or request.GET.get("result", "")
    initial = _problem_data(problem)
    choice = {c.key: c for c in selectors.result_choices(school)}.get(chosen)
    if choice is not None:
        initial.update(result=chosen, evidence=selectors.evidence_sentence(choice))
    form = ProblemForm(request.POST or None, goals=goals, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_update(
                user=request.user,
                problem=problem,
                version=form.cleaned_data["version"] or 0,
                statement=form.cleaned_data["statement"],
                evidence=form.cleaned_data["evidence"],
                result=form.cleaned_data["result"],
                goal=_goal(form, school) if goals is not None else None,
            )
        except services.Stale as error:
            problem = ProblemOfPractice.objects.get(pk=problem.pk)
            form = ProblemForm(_problem_data(problem), goals=goals)
            form.is_valid()
            _form_errors(form, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("rounds_problem", problem.pk)
    return _problem_page(request, school=school, form=form, problem=problem, chosen=chosen)


# --- visits --------------------------------------------------------------------------------


def _people(school: School, network: Any, user: Any, extra: list[Any]) -> list[tuple[int, str]]:
    """(pk, label) of who may be on the team; the planner and anyone already chosen included."""
    found = [(c.person.pk, c.label) for c in selectors.team_candidates(school, network)]
    seen = {pk for pk, _label in found}
    for person in [user, *extra]:
        if person.pk not in seen:
            found.append((person.pk, str(person)))
            seen.add(person.pk)
    return found


def _visit_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "rounds/visits/visit_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rounds_visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan a visit observing a problem of practice; ?cycle=<network cycle> for a network's
    visit to a member school, planned by the network's facilitators."""
    problem = get_object_or_404(ProblemOfPractice.objects.select_related("school"), pk=pk)
    cycle = None
    cycle_pk = request.GET.get("cycle", "")
    if cycle_pk:
        if not cycle_pk.isdigit():
            raise Http404
        cycle = selectors.get_cycle_for_visit(request.user, int(cycle_pk), problem.school)
    else:
        problem, may_plan = selectors.get_problem_for_user(request.user, pk)
        if not may_plan:
            raise PermissionDenied
    people = _people(problem.school, cycle.network if cycle else None, request.user, [])
    form = VisitForm(
        request.POST or None, people=people, initial={"facilitator": str(request.user.pk)}
    )
    del form.fields["version"]
    schedule = ClassroomFormSet(request.POST or None, prefix="classrooms")
    if request.method == "POST" and form.is_valid() and schedule.is_valid():
        try:
            visit = services.visit_create(
                user=request.user,
                problem=problem,
                on=form.cleaned_data["on"],
                facilitator=int(form.cleaned_data["facilitator"]),
                team=[int(p) for p in form.cleaned_data["team"]],
                classrooms=schedule_rows(schedule),
                cycle=cycle,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The visit is planned; the team was told."))
            return redirect("rounds_visit", visit.pk)
    return _visit_page(
        request,
        {"form": form, "schedule": schedule, "problem": problem, "visit": None, "cycle": cycle},
    )


@login_required
def rounds_visit(request: HttpRequest, pk: int) -> HttpResponse:
    visit, rights = selectors.get_visit_for_user(request.user, pk)
    today = timezone.localdate()
    stages = []
    for code, label in VisitStage.choices:
        stages.append({"code": code, "label": label, "current": code == visit.stage})
    moves = [
        (to, VisitStage(to).label)
        for to in (VisitStage.OBSERVING, VisitStage.DEBRIEF)
        if (rights.plan or rights.debrief) and services.MOVES.get(VisitStage(visit.stage)) == to
    ]
    waiting = {to: services.stage_refusal(visit, to, today) for to, _label in moves}
    return render(
        request,
        "rounds/visits/visit_detail.html",
        {
            "visit": visit,
            "rights": rights,
            "team": selectors.team(visit),
            "classrooms": list(visit.classrooms.all()),
            "note_count": selectors.note_count(visit),
            "mine": len(selectors.own_notes(request.user, visit)) if rights.notes else 0,
            "stages": stages,
            "moves": [(to, label, waiting[to]) for to, label in moves],
            "debrief_url": _url("rounds_debrief", visit.pk)
            if visit.stage in (VisitStage.DEBRIEF, VisitStage.DONE)
            else "",
            "network_url": _url("rounds_network", visit.network_id) if visit.network_id else "",
            "today": today,
        },
    )


def _visit_data(visit: Visit) -> dict[str, Any]:
    return {
        "on": visit.on.isoformat(),
        "facilitator": str(visit.facilitator_id),
        "team": [str(m.person_id) for m in visit.members.all()],
        "version": visit.version,
    }


def _schedule_initial(visit: Visit) -> list[dict[str, Any]]:
    return [
        {
            "id": c.pk,
            "starts": c.starts,
            "minutes": c.minutes,
            "grade": c.grade,
            "subject": c.subject,
        }
        for c in visit.classrooms.all()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def rounds_visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit, rights = selectors.get_visit_for_user(request.user, pk)
    if not rights.plan:
        raise PermissionDenied
    if visit.stage == VisitStage.DONE:
        messages.error(request, _("The visit is done: its record stays as it was."))
        return redirect("rounds_visit", visit.pk)
    people = _people(
        visit.school, visit.network, request.user, [*selectors.team(visit), visit.facilitator]
    )
    form = VisitForm(request.POST or None, people=people, initial=_visit_data(visit))
    schedule = ClassroomFormSet(
        request.POST or None, prefix="classrooms", initial=_schedule_initial(visit)
    )
    if request.method == "POST" and form.is_valid() and schedule.is_valid():
        try:
            services.visit_update(
                user=request.user,
                visit=visit,
                version=form.cleaned_data["version"] or 0,
                on=form.cleaned_data["on"],
                facilitator=int(form.cleaned_data["facilitator"]),
                team=[int(p) for p in form.cleaned_data["team"]],
                classrooms=schedule_rows(schedule),
            )
        except services.Stale as error:
            visit = Visit.objects.get(pk=visit.pk)
            form = VisitForm(_visit_data(visit), people=people)
            form.is_valid()
            schedule = ClassroomFormSet(prefix="classrooms", initial=_schedule_initial(visit))
            _form_errors(form, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("rounds_visit", visit.pk)
    return _visit_page(
        request,
        {
            "form": form,
            "schedule": schedule,
            "problem": visit.problem,
            "visit": visit,
            "cycle": visit.cycle,
        },
    )


@login_required
@require_POST
def rounds_visit_stage(request: HttpRequest, pk: int) -> HttpResponse:
    visit, rights = selectors.get_visit_for_user(request.user, pk)
    if not (rights.plan or rights.debrief):
        raise PermissionDenied
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage of the visit."))
        return redirect("rounds_visit", visit.pk)
    try:
        moved = services.visit_stage_move(
            user=request.user,
            visit=visit,
            version=form.cleaned_data["version"],
            to=form.cleaned_data["to"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The visit is now at the stage: %(stage)s.")
            % {"stage": VisitStage(moved.stage).label},
        )
    return redirect("rounds_visit", visit.pk)


# --- notes -------------------------------------------------------------------------------


def _level_names() -> dict[str, str]:
    return {code: str(label) for code, label in Bloom.choices}


@login_required
def rounds_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone page a team member takes notes on: offline first, their own notes only."""
    visit, rights = selectors.get_visit_for_user(request.user, pk)
    if not rights.notes:
        raise PermissionDenied
    language = "fr" if (get_language() or "en").startswith("fr") else "en"
    mine = [services.note_data(n) for n in selectors.own_notes(request.user, visit)]
    taxonomy = shipped_bloom()
    levels = [
        {
            "code": code,
            "name": str(Bloom(code).label),
            "description": taxonomy.level(code).description.get(language),
        }
        for code in LEVELS
    ]
    classrooms = list(visit.classrooms.all())
    return render(
        request,
        "rounds/visits/notes.html",
        {
            "visit": visit,
            "classrooms": classrooms,
            "levels": levels,
            "language": language,
            "mine": mine,
            "done": visit.stage == VisitStage.DONE,
            "notes_config": {
                "visit": visit.pk,
                "person": request.user.pk,
                "sync": reverse("rounds_notes_sync", args=[visit.pk]),
                "check": reverse("rounds_note_check"),
                "worker": reverse("rounds_notes_worker"),
                "levels": _level_names(),
                "strings": _notes_strings(),
                "classrooms": {
                    str(c.position): f"{c.position}. {_classroom_label(c)}" for c in classrooms
                },
            },
        },
    )


def _notes_strings() -> dict[str, str]:
    """What notes.js says, in the page's language (the script itself holds no words)."""
    return {
        "offline": _(
            "You are offline: your notes stay on this phone and are sent when you are back online."
        ),
        "online": _("Online: each note is sent as you save it."),
        "sending": _("Sending your notes…"),
        "sent": _("Every note is sent."),
        "saved": _("Note saved on this phone."),
        "retry": _("Not sent yet: trying again shortly."),
        "signin": _("Sign in again to send your notes; they stay on this phone until then."),
        "forbidden": _("You are not on this visit's team: your notes stay on this phone."),
        "empty": _("Write what you saw for at least one of the three prompts."),
        "suggested": _("Suggested level: %(level)s, from the verbs: %(verbs)s."),
        "confirm": _("Confirm it or choose another."),
        "no_suggestion": _("No level suggested: no verb of the lists in the task. Choose one."),
        "judges": _("Judges rather than describes:"),
        "suggested_tag": _("suggested"),
        "change": _("Change this note"),
        "editing": _("You are changing a note you wrote: save to send the change."),
        "not_sent": _("Not sent:"),
        "teacher_doing": _("The teacher:"),
        "students_doing": _("The students:"),
        "task": _("The task:"),
        "level": _("Level: %(level)s"),
        "other_classroom": _("A classroom not on the schedule"),
    }


def _classroom_label(classroom: Any) -> str:
    parts = [classroom.get_grade_display(), classroom.get_subject_display()]
    if classroom.starts:
        parts.insert(0, classroom.starts.strftime("%H:%M"))
    return ", ".join(p for p in parts if p) or _("Classroom")


def _json_body(request: HttpRequest) -> Any:
    if len(request.body) > 2_000_000:
        raise ValidationError({"notes": [_("Send fewer notes at a time.")]})
    try:
        return json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        # RecursionError: nested deeper than the parser goes ("[[[[..."), a 500 otherwise.
        raise ValidationError({"__all__": [_("The request is not valid JSON.")]}) from exc


def _error_answer(error: ValidationError, status: int = 400) -> JsonResponse:
    errors = error.message_dict if hasattr(error, "error_dict") else {}
    return JsonResponse({"detail": " ".join(error.messages), "errors": errors}, status=status)


def results_data(results: list[services.NoteResult]) -> list[dict[str, Any]]:
    return [
        {
            "index": r.index,
            "client_id": r.client_id,
            "status": r.status,
            "errors": r.errors,
            "note": r.note,
        }
        for r in results
    ]


@require_POST
def rounds_notes_sync(request: HttpRequest, pk: int) -> HttpResponse:
    """JSON: {"notes": [...]} -> {"results": [...]}, one result per note, by index. A phone that
    lost its session gets 401 (not the sign-in page) and keeps its notes."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Sign in again to send your notes.")}, status=401)
    visit, rights = selectors.get_visit_for_user(request.user, pk)
    if not rights.notes:
        raise PermissionDenied
    try:
        body = _json_body(request)
        notes = body.get("notes") if isinstance(body, dict) else None
        results = services.notes_sync(user=request.user, visit=visit, notes=notes)  # type: ignore[arg-type]
    except ValidationError as error:
        return _error_answer(error)
    return JsonResponse({"results": results_data(results)})


def check_data(fields: dict[str, Any], language: str) -> dict[str, Any]:
    """The descriptive-language flags of each prompt and the task's suggested level."""
    texts = {name: str(fields.get(name) or "")[:CHECK_TEXT_MAX] for name in services.PROMPTS}
    flags: dict[str, list[dict[str, Any]]] = {name: [] for name in services.PROMPTS}
    for flag in services.language_flags(texts, language):
        flags[flag["field"]].append(
            {"text": flag["text"], "kind": flag["kind"], "suggestion": flag["suggestion"]}
        )
    suggestion = suggest_level(texts["task"], language)
    return {
        "flags": flags,
        "suggestion": None
        if suggestion is None
        else {
            "level": suggestion.level,
            "name": str(Bloom(suggestion.level).label),
            "verbs": list(suggestion.verbs),
        },
    }


@require_POST
def rounds_note_check(request: HttpRequest) -> HttpResponse:
    """JSON: a draft note's three prompts and language -> its flags and the suggested level.
    Computes only; stores nothing."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Sign in again.")}, status=401)
    try:
        body = _json_body(request)
    except ValidationError as error:
        return _error_answer(error)
    if not isinstance(body, dict) or body.get("language") not in services.LANGUAGES:
        return JsonResponse({"detail": _("Write the note in English or French.")}, status=400)
    return JsonResponse(check_data(body, str(body["language"])))


def rounds_notes_worker(request: HttpRequest) -> HttpResponse:
    """The notes pages' service worker. Served from here, under /rounds/, because a worker's
    scope is the folder it is served from; it holds no data, so anyone may fetch it."""
    response = render(request, "rounds/visits/notes-worker.js", content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response
