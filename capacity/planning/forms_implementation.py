"""Forms for strategies' implementation: one strategy's review, and every strategy of a plan at a
checkpoint. Both carry the plan version the person started from."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.planning.forms import DATE, EVIDENCE_MAX_MB, EVIDENCE_TYPES, Versioned
from capacity.planning.models import Implementation, Strategy, StrategyReview

MONTH = forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}"})


def _check_file(upload: Any) -> Any:
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


class StrategyReviewForm(Versioned):
    """One dated review of a strategy, optionally at one of the plan's checkpoints."""

    class Meta:
        model = StrategyReview
        fields = ["on", "status", "evidence", "evidence_file", "checkpoint"]
        widgets = {"on": DATE, "evidence": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, checkpoints: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        checkpoint = self.fields["checkpoint"]
        assert isinstance(checkpoint, forms.ModelChoiceField)
        checkpoint.queryset = checkpoints
        checkpoint.required = False
        checkpoint.empty_label = _("None: a review between checkpoints")
        self.fields["evidence_file"].help_text = _(
            "Optional: a photo, a document or a recording (%(types)s; up to %(size)s MB). "
            "Blur or leave out students' faces and names."
        ) % {"types": ", ".join(EVIDENCE_TYPES), "size": EVIDENCE_MAX_MB}

    def clean_evidence_file(self) -> Any:
        return _check_file(self.cleaned_data.get("evidence_file"))


class CheckpointReviewForm(forms.Form):
    """Every strategy of the plan at a checkpoint: a status and what shows it, each. A strategy
    left without a status is not reviewed (the page then names it)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Date of the review"), widget=DATE)

    def __init__(self, *args: Any, strategies: list[Strategy], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.strategies = strategies
        choices = [("", _("Not reviewed now")), *Implementation.choices]
        for number, strategy in enumerate(strategies, start=1):
            self.fields[f"status_{strategy.pk}"] = forms.ChoiceField(
                label=_("Status of strategy %(n)s") % {"n": number},
                choices=choices,
                required=False,
            )
            self.fields[f"evidence_{strategy.pk}"] = forms.CharField(
                label=_("What shows it (strategy %(n)s)") % {"n": number},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )

    def rows(self) -> list[tuple[Strategy, Any, Any]]:
        """Each strategy with its two bound fields, for the template."""
        return [(s, self[f"status_{s.pk}"], self[f"evidence_{s.pk}"]) for s in self.strategies]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = 0
        for s in self.strategies:
            status, evidence = (
                data.get(f"status_{s.pk}"),
                (data.get(f"evidence_{s.pk}") or "").strip(),
            )
            if status and not evidence:
                self.add_error(
                    f"evidence_{s.pk}",
                    _("Say what shows this status: a status changes only with evidence."),
                )
            elif evidence and not status:
                self.add_error(f"status_{s.pk}", _("Choose the status this evidence shows."))
            chosen += bool(status)
        if not chosen and not self.errors:
            raise forms.ValidationError(
                _("Review at least one strategy: give its status and what shows it.")
            )
        return data

    def reviews(self) -> list[tuple[Strategy, str, str]]:
        return [
            (s, self.cleaned_data[f"status_{s.pk}"], self.cleaned_data[f"evidence_{s.pk}"].strip())
            for s in self.strategies
            if self.cleaned_data.get(f"status_{s.pk}")
        ]


class MonthForm(forms.Form):
    """The roll-ups' month filter."""

    month = forms.RegexField(
        label=_("Month"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False, widget=MONTH
    )
