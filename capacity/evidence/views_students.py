"""The student-level results page: upload a file, have it counted into school results, see the report.

The file is read in memory (`InMemoryOnly`) and never written to storage: the
upload handler keeps it in memory whatever its size up to a cap, and the page
refuses a larger request before reading it. The report (counts, notes and
problems, none of which names a student) is kept in the session for the page
the browser is sent to after the POST.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from capacity.directory import access
from capacity.evidence.forms_students import StudentResultsForm
from capacity.evidence.services_students import student_results_import

SESSION_KEY = "students_import_report"
LISTED = 200


def max_bytes() -> int:
    return int(settings.CAPACITY_STUDENT_UPLOAD_MAX_MB) * 1024 * 1024


class InMemoryOnly(MemoryFileUploadHandler):
    """Keeps every uploaded file in memory, never in a temporary file (the view caps the size first)."""

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        super().handle_raw_input(*args, **kwargs)
        self.activated = True


@csrf_exempt  # checked by `_students_import` below, once the upload handlers are set
@login_required
@require_http_methods(["GET", "POST"])
def students_import(request: HttpRequest) -> HttpResponse:
    if not access.can_import_results(request.user):
        raise PermissionDenied
    request.upload_handlers = [InMemoryOnly(request)]
    return _students_import(request)


@csrf_protect
def _students_import(request: HttpRequest) -> HttpResponse:
    too_large = False
    if request.method == "POST":
        length = request.META.get("CONTENT_LENGTH") or "0"
        too_large = length.isdigit() and int(length) > max_bytes()
    if too_large:
        # Bound to nothing, so the body (the large file) is never read; only this error is shown.
        form = StudentResultsForm(data={}, files=MultiValueDict())
        form.full_clean()
        form.errors.clear()
        form.add_error(
            "file",
            _("The file is larger than %(size)s MB.") % {"size": max_bytes() // (1024 * 1024)},
        )
    else:
        form = StudentResultsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not too_large and form.is_valid():
        upload = form.cleaned_data["file"]
        report = student_results_import(
            data=upload.read(),
            name=(upload.name or "")[:200],
            school_year=form.cleaned_data["school_year"] or None,
            actor=request.user,
            check_actor=True,
        )
        request.session[SESSION_KEY] = {
            "source": report.source,
            "applied": report.applied,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "notes": report.notes,
            "count": len(report.problems),
            "problems": [
                {"row": "" if p.row is None else p.row, "column": p.column, "reason": p.reason}
                for p in report.problems[:LISTED]
            ],
        }
        return redirect("students_import")
    outcome = request.session.pop(SESSION_KEY, None) if request.method == "GET" else None
    return render(
        request,
        "evidence/students/import.html",
        {"form": form, "outcome": outcome, "listed": LISTED},
    )
