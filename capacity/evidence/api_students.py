"""API for student-level results counted on import into school results by group.

A data team posts the body of an Ed-Fi StudentAssessment document (JSON) or a
student-level CSV straight from its systems; the same service as the command
and the page counts it (services_students.py). The body is held in memory
only, and its size is capped by DATA_UPLOAD_MAX_MEMORY_SIZE (10 MB unless set).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from capacity.api_common import answers
from capacity.directory import access
from capacity.evidence.services_students import student_results_import
from capacity.schoolyears import normal_year

router = Router(tags=["evidence"])


class ProblemOut(Schema):
    row: int | None = Field(description="The CSV row (the header is row 1); empty for JSON")
    column: str = Field(description="The CSV column, or the JSON path and field")
    reason: str


class StudentImportOut(Schema):
    applied: bool = Field(description="False when the file was refused: nothing was written")
    students: int = Field(description="Student results counted")
    created: int
    updated: int
    unchanged: int
    notes: list[str]
    problems: list[ProblemOut] = Field(description="Every problem (none names a student)")


class StudentImportQuery(Schema):
    name: str = Field(
        "api-upload", max_length=200, description="The file's name, for the audit log"
    )
    school_year: str = Field(
        "", max_length=9, description="The school year (2018-19) when the file does not say it"
    )
    dry_run: bool = Field(False, description="Check and count; write nothing")


@router.post(
    "/student-results",
    response=answers(StudentImportOut, 400, 403, 413, schemas={400: StudentImportOut}),
    url_name="api_students_import",
    summary="Count student-level results (Ed-Fi JSON or CSV in the body) into school results",
    description=(
        "The body is an Ed-Fi StudentAssessment document (a list, or an object with "
        "studentAssessments and studentEducationOrganizationAssociations) or a student-level CSV "
        "(docs/data-formats.md). All or nothing: 400 with every problem when anything is wrong. "
        "No student's identifier is kept or returned. Ministry officers only."
    ),
)
def import_student_results(request: HttpRequest, query: Query[StudentImportQuery]) -> Status:
    if not access.can_import_results(request.user):
        raise PermissionError("Only ministry officers load assessment results.")
    year = normal_year(query.school_year) if query.school_year else None
    if query.school_year and year is None:
        return Status(400, _refusal("school_year", "A school year is written like 2018-19."))
    try:
        data = request.body
    except RequestDataTooBig:
        return Status(
            413, {"detail": "The body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE allows."}
        )
    try:
        report = student_results_import(
            data=data,
            name=query.name,
            school_year=year,
            actor=request.user,
            dry_run=query.dry_run,
            check_actor=True,
        )
    except PermissionDenied as exc:
        raise PermissionError from exc
    body = {
        "applied": report.applied,
        "students": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "notes": report.notes,
        "problems": [
            {"row": p.row, "column": p.column, "reason": p.reason} for p in report.problems
        ],
    }
    return Status(400 if report.problems else 200, body)


def _refusal(column: str, reason: str) -> dict[str, Any]:
    return {
        "applied": False,
        "students": 0,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "notes": [],
        "problems": [{"row": None, "column": column, "reason": reason}],
    }
