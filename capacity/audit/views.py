from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from capacity.audit.models import Action, AuditEntry
from capacity.directory.access import can_view_audit_log


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not can_view_audit_log(request.user):
        raise PermissionDenied
    entries = AuditEntry.objects.all()
    action = request.GET.get("action", "")
    if action in Action.values:
        entries = entries.filter(action=action)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {"page": page, "actions": Action.choices, "action": action},
    )
