"""Plan pages: the dashboard, one plan, its items, the cycle's actions, history, PDF; support requests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from capacity.directory import access
from capacity.directory.models import Board, School
from capacity.planning import forms, monitoring, services
from capacity.planning.cycle import MOVES, SYSTEM, TEAM, tasks_for
from capacity.planning.models import (
    Area,
    Checkpoint,
    CoReflection,
    Goal,
    Kind,
    Plan,
    PlanChange,
    Review,
    Stage,
    Strategy,
    SupportRequest,
    Target,
    TargetEntry,
    Timeline,
)
from capacity.planning.progress import school_year_of


def _plan(request: HttpRequest, pk: int) -> tuple[Plan, access.PlanRights]:
    plan = get_object_or_404(Plan.objects.select_related("board", "school", "support_contact"), pk=pk)
    rights = access.plan_rights(request.user, plan)
    if not rights.read:
        raise PermissionDenied
    return plan, rights


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_errors(form: Any, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has one, above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, [m for e in errors for m in e.messages])
    else:
        form.add_error(None, error.messages)


def _team_places(user: Any) -> tuple[list[School], list[Board]]:
    """Where the person may start a plan: schools they lead or serve on the team of, boards they lead."""
    return list(access.team_schools_for(user).select_related("board")), list(access.led_boards_for(user))


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    if not access.can_browse_plans(request.user):
        raise PermissionDenied
    filters = {key: request.GET.get(key, "").strip() for key in ("board", "year", "stage", "review", "focused", "area")}
    rows = monitoring.dashboard(request.user, **filters)
    schools, boards = _team_places(request.user)
    years = sorted(set(monitoring.plans_for(request.user).values_list("school_year", flat=True)), reverse=True)
    reviewer = access.can_review_plans(request.user)
    context = {
        "rows": rows, "filters": filters, "years": years, "stages": Stage.choices, "reviews": Review.choices,
        "areas": Area.choices, "boards": access.boards_for(request.user).order_by("name") if reviewer else [],
        "team_schools": schools, "team_boards": boards, "this_year": school_year_of(timezone.localdate()),
        "reciprocity": monitoring.reciprocity(request.user, filters["year"] or (years[0] if years else ""))
        if reviewer else [],
        "reviewer": reviewer,
    }
    return render(request, "planning/plan_list.html", context)


@login_required
@require_POST
def plan_new(request: HttpRequest) -> HttpResponse:
    school = board = None
    if request.POST.get("school"):
        school = get_object_or_404(School, number=request.POST["school"])
    elif request.POST.get("board"):
        board = get_object_or_404(Board, number=request.POST["board"])
    else:
        raise Http404
    year = request.POST.get("school_year", "")
    owner = {"kind": Kind.SCHOOL, "school": school} if school else {"kind": Kind.BOARD, "board": board}
    existing = Plan.objects.filter(school_year=year, **owner).first()
    if existing is not None:
        if not access.plan_rights(request.user, existing).read:
            raise PermissionDenied
        return redirect("plan_detail", existing.pk)
    try:
        plan = services.plan_create(user=request.user, school=school, board=board, school_year=year)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("plan_list")
    return redirect("plan_detail", plan.pk)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from capacity.planning.exports import document_context

    plan, rights = _plan(request, pk)
    done = set(plan.tasks_done.values_list("task", flat=True))
    side = rights.side
    tasks = [
        {"task": task, "done": task.code in done, "mine": task.side == side}
        for task in tasks_for(plan.stage)
    ]
    balance, wrong_drivers = monitoring.driver_balance(plan)
    context = {
        **document_context(plan),
        "plan": plan,
        "rights": rights,
        "stages": Stage.choices,
        "tasks": tasks,
        "team_side": TEAM,
        "system_side": SYSTEM,
        # Leaving the Plan stage needs an accepted plan: the button shows once it is.
        "moves": [(stage.value, stage.label) for stage in MOVES[Stage(plan.stage)]]
        if rights.edit and plan.review != Review.SUBMITTED
        and (plan.stage != Stage.PLAN or plan.review == Review.ACCEPTED) else [],
        "balance": balance,
        "wrong_drivers": wrong_drivers,
        "too_many_goals": monitoring.too_many_goals(plan),
        "coreflection_form": forms.CoReflectionForm() if rights.review and plan.stage != Stage.CLOSED else None,
        "decision_form": forms.DecisionForm() if rights.review and plan.review == Review.SUBMITTED else None,
        "review_basis": services.review_basis(plan),
        "reply_form": forms.ReplyForm() if (rights.edit or rights.review) and plan.stage != Stage.CLOSED else None,
        "editable": rights.edit and plan.stage != Stage.CLOSED and plan.review != Review.SUBMITTED,
        "requests": plan.support_requests.all(),
        "entries": TargetEntry.objects.filter(target__goal__plan=plan).select_related("target").order_by(
            "target_id", "on", "id"),
    }
    return render(request, "planning/plan_detail.html", context)


ITEM_FORMS: dict[str, tuple[type[Any], type[forms.Versioned]]] = {
    "goal": (Goal, forms.GoalForm),
    "target": (Target, forms.TargetForm),
    "strategy": (Strategy, forms.StrategyForm),
    "checkpoint": (Checkpoint, forms.CheckpointForm),
}


def _item_of(plan: Plan, kind: str, item_id: int) -> Any:
    model = ITEM_FORMS[kind][0]
    lookup = {"plan": plan} if kind in ("goal", "checkpoint") else {"goal__plan": plan}
    return get_object_or_404(model, pk=item_id, **lookup)


@login_required
def plan_item(request: HttpRequest, pk: int, kind: str, item_id: int | None = None,
              goal_id: int | None = None) -> HttpResponse:
    """Add or change one part of a plan (the plan itself when kind is "plan")."""
    plan, rights = _plan(request, pk)
    if not rights.edit:
        raise PermissionDenied
    if kind != "plan" and kind not in ITEM_FORMS:
        raise Http404
    goal = get_object_or_404(Goal, pk=goal_id, plan=plan) if goal_id else None
    if kind in ("target", "strategy") and item_id is None and goal is None:
        raise Http404
    if kind == "plan":
        instance: Any = plan
        form_class: Any = forms.PlanForm
    elif item_id is not None:
        instance, form_class = _item_of(plan, kind, item_id), ITEM_FORMS[kind][1]
    else:
        instance, form_class = None, ITEM_FORMS[kind][1]
    extra: dict[str, Any] = {"plan": plan} if form_class is forms.GoalForm else {}
    conflict: services.Conflict | None = None
    if request.method == "POST":
        # The form validates a copy: a ModelForm writes the posted values onto its instance,
        # and the service must compare them with the stored ones.
        copy = type(instance).objects.get(pk=instance.pk) if instance is not None else None
        form = form_class(request.POST, instance=copy, **extra)
        if request.POST.get("delete") and instance is not None and kind != "plan":
            try:
                services.item_delete(item=instance, user=request.user, seen=int(request.POST.get("version", 0)))
            except services.Conflict as error:
                conflict = error
            except ValidationError as error:
                messages.error(request, _error_text(error))
                return redirect("plan_detail", plan.pk)
            else:
                messages.success(request, _("Deleted."))
                return redirect("plan_detail", plan.pk)
        elif form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}
            seen = form.cleaned_data["version"]
            try:
                with transaction.atomic():
                    if kind == "plan":
                        services.plan_update(plan=plan, user=request.user, seen=seen, **values)
                    elif instance is not None:
                        services.item_update(item=instance, user=request.user, seen=seen, **values)
                    elif kind == "goal":
                        services.goal_add(plan=plan, user=request.user, seen=seen, **values)
                    elif kind == "target" and goal is not None:
                        services.target_add(goal=goal, user=request.user, seen=seen, **values)
                    elif kind == "strategy" and goal is not None:
                        services.strategy_add(goal=goal, user=request.user, seen=seen, **values)
                    else:
                        services.checkpoint_add(plan=plan, user=request.user, seen=seen, **values)
            except services.Conflict as error:
                conflict = error
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("plan_detail", plan.pk)
        if conflict is not None:
            # Keep what the person typed; from now on the form carries the current version,
            # so saving again is a deliberate choice made after seeing what changed.
            plan.refresh_from_db()
            data = request.POST.copy()
            data["version"] = str(plan.version)
            form = form_class(data, instance=copy, **extra)
            form.is_valid()
    else:
        form = form_class(instance=instance, initial={"version": plan.version}, **extra)
    changes = (PlanChange.objects.filter(plan=plan, version__gt=conflict.seen).select_related("by")
               if conflict else None)
    return render(request, "planning/plan_item.html", {
        "plan": plan, "form": form, "kind": kind, "instance": instance, "goal": goal, "conflict": conflict,
        "changes": changes,
    })


@login_required
@require_POST
def plan_action(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle's actions: move stage, check a task, submit, accept, return, co-reflect, reply."""
    plan, rights = _plan(request, pk)
    action = request.POST.get("action", "")
    seen = int(request.POST.get("version") or plan.version)
    try:
        if action == "move":
            services.stage_move(plan=plan, user=request.user, seen=seen, to=request.POST.get("to", ""))
            messages.success(request, _("The plan moved to %(stage)s.") % {"stage": Stage(plan.stage).label}
                             if plan.stage != Stage.CLOSED else _("The year is closed; next year's plan is open."))
        elif action == "task":
            services.task_check(plan=plan, user=request.user, task=request.POST.get("task", ""),
                                done=request.POST.get("done") == "1")
        elif action == "submit":
            services.plan_submit(plan=plan, user=request.user, seen=seen)
            messages.success(request, _("The plan was submitted for review."))
        elif action in ("accept", "return"):
            try:
                basis = {"submission": int(request.POST["submission"]), "seen": int(request.POST["version"])}
            except (KeyError, ValueError) as error:
                raise ValidationError(_("Reload the plan: the decision must name the submission you read.")) from error
            try:
                services.plan_decide(plan=plan, user=request.user, accept=action == "accept",
                                     comments=request.POST.get("comments", ""), **basis)
            except services.StaleDecision as stale:
                return _decision_conflict(request, plan, stale, comments=request.POST.get("comments", ""))
            messages.success(request, _("The plan was accepted.") if action == "accept"
                             else _("The plan was returned to the team with your comments."))
        elif action == "coreflect":
            form = forms.CoReflectionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Name at least one emergent theme."))
            services.coreflect(plan=plan, user=request.user, **form.cleaned_data)
            messages.success(request, _("Your co-reflection was added to the plan."))
        elif action == "reply":
            entry = get_object_or_404(CoReflection, pk=request.POST.get("coreflection"), plan=plan)
            services.reply(coreflection=entry, user=request.user, text=request.POST.get("text", ""))
        else:
            raise Http404
    except services.Conflict as error:
        messages.error(request, str(error))
    except ValueError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    if action == "move" and plan.stage == Stage.CLOSED and hasattr(plan, "next_plan"):
        return redirect("plan_detail", plan.next_plan.pk)
    return redirect("plan_detail", plan.pk)


def _decision_conflict(request: HttpRequest, plan: Plan, stale: services.StaleDecision, *,
                       comments: str) -> HttpResponse:
    """A decision on a submission or version that is no longer waiting: say what changed, keep the comments."""
    plan.refresh_from_db()
    return render(request, "planning/decision_conflict.html", {
        "plan": plan, "stale": stale, "comments": comments,
        "changes": PlanChange.objects.filter(plan=plan, version__gt=stale.seen).select_related("by"),
        "submissions": plan.submissions.filter(number__gte=stale.submission).select_related("submitted_by",
                                                                                              "decided_by"),
    }, status=409)


@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _rights = _plan(request, pk)
    changes = plan.changes.select_related("by")[:500]
    return render(request, "planning/plan_history.html", {
        "plan": plan, "changes": changes, "submissions": plan.submissions.select_related("submitted_by", "decided_by"),
    })


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from capacity.planning.exports import plans_pdf

    plan, _rights = _plan(request, pk)
    language = translation.get_language() or "en"
    response = HttpResponse(plans_pdf([plan], language), content_type="application/pdf")
    name = f"plan-{plan.school.number if plan.school else plan.board.number}-{plan.school_year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def plan_export(request: HttpRequest, fmt: str) -> HttpResponse:
    from capacity.planning.exports import plans_csv, plans_json

    if not access.can_browse_plans(request.user):
        raise PermissionDenied
    plans = list(monitoring.plans_for(request.user).filter(
        **({"school_year": request.GET["year"]} if request.GET.get("year") else {})))
    if fmt == "csv":
        response = HttpResponse(plans_csv(plans), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        response = HttpResponse(plans_json(plans), content_type="application/json")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="plans.{fmt}"'
    return response


@login_required
def entry_new(request: HttpRequest, pk: int, target_id: int) -> HttpResponse:
    """Record a dated value of a custom measure, with its evidence file."""
    plan, rights = _plan(request, pk)
    if not rights.edit:
        raise PermissionDenied
    target = get_object_or_404(Target, pk=target_id, goal__plan=plan, measure=Target.Measure.CUSTOM)
    form = forms.EntryForm(request.POST or None, request.FILES or None, initial={"version": plan.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.entry_add(target=target, user=request.user, seen=data["version"], on=data["on"],
                               value=data["value"], note=data["note"], evidence=data.get("evidence"))
        except services.Conflict as error:
            conflict = error
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("plan_detail", plan.pk)
    return render(request, "planning/plan_item.html", {
        "plan": plan, "form": form, "kind": "entry", "instance": None, "goal": target.goal, "conflict": conflict,
        "changes": PlanChange.objects.filter(plan=plan, version__gt=conflict.seen) if conflict else None,
        "multipart": True, "target": target,
    })


@login_required
def entry_file(request: HttpRequest, pk: int, entry_id: int) -> FileResponse:
    """An evidence file, for the people who may read the plan (files are never served publicly)."""
    plan, _rights = _plan(request, pk)
    entry = get_object_or_404(TargetEntry, pk=entry_id, target__goal__plan=plan)
    if not entry.evidence:
        raise Http404
    return FileResponse(entry.evidence.open("rb"), as_attachment=True, filename=entry.evidence.name.rsplit("/", 1)[-1])


# --- support requests ---------------------------------------------------------------


@login_required
def support_list(request: HttpRequest) -> HttpResponse:
    if not access.can_browse_plans(request.user):
        raise PermissionDenied
    rows = monitoring.requests_for(request.user)
    status = request.GET.get("status", "")
    if status:
        rows = rows.filter(status=status)
    schools, boards = _team_places(request.user)
    return render(request, "planning/support_list.html", {
        "rows": rows[:500], "status": status, "statuses": SupportRequest.Status.choices,
        "team_schools": schools, "team_boards": boards, "today": timezone.localdate(),
    })


@login_required
def support_new(request: HttpRequest) -> HttpResponse:
    schools, boards = _team_places(request.user)
    if not (schools or boards):
        raise PermissionDenied
    places = [("school", s.number, s.name) for s in schools] + [("board", b.number, b.name) for b in boards]
    form = forms.SupportRequestForm(request.POST or None)
    chosen = request.POST.get("place") or request.GET.get("place") or f"{places[0][0]}:{places[0][1]}"
    plan_id = request.POST.get("plan") or request.GET.get("plan")
    if request.method == "POST" and form.is_valid():
        level, _sep, number = chosen.partition(":")
        school = next((s for s in schools if level == "school" and s.number == number), None)
        board = next((b for b in boards if level == "board" and b.number == number), None)
        if school is None and board is None:
            raise PermissionDenied
        plan = None
        if plan_id:
            plan, rights = _plan(request, int(plan_id))
            if not rights.edit:
                raise PermissionDenied
        try:
            made = services.support_request(user=request.user, school=school, board=board, plan=plan,
                                            **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your request was sent."))
            return redirect("support_detail", made.pk)
    return render(request, "planning/support_new.html", {"form": form, "places": places, "chosen": chosen,
                                                         "plan_id": plan_id})


@login_required
def support_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(SupportRequest.objects.select_related(
        "board", "school", "plan", "requested_by", "answered_by"), pk=pk)
    if not monitoring.requests_for(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    can_answer = access.can_answer_support_request(request.user, item)
    form = forms.AnswerForm(request.POST or None,
                            initial={"answer": item.answer, "provided": item.provided}) if can_answer else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.support_answer(request=item, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Your answer was recorded."))
                return redirect("support_detail", item.pk)
    return render(request, "planning/support_detail.html",
                  {"item": item, "form": form, "needs": SupportRequest.Need.choices})


# --- timelines ----------------------------------------------------------------------


@login_required
def timelines(request: HttpRequest) -> HttpResponse:
    """The ministry sets the dates for board plans; each board's leaders set them for their schools."""
    ministry = access.can_set_timeline(request.user, None)
    led = list(access.led_boards_for(request.user))
    if not (ministry or led):
        raise PermissionDenied
    places = ([("", _("Every board (board plans)"))] if ministry else []) + [(b.number, b.name) for b in led]
    form = forms.TimelineForm(request.POST or None)
    if request.method == "POST":
        place = request.POST.get("place", "")
        board = next((b for b in led if b.number == place), None)
        if place and board is None:
            raise PermissionDenied
        if not place and not ministry:
            raise PermissionDenied
        if form.is_valid():
            kind = "school" if board else "board"
            Timeline.objects.update_or_create(
                board=board, school_year=form.cleaned_data["school_year"], kind=kind,
                defaults={k: form.cleaned_data[k] for k in ("submit_by", "act_by", "observe_by", "reflect_by")},
            )
            messages.success(request, _("The timeline was saved."))
            return redirect("plan_timelines")
    rows = Timeline.objects.select_related("board").filter(
        **({} if ministry else {"board__in": led})).order_by("-school_year", "board__name")
    return render(request, "planning/timelines.html", {"form": form, "places": places, "rows": rows})
