"""Forms of the learning library's pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from capacity.learning.models import BoardType, Context, Language
from capacity.planning.models import Characteristic


def _any(choices: Sequence[tuple[str, Any]], anything: Any) -> list[tuple[str, Any]]:
    """The choices after the field's own "Any": each field has its own (pgettext) because
    French agrees it with the field's noun ("Toutes" for a characteristic, "Tous" for a type)."""
    return [("", anything), *choices]


class LibraryFilterForm(forms.Form):
    """The filters of the library list and of search (every field optional)."""

    characteristic = forms.ChoiceField(
        label=_("Characteristic"),
        required=False,
        choices=_any(Characteristic.choices, pgettext_lazy("any characteristic", "Any")),
    )
    context = forms.ChoiceField(
        label=_("Context of use"),
        required=False,
        choices=_any(Context.choices, pgettext_lazy("any context of use", "Any")),
    )
    board_type = forms.ChoiceField(
        label=_("Board type"),
        required=False,
        choices=_any(BoardType.choices, pgettext_lazy("any board type", "Any")),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=_any(Language.choices, pgettext_lazy("any language", "Any")),
    )
