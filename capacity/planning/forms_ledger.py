"""Forms of the reciprocity ledger: capacity given, "did it help?", sending a request on."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.planning.models import CapacityGift

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GiftForm(forms.Form):
    """What was given (the school or board, and the request it answers, come from the page)."""

    kind = forms.ChoiceField(label=_("Kind of capacity"), choices=CapacityGift.Kind.choices)
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        help_text=_(
            "In the kind's unit: release days, coaching hours, visits, sessions or dollars."
        ),
    )
    given_on = forms.DateField(label=_("Given on"), widget=DATE)
    request = forms.TypedChoiceField(
        label=_("In answer to"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who came, what it was for: what the school will want to remember."),
    )

    def __init__(self, *args: Any, requests: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request"].choices = [("", _("Offered first (no request)")), *requests]  # type: ignore[attr-defined]


class HelpedForm(forms.Form):
    helped = forms.ChoiceField(
        label=_("Did it help?"),
        choices=CapacityGift.Helped.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed for students or teachers, or what was missing."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the board cannot meet this request"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The ministry reads this with the school's request."),
    )
