"""Lesson study pages: the person's studies, starting one, a study's page, changing it, a cycle's
page (its records at each step, and the moves between steps), and sharing the findings as a case
study. Rights come from `selectors_lessons`; every change goes through `services_lessons`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Field
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capacity.directory import access
from capacity.directory.models import School
from capacity.planning.models import Goal
from capacity.rounds import exports_lessons, selectors_visits
from capacity.rounds import selectors_lessons as selectors
from capacity.rounds import services_lessons as services
from capacity.rounds.forms_lessons import CycleForm, StudyForm, cycle_field_label
from capacity.rounds.language import check_descriptive
from capacity.rounds.models import CycleStep, LessonCycle, LessonStudy

STEPS = [CycleStep.PLAN, CycleStep.TEACH, CycleStep.CRITIQUE, CycleStep.REVISE]


def _form_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def rounds_lessons(request: HttpRequest) -> HttpResponse:
    school = None
    number = request.GET.get("school", "").strip()
    if number:
        school = get_object_or_404(School, number=number[:20])
    going, done = selectors.studies_listed(request.user, school=school)
    for study in going:
        study.step_label = CycleStep(selectors.now_of(study)[1]).label  # type: ignore[attr-defined]
    return render(
        request,
        "rounds/lessons/list.html",
        {
            "school": school,
            "going": going,
            "done": done,
            "may_start": selectors.may_start_at(request.user, school)
            if school
            else selectors.may_start_studies(request.user),
        },
    )


def _goal_choices(user: Any, school: School) -> list[tuple[str, str]] | None:
    """The school's plan goals to choose from; None for a person who does not read its plan."""
    if not selectors_visits.may_see_goal(user, school):
        return None
    return [
        (str(g.pk), f"{g.plan.school_year} — {g.statement[:120]}")
        for g in selectors.goals_for(user, school)
    ]


def _goal(value: str) -> Goal | None:
    return Goal.objects.filter(pk=int(value)).first() if value and value.isdigit() else None


def _chosen_team(form: StudyForm) -> list[int]:
    return [int(pk) for pk in form.cleaned_data["team"]]


@login_required
@require_http_methods(["GET", "POST"])
def rounds_lesson_new(request: HttpRequest) -> HttpResponse:
    """Start a study: first the school (when the person may start studies at more than one), then
    the study's goal, question, grade, subject, plan goal, network and team."""
    number = request.GET.get("school", "").strip()
    if not number:
        places = list(selectors.study_places(request.user))
        if not places:
            raise PermissionDenied
        if len(places) > 1:
            return render(request, "rounds/lessons/place.html", {"places": places})
        number = places[0].number
    school = get_object_or_404(School.objects.select_related("board"), number=number[:20])
    plans_rounds = access.can_plan_rounds(request.user, school)
    networks = selectors.study_networks(request.user, school)
    if not plans_rounds and not networks:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    chosen_network = None
    if data is not None and data.get("network"):
        chosen_network = next((n for n in networks if str(n.pk) == data.get("network")), None)
    form = StudyForm(
        data,
        # With a network to choose, its member schools' staff are offered too; the service checks
        # the team against the network actually chosen.
        people=_people_for(school, networks),
        goals=_goal_choices(request.user, school),
        networks=[(str(n.pk), n.name) for n in networks] if networks else None,
        network_required=not plans_rounds,
    )
    del form.fields["version"]
    if request.method == "POST" and form.is_valid():
        try:
            study = services.lesson_study_create(
                user=request.user,
                school=school,
                network=chosen_network,
                title=form.cleaned_data["title"],
                overarching_goal=form.cleaned_data["overarching_goal"],
                research_question=form.cleaned_data["research_question"],
                grade=form.cleaned_data["grade"],
                subject=form.cleaned_data["subject"],
                goal=_goal(form.cleaned_data.get("goal", "")),
                team=_chosen_team(form),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The study has started with cycle 1; its team was told."))
            return redirect("rounds_lesson_cycle", study.pk, 1)
    return render(
        request,
        "rounds/lessons/form.html",
        {
            "form": form,
            "school": school,
            "study": None,
            "other_places": selectors.study_places(request.user).count() > 1,
        },
    )


def _people_for(school: School, networks: list[Any]) -> list[tuple[Any, str, Any]]:
    """Everyone a study at `school` could have on its team, whichever network is chosen."""
    seen: dict[int, tuple[Any, str, Any]] = {}
    for network in [None, *networks]:
        for row in selectors.team_candidates(school=school, network=network):
            seen.setdefault(row[0].pk, row)
    return sorted(seen.values(), key=lambda r: (r[0].last_name, r[0].first_name, r[0].pk))


@login_required
def rounds_lesson(request: HttpRequest, pk: int) -> HttpResponse:
    study, rights = selectors.get_study_for_user(request.user, pk)
    cycles = selectors.cycles_of(study)
    return render(
        request,
        "rounds/lessons/detail.html",
        {
            "study": study,
            "rights": rights,
            "cycles": cycles,
            "current": cycles[-1] if cycles else None,
            "team": selectors.team_of(study),
            "language": selectors.study_language(study),
            "sharers": selectors.sharers_of(study)
            if study.finished_at and not study.case_id and not rights.share
            else [],
        },
    )


def _study_data(study: LessonStudy) -> dict[str, Any]:
    return {
        "title": study.title,
        "overarching_goal": study.overarching_goal,
        "research_question": study.research_question,
        "grade": study.grade,
        "subject": study.subject,
        "goal": str(study.goal_id or ""),
        "team": [str(pk) for pk in study.team.values_list("pk", flat=True)],
        "version": study.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def rounds_lesson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    study, rights = selectors.get_study_for_user(request.user, pk)
    if not rights.edit or study.finished_at is not None:
        raise PermissionDenied
    people = selectors.team_candidates(
        school=study.school, network=study.network, current=tuple(study.team.all())
    )
    goals = _goal_choices(request.user, study.school) if rights.see_goal else None
    form = StudyForm(request.POST or None, people=people, goals=goals, initial=_study_data(study))
    saved: LessonStudy | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_study_update(
                user=request.user,
                study=study,
                version=form.cleaned_data["version"] or 0,
                title=form.cleaned_data["title"],
                overarching_goal=form.cleaned_data["overarching_goal"],
                research_question=form.cleaned_data["research_question"],
                grade=form.cleaned_data["grade"],
                subject=form.cleaned_data["subject"],
                goal=_goal(form.cleaned_data["goal"]) if goals is not None else study.goal,
                team=_chosen_team(form),
            )
        except services.StaleEdit as error:
            # Someone saved first: keep what this person wrote in the form, from the version now
            # saved, and show what was saved beside it, so nothing typed is lost.
            saved = LessonStudy.objects.select_related("goal").get(pk=study.pk)
            form = StudyForm(
                {**request.POST.dict(), "team": request.POST.getlist("team")}
                | {"version": str(saved.version)},
                people=people,
                goals=goals,
            )
            form.is_valid()
            _form_errors(form, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("rounds_lesson", study.pk)
    return render(
        request,
        "rounds/lessons/form.html",
        {
            "form": form,
            "school": study.school,
            "study": study,
            "saved": saved,
            "saved_team": selectors.team_of(saved) if saved else [],
            "see_goal": rights.see_goal,
        },
    )


def _cycle_data(cycle: LessonCycle, fields: tuple[str, ...]) -> dict[str, Any]:
    data: dict[str, Any] = {"version": cycle.version, "step": cycle.step}
    for field in fields:
        if field == "taught_on":
            data[field] = cycle.taught_on.isoformat() if cycle.taught_on else ""
        elif field != "findings":
            data[field] = getattr(cycle, field)
    return data


def _step_fields(cycle: LessonCycle) -> tuple[str, ...]:
    fields = services.STEP_FIELDS[cycle.step]
    return (*fields, "findings") if cycle.step == CycleStep.REVISE else fields


def _moved_message(move: str, following: LessonCycle) -> str:
    if move == services.AGAIN:
        return _("Cycle %(n)s starts from the revised lesson.") % {"n": following.number}
    if move == services.FINISH:
        return _("The study is finished. Its board's leaders were told it is ready to share.")
    return {
        CycleStep.TEACH: _("The lesson is planned: next, teach it and observe it."),
        CycleStep.CRITIQUE: _("The lesson was taught: next, the team's critique."),
        CycleStep.REVISE: _("The critique is recorded: next, what the team will change."),
    }[CycleStep(move)]


@login_required
@require_http_methods(["GET", "POST"])
def rounds_lesson_cycle(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A cycle's page: the records of its steps so far, and for the team the form of the step it
    is at, with the move to the next step."""
    study, rights = selectors.get_study_for_user(request.user, pk)
    cycle = selectors.get_cycle(study, number)
    cycles = selectors.cycles_of(study)
    open_ = (
        rights.edit
        and study.finished_at is None
        and cycle.step != CycleStep.DONE
        and cycle.number == cycles[-1].number
    )
    if request.method == "POST" and not open_:
        raise PermissionDenied
    fields = _step_fields(cycle)
    form = (
        CycleForm(request.POST or None, fields=fields, initial=_cycle_data(cycle, fields))
        if open_
        else None
    )
    unsaved: dict[str, Any] = {}
    language = selectors.study_language(study)
    if request.method == "POST" and request.POST.get("check") and form is not None:
        # "Check the wording": the judging words of the observations as written, saving nothing.
        # htmx asks for the suggestions alone; without it the page comes back with them.
        flags = check_descriptive(request.POST.get("observations", ""), language)
        if request.headers.get("HX-Request"):
            return render(
                request,
                "rounds/lessons/_flags.html",
                {"flags": flags, "language": language, "checked": True},
            )
        form.is_valid()
        return _cycle_page(request, study, rights, cycle, cycles, form, flags=flags, checked=True)
    if request.method == "POST" and form is not None and form.is_valid():
        move = request.POST.get("move", "")
        records = {f: form.cleaned_data[f] for f in services.STEP_FIELDS[cycle.step]}
        try:
            saved = services.lesson_cycle_update(
                user=request.user,
                cycle=cycle,
                version=form.cleaned_data["version"],
                records=records,
            )
            if not move:
                messages.success(request, _("Saved."))
                return redirect("rounds_lesson_cycle", study.pk, cycle.number)
            try:
                following = services.lesson_cycle_move(
                    user=request.user,
                    cycle=saved,
                    version=saved.version,
                    to=move,
                    findings=form.cleaned_data.get("findings") or "",
                )
            except ValidationError as error:
                # The records were saved; the move waits for what is missing.
                form = CycleForm(
                    {**request.POST.dict(), "version": str(saved.version)}, fields=fields
                )
                form.is_valid()
                _form_errors(form, error)
                cycle = saved
                messages.info(request, _("Saved, but not moved on: see what is missing below."))
            else:
                messages.success(request, _moved_message(move, following))
                return redirect("rounds_lesson_cycle", study.pk, following.number)
        except services.StaleEdit as error:
            fresh = LessonCycle.objects.get(pk=cycle.pk)
            cycles = selectors.cycles_of(study)
            written_at = request.POST.get("step") or cycle.step
            if fresh.step == written_at:
                # Keep what this person wrote, from the version now saved.
                form = CycleForm(
                    {**request.POST.dict(), "version": str(fresh.version), "step": fresh.step},
                    fields=fields,
                )
            else:
                # The cycle moved on since the page was opened: the form is its new step's (if
                # it is still open); what this person wrote is shown above it, so nothing typed
                # is lost.
                if written_at in services.STEP_FIELDS:
                    unsaved = {
                        cycle_field_label(f): request.POST.get(f, "")
                        for f in (*services.STEP_FIELDS[written_at], "findings")
                        if request.POST.get(f, "").strip()
                    }
                still_open = fresh.step != CycleStep.DONE and fresh.number == cycles[-1].number
                fresh_fields = _step_fields(fresh)
                form = (
                    CycleForm(_cycle_data(fresh, fresh_fields), fields=fresh_fields)
                    if still_open
                    else None
                )
            if form is not None:
                form.is_valid()
                _form_errors(form, error)
            else:
                messages.error(request, error.messages[0])
            cycle = fresh
        except ValidationError as error:
            _form_errors(form, error)
    return _cycle_page(request, study, rights, cycle, cycles, form, unsaved=unsaved)


def _cycle_page(
    request: HttpRequest,
    study: LessonStudy,
    rights: selectors.StudyRights,
    cycle: LessonCycle,
    cycles: list[LessonCycle],
    form: CycleForm | None,
    *,
    unsaved: dict[str, Any] | None = None,
    flags: list[Any] | None = None,
    checked: bool = False,
) -> HttpResponse:
    language = selectors.study_language(study)
    return render(
        request,
        "rounds/lessons/cycle.html",
        {
            "study": study,
            "rights": rights,
            "cycle": cycle,
            "cycles": cycles,
            "is_last": cycle.number == cycles[-1].number,
            "form": form,
            "unsaved": unsaved or {},
            "language": language,
            "steps": _steps(cycle),
            "moves": _moves(cycle) if form is not None else [],
            "flags": selectors.observation_flags(cycle, language) if flags is None else flags,
            "checked": checked,
            "records": _records(cycle),
        },
    )


def _steps(cycle: LessonCycle) -> list[tuple[str, str, str]]:
    """The cycle's steps as (code, label, "done" / "current" / "to come")."""
    at = 4 if cycle.step == CycleStep.DONE else STEPS.index(CycleStep(cycle.step))
    return [
        (str(step), str(step.label), "done" if i < at else "current" if i == at else "next")
        for i, step in enumerate(STEPS)
    ]


def _moves(cycle: LessonCycle) -> list[tuple[str, str]]:
    """The buttons that save and move on from the step the cycle is at."""
    labels = {
        CycleStep.TEACH: _("Save, and on to teaching"),
        CycleStep.CRITIQUE: _("Save, and on to the critique"),
        CycleStep.REVISE: _("Save, and on to revising"),
        services.AGAIN: _("Save, and teach the revised lesson again"),
        services.FINISH: _("Save, and finish the study"),
    }
    return [(move, labels[move]) for move in services.NEXT[cycle.step]]


def _records(cycle: LessonCycle) -> list[dict[str, Any]]:
    """The records of the steps the cycle has left, read-only: each with its label and its text
    or date."""
    at = 4 if cycle.step == CycleStep.DONE else STEPS.index(CycleStep(cycle.step))
    out: list[dict[str, Any]] = []
    for step in STEPS[:at]:
        for field in services.STEP_FIELDS[step]:
            value = getattr(cycle, field)
            model_field = LessonCycle._meta.get_field(field)
            assert isinstance(model_field, Field)
            out.append(
                {
                    "label": capfirst(str(model_field.verbose_name)),
                    "date": value if field == "taught_on" else None,
                    "text": "" if field == "taught_on" else value,
                }
            )
    return out


@login_required
def rounds_lesson_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The study as a PDF, for its readers: its cycles and findings, naming no one."""
    study, _rights = selectors.get_study_for_user(request.user, pk)
    pdf = exports_lessons.study_pdf(study, language=get_language() or "en")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="lesson-study-{study.school.number}-{study.pk}.pdf"'
    )
    return response


@login_required
@require_POST
def rounds_lesson_share(request: HttpRequest, pk: int) -> HttpResponse:
    study, rights = selectors.get_study_for_user(request.user, pk)
    if not rights.share:
        raise PermissionDenied
    try:
        item = services.lesson_study_share(user=request.user, study=study)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("rounds_lesson", study.pk)
    messages.success(
        request,
        _("The findings are a draft case study of the board: edit it and submit it for review."),
    )
    return redirect("learning_draft", item.slug)
