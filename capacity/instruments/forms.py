"""The form that opens a survey round. The answer form is built from the definition in the view."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from capacity.directory.models import Role
from capacity.instruments.models import Instrument, Kind, RegisterEntry

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InstrumentChoice(forms.ModelChoiceField):
    """Instruments by name, in the reader's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_fr if (get_language() or "en").startswith("fr") else obj.name_en)


class RoundForm(forms.Form):
    instrument = InstrumentChoice(
        label=_("Instrument"),
        queryset=Instrument.objects.exclude(kind__in=[Kind.REFERENCE, Kind.REGISTER]).order_by(
            "code"
        ),
    )
    place = forms.ChoiceField(
        label=_("For"), help_text=_("The board or school whose people answer.")
    )
    roles = forms.MultipleChoiceField(
        label=_("Who answers"),
        choices=[(r.value, r.label) for r in Role if r != Role.NETWORK_FACILITATOR],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty for everyone the instrument is meant for."),
    )
    subject = forms.CharField(
        label=_("Leader the others rate"),
        required=False,
        help_text=_("Only for an instrument where others rate a leader: the leader's username."),
    )
    opens_on = forms.DateField(label=_("Opens"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes"), widget=DATE)
    min_respondents = forms.IntegerField(
        label=_("Fewest respondents reported"),
        required=False,
        min_value=3,
        help_text=_(
            "Figures are hidden below this number. Leave empty for the instrument's own minimum."
        ),
    )
    links = forms.IntegerField(
        label=_("Single-use links"),
        required=False,
        min_value=0,
        max_value=5000,
        initial=0,
        help_text=_(
            "For people without an account. Each link is shown once, when the round opens."
        ),
    )

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = self.fields["place"]
        assert isinstance(place, forms.ChoiceField)
        place.choices = places
        today = timezone.localdate()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + datetime.timedelta(days=14)


class RegisterEntryForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RegisterEntry
        fields = ["requirement", "category", "owner", "due", "delegated_to", "reviewed_on", "done"]
        widgets = {"due": DATE, "reviewed_on": DATE, "category": forms.RadioSelect}
