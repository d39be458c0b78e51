"""Forms of the identification decisions: one school's decision, and confirming a group at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from capacity.evidence.models import IdentificationDecision


class DecisionForm(forms.Form):
    """Confirm one school's proposed change, or set it aside with a reason."""

    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=IdentificationDecision.Outcome.choices,
        widget=forms.HiddenInput,
    )
    seen = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Why it is set aside"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to set a change aside; kept in the school's decision history."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("outcome") == IdentificationDecision.Outcome.SET_ASIDE
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Say why the change is set aside."))
        return data


class ConfirmAllForm(forms.Form):
    """Confirm every change listed on the page: each `change` value is "id:version"."""

    change = forms.CharField(widget=forms.MultipleHiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: dict[int, int] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = self.data.getlist("change") if hasattr(self.data, "getlist") else []
        try:
            self.seen = {int(v.split(":")[0]): int(v.split(":")[1]) for v in values}
        except (ValueError, IndexError):
            raise ValidationError(_("The list of changes could not be read.")) from None
        if not self.seen:
            raise ValidationError(_("No change waits for a decision here."))
        return data
