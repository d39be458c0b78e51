"""Plan pages: the dashboard, one plan, its items, the cycle's actions, history, PDF; support requests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capacity import fragments
from capacity.directory import access
from capacity.planning import forms, history, selectors, services
from capacity.planning.cycle import SYSTEM, TEAM, tasks_for
from capacity.planning.models import Area, Goal, Plan, Review, Stage, SupportRequest
from capacity.planning.progress import school_year_of
from capacity.reports.tables import FORMATS, table_response


def _plan(request: HttpRequest, pk: int) -> tuple[Plan, access.PlanRights]:
    return selectors.get_plan_for_user(request.user, pk)


def _plan_to_edit(request: HttpRequest, pk: int) -> Plan:
    """The plan, if the person is on its team (the only people who change its parts)."""
    plan, rights = _plan(request, pk)
    if not rights.edit:
        raise PermissionDenied
    return plan


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_errors(form: Any, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has one, above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(
                field if field in form.fields else None, [m for e in errors for m in e.messages]
            )
    else:
        form.add_error(None, error.messages)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    if not access.can_browse_plans(request.user):
        raise PermissionDenied
    filters = {
        key: request.GET.get(key, "").strip()
        for key in ("board", "year", "stage", "review", "focused", "area", "mine")
    }
    schools, boards = selectors.team_places_for(request.user)
    this_year = school_year_of(timezone.localdate())

    def listing() -> dict[str, Any]:
        years = selectors.plan_years_for(request.user)
        reviewer = access.can_review_plans(request.user)
        return {
            "plans": selectors.dashboard(request.user, request.GET, **filters),
            "filters": filters,
            "years": years,
            "stages": Stage.choices,
            "reviews": Review.choices,
            "areas": Area.choices,
            "boards": access.boards_for(request.user).order_by("name") if reviewer else [],
            "reciprocity": selectors.reciprocity(
                request.user, filters["year"] or (years[0] if years else "")
            )
            if reviewer
            else [],
            "reviewer": reviewer,
            "has_portfolio": access.scope_for(request.user).has_portfolio,
        }

    # The filters, the table and the reciprocity table are kept per reader, query and version.
    version = (selectors.pages_version(), request.user.pk, sorted(request.GET.lists()))
    context = {
        "body": fragments.rendered("plans", version, "planning/_plan_list_body.html", listing),
        "team_schools": schools,
        "team_boards": boards,
        "this_year": this_year,
    }
    return render(request, "planning/plan_list.html", context)


@login_required
@require_POST
def plan_new(request: HttpRequest) -> HttpResponse:
    school = board = None
    if request.POST.get("school"):
        school = selectors.school_by_number(request.POST["school"])
    elif request.POST.get("board"):
        board = selectors.board_by_number(request.POST["board"])
    else:
        raise Http404
    year = request.POST.get("school_year", "")
    existing = selectors.plan_of(school_year=year, school=school, board=board)
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
    done = selectors.tasks_done(plan)
    side = rights.side
    tasks = [
        {"task": task, "done": task.code in done, "mine": task.side == side}
        for task in tasks_for(plan.stage)
    ]
    balance, wrong_drivers = selectors.driver_balance(plan)
    # The moves the service would accept, and no others: Submit until the plan is accepted,
    # leaving the Plan stage once it is, closing the year from Reflect.
    allowed = services.plan_stage_moves_allowed(plan) if rights.edit else []
    context = {
        **document_context(plan),
        "plan": plan,
        "rights": rights,
        "stages": Stage.choices,
        "tasks": tasks,
        "team_side": TEAM,
        "system_side": SYSTEM,
        "moves": [
            (move, _("Submit for review") if move == services.SUBMIT else Stage(move).label)
            for move in allowed
        ],
        # Why Submit is missing while the plan is still the team's to send (no goal yet, say).
        "submit_refusal": services.plan_stage_move_refusal(plan, services.SUBMIT)
        if rights.edit
        and services.SUBMIT not in allowed
        and plan.review in (Review.DRAFT, Review.RETURNED)
        else None,
        "latest_decision": selectors.plan_latest_decision(plan),
        "balance": balance,
        "wrong_drivers": wrong_drivers,
        "too_many_goals": selectors.too_many_goals(plan),
        "coreflection_form": forms.CoReflectionForm()
        if rights.review and plan.stage != Stage.CLOSED
        else None,
        "decision_form": forms.DecisionForm()
        if rights.review and plan.review == Review.SUBMITTED
        else None,
        "review_basis": services.review_basis(plan),
        "reply_form": forms.ReplyForm()
        if (rights.edit or rights.review) and plan.stage != Stage.CLOSED
        else None,
        "editable": rights.edit and plan.stage != Stage.CLOSED and plan.review != Review.SUBMITTED,
        "requests": selectors.plan_requests(plan),
        "entries": selectors.plan_entries(plan),
    }
    return render(request, "planning/plan_detail.html", context)


# --- the parts of a plan: one view per form, one helper behind them ------------------

ITEM_FORMS: dict[str, type[forms.Versioned]] = {
    "goal": forms.GoalForm,
    "target": forms.TargetForm,
    "strategy": forms.StrategyForm,
    "checkpoint": forms.CheckpointForm,
}

# The item pages show a form (GET, HEAD) and take it back (POST); the decorator says so to
# readers and to the test that finds every view that writes.
_form_methods = require_http_methods(["GET", "HEAD", "POST"])

# Saves a form's cleaned values, starting from the plan version the person saw.
Save = Callable[[dict[str, Any], int], object]


def _item_page(
    request: HttpRequest,
    plan: Plan,
    *,
    kind: str,
    form_class: Any,
    save: Save,
    instance: Any = None,
    goal: Goal | None = None,
) -> HttpResponse:
    """Show and handle the form for one part of a plan (or the plan itself), with delete for existing items.

    A stale version (`services.Conflict`) keeps what the person typed and shows
    what changed since; a service's refusal lands on the form's field.
    """
    extra: dict[str, Any] = {"plan": plan} if form_class is forms.GoalForm else {}
    conflict: services.Conflict | None = None
    if request.method == "POST":
        # The form validates a copy: a ModelForm writes the posted values onto its instance,
        # and the service must compare them with the stored ones.
        copy = selectors.stored_copy(instance) if instance is not None else None
        form = form_class(request.POST, instance=copy, **extra)
        if request.POST.get("delete") and instance is not None and kind != "plan":
            try:
                services.item_delete(
                    item=instance, user=request.user, seen=int(request.POST.get("version", 0))
                )
            except services.Conflict as error:
                conflict = error
            except ValidationError as error:
                messages.error(request, _error_text(error))
                return redirect("plan_detail", plan.pk)
            else:
                messages.success(request, _("Deleted."))
                return redirect("plan_detail", plan.pk)
        elif form.is_valid():
            values = {
                name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields
            }
            try:
                with transaction.atomic():
                    save(values, form.cleaned_data["version"])
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
    return render(
        request,
        "planning/plan_item.html",
        {
            "plan": plan,
            "form": form,
            "kind": kind,
            "instance": instance,
            "goal": goal,
            "conflict": conflict,
            "changes": history.describe(selectors.changes_since(plan, conflict.seen), plan)
            if conflict
            else None,
        },
    )


def _plan_page(request: HttpRequest, plan: Plan) -> HttpResponse:
    return _item_page(
        request,
        plan,
        kind="plan",
        form_class=forms.PlanForm,
        instance=plan,
        save=lambda values, seen: services.plan_update(
            plan=plan, user=request.user, seen=seen, **values
        ),
    )


@login_required
@_form_methods
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the plan's own text: title, overall impact, next steps."""
    return _plan_page(request, _plan_to_edit(request, pk))


@login_required
@_form_methods
def goal_new(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_to_edit(request, pk)
    return _item_page(
        request,
        plan,
        kind="goal",
        form_class=forms.GoalForm,
        save=lambda values, seen: services.goal_add(
            plan=plan, user=request.user, seen=seen, **values
        ),
    )


@login_required
@_form_methods
def checkpoint_new(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_to_edit(request, pk)
    return _item_page(
        request,
        plan,
        kind="checkpoint",
        form_class=forms.CheckpointForm,
        save=lambda values, seen: services.checkpoint_add(
            plan=plan, user=request.user, seen=seen, **values
        ),
    )


@login_required
@_form_methods
def target_new(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    plan = _plan_to_edit(request, pk)
    goal = selectors.get_goal(plan, goal_id)
    return _item_page(
        request,
        plan,
        kind="target",
        form_class=forms.TargetForm,
        goal=goal,
        save=lambda values, seen: services.target_add(
            goal=goal, user=request.user, seen=seen, **values
        ),
    )


@login_required
@_form_methods
def strategy_new(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    plan = _plan_to_edit(request, pk)
    goal = selectors.get_goal(plan, goal_id)
    return _item_page(
        request,
        plan,
        kind="strategy",
        form_class=forms.StrategyForm,
        goal=goal,
        save=lambda values, seen: services.strategy_add(
            goal=goal, user=request.user, seen=seen, **values
        ),
    )


@login_required
@_form_methods
def plan_item(request: HttpRequest, pk: int, kind: str, item_id: int) -> HttpResponse:
    """Change or delete an existing goal, target, strategy or checkpoint (`kind` "plan" is the plan itself)."""
    plan = _plan_to_edit(request, pk)
    if kind == "plan":
        return _plan_page(request, plan)
    if kind not in ITEM_FORMS:
        raise Http404
    item = selectors.get_plan_item(plan, kind, item_id)
    return _item_page(
        request,
        plan,
        kind=kind,
        form_class=ITEM_FORMS[kind],
        instance=item,
        save=lambda values, seen: services.item_update(
            item=item, user=request.user, seen=seen, **values
        ),
    )


@login_required
@require_POST
def plan_action(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle's actions: move stage, check a task, submit, accept, return, co-reflect, reply."""
    plan, rights = _plan(request, pk)
    action = request.POST.get("action", "")
    seen = int(request.POST.get("version") or plan.version)
    try:
        if action == "move":
            if request.POST.get("to") == Stage.CLOSED and request.POST.get("confirm") != "yes":
                # Closing cannot be undone: the page's form asks for a ticked confirmation.
                raise ValidationError(
                    _("Tick the box to confirm that the year closes: a closed plan cannot change.")
                )
            services.plan_stage_move(
                plan=plan, user=request.user, seen=seen, to=request.POST.get("to", "")
            )
            messages.success(
                request,
                _("The plan moved to %(stage)s.") % {"stage": Stage(plan.stage).label}
                if plan.stage != Stage.CLOSED
                else _("The year is closed; next year's plan is open."),
            )
        elif action == "task":
            services.task_check(
                plan=plan,
                user=request.user,
                task=request.POST.get("task", ""),
                done=request.POST.get("done") == "1",
            )
        elif action == "submit":
            services.plan_submit(plan=plan, user=request.user, seen=seen)
            messages.success(request, _("The plan was submitted for review."))
        elif action in ("accept", "return"):
            try:
                basis = {
                    "submission": int(request.POST["submission"]),
                    "seen": int(request.POST["version"]),
                }
            except (KeyError, ValueError) as error:
                raise ValidationError(
                    _("Reload the plan: the decision must name the submission you read.")
                ) from error
            try:
                services.plan_decide(
                    plan=plan,
                    user=request.user,
                    accept=action == "accept",
                    comments=request.POST.get("comments", ""),
                    **basis,
                )
            except services.StaleDecision as stale:
                return _decision_conflict(
                    request, plan, stale, comments=request.POST.get("comments", "")
                )
            messages.success(
                request,
                _("The plan was accepted.")
                if action == "accept"
                else _("The plan was returned to the team with your comments."),
            )
        elif action == "coreflect":
            form = forms.CoReflectionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Name at least one emergent theme."))
            services.coreflection_add(plan=plan, user=request.user, **form.cleaned_data)
            messages.success(request, _("Your co-reflection was added to the plan."))
        elif action == "reply":
            entry = selectors.get_coreflection(plan, request.POST.get("coreflection"))
            services.reply_add(
                coreflection=entry, user=request.user, text=request.POST.get("text", "")
            )
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


def _decision_conflict(
    request: HttpRequest, plan: Plan, stale: services.StaleDecision, *, comments: str
) -> HttpResponse:
    """A decision on a submission or version that is no longer waiting: say what changed, keep the comments."""
    plan.refresh_from_db()
    return render(
        request,
        "planning/decision_conflict.html",
        {
            "plan": plan,
            "stale": stale,
            "comments": comments,
            "changes": history.describe(selectors.changes_since(plan, stale.seen), plan),
            "submissions": selectors.plan_submissions(plan, from_number=stale.submission),
        },
        status=409,
    )


@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    plan, _rights = _plan(request, pk)
    return render(
        request,
        "planning/plan_history.html",
        {
            "plan": plan,
            "changes": history.describe(selectors.plan_changes(plan), plan),
            "submissions": selectors.plan_submissions(plan),
        },
    )


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
    """The plans a person may read (of one year with `?year=`): targets as CSV or XLSX, or JSON."""
    from capacity.planning.exports import CSV_COLUMNS, csv_rows, plans_json

    if not access.can_browse_plans(request.user):
        raise PermissionDenied
    if fmt not in ("json", *FORMATS):
        raise Http404
    plans = list(
        selectors.plans_for(request.user).filter(
            **({"school_year": request.GET["year"]} if request.GET.get("year") else {})
        )
    )
    if fmt == "json":
        response = HttpResponse(plans_json(plans), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="plans.json"'
        return response
    # One row source (the CSV's, progress figures through the disclosure gate), either format.
    return table_response(fmt, CSV_COLUMNS, csv_rows(plans), filename="plans", title=_("Plans"))


@login_required
def entry_new(request: HttpRequest, pk: int, target_id: int) -> HttpResponse:
    """Record a dated value of a custom measure, with its evidence file."""
    plan = _plan_to_edit(request, pk)
    target = selectors.get_custom_target(plan, target_id)
    form = forms.EntryForm(
        request.POST or None, request.FILES or None, initial={"version": plan.version}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.entry_add(
                target=target,
                user=request.user,
                seen=data["version"],
                on=data["on"],
                value=data["value"],
                note=data["note"],
                evidence=data.get("evidence"),
            )
        except services.Conflict as error:
            conflict = error
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("plan_detail", plan.pk)
    return render(
        request,
        "planning/plan_item.html",
        {
            "plan": plan,
            "form": form,
            "kind": "entry",
            "instance": None,
            "goal": target.goal,
            "conflict": conflict,
            "changes": history.describe(selectors.changes_since(plan, conflict.seen), plan)
            if conflict
            else None,
            "multipart": True,
            "target": target,
        },
    )


@login_required
def entry_file(request: HttpRequest, pk: int, entry_id: int) -> FileResponse:
    """An evidence file, for the people who may read the plan (files are never served publicly)."""
    plan, _rights = _plan(request, pk)
    entry = selectors.get_entry(plan, entry_id)
    if not entry.evidence:
        raise Http404
    return FileResponse(
        entry.evidence.open("rb"),
        as_attachment=True,
        filename=entry.evidence.name.rsplit("/", 1)[-1],
    )


# --- support requests ---------------------------------------------------------------


@login_required
def support_list(request: HttpRequest) -> HttpResponse:
    if not access.can_browse_plans(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    requests = selectors.requests_page(request.user, request.GET, status=status)
    schools, boards = selectors.team_places_for(request.user)
    return render(
        request,
        "planning/support_list.html",
        {
            "requests": requests,
            "status": status,
            "statuses": SupportRequest.Status.choices,
            "team_schools": schools,
            "team_boards": boards,
            "today": timezone.localdate(),
        },
    )


@login_required
def support_new(request: HttpRequest) -> HttpResponse:
    schools, boards = selectors.team_places_for(request.user)
    if not (schools or boards):
        raise PermissionDenied
    places = [("school", s.number, s.name) for s in schools] + [
        ("board", b.number, b.name) for b in boards
    ]
    form = forms.SupportRequestForm(request.POST or None)
    chosen = (
        request.POST.get("place") or request.GET.get("place") or f"{places[0][0]}:{places[0][1]}"
    )
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
            made = services.support_request_create(
                user=request.user, school=school, board=board, plan=plan, **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your request was sent."))
            return redirect("support_detail", made.pk)
    return render(
        request,
        "planning/support_new.html",
        {"form": form, "places": places, "chosen": chosen, "plan_id": plan_id},
    )


@login_required
def support_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_request_for_user(request.user, pk)
    can_answer = access.can_answer_support_request(request.user, item)
    form = (
        forms.AnswerForm(
            request.POST or None, initial={"answer": item.answer, "provided": item.provided}
        )
        if can_answer
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.support_request_answer(
                    request=item, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Your answer was recorded."))
                return redirect("support_detail", item.pk)
    return render(
        request,
        "planning/support_detail.html",
        {"item": item, "form": form, "needs": SupportRequest.Need.choices},
    )


# --- timelines ----------------------------------------------------------------------


@login_required
def timelines(request: HttpRequest) -> HttpResponse:
    """The ministry sets the dates for board plans; each board's leaders set them for their schools."""
    ministry = access.can_set_timeline(request.user, None)
    led = list(access.led_boards_for(request.user))
    if not (ministry or led):
        raise PermissionDenied
    places = ([("", _("Every board (board plans)"))] if ministry else []) + [
        (b.number, b.name) for b in led
    ]
    form = forms.TimelineForm(request.POST or None)
    if request.method == "POST":
        place = request.POST.get("place", "")
        board = next((b for b in led if b.number == place), None)
        if place and board is None:
            raise PermissionDenied
        if not place and not ministry:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.timeline_set(user=request.user, board=board, **form.cleaned_data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The timeline was saved."))
                return redirect("plan_timelines")
    rows = selectors.timelines_set_by(every_board=ministry, boards=led)
    return render(
        request, "planning/timelines.html", {"form": form, "places": places, "rows": rows}
    )
