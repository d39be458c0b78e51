"""The student-level results page's rows in the authorisation contract.

Only ministry officers load results (access.can_import_results), so only they open the page
and only their upload counts anything; everyone else is refused and nothing changes.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.authz_kit import M, Write, only, page, post, post_json, write_api
from tests.conftest import PERSONAS

STUDENTS = (
    "school_number,school_year,assessment,student_id,level,group_female,group_male\n"
    "700001,2018-19,G3-READ,K-1,3,Y,N\n"
    "700001,2018-19,G3-READ,K-2,2,N,Y\n"
)


EDFI = {
    "studentAssessments": [
        {
            "assessmentReference": {"assessmentIdentifier": "G3-READ"},
            "studentReference": {"studentUniqueId": "K-1"},
            "reportedSchoolReference": {"schoolId": 700001},
            "schoolYearTypeReference": {"schoolYear": 2019},
            "performanceLevels": [{"performanceLevelDescriptor": "uri://eqao.com/PLD#Level 3"}],
        }
    ]
}


def _file(w: Any) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("students.csv", STUDENTS.encode())}


READS: list[tuple[str, str, Any, dict[str, int]]] = [
    (
        "api:api_students_import",
        "students API: the import by GET",
        lambda w: "/api/student-results",
        dict.fromkeys(PERSONAS, 405),
    ),
    (
        "students_import",
        "students: the student-level results page",
        lambda w: "/evidence/imports/students/",
        only(M),
    ),
]

WRITES: list[Write] = [
    Write(
        "POST students_import",
        "students: count a student-level file into school results",
        post(lambda w: "/evidence/imports/students/", _file),
        page(M),
    ),
    Write(
        "POST api:api_students_import",
        "students: API counts an Ed-Fi document into school results",
        post_json(lambda w: "/api/student-results", lambda w: EDFI),
        write_api(200, M),
    ),
]
