"""Ed-Fi StudentAssessment JSON, counted into school results by group (see students.py).

What is read (docs/data-formats.md, "Student-level results"), in the Ed-Fi Data
Standard's API shape (camelCase, as the ODS/API returns `/ed-fi/studentAssessments`):

* either a JSON array of StudentAssessment resources, which gives figures for
  all students only, or an object with `studentAssessments` (that array) and
  `studentEducationOrganizationAssociations` (the students' associations,
  which give their groups), and nothing else;
* of each StudentAssessment: `assessmentReference.assessmentIdentifier` (a
  Capacity assessment code such as G3-READ; the namespace is not read),
  `studentReference.studentUniqueId`, `reportedSchoolReference.schoolId` (the
  Ontario school number; a dropped leading zero is put back),
  `schoolYearTypeReference.schoolYear` (the year the school year ends: 2019 is
  2018-19; optional when the year is given with the file), and
  `performanceLevels[].performanceLevelDescriptor` whose code value (after
  `#`) is `Level 1` to `Level 4` (entries with `performanceLevelMet: false`
  are passed over), or, for a student not assessed, no level and a
  `reasonNotTestedDescriptor`;
* of each association: `studentReference.studentUniqueId`, and the groups:
  `sexDescriptor` `…#Female` or `…#Male`; `limitedEnglishProficiencyDescriptor`
  `…#Limited` (an English language learner); `disabilities` not empty (a
  student receiving special education).

Problems name the JSON path (`studentAssessments[12].performanceLevels[0]`)
and the field, never a value from the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from capacity.evidence.importers.students import Tally, Where
from capacity.schoolyears import school_year_label

ASSESSMENTS = "studentAssessments"
ASSOCIATIONS = "studentEducationOrganizationAssociations"
LEVELS = {f"level {k}": k for k in range(1, 5)}
SEX_GROUPS = {"female": "female", "male": "male"}
ELL_CODES = {"limited"}
# A field's name is repeated in a problem only when it looks like one (letters), never a value.
FIELD_NAME_RE = re.compile(r"[A-Za-z_]{1,80}")


def _field(name: str) -> str:
    return name if FIELD_NAME_RE.fullmatch(name) else _("(a field whose name is not letters)")


class _Duplicate(ValueError):
    pass


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refused when it gives one field twice (which of the two would count?)."""
    found: dict[str, Any] = {}
    for name, value in pairs:
        if name in found:
            raise _Duplicate(name)
        found[name] = value
    return found


def read_edfi(text: str, tally: Tally, *, school_year: str | None) -> None:
    """Count every StudentAssessment of an Ed-Fi JSON document into `tally`."""
    report = tally.report
    try:
        document = json.loads(text, object_pairs_hook=_no_repeats)
    except _Duplicate as exc:
        report.problem(
            None,
            _field(str(exc)),
            _("An object gives this field twice, so it could be read two ways. Give it once."),
        )
        return
    except json.JSONDecodeError as exc:
        report.problem(
            exc.lineno,
            _("character %(column)s") % {"column": exc.colno},
            _("Not valid JSON: %(reason)s.") % {"reason": exc.msg},
        )
        return
    except RecursionError:
        report.problem(None, "", _("The JSON is nested too deeply to read."))
        return
    groups: dict[bytes, tuple[str, ...]] | None = None
    if isinstance(document, list):
        assessments = document
    elif isinstance(document, dict):
        unknown = [name for name in document if name not in (ASSESSMENTS, ASSOCIATIONS)]
        for name in unknown:
            report.problem(
                None,
                _field(name),
                _("Capacity does not read this field; the document holds %(fields)s only.")
                % {"fields": f"{ASSESSMENTS}, {ASSOCIATIONS}"},
            )
        if ASSESSMENTS not in document:
            report.problem(None, ASSESSMENTS, _("This required field is missing."))
            return
        assessments = document[ASSESSMENTS]
        if ASSOCIATIONS in document:
            groups = _read_associations(document[ASSOCIATIONS], tally)
        if unknown:
            return
    else:
        report.problem(
            None,
            "",
            _("The JSON must be a list of StudentAssessment resources, or an object holding one."),
        )
        return
    if not isinstance(assessments, list):
        report.problem(None, ASSESSMENTS, _("This must be a list."))
        return
    if not assessments:
        report.problem(None, ASSESSMENTS, _("The list holds no student assessments."))
        return
    if groups is None:
        report.notes.append(
            _(
                "The file gives no student associations, so only figures for all students were "
                "counted."
            )
        )
    for index, item in enumerate(assessments):
        _count_assessment(item, Where(None, f"{ASSESSMENTS}[{index}]"), tally, school_year, groups)


def _get(item: Any, *names: str) -> Any:
    for name in names:
        if not isinstance(item, dict):
            return None
        item = item.get(name)
    return item


def _text(value: Any) -> str:
    """A string or whole number as text; anything else as blank."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int):
        return str(value)
    return ""


def _code(descriptor: Any) -> str:
    """A descriptor's code value (`uri://ed-fi.org/SexDescriptor#Female` is `female`), in lower case."""
    if not isinstance(descriptor, str):
        return ""
    return descriptor.rpartition("#")[2].strip().lower()


def _read_associations(items: Any, tally: Tally) -> dict[bytes, tuple[str, ...]] | None:
    """Each student's groups, by the keyed hash of their identifier."""
    if not isinstance(items, list):
        tally.problem(Where(None), ASSOCIATIONS, _("This must be a list."))
        return None
    groups: dict[bytes, tuple[str, ...]] = {}
    for index, item in enumerate(items):
        where = Where(None, f"{ASSOCIATIONS}[{index}]")
        if not isinstance(item, dict):
            tally.problem(where, "", _("This must be an object."))
            continue
        student = _text(_get(item, "studentReference", "studentUniqueId"))
        if not student:
            tally.problem(
                where, "studentReference.studentUniqueId", _("The student's identifier is missing.")
            )
            continue
        member: list[str] = []
        sex = SEX_GROUPS.get(_code(item.get("sexDescriptor")))
        if sex:
            member.append(sex)
        if _code(item.get("limitedEnglishProficiencyDescriptor")) in ELL_CODES:
            member.append("ell")
        disabilities = item.get("disabilities")
        if disabilities is not None and not isinstance(disabilities, list):
            tally.problem(where, "disabilities", _("This must be a list."))
            continue
        if disabilities:
            member.append("special_education")
        key = tally.hashed(student)
        known = groups.get(key)
        if known is not None and known != tuple(member):
            tally.problem(
                where,
                "studentReference.studentUniqueId",
                _(
                    "Another association of this student puts them in other groups, so their groups "
                    "could be read two ways."
                ),
            )
            continue
        groups[key] = tuple(member)
    return groups


def _count_assessment(
    item: Any,
    where: Where,
    tally: Tally,
    given_year: str | None,
    groups: Mapping[bytes, tuple[str, ...]] | None,
) -> None:
    if not isinstance(item, dict):
        tally.problem(where, "", _("This must be an object."))
        return
    before = len(tally.report.problems) + tally.unlisted
    assessment = tally.assessment(
        where,
        "assessmentReference.assessmentIdentifier",
        _text(_get(item, "assessmentReference", "assessmentIdentifier")),
    )
    student = _text(_get(item, "studentReference", "studentUniqueId"))
    if not student:
        tally.problem(
            where, "studentReference.studentUniqueId", _("The student's identifier is missing.")
        )
    school_field = "reportedSchoolReference.schoolId"
    school_value = _get(item, "reportedSchoolReference", "schoolId")
    if school_value is None and "reportedSchoolIdentifier" in item:
        school_field, school_value = "reportedSchoolIdentifier", item["reportedSchoolIdentifier"]
    school = tally.school(where, school_field, _text(school_value))
    year = _year(item, where, tally, given_year)
    level = _level(item, where, tally)
    member: tuple[str, ...] = ()
    if groups is not None and student:
        found = groups.get(tally.hashed(student))
        if found is None:
            tally.problem(
                where,
                "studentReference.studentUniqueId",
                _(
                    "No student education organization association is given for this student, so "
                    "their groups are unknown."
                ),
            )
        else:
            member = found
    if not tally.groups_ok(where, "studentReference.studentUniqueId", member):
        return
    if len(tally.report.problems) + tally.unlisted > before:
        return
    assert school is not None and year is not None and assessment is not None
    tally.count(
        where,
        student_column="studentReference.studentUniqueId",
        school=school,
        year=year,
        assessment=assessment,
        student=student,
        level=None if level is False else level,
        groups=member,
    )


def _year(item: dict[str, Any], where: Where, tally: Tally, given: str | None) -> str | None:
    field = "schoolYearTypeReference.schoolYear"
    value = _get(item, "schoolYearTypeReference", "schoolYear")
    if value is None:
        if given is None:
            tally.problem(
                where, field, _("The school year is missing, and none was given with the file.")
            )
        return given
    if isinstance(value, bool) or not isinstance(value, int) or not 1990 < value < 2100:
        tally.problem(
            where,
            field,
            _("An Ed-Fi school year is the year it ends, as a whole number (2019 for 2018-19)."),
        )
        return None
    year = school_year_label(value - 1)
    if given is not None and year != given:
        tally.problem(
            where,
            field,
            _("The file was given as %(given)s but this says another school year.")
            % {"given": given},
        )
        return None
    return year


def _level(item: dict[str, Any], where: Where, tally: Tally) -> int | bool | None:
    """1 to 4, False when the student was not tested, None (with the problem) otherwise."""
    entries = item.get("performanceLevels")
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        tally.problem(where, "performanceLevels", _("This must be a list."))
        return None
    found: set[int] = set()
    for index, entry in enumerate(entries):
        at = f"performanceLevels[{index}]"
        if not isinstance(entry, dict):
            tally.problem(where, at, _("This must be an object."))
            return None
        if entry.get("performanceLevelMet") is False:
            continue
        code = _code(entry.get("performanceLevelDescriptor"))
        level = LEVELS.get(code)
        if level is None:
            tally.problem(
                where,
                f"{at}.performanceLevelDescriptor",
                _(
                    "This is not a level Capacity reads: the descriptor's code value must be Level 1, "
                    "Level 2, Level 3 or Level 4."
                ),
            )
            return None
        found.add(level)
    reason = item.get("reasonNotTestedDescriptor")
    if len(found) > 1:
        tally.problem(
            where,
            "performanceLevels",
            _("The student is given more than one level, so the result could be read two ways."),
        )
        return None
    if found and reason:
        tally.problem(
            where,
            "reasonNotTestedDescriptor",
            _("The student is given a level and a reason for not being tested: give one."),
        )
        return None
    if found:
        return found.pop()
    if reason:
        return False
    tally.problem(
        where,
        "performanceLevels",
        _(
            "The student has neither a level nor a reason for not being tested (reasonNotTestedDescriptor)."
        ),
    )
    return None
