"""The student-level readers without a database: Ed-Fi JSON and the CSV counted into a Tally, with
the schools and assessments passed in, and each result's figures worked by hand."""

from __future__ import annotations

import json
from pathlib import Path

from capacity.evidence.demo_students import as_csv, as_edfi, students
from capacity.evidence.importers.edfi import read_edfi
from capacity.evidence.importers.students import StudentResult, Tally, read_student_csv, sniff_kind
from capacity.imports import ImportReport

DATA = Path(__file__).resolve().parent.parent / "data" / "students"
SCHOOLS = {"700001": 1, "700003": 3}
ASSESSMENTS = {"G3-READ": 1, "G3-MATH": 2}


def tally() -> Tally:
    return Tally(ImportReport(kind="t", source="t"), SCHOOLS, ASSESSMENTS, (("female", "male"),))


def by_key(t: Tally) -> dict[tuple[str, str, str, str], StudentResult]:
    return {(r.school_number, r.school_year, r.assessment, r.group): r for r in t.results()}


def test_edfi_counts_levels_and_groups():
    t = tally()
    read_edfi((DATA / "students.json").read_text(), t, school_year=None)
    t.finish()
    assert not t.report.problems
    results = by_key(t)
    everyone = results[("700001", "2018-19", "G3-READ", "all")]
    assert everyone.counts == (0, 0, 1, 1, 1)
    assert everyone.values() == {
        "participating": 2,
        "pct_level_1": 0.0,
        "pct_level_2": 0.0,
        "pct_level_3": 50.0,
        "pct_level_4": 50.0,
        "pct_at_standard": 100.0,
        "status": "",
    }
    special = results[("700001", "2018-19", "G3-READ", "special_education")]
    assert special.values()["status"] == "nd" and special.not_assessed == 1
    assert t.report.rows == 3


def test_the_two_readers_count_the_same_students_alike():
    made = students(
        list(SCHOOLS), year="2018-19", assessments=list(ASSESSMENTS), per_school=23, seed=2
    )
    from_csv, from_json = tally(), tally()
    read_student_csv(as_csv(made).decode(), from_csv, school_year=None)
    read_edfi(as_edfi(made).decode(), from_json, school_year=None)
    assert not from_csv.report.problems and not from_json.report.problems
    assert by_key(from_csv) == by_key(from_json)
    assert from_csv.students == from_json.students == len(made)


def test_a_school_year_given_with_the_file_fills_in_and_must_agree():
    document = json.loads((DATA / "students.json").read_text())
    for item in document["studentAssessments"]:
        item.pop("schoolYearTypeReference")
    t = tally()
    read_edfi(json.dumps(document), t, school_year="2020-21")
    assert {r.school_year for r in t.results()} == {"2020-21"}
    t = tally()
    read_edfi((DATA / "students.json").read_text(), t, school_year="2020-21")
    assert len(t.report.problems) == 3


def test_performance_levels_not_met_are_passed_over():
    document = json.loads((DATA / "students.json").read_text())
    levels = document["studentAssessments"][0]["performanceLevels"]
    levels.append({"performanceLevelDescriptor": "uri://x#Level 1", "performanceLevelMet": False})
    t = tally()
    read_edfi(json.dumps(document), t, school_year=None)
    assert not t.report.problems
    assert by_key(t)[("700001", "2018-19", "G3-READ", "female")].counts[2] == 1


def test_the_kind_is_told_by_the_content():
    assert sniff_kind(b'\xef\xbb\xbf  [{"a": 1}]') == "edfi"
    assert sniff_kind(b'{"studentAssessments": []}') == "edfi"
    assert sniff_kind(b"school_number,level\n") == "csv"


def test_identifiers_are_held_as_hashes_keyed_for_one_import():
    first, second = tally(), tally()
    assert first.hashed("ON-0001") == first.hashed("ON-0001")
    assert first.hashed("ON-0001") != second.hashed("ON-0001")
    assert b"ON-0001" not in first.hashed("ON-0001")
