"""The rounds app's home items: networks (capacity/rounds/home.py joins the parts).

* For a network's facilitators: each network's current cycle and its stage (or that none is
  under way), and its open actions due in the next two weeks or overdue.
* For ministry officers: network suggestions waiting for a decision, by school year.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.directory import access
from capacity.directory.models import Role
from capacity.homeitems import DUE, INFO, OVERDUE, WAITING, HomeItem, HomeSection
from capacity.rounds import selectors_networks as selectors
from capacity.rounds.models import NetworkCycle, Protocol

LISTED = 8


def _facilitated(user: Any) -> list[HomeSection]:
    networks = selectors.led_networks(user)
    if not networks:
        return []
    today = timezone.localdate()
    current = {
        c.network_id: c
        for c in NetworkCycle.objects.filter(network__in=networks)
        .exclude(stage=Protocol.DONE)
        .order_by("network_id", "number")
    }
    items = []
    for network in networks[:LISTED]:
        cycle = current.get(network.pk)
        if cycle is None:
            items.append(
                HomeItem(
                    text=_("%(network)s: no cycle under way") % {"network": network.name},
                    url=reverse("rounds_network", args=[network.pk]),
                    status=INFO,
                    status_text=_("start a cycle"),
                )
            )
            continue
        items.append(
            HomeItem(
                text=_("%(network)s: cycle %(n)s, %(stage)s")
                % {
                    "network": network.name,
                    "n": cycle.number,
                    "stage": Protocol(cycle.stage).label.lower(),
                },
                url=reverse("rounds_network_cycle", args=[network.pk, cycle.number]),
                status=INFO,
                status_text=_("you facilitate"),
                on=cycle.ends,
                date_text=_("ends") if cycle.ends else "",
                detail=Truncator(cycle.focus).chars(140),
            )
        )
    for action in selectors.actions_due(networks, today)[:LISTED]:
        late = action.due is not None and action.due < today
        items.append(
            HomeItem(
                text=Truncator(action.text).chars(140),
                url=f"{reverse('rounds_network', args=[action.network_id])}#actions-h",
                status=OVERDUE if late else DUE,
                status_text=_("overdue") if late else _("due soon"),
                on=action.due,
                date_text=_("due"),
                detail=action.network.name,
            )
        )
    return [
        HomeSection(
            heading_id="home-rounds-networks",
            title=_("Your networks' work"),
            items=tuple(items),
            order=13,
        )
    ]


def _suggestions(user: Any) -> list[HomeSection]:
    if Role.MINISTRY_OFFICER not in access.scope_for(user).roles:
        return []
    waiting = selectors.waiting_suggestions(user)
    if not waiting:
        return []
    url = reverse("rounds_network_suggestions")
    items = tuple(
        HomeItem(
            text=ngettext(
                "%(n)s network suggested from the %(year)s results",
                "%(n)s networks suggested from the %(year)s results",
                count,
            )
            % {"n": count, "year": year},
            url=f"{url}?school_year={year}",
            status=WAITING,
            status_text=_("to decide"),
        )
        for year, count in list(waiting.items())[:LISTED]
    )
    return [
        HomeSection(
            heading_id="home-rounds-suggestions",
            title=_("Networks suggested from evidence"),
            items=items,
            more_url=url,
            more_text=_("All suggestions"),
            order=24,
        )
    ]


def sections(user: Any) -> list[HomeSection]:
    if not getattr(user, "is_authenticated", False):
        return []
    return _facilitated(user) + _suggestions(user)
