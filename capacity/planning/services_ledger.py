"""Writes of the reciprocity ledger (seed 004): capacity given, whether it helped, escalation.

"For each unit of performance I demand of you, I have an equal responsibility to provide you
with a unit of capacity" (Elmore). A board's leaders record what the board gives its schools,
the ministry what it gives any school or board; the team that received it says whether it
helped; a school's request the board cannot meet goes on to the ministry, with the board's
reason. Who may do each is decided in `directory.access` (the ledger's rules).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.directory import access
from capacity.directory.models import Board, School
from capacity.planning import notices_ledger
from capacity.planning.models import CapacityGift, SupportRequest


class StaleGift(Exception):
    """Someone else answered "did it help?" since the person read the entry."""

    def __init__(self, gift: CapacityGift, seen: int) -> None:
        super().__init__(
            _(
                "Someone else answered for this entry since you read it (version %(now)s; you "
                "started from version %(seen)s). Read their answer, then change it if you need to."
            )
            % {"now": gift.version, "seen": seen}
        )
        self.gift = gift
        self.seen = seen


@transaction.atomic
def capacity_give(
    *,
    user: Any,
    kind: str,
    amount: Decimal,
    given_on: datetime.date,
    school: School | None = None,
    board: Board | None = None,
    request: SupportRequest | None = None,
    note: str = "",
) -> CapacityGift:
    """Record capacity given to a school (by its board or the ministry) or to a board (by the
    ministry), offered first or in answer to `request`. The giver is the recorder's side: the
    ministry for a ministry officer, the board otherwise."""
    if school is not None:
        board = school.board
    if board is None:
        raise ValueError("Capacity is given to a school or a board.")
    if not access.can_give_capacity(user, board=board, school=school):
        raise PermissionDenied
    ministry = access.scope_for(user).ministry
    if request is not None:
        if request.board_id != board.pk or request.school_id != (school.pk if school else None):
            raise ValidationError(
                {"request": _("The request was made by another school or board.")}
            )
        if not ministry and request.to_ministry:
            raise ValidationError(
                {"request": _("This request is the ministry's to answer: it was sent on to it.")}
            )
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("Record capacity once it is given, not before.")})
    gift = CapacityGift(
        board=board,
        school=school,
        given_by=CapacityGift.Giver.MINISTRY if ministry else CapacityGift.Giver.BOARD,
        kind=kind,
        amount=amount,
        given_on=given_on,
        request=request,
        note=note.strip(),
        recorded_by=user,
    )
    gift.full_clean()
    gift.save()
    audit_record(
        action=Action.CAPACITY_GIVEN,
        actor=user,
        target=school.name if school is not None else board.name,
        detail={
            "board": board.number,
            "school": school.number if school is not None else None,
            "given_by": gift.given_by,
            "capacity": gift.kind,
            "amount": f"{gift.amount:.2f}",
            "given_on": gift.given_on.isoformat(),
            "request": request.pk if request is not None else None,
        },
    )
    notices_ledger.capacity_given(gift=gift, by=user)
    return gift


@transaction.atomic
def capacity_say_helped(
    *, user: Any, gift: CapacityGift, helped: str, comment: str = "", seen: int
) -> CapacityGift:
    """The receiving team says whether the capacity helped. One answer per entry, changeable;
    `seen` is the version the person read, so a second person's answer never silently replaces
    the first's (`StaleGift`)."""
    if not access.can_say_helped(user, gift):
        raise PermissionDenied
    if helped not in CapacityGift.Helped.values:
        raise ValidationError({"helped": _("Say whether it helped.")})
    if helped in (CapacityGift.Helped.PARTLY, CapacityGift.Helped.DID_NOT_HELP) and not (
        comment.strip()
    ):
        raise ValidationError(
            {"comment": _("Say what was missing, so the next capacity given fits better.")}
        )
    now = timezone.now()
    changed = CapacityGift.objects.filter(pk=gift.pk, version=seen).update(
        helped=helped,
        helped_comment=comment.strip(),
        helped_by=user,
        helped_at=now,
        version=F("version") + 1,
    )
    gift.refresh_from_db()
    if not changed:
        raise StaleGift(gift, seen)
    notices_ledger.capacity_helped(gift=gift, by=user)
    return gift


@transaction.atomic
def support_escalate(*, user: Any, request: SupportRequest, reason: str) -> SupportRequest:
    """A board's leaders send a school's request they cannot meet on to the ministry, saying why.
    The request is then the ministry's to answer (addressed to it), and keeps when and why it
    was sent on."""
    if not access.can_escalate_support(user, request):
        raise PermissionDenied
    if request.status != SupportRequest.Status.OPEN:
        raise ValidationError(
            _("Only an open request can be sent on to the ministry: this one was answered.")
        )
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the board cannot meet this request, so the ministry can.")}
        )
    request.to_ministry = True
    request.escalated_at = timezone.now()
    request.escalated_by = user
    request.escalation_reason = reason.strip()
    request.full_clean()
    request.save(update_fields=["to_ministry", "escalated_at", "escalated_by", "escalation_reason"])
    audit_record(
        action=Action.SUPPORT_ESCALATED,
        actor=user,
        target=request.school.name if request.school is not None else request.board.name,
        detail={
            "request": request.pk,
            "board": request.board.number,
            "school": request.school.number if request.school is not None else None,
            "reason": request.escalation_reason[:300],
        },
    )
    notices_ledger.support_escalated(request=request, by=user)
    return request
