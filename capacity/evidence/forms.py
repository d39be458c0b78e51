from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from capacity.directory.models import validate_school_year

ACCEPTED = (".csv", ".xlsx", ".parquet")


class ResultUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Results file"),
        help_text=_(
            "Ontario's school information table (xlsx or csv), or the long format (csv, xlsx or parquet)."
        ),
    )
    school_year = forms.CharField(
        label=_("School year"),
        required=False,
        max_length=7,
        help_text=_("Like 2018-19. Leave empty when the file or its name says the year."),
        validators=[validate_school_year],
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ACCEPTED:
            raise ValidationError(_("Choose a .csv, .xlsx or .parquet file."))
        if upload.size > settings.CAPACITY_MAX_UPLOAD_MB * 1024 * 1024:
            raise ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": settings.CAPACITY_MAX_UPLOAD_MB}
            )
        return upload


class SimulationForm(forms.Form):
    year = forms.ChoiceField(label=_("School year"))
    current = forms.ChoiceField(label=_("Current policy"))
    proposed = forms.ChoiceField(label=_("Proposed policy"))
    threshold = forms.DecimalField(
        label=_("Proposed threshold (% at standard)"),
        required=False,
        min_value=1,
        max_value=100,
        decimal_places=1,
        help_text=_("Leave empty to keep the proposed policy's own threshold."),
    )

    def __init__(
        self, *args: Any, policies: list[tuple[str, str]], years: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[str, str]]] = {
            "year": [(y, y) for y in reversed(years)],
            "current": policies,
            "proposed": policies,
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options
