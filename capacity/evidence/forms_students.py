"""The form of the student-level results page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from capacity.directory.models import validate_school_year

ACCEPTED = (".csv", ".json")


class StudentResultsForm(forms.Form):
    file = forms.FileField(
        label=_("Student-level file"),
        help_text=_(
            "A student-level CSV or Ed-Fi StudentAssessment JSON (see docs/data-formats.md). "
            "It is read in memory and never kept."
        ),
    )
    school_year = forms.CharField(
        label=_("School year"),
        required=False,
        max_length=7,
        help_text=_("Like 2018-19. Leave empty when every row says its year."),
        validators=[validate_school_year],
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in ACCEPTED:
            raise ValidationError(_("Choose a .csv or .json file."))
        return upload
