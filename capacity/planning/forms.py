"""Forms for plans. Every editing form carries the plan version the person started from."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.evidence.models import Assessment
from capacity.planning.models import (
    Checkpoint,
    CoReflection,
    Driver,
    Goal,
    Kind,
    Plan,
    Strategy,
    SupportRequest,
    Target,
    TargetEntry,
    Timeline,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Versioned(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanForm(Versioned):
    class Meta:
        model = Plan
        fields = ["title", "overall_impact", "next_steps"]
        widgets = {
            "overall_impact": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }


class GoalForm(Versioned):
    class Meta:
        model = Goal
        fields = ["statement", "area", "focus", "group", "marker_codes", "characteristic"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        if plan.kind == Kind.SCHOOL:
            del self.fields["characteristic"]


class TargetForm(Versioned):
    class Meta:
        model = Target
        fields = [
            "measure",
            "assessment",
            "group",
            "description",
            "baseline_year",
            "baseline_value",
            "target_value",
            "target_year",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = Assessment.objects.order_by("position", "code")  # type: ignore[attr-defined]
        self.fields["baseline_value"].help_text = _(
            "Leave empty to take it from the school's results."
        )


class StrategyForm(Versioned):
    drivers = forms.MultipleChoiceField(
        label=_("Drivers"),
        choices=Driver.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What this strategy relies on to change teaching and learning."),
    )

    class Meta:
        model = Strategy
        fields = [
            "action",
            "responsible",
            "professional_learning",
            "resources",
            "starts",
            "ends",
            "drivers",
        ]
        widgets = {
            "action": forms.Textarea(attrs={"rows": 3}),
            "professional_learning": forms.Textarea(attrs={"rows": 2}),
            "resources": forms.Textarea(attrs={"rows": 2}),
            "starts": DATE,
            "ends": DATE,
        }


class CheckpointForm(Versioned):
    class Meta:
        model = Checkpoint
        fields = ["due", "title", "evidence_gathered", "progress", "adjustments"]
        widgets = {
            "due": DATE,
            "evidence_gathered": forms.Textarea(attrs={"rows": 3}),
            "progress": forms.Textarea(attrs={"rows": 3}),
            "adjustments": forms.Textarea(attrs={"rows": 3}),
        }


EVIDENCE_TYPES = (
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".docx",
    ".xlsx",
    ".pptx",
    ".txt",
    ".mp4",
    ".m4a",
)
EVIDENCE_MAX_MB = 25


class EntryForm(Versioned):
    class Meta:
        model = TargetEntry
        fields = ["on", "value", "note", "evidence"]
        widgets = {"on": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _(
            "Optional: a photo, a document or a recording of student work (%(types)s; up to %(size)s MB). "
            "Blur or leave out students' faces and names."
        ) % {"types": ", ".join(EVIDENCE_TYPES), "size": EVIDENCE_MAX_MB}

    def clean_evidence(self) -> Any:
        upload = self.cleaned_data.get("evidence")
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


class CoReflectionForm(forms.ModelForm):
    class Meta:
        model = CoReflection
        fields = ["themes", "keep", "consider"]
        widgets = {
            "themes": forms.Textarea(attrs={"rows": 3}),
            "keep": forms.Textarea(attrs={"rows": 2}),
            "consider": forms.Textarea(attrs={"rows": 2}),
        }


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    comments = forms.CharField(
        label=_("Comments for the team"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning the plan."),
    )


class SupportRequestForm(forms.ModelForm):
    needs = forms.MultipleChoiceField(
        label=_("What we need"),
        choices=SupportRequest.Need.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SupportRequest
        fields = ["tried", "needs", "detail", "needed_by", "to_ministry"]
        widgets = {
            "tried": forms.Textarea(attrs={"rows": 3}),
            "detail": forms.Textarea(attrs={"rows": 3}),
            "needed_by": DATE,
        }


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("What the system provides"), widget=forms.Textarea(attrs={"rows": 3})
    )
    provided = forms.MultipleChoiceField(
        label=_("Kind of support provided"),
        choices=SupportRequest.Need.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    close = forms.BooleanField(label=_("Close the request"), required=False)


class TimelineForm(forms.ModelForm):
    class Meta:
        model = Timeline
        fields = ["school_year", "submit_by", "act_by", "observe_by", "reflect_by"]
        widgets = {"submit_by": DATE, "act_by": DATE, "observe_by": DATE, "reflect_by": DATE}
