"""The forms of problems of practice and visits. A visit's schedule names a grade and a subject
for each classroom, never a teacher or a room: there is no field for either."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from capacity.rounds.models import Grade, Subject
from capacity.rounds.services_visits import (
    CLASSROOMS_MAX,
    EVIDENCE_MAX,
    MINUTES,
    STATEMENT_MAX,
    ClassroomRow,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ProblemForm(forms.Form):
    result = forms.CharField(widget=forms.HiddenInput, required=False)
    evidence = forms.CharField(
        label=_("What the evidence shows"),
        max_length=EVIDENCE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The results the problem starts from, in a sentence. Change the words freely."),
    )
    statement = forms.CharField(
        label=_("Problem of practice"),
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the school wants to understand about its teaching and its students' learning, "
            "in a question or a sentence the team can observe."
        ),
    )
    goal = forms.ChoiceField(label=_("The plan goal it serves"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, goals: list[Any] | None, **kwargs: Any) -> None:
        """`goals`: the school's plan goals, or None when the person may not read its plans
        (the field is then left out)."""
        super().__init__(*args, **kwargs)
        goal = self.fields["goal"]
        assert isinstance(goal, forms.ChoiceField)
        if goals is None:
            del self.fields["goal"]
        else:
            goal.choices = [("", _("None"))] + [
                (str(g.pk), f"{g.plan.school_year} — {Truncator(g.statement).chars(90)}")
                for g in goals
            ]


class VisitForm(forms.Form):
    on = forms.DateField(label=_("Date of the visit"), widget=DATE)
    facilitator = forms.ChoiceField(
        label=_("Facilitator"),
        help_text=_("Leads the visit and its debrief."),
    )
    team = forms.MultipleChoiceField(
        label=_("Visiting team"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A cross-role team: the school's staff, its board's leaders, principals and teachers "
            "of other schools, ministry staff. Each takes notes on their own phone."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        facilitator, team = self.fields["facilitator"], self.fields["team"]
        assert isinstance(facilitator, forms.ChoiceField)
        assert isinstance(team, forms.MultipleChoiceField)
        facilitator.choices = [(str(pk), label) for pk, label in people]
        team.choices = [(str(pk), label) for pk, label in people]


class ClassroomForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    starts = forms.TimeField(label=_("Starts"), required=False, widget=TIME)
    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=MINUTES[0], max_value=MINUTES[1], initial=20
    )
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=[("", "—"), *Grade.choices])
    subject = forms.ChoiceField(
        label=_("Subject"), required=False, choices=[("", "—"), *Subject.choices]
    )

    def row(self) -> ClassroomRow:
        data = self.cleaned_data
        return ClassroomRow(
            pk=data.get("id"),
            starts=data.get("starts"),
            minutes=data.get("minutes") or 20,
            grade=data.get("grade") or "",
            subject=data.get("subject") or "",
        )


ClassroomFormSet = forms.formset_factory(
    ClassroomForm, extra=2, max_num=CLASSROOMS_MAX, validate_max=True, can_delete=True
)


def schedule_rows(formset: Any) -> list[ClassroomRow]:
    """The classrooms the formset describes, in order: the schedule's own rows and the new ones
    filled in; rows marked for removal and untouched blank rows left out."""
    rows = []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        if index < formset.initial_form_count() or form.has_changed():
            rows.append(form.row())
    return rows


class StageForm(forms.Form):
    to = forms.CharField(max_length=10)
    version = forms.IntegerField()
