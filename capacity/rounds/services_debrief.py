"""Every write to a visit's debrief and its next level of work.

The debrief is run by those with `VisitRights.debrief` (the visit's facilitator and the
school's rounds planners) while the visit is at its debrief stage. Each edit names the visit
version it started from: two facilitators on two phones never overwrite each other silently,
the second is told someone changed the debrief and sees what they did (`StaleDebrief`).

* `debrief_group` groups the notes into themes (capacity/rounds/affinity.py) and keeps the
  grouping on the visit (`affinity.as_dict`); regrouping a grouping someone edited (a theme
  named, a note moved) discards those edits, so it is refused unless confirmed
  (`RegroupNeedsConfirmation`).
* `debrief_move`, `debrief_rename`: the facilitator's edits of the grouping.
* `debrief_level`: a note's task level, confirmed or changed (Bloom's six levels).
* `debrief_predict`: the answer to the prediction question.
* `debrief_finish`: debrief -> done once a theme is named and the prediction answered; the
  visit's team and the school's team are told.

The next level of work (`next_step_add`) needs no version: a step is added, never
overwritten. Each step becomes, in one step, a strategy of the school's current plan through
planning's own `strategy_add` (which checks the plan team's rights and the plan's version), or
for a network's visit a network action. Nothing here is audited: the debrief changes no one's
access and holds nothing that identifies a person; the plan keeps its own history of the
strategy added.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.planning import services as planning_services
from capacity.planning.models import Driver, Goal, Strategy
from capacity.rounds import affinity, notices_debrief
from capacity.rounds.models import (
    Bloom,
    Horizon,
    NetworkAction,
    NextStep,
    Note,
    Visit,
    VisitStage,
)
from capacity.rounds.selectors_debrief import (
    affinity_notes,
    current_plan,
    horizon_end,
    is_member,
    stored_grouping,
    visit_notes,
)

PREDICTION_MAX = 5000
STEP_MAX = 2000
NEW_GROUP = "new"
_KEY = re.compile(r"^g(\d+)$")
# A round's next level of work builds capacity through teachers' shared practice.
STEP_DRIVERS = [Driver.COLLABORATIVE_WORK.value, Driver.PEDAGOGY.value]


class StaleDebrief(ValidationError):
    """Someone changed the debrief since the person loaded it."""


class RegroupNeedsConfirmation(ValidationError):
    """Regrouping would discard the themes' names and the notes moved by hand."""


def _stale() -> StaleDebrief:
    return StaleDebrief(
        _(
            "Someone changed this debrief after you opened it, so your change was not saved. "
            "What they did is shown now: check it and try again."
        ),
        code="stale",
    )


def _lock(*, user: Any, visit: Visit, version: int | None) -> Visit:
    """The visit, locked for the edit, once the person may run its debrief now."""
    locked = Visit.objects.select_for_update(of=("self",)).get(pk=visit.pk)
    rights = access.visit_rights(user, locked, is_member(user, locked))
    if not rights.debrief:
        raise PermissionDenied
    if locked.stage == VisitStage.DONE:
        raise ValidationError(_("This debrief is finished: it can no longer change."), code="done")
    if locked.stage != VisitStage.DEBRIEF:
        raise ValidationError(
            _("The visit is not at its debrief yet: its notes are still being written."),
            code="stage",
        )
    if version is not None and locked.version != version:
        raise _stale()
    return locked


def _save(visit: Visit, *fields: str) -> Visit:
    visit.version += 1
    visit.full_clean()
    visit.save(update_fields=[*fields, "version", "updated_at"])
    return visit


def _grouping(visit: Visit) -> affinity.Grouping:
    grouping = stored_grouping(visit)
    if grouping is None:
        raise ValidationError(_("Group the notes into themes first."), code="ungrouped")
    return grouping


def _partition(grouping: affinity.Grouping) -> tuple[list[list[str]], list[str]]:
    return sorted(sorted(p) for p in grouping.partition()), sorted(grouping.ungrouped)


def grouping_edited(visit: Visit, grouping: affinity.Grouping | None = None) -> bool:
    """Whether the stored grouping holds someone's work that regrouping would discard: a
    theme named, or notes moved (its groups differ from what the same notes group into now)."""
    grouping = grouping if grouping is not None else stored_grouping(visit)
    if grouping is None:
        return False
    if any(g.name for g in grouping.groups):
        return True
    asked = len(grouping.groups) if grouping.choice == "asked" else None
    fresh = affinity.group_notes(affinity_notes(visit_notes(visit)), groups=asked or None)
    return _partition(fresh) != _partition(grouping)


@transaction.atomic
def debrief_group(
    *,
    user: Any,
    visit: Visit,
    version: int,
    groups: int | None = None,
    discard_edits: bool = False,
) -> Visit:
    """Group the visit's notes into themes (`groups` of them, or as many as the silhouette
    chooses) and keep the grouping on the visit. Regrouping after someone named a theme or
    moved a note discards that work: refused unless `discard_edits`."""
    locked = _lock(user=user, visit=visit, version=version)
    if groups is not None and not 1 <= groups <= affinity.MAX_GROUPS:
        raise ValidationError(
            {"groups": [_("Ask for 1 to %(n)s themes.") % {"n": affinity.MAX_GROUPS}]}
        )
    notes = visit_notes(locked)
    if not notes:
        raise ValidationError(_("There are no notes to group yet."), code="empty")
    if not discard_edits and grouping_edited(locked):
        raise RegroupNeedsConfirmation(
            _(
                "Regrouping discards the themes' names and the notes moved by hand. "
                "Confirm to regroup."
            ),
            code="confirm",
        )
    grouping = affinity.group_notes(affinity_notes(notes), groups=groups)
    locked.grouping = affinity.as_dict(grouping)
    return _save(locked, "grouping")


def _new_key(grouping: affinity.Grouping) -> str:
    numbers = [int(m.group(1)) for g in grouping.groups if (m := _KEY.match(g.key))]
    return f"g{max(numbers, default=0) + 1}"


@transaction.atomic
def debrief_move(*, user: Any, visit: Visit, version: int, note: str, to_group: str) -> Visit:
    """Move a note (its id) into another theme, or into a new one (`to_group` "new")."""
    locked = _lock(user=user, visit=visit, version=version)
    grouping = _grouping(locked)
    keys = {g.key for g in grouping.groups}
    if to_group == NEW_GROUP:
        to_group = _new_key(grouping)
    elif to_group not in keys:
        raise ValidationError({"to_group": [_("Choose one of the themes, or a new one.")]})
    try:
        moved = affinity.move(grouping, note, to_group)
    except KeyError:
        raise ValidationError(
            {"note": [_("This note is not in the grouping: regroup to include it.")]}
        ) from None
    locked.grouping = affinity.as_dict(moved)
    return _save(locked, "grouping")


@transaction.atomic
def debrief_rename(*, user: Any, visit: Visit, version: int, group: str, name: str) -> Visit:
    """Name a theme; an empty name goes back to the suggestion."""
    locked = _lock(user=user, visit=visit, version=version)
    grouping = _grouping(locked)
    try:
        renamed = affinity.rename(grouping, group, name)
    except KeyError:
        raise ValidationError({"group": [_("This theme is no longer there.")]}) from None
    except ValueError:
        raise ValidationError(
            {
                "name": [
                    _("A theme's name has at most %(n)s characters.")
                    % {"n": affinity.NAME_MAX_CHARS}
                ]
            }
        ) from None
    locked.grouping = affinity.as_dict(renamed)
    return _save(locked, "grouping")


@transaction.atomic
def debrief_level(*, user: Any, visit: Visit, version: int, note: int, level: str) -> Note:
    """Confirm or change a note's task level at the debrief ("" leaves it unconfirmed).

    The visit's version goes up (the page's figures change) and so does the note's
    revision, so an observer's older copy of the note is not synced over it unseen."""
    locked = _lock(user=user, visit=visit, version=version)
    if level and level not in Bloom.values:
        raise ValidationError({"level": [_("Choose one of Bloom's six levels.")]})
    found = Note.objects.select_for_update(of=("self",)).filter(visit=locked, pk=note).first()
    if found is None:
        raise ValidationError({"note": [_("This note is no longer there.")]})
    if found.level != level:
        found.level = level
        found.revision += 1
        found.full_clean()
        found.save(update_fields=["level", "revision", "updated_at"])
    _save(locked)
    return found


@transaction.atomic
def debrief_predict(*, user: Any, visit: Visit, version: int, prediction: str) -> Visit:
    """Keep the answer to the prediction question."""
    locked = _lock(user=user, visit=visit, version=version)
    prediction = prediction.strip()
    if len(prediction) > PREDICTION_MAX:
        raise ValidationError(
            {"prediction": [_("Keep the answer under 5,000 characters.")]}, code="long"
        )
    locked.prediction = prediction
    return _save(locked, "prediction")


@transaction.atomic
def debrief_finish(*, user: Any, visit: Visit, version: int) -> Visit:
    """Finish the debrief: the visit moves from debrief to done, and the visit's team and the
    school's team are told. Refused, with every reason, while no theme is named or the
    prediction question is unanswered."""
    from capacity.rounds.selectors_debrief import finish_problems

    locked = _lock(user=user, visit=visit, version=version)
    problems = finish_problems(locked, stored_grouping(locked))
    if problems:
        raise ValidationError(problems, code="unfinished")
    locked.stage = VisitStage.DONE
    locked.debriefed_at = timezone.now()
    _save(locked, "stage", "debriefed_at")
    notices_debrief.debrief_finished(visit=locked, by=user)
    return locked


# --- the next level of work ----------------------------------------------------------------


def _require_debrief(user: Any, visit: Visit) -> None:
    if not access.visit_rights(user, visit, is_member(user, visit)).debrief:
        raise PermissionDenied


@transaction.atomic
def next_step_add(*, user: Any, visit: Visit, horizon: str, text: str) -> NextStep:
    """Add what the school will know and do by next week, next month or the end of the year:
    at the debrief, or after it."""
    visit = Visit.objects.select_for_update(of=("self",)).get(pk=visit.pk)
    _require_debrief(user, visit)
    if visit.stage not in (VisitStage.DEBRIEF, VisitStage.DONE):
        raise ValidationError(
            _("The next level of work comes from the debrief: the visit is not there yet."),
            code="stage",
        )
    errors: dict[str, list[str]] = {}
    if horizon not in Horizon.values:
        errors["horizon"] = [_("Choose when: next week, next month or the end of the year.")]
    text = text.strip()
    if not text:
        errors["text"] = [_("Say what the school will know and do.")]
    elif len(text) > STEP_MAX:
        errors["text"] = [_("Keep it under 2,000 characters.")]
    if errors:
        raise ValidationError(errors)
    step = NextStep(visit=visit, horizon=horizon, text=text, created_by=user)
    step.full_clean()
    step.save()
    return step


def _lock_step(user: Any, step: NextStep) -> NextStep:
    """The step, locked, once the person may run its visit's debrief and the step is still free."""
    locked = (
        NextStep.objects.select_for_update(of=("self",)).select_related("visit").get(pk=step.pk)
    )
    _require_debrief(user, locked.visit)
    if locked.strategy_id is not None or locked.action_id is not None:
        raise ValidationError(
            _("This step is already a plan strategy or a network action."), code="linked"
        )
    return locked


@transaction.atomic
def next_step_strategy(
    *, user: Any, step: NextStep, goal: Goal, seen: int, responsible: str
) -> Strategy:
    """The step becomes a strategy under `goal` of the school's current plan, in one step.

    Planning's `strategy_add` checks that the person writes the plan and that the plan is
    still at version `seen`; a stale version is refused with planning's message. The strategy
    runs from today to the step's horizon."""
    locked = _lock_step(user, step)
    visit = locked.visit
    plan = current_plan(visit)
    if plan is not None and not access.plan_rights(user, plan).edit:
        raise PermissionDenied
    if plan is None or goal.plan_id != plan.pk:
        raise ValidationError(
            {"goal": [_("Choose a goal of the school's current improvement plan.")]}
        )
    responsible = responsible.strip()
    if not responsible:
        raise ValidationError({"responsible": [_("Say who is responsible.")]})
    today = timezone.localdate()
    try:
        strategy = planning_services.strategy_add(
            goal=goal,
            user=user,
            seen=seen,
            action=locked.text,
            responsible=responsible[:200],
            starts=today,
            ends=horizon_end(locked.horizon, today),
            drivers=STEP_DRIVERS,
        )
    except planning_services.Conflict as conflict:
        raise StaleDebrief(str(conflict), code="stale") from None
    locked.strategy = strategy
    locked.save(update_fields=["strategy"])
    return strategy


@transaction.atomic
def next_step_action(*, user: Any, step: NextStep) -> NetworkAction:
    """The step of a network's visit becomes one of the network's actions, in one step, due by
    the step's horizon and in the visit's network cycle."""
    locked = _lock_step(user, step)
    visit = locked.visit
    if visit.network_id is None:
        raise ValidationError(
            _("Only a network's visit has network actions: make it a plan strategy instead."),
            code="no_network",
        )
    action = NetworkAction(
        network_id=visit.network_id,
        cycle_id=visit.cycle_id,
        text=locked.text,
        due=horizon_end(locked.horizon, timezone.localdate()),
        created_by=user,
    )
    action.full_clean()
    action.save()
    locked.action = action
    locked.save(update_fields=["action"])
    return action
