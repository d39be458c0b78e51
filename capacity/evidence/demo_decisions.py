"""The demo's identification proposals a ministry officer confirms or sets aside, built through the
services.

Runs after the whole demo, when planning has opened the focused-intervention plans of the schools
the default policy identifies in the latest year. The proposal for that year is made, and a ministry
officer confirms every entry and stay (so the plans match confirmed decisions), sets one exit aside
with a reason, and leaves the other exits waiting: the home page and the proposals page then show
decisions to make.
"""

from __future__ import annotations

import random

from capacity.directory import access
from capacity.evidence import selectors
from capacity.evidence import services_decisions as services
from capacity.evidence.models import IdentificationProposal, ProposedChange

SET_ASIDE_REASON = (
    "The board's superintendent reports one strong year after a change of principal; the ministry "
    "keeps the plan open for another year before confirming the exit."
)


def build(*, seed: int) -> dict[str, int]:
    policy = selectors.get_policy()
    year = selectors.default_year(policy)
    officers = access.ministry_people()
    if year is None or not officers:
        return {}
    officer = officers[0]
    proposal = services.proposal_make(
        policy=policy,
        school_year=year,
        source=IdentificationProposal.Source.DEMO,
        actor_label="demo",
    )
    pending = ProposedChange.objects.filter(proposal=proposal, state=ProposedChange.State.PENDING)
    staying = pending.exclude(change="leaves")
    decided = 0
    if staying:
        decided += len(
            services.decisions_confirm_all(
                proposal=proposal, user=officer, seen=services.pending_versions(staying)
            )
        )
    leaving = list(pending.filter(change="leaves").order_by("school__number"))
    if leaving:
        chosen = random.Random(seed * 7919 + 13).choice(leaving)
        services.decision_record(
            item=chosen,
            user=officer,
            outcome="set_aside",
            seen=chosen.version,
            reason=SET_ASIDE_REASON,
        )
        decided += 1
    return {
        "identification proposals": 1,
        "identification decisions": decided,
        "identification changes waiting": max(0, len(leaving) - 1),
    }
