"""The search page's form: the words to find, then the library list's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.learning.forms import LibraryFilterForm
from capacity.learning.search import MAX_QUERY_CHARS


class SearchForm(LibraryFilterForm):
    q = forms.CharField(
        label=_("Words to find"),
        required=False,
        max_length=MAX_QUERY_CHARS,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("In English or French; accents and word endings do not matter."),
    )
    field_order = ["q", "characteristic", "context", "board_type", "language"]
