"""The portfolio form: a name, who holds it, and its schools (a family) or its boards."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.directory.models import Board, School, User
from capacity.directory.services_portfolios import holders_for


class _Named(forms.ModelMultipleChoiceField):
    """Schools and boards by name and number (two schools may share a name)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.number})"


class PortfolioForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    holder = forms.ModelChoiceField(label=_("Looked after by"), queryset=User.objects.none())
    schools = _Named(
        label=_("Schools"),
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    boards = _Named(
        label=_("Boards"),
        queryset=Board.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, board: Board | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        holders = holders_for(board)
        field = self.fields["holder"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[h.pk for h in holders]).order_by("username")
        if board is not None:
            schools = self.fields["schools"]
            assert isinstance(schools, forms.ModelMultipleChoiceField)
            schools.queryset = School.objects.filter(board=board).order_by("name", "number")
            del self.fields["boards"]
        else:
            boards = self.fields["boards"]
            assert isinstance(boards, forms.ModelMultipleChoiceField)
            boards.queryset = Board.objects.order_by("name")
            del self.fields["schools"]
