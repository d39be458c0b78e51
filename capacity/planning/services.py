"""Every write to an improvement plan: checked against the person's rights and the plan's version, kept in history.

Edits name the plan version the person saw (`seen`). A plan's version goes
up with every change to it or to anything in it, so when two people edit the
same plan the second write finds a newer version and raises `Conflict`
instead of overwriting the first; the caller keeps the second person's text
and shows them what changed.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.directory import access
from capacity.directory.models import Board, Membership, Role, School
from capacity.planning import notices
from capacity.planning.cycle import MOVES, SYSTEM, TASKS_BY_CODE, TEAM
from capacity.planning.models import (
    Checkpoint,
    CoReflection,
    Goal,
    Kind,
    Plan,
    PlanChange,
    Reply,
    Review,
    Stage,
    Strategy,
    Submission,
    SupportRequest,
    Target,
    TargetEntry,
    TaskDone,
    Timeline,
)
from capacity.schoolyears import school_year_label, year_start_of

logger = logging.getLogger(__name__)


class Conflict(Exception):
    """Someone else changed the plan since the person loaded it."""

    def __init__(self, plan: Plan, seen: int) -> None:
        super().__init__(
            _(
                "Someone else changed this plan (version %(now)s; you started from version %(seen)s)."
            )
            % {"now": plan.version, "seen": seen}
        )
        self.plan = plan
        self.seen = seen


class StaleDecision(Conflict):
    """A reviewer decided on a submission or version that is no longer the one waiting."""

    def __init__(
        self, plan: Plan, seen: int, submission: int, waiting: int | None, decided: str = ""
    ) -> None:
        super().__init__(plan, seen)
        self.submission, self.waiting = submission, waiting
        if decided:
            message = _(
                "Submission %(seen)s was already decided (%(decision)s): your decision was not needed."
            ) % {"seen": submission, "decision": decided}
        elif waiting is not None and waiting != submission:
            message = _(
                "You reviewed submission %(seen)s, but submission %(now)s is waiting now: "
                "read it before deciding."
            ) % {"seen": submission, "now": waiting}
        else:
            message = _(
                "The plan changed since you read it (version %(now)s; you read version %(seen)s): "
                "read it again before deciding."
            ) % {"now": plan.version, "seen": seen}
        self.args = (message,)


class NotAllowed(ValidationError):
    """A move the cycle does not allow now (the message says why)."""


def _rights(user: Any, plan: Plan) -> access.PlanRights:
    rights = access.plan_rights(user, plan)
    if not rights.read:
        raise PermissionDenied
    return rights


def _require_team(user: Any, plan: Plan) -> None:
    if not _rights(user, plan).edit:
        raise PermissionDenied


def _require_editable(plan: Plan) -> None:
    _require_open(plan)
    if plan.review == Review.SUBMITTED:
        raise NotAllowed(
            _(
                "The plan is waiting for review: it can change again once it is accepted or returned."
            )
        )


def _require_open(plan: Plan) -> None:
    """A closed year is read-only for everyone: items, tasks, co-reflections, replies and evidence."""
    if plan.stage == Stage.CLOSED:
        raise NotAllowed(_("The year is closed: this plan can no longer change."))


def _bump(plan: Plan, seen: int | None) -> None:
    """Take the next version of `plan`, or raise Conflict if it moved on since `seen`."""
    rows = Plan.objects.filter(pk=plan.pk)
    if seen is not None:
        rows = rows.filter(version=seen)
    if not rows.update(version=F("version") + 1, updated_at=timezone.now()):
        plan.refresh_from_db()
        raise Conflict(plan, seen if seen is not None else plan.version)
    plan.refresh_from_db(fields=["version", "updated_at"])


def _value(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def _differs(old: Any, new: Any) -> bool:
    """Whether a save changes a value. A list (the drivers, kinds of support) is a set of choices:
    the same choices in another order are no change, so a save that only reorders them records nothing."""
    if isinstance(old, list | tuple) and isinstance(new, list | tuple):
        return sorted(map(str, old)) != sorted(map(str, new))
    return bool(old != new)


def _log(
    plan: Plan, user: Any, action: str, item: str = "", fields: dict[str, Any] | None = None
) -> None:
    PlanChange.objects.create(
        plan=plan,
        by=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        item=item[:200],
        fields=fields or {},
        version=plan.version,
    )


def _apply(
    obj: models.Model, values: dict[str, Any], allowed: Iterable[str]
) -> dict[str, list[Any]]:
    """Set the allowed fields on `obj`, validate it, and return {field: [before, after]} for what changed."""
    allowed = set(allowed)
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    changed: dict[str, list[Any]] = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if _differs(old, new):
            changed[name] = [_value(old), _value(new)]
            setattr(obj, name, new)
    obj.full_clean()
    return changed


def _edit(
    plan: Plan, user: Any, seen: int | None, action: str, item: str, fields: dict[str, Any]
) -> None:
    _bump(plan, seen)
    _log(plan, user, action, item, fields)


# --- plans -------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    user: Any,
    school_year: str,
    school: School | None = None,
    board: Board | None = None,
    title: str = "",
    previous: Plan | None = None,
) -> Plan:
    """Start a school's (or a board's) plan for a school year. The plan's own team creates it."""
    if school is not None:
        plan = Plan(
            kind=Kind.SCHOOL,
            school=school,
            board=school.board,
            school_year=school_year,
            title=title,
        )
    elif board is not None:
        plan = Plan(kind=Kind.BOARD, board=board, school_year=school_year, title=title)
    else:
        raise ValueError("A plan belongs to a school or a board.")
    if user is not None:
        _require_team(user, plan)
    plan.previous = previous
    plan.full_clean()
    plan.save()
    _log(plan, user, "plan_created", str(plan))
    audit_record(action=Action.PLAN_CREATED, actor=user, target=str(plan), detail={"plan": plan.pk})
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, user: Any, seen: int, **values: Any) -> Plan:
    _require_team(user, plan)
    _require_editable(plan)
    changed = _apply(plan, values, {"title", "overall_impact", "next_steps"})
    if changed:
        _edit(plan, user, seen, "plan_changed", str(plan), changed)
        plan.save(update_fields=[*changed, "updated_at"])
    return plan


# --- goals, targets, strategies, checkpoints ----------------------------------------


@transaction.atomic
def goal_add(*, plan: Plan, user: Any, seen: int, **values: Any) -> Goal:
    _require_team(user, plan)
    _require_editable(plan)
    goal = Goal(plan=plan, position=plan.goals.count() + 1)
    if plan.kind == Kind.SCHOOL and values.get("characteristic"):
        raise ValidationError(
            {"characteristic": _("Only board plans name a characteristic of strong districts.")}
        )
    changed = _apply(goal, values, _GOAL_FIELDS)
    goal.save()
    _edit(plan, user, seen, "goal_added", str(goal), changed)
    return goal


_GOAL_FIELDS = {"statement", "area", "focus", "group", "marker_codes", "characteristic", "position"}
_TARGET_FIELDS = {
    "measure",
    "assessment",
    "group",
    "description",
    "baseline_year",
    "baseline_value",
    "target_value",
    "target_year",
}
_STRATEGY_FIELDS = {
    "action",
    "responsible",
    "professional_learning",
    "resources",
    "starts",
    "ends",
    "drivers",
}
_CHECKPOINT_FIELDS = {"due", "title", "evidence_gathered", "progress", "adjustments"}


def _plan_of(item: Goal | Target | Strategy | Checkpoint) -> Plan:
    if isinstance(item, Goal | Checkpoint):
        return item.plan
    return item.goal.plan


@transaction.atomic
def item_update(
    *, item: Goal | Target | Strategy | Checkpoint, user: Any, seen: int, **values: Any
) -> Any:
    """Change a goal, target, strategy or checkpoint of a plan."""
    plan = _plan_of(item)
    _require_team(user, plan)
    _require_editable(plan)
    fields = {
        Goal: _GOAL_FIELDS,
        Target: _TARGET_FIELDS,
        Strategy: _STRATEGY_FIELDS,
        Checkpoint: _CHECKPOINT_FIELDS,
    }[type(item)]
    changed = _apply(item, values, fields)
    if not changed:
        return item
    if isinstance(item, Checkpoint) and {"evidence_gathered", "progress", "adjustments"} & set(
        changed
    ):
        item.recorded_at = timezone.now()
        item.recorded_by = user
    item.save()
    _edit(plan, user, seen, f"{type(item).__name__.lower()}_changed", str(item), changed)
    return item


@transaction.atomic
def item_delete(*, item: Goal | Target | Strategy | Checkpoint, user: Any, seen: int) -> None:
    plan = _plan_of(item)
    _require_team(user, plan)
    _require_editable(plan)
    label = str(item)
    kind = type(item).__name__.lower()
    item.delete()
    _edit(plan, user, seen, f"{kind}_deleted", label, {})


@transaction.atomic
def target_add(*, goal: Goal, user: Any, seen: int, **values: Any) -> Target:
    plan = goal.plan
    _require_team(user, plan)
    _require_editable(plan)
    target = Target(goal=goal)
    changed = _apply(target, values, _TARGET_FIELDS)
    if (
        target.measure == Target.Measure.ASSESSMENT
        and target.baseline_year
        and target.baseline_value is None
    ):
        # The baseline comes from the evidence when the team does not give it.
        from capacity.planning.progress import measured_values

        target.baseline_value = measured_values(target).get(target.baseline_year)
    target.save()
    _edit(plan, user, seen, "target_added", str(target), changed)
    return target


@transaction.atomic
def strategy_add(*, goal: Goal, user: Any, seen: int, **values: Any) -> Strategy:
    plan = goal.plan
    _require_team(user, plan)
    _require_editable(plan)
    strategy = Strategy(goal=goal)
    changed = _apply(strategy, values, _STRATEGY_FIELDS)
    strategy.save()
    _edit(plan, user, seen, "strategy_added", str(strategy), changed)
    return strategy


@transaction.atomic
def entry_add(
    *,
    target: Target,
    user: Any,
    seen: int,
    on: datetime.date,
    value: float,
    note: str = "",
    evidence: Any = None,
) -> TargetEntry:
    """A dated value of a custom measure, with an optional evidence file (pedagogical documentation)."""
    plan = target.goal.plan
    _require_team(user, plan)
    _require_editable(plan)
    if target.measure != Target.Measure.CUSTOM:
        raise ValidationError(
            _("Only a custom measure takes entries; assessment targets read the results.")
        )
    entry = TargetEntry(target=target, on=on, value=value, note=note, recorded_by=user)
    if evidence:
        entry.evidence = evidence
    entry.full_clean()
    entry.save()
    _edit(
        plan,
        user,
        seen,
        "entry_added",
        f"{target}: {entry}",
        {"value": [None, value], **({"evidence": [None, entry.evidence.name]} if evidence else {})},
    )
    return entry


@transaction.atomic
def checkpoint_add(*, plan: Plan, user: Any, seen: int, **values: Any) -> Checkpoint:
    _require_team(user, plan)
    _require_editable(plan)
    checkpoint = Checkpoint(plan=plan)
    changed = _apply(checkpoint, values, _CHECKPOINT_FIELDS)
    checkpoint.save()
    _edit(plan, user, seen, "checkpoint_added", str(checkpoint), changed)
    return checkpoint


# --- the cycle -----------------------------------------------------------------------


@transaction.atomic
def task_check(*, plan: Plan, user: Any, task: str, done: bool = True) -> None:
    """Check off (or un-check) one of the stage's tasks; each side checks its own."""
    rights = _rights(user, plan)
    _require_open(plan)
    found = TASKS_BY_CODE.get(task)
    if found is None:
        raise ValueError(f"No task {task!r}")
    if (found.side == TEAM and not rights.edit) or (found.side == SYSTEM and not rights.review):
        raise PermissionDenied
    if done:
        _, created = TaskDone.objects.get_or_create(
            plan=plan, task=task, defaults={"done_by": user}
        )
        if created:
            _log(plan, user, "task_done", str(found.text))
    elif TaskDone.objects.filter(plan=plan, task=task).delete()[0]:
        _log(plan, user, "task_undone", str(found.text))


# Sending the plan for review is one of the team's moves: offered and refused like a stage move.
SUBMIT = "submit"


def plan_stage_move_refusal(plan: Plan, to: Stage | str) -> str | None:
    """Why the cycle refuses moving `plan` to `to` now, or None when the team may make that move.

    `to` is a stage, or SUBMIT (send the plan for review). The one place the
    cycle's rules are read: `plan_stage_move` and `plan_submit` refuse with this
    message, and the plan page offers exactly the moves `plan_stage_moves_allowed` lists.
    """
    if to == SUBMIT:
        return _plan_submit_refusal(plan)
    to = Stage(to)
    current = Stage(plan.stage)
    if to not in MOVES[current]:
        return _("A plan cannot go from %(from)s to %(to)s.") % {
            "from": current.label,
            "to": to.label,
        }
    if plan.review == Review.SUBMITTED:
        return _("The plan is waiting for review.")
    if current == Stage.PLAN and plan.review != Review.ACCEPTED:
        return _("The plan must be submitted and accepted before the team puts it into action.")
    return None


def _plan_submit_refusal(plan: Plan) -> str | None:
    """Why the plan cannot be sent for review now. An accepted plan goes on through the cycle:
    sending it back to review would undo the acceptance, so it is refused (and never offered)."""
    if plan.stage == Stage.CLOSED:
        return _("The year is closed.")
    if plan.review == Review.SUBMITTED:
        return _("The plan is already waiting for review.")
    if plan.review == Review.ACCEPTED:
        return _("The plan was accepted: it goes on through the cycle and is not submitted again.")
    if not plan.goals.exists():
        return _("Add at least one goal before submitting the plan.")
    return None


def plan_stage_moves_allowed(plan: Plan) -> list[str]:
    """The team's moves now: SUBMIT when the plan may be sent for review, then the stages it
    may move to (leaving Plan needs an accepted plan). The page offers these and no others."""
    moves: list[str] = [SUBMIT] if plan_stage_move_refusal(plan, SUBMIT) is None else []
    return moves + [
        stage for stage in MOVES[Stage(plan.stage)] if plan_stage_move_refusal(plan, stage) is None
    ]


@transaction.atomic
def plan_stage_move(*, plan: Plan, user: Any, seen: int, to: str) -> Plan:
    """Move the plan to another stage of the cycle: only the plan's team, and only along the cycle."""
    _require_team(user, plan)
    if seen != plan.version:
        raise Conflict(plan, seen)
    current, target = Stage(plan.stage), Stage(to)
    refusal = plan_stage_move_refusal(plan, target)
    if refusal is not None:
        raise NotAllowed(refusal)
    if target == Stage.CLOSED:
        return plan_year_close(plan=plan, user=user, seen=seen)
    _edit(plan, user, seen, "stage_moved", str(plan), {"stage": [current.value, target.value]})
    plan.stage = target
    plan.save(update_fields=["stage", "updated_at"])
    return plan


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """The plan and everything in it as plain data (what a submission keeps, and the JSON export)."""
    from capacity.planning.progress import target_progress

    def row(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
        return {name: _value(getattr(obj, name)) for name in names}

    return {
        "id": plan.pk,
        "kind": plan.kind,
        "board": plan.board.number,
        "school": plan.school.number if plan.school else None,
        "owner": plan.owner_name,
        "school_year": plan.school_year,
        "title": plan.title,
        "stage": plan.stage,
        "review": plan.review,
        "focused_intervention": plan.focused_intervention,
        "identification": plan.identification,
        "version": plan.version,
        "overall_impact": plan.overall_impact,
        "next_steps": plan.next_steps,
        "goals": [
            {
                **row(
                    goal, ["statement", "area", "focus", "group", "marker_codes", "characteristic"]
                ),
                "targets": [
                    {
                        **row(
                            t,
                            [
                                "measure",
                                "group",
                                "description",
                                "baseline_year",
                                "baseline_value",
                                "target_value",
                                "target_year",
                            ],
                        ),
                        "assessment": t.assessment.code if t.assessment else None,
                        "progress": target_progress(t).as_dict(),
                    }
                    for t in goal.targets.all()
                ],
                "strategies": [
                    row(
                        s,
                        [
                            "action",
                            "responsible",
                            "professional_learning",
                            "resources",
                            "starts",
                            "ends",
                            "drivers",
                        ],
                    )
                    for s in goal.strategies.all()
                ],
            }
            for goal in plan.goals.prefetch_related(
                "targets__assessment", "targets__entries", "strategies"
            )
        ],
        "checkpoints": [
            row(c, ["due", "title", "evidence_gathered", "progress", "adjustments", "recorded_at"])
            for c in plan.checkpoints.all()
        ],
    }


@transaction.atomic
def plan_submit(*, plan: Plan, user: Any, seen: int) -> Submission:
    """Send the plan for review. It keeps a snapshot of the plan as it was sent."""
    _require_team(user, plan)
    refusal = plan_stage_move_refusal(plan, SUBMIT)
    if refusal is not None:
        raise NotAllowed(refusal)
    _edit(
        plan, user, seen, "submitted", str(plan), {"review": [plan.review, Review.SUBMITTED.value]}
    )
    plan.review = Review.SUBMITTED
    plan.save(update_fields=["review", "updated_at"])
    number = (plan.submissions.aggregate(n=models.Max("number"))["n"] or 0) + 1
    submission = Submission.objects.create(
        plan=plan, number=number, stage=plan.stage, snapshot=plan_snapshot(plan), submitted_by=user
    )
    audit_record(
        action=Action.PLAN_SUBMITTED,
        actor=user,
        target=str(plan),
        detail={"plan": plan.pk, "number": number},
    )
    notices.plan_submitted(plan=plan, submission=submission, by=user)
    return submission


def review_basis(plan: Plan) -> dict[str, int] | None:
    """What a reviewer reads and must name when deciding: the waiting submission's number and the plan's version."""
    waiting = (
        plan.submissions.filter(decision=Submission.Decision.PENDING).order_by("-number").first()
    )
    if plan.review != Review.SUBMITTED or waiting is None:
        return None
    return {"submission": waiting.number, "seen": plan.version}


@transaction.atomic
def plan_decide(
    *, plan: Plan, user: Any, accept: bool, submission: int, seen: int, comments: str = ""
) -> Submission:
    """The reviewer accepts the submitted plan or returns it with comments.

    The reviewer names the submission and the plan version they read; a decision
    on anything else (a newer submission, a plan changed since) is refused with
    StaleDecision, so nobody accepts what they have not read.
    """
    if not _rights(user, plan).review:
        raise PermissionDenied
    # One decision at a time: lock the plan's row (alone: the manager's joins cannot be locked on PostgreSQL).
    list(
        Plan.objects.select_related(None)
        .order_by()
        .select_for_update(of=("self",))
        .filter(pk=plan.pk)
        .values_list("pk", flat=True)
    )
    plan.refresh_from_db()
    waiting = (
        plan.submissions.filter(decision=Submission.Decision.PENDING).order_by("-number").first()
    )
    if waiting is not None and (waiting.number != submission or plan.version != seen):
        raise StaleDecision(plan, seen, submission, waiting.number)
    if plan.review != Review.SUBMITTED or waiting is None:
        last = plan.submissions.order_by("-number").first()
        if (
            last is not None
            and last.number == submission
            and last.decision != Submission.Decision.PENDING
        ):
            raise StaleDecision(
                plan, seen, submission, None, decided=str(last.get_decision_display()).lower()
            )
        raise NotAllowed(_("The plan is not waiting for review."))
    submission_row = waiting
    if not accept and not comments.strip():
        raise ValidationError(
            {"comments": _("Say what the team should change when returning a plan.")}
        )
    decision = Submission.Decision.ACCEPTED if accept else Submission.Decision.RETURNED
    submission_row.decision, submission_row.comments = decision, comments
    submission_row.decided_by, submission_row.decided_at = user, timezone.now()
    submission_row.save()
    review = Review.ACCEPTED if accept else Review.RETURNED
    _edit(
        plan,
        user,
        seen,
        "accepted" if accept else "returned",
        str(plan),
        {
            "review": [plan.review, review.value],
            **({"comments": ["", comments]} if comments else {}),
        },
    )
    plan.review = review
    plan.save(update_fields=["review", "updated_at"])
    audit_record(
        action=Action.PLAN_ACCEPTED if accept else Action.PLAN_RETURNED,
        actor=user,
        target=str(plan),
        detail={"plan": plan.pk, "submission": submission, "version": seen},
    )
    notices.plan_decided(plan=plan, submission=submission_row, by=user)
    return submission_row


@transaction.atomic
def plan_year_close(*, plan: Plan, user: Any, seen: int) -> Plan:
    """Reflect on overall impact: close the year and open next year's plan.

    Next year's plan carries exactly the goals the team decided to carry (as they are, or with
    their refined wording), with their targets and strategies, and starts from the reflection's
    next steps. The year does not close while a goal has no decision
    (services_yearclose.goal_carry_decide): "are we focusing on the right inch?" is asked of
    every goal, never answered by default.
    """
    from capacity.planning.carry import latest_decisions
    from capacity.planning.models import CarryDecision

    _require_team(user, plan)
    if plan.stage != Stage.REFLECT:
        raise NotAllowed(_("A year closes from the Reflect stage."))
    if not plan.overall_impact.strip():
        raise ValidationError(
            {"overall_impact": _("Write the reflection on overall impact before closing the year.")}
        )
    decisions = latest_decisions(plan)
    undecided = [g for g in plan.goals.order_by("position", "id") if g.pk not in decisions]
    if undecided:
        raise NotAllowed(
            _(
                "Decide for each goal whether it goes into next year's plan, and why, first: %(goals)s"
            )
            % {"goals": "; ".join(f"“{Truncator(g.statement).words(12)}”" for g in undecided)}
        )
    _edit(plan, user, seen, "year_closed", str(plan), {"stage": [plan.stage, Stage.CLOSED.value]})
    plan.stage = Stage.CLOSED
    plan.save(update_fields=["stage", "updated_at"])
    next_year = school_year_label(year_start_of(plan.school_year) + 1)
    successor = Plan.objects.filter(
        kind=plan.kind, board=plan.board, school=plan.school, school_year=next_year
    ).first()
    if successor is None:
        # The flag goes on while the school is identified: the evidence keeps it true (it clears
        # it, saying why, when an import shows the school has left; see focused_intervention_start).
        successor = Plan.objects.create(
            kind=plan.kind,
            board=plan.board,
            school=plan.school,
            school_year=next_year,
            title=plan.title,
            previous=plan,
            next_steps=plan.next_steps,
            focused_intervention=plan.focused_intervention,
            identification=plan.identification if plan.focused_intervention else {},
            support_contact=plan.support_contact,
        )
        _log(successor, user, "plan_created", str(successor), {"carried_from": [None, plan.pk]})
    for goal in plan.goals.prefetch_related("targets", "strategies"):
        decided = decisions[goal.pk]
        if decided.decision == CarryDecision.STOP:
            continue
        targets = list(goal.targets.all())
        copy = Goal.objects.create(
            plan=successor,
            position=goal.position,
            statement=decided.statement
            if decided.decision == CarryDecision.REFINE
            else goal.statement,
            area=goal.area,
            focus=goal.focus,
            group=goal.group,
            marker_codes=goal.marker_codes,
            characteristic=goal.characteristic,
            carried_from=goal,
        )
        for t in targets:
            Target.objects.create(
                goal=copy,
                measure=t.measure,
                assessment=t.assessment,
                group=t.group,
                description=t.description,
                baseline_year=t.baseline_year,
                baseline_value=t.baseline_value,
                target_value=t.target_value,
                target_year=max(t.target_year, next_year),
            )
        for s in goal.strategies.all():
            Strategy.objects.create(
                goal=copy,
                action=s.action,
                responsible=s.responsible,
                professional_learning=s.professional_learning,
                resources=s.resources,
                drivers=s.drivers,
            )
        _log(successor, user, "goal_carried_forward", str(copy))
    return successor


# --- co-reflection -------------------------------------------------------------------


@transaction.atomic
def coreflection_add(
    *, plan: Plan, user: Any, themes: str, keep: str = "", consider: str = ""
) -> CoReflection:
    if not _rights(user, plan).review:
        raise PermissionDenied
    _require_open(plan)
    if not themes.strip():
        raise ValidationError({"themes": _("Name at least one emergent theme.")})
    entry = CoReflection.objects.create(
        plan=plan, stage=plan.stage, author=user, themes=themes, keep=keep, consider=consider
    )
    _log(plan, user, "coreflection_added", themes[:200])
    notices.coreflection_added(entry=entry, by=user)
    return entry


@transaction.atomic
def reply_add(*, coreflection: CoReflection, user: Any, text: str) -> Reply:
    rights = _rights(user, coreflection.plan)
    if not (rights.edit or rights.review):
        raise PermissionDenied
    _require_open(coreflection.plan)
    if not text.strip():
        raise ValidationError({"text": _("Write a reply.")})
    answer = Reply.objects.create(coreflection=coreflection, author=user, text=text)
    _log(coreflection.plan, user, "reply_added", text[:200])
    return answer


# --- focused intervention -------------------------------------------------------------


@transaction.atomic
def focused_intervention_start(
    *,
    school_year: str,
    identified: Iterable[Any],
    policy: str = "",
    actor_label: str = "",
    not_identified: Iterable[str] = (),
) -> int:
    """Give every school identified for `school_year` a plan flagged for focused intervention.

    `identified` holds the evidence engine's SchoolStatus rows (with reasons).
    An existing plan is flagged and linked to the reasons; otherwise an empty
    plan is started. The support contact is one of the board's leaders. Returns
    how many plans were created.
    """
    created = 0
    schools = {s.number: s for s in School.objects.select_related("board")}
    for status in identified:
        school = schools.get(status.school_number)
        if school is None:
            continue
        reasons = {
            "policy": policy,
            "reasons": [
                {
                    "school_year": r.school_year,
                    "assessment": r.assessment,
                    "pct_at_standard": r.pct_at_standard,
                }
                for r in status.reasons
            ],
        }
        # A leader whose role has ended is nobody's contact any more (roster roles have dates).
        contact = (
            Membership.objects.in_force()
            .filter(role=Role.BOARD_LEADER, board=school.board)
            .order_by("id")
            .values_list("user_id", flat=True)
            .first()
        )
        plan, made = Plan.objects.get_or_create(
            kind=Kind.SCHOOL,
            school=school,
            school_year=school_year,
            defaults={
                "board": school.board,
                "focused_intervention": True,
                "identification": reasons,
                "support_contact_id": contact,
            },
        )
        if made:
            created += 1
            _log(plan, None, "plan_created", _("Focused intervention: identified by the evidence"))
        elif not plan.focused_intervention or plan.identification != reasons:
            plan.focused_intervention, plan.identification = True, reasons
            plan.support_contact_id = plan.support_contact_id or contact
            plan.save(
                update_fields=[
                    "focused_intervention",
                    "identification",
                    "support_contact",
                    "updated_at",
                ]
            )
    if created:
        audit_record(
            action=Action.PLANS_CREATED,
            actor_label=actor_label or "capacity",
            target=school_year,
            detail={"focused_intervention": created},
        )
    _focus_clear(
        school_year=school_year,
        schools=set(not_identified),
        policy=policy,
        actor_label=actor_label or "capacity",
    )
    return created


def _focus_clear(*, school_year: str, schools: set[str], policy: str, actor_label: str) -> None:
    """End the focused intervention of schools the evidence for `school_year` shows have left.

    Their flagged plans for that year and later (a closed year carries its flag
    forward) lose the flag; each plan's history and the audit log say why. A
    school with too little data to decide keeps its flag: it has not been
    shown to have left.
    """
    if not schools:
        return
    plans = Plan.objects.filter(
        focused_intervention=True, school__number__in=schools
    ).select_related("school")
    for plan in plans:
        if year_start_of(plan.school_year) < year_start_of(school_year):
            continue
        why = _(
            "Not identified under %(policy)s with the results of %(year)s: the focused intervention ends."
        ) % {"policy": policy or _("the default policy"), "year": school_year}
        plan.focused_intervention = False
        plan.identification = {
            **(plan.identification or {}),
            "ended": {"school_year": school_year, "policy": policy, "why": str(why)},
        }
        plan.save(update_fields=["focused_intervention", "identification", "updated_at"])
        _log(plan, None, "focus_cleared", str(why), {"focused_intervention": [True, False]})
        audit_record(
            action=Action.FOCUS_CLEARED,
            actor_label=actor_label,
            target=str(plan),
            detail={
                "plan": plan.pk,
                "school": plan.school.number if plan.school else None,
                "school_year": school_year,
                "policy": policy,
            },
        )


def on_identification_decided(
    sender: Any,
    *,
    school_year: str,
    policy: str,
    opened: list[dict[str, Any]],
    ended: list[str],
    actor_label: str = "",
    **kwargs: Any,
) -> None:
    """A ministry officer confirmed identification decisions (evidence's `identification_decided`).

    Identification proposes, people decide: an import makes a proposal, and only a confirmed
    entry opens (or keeps) a focused-intervention plan and only a confirmed exit ends one. This
    runs inside the decision's transaction, so a failure here refuses the decision too.
    `opened` holds each school's number and the reasons snapshotted in the proposal.
    """
    rows = [
        SimpleNamespace(
            school_number=o["school_number"],
            reasons=[SimpleNamespace(**r) for r in o.get("reasons", [])],
        )
        for o in opened
    ]
    if rows:
        focused_intervention_start(
            school_year=school_year, identified=rows, policy=policy, actor_label=actor_label
        )
    if ended:
        _focus_clear(
            school_year=school_year,
            schools=set(ended),
            policy=policy,
            actor_label=actor_label or "capacity",
        )


# --- reciprocity -----------------------------------------------------------------------


@transaction.atomic
def support_request_create(
    *,
    user: Any,
    tried: str,
    needs: list[str],
    school: School | None = None,
    board: Board | None = None,
    plan: Plan | None = None,
    detail: str = "",
    needed_by: datetime.date | None = None,
    to_ministry: bool = False,
) -> SupportRequest:
    """A team asks for support: what it tried, what it needs, by when."""
    if school is not None:
        board = school.board
        allowed = access.can_act_for_school(user, school)
    elif board is not None:
        allowed = access.can_act_for_board(user, board)
        to_ministry = True
    else:
        raise ValueError("A request comes from a school or a board.")
    if not allowed:
        raise PermissionDenied
    if plan is not None:
        if not access.plan_rights(user, plan).edit:
            raise PermissionDenied
        if plan.board_id != board.pk or plan.school_id != (school.pk if school else None):
            raise ValidationError({"plan": _("The plan belongs to another school or board.")})
    request = SupportRequest(
        board=board,
        school=school,
        plan=plan,
        tried=tried,
        needs=needs,
        detail=detail,
        needed_by=needed_by,
        to_ministry=to_ministry,
        requested_by=user,
    )
    request.full_clean()
    request.save()
    if plan is not None:
        _log(plan, user, "support_requested", tried[:200])
    notices.support_requested(request=request, by=user)
    return request


@transaction.atomic
def support_request_answer(
    *, request: SupportRequest, user: Any, answer: str, provided: list[str], close: bool = False
) -> SupportRequest:
    """The board or the ministry answers with what it provides."""
    if not access.can_answer_support_request(user, request):
        raise PermissionDenied
    if not answer.strip():
        raise ValidationError({"answer": _("Say what the system provides.")})
    request.answer, request.provided = answer, provided
    request.status = SupportRequest.Status.CLOSED if close else SupportRequest.Status.ANSWERED
    request.answered_by = user
    request.answered_at = request.answered_at or timezone.now()
    request.full_clean()
    request.save()
    if request.plan is not None:
        _log(request.plan, user, "support_answered", answer[:200])
    notices.support_answered(request=request, by=user)
    return request


# --- timelines -------------------------------------------------------------------------


@transaction.atomic
def timeline_set(
    *,
    user: Any,
    board: Board | None,
    school_year: str,
    submit_by: datetime.date,
    act_by: datetime.date,
    observe_by: datetime.date,
    reflect_by: datetime.date,
) -> Timeline:
    """Set a year's dates: the ministry's for every board plan (`board` None), or one board's for its schools."""
    if not access.can_set_timeline(user, board):
        raise PermissionDenied
    kind = Kind.SCHOOL if board is not None else Kind.BOARD
    timeline = Timeline.objects.filter(
        board=board, school_year=school_year, kind=kind
    ).first() or Timeline(board=board, school_year=school_year, kind=kind)
    dates = ("submit_by", "act_by", "observe_by", "reflect_by")
    before = {name: _value(getattr(timeline, name)) for name in dates} if timeline.pk else None
    timeline.submit_by, timeline.act_by = submit_by, act_by
    timeline.observe_by, timeline.reflect_by = observe_by, reflect_by
    timeline.full_clean()
    timeline.save()
    audit_record(
        action=Action.TIMELINE_SET,
        actor=user,
        target=f"{school_year} {board.number if board is not None else kind}",
        detail={
            "board": board.number if board is not None else None,
            "school_year": school_year,
            "kind": kind,
            "before": before,
            "dates": {name: _value(getattr(timeline, name)) for name in dates},
        },
    )
    return timeline
