"""Forms for year close goal by goal, the marker-student log and pedagogical documentation.

The decision form carries the plan version the person started from (the service refuses a stale
one). The log and documentation forms say, on the form itself, never to write a student's name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacity.planning.forms import DATE, EVIDENCE_MAX_MB, EVIDENCE_TYPES
from capacity.planning.models import (
    CarryDecision,
    Consent,
    Documentation,
    MarkerNote,
    Removal,
    validate_marker_codes,
)

NO_NAMES = _(
    "Write the marker student's code, never a name, and nothing else that would identify them."
)


class GoalCarryForm(forms.Form):
    """One goal's year-close decision. Prefixed by the goal on the page, so that every goal's
    fields have their own ids."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Next year"), choices=CarryDecision.choices, widget=forms.RadioSelect
    )
    statement = forms.CharField(
        label=_("The goal as it will read next year"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the goal goes on refined."),
    )
    why = forms.CharField(
        label=_("Why"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the evidence, the conversations and the student work told the team."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == CarryDecision.REFINE and not data.get("statement", "").strip():
            self.add_error("statement", _("Write the goal as it will read next year."))
        return data


class MarkerNoteForm(forms.ModelForm):
    class Meta:
        model = MarkerNote
        fields = ["code", "on", "observed", "next_step"]
        widgets = {
            "on": DATE,
            "observed": forms.Textarea(attrs={"rows": 3}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, codes: list[str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.widget.attrs["autocomplete"] = "off"
        if codes:
            code.widget.attrs["list"] = "marker-codes"
            code.help_text = _("The plan's goals name %(codes)s. %(rule)s") % {
                "codes": ", ".join(codes),
                "rule": NO_NAMES,
            }
        else:
            code.help_text = NO_NAMES

    def clean_on(self) -> Any:
        on = self.cleaned_data.get("on")
        if on and on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on


class DocumentationForm(forms.ModelForm):
    class Meta:
        model = Documentation
        fields = [
            "title",
            "description",
            "code",
            "file",
            "consent",
            "consent_on",
            "consent_scope",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "consent": forms.RadioSelect,
            "consent_on": DATE,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A photo, a document or a recording (%(types)s; up to %(size)s MB)."
        ) % {"types": ", ".join(EVIDENCE_TYPES), "size": EVIDENCE_MAX_MB}
        self.fields["code"].help_text = _(
            "Optional: the marker student it is about, by code, never by name."
        )
        self.fields["consent_on"].help_text = _("Only with a parent's or guardian's consent.")
        consent = self.fields["consent"]
        assert isinstance(consent, forms.ChoiceField)
        consent.choices = Consent.choices  # no empty choice on radio buttons

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        name = str(getattr(upload, "name", "")).lower()
        if not name.endswith(EVIDENCE_TYPES):
            raise forms.ValidationError(_("This kind of file is not accepted as evidence."))
        if getattr(upload, "size", 0) > EVIDENCE_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": EVIDENCE_MAX_MB}
            )
        return upload

    def clean_code(self) -> str:
        code = str(self.cleaned_data.get("code") or "")
        validate_marker_codes(code)
        return code

    def _post_clean(self) -> None:
        # The service checks the consent rules, field by field, and saves; the form's instance is
        # never validated as a whole here (its plan is not known to the form).
        pass


class RemoveForm(forms.Form):
    why = forms.ChoiceField(
        label=_("Why is it removed?"),
        choices=Removal.choices,
        widget=forms.RadioSelect,
    )
