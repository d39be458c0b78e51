"""Writing to the audit log. Every sensitive action calls `audit_record`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from capacity.audit.models import Action, AuditEntry


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: Action | str,
    actor: Any = None,
    actor_label: str = "",
    target: str = "",
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Append one entry to the audit log (never updated, never deleted by the app)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if not actor_label and actor is not None:
        actor_label = actor.get_username()
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        actor_label=actor_label[:200],
        target=target[:300],
        detail=detail or {},
        ip_address=client_ip(request),
    )
