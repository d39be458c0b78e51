"""The audit log's filters: action, person and a range of dates, with errors people can read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.audit.models import Action

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    """Every field may be left empty; a date that is not a date, or a range that ends before it starts, is an error."""

    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("All actions")), *Action.choices], required=False
    )
    person = forms.CharField(
        label=_("Person"),
        max_length=200,
        required=False,
        help_text=_("Part of the name recorded, such as a user name or a command."),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        """The filters that are valid (a bad date is left out, and shown as an error)."""
        data = getattr(self, "cleaned_data", {})
        return {
            "action": data.get("action") or "",
            "person": (data.get("person") or "").strip(),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
