"""The words for schools that beat the odds and for partners: indicator names, the sentence that
says why a partner was chosen, and a year's standing. Pages, downloads and the API use the same
words, in the language of the request."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from capacity.directory.models import Language
from capacity.evidence.analytics import existence

# The context indicators as a sentence names them ("similar share of ...").
INDICATOR_NAMES: dict[str, Promise] = {
    "pct_low_income": gettext_lazy("low-income households"),
    "pct_language_learners": gettext_lazy("students learning the language of instruction"),
    "pct_special_education": gettext_lazy("students receiving special education"),
    "pct_parents_no_degree": gettext_lazy("parents without post-secondary education"),
}

# Short column heads for tables.
INDICATOR_HEADS: dict[str, Promise] = {
    "pct_low_income": gettext_lazy("Low income (%)"),
    "pct_language_learners": gettext_lazy("Language learners (%)"),
    "pct_special_education": gettext_lazy("Special education (%)"),
    "pct_parents_no_degree": gettext_lazy("Parents without post-secondary (%)"),
}

REASONS: dict[str, Promise] = {
    existence.NO_CONTEXT: gettext_lazy(
        "No partner can be suggested: this school's published context is incomplete, so its "
        "context cannot be compared with other schools'."
    ),
    existence.NO_STABLE_SCHOOLS: gettext_lazy(
        "No partner can be suggested: no school of the same level beats the odds over several "
        "years."
    ),
    existence.NONE_NEAR: gettext_lazy(
        "No partner can be suggested: none of the schools that beat the odds over several years "
        "has a context near enough to this school's."
    ),
}


def language_label(code: str) -> str:
    """A school's language of instruction as people read it ("French"), not its code."""
    return str(Language(code).label) if code in Language.values else code


def points(value: float) -> str:
    return number_format(round(value, 1), 1)


def indicator_list(names: tuple[str, ...]) -> str:
    return str(get_text_list([str(INDICATOR_NAMES.get(n, n)) for n in names], _("and")))


def beat_years(stable: existence.StableSchool) -> str:
    """'2018-19 (+12.3 points) and 2021-22 (+9.8 points)', oldest first."""
    parts = [
        _("%(year)s (+%(points)s points)") % {"year": s.year, "points": points(s.residual)}
        for s in sorted(stable.beat, key=lambda s: s.year)
    ]
    return str(get_text_list(parts, _("and")))


def why(partner: existence.Partner) -> str:
    """Why a partner was chosen, in one sentence."""
    if partner.similar_on:
        context = _("Similar share of %(indicators)s") % {
            "indicators": indicator_list(partner.similar_on)
        }
    else:
        context = _("The nearest context overall")
    sentence = _("%(context)s; above its prediction in %(years)s.") % {
        "context": context,
        "years": beat_years(partner.stable),
    }
    if not partner.same_language:
        sentence += " " + _("It teaches in another language.")
    return sentence


def reason(code: str) -> str:
    return str(REASONS.get(code, code))
