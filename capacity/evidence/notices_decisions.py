"""The identification decisions' messages: their wording and who hears of each event.

Registered from EvidenceConfig.ready. Each is sent once the service's transaction commits,
so a refused or rolled-back decision tells nobody. Who hears of what:

* a proposal is made with changes waiting: every ministry officer (they decide);
* a confirmed decision opens, keeps or ends a school's focused-intervention plan: the
  school's principals and its board's leaders.

The person who acted is never told of their own act.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.directory import access
from capacity.notifications import kinds
from capacity.notifications.services import notify


def register_kinds() -> None:
    kinds.register(
        "identification_proposed",
        subject=lambda p: _("Identification for %(year)s is proposed: decisions are waiting") % p,
        body=lambda p: (
            ngettext(
                "The evidence under %(policy)s proposes %(waiting)s change to focused intervention "
                "for %(year)s. No plan opens or ends until a ministry officer confirms it or sets "
                "it aside with a reason.",
                "The evidence under %(policy)s proposes %(waiting)s changes to focused intervention "
                "for %(year)s. No plan opens or ends until a ministry officer confirms each change "
                "or sets it aside with a reason.",
                p["waiting"],
            )
            % p
        ),
    )
    kinds.register(
        "identification_opened",
        subject=lambda p: _("%(school)s is confirmed for focused intervention in %(year)s") % p,
        body=lambda p: (
            _(
                "%(by)s confirmed the evidence's proposal: %(school)s has a focused-intervention "
                "plan for %(year)s. The school's evidence page shows why."
            )
            % p
        ),
    )
    kinds.register(
        "identification_ended",
        subject=lambda p: _("The focused intervention of %(school)s ends") % p,
        body=lambda p: (
            _(
                "%(by)s confirmed that %(school)s has left focused intervention with the results "
                "of %(year)s: its plan is no longer flagged. The school's evidence page shows why."
            )
            % p
        ),
    )


def proposal_made(*, proposal: Any, waiting: int, by: Any) -> None:
    if not waiting:
        return
    params = {
        "year": proposal.school_year,
        "policy": proposal.policy_label,
        "waiting": waiting,
        "proposal_id": proposal.pk,
    }
    url = reverse("decisions_proposal", args=[proposal.pk])
    transaction.on_commit(
        lambda: notify(
            recipients=access.ministry_people(),
            exclude=by,
            kind="identification_proposed",
            params=params,
            url=url,
        ),
        robust=True,
    )


def plans_follow(*, decisions: list[Any], by: Any) -> None:
    """Each confirmed decision's school hears (principals, board leaders) that its plan opened or ended."""
    messages = [
        (
            d.school_id,
            d.school.board_id,
            "identification_ended" if d.change == "leaves" else "identification_opened",
            {"school": d.school.name, "year": d.school_year, "by": str(by), "decision_id": d.pk},
            reverse("school_evidence", args=[d.school.number]),
        )
        for d in decisions
    ]

    def send() -> None:
        principals = access.principal_people({m[0] for m in messages})
        leaders = access.board_leader_people({m[1] for m in messages})
        for school_id, board_id, kind, params, url in messages:
            notify(
                recipients=[*principals.get(school_id, []), *leaders.get(board_id, [])],
                exclude=by,
                kind=kind,
                params=params,
                url=url,
            )

    transaction.on_commit(send, robust=True)
