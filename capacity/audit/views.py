from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from capacity.audit import selectors
from capacity.audit.forms import AuditFilterForm
from capacity.directory.access import can_view_audit_log


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The log, newest first, filtered by action, person and dates; a bad date shows its error."""
    if not can_view_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET)
    form.is_valid()  # the errors show on the form; the valid filters still apply
    entries = selectors.audit_page(request.GET, **form.filters())
    return render(request, "audit/log.html", {"form": form, "entries": entries})
