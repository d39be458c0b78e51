"""Pages for student-level results counted on import into school results by group (issue 13)."""

from __future__ import annotations

from typing import Any

from django.urls import path

from capacity.evidence import views_students

urlpatterns: list[Any] = [
    path(
        "evidence/imports/students/",
        views_students.students_import,
        name="students_import",
    ),
]
