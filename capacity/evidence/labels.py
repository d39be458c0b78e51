"""The words pages use for the evidence's codes: assessments and student groups, in both languages.

Results, policies and plans keep codes ("G3-READ", "ell") because files and the API
speak them; a page never shows one. Templates use the `assessment_name` and
`group_name` filters (evidence_tags), Python code the functions below. A code
Capacity does not know (an assessment or group added by an import) is shown as
the name stored with it, or as itself: it is then data someone chose, not a code.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The standard assessments' names (services.STANDARD_ASSESSMENTS stores the English ones).
ASSESSMENT_NAMES: dict[str, Promise] = {
    "G3-READ": _("Grade 3 reading"),
    "G3-WRITE": _("Grade 3 writing"),
    "G3-MATH": _("Grade 3 mathematics"),
    "G6-READ": _("Grade 6 reading"),
    "G6-WRITE": _("Grade 6 writing"),
    "G6-MATH": _("Grade 6 mathematics"),
    "G9-MATH": _("Grade 9 mathematics"),
    "OSSLT": _("Grade 10 literacy test (OSSLT)"),
}


class StudentGroup(models.TextChoices):
    """The student groups results are reported for: the files' codes and what people read."""

    ALL = "all", _("All students")
    FEMALE = "female", _("Girls")
    MALE = "male", _("Boys")
    ELL = "ell", _("English language learners")
    SPECIAL_EDUCATION = "special_education", _("Students receiving special education")
    ACADEMIC = "academic", _("Academic course (Grade 9)")
    APPLIED = "applied", _("Applied course (Grade 9)")


GROUP_NAMES: dict[str, Promise] = dict(zip(StudentGroup.values, StudentGroup.labels, strict=True))


def assessment_name(code: str, stored: str = "") -> str:
    """The assessment's name in the current language; the stored name, or the code, for others."""
    known = ASSESSMENT_NAMES.get(code)
    return str(known) if known is not None else (stored or code)


def group_name(code: str | None) -> str:
    """A student group's name in the current language (an unknown group shows as recorded)."""
    if code is None:
        return ""
    known = GROUP_NAMES.get(code)
    return str(known) if known is not None else code
