"""Pages for the OFIP themes and lessons, and for challenging circumstances (issue 13).

* `themes_province` and `themes_board`: counts by theme and lesson, by year and by board,
  and what is rising (the ministry; a board's leaders for their board), with a CSV.
* `themes_plan`: a plan's goals, strategies and co-reflections with their lessons; the
  team tags goals and strategies, the reviewers their co-reflections (`themes_plan_tag`).
* `themes_circumstances`: what a school's context suggests, and the team picks strategies.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capacity.directory import access
from capacity.planning import forms_themes, selectors, selectors_themes, services, services_themes
from capacity.planning.models import CoReflection, Plan, Stage
from capacity.planning.themes import CIRCUMSTANCES, INDICATOR_NAMES, LESSONS, THEMES
from capacity.reports.csv import csv_text

EXPORT_COLUMNS = [
    "school_year",
    "level",
    "code",
    "name",
    "plans",
    "share_of_plans",
    "goals",
    "strategies",
    "coreflections",
]


def _counts_page(request: HttpRequest, board: Any) -> HttpResponse:
    if not selectors_themes.may_read_counts(request.user, board):
        raise PermissionDenied
    counts = selectors_themes.theme_counts(
        request.user, board=board, year=request.GET.get("year", "")
    )
    lessons = {lesson.code: lesson for lesson in LESSONS}
    themes = {theme.code: theme for theme in THEMES}
    context = {
        "board": board,
        "counts": counts,
        "lesson_list": LESSONS,
        "by_year": [
            (year, total, [n.get(lesson.code, 0) for lesson in LESSONS])
            for year, total, n in counts.by_year
        ],
        "by_board": [
            (b, total, [n.get(lesson.code, 0) for lesson in LESSONS])
            for b, total, n in counts.by_board
        ],
        "rising_lessons": [(lessons[r.code].name, r) for r in counts.rising_lessons],
        "rising_themes": [(themes[r.code].name, r) for r in counts.rising_themes],
        "led_boards": access.led_boards_for(request.user) if board is None else [],
        "theme_lessons": [
            (theme, [lesson for lesson in LESSONS if lesson.theme == theme.code])
            for theme in THEMES
        ],
    }
    return render(request, "planning/themes/counts.html", context)


@login_required
def themes_province(request: HttpRequest) -> HttpResponse:
    return _counts_page(request, None)


@login_required
def themes_board(request: HttpRequest, number: str) -> HttpResponse:
    board, _writable = access.get_board_for_user(request.user, number)
    return _counts_page(request, board)


@login_required
def themes_export(request: HttpRequest) -> HttpResponse:
    """The year's counts as CSV (the province's, or with ?board= one board's)."""
    board = None
    if request.GET.get("board"):
        board, _writable = access.get_board_for_user(request.user, request.GET["board"])
    if not selectors_themes.may_read_counts(request.user, board):
        raise PermissionDenied
    counts = selectors_themes.theme_counts(
        request.user, board=board, year=request.GET.get("year", "")
    )
    rows = selectors_themes.theme_rows_for_export(counts)
    text = csv_text(EXPORT_COLUMNS, ([row[c] for c in EXPORT_COLUMNS] for row in rows))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = f"themes-{board.number if board else 'province'}-{counts.year or 'none'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- a plan's lessons ---------------------------------------------------------------------


def _plan_themes_page(
    request: HttpRequest, plan: Plan, rights: access.PlanRights, bound: dict[str, Any] | None = None
) -> HttpResponse:
    goals, strategies, coreflections = selectors_themes.plan_tagged_items(plan)
    bound = bound or {}
    open_plan = plan.stage != Stage.CLOSED
    team = rights.edit and open_plan and plan.review != "submitted"
    review = rights.review and open_plan

    def form_for(key: str, lessons: list[str], version: Any) -> Any:
        if key in bound:
            return bound[key]
        return forms_themes.LessonsForm(
            initial={"lessons": lessons, "version": version}, prefix=key
        )

    rows = []
    for kind, items, may in (
        ("goal", goals, team),
        ("strategy", strategies, team),
        ("coreflection", coreflections, review),
    ):
        for item in items:
            key = f"{kind}-{item.pk}"
            version = ",".join(item.lessons or []) if kind == "coreflection" else plan.version
            rows.append(
                {
                    "kind": kind,
                    "item": item,
                    "key": key,
                    "names": [
                        lesson.name for lesson in LESSONS if lesson.code in (item.lessons or [])
                    ],
                    "form": form_for(key, item.lessons or [], version) if may else None,
                }
            )
    return render(
        request,
        "planning/themes/plan.html",
        {"plan": plan, "rows": rows, "team": team, "review": review},
        status=400 if bound else 200,
    )


@login_required
def themes_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan, rights = selectors.get_plan_for_user(request.user, pk)
    return _plan_themes_page(request, plan, rights)


@login_required
@require_POST
def themes_plan_tag(request: HttpRequest, pk: int, kind: str, item_id: int) -> HttpResponse:
    plan, rights = selectors.get_plan_for_user(request.user, pk)
    item = selectors_themes.get_tagged_item(plan, kind, item_id)
    if not (rights.review if isinstance(item, CoReflection) else rights.edit):
        raise PermissionDenied
    key = f"{kind}-{item.pk}"
    form = forms_themes.LessonsForm(request.POST, prefix=key)
    if not form.is_valid():
        return _plan_themes_page(request, plan, rights, {key: form})
    lessons = form.cleaned_data["lessons"]
    version = form.cleaned_data.get("version") or ""
    try:
        if isinstance(item, CoReflection):
            services_themes.coreflection_tag(
                coreflection=item,
                user=request.user,
                seen=[code for code in version.split(",") if code],
                lessons=lessons,
            )
        else:
            if not version.isdigit():
                raise Http404
            services_themes.lessons_tag(
                item=item, user=request.user, seen=int(version), lessons=lessons
            )
    except (services.Conflict, services_themes.StaleTags) as error:
        messages.error(request, str(error))
        return redirect("themes_plan", plan.pk)
    except ValidationError as error:
        form.add_error("lessons" if hasattr(error, "error_dict") else None, error.messages)
        return _plan_themes_page(request, plan, rights, {key: form})
    messages.success(request, _("The lessons were saved."))
    return redirect("themes_plan", plan.pk)


# --- challenging circumstances --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def themes_circumstances(request: HttpRequest, pk: int) -> HttpResponse:
    plan, rights = selectors.get_plan_for_user(request.user, pk)
    if plan.school_id is None:
        raise Http404
    view = selectors_themes.circumstances_for_plan(plan)
    goals = selectors_themes.goals_of(plan)
    editable = rights.edit and plan.stage != Stage.CLOSED and plan.review != "submitted"
    chosen = request.POST.get("circumstance", "") if request.method == "POST" else ""
    if request.method == "POST" and not editable:
        raise PermissionDenied
    forms_by_code: dict[str, Any] = {}
    for circumstance in CIRCUMSTANCES:
        data = request.POST if chosen == circumstance.code else None
        forms_by_code[circumstance.code] = (
            forms_themes.CircumstanceStrategyForm(
                data,
                goals=goals,
                circumstance=circumstance.code,
                initial={"version": plan.version, "goal": goals[0] if goals else None},
            )
            if editable
            else None
        )
    if chosen:
        form = forms_by_code.get(chosen)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services_themes.circumstance_strategy_add(
                    goal=form.cleaned_data["goal"],
                    user=request.user,
                    seen=form.cleaned_data["version"],
                    circumstance=chosen,
                    action=form.cleaned_data["action"],
                    responsible=form.cleaned_data["responsible"],
                )
            except services.Conflict as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("The strategy was added to the plan."))
                return redirect("themes_circumstances", plan.pk)
    suggested = {s.circumstance.code: s for s in view.suggestions}
    sections = [
        {
            "circumstance": c,
            "suggestion": suggested.get(c.code),
            "reasons": [
                {"label": INDICATOR_NAMES[r.indicator], "value": r.value, "line": r.line}
                for r in (suggested[c.code].reasons if c.code in suggested else ())
            ],
            "form": forms_by_code[c.code],
            "strategies": [s for s in view.strategies if s.circumstance == c.code],
        }
        for c in CIRCUMSTANCES
    ]
    return render(
        request,
        "planning/themes/circumstances.html",
        {
            "plan": plan,
            "view": view,
            "sections": sections,
            "editable": editable,
            "has_goals": editable and bool(goals),
        },
        status=400 if chosen else 200,
    )
