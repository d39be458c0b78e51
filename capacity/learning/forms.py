"""Forms of the learning library's pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.learning.models import BoardType, Context, Language
from capacity.planning.models import Characteristic


def _any(choices: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class LibraryFilterForm(forms.Form):
    """The filters of the library list and of search (every field optional)."""

    characteristic = forms.ChoiceField(
        label=_("Characteristic"), required=False, choices=_any(Characteristic.choices)
    )
    context = forms.ChoiceField(
        label=_("Context of use"), required=False, choices=_any(Context.choices)
    )
    board_type = forms.ChoiceField(
        label=_("Board type"), required=False, choices=_any(BoardType.choices)
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=_any(Language.choices)
    )
