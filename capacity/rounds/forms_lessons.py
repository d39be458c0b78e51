"""The forms of lesson study: starting or changing a study, and a cycle's records at its step.
The team is offered from `selectors_lessons.team_candidates`, each person with their role and
school; the plan goals only to those who read the school's plan (the view leaves the field out
for the others)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.directory.models import Role
from capacity.rounds.models import Grade, Subject

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_MAX = 20000


def _area(rows: int = 6) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def member_label(person: Any, role: str, school: Any) -> str:
    """The person with their role and school (none when the role has ended since)."""
    if not role:
        return str(person)
    if school is None:
        return f"{person} — {Role(role).label}"
    return f"{person} — {Role(role).label}, {school.name}"


class StudyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    overarching_goal = forms.CharField(
        label=_("Overarching goal"),
        max_length=TEXT_MAX,
        widget=_area(3),
        help_text=_("What the team wants for its students in the long run."),
    )
    research_question = forms.CharField(
        label=_("Research question"),
        max_length=TEXT_MAX,
        widget=_area(3),
        help_text=_("What the team wants to learn by studying the lesson."),
    )
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=[("", "—"), *Grade.choices])
    subject = forms.ChoiceField(
        label=_("Subject"), required=False, choices=[("", "—"), *Subject.choices]
    )
    goal = forms.ChoiceField(
        label=_("Plan goal it serves"),
        required=False,
        help_text=_("A goal of the school's improvement plan, if the study serves one."),
    )
    network = forms.ChoiceField(
        label=_("Network"),
        required=False,
        help_text=_("A network's study: its team may include the member schools' staff."),
    )
    team = forms.MultipleChoiceField(
        label=_("Team"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The teachers and leaders who plan, teach, observe and critique the lesson."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        people: list[tuple[Any, str, Any]],
        goals: list[tuple[str, str]] | None = None,
        networks: list[tuple[str, str]] | None = None,
        network_required: bool = False,
        **kwargs: Any,
    ) -> None:
        """`goals` None: the person does not read the school's plan, so the field is left out;
        `networks` None: no network to choose (the field is left out)."""
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.MultipleChoiceField)
        team.choices = [(str(p.pk), member_label(p, role, school)) for p, role, school in people]
        if goals is None:
            del self.fields["goal"]
        else:
            goal = self.fields["goal"]
            assert isinstance(goal, forms.ChoiceField)
            goal.choices = [("", "—"), *goals]
        if networks is None:
            del self.fields["network"]
        else:
            network = self.fields["network"]
            assert isinstance(network, forms.ChoiceField)
            network.required = network_required
            network.choices = ([] if network_required else [("", "—")]) + networks


def _cycle_fields() -> dict[str, forms.Field]:
    """Every record a cycle keeps, as fields (services_lessons.STEP_FIELDS says which step
    records which); made afresh for each form, since a form changes its fields."""
    return {
        "lesson_plan": forms.CharField(
            label=_("The study lesson"),
            required=False,
            max_length=TEXT_MAX,
            widget=_area(12),
            help_text=_(
                "Its goal, the task students are given, what the teacher does and asks, and how "
                "the lesson unfolds."
            ),
        ),
        "misconceptions": forms.CharField(
            label=_("Misconceptions we anticipate"),
            required=False,
            max_length=TEXT_MAX,
            widget=_area(5),
            help_text=_("What students may think or do wrongly, so the observers watch for it."),
        ),
        "taught_on": forms.DateField(label=_("Taught on"), required=False, widget=DATE),
        "observations": forms.CharField(
            label=_("What we observed"),
            required=False,
            max_length=TEXT_MAX,
            widget=_area(10),
            help_text=_(
                "What students said, did and wrote, and what the teacher did and asked: describe, "
                "do not judge. Nothing here says who observed what."
            ),
        ),
        "critique": forms.CharField(
            label=_("Critique"),
            required=False,
            max_length=TEXT_MAX,
            widget=_area(8),
            help_text=_(
                "What the lesson made possible for students and what it did not, from what was "
                "observed: a critique of the lesson, never of the teacher who taught it."
            ),
        ),
        "revisions": forms.CharField(
            label=_("What we will change"),
            required=False,
            max_length=TEXT_MAX,
            widget=_area(6),
            help_text=_("The changes to the lesson. Taught again, the next cycle starts from it."),
        ),
        "findings": forms.CharField(
            label=_("What we learned"),
            required=False,
            max_length=TEXT_MAX,
            widget=_area(8),
            help_text=_(
                "The answer to the research question so far, to finish the study and share it."
            ),
        ),
    }


def cycle_field_label(name: str) -> str:
    return str(_cycle_fields()[name].label)


class CycleForm(forms.Form):
    """The records of one step of a cycle (`fields`), the version they started from and the step
    the form was made for (so a page left open while the cycle moved on is recognised)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    step = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, fields: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        made = _cycle_fields()
        for name in fields:
            self.fields[name] = made[name]
