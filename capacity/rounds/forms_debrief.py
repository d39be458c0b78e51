"""The debrief's forms. Each edit of the debrief carries the visit's version (`version`), so a
stale edit is refused rather than saved over someone else's; the next level of work's forms
carry none (a step is added, never overwritten), except the plan's version planning checks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.rounds.affinity import MAX_GROUPS, NAME_MAX_CHARS
from capacity.rounds.models import Bloom, Horizon
from capacity.rounds.services_debrief import PREDICTION_MAX, STEP_MAX

ACTIONS = ("group", "move", "rename", "level", "predict", "finish")


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class GroupForm(VersionForm):
    groups = forms.TypedChoiceField(
        label=_("How many themes"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Let the notes decide"))]
        + [(str(n), str(n)) for n in range(2, MAX_GROUPS + 1)],
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class MoveForm(VersionForm):
    note = forms.CharField(max_length=20)
    to_group = forms.CharField(label=_("Move this note to"), max_length=20)


class RenameForm(VersionForm):
    group = forms.CharField(max_length=20)
    name = forms.CharField(label=_("Name of the theme"), max_length=NAME_MAX_CHARS, required=False)


class LevelForm(VersionForm):
    note = forms.IntegerField(min_value=1)
    level = forms.ChoiceField(
        label=_("Level of the task"),
        required=False,
        choices=[("", _("Not confirmed"))] + list(Bloom.choices),
    )


class PredictionForm(VersionForm):
    prediction = forms.CharField(
        label=_(
            "If you were a student here and did exactly what was asked, what would you know how to do?"
        ),
        required=False,
        max_length=PREDICTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class NextStepForm(forms.Form):
    horizon = forms.ChoiceField(label=_("When"), choices=Horizon.choices)
    text = forms.CharField(
        label=_("What the school will know and do"),
        max_length=STEP_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StrategyForm(forms.Form):
    goal = forms.TypedChoiceField(label=_("Goal of the plan"), coerce=int)
    responsible = forms.CharField(label=_("Who is responsible"), max_length=200)
    seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, goals: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goal = self.fields["goal"]
        assert isinstance(goal, forms.TypedChoiceField)
        goal.choices = [(str(pk), label) for pk, label in goals]


FORMS: dict[str, type[forms.Form]] = {
    "group": GroupForm,
    "move": MoveForm,
    "rename": RenameForm,
    "level": LevelForm,
    "predict": PredictionForm,
    "finish": VersionForm,
}
