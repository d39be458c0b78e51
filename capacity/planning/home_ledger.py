"""Home-page items for reciprocity as a ledger of the capacity given to schools (see
capacity/homeitems.py): capacity a team received that waits for its "did it help?", and, for
the ministry, school requests a board sent on to it that are still open."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from capacity.homeitems import WAITING, HomeItem, HomeSection
from capacity.planning import selectors_ledger
from capacity.planning.units_ledger import amount_text


def sections(user: Any) -> list[HomeSection]:
    return [*_helped(user), *_escalated(user)]


def _helped(user: Any) -> list[HomeSection]:
    gifts, count = selectors_ledger.waiting_for_helped(user)
    if not count:
        return []
    items = tuple(
        HomeItem(
            text=_("%(what)s given to %(name)s")
            % {
                "what": amount_text(gift.kind, gift.amount),
                "name": gift.school.name if gift.school is not None else gift.board.name,
            },
            url=reverse("ledger_gift", args=[gift.pk]),
            status=WAITING,
            status_text=_("did it help?"),
            on=gift.given_on,
            date_text=_("given"),
            detail=gift.get_given_by_display(),
        )
        for gift in gifts
    )
    more = ""
    if count > len(gifts):
        more = _("%(n)s entries wait for your answer") % {"n": count}
    return [
        HomeSection(
            heading_id="home-ledger-helped",
            title=_("Capacity given: did it help?"),
            items=items,
            more_url=reverse("ledger_index"),
            more_text=more or _("The reciprocity ledger"),
            order=35,
        )
    ]


def _escalated(user: Any) -> list[HomeSection]:
    requests, count = selectors_ledger.escalated_open(user)
    if not count:
        return []
    items = tuple(
        HomeItem(
            text=_("%(name)s: the board sent this request on")
            % {"name": item.school.name if item.school is not None else item.board.name},
            url=reverse("support_detail", args=[item.pk]),
            status=WAITING,
            status_text=_("sent on to the ministry"),
            on=timezone.localtime(item.escalated_at).date() if item.escalated_at else None,
            date_text=_("sent on"),
            detail=item.board.name,
        )
        for item in requests
    )
    return [
        HomeSection(
            heading_id="home-ledger-escalated",
            title=_("Requests boards could not meet"),
            items=items,
            more_url=reverse("support_list") + "?status=open",
            more_text=_("%(n)s open requests sent on to the ministry") % {"n": count}
            if count > len(requests)
            else _("All support requests"),
            order=9,
        )
    ]
