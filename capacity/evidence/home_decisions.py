"""Home-page items for identification proposals a ministry officer confirms or sets aside (see
capacity/homeitems.py): the ministry's "identification decisions waiting".
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.directory import access
from capacity.evidence import selectors_decisions as chosen
from capacity.evidence.templatetags.evidence_tags import proposal_policy_title
from capacity.homeitems import WAITING, HomeItem, HomeSection


def sections(user: Any) -> list[HomeSection]:
    if not access.can_decide_identification(user):
        return []
    items = tuple(
        HomeItem(
            text=ngettext(
                "%(count)s change to focused intervention waits for a decision (%(year)s)",
                "%(count)s changes to focused intervention wait for a decision (%(year)s)",
                proposal.n_pending,  # type: ignore[attr-defined]
            )
            % {
                "count": proposal.n_pending,  # type: ignore[attr-defined]
                "year": proposal.school_year,
            },
            url=reverse("decisions_proposal", args=[proposal.pk]),
            status=WAITING,
            status_text=_("Waiting"),
            on=timezone.localdate(proposal.created),
            date_text=_("proposed"),
            detail=proposal_policy_title(proposal),
        )
        for proposal in chosen.open_proposals_waiting()[:5]
    )
    return [
        HomeSection(
            heading_id="home-decisions",
            title=_("Identification decisions waiting"),
            items=items,
            empty=_(
                "No identification change waits for a decision. After each results import the "
                "evidence's proposal appears here for you to confirm or set aside."
            ),
            more_url=reverse("decisions_proposals"),
            more_text=_("All identification proposals"),
            order=20,
        )
    ]
