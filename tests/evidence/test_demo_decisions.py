"""The demo's decisions: entries and stays confirmed (their plans open), one exit set aside."""

from __future__ import annotations

import pytest

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


@pytest.mark.slow
@pytest.mark.django_db
def test_on_a_small_demo_the_focused_plans_are_the_confirmed_decisions() -> None:
    """The demo's plans (planning's demo opens them directly) match confirmed decisions exactly."""
    from capacity.directory.demo import DemoOptions, build_demo
    from capacity.evidence.demo import build_demo_results
    from capacity.planning import demo
    from capacity.planning.demo import province as demo_province

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo_province, "SAMPLE_SCHOOLS", 20)
        patch.setattr(demo_province, "SAMPLE_BOARDS", 1)
        build_demo(DemoOptions(seed=2016, boards=4, schools=300, years=10))
        build_demo_results(seed=2016, years=10)
        demo.build_demo_plans(seed=2016)
    counts = demo_decisions.build(seed=2016)
    proposal = IdentificationProposal.objects.get()
    confirmed = set(
        proposal.changes.filter(state="confirmed").values_list("school__number", flat=True)
    )
    flagged = set(
        Plan.objects.filter(
            focused_intervention=True, school_year=proposal.school_year
        ).values_list("school__number", flat=True)
    )
    assert confirmed and confirmed == flagged
    assert counts["identification decisions"] == len(confirmed) + (
        1 if proposal.changes.filter(change="leaves").exists() else 0
    )
