"""The demo's decisions: entries and stays confirmed (their plans open), one exit set aside."""

from __future__ import annotations

from capacity.evidence import demo_decisions
from capacity.evidence.models import IdentificationDecision, IdentificationProposal
from capacity.planning.models import Plan
from tests.evidence import decisions_world as dw


def test_it_confirms_entries_and_sets_one_exit_aside(world) -> None:
    dw.results(world)
    counts = demo_decisions.build(seed=1)
    assert counts == {
        "identification proposals": 1,
        "identification decisions": 3,
        "identification changes waiting": 0,
    }
    proposal = IdentificationProposal.objects.get()
    assert proposal.source == "demo"
    states = dict(proposal.changes.values_list("school__number", "state"))
    assert states == {"700001": "confirmed", "700002": "set_aside", "700003": "confirmed"}
    aside = IdentificationDecision.objects.get(outcome="set_aside")
    assert aside.reason == demo_decisions.SET_ASIDE_REASON
    flagged = Plan.objects.filter(focused_intervention=True)
    assert set(flagged.values_list("school__number", flat=True)) == {"700001", "700003"}


def test_it_builds_nothing_without_results(world) -> None:
    assert demo_decisions.build(seed=1) == {}
