"""Forms for networks' work: running suggestions, deciding one, the working agreement, a cycle of
the four-stage protocol, and actions. The services check everything again; these give each
field its label, help and error."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from capacity.evidence.labels import StudentGroup
from capacity.imports.patterns import clean_school_number, school_number_form, school_number_re
from capacity.rounds.models import Protocol
from capacity.rounds.selectors_networks import CULTURE_DESCRIPTIONS, CULTURE_NAMES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MEASURE_ROWS = 4
TEXT = 20000


def _text(label: Any, *, required: bool = True, rows: int = 4, help_text: Any = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class SuggestionRunForm(forms.Form):
    school_year = forms.ChoiceField(
        label=_("School year of the results"),
        help_text=_("Suggestions read that year's published results and the year before's."),
    )
    boards = forms.MultipleChoiceField(
        label=_("Boards (none: the whole province)"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    largest = forms.IntegerField(
        label=_("Most schools in a network"), min_value=4, max_value=12, initial=8
    )
    limit = forms.IntegerField(
        label=_("Most suggestions"),
        min_value=1,
        max_value=50,
        initial=20,
        help_text=_("The schools most in need are grouped first."),
    )

    def __init__(self, *args: Any, years: list[str], boards: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        year, board = self.fields["school_year"], self.fields["boards"]
        assert isinstance(year, forms.ChoiceField) and isinstance(board, forms.ChoiceField)
        year.choices = [(y, y) for y in years]
        board.choices = boards


class AcceptForm(forms.Form):
    name = forms.CharField(label=_("Name of the network"), max_length=200)
    purpose = _text(
        _("Purpose"),
        help_text=_("The learning needs the schools share, in a sentence or two."),
    )
    schools = forms.MultipleChoiceField(
        label=_("Schools"), required=False, widget=forms.CheckboxSelectMultiple
    )
    add = forms.CharField(
        label=_("Add schools by number"),
        required=False,
        max_length=500,
    )

    def __init__(self, *args: Any, schools: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["schools"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = schools
        self.fields["add"].help_text = gettext(
            "School numbers (%(form)s), separated by spaces or commas."
        ) % {"form": school_number_form()}

    def clean_add(self) -> list[str]:
        text = self.cleaned_data.get("add", "")
        given = [n for n in re.split(r"[\s,;]+", text) if n]
        numbers = [clean_school_number(n) for n in given]
        bad = [g for g, n in zip(given, numbers, strict=True) if not school_number_re().match(n)]
        if bad:
            raise forms.ValidationError(
                _("Not a school number: %(numbers)s.") % {"numbers": ", ".join(bad)}
            )
        return numbers


class RejectForm(forms.Form):
    reason = _text(
        _("Why not"),
        rows=3,
        help_text=_("Kept with the decision: the same schools are not suggested again this year."),
    )


class AgreementForm(forms.Form):
    priorities = _text(_("Priorities we agree on"), rows=5)
    norms = _text(_("How we will work together"), required=False, rows=5)
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DATE)
    schools = forms.MultipleChoiceField(
        label=_("Member schools that took part in agreeing it"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The co-reflection reads this: an agreement few members helped write is a sign of "
            "contrived congeniality."
        ),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        schools: list[tuple[str, str]],
        assessments: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["schools"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = schools
        groups = [("", "—"), *StudentGroup.choices]
        for i in range(1, MEASURE_ROWS + 1):
            self.fields[f"measure_{i}_assessment"] = forms.ChoiceField(
                label=_("Measure %(n)s: assessment") % {"n": i},
                required=False,
                choices=[("", "—"), *assessments],
            )
            self.fields[f"measure_{i}_group"] = forms.ChoiceField(
                label=_("Measure %(n)s: student group") % {"n": i},
                required=False,
                choices=groups,
            )
            self.fields[f"measure_{i}_target"] = forms.DecimalField(
                label=_("Measure %(n)s: target share at the standard (%%)") % {"n": i},
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=1,
            )

    def measures(self) -> list[dict[str, Any]]:
        out = []
        for i in range(1, MEASURE_ROWS + 1):
            assessment = self.cleaned_data.get(f"measure_{i}_assessment")
            if not assessment:
                continue
            target = self.cleaned_data.get(f"measure_{i}_target")
            out.append(
                {
                    "assessment": assessment,
                    "group": self.cleaned_data.get(f"measure_{i}_group") or "all",
                    "target": None if target is None else float(target),
                }
            )
        return out

    @staticmethod
    def initial_measures(measures: list[dict[str, Any]]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for i, measure in enumerate(measures[:MEASURE_ROWS], start=1):
            initial[f"measure_{i}_assessment"] = measure.get("assessment")
            initial[f"measure_{i}_group"] = measure.get("group")
            initial[f"measure_{i}_target"] = measure.get("target")
        return initial


class CycleNewForm(forms.Form):
    focus = _text(_("Focus of the cycle"), rows=3)
    starts = forms.DateField(label=_("Starts"), required=False, widget=DATE)
    ends = forms.DateField(label=_("Ends"), required=False, widget=DATE)


STAGE_HELP = {
    Protocol.CO_PLAN: _(
        "What the schools planned together: the lesson, the task, what to look for."
    ),
    Protocol.CO_TEACH: _("How the lesson was taught together, and which classrooms were visited."),
    Protocol.CO_DEBRIEF: _("What the teams saw, described, and what it tells about the task."),
    Protocol.CO_REFLECT: _("What the network learned, and what changes in practice next."),
}
NOTICED = [("", _("Not answered yet")), ("yes", _("We noticed it")), ("no", _("We did not"))]


class CycleForm(forms.Form):
    focus = _text(_("Focus of the cycle"), rows=3)
    starts = forms.DateField(label=_("Starts"), required=False, widget=DATE)
    ends = forms.DateField(label=_("Ends"), required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, reached: list[Protocol], cultures: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for stage in reached:
            self.fields[stage.value] = _text(
                stage.label, required=False, rows=5, help_text=STAGE_HELP[stage]
            )
        if cultures:
            for key, name in CULTURE_NAMES.items():
                self.fields[f"{key}_noticed"] = forms.ChoiceField(
                    label=str(name),
                    required=False,
                    choices=NOTICED,
                    widget=forms.RadioSelect,
                    help_text=str(CULTURE_DESCRIPTIONS[key]),
                )
                self.fields[f"{key}_seen"] = _text(
                    _("What we saw: %(culture)s") % {"culture": name}, required=False, rows=3
                )

    def records(self) -> dict[str, str]:
        return {
            stage.value: self.cleaned_data.get(stage.value, "")
            for stage in Protocol
            if stage.value in self.fields
        }

    def cultures(self) -> dict[str, Any] | None:
        if "balkanisation_noticed" not in self.fields:
            return None
        out: dict[str, Any] = {}
        for key in CULTURE_NAMES:
            noticed = self.cleaned_data.get(f"{key}_noticed")
            if noticed:
                out[key] = {
                    "noticed": noticed == "yes",
                    "seen": self.cleaned_data.get(f"{key}_seen", ""),
                }
        return out

    @staticmethod
    def initial_cultures(cultures: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for key, answer in cultures.items():
            if isinstance(answer, dict) and answer.get("noticed") is not None:
                initial[f"{key}_noticed"] = "yes" if answer["noticed"] else "no"
                initial[f"{key}_seen"] = answer.get("seen", "")
        return initial


class ActionForm(forms.Form):
    text = _text(_("Action"), rows=2)
    due = forms.DateField(label=_("By"), required=False, widget=DATE)


class ActionUpdateForm(forms.Form):
    """Mark done or not (`done`), or change the text and date (`text` given, with what was seen)."""

    done = forms.BooleanField(required=False)
    text = forms.CharField(required=False, max_length=TEXT, strip=True)
    due = forms.DateField(required=False)
    seen_text = forms.CharField(required=False, max_length=TEXT, strip=True)
    seen_due = forms.DateField(required=False)
