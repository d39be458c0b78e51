"""Reads of identification proposals and decisions, each scoped through directory.access.

Who reads what is `Scope.identification_filter`: the ministry everything; a board's leaders
their board's rows; its trustees its confirmed rows; a school's staff its decided rows. The
figures in the reasons were taken through the disclosure gate when the proposal was made
(`selectors.province_identification`, `services_decisions._snapshot`), so a hidden figure
stays hidden here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.evidence.labels import assessment_name
from capacity.evidence.models import (
    IdentificationDecision,
    IdentificationProposal,
    ProposedChange,
    ProposedChangeKind,
)

Decided = ProposedChange.State
_DECIDED = (Decided.CONFIRMED.value, Decided.SET_ASIDE.value)


def _change_filter(user: Any, prefix: str = "") -> Q:
    return access.identification_filter(
        user,
        school=f"{prefix}school_id",
        board=f"{prefix}school__board_id",
        state=f"{prefix}state",
        confirmed=Decided.CONFIRMED.value,
        decided=_DECIDED,
    )


def changes_for(user: Any) -> QuerySet[ProposedChange]:
    """Every proposed change the person may read."""
    if not access.can_read_identification_decisions(user):
        return ProposedChange.objects.none()
    return ProposedChange.objects.filter(_change_filter(user))


def decisions_for(user: Any) -> QuerySet[IdentificationDecision]:
    """Every decision the person may read (a trustee: confirmed ones; school staff: their school's)."""
    if not access.can_read_identification_decisions(user):
        return IdentificationDecision.objects.none()
    return IdentificationDecision.objects.filter(
        access.identification_filter(
            user,
            school="school_id",
            board="school__board_id",
            state="outcome",
            confirmed=IdentificationDecision.Outcome.CONFIRMED.value,
            decided=tuple(IdentificationDecision.Outcome.values),
        )
    )


def proposals_for(user: Any) -> QuerySet[IdentificationProposal]:
    """Proposals with at least one row the person reads (every proposal for the ministry), newest
    first, each with counts of the rows the person reads: `n_rows`, `n_pending`, `n_confirmed`,
    `n_set_aside`."""
    if not access.can_read_identification_decisions(user):
        return IdentificationProposal.objects.none()
    seen = _change_filter(user, "changes__")
    rows = IdentificationProposal.objects.annotate(
        n_rows=Count("changes", filter=seen),
        n_pending=Count("changes", filter=seen & Q(changes__state=Decided.PENDING)),
        n_confirmed=Count("changes", filter=seen & Q(changes__state=Decided.CONFIRMED)),
        n_set_aside=Count("changes", filter=seen & Q(changes__state=Decided.SET_ASIDE)),
    ).select_related("created_by")
    if not access.can_decide_identification(user):
        rows = rows.filter(n_rows__gt=0)
    return rows.order_by("-created", "-id")


def get_proposal_for_user(user: Any, pk: int) -> tuple[IdentificationProposal, bool]:
    """The proposal and whether the person may decide on it; 404 unknown, 403 for someone who reads
    no decisions, or none of this proposal's rows."""
    proposal = get_object_or_404(IdentificationProposal, pk=pk)
    if not access.can_read_identification_decisions(user):
        raise PermissionDenied
    may_decide = access.can_decide_identification(user)
    if not may_decide and not changes_for(user).filter(proposal=proposal).exists():
        raise PermissionDenied
    return proposal, may_decide and proposal.state == IdentificationProposal.State.OPEN


def get_change_for_user(user: Any, pk: int) -> ProposedChange:
    """A proposed change the person reads (404 otherwise: its existence is not theirs to know)."""
    return get_object_or_404(changes_for(user).select_related("proposal", "school__board"), pk=pk)


# --- a proposal's rows, in words ------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    item: ProposedChange
    reasons: list[str]
    history: list[IdentificationDecision]
    earlier: IdentificationDecision | None


@dataclass(frozen=True)
class ChangeGroup:
    change: str
    title: str
    rows: list[ChangeRow]

    @property
    def pending(self) -> list[ProposedChange]:
        return [r.item for r in self.rows if r.item.state == Decided.PENDING]


def _pct(value: Any) -> str:
    if value is None:
        return _("hidden (small group)")
    return _("%(pct)s%%") % {"pct": f"{float(value):g}"}


STATUS_WORDS = {
    "identified": _("identified"),
    "not_identified": _("not identified"),
    "insufficient_data": _("insufficient data"),
    "sustaining": _("sustaining (left identification)"),
    "static": _("static (no improvement)"),
}


def status_word(code: str) -> str:
    return str(STATUS_WORDS.get(code, code.replace("_", " "))) if code else _("not evaluated")


def reasons_in_words(item: ProposedChange) -> list[str]:
    """The engine's reasons for one proposed change, as sentences (no codes)."""
    snap = item.reasons or {}
    threshold = snap.get("threshold")
    words: list[str] = []
    for c in snap.get("changes", []):
        params = {
            "assessment": assessment_name(c["assessment"]),
            "before": _pct(c.get("before_pct")),
            "before_year": c.get("before_year") or "—",
            "now": _pct(c.get("now_pct")),
            "now_year": c.get("now_year") or "—",
        }
        if c.get("direction") == "below":
            words.append(
                _(
                    "%(assessment)s moved below the threshold: %(before)s in %(before_year)s, "
                    "%(now)s in %(now_year)s."
                )
                % params
            )
        elif c.get("above_margin"):
            words.append(
                _(
                    "%(assessment)s moved above the threshold and its margin: %(before)s in "
                    "%(before_year)s, %(now)s in %(now_year)s."
                )
                % params
            )
        else:
            words.append(
                _(
                    "%(assessment)s moved above the threshold: %(before)s in %(before_year)s, "
                    "%(now)s in %(now_year)s."
                )
                % params
            )
    if item.change != ProposedChangeKind.LEAVES:
        for r in snap.get("reasons", []):
            words.append(
                _("%(assessment)s in %(year)s: %(pct)s at or above the standard%(below)s.")
                % {
                    "assessment": assessment_name(r["assessment"]),
                    "year": r["school_year"],
                    "pct": _pct(r.get("pct_at_standard")),
                    "below": (
                        _(", below the threshold of %(threshold)s%%")
                        % {"threshold": f"{float(threshold):g}"}
                        if threshold is not None
                        else ""
                    ),
                }
            )
        if snap.get("held"):
            words.append(
                _(
                    "The school no longer meets the entry rule, but has not yet cleared the exit "
                    "rule's margin for long enough: it stays identified."
                )
            )
    else:
        words.append(
            _("Now %(status)s under the policy (before: %(before)s).")
            % {"status": status_word(item.status), "before": status_word(item.status_before)}
        )
        if snap.get("sustaining_until"):
            words.append(
                _("Sustaining until %(year)s: the school is followed without a focused plan.")
                % {"year": snap["sustaining_until"]}
            )
    return words


_GROUP_TITLES: dict[str, Any] = {
    ProposedChangeKind.ENTERS: _("Schools proposed to enter focused intervention"),
    ProposedChangeKind.STAYS: _("Schools proposed to stay in focused intervention"),
    ProposedChangeKind.LEAVES: _("Schools proposed to leave focused intervention"),
}


def proposal_groups(
    user: Any, proposal: IdentificationProposal, *, only: int | None = None
) -> list[ChangeGroup]:
    """The proposal's rows the person reads (or the one row `only`), grouped by change (enters,
    stays, leaves), each with its reasons in words and the decisions on it (newest first).
    Three queries, however many rows."""
    rows_read = changes_for(user).filter(proposal=proposal)
    if only is not None:
        rows_read = rows_read.filter(pk=only)
    items = list(
        rows_read.select_related("school__board", "earlier").order_by(
            "school__name", "school__number"
        )
    )
    history: dict[int, list[IdentificationDecision]] = {}
    for d in decisions_for(user).filter(item__in=items).order_by("-decided_at", "-id"):
        history.setdefault(d.item_id, []).append(d)
    earlier_ids = [i.earlier_id for i in items if i.earlier_id is not None]
    readable = (
        set(decisions_for(user).filter(pk__in=earlier_ids).values_list("pk", flat=True))
        if earlier_ids
        else set()
    )
    groups = []
    for kind in ProposedChangeKind.values:
        rows = [
            ChangeRow(
                item=i,
                reasons=reasons_in_words(i),
                history=history.get(i.pk, []),
                earlier=i.earlier if i.earlier_id in readable else None,
            )
            for i in items
            if i.change == kind
        ]
        groups.append(ChangeGroup(change=kind, title=str(_GROUP_TITLES[kind]), rows=rows))
    return groups


def school_history(user: Any, school: Any) -> list[IdentificationDecision]:
    """Every decision on the school the person may read, newest first (the school's page)."""
    return list(
        decisions_for(user)
        .filter(school=school)
        .select_related("item__proposal")
        .order_by("-decided_at", "-id")
    )


def waiting_count(user: Any) -> int:
    """Changes waiting for a decision in open proposals: the ministry's home item."""
    if not access.can_decide_identification(user):
        return 0
    return ProposedChange.objects.filter(
        state=Decided.PENDING, proposal__state=IdentificationProposal.State.OPEN
    ).count()


def open_proposals_waiting() -> list[IdentificationProposal]:
    return list(
        IdentificationProposal.objects.filter(state=IdentificationProposal.State.OPEN)
        .annotate(n_pending=Count("changes", filter=Q(changes__state=Decided.PENDING)))
        .filter(n_pending__gt=0)
        .order_by("-created")
    )


# --- the CSV export --------------------------------------------------------------------------

EXPORT_HEADER = (
    "school_number",
    "school_name",
    "board_name",
    "change",
    "status",
    "status_before",
    "category",
    "decision",
    "decided_by",
    "decided_at",
    "reason",
    "why",
)


def export_rows(user: Any, proposal: IdentificationProposal) -> list[list[Any]]:
    """One row per change the person reads, in words (the CSV of a proposal)."""
    rows: list[list[Any]] = []
    for group in proposal_groups(user, proposal):
        for row in group.rows:
            last = row.history[0] if row.history else None
            rows.append(
                [
                    row.item.school.number,
                    row.item.school.name,
                    row.item.school.board.name,
                    row.item.get_change_display(),
                    status_word(row.item.status),
                    status_word(row.item.status_before),
                    row.item.category,
                    row.item.get_state_display(),
                    last.decided_by_name if last else "",
                    last.decided_at.isoformat(timespec="minutes") if last else "",
                    last.reason if last else "",
                    " ".join(row.reasons),
                ]
            )
    return rows
