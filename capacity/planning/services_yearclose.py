"""Year close goal by goal, the marker-student log and pedagogical documentation (issue 13).

At Reflect the team decides, for each goal, whether it goes into next year's plan as it is,
refined, or not at all, and why; `services.plan_year_close` carries exactly what was decided and
refuses to close while a goal has no decision. Decisions are rows: deciding again adds one, the
newest counts, and the plan's history has each.

The log and the documentation are the school team's (directory.access.may_keep_school_records):
they are never part of the plan's snapshot, PDF, exports or API, so nothing about a marker
student leaves the team.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.directory import access
from capacity.planning.carry import latest_decisions
from capacity.planning.models import (
    CarryDecision,
    Consent,
    Documentation,
    Goal,
    GoalCarry,
    MarkerNote,
    Plan,
    Removal,
    Stage,
)
from capacity.planning.services import NotAllowed, _edit, _require_open, _require_team


@transaction.atomic
def goal_carry_decide(
    *,
    plan: Plan,
    goal: Goal,
    user: Any,
    seen: int,
    decision: str,
    why: str,
    statement: str = "",
) -> GoalCarry:
    """The team decides whether `goal` goes into next year's plan, and why (at Reflect)."""
    _require_team(user, plan)
    _require_open(plan)
    if plan.stage != Stage.REFLECT:
        raise NotAllowed(_("Goals are decided for next year at the Reflect stage."))
    if goal.plan_id != plan.pk:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if decision not in CarryDecision.values:
        errors["decision"] = [_("Choose whether the goal goes on, goes on refined, or stops.")]
    if not why.strip():
        errors["why"] = [_("Say why: it is what next year's team reads first.")]
    statement = statement.strip() if decision == CarryDecision.REFINE else ""
    if decision == CarryDecision.REFINE and not statement:
        errors["statement"] = [_("Write the goal as it will read next year.")]
    if errors:
        raise ValidationError(errors)
    before = latest_decisions(plan).get(goal.pk)
    _edit(
        plan,
        user,
        seen,
        "carry_decided",
        goal.statement,
        {"decision": [before.decision if before else None, decision]},
    )
    row = GoalCarry(
        goal=goal, decision=decision, statement=statement, why=why.strip(), decided_by=user
    )
    row.full_clean()
    row.save()
    return row


# --- the marker-student log ---------------------------------------------------------------


def _require_records(user: Any, plan: Plan) -> None:
    if not access.may_keep_school_records(user, plan):
        raise PermissionDenied


@transaction.atomic
def marker_note_add(
    *,
    plan: Plan,
    user: Any,
    code: str,
    on: datetime.date,
    observed: str,
    next_step: str = "",
) -> MarkerNote:
    _require_records(user, plan)
    _require_open(plan)
    note = MarkerNote(
        plan=plan,
        code=code.strip().upper(),
        on=on,
        observed=observed.strip(),
        next_step=next_step.strip(),
        written_by=user,
    )
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def marker_note_delete(*, note: MarkerNote, user: Any) -> None:
    _require_records(user, note.plan)
    _require_open(note.plan)
    note.delete()


# --- pedagogical documentation --------------------------------------------------------------


@transaction.atomic
def documentation_add(
    *,
    plan: Plan,
    user: Any,
    title: str,
    file: UploadedFile,
    consent: str,
    description: str = "",
    code: str = "",
    consent_on: datetime.date | None = None,
    consent_scope: str = "",
) -> Documentation:
    """Keep an artefact of student learning, only with the consent that allows keeping it."""
    _require_records(user, plan)
    _require_open(plan)
    errors: dict[str, list[str]] = {}
    if consent not in Consent.values:
        errors["consent"] = [
            _("Say what allows the team to keep this: consent, or no student can be identified.")
        ]
    if consent == Consent.GUARDIAN:
        if consent_on is None:
            errors["consent_on"] = [_("Give the date the consent was given.")]
        if not consent_scope.strip():
            errors["consent_scope"] = [_("Say what the parent or guardian consented to.")]
    if errors:
        raise ValidationError(errors)
    item = Documentation(
        plan=plan,
        title=title.strip(),
        description=description.strip(),
        code=code.strip().upper(),
        consent=consent,
        consent_on=consent_on if consent == Consent.GUARDIAN else None,
        consent_scope=consent_scope.strip() if consent == Consent.GUARDIAN else "",
        added_by=user,
        file=file,
    )
    item.full_clean()
    item.save()
    audit_record(
        action=Action.DOCUMENTATION_ADDED,
        actor=user,
        target=str(plan),
        detail={"plan": plan.pk, "consent": consent},
    )
    return item


@transaction.atomic
def documentation_remove(*, item: Documentation, user: Any, why: str) -> None:
    """Remove an artefact and its file; `why` is one of `Removal` (a fixed list: the audit log,
    which the ministry reads, never carries a team's words about a student)."""
    _require_records(user, item.plan)
    if why not in Removal.values:
        raise ValidationError({"why": [_("Choose why it is removed.")]})
    plan = item.plan
    name = item.file.name
    storage = item.file.storage
    item.delete()
    # The file goes once the row is gone for good: a rolled-back removal keeps both.
    transaction.on_commit(lambda: storage.delete(name))
    audit_record(
        action=Action.DOCUMENTATION_REMOVED,
        actor=user,
        target=str(plan),
        detail={"plan": plan.pk, "removed_because": why},
    )
