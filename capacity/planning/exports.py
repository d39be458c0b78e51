"""Improvement plans out of Capacity: a printable document, PDF, JSON and CSV.

`document_context(plan)` prepares what the read-only partial
`planning/_document.html` shows, so the web page and the PDF print the same
plan the same way. The PDF is that partial once per plan in
`planning/plan_pdf.html`, laid out by WeasyPrint in the language asked for.
JSON is `services.plan_snapshot(plan)` for each plan (what a submission keeps);
CSV has one row per target for spreadsheets.

Nothing here checks who may read a plan: callers pass plans already limited to
what the person (or the command line's operator) may see.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from capacity.planning.models import (
    Checkpoint,
    CoReflection,
    Driver,
    Goal,
    Kind,
    Plan,
    Reply,
    Strategy,
    Submission,
    Target,
)
from capacity.planning.progress import Progress, target_progress
from capacity.planning.services import plan_snapshot
from capacity.reports.csv import csv_text

CSV_COLUMNS = (
    "plan_id",
    "school_number",
    "board_number",
    "school_year",
    "kind",
    "stage",
    "review",
    "focused_intervention",
    "goal",
    "measure",
    "assessment",
    "description",
    "group",
    "baseline_year",
    "baseline_value",
    "target_value",
    "target_year",
    "progress_status",
    "latest_year",
    "latest_value",
)

# Everything the document, the JSON and the CSV read, fetched once per relation
# rather than once per plan, goal or target.
OWNERS = ("board", "school", "support_contact")
RELATED: tuple[Prefetch[Any], ...] = (
    Prefetch(
        "goals",
        queryset=Goal.objects.order_by("position", "id").prefetch_related(
            Prefetch(
                "targets", queryset=Target.objects.select_related("assessment").order_by("id")
            ),
            Prefetch("strategies", queryset=Strategy.objects.order_by("id")),
        ),
    ),
    Prefetch("checkpoints", queryset=Checkpoint.objects.order_by("due", "id")),
    Prefetch(
        "coreflections",
        queryset=CoReflection.objects.select_related("author")
        .order_by("created_at", "id")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Reply.objects.select_related("author").order_by("created_at", "id"),
            )
        ),
    ),
    Prefetch(
        "submissions",
        queryset=Submission.objects.select_related("submitted_by", "decided_by").order_by("number"),
    ),
)


def plans_loaded(plans: Iterable[Plan]) -> list[Plan]:
    """The plans with everything the exports read, in a handful of queries whatever their number."""
    if isinstance(plans, QuerySet):
        return list(plans.select_related(*OWNERS).prefetch_related(*RELATED))
    loaded = list(plans)
    prefetch_related_objects(loaded, *OWNERS, *RELATED)
    return loaded


# --- the printable document ------------------------------------------------------------


@dataclass(frozen=True)
class TargetRow:
    target: Target
    progress: Progress


@dataclass(frozen=True)
class StrategyRow:
    strategy: Strategy
    drivers: list[str]  # labels, in the order the team gave them


@dataclass(frozen=True)
class GoalSection:
    number: int
    goal: Goal
    targets: list[TargetRow]
    strategies: list[StrategyRow]


@dataclass(frozen=True)
class Identification:
    policy: str
    reasons: list[dict[str, Any]]


@dataclass(frozen=True)
class PlanDocument:
    plan: Plan
    goals: list[GoalSection]
    checkpoints: list[Checkpoint]
    coreflections: list[CoReflection]
    submissions: list[Submission]
    identification: Identification | None = None
    is_board_plan: bool = False


def _driver_label(code: str) -> str:
    try:
        return str(Driver(code).label)
    except ValueError:  # a driver the list no longer has: show what was stored rather than lose it
        return code


def _identification(plan: Plan) -> Identification | None:
    if not plan.focused_intervention:
        return None
    data = plan.identification if isinstance(plan.identification, dict) else {}
    reasons = [r for r in data.get("reasons") or [] if isinstance(r, dict)]
    reasons.sort(key=lambda r: (str(r.get("school_year", "")), str(r.get("assessment", ""))))
    return Identification(policy=str(data.get("policy") or ""), reasons=reasons)


def plan_document(plan: Plan) -> PlanDocument:
    """Everything the printable plan shows, computed once (target progress reads the evidence)."""
    prefetch_related_objects([plan], *OWNERS, *RELATED)
    goals = []
    for number, goal in enumerate(plan.goals.all(), start=1):
        goals.append(
            GoalSection(
                number=number,
                goal=goal,
                targets=[TargetRow(t, target_progress(t)) for t in goal.targets.all()],
                strategies=[
                    StrategyRow(s, [_driver_label(d) for d in s.drivers or []])
                    for s in goal.strategies.all()
                ],
            )
        )
    return PlanDocument(
        plan=plan,
        goals=goals,
        checkpoints=list(plan.checkpoints.all()),
        coreflections=list(plan.coreflections.all()),
        submissions=list(plan.submissions.all()),
        identification=_identification(plan),
        is_board_plan=plan.kind == Kind.BOARD,
    )


def document_context(plan: Plan) -> dict[str, Any]:
    """The context `planning/_document.html` needs: `{% include "planning/_document.html" %}` after merging it."""
    return {"plan": plan, "document": plan_document(plan)}


# --- PDF ---------------------------------------------------------------------------------


def _css_string(text: str) -> str:
    """`text` as a CSS string literal (safe inside a <style> element)."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace("\n", "\\A ")
    )
    return f'"{escaped}"'


def page_numbers_css() -> SafeString:
    """The translated "Page N of M" as a CSS `content` value with page counters in place."""
    pieces = re.split(r"(\{page\}|\{pages\})", _("Page {page} of {pages}"))
    parts = []
    for piece in pieces:
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return mark_safe(" ".join(parts) or '""')  # noqa: S308 - every literal part is escaped by _css_string


def plans_html(plans: Iterable[Plan], language: str) -> str:
    """The standalone page WeasyPrint prints, in `language`."""
    with translation.override(language):
        documents = [plan_document(plan) for plan in plans_loaded(plans)]
        return render_to_string(
            "planning/plan_pdf.html",
            {
                "documents": documents,
                "page_numbers": page_numbers_css(),
                "running_title": mark_safe(_css_string(_("Improvement plan"))),  # noqa: S308 - escaped
            },
        )


# PDF/UA-1 (ISO 14289-1): a tagged PDF with its language, title and structure tree.
PDF_VARIANT = "pdf/ua-1"


def plans_pdf(plans: Iterable[Plan], language: str) -> bytes:
    """The plans as one PDF, a new page for each plan, in `language` (en or fr).

    The PDF is tagged as PDF/UA-1 so screen readers get its structure: the headings,
    lists and tables (with their header cells) of `planning/_document.html`, the
    document's language from `<html lang>` and its title from `<title>`, shown in
    the reader's title bar rather than the file name.
    """
    from weasyprint import HTML

    pdf = HTML(string=plans_html(plans, language)).write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None  # write_pdf returns bytes when given no target
    return bytes(pdf)


# --- JSON and CSV --------------------------------------------------------------------------


def plans_json(plans: Iterable[Plan]) -> str:
    """A JSON list with `services.plan_snapshot(plan)` for each plan.

    Each snapshot holds the goals, targets with progress, strategies and checkpoints.
    """
    return json.dumps(
        [plan_snapshot(plan) for plan in plans_loaded(plans)], ensure_ascii=False, indent=2
    )


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _plan_columns(plan: Plan) -> list[str]:
    return [
        str(plan.pk),
        plan.school.number if plan.school else "",
        plan.board.number,
        plan.school_year,
        plan.kind,
        plan.stage,
        plan.review,
        "true" if plan.focused_intervention else "false",
    ]


def _target_columns(target: Target | None) -> list[str]:
    if target is None:
        return [""] * 11
    progress = target_progress(target)
    return [
        target.measure,
        target.assessment.code if target.assessment else "",
        target.description,
        target.group,
        target.baseline_year,
        _number(target.baseline_value),
        _number(target.target_value),
        target.target_year,
        progress.status,
        progress.latest_year or "",
        _number(progress.latest_value),
    ]


def csv_rows(plans: Iterable[Plan]) -> list[list[str]]:
    """One row per target; a goal without targets, or a plan without goals, still gets one row."""
    rows = []
    for plan in plans_loaded(plans):
        head = _plan_columns(plan)
        goals = list(plan.goals.all())
        if not goals:
            rows.append([*head, "", *_target_columns(None)])
        for goal in goals:
            targets: list[Target | None] = [*goal.targets.all()] or [None]
            rows.extend([*head, goal.statement, *_target_columns(target)] for target in targets)
    return rows


def plans_csv(plans: Iterable[Plan]) -> str:
    """The targets of the plans as CSV with a header row (CSV_COLUMNS)."""
    return csv_text(CSV_COLUMNS, csv_rows(plans), lineterminator="\n")  # formulas neutralised
