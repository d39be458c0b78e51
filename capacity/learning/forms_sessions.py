"""The form that plans or changes a module session. Participants are offered from the place's
people (`selectors_sessions.eligible_people`), each named with their role and school."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.directory.models import Role

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def person_label(person: Any, role: str) -> str:
    """The person with their role there (none when it has ended since they were chosen)."""
    return f"{person} — {Role(role).label}" if role else str(person)


class SessionForm(forms.Form):
    module = forms.ChoiceField(label=_("Module"))
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    participants = forms.MultipleChoiceField(
        label=_("Participants"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "They are told of the session and, afterwards, invited to evaluate it. You "
            "facilitate it, so you are not among them."
        ),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Yours alone: what to prepare, what was said, what to follow up."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        modules: list[tuple[str, str]],
        people: list[tuple[Any, str]],
        minimum: int | None = None,
        **kwargs: Any,
    ) -> None:
        """`minimum`: the fewest answers the evaluation's figures show for, said beside the
        participants so nobody plans a session whose figures can never show."""
        super().__init__(*args, **kwargs)
        module, participants = self.fields["module"], self.fields["participants"]
        assert isinstance(module, forms.ChoiceField)
        assert isinstance(participants, forms.MultipleChoiceField)
        module.choices = modules
        participants.choices = [
            (str(person.pk), person_label(person, role)) for person, role in people
        ]
        if minimum is not None:
            advice = _(
                "Choose at least %(n)s: the evaluation's figures show only once %(n)s "
                "have answered, so with fewer they never show."
            ) % {"n": minimum}
            participants.help_text = f"{participants.help_text} {advice}"
