from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.directory.models import Language


class PreferenceForm(forms.Form):
    email = forms.BooleanField(
        label=_("Also send me each message by email"),
        required=False,
        help_text=_("Messages always reach your inbox in Capacity; email is a copy."),
    )
    language = forms.ChoiceField(
        label=_("Language of my messages"),
        choices=Language.choices,
        help_text=_(
            "Emails are written in this language. Switching the site's language sets it too."
        ),
    )
