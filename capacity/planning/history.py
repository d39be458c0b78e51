"""A plan's history in words: what happened, to what, and each value before and after.

`PlanChange` rows keep codes as the services wrote them (an action such as
`stage_moved`, a field name, a choice value such as `act`, a list of drivers,
an ISO date), because the API and exports read them. A page never shows those
codes: this module reads each row through the field definitions of the model
the action concerns (verbose names, choice labels, dates and numbers in the
reader's language), so rows written before it existed read as well as new ones.
"""

from __future__ import annotations

import ast
import contextlib
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from capacity.evidence.labels import ASSESSMENT_NAMES, group_name
from capacity.planning.cycle import TASKS
from capacity.planning.models import (
    Checkpoint,
    CoReflection,
    Driver,
    Goal,
    GoalCarry,
    Plan,
    PlanChange,
    Strategy,
    StrategyReview,
    Submission,
    SupportRequest,
    Target,
    TargetEntry,
)
from capacity.planning.themes import LessonChoice

# What each action reads as. An action missing here (one a later change adds) reads as "Change".
ACTIONS: dict[str, Promise] = {
    "plan_created": gettext_lazy("Plan started"),
    "plan_changed": gettext_lazy("Plan's title or reflection changed"),
    "goal_added": gettext_lazy("Goal added"),
    "goal_changed": gettext_lazy("Goal changed"),
    "goal_deleted": gettext_lazy("Goal deleted"),
    "goal_carried_forward": gettext_lazy("Goal carried forward from last year"),
    "target_added": gettext_lazy("Target added"),
    "target_changed": gettext_lazy("Target changed"),
    "target_deleted": gettext_lazy("Target deleted"),
    "strategy_added": gettext_lazy("Strategy added"),
    "strategy_changed": gettext_lazy("Strategy changed"),
    "strategy_deleted": gettext_lazy("Strategy deleted"),
    "checkpoint_added": gettext_lazy("Checkpoint added"),
    "checkpoint_changed": gettext_lazy("Checkpoint changed"),
    "checkpoint_deleted": gettext_lazy("Checkpoint deleted"),
    "entry_added": gettext_lazy("Value recorded for a custom measure"),
    "task_done": gettext_lazy("Task checked off"),
    "task_undone": gettext_lazy("Task unchecked"),
    "stage_moved": gettext_lazy("Moved to another stage"),
    "submitted": gettext_lazy("Submitted for review"),
    "accepted": gettext_lazy("Accepted by the reviewer"),
    "returned": gettext_lazy("Returned to the team with comments"),
    "year_closed": gettext_lazy("Year closed"),
    "coreflection_added": gettext_lazy("Co-reflection added"),
    "reply_added": gettext_lazy("Reply to a co-reflection"),
    "coreflection_tagged": gettext_lazy("Co-reflection's lessons changed"),
    "support_requested": gettext_lazy("Support requested"),
    "support_answered": gettext_lazy("Support request answered"),
    "focus_cleared": gettext_lazy("Focused intervention ended by the evidence"),
    "carry_decided": gettext_lazy("Goal decided for next year (carry, refine or stop)"),
    "implementation_reviewed": gettext_lazy(
        "Strategy reviewed: implementation status and evidence"
    ),
}

# The model whose fields an action's values belong to, read from the action's first word.
_MODELS: dict[str, type[models.Model]] = {
    "goal": Goal,
    "target": Target,
    "strategy": Strategy,
    "checkpoint": Checkpoint,
    "entry": TargetEntry,
    "support": SupportRequest,
    "implementation": StrategyReview,
    "carry": GoalCarry,
    "coreflection": CoReflection,
}

# Values that are not a field of the action's model, and the field they come from.
_OTHER_FIELDS: dict[str, tuple[type[models.Model], str]] = {
    "comments": (Submission, "comments"),
    "carried_from": (Plan, "previous"),
}

# Lists stored in JSON fields, and the choices their items are.
_LIST_CHOICES: dict[tuple[type[models.Model], str], type[models.TextChoices]] = {
    (Strategy, "drivers"): Driver,
    (SupportRequest, "needs"): SupportRequest.Need,
    (SupportRequest, "provided"): SupportRequest.Need,
    (Goal, "lessons"): LessonChoice,
    (Strategy, "lessons"): LessonChoice,
    (CoReflection, "lessons"): LessonChoice,
}

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ChangeRow:
    """One history row as a page shows it."""

    at: datetime.datetime
    by: Any
    what: str
    item: str
    fields: list[FieldChange]
    version: int


def describe(changes: Iterable[PlanChange], plan: Plan) -> list[ChangeRow]:
    """The rows of `plan`'s history, in the active language."""
    own_name = str(plan)
    return [
        ChangeRow(
            at=change.at,
            by=change.by,
            what=str(ACTIONS.get(change.action, gettext_lazy("Change"))),
            item=_item(change, own_name),
            fields=[
                _field_change(_model_of(change.action), name, pair, plan)
                for name, pair in (change.fields or {}).items()
            ],
            version=change.version,
        )
        for change in changes
    ]


def _model_of(action: str) -> type[models.Model]:
    return _MODELS.get(action.split("_", 1)[0], Plan)


def _item(change: PlanChange, own_name: str) -> str:
    """What the change was made to, without the plan's own name (the page is the plan's)."""
    if change.item == own_name:
        return ""
    if change.action in ("task_done", "task_undone"):
        return _task_text(change.item)
    return readable_text(change.item)


def _task_text(stored: str) -> str:
    """A task's text in the reader's language: the row keeps it in the language of whoever checked it."""
    for task in TASKS:
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                matched = str(task.text) == stored
            if matched:  # read back outside the override: in the reader's language
                return str(task.text)
    return stored


def readable_text(text: str) -> str:
    """A stored label with its ISO dates in the reader's date style and assessment codes as names."""
    text = _ISO_DATE.sub(lambda m: _date_text(m.group(0)) or m.group(0), text)
    names = _assessment_names()
    return re.sub(
        r"\b(" + "|".join(re.escape(code) for code in names) + r")\b",
        lambda m: names[m.group(1)],
        text,
    )


def _assessment_names() -> dict[str, str]:
    """The standard assessments' codes and their names in the reader's language."""
    return {code: str(name) for code, name in ASSESSMENT_NAMES.items()}


def _field_change(model: type[models.Model], name: str, pair: Any, plan: Plan) -> FieldChange:
    owner, field_name = _OTHER_FIELDS.get(name, (model, name))
    try:
        field: models.Field[Any, Any] | None = owner._meta.get_field(field_name)  # type: ignore[assignment]
    except FieldDoesNotExist:
        field = None
    label = (
        capfirst(str(field.verbose_name)) if field is not None else capfirst(name.replace("_", " "))
    )
    before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
    if name == "carried_from":
        return FieldChange(label, _text(None, None, before), _previous_plan(plan, after))
    return FieldChange(label, _text(owner, field, before), _text(owner, field, after))


def _previous_plan(plan: Plan, pk: Any) -> str:
    previous = plan.previous
    if previous is not None and previous.pk == pk:
        return _("the plan for %(year)s") % {"year": previous.school_year}
    return _("last year's plan")


def _text(model: type[models.Model] | None, field: Any, value: Any) -> str:
    """One stored value as a reader reads it."""
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        # An older row may hold a list written out as Python text.
        with contextlib.suppress(ValueError, SyntaxError):
            value = ast.literal_eval(value)
    if value is None or value == "" or value == []:
        return _("(empty)")
    if isinstance(value, list | tuple):
        choices = _LIST_CHOICES.get((model, field.name)) if model and field else None
        labels = dict(choices.choices) if choices else {}
        return ", ".join(str(labels.get(item, _text(None, None, item))) for item in value)
    if isinstance(value, bool) or isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.name == "group":
        return group_name(str(value))
    if isinstance(field, models.ForeignKey) and field.name == "assessment":
        return _assessment_text(str(value))
    if isinstance(field, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        return _datetime_text(value) or value
    if isinstance(field, models.DateField) and isinstance(value, str):
        return _date_text(value) or value
    if isinstance(value, float | int):
        # As many decimals as the value has, up to two, in the reader's number style (62.5, 62,5).
        return str(floatformat(value, -1 if round(value, 1) == value else -2))
    if isinstance(value, str):
        return readable_text(value)
    return str(value)


def _assessment_text(stored: str) -> str:
    """A target's assessment, kept as the name stored in English (or a code), in the reader's language."""
    for code, name in ASSESSMENT_NAMES.items():
        with translation.override("en"):
            english = str(name)
        if stored in (code, english):
            return str(name)
    return stored


def _date_text(value: str) -> str | None:
    try:
        day = datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return str(formats.date_format(day, "DATE_FORMAT"))


def _datetime_text(value: str) -> str | None:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return str(formats.date_format(moment, "DATETIME_FORMAT"))
