"""The ledger's messages (see capacity/planning/notices.py for how messages work). Who hears:

* capacity given: the team that received it (the school's principal and school team; a
  board's leaders for what the ministry gave the board), who are asked whether it helped;
* "did it help?" answered: the person who recorded the capacity;
* a request sent on to the ministry: every ministry officer, and the school's team.

The person who acted is never told of their own act.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.notifications import kinds
from capacity.notifications.services import notify
from capacity.planning.models import CapacityGift, SupportRequest
from capacity.planning.units_ledger import amount_text


def _helped(code: str) -> str:
    return str(CapacityGift.Helped(code).label) if code in CapacityGift.Helped.values else code


def register_kinds() -> None:
    """Give the ledger's kinds their wording, name its audit detail codes, and make the pages'
    version follow the ledger's tables (home items are kept under it). Called from
    PlanningConfig.ready."""
    from capacity.audit.details import register_values
    from capacity.planning.following import follow

    register_values("capacity", CapacityGift.Kind.choices)
    register_values("given_by", CapacityGift.Giver.choices)
    follow(
        counted=(CapacityGift,),
        latest=((CapacityGift, "helped_at"), (SupportRequest, "escalated_at")),
    )
    kinds.register(
        "capacity_given",
        subject=lambda p: _("Capacity given to %(owner)s: did it help?") % p,
        body=lambda p: (
            _("%(by)s recorded %(amount)s given on %(date)s.")
            % {
                **p,
                "amount": amount_text(p["kind"], p["amount"]),
                "date": kinds.date(p["given_on"]),
            }
            + " "
            + _("Say whether it helped, so the next capacity given fits what you need.")
        ),
    )
    kinds.register(
        "capacity_helped",
        subject=lambda p: _("%(owner)s said whether the capacity helped") % p,
        body=lambda p: (
            _("%(by)s answered “%(helped)s” for %(amount)s given on %(date)s.")
            % {
                **p,
                "helped": _helped(p["helped"]),
                "amount": amount_text(p["kind"], p["amount"]),
                "date": kinds.date(p["given_on"]),
            }
            + ("\n" + p["comment"] if p.get("comment") else "")
        ),
    )
    kinds.register(
        "support_escalated",
        subject=lambda p: _("The request of %(owner)s was sent on to the ministry") % p,
        body=lambda p: (
            _("%(by)s says the board cannot meet this request:") % p + "\n" + p["reason"]
        ),
    )


def _after_commit(recipients: Any, by: Any, **message: Any) -> None:
    transaction.on_commit(
        lambda: notify(recipients=recipients(), exclude=by, **message), robust=True
    )


def _owner(school: Any, board: Any) -> str:
    return school.name if school is not None else board.name


def _receivers(gift: CapacityGift) -> list[Any]:
    if gift.school_id is not None:
        return access.school_team_people([gift.school_id]).get(gift.school_id, [])
    return access.board_leader_people([gift.board_id]).get(gift.board_id, [])


def _params(gift: CapacityGift, by: Any) -> dict[str, Any]:
    return {
        "owner": _owner(gift.school, gift.board),
        "gift_id": gift.pk,
        "by": str(by),
        "kind": gift.kind,
        "amount": f"{gift.amount.normalize():f}",
        "given_on": gift.given_on.isoformat(),
    }


def capacity_given(*, gift: CapacityGift, by: Any) -> None:
    _after_commit(
        lambda: _receivers(gift),
        by,
        kind="capacity_given",
        params=_params(gift, by),
        url=reverse("ledger_gift", args=[gift.pk]),
    )


def capacity_helped(*, gift: CapacityGift, by: Any) -> None:
    recorder = gift.recorded_by
    _after_commit(
        lambda: [recorder] if recorder is not None else [],
        by,
        kind="capacity_helped",
        params={**_params(gift, by), "helped": gift.helped, "comment": gift.helped_comment},
        url=reverse("ledger_gift", args=[gift.pk]),
    )


def support_escalated(*, request: SupportRequest, by: Any) -> None:
    def recipients() -> list[Any]:
        team = access.school_team_people([request.school_id]).get(request.school_id, [])
        return [*access.ministry_people(), *team]

    _after_commit(
        recipients,
        by,
        kind="support_escalated",
        params={
            "owner": _owner(request.school, request.board),
            "request_id": request.pk,
            "by": str(by),
            "reason": request.escalation_reason,
        },
        url=reverse("support_detail", args=[request.pk]),
    )
