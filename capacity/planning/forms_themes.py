"""Forms for tagging a plan's parts with lessons and for picking a circumstance's strategy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.planning.models import Goal
from capacity.planning.themes import CIRCUMSTANCE_CHOICES, CIRCUMSTANCES_BY_CODE, LESSON_CHOICES

OWN = "own"


class LessonsForm(forms.Form):
    """The lessons for all schools a goal, strategy or co-reflection names. `version` is the plan
    version (goals, strategies) or the lessons as loaded (co-reflections), for the edit check."""

    lessons = forms.MultipleChoiceField(
        label=_("Lessons for all schools"),
        choices=LESSON_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class CircumstanceStrategyForm(forms.Form):
    """One school strategy for a challenging circumstance: an example from the chart or the team's own."""

    circumstance = forms.ChoiceField(
        label=_("Challenging circumstance"), choices=CIRCUMSTANCE_CHOICES
    )
    example = forms.CharField(
        label=_("Strategy"),
        help_text=_("One of the examples, or write your own below."),
        widget=forms.RadioSelect,
    )
    own = forms.CharField(
        label=_("Your own strategy"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    goal = forms.ModelChoiceField(label=_("For the goal"), queryset=Goal.objects.none())
    responsible = forms.CharField(label=_("Who is responsible"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, goals: Any, circumstance: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        self.fields["circumstance"].initial = circumstance
        self.fields["circumstance"].widget = forms.HiddenInput()
        examples = CIRCUMSTANCES_BY_CODE[circumstance].strategies
        self.fields["example"].widget.choices = [
            *((str(text), text) for text in examples),
            (OWN, _("Our own strategy (written below)")),
        ]
        self.prefix = circumstance

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        circumstance = data.get("circumstance")
        example = data.get("example")
        if circumstance in CIRCUMSTANCES_BY_CODE and example:
            known = {str(text) for text in CIRCUMSTANCES_BY_CODE[circumstance].strategies}
            if example == OWN:
                if not (data.get("own") or "").strip():
                    self.add_error("own", _("Write the strategy your team will carry out."))
                else:
                    data["action"] = data["own"].strip()
            elif example in known:
                data["action"] = example
            else:
                self.add_error("example", _("Choose one of the examples or write your own."))
        return data
