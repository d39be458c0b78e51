"""An audit entry's detail in words: labels for its keys, values people can read, in their language.

The detail is stored as JSON with short keys and codes ({"role": "board_leader"}) so
it stays stable and searchable; the log page shows it through `readable` instead
("Role: Board leader"). The audit app sits below the others, so the apps whose codes
appear in details name their labels here from their AppConfig.ready with
`register_values` (directory: roles; planning: plan kinds).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

KEY_LABELS: dict[str, Promise] = {
    "plan": _("Plan"),
    "number": _("Submission number"),
    "submission": _("Submission number"),
    "version": _("Plan version"),
    "focused_intervention": _("Focused-intervention plans"),
    "school": _("School"),
    "schools": _("Schools"),
    "board": _("Board"),
    "boards": _("Boards"),
    "school_year": _("School year"),
    "school_years": _("School years"),
    "policy": _("Policy"),
    "kind": _("Kind"),
    "before": _("Before"),
    "holder": _("Looked after by"),
    "removed_because": _("Removed because"),
    "dates": _("Dates"),
    "submit_by": _("Submit by"),
    "act_by": _("Act by"),
    "observe_by": _("Observe by"),
    "reflect_by": _("Reflect by"),
    "import": _("Upload"),
    "size": _("Size (bytes)"),
    "cause": _("Cause"),
    "reason": _("Reason"),
    "attempts": _("Attempts"),
    "detail": _("Last message"),
    "staff": _("Staff account"),
    "role": _("Role"),
    "organisation": _("Organisation"),
    "via": _("Through"),
    "token": _("Token"),
    "name": _("Name"),
    "expires": _("Expires"),
    "seed": _("Seed"),
    "source": _("File"),
    "files": _("Files"),
    "rows": _("Rows"),
    "created": _("Created"),
    "updated": _("Updated"),
    "unchanged": _("Unchanged"),
    "skipped": _("Skipped"),
    "problems": _("Problems"),
    "applied": _("Applied"),
    "first_problems": _("First problems"),
    "people_created": _("People created"),
    "people_updated": _("People updated"),
    "people_deactivated": _("People deactivated"),
    "roles_removed": _("Roles removed"),
    "roles_ended": _("Roles ended"),
    "organisations_created": _("Organisations created"),
    "networks": _("Networks"),
    "username": _("Username"),
    "instrument_version": _("Instrument version"),
    "outcome": _("Outcome"),
    "content": _("Content digest"),
    "round": _("Survey round"),
    "invited": _("People invited"),
    "links": _("Single-use links"),
    "roles": _("Roles"),
    "case_version": _("Case study version"),
    "replaced": _("Suggestions replaced"),
    "added": _("Schools added"),
    "left_out": _("Schools left out"),
    "facilitator": _("Became its facilitator"),
    "agreement_version": _("Agreement version"),
    # ledger (issue 13)
    "capacity": _("Capacity given"),
    "amount": _("Amount"),
    "given_by": _("Given by"),
    "given_on": _("Given on"),
    "request": _("Support request"),
    # decisions (issue 13)
    "proposal": _("Identification proposal"),
    "change": _("Proposed change"),
    "decision": _("Decision"),
    "enters": _("Schools entering"),
    "stays": _("Schools staying"),
    "leaves": _("Schools leaving"),
    # yearclose (issue 13): pedagogical documentation added and removed
    "consent": _("Consent"),
    "why": _("Why"),
    # backups (issue 14): `capacity backup` and `capacity restore`
    "database": _("Database"),
    "backup_made": _("Backup made on"),
    "replaced_data": _("Replaced the data that was there"),
}

VALUE_LABELS: dict[str, dict[str, Promise | str]] = {
    "cause": {
        "crash": _("the import process stopped"),
        "exception": _("an error in the import"),
        "time_limit": _("took too long"),
        "worker_gone": _("the worker stopped"),
    },
    "kind": {
        "oneroster": _("OneRoster roster"),
        "orgs": _("boards and schools"),
        "sif": _("school information (SIF)"),
        "people": _("people"),
        "results": _("assessment results"),
    },
    "via": {"admin": _("the administration site")},
}

# The traceback kept under "detail" is for people who fix Capacity: the page shows its last line.
LAST_LINE_ONLY = {"detail"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")


def register_values(key: str, choices: Iterable[tuple[str, Any]]) -> None:
    """Name the codes an app stores under `key` (for example roles), so the log shows their labels."""
    VALUE_LABELS.setdefault(key, {}).update({str(value): label for value, label in choices})


def key_label(key: str) -> str:
    """A detail key's label; a key no app has named is shown as written, spaces for underscores."""
    known = KEY_LABELS.get(key)
    return str(known) if known is not None else key.replace("_", " ")


def value_text(value: Any, key: str = "") -> str:
    """A detail value as text: labels for codes, Yes/No, localised numbers and dates, lists joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, int | float):
        return str(formats.localize(value, use_l10n=True))
    if isinstance(value, dict):
        return "; ".join(f"{key_label(k)}: {value_text(v, k)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        if len(value) == 2 and key in {"focused_intervention", "review"}:
            return f"{value_text(value[0], key)} → {value_text(value[1], key)}"
        return ", ".join(value_text(v, key) for v in value)
    text = str(value)
    if key in LAST_LINE_ONLY:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return lines[-1] if lines else "—"
    label = VALUE_LABELS.get(key, {}).get(text)
    if label is not None:
        return str(label)
    if _ISO_DATE.match(text):
        try:
            return str(formats.date_format(datetime.date.fromisoformat(text), "DATE_FORMAT"))
        except ValueError:
            return text
    if _ISO_DATETIME.match(text):
        moment = parse_datetime(text)
        if moment is not None:
            return str(formats.date_format(moment, "DATETIME_FORMAT"))
    return text


def readable(detail: Any) -> list[tuple[str, str]]:
    """(label, text) pairs for an entry's detail, in the order recorded; a bare value is one pair."""
    if not detail:
        return []
    if not isinstance(detail, dict):
        return [(str(_("Detail")), value_text(detail))]
    return [(key_label(key), value_text(value, key)) for key, value in detail.items()]
