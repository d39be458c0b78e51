"""The rounds app's messages: networks. Registered from RoundsConfig.ready.

* network formed (from a suggestion): to its facilitators and the member schools' principals,
  who now read its work;
* agreement recorded (its first version, or a change): to the member schools' principals.

The person who acted is never told. Messages link to the network's work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.notifications import kinds
from capacity.notifications.services import notify_on_commit

if TYPE_CHECKING:
    from capacity.directory.models import Network
    from capacity.rounds.models import Agreement


def register_kinds() -> None:
    kinds.register(
        "rounds_network_formed",
        subject=lambda p: _("A learning network was formed: %(name)s") % {"name": p["name"]},
        body=lambda p: (
            _(
                "%(name)s was formed from the evidence, with %(schools)s schools that share "
                "learning needs. Its working agreement, cycles and actions are on its page."
            )
            % {"name": p["name"], "schools": p["schools"]}
        ),
    )
    kinds.register(
        "rounds_agreement_recorded",
        subject=lambda p: (
            _("%(name)s agreed how it will work") % {"name": p["name"]}
            if p["number"] == 1
            else _("%(name)s changed its working agreement") % {"name": p["name"]}
        ),
        body=lambda p: (
            _(
                "Version %(number)s of the working agreement of %(name)s, agreed on %(date)s: its "
                "priorities, how the schools will work together and its measures of progress."
            )
            % {"number": p["number"], "name": p["name"], "date": kinds.date(p["agreed_on"])}
        ),
    )


def _principals(network: Network) -> list[Any]:
    ids = list(network.schools.values_list("pk", flat=True))
    return [person for people in access.principal_people(ids).values() for person in people]


def network_formed(*, network: Network, by: Any) -> None:
    facilitators = access.network_facilitator_people([network.pk]).get(network.pk, [])
    recipients = list({p.pk: p for p in [*facilitators, *_principals(network)]}.values())
    notify_on_commit(
        recipients=recipients,
        exclude=by,
        kind="rounds_network_formed",
        params={"network": network.pk, "name": network.name, "schools": network.schools.count()},
        url=reverse("rounds_network", args=[network.pk]),
        dedupe_key=f"rounds_network_formed:{network.pk}",
    )


def agreement_recorded(*, agreement: Agreement, by: Any) -> None:
    network = agreement.network
    notify_on_commit(
        recipients=_principals(network),
        exclude=by,
        kind="rounds_agreement_recorded",
        params={
            "network": network.pk,
            "name": network.name,
            "number": agreement.number,
            "agreed_on": agreement.agreed_on.isoformat(),
        },
        url=reverse("rounds_network", args=[network.pk]),
        dedupe_key=f"rounds_agreement_recorded:{agreement.pk}",
    )
