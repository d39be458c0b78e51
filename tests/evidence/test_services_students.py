"""Student-level results (CSV and Ed-Fi JSON) counted into school results by group.

Aggregates are checked against an independent count of the students; every
kind of fault refuses the whole file with its place; a second import changes
nothing; and after an import no student identifier is anywhere in the database
or the media directory.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from typer.testing import CliRunner

from capacity.audit.models import Action, AuditEntry
from capacity.cli import app
from capacity.evidence.demo_students import Student, as_csv, as_edfi, students
from capacity.evidence.models import Result
from capacity.evidence.services_students import student_results_import

DATA = Path(__file__).resolve().parent.parent / "data" / "students"
SCHOOLS = ("700001", "700002", "700003")
ASSESSMENTS = ("G3-READ", "G6-MATH")

pytestmark = pytest.mark.django_db


def run(data: bytes, name: str = "students.csv", **kwargs: Any) -> Any:
    return student_results_import(data=data, name=name, actor_label="test", **kwargs)


def stored(school: str, assessment: str, group: str = "all", year: str = "2018-19") -> Result:
    return Result.objects.get(
        school__number=school, school_year=year, assessment__code=assessment, group=group
    )


def places(report: Any) -> list[tuple[int | None, str]]:
    return [(p.row, p.column) for p in report.problems]


def independent_counts(made: list[Student]) -> dict[tuple[str, str, str], Counter[Any]]:
    """Students by (school, assessment, group) and level, counted plainly."""
    counts: dict[tuple[str, str, str], Counter[Any]] = {}
    for s in made:
        for group in ("all", *s.groups):
            counts.setdefault((s.school, s.assessment, group), Counter())[s.level] += 1
    return counts


def assert_matches(made: list[Student]) -> None:
    counts = independent_counts(made)
    assert Result.objects.count() == len(counts)
    for (school, assessment, group), levels in counts.items():
        result = stored(school, assessment, group, made[0].year)
        n = sum(levels[k] for k in (1, 2, 3, 4))
        assert result.participating == n
        if not n:
            assert result.status == "nd"
            continue
        assert round(result.pct_at_standard * n / 100, 6) == levels[3] + levels[4]
        for k in (1, 2, 3, 4):
            assert round(getattr(result, f"pct_level_{k}") * n / 100, 6) == levels[k]


# --- what is counted -----------------------------------------------------------------------


def test_hand_worked_csv(world):
    report = run((DATA / "students.csv").read_bytes())
    assert report.applied, report.problems
    assert report.rows == 8
    # 700001 G3-READ: levels 3, 4, 2, 1 and one not assessed.
    everyone = stored("700001", "G3-READ")
    assert everyone.participating == 4
    assert everyone.pct_at_standard == 50.0
    assert [everyone.pct_level_1, everyone.pct_level_2, everyone.pct_level_3] == [25.0] * 3
    assert everyone.status == ""
    girls = stored("700001", "G3-READ", "female")  # levels 3 and 2; the third not assessed
    assert (girls.participating, girls.pct_at_standard) == (2, 50.0)
    learners = stored("700001", "G3-READ", "ell")  # levels 4 and 2
    assert (learners.participating, learners.pct_at_standard) == (2, 50.0)
    special = stored("700001", "G3-READ", "special_education")  # levels 2 and 1
    assert (special.participating, special.pct_at_standard) == (2, 0.0)
    assert stored("700001", "G3-MATH").pct_at_standard == 50.0
    assert stored("700003", "G3-READ", "male").participating == 1
    assert any("1 student was not assessed" in note for note in report.notes)


def test_hand_worked_edfi_matches_the_same_students_as_csv(world):
    report = run((DATA / "students.json").read_bytes(), name="students.json")
    assert report.applied, report.problems
    assert report.rows == 3
    everyone = stored("700001", "G3-READ")
    assert (everyone.participating, everyone.pct_at_standard) == (2, 100.0)
    assert stored("700001", "G3-READ", "male").pct_level_4 == 100.0
    assert stored("700001", "G3-READ", "ell").participating == 1
    # The absent girl receiving special education is in no figure, so her group has no data.
    special = stored("700001", "G3-READ", "special_education")
    assert (special.participating, special.status, special.pct_at_standard) == (0, "nd", None)
    assert any("not assessed" in note for note in report.notes)


@pytest.mark.parametrize("form", [as_csv, as_edfi], ids=["csv", "edfi"])
def test_generated_students_give_exact_counts(world, form):
    made = students(SCHOOLS, year="2018-19", assessments=ASSESSMENTS, per_school=57, seed=4)
    report = run(form(made), name="made." + ("csv" if form is as_csv else "json"))
    assert report.applied, report.problems[:5]
    assert report.rows == len(made)
    assert_matches(made)


def test_csv_and_edfi_give_the_same_results(world):
    made = students(SCHOOLS, year="2018-19", assessments=ASSESSMENTS, per_school=30, seed=9)
    run(as_csv(made))
    first = list(Result.objects.order_by("id").values(*VALUES))
    again = run(as_edfi(made), name="made.json")
    assert (again.created, again.updated) == (0, 0)
    assert list(Result.objects.order_by("id").values(*VALUES)) == first


VALUES = ("school_id", "assessment_id", "group", "participating", "pct_at_standard", "status")


def test_edfi_without_associations_counts_all_students_only(world):
    document = json.loads(
        as_edfi(
            students(
                SCHOOLS[:1], year="2018-19", assessments=ASSESSMENTS[:1], per_school=12, seed=1
            )
        )
    )
    report = run(json.dumps(document["studentAssessments"]).encode(), name="bare.json")
    assert report.applied, report.problems
    assert set(Result.objects.values_list("group", flat=True)) == {"all"}
    assert any("only figures for all students" in note for note in report.notes)


def test_the_year_may_be_given_with_the_file(world):
    text = (DATA / "students.csv").read_text().replace(",2018-19,", ",,")
    report = run(text.encode(), school_year="2020-21")
    assert report.applied, report.problems
    assert stored("700001", "G3-READ", year="2020-21").participating == 4


# --- all or nothing, and safe to repeat ---------------------------------------------------------


def test_importing_twice_changes_nothing(world):
    data = (DATA / "students.csv").read_bytes()
    first = run(data)
    count = Result.objects.count()
    second = run(data)
    assert (first.created, first.updated) == (count, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, count)
    assert Result.objects.count() == count
    assert AuditEntry.objects.filter(action=Action.IMPORT_APPLIED).count() == 2


def test_a_changed_student_updates_only_their_results(world):
    data = (DATA / "students.csv").read_bytes()
    run(data)
    changed = run(data.replace(b"ON-0001,3,Y", b"ON-0001,1,Y"))
    # 700001 G3-READ for all students and for girls.
    assert (changed.created, changed.updated) == (0, 2)
    assert stored("700001", "G3-READ").pct_at_standard == 25.0


def test_a_dry_run_writes_nothing_but_counts(world):
    report = run((DATA / "students.csv").read_bytes(), dry_run=True)
    assert not report.applied and not report.problems
    assert report.created > 0
    assert Result.objects.count() == 0
    assert not AuditEntry.objects.filter(action=Action.IMPORT_APPLIED).exists()


HEADER = "school_number,school_year,assessment,student_id,level,group_female,group_male\n"
GOOD = "700001,2018-19,G3-READ,K-1,3,Y,N\n"


@pytest.mark.parametrize(
    ("body", "where", "words"),
    [
        (GOOD + "700001,2018-19,G3-READ,K-2,3.5,Y,N\n", (3, "level"), "read two ways"),
        (GOOD + "700001,2018-19,G3-READ,K-2,3/4,Y,N\n", (3, "level"), "read two ways"),
        (GOOD + "700001,2018-19,G3-READ,K-2,,Y,N\n", (3, "level"), "level is missing"),
        (GOOD + "700001,2018-19,G3-READ,K-2,3,Y\n", (3, ""), "has 6 values"),
        (GOOD + "799999,2018-19,G3-READ,K-2,3,Y,N\n", (3, "school_number"), "no school"),
        (GOOD + "700001,2018-19,G4-READ,K-2,3,Y,N\n", (3, "assessment"), "not an assessment"),
        (GOOD + "700002,2018-19,G3-READ,K-1,2,Y,N\n", (3, "student_id"), "already counted"),
        (GOOD + "700001,2018-19,G3-READ,,2,Y,N\n", (3, "student_id"), "identifier is missing"),
        (GOOD + "700001,2018-19,G3-READ,K-2,2,Y,Y\n", (3, "group_female, group_male"), "split"),
        (GOOD + "700001,2018-19,G3-READ,K-2,2,maybe,N\n", (3, "group_female"), "Give Y"),
        (GOOD + "700001,2018-19,G3-READ,K-2,2,,N\n", (3, "group_female"), "Give Y"),
        (GOOD + "700001,2018-2020,G3-READ,K-2,2,Y,N\n", (3, "school_year"), "school year"),
        (GOOD + "700001,,G3-READ,K-2,2,Y,N\n", (3, "school_year"), "missing"),
        (GOOD + "7001,2018-19,G3-READ,K-2,2,Y,N\n", (3, "school_number"), "five or six"),
    ],
    ids=[
        "fraction",
        "slash",
        "blank-level",
        "width",
        "school",
        "assessment",
        "twice",
        "no-id",
        "partition",
        "flag",
        "blank-flag",
        "bad-year",
        "no-year",
        "bad-school",
    ],
)
def test_each_fault_refuses_the_whole_file(world, body, where, words):
    report = run((HEADER + body).encode())
    assert not report.applied
    assert places(report) == [where], report.problems
    assert words in report.problems[0].reason
    assert Result.objects.count() == 0
    assert AuditEntry.objects.filter(action=Action.IMPORT_REJECTED).count() == 1
    # Problems name places, never a student.
    assert "K-1" not in report.problems_csv() and "K-2" not in report.problems_csv()


@pytest.mark.parametrize(
    ("header", "where"),
    [
        ("school_number,school_year,assessment,level\n", (1, "student_id")),
        ("school_number,assessment,student_id,level\n", (1, "school_year")),
        (
            "school_number,school_year,assessment,student_id,level,group_gifted\n",
            (1, "group_gifted"),
        ),
    ],
    ids=["no-student", "no-year", "unknown-group"],
)
def test_header_faults(world, header, where):
    report = run((header + "700001,2018-19,G3-READ,K,3\n").encode())
    assert where in places(report)
    assert Result.objects.count() == 0


def test_a_byte_not_in_the_files_encoding_is_refused(world):
    data = (HEADER + GOOD).encode() + "700001,2018-19,G3-READ,Élodie,3,Y,N\n".encode("cp1252")
    data = data.replace(b"K-1", "K-é".encode())
    report = run(data)
    assert not report.applied
    assert "row 3" in report.problems[0].reason
    assert Result.objects.count() == 0


def test_windows_1252_alone_is_read(world):
    data = (HEADER + "700001,2018-19,G3-READ,Zoë,3,Y,N\n").encode("cp1252")
    report = run(data)
    assert report.applied, report.problems
    assert any("cp1252" in note for note in report.notes)


def test_semicolons_and_binary_files_are_refused_with_the_cause(world):
    report = run(HEADER.replace(",", ";").encode() + GOOD.replace(",", ";").encode())
    assert "semicolons" in report.problems[0].reason
    report = run(b"PK\x03\x04rest")
    assert "spreadsheet" in report.problems[0].reason
    report = run(HEADER.encode())
    assert "no rows" in report.problems[0].reason


# --- Ed-Fi refusals ---------------------------------------------------------------------------


def edfi(**changes: Any) -> dict[str, Any]:
    document = json.loads((DATA / "students.json").read_text())
    item = document["studentAssessments"][1]
    for name, value in changes.items():
        if value is None:
            item.pop(name, None)
        else:
            item[name] = value
    return document


LEVEL = "uri://eqao.com/PerformanceLevelDescriptor#Level "


@pytest.mark.parametrize(
    ("document", "field", "words"),
    [
        (
            edfi(
                performanceLevels=[
                    {"performanceLevelDescriptor": LEVEL + "3"},
                    {"performanceLevelDescriptor": LEVEL + "4"},
                ]
            ),
            "studentAssessments[1].performanceLevels",
            "more than one level",
        ),
        (
            edfi(performanceLevels=[{"performanceLevelDescriptor": "uri://x#Proficient"}]),
            "studentAssessments[1].performanceLevels[0].performanceLevelDescriptor",
            "not a level",
        ),
        (edfi(performanceLevels=None), "studentAssessments[1].performanceLevels", "neither"),
        (
            edfi(reasonNotTestedDescriptor="uri://ed-fi.org/ReasonNotTestedDescriptor#Absent"),
            "studentAssessments[1].reasonNotTestedDescriptor",
            "give one",
        ),
        (
            edfi(reportedSchoolReference={"schoolId": 799999}),
            "studentAssessments[1].reportedSchoolReference.schoolId",
            "no school",
        ),
        (
            edfi(reportedSchoolReference=None),
            "studentAssessments[1].reportedSchoolReference.schoolId",
            "missing",
        ),
        (
            edfi(assessmentReference={"assessmentIdentifier": "G4-READ"}),
            "studentAssessments[1].assessmentReference.assessmentIdentifier",
            "not an assessment",
        ),
        (
            edfi(studentReference={"studentUniqueId": "ON-0001"}),
            "studentAssessments[1].studentReference.studentUniqueId",
            "already counted",
        ),
        (
            edfi(studentReference={"studentUniqueId": "ON-9999"}),
            "studentAssessments[1].studentReference.studentUniqueId",
            "No student education organization association",
        ),
        (
            edfi(schoolYearTypeReference={"schoolYear": "2019"}),
            "studentAssessments[1].schoolYearTypeReference.schoolYear",
            "whole number",
        ),
        (
            edfi(schoolYearTypeReference=None),
            "studentAssessments[1].schoolYearTypeReference.schoolYear",
            "missing",
        ),
    ],
    ids=[
        "two-levels",
        "unknown-level",
        "no-level",
        "level-and-reason",
        "school",
        "no-school",
        "assessment",
        "twice",
        "no-association",
        "year-text",
        "no-year",
    ],
)
def test_each_edfi_fault_refuses_the_whole_file(world, document, field, words):
    report = run(json.dumps(document).encode(), name="bad.json")
    assert not report.applied
    assert places(report) == [(None, field)], report.problems
    assert words in report.problems[0].reason
    assert Result.objects.count() == 0
    assert "ON-0" not in report.problems_csv()


def test_edfi_document_faults(world):
    report = run(b'{"studentAssessments": [], "studentAssessments": []}', name="x.json")
    assert places(report) == [(None, "studentAssessments")]
    assert "twice" in report.problems[0].reason
    report = run(b'{"studentAssessments": [}', name="x.json")
    assert report.problems[0].row == 1 and "Not valid JSON" in report.problems[0].reason
    report = run(b'{"assessments": []}', name="x.json")
    assert (None, "assessments") in places(report)
    report = run(b'{"studentAssessments": [], "ON-0001": 3}', name="x.json")
    assert "ON-0001" not in report.problems_csv()
    report = run(b'[{"ON-0001": 3, "ON-0001": 4}]', name="x.json")
    assert not report.applied and "ON-0001" not in report.problems_csv()
    report = run(json.dumps(edfi()).encode("utf-16"), name="x.json")
    assert not report.applied
    latin = json.dumps(edfi(), ensure_ascii=False).replace("Level 4", "Level 4 é").encode("cp1252")
    report = run(latin, name="x.json")
    assert not report.applied and "UTF-8" in report.problems[0].reason


def test_two_associations_that_disagree_are_refused(world):
    document = edfi()
    twin = dict(document["studentEducationOrganizationAssociations"][0])
    twin["sexDescriptor"] = "uri://ed-fi.org/SexDescriptor#Male"
    document["studentEducationOrganizationAssociations"].append(twin)
    report = run(json.dumps(document).encode(), name="x.json")
    assert places(report) == [
        (None, "studentEducationOrganizationAssociations[3].studentReference.studentUniqueId")
    ]


# --- nothing about a student is kept ------------------------------------------------------------


def every_stored_text() -> str:
    """Every value of every row of every table, as text."""
    parts = []
    for model in apps.get_models():
        for row in model.objects.all().values_list():
            parts.append(repr(row))
    return "\n".join(parts)


def test_no_identifier_is_kept_after_an_import(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    made = students(SCHOOLS, year="2018-19", assessments=ASSESSMENTS, per_school=20, seed=3)
    ids = {s.student for s in made}
    assert run(as_csv(made)).applied
    assert run(as_edfi(made), name="made.json").applied
    bad = as_csv(made) + b"700001,2018-19,G3-READ,S700001-00000,9,N,Y,N,N\n"
    refused = run(bad)
    assert not refused.applied
    text = every_stored_text()
    assert "S700001-00000" not in refused.problems_csv()
    assert not [student for student in ids if student in text]
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))


# --- the command line ---------------------------------------------------------------------------

runner = CliRunner()


def test_the_command_imports_and_refuses(world, tmp_path):
    good = runner.invoke(app, ["import", "student-results", str(DATA / "students.csv")])
    assert good.exit_code == 0, good.output
    assert "Imported 8 rows" in good.output
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + GOOD + "700001,2018-19,G3-READ,K-1,2,Y,N\n")
    problems = tmp_path / "problems.csv"
    refused = runner.invoke(
        app, ["import", "student-results", str(bad), "--problems", str(problems)]
    )
    assert refused.exit_code == 1
    assert "already counted" in problems.read_text()
    assert "K-1" not in problems.read_text()


def test_the_command_takes_the_year_with_the_file(world, tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text((DATA / "students.csv").read_text().replace(",2018-19,", ",,"))
    result = runner.invoke(app, ["import", "student-results", f"2019-20={plain}", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would import 8 rows" in result.output
    assert Result.objects.count() == 0
    wrong = runner.invoke(app, ["import", "student-results", f"2019={plain}"])
    assert wrong.exit_code == 2


def test_demo_builds_group_results_through_the_service(world):
    from capacity.evidence.demo_students import build
    from capacity.evidence.models import Assessment

    assert build(seed=1) == {"student_results": 0}  # no results yet: nothing to match
    reading = Assessment.objects.get(code="G3-READ")
    Result.objects.create(
        school=world.school_a1,
        school_year="2023-24",
        assessment=reading,
        participating=50,
        pct_at_standard=71.0,
    )
    counts = build(seed=1)
    assert counts["student_results"] == Result.objects.count() == 5  # all and four groups
    everyone = stored("700001", "G3-READ", year="2023-24")
    assert everyone.participating == 60
    assert abs(everyone.pct_at_standard - 71.0) < 1
    assert settings.MEDIA_ROOT
