"""The demo's student-level results, counted into school results by group through the services.

`build` makes made-up students for a few schools of the demo's latest year, as
a student-level CSV held in memory, so that each school's result for all
students stays what the demo gave it (to within a student) while its groups
gain counts. `students`, `as_csv` and `as_edfi` make the same kind of files for
the tests and benchmarks/student_import.py.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

GROUP_COLUMNS = ("female", "male", "ell", "special_education")
DEMO_ASSESSMENTS = ("G3-READ", "G3-MATH", "G6-READ", "G6-MATH")
DEMO_SCHOOLS = 6
METHOD = "uri://ed-fi.org/AssessmentReportingMethodDescriptor#Achievement/proficiency level"
LEVEL_DESCRIPTOR = "uri://eqao.com/PerformanceLevelDescriptor"


@dataclass(frozen=True)
class Student:
    """One made-up student's result on one assessment (level None: not assessed)."""

    school: str
    year: str
    assessment: str
    student: str
    level: int | None
    groups: tuple[str, ...]


def students(
    schools: Sequence[str],
    *,
    year: str,
    assessments: Sequence[str],
    per_school: int,
    seed: int,
    at_standard: dict[tuple[str, str], float] | None = None,
) -> list[Student]:
    """`per_school` students in each school, each taking every assessment.

    Girls and boys half and half, about one in six an English language learner
    and one in seven receiving special education, a few in a hundred not
    assessed. Where `at_standard` gives a school's share at the standard on an
    assessment, that share of its students are at level 3 or 4.
    """
    rng = random.Random(seed)
    made: list[Student] = []
    for school in schools:
        people: list[tuple[str, list[str]]] = []
        for index in range(per_school):
            groups: list[str] = ["female" if index % 2 else "male"]
            if rng.random() < 0.16:
                groups.append("ell")
            if rng.random() < 0.14:
                groups.append("special_education")
            people.append((f"S{school}-{index:05d}", groups))
        for assessment in assessments:
            share = (at_standard or {}).get((school, assessment))
            order = list(range(per_school))
            rng.shuffle(order)
            meeting = round(per_school * share / 100) if share is not None else None
            for rank, index in enumerate(order):
                student, groups = people[index]
                if share is None and rng.random() < 0.03:
                    level: int | None = None
                elif meeting is not None:
                    level = rng.choice((3, 4)) if rank < meeting else rng.choice((1, 2))
                else:
                    bonus = -0.2 if "ell" in groups or "special_education" in groups else 0.1
                    level = min(4, max(1, round(rng.gauss(2.6 + bonus, 0.8))))
                made.append(Student(school, year, assessment, student, level, tuple(groups)))
    return made


def as_csv(rows: Iterable[Student]) -> bytes:
    """The students as a student-level CSV (docs/data-formats.md)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "school_number",
            "school_year",
            "assessment",
            "student_id",
            "level",
            *(f"group_{g}" for g in GROUP_COLUMNS),
        ]
    )
    for s in rows:
        writer.writerow(
            [
                s.school,
                s.year,
                s.assessment,
                s.student,
                "NA" if s.level is None else s.level,
                *("Y" if g in s.groups else "N" for g in GROUP_COLUMNS),
            ]
        )
    return out.getvalue().encode("utf-8")


def as_edfi(rows: Iterable[Student]) -> bytes:
    """The students as Ed-Fi StudentAssessment JSON with their associations."""
    assessments = []
    associations: dict[str, dict[str, object]] = {}
    for number, s in enumerate(rows):
        item: dict[str, object] = {
            "studentAssessmentIdentifier": f"SA-{number}",
            "assessmentReference": {
                "assessmentIdentifier": s.assessment,
                "namespace": "uri://eqao.com/Assessment",
            },
            "studentReference": {"studentUniqueId": s.student},
            "reportedSchoolReference": {"schoolId": int(s.school)},
            "schoolYearTypeReference": {"schoolYear": int(s.year[:4]) + 1},
        }
        if s.level is None:
            item["reasonNotTestedDescriptor"] = "uri://ed-fi.org/ReasonNotTestedDescriptor#Absent"
        else:
            item["performanceLevels"] = [
                {
                    "assessmentReportingMethodDescriptor": METHOD,
                    "performanceLevelDescriptor": f"{LEVEL_DESCRIPTOR}#Level {s.level}",
                    "performanceLevelMet": True,
                }
            ]
        assessments.append(item)
        association: dict[str, object] = {
            "educationOrganizationReference": {"educationOrganizationId": int(s.school)},
            "studentReference": {"studentUniqueId": s.student},
            "sexDescriptor": "uri://ed-fi.org/SexDescriptor#"
            + ("Female" if "female" in s.groups else "Male"),
            "limitedEnglishProficiencyDescriptor": "uri://ed-fi.org/LimitedEnglishProficiencyDescriptor#"
            + ("Limited" if "ell" in s.groups else "NotLimited"),
        }
        if "special_education" in s.groups:
            association["disabilities"] = [
                {
                    "disabilityDescriptor": "uri://ed-fi.org/DisabilityDescriptor#Specific Learning Disability"
                }
            ]
        associations[s.student] = association
    document = {
        "studentAssessments": assessments,
        "studentEducationOrganizationAssociations": list(associations.values()),
    }
    return json.dumps(document).encode("utf-8")


def build(*, seed: int) -> dict[str, int]:
    """Student-level results for a few elementary schools' Grade 3 and 6 assessments in the latest year."""
    from capacity.directory.demo import LATEST_YEAR
    from capacity.evidence.models import Result
    from capacity.evidence.services_students import student_results_import
    from capacity.schoolyears import school_year_label

    figures = list(
        Result.objects.filter(
            school_year=school_year_label(LATEST_YEAR),
            group="all",
            assessment__code__in=DEMO_ASSESSMENTS,
            status="",
            school__level="elementary",
        )
        .order_by("school__number")
        .values_list("school__number", "assessment__code", "pct_at_standard", "participating")
    )
    chosen = sorted({number for number, *_rest in figures})[:DEMO_SCHOOLS]
    if not chosen:
        return {"student_results": 0}
    at_standard = {
        (number, code): float(pct or 0) for number, code, pct, _n in figures if number in chosen
    }
    made = students(
        chosen,
        year=school_year_label(LATEST_YEAR),
        assessments=DEMO_ASSESSMENTS,
        per_school=60,
        seed=seed,
        at_standard=at_standard,
    )
    # Only the assessments each school has a figure for.
    made = [s for s in made if (s.school, s.assessment) in at_standard]
    report = student_results_import(
        data=as_csv(made), name="demo-students.csv", actor_label="capacity demo"
    )
    return {"student_results": report.created + report.updated + report.unchanged}
