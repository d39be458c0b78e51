"""The demo's marker-student log and pedagogical documentation, built through the services.

The teams' year-close decisions are made where the demo closes years (demo/writers.decide_goals).
Here, for the demo principal's school plan (`principal`) and the focus journey's (`principal.focus`),
the school team writes a few log entries by the goals' marker codes and keeps one piece of
documentation (a short text file written by the demo, consent: no student can be identified).
Texts are the demo's, in English, and never name a student.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from capacity.directory.models import Membership, Role
from capacity.planning import services_yearclose as services
from capacity.planning.demo.province import FOCUS_PRINCIPAL
from capacity.planning.models import Consent, Documentation, Kind, MarkerNote, Plan, Stage
from capacity.planning.selectors_yearclose import marker_code_suggestions

USERS = ("principal", FOCUS_PRINCIPAL)
FALLBACK_CODES = ("M-07", "M-12")

OBSERVED = (
    (
        "Explained her strategy for the subtraction task to a partner, using the number line.",
        "Ask for a second strategy during the next number talk.",
    ),
    (
        "Reread the question before starting and underlined the key information.",
        "Keep the success criteria on the desk during independent work.",
    ),
    (
        "Wrote two sentences supporting an inference with a detail from the text.",
        "Conference on choosing the strongest detail.",
    ),
    (
        "Stayed with the problem for ten minutes and tried a drawing when stuck.",
        "Share the drawing with the group as an example.",
    ),
    (
        "Hesitated to share in the whole-class discussion but explained clearly one-on-one.",
        "Pair with a talk partner before whole-class sharing.",
    ),
)

DOCUMENT = (
    "Pedagogical documentation: anchor chart from the Grade 3 number talk\n\n"
    "Strategies students named for 38 + 27, in their words:\n"
    "- make a ten first (40 + 25)\n"
    "- add the tens, then the ones (50 + 15)\n"
    "- count on by tens on the number line\n\n"
    "What the team noticed: more students explained why a strategy works, not only what they did.\n"
    "No student is named or shown.\n"
)


def _school_plan(username: str) -> tuple[Plan, Any] | None:
    membership = (
        Membership.objects.in_force()
        .filter(user__username=username, role=Role.PRINCIPAL, school__isnull=False)
        .select_related("user")
        .first()
    )
    if membership is None or membership.school_id is None:
        return None
    plan = (
        Plan.objects.filter(kind=Kind.SCHOOL, school_id=membership.school_id)
        .exclude(stage=Stage.CLOSED)
        .order_by("-school_year", "-id")
        .first()
    )
    return (plan, membership.user) if plan else None


def build(*, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 7877 + 29)
    today = timezone.localdate()
    for username in USERS:
        found = _school_plan(username)
        if found is None:
            continue
        plan, user = found
        if MarkerNote.objects.filter(plan=plan).exists():
            continue  # built already: the demo is idempotent
        codes = marker_code_suggestions(plan)[:3] or list(FALLBACK_CODES)
        for code in codes:
            for days_ago in sorted(rng.sample(range(5, 120), 3), reverse=True):
                observed, next_step = rng.choice(OBSERVED)
                services.marker_note_add(
                    plan=plan,
                    user=user,
                    code=code,
                    on=today - datetime.timedelta(days=days_ago),
                    observed=observed,
                    next_step=next_step,
                )
        services.documentation_add(
            plan=plan,
            user=user,
            title="Anchor chart from a Grade 3 number talk",
            description="Strategies students named, in their words; no student is shown.",
            file=ContentFile(DOCUMENT.encode(), name="number-talk-anchor-chart.txt"),  # type: ignore[arg-type]
            consent=Consent.NOT_IDENTIFIABLE,
        )
    return {
        "marker_log_entries": MarkerNote.objects.count(),
        "documentation_items": Documentation.objects.count(),
    }
