"""The case study form: its facts (board, year, characteristics, contexts of use) and, per
language, its text (title, summary, themes and the seven guiding questions).

The forms check types and choices only; the rules of a case study (one or two
characteristics, a title, every question answered before submitting) are the services'
(`services.check_case`), whose errors the view puts back on these fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity.learning import content
from capacity.learning.models import Context
from capacity.planning.models import Characteristic

LANGUAGES = ("en", "fr")
# One short hint under each guiding question, in the order of content.CASE_SECTIONS.
SECTION_HINTS = (
    _("Name the one or two characteristics and why they mattered to your board."),
    _("What told you it needed attention: data, voices, a review."),
    _("How things stood when the work began."),
    _("The steps, the people who took part, and what you did when plans met surprises."),
    _("The moments that changed the course of the work."),
    _("How things stand now, and the evidence that shows it."),
    _("What you would tell a board starting the same work."),
)
SECTION_COUNT = len(SECTION_HINTS)


class CaseFactsForm(forms.Form):
    """What the languages share. `boards`: the boards the person may write for (None on an
    edit, where the board stays the case study's); one board is chosen without asking."""

    board = forms.ChoiceField(label=_("Board"))
    year = forms.IntegerField(
        label=_("Year the work began"),
        help_text=_("For example 2017."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    characteristics = forms.MultipleChoiceField(
        label=_("Characteristics it addresses (one or two)"),
        required=False,
        choices=Characteristic.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    contexts = forms.MultipleChoiceField(
        label=_("Contexts of use it suits"),
        required=False,
        choices=Context.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, boards: list[tuple[str, str]] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if boards is None:
            del self.fields["board"]
        else:
            field = self.fields["board"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = boards
            if len(boards) == 1:
                field.widget = forms.HiddenInput()
                self.initial.setdefault("board", boards[0][0])

    def facts(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "year": data["year"],
            "characteristics": list(data["characteristics"]),
            "contexts": list(data["contexts"]),
        }


class CaseTextForm(forms.Form):
    """One language of the case study; its prefix is the language ("en-title", "fr-section_3")."""

    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        help_text=_("One or two sentences: what a reader will learn."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    themes = forms.CharField(
        label=_("Themes"),
        required=False,
        max_length=500,
        help_text=_("Words separated by commas, for example: literacy, trustees, timetables."),
    )

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        kwargs["prefix"] = language
        super().__init__(*args, **kwargs)
        self.language = language
        for index, (heading, hint) in enumerate(
            zip(content.CASE_SECTIONS[language], SECTION_HINTS, strict=True), start=1
        ):
            self.fields[f"section_{index}"] = forms.CharField(
                label=heading,
                required=False,
                max_length=20000,
                help_text=hint,
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    def sections(self) -> list[forms.BoundField]:
        return [self[f"section_{n}"] for n in range(1, SECTION_COUNT + 1)]

    def text(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "themes": [t.strip() for t in data["themes"].split(",") if t.strip()],
            "sections": [data[f"section_{n}"] for n in range(1, SECTION_COUNT + 1)],
        }


def text_initial(text: Any) -> dict[str, Any]:
    """A stored `Text` as the text form's initial values."""
    initial = {"title": text.title, "summary": text.summary, "themes": ", ".join(text.themes)}
    for index, (_heading, body) in enumerate(text.sections, start=1):
        initial[f"section_{index}"] = body
    return initial


def unbound_copy(form: forms.Form) -> dict[str, Any]:
    """What a bound form holds, as initial values for an unbound one: the page is shown again
    (a language added or removed) with nothing lost and no errors yet."""
    return {name: form[name].data for name in form.fields}
