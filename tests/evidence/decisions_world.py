"""A small province for the decisions tests (idempotent builders taking the test world `w`).

Under ofip-2016 (two years running, four of six assessments under 50%), in 2018-19:
A1 and B1 enter (identified in 2017-18 and 2018-19, not in 2016-17), A2 leaves (identified
in 2017-18, strong in 2018-19).
"""

from __future__ import annotations

from typing import Any

from capacity.evidence import services_decisions
from capacity.evidence.models import IdentificationProposal, ProposedChange, Result
from tests.evidence.conftest import results_for
from tests.evidence.decisions_kit import IDENTIFIED, STRONG

YEAR = "2018-19"


def results(w: Any) -> None:
    """The results alone: no proposal yet (what a ministry officer proposes from)."""
    if Result.objects.filter(school=w.school_a2).exists():
        return
    plan = {
        w.school_a1: (STRONG, IDENTIFIED, IDENTIFIED),
        w.school_b1: (STRONG, IDENTIFIED, IDENTIFIED),
        w.school_a2: (IDENTIFIED, IDENTIFIED, STRONG),
    }
    for school, values in plan.items():
        for year, row in zip(("2016-17", "2017-18", YEAR), values, strict=True):
            # Another builder of a shared world (tests/test_no_raw_codes.py) may have given some.
            if not Result.objects.filter(school=school, school_year=year, group="all").exists():
                results_for(school, year, row)


def proposal(w: Any) -> IdentificationProposal:
    """The open proposal for 2018-19 under the default policy (made by the command line)."""
    found = IdentificationProposal.objects.filter(school_year=YEAR, state="open").first()
    if found is not None:
        return found
    results(w)
    from capacity.evidence import selectors

    return services_decisions.proposal_make(
        policy=selectors.get_policy(), school_year=YEAR, source="command"
    )


def change(w: Any, school: Any) -> ProposedChange:
    return ProposedChange.objects.get(proposal=proposal(w), school=school)


def a1_confirmed(w: Any) -> IdentificationProposal:
    """The proposal with A1's entry confirmed by the ministry officer."""
    found = proposal(w)
    item = change(w, w.school_a1)
    if item.state == "pending":
        services_decisions.decision_record(
            item=item, user=w.personas["ministry"], outcome="confirmed", seen=item.version
        )
    return found
