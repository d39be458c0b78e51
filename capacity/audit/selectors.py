"""Reads of the audit log: the entries, filtered and sorted, one page at a time.

Who may read the log is decided by the view (`directory.access.can_view_audit_log`):
the audit app sits below the directory and imports no app.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from capacity.audit.models import Action, AuditEntry
from capacity.listing import Column, ListPage, ListSpec

AUDIT_LIST = ListSpec(
    columns=(
        Column(_("When"), "when", ("at",)),
        Column(_("By"), "by", ("actor_label", "at")),
        Column(_("Action"), "action", ("action", "at")),
        Column(_("About")),
        Column(_("Detail")),
        Column(_("Address")),
    ),
    default="-when",
    label=_("Pages of the log"),
)


def audit_entries(
    *,
    action: str = "",
    person: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries of one action, by a person (part of the name recorded), between two days (inclusive).

    Days are read in the site's time zone; empty filters mean any.
    """
    entries = AuditEntry.objects.all()
    if action in Action.values:
        entries = entries.filter(action=action)
    if person:
        entries = entries.filter(actor_label__icontains=person)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries


def audit_page(params: Mapping[str, Any], **filters: Any) -> ListPage[AuditEntry]:
    """One page of the filtered entries, sorted as `params` ask (newest first by default)."""
    return AUDIT_LIST.page(audit_entries(**filters), params)
