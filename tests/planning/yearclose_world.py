"""Small idempotent builders for the year-close tests and authorisation rows: school A1's plan
for 2018-19 at Reflect with two goals (one naming marker students M-07 and M-12, each with a
custom measure), a marker-log entry and a piece of documentation with its file."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from capacity.planning import services
from capacity.planning import services_yearclose as yc_services
from capacity.planning.models import Consent, Documentation, Goal, MarkerNote, Plan, Stage

YEAR = "2018-19"
GOALS = (
    ("Students explain their reasoning in mathematics", "M-07, M-12"),
    ("Students write to persuade, with evidence", ""),
)


def team(w: Any) -> Any:
    return w.personas["principal_a1"]


def reflect_plan(w: Any, *, stage: str = Stage.REFLECT) -> Plan:
    """A1's 2018-19 plan at Reflect (the stage set directly: the cycle's moves are tested
    elsewhere), with its reflection written so that it may close."""
    found = Plan.objects.filter(school=w.school_a1, school_year=YEAR).first()
    if found:
        return found
    user = team(w)
    plan = services.plan_create(user=user, school=w.school_a1, school_year=YEAR)
    for statement, codes in GOALS:
        marker = {"focus": "marker", "marker_codes": codes} if codes else {}
        goal = services.goal_add(
            plan=plan, user=user, seen=plan.version, statement=statement, **marker
        )
        target = services.target_add(
            goal=goal,
            user=user,
            seen=plan.version,
            measure="custom",
            description="Students who meet the success criteria",
            baseline_year="2017-18",
            baseline_value=40.0,
            target_value=70.0,
            target_year=YEAR,
        )
        services.entry_add(
            target=target, user=user, seen=plan.version, on=datetime.date(2019, 5, 1), value=55.0
        )
    services.plan_update(
        plan=plan, user=user, seen=plan.version, overall_impact="Talk moved; writing less."
    )
    Plan.objects.filter(pk=plan.pk).update(stage=stage)
    plan.refresh_from_db()
    return plan


def goals(plan: Plan) -> list[Goal]:
    return list(plan.goals.order_by("position", "id"))


def version(w: Any) -> int:
    plan = reflect_plan(w)
    plan.refresh_from_db()
    return plan.version


def note(w: Any) -> MarkerNote:
    plan = reflect_plan(w)
    found = MarkerNote.objects.filter(plan=plan).first()
    return found or yc_services.marker_note_add(
        plan=plan,
        user=team(w),
        code="M-07",
        on=datetime.date(2019, 4, 2),
        observed="Explained a strategy to a partner",
        next_step="Ask for a second strategy",
    )


def upload(name: str = "chart.txt", content: bytes = b"anchor chart, no student shown") -> Any:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def item(w: Any) -> Documentation:
    plan = reflect_plan(w)
    found = Documentation.objects.filter(plan=plan).first()
    return found or yc_services.documentation_add(
        plan=plan,
        user=team(w),
        title="Anchor chart",
        file=upload(),
        consent=Consent.NOT_IDENTIFIABLE,
    )
