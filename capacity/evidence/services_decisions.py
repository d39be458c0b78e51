"""Identification proposes, people decide: every write to proposals and decisions (issue 13).

An import (or a ministry officer, or `capacity identify --propose`) makes a proposal:
each school's proposed change for a policy and school year (enters, stays, leaves), with
the engine's reasons snapshotted. A ministry officer confirms each change, or sets it
aside with a reason. Only a confirmed entry opens (or keeps) a focused-intervention
plan and only a confirmed exit ends one: the service sends `identification_decided`
inside its transaction and planning, which evidence may not import, opens or ends the
plans in the same transaction, so a decision and its plan stand or fall together.

Decisions are rows that are never changed or deleted. A proposed change carries a
version that goes up with each decision; a decision names the version its officer saw,
so when two officers decide the same school at once the second is refused with who
decided what, instead of deciding twice.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.directory import access
from capacity.directory.models import School
from capacity.evidence import notices_decisions as notices
from capacity.evidence import selectors
from capacity.evidence.analytics.policy import Policy
from capacity.evidence.models import (
    IdentificationDecision,
    IdentificationProposal,
    ProposedChange,
    ProposedChangeKind,
    Result,
)
from capacity.evidence.privacy import suppress_results
from capacity.evidence.signals import identification_decided
from capacity.schoolyears import year_start_of

logger = logging.getLogger(__name__)

IDENTIFIED = "identified"
# Statuses in which an identified school has left (the engine's LEFT_STATUSES; `sustaining` and
# `static` are not identified and keep no plan). Insufficient data neither enters nor leaves.
LEFT = ("not_identified", "sustaining", "static")

Decided = ProposedChange.State


class DecisionConflict(ValidationError):
    """Someone decided the change after the officer read it: nothing was written."""


# --- proposals -----------------------------------------------------------------------------


def _previous_statuses(policy: Policy, school_year: str, found: Any) -> tuple[str, dict[str, str]]:
    """The year the proposal compares with and each school's status then.

    The engine gives `previous_status` on each row (iface-ident); an older engine does not,
    and then the nearest earlier year with results is identified the same way.
    """
    years = [y for y in selectors.result_years() if year_start_of(y) < year_start_of(school_year)]
    compared = max(years, key=year_start_of) if years else ""
    rows = found.schools
    if rows and hasattr(rows[0], "previous_status"):
        given = {s.school_number: s.previous_status or "" for s in rows}
        year = next((s.previous_year for s in rows if getattr(s, "previous_year", None)), compared)
        return year or "", given
    if not compared:
        return "", {}
    before = selectors.province_identification(policy, compared)
    return compared, {s.school_number: s.status for s in before.schools}


def _in_focus(before: str) -> set[int]:
    """Schools whose latest confirmed decision for a year before `before` keeps them under focused
    intervention (decisions for the year itself are shown beside the new rows, not counted here)."""
    latest: dict[int, tuple[tuple[int, Any, int], str]] = {}
    confirmed = IdentificationDecision.objects.filter(
        outcome=IdentificationDecision.Outcome.CONFIRMED
    ).values_list("school_id", "school_year", "decided_at", "id", "change")
    for school_id, year, at, pk, change in confirmed:
        start = year_start_of(year)
        if start >= year_start_of(before):
            continue
        key = (start, at, pk)
        if school_id not in latest or key > latest[school_id][0]:
            latest[school_id] = (key, change)
    return {
        school_id
        for school_id, row in latest.items()
        if row[1] in (ProposedChangeKind.ENTERS, ProposedChangeKind.STAYS)
    }


def _hidden(cells: set[tuple[str, str, str]], group: str) -> set[tuple[str, str, str]]:
    """The (school, year, assessment) cells the disclosure gate hides, for the changes' figures."""
    if not cells:
        return set()
    rows = Result.objects.filter(
        school__number__in={c[0] for c in cells},
        school_year__in={c[1] for c in cells},
        assessment__code__in={c[2] for c in cells},
    )
    return {
        (r["school_number"], r["school_year"], r["assessment"])
        for r in suppress_results(rows)
        if r["group"] == group and r["suppressed"]
    } & cells


def _snapshot(status: Any, policy: Policy, hidden: set[tuple[str, str, str]]) -> dict[str, Any]:
    """What the engine said about one school, kept as it was (figures already through the gate)."""
    number = status.school_number
    changes = []
    for c in getattr(status, "changes", ()) or ():
        changes.append(
            {
                "assessment": c.assessment,
                "before_year": c.before_year,
                "before_pct": None
                if (number, c.before_year, c.assessment) in hidden
                else c.before_pct,
                "now_year": c.now_year,
                "now_pct": None if (number, c.now_year, c.assessment) in hidden else c.now_pct,
                "direction": c.direction,
                "above_margin": bool(getattr(c, "above_margin", False)),
            }
        )
    trend = getattr(status, "trend", None)
    return {
        "threshold": policy.threshold,
        "reasons": [r.to_json() for r in status.reasons],
        "years_meeting": list(status.years_meeting),
        "missing": list(status.missing),
        "changes": changes,
        "held": bool(getattr(status, "held", False)),
        "clear_years": list(getattr(status, "clear_years", ()) or ()),
        "left_in": getattr(status, "left_in", None),
        "sustaining_until": getattr(status, "sustaining_until", None),
        "trend": trend.to_json() if trend is not None and hasattr(trend, "to_json") else None,
    }


def _proposed(
    found: Any, previous: dict[str, str], focus: set[int], schools: dict[str, School]
) -> Iterator[tuple[School, str, Any]]:
    """(school, change, status row) for every school whose standing a person must decide."""
    for status in found.schools:
        school = schools.get(status.school_number)
        if school is None:
            continue
        was = previous.get(status.school_number, "") == IDENTIFIED or school.pk in focus
        if status.status == IDENTIFIED:
            yield school, ProposedChangeKind.STAYS if was else ProposedChangeKind.ENTERS, status
        elif status.status in LEFT and was:
            yield school, ProposedChangeKind.LEAVES, status


def _canonical(reasons: Any) -> str:
    """The reasons as JSON with sorted keys: PostgreSQL's jsonb gives stored keys back in its own
    order, so comparing Python reprs called every proposal new there."""
    return json.dumps(reasons, sort_keys=True, default=str)


def _same_as(open_proposal: IdentificationProposal, rows: list[ProposedChange]) -> bool:
    held = {
        (c.school_id, c.change, c.status, c.category, _canonical(c.reasons))
        for c in open_proposal.changes.all()
    }
    return held == {
        (c.school_id, c.change, c.status, c.category, _canonical(c.reasons)) for c in rows
    }


def proposal_make(
    *,
    policy: Policy,
    school_year: str,
    source: str,
    user: Any = None,
    actor_label: str = "",
) -> IdentificationProposal:
    """Propose each school's change for `policy` and `school_year`, for a ministry officer to decide.

    A newer proposal replaces the open one for the same policy and year; earlier decisions
    on the same school and year are shown beside the new rows, and one on the same change
    carries over (nobody decides the same thing twice). When nothing changed since the open
    proposal, that proposal is returned as it is.

    The province's identification is computed before the transaction that writes the
    proposal opens: on SQLite a transaction holds the database's one write lock from its
    start, so seconds of computing inside it (minutes on a busy province) made every other
    write wait, and fail with "database is locked" after the busy timeout (found by
    benchmarks/soak.py: a plan saved while an import's proposal was being made).
    """
    if user is not None and not access.can_decide_identification(user):
        raise PermissionDenied
    if source not in IdentificationProposal.Source.values:
        raise ValueError(f"Unknown proposal source {source!r}")
    found = selectors.province_identification(policy, school_year)
    compared, previous = _previous_statuses(policy, school_year, found)
    schools = {s.number: s for s in School.objects.select_related("board")}
    focus = _in_focus(school_year)
    proposed = list(_proposed(found, previous, focus, schools))
    cells = {
        (s.school_number, year, c.assessment)
        for _school, _change, s in proposed
        for c in getattr(s, "changes", ()) or ()
        for year in (c.before_year, c.now_year)
    }
    hidden = _hidden(cells, policy.group)
    with transaction.atomic():
        return _proposal_write(
            policy=policy,
            school_year=school_year,
            source=source,
            user=user,
            actor_label=actor_label,
            compared=compared,
            previous=previous,
            proposed=proposed,
            hidden=hidden,
        )


def _proposal_write(
    *,
    policy: Policy,
    school_year: str,
    source: str,
    user: Any,
    actor_label: str,
    compared: str,
    previous: dict[str, str],
    proposed: list[tuple[School, str, Any]],
    hidden: set[tuple[str, str, str]],
) -> IdentificationProposal:
    """The writing half of `proposal_make`, in its transaction: the earlier decisions are read
    here, so one made while the identification was computed still carries over."""
    earlier = _earlier_decisions(school_year, [school.pk for school, _c, _s in proposed])
    rows = []
    for school, change, status in proposed:
        before = earlier.get(school.pk)
        carried = before is not None and before.change == change
        rows.append(
            ProposedChange(
                school=school,
                change=change,
                status=status.status,
                status_before=previous.get(status.school_number, "") or "",
                category=status.category or "",
                reasons=_snapshot(status, policy, hidden),
                state=before.outcome if carried and before is not None else Decided.PENDING,
                earlier=before,
            )
        )

    current = (
        IdentificationProposal.objects.select_for_update()
        .filter(policy_name=policy.name, school_year=school_year, state="open")
        .first()
    )
    if current is not None and current.policy_version == policy.version and _same_as(current, rows):
        return current
    if current is not None:
        current.state = IdentificationProposal.State.REPLACED
        current.save(update_fields=["state"])
    proposal = IdentificationProposal(
        policy_name=policy.name,
        policy_version=policy.version,
        policy_title=policy.title[:200],
        school_year=school_year,
        compared_with=compared,
        source=source,
        created_by=user,
    )
    proposal.full_clean()
    proposal.save()
    for row in rows:
        row.proposal = proposal
    ProposedChange.objects.bulk_create(rows)
    if current is not None:
        current.replaced_by = proposal
        current.save(update_fields=["replaced_by"])
    counts = {kind: sum(1 for r in rows if r.change == kind) for kind in ProposedChangeKind.values}
    audit_record(
        action=Action.IDENTIFICATION_PROPOSED,
        actor=user,
        actor_label=actor_label or ("" if user is not None else "capacity"),
        target=str(proposal),
        detail={
            "proposal": proposal.pk,
            "policy": proposal.policy_label,
            "school_year": school_year,
            **counts,
        },
    )
    waiting = sum(1 for r in rows if r.state == Decided.PENDING)
    notices.proposal_made(proposal=proposal, waiting=waiting, by=user)
    return proposal


def _earlier_decisions(
    school_year: str, school_ids: list[int]
) -> dict[int, IdentificationDecision]:
    """The latest decision on each school for `school_year`, from any earlier proposal."""
    found: dict[int, IdentificationDecision] = {}
    rows = IdentificationDecision.objects.filter(
        school_year=school_year, school_id__in=school_ids
    ).order_by("decided_at", "id")
    for decision in rows:
        found[decision.school_id] = decision
    return found


def proposal_from_results(*, actor_label: str = "results import") -> IdentificationProposal | None:
    """The default policy's proposal for the latest year with results (after an import)."""
    policy = selectors.get_policy()
    year = selectors.default_year(policy)
    if year is None:
        return None
    return proposal_make(
        policy=policy,
        school_year=year,
        source=IdentificationProposal.Source.IMPORT,
        actor_label=actor_label,
    )


def on_results_changed(sender: Any, **kwargs: Any) -> None:
    """After an import has committed: a failure is logged, never raised (the import stands)."""
    try:
        proposal_from_results()
    except Exception:  # noqa: BLE001 - a proposal can be made again from the proposals page
        logger.exception("Could not make an identification proposal after a results import")


# --- decisions -----------------------------------------------------------------------------


def _refuse_if_stale(item: ProposedChange, seen: int) -> None:
    if item.version == seen:
        return
    last = item.decisions.order_by("-decided_at", "-id").first()
    if last is None:
        raise DecisionConflict(
            _("%(school)s changed while you were reading it. Read it again before deciding.")
            % {"school": item.school.name}
        )
    raise DecisionConflict(
        _(
            "%(person)s already decided %(school)s (%(outcome)s) while you were reading it. "
            "Nothing was changed; read their decision before deciding again."
        )
        % {
            "person": last.decided_by_name or _("someone"),
            "school": item.school.name,
            "outcome": last.get_outcome_display(),
        }
    )


def _refusal(item: ProposedChange, outcome: str) -> str:
    """Why this decision may not be made now, or ''."""
    if item.proposal.state != IdentificationProposal.State.OPEN:
        return _("A newer proposal replaced this one: decide on the newest proposal for this year.")
    if item.state == Decided.CONFIRMED:
        return _("This change is already confirmed; a confirmation is final for the year.")
    if item.state == Decided.SET_ASIDE and outcome == IdentificationDecision.Outcome.SET_ASIDE:
        return _("This change is already set aside.")
    return ""


def _decide(
    item: ProposedChange, *, user: Any, outcome: str, reason: str
) -> IdentificationDecision:
    decision = IdentificationDecision(
        item=item,
        school=item.school,
        school_year=item.proposal.school_year,
        policy_label=item.proposal.policy_label,
        change=item.change,
        outcome=outcome,
        reason=reason.strip(),
        decided_by=user,
        decided_by_name=str(user)[:200],
    )
    decision.full_clean()
    decision.save()
    item.state = outcome
    item.version += 1
    item.save(update_fields=["state", "version"])
    audit_record(
        action=Action.IDENTIFICATION_DECIDED,
        actor=user,
        target=f"{item.proposal} {item.school.number}",
        detail={
            "proposal": item.proposal_id,
            "school": item.school.number,
            "school_year": item.proposal.school_year,
            "policy": item.proposal.policy_label,
            "change": item.change,
            "decision": outcome,
            "reason": decision.reason,
        },
    )
    return decision


def _plans_follow(decisions: list[IdentificationDecision], user: Any) -> None:
    """Tell planning which plans open (or stay) and which end: in this transaction."""
    confirmed = [d for d in decisions if d.outcome == IdentificationDecision.Outcome.CONFIRMED]
    if not confirmed:
        return
    by_year: dict[tuple[str, str], list[IdentificationDecision]] = {}
    for d in confirmed:
        by_year.setdefault((d.school_year, d.policy_label), []).append(d)
    for (year, policy), group in by_year.items():
        opened = [
            {"school_number": d.school.number, "reasons": d.item.reasons.get("reasons", [])}
            for d in group
            if d.change != ProposedChangeKind.LEAVES
        ]
        ended = [d.school.number for d in group if d.change == ProposedChangeKind.LEAVES]
        identification_decided.send(
            sender=IdentificationDecision,
            school_year=year,
            policy=policy,
            opened=opened,
            ended=ended,
            actor_label=str(user),
        )
    notices.plans_follow(decisions=confirmed, by=user)


@transaction.atomic
def decision_record(
    *, item: ProposedChange, user: Any, outcome: str, seen: int, reason: str = ""
) -> IdentificationDecision:
    """A ministry officer confirms one school's proposed change, or sets it aside saying why.

    `seen` is the change's version the officer read; a newer one means someone decided in
    between, and nothing is written (DecisionConflict). A set-aside change may later be
    confirmed; a confirmation is final for the proposal.
    """
    if not access.can_decide_identification(user):
        raise PermissionDenied
    if outcome not in IdentificationDecision.Outcome.values:
        raise ValidationError({"outcome": _("Confirm the change or set it aside.")})
    item = (
        ProposedChange.objects.select_for_update()
        .select_related("proposal", "school__board")
        .get(pk=item.pk)
    )
    _refuse_if_stale(item, seen)
    refusal = _refusal(item, outcome)
    if refusal:
        raise ValidationError(refusal)
    if outcome == IdentificationDecision.Outcome.SET_ASIDE and not reason.strip():
        raise ValidationError({"reason": _("Say why the change is set aside.")})
    decision = _decide(item, user=user, outcome=outcome, reason=reason)
    _plans_follow([decision], user)
    return decision


@transaction.atomic
def decisions_confirm_all(
    *, proposal: IdentificationProposal, user: Any, seen: dict[int, int]
) -> list[IdentificationDecision]:
    """Confirm every listed change at once: `seen` maps each change's id to the version read.

    All or nothing: when any of them was decided in between, nothing is confirmed and the
    message names the schools to read again.
    """
    if not access.can_decide_identification(user):
        raise PermissionDenied
    if proposal.state != IdentificationProposal.State.OPEN:
        raise ValidationError(
            _("A newer proposal replaced this one: decide on the newest proposal for this year.")
        )
    items = list(
        ProposedChange.objects.select_for_update()
        .select_related("proposal", "school__board")
        .filter(proposal=proposal, pk__in=list(seen))
        .order_by("school__number")
    )
    if len(items) != len(seen):
        raise ValidationError(_("Some of the listed changes are not in this proposal."))
    stale = [i for i in items if i.version != seen[i.pk] or i.state == Decided.CONFIRMED]
    if stale:
        raise DecisionConflict(
            _(
                "Someone decided %(schools)s while you were reading. Nothing was confirmed; read "
                "the proposal again."
            )
            % {"schools": ", ".join(i.school.name for i in stale)}
        )
    decisions = [
        _decide(item, user=user, outcome=IdentificationDecision.Outcome.CONFIRMED, reason="")
        for item in items
    ]
    _plans_follow(decisions, user)
    return decisions


def pending_versions(items: Iterable[ProposedChange]) -> dict[int, int]:
    """The `seen` map for `decisions_confirm_all` from the rows a page showed."""
    return {item.pk: item.version for item in items}
