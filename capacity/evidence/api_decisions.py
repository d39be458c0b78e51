"""API for identification proposals a ministry officer confirms or sets aside.

GET /api/evidence/decisions (the proposals the caller reads), GET .../{id} (one, with the rows
the caller reads), POST .../changes/{id}/decision (a ministry officer's decision: 409 when the
change was decided since `version`, 400 when refused, 403 for anyone else).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from capacity.api_common import PLAIN_TEXT, Paging, answers, id_in_path
from capacity.directory import access
from capacity.evidence import selectors_decisions as chosen
from capacity.evidence import services_decisions as services
from capacity.evidence.models import IdentificationDecision

router = Router(tags=["evidence"])


class ProposalOut(Schema):
    id: int
    policy: str
    policy_title: str
    school_year: str
    compared_with: str
    source: str
    state: str
    created: datetime.datetime
    pending: int
    confirmed: int
    set_aside: int


def _proposal(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "policy": p.policy_label,
        "policy_title": p.policy_title,
        "school_year": p.school_year,
        "compared_with": p.compared_with,
        "source": p.source,
        "state": p.state,
        "created": p.created,
        "pending": getattr(p, "n_pending", 0),
        "confirmed": getattr(p, "n_confirmed", 0),
        "set_aside": getattr(p, "n_set_aside", 0),
    }


class DecisionOut(Schema):
    outcome: str
    reason: str
    decided_by: str
    decided_at: datetime.datetime


class ChangeOut(Schema):
    id: int
    school_number: str
    school_name: str
    board_number: str
    change: str = Field(description="enters, stays or leaves")
    status: str
    status_before: str
    category: str
    state: str = Field(description="pending, confirmed or set_aside")
    version: int = Field(description="Name it when deciding; 409 when it moved on")
    reasons: list[str] = Field(description="The engine's reasons in words")
    reasons_data: dict[str, Any] = Field(description="The engine's reasons as snapshotted")
    decisions: list[DecisionOut]


class ProposalDetailOut(ProposalOut):
    changes: list[ChangeOut]


def _decision(d: IdentificationDecision) -> dict[str, Any]:
    return {
        "outcome": d.outcome,
        "reason": d.reason,
        "decided_by": d.decided_by_name,
        "decided_at": d.decided_at,
    }


@router.get(
    "/evidence/decisions",
    response=answers(list[ProposalOut], 403),
    url_name="api_decisions_proposals",
    summary="Identification proposals the caller reads, newest first",
)
@paginate(Paging)
def list_proposals(request: HttpRequest) -> list[dict[str, Any]]:
    if not access.can_read_identification_decisions(request.user):
        raise PermissionError("You may not read identification decisions.")
    return [_proposal(p) for p in chosen.proposals_for(request.user)]


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    try:
        proposal, _may_decide = chosen.get_proposal_for_user(request.user, pk)
    except PermissionDenied as exc:
        raise PermissionError(str(exc)) from exc
    counted = chosen.proposals_for(request.user).get(pk=proposal.pk)
    rows = [r for g in chosen.proposal_groups(request.user, proposal) for r in g.rows]
    return {
        **_proposal(counted),
        "changes": [
            {
                "id": r.item.pk,
                "school_number": r.item.school.number,
                "school_name": r.item.school.name,
                "board_number": r.item.school.board.number,
                "change": r.item.change,
                "status": r.item.status,
                "status_before": r.item.status_before,
                "category": r.item.category,
                "state": r.item.state,
                "version": r.item.version,
                "reasons": r.reasons,
                "reasons_data": r.item.reasons,
                "decisions": [_decision(d) for d in r.history],
            }
            for r in rows
        ],
    }


@router.get(
    "/evidence/decisions/{int:proposal_id}",
    response=answers(ProposalDetailOut, 403, 404),
    url_name="api_decisions_proposal",
    summary="One identification proposal with the rows the caller reads",
)
def get_proposal(
    request: HttpRequest, proposal_id: int = id_in_path("The proposal's id")
) -> dict[str, Any]:
    return _detail(request, proposal_id)


class IdentificationDecisionIn(Schema):
    outcome: IdentificationDecision.Outcome
    version: int = Field(ge=1, le=2**31 - 1, description="The change's version the caller read")
    reason: str = Field(
        "", max_length=2000, pattern=PLAIN_TEXT, description="Required to set aside"
    )


@router.post(
    "/evidence/decisions/changes/{int:change_id}/decision",
    response=answers(ChangeOut, 400, 403, 404, 409),
    url_name="api_decisions_decide",
    summary="Confirm a proposed change or set it aside (ministry officers)",
    description="409 when the change was decided since `version`; 400 when refused.",
)
def decide(
    request: HttpRequest,
    body: IdentificationDecisionIn,
    change_id: int = id_in_path("The change's id"),
) -> Any:
    if not access.can_decide_identification(request.user):
        raise PermissionError("Only ministry officers decide identification.")
    item = chosen.get_change_for_user(request.user, change_id)
    try:
        services.decision_record(
            item=item,
            user=request.user,
            outcome=body.outcome,
            seen=body.version,
            reason=body.reason,
        )
    except services.DecisionConflict as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        return Status(400, {"detail": " ".join(exc.messages), "errors": errors})
    detail = _detail(request, item.proposal_id)
    return next(c for c in detail["changes"] if c["id"] == item.pk)
