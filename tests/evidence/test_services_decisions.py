"""Identification proposes, people decide: proposals, decisions and the plans that follow them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from capacity.audit.models import Action, AuditEntry
from capacity.evidence import selectors, services_decisions
from capacity.evidence.importers.results import import_results
from capacity.evidence.models import IdentificationDecision, IdentificationProposal, ProposedChange
from capacity.notifications.models import Notification
from capacity.planning.models import Plan
from tests.conftest import PERSONAS
from tests.evidence import decisions_world as dw
from tests.evidence.decisions_kit import IDENTIFIED, STRONG, confirm_everything, results_file


def _decide(w, school, outcome="confirmed", reason="", persona="ministry"):
    item = dw.change(w, school)
    return services_decisions.decision_record(
        item=item, user=w.personas[persona], outcome=outcome, seen=item.version, reason=reason
    )


def test_it_proposes_each_schools_change_with_the_engines_reasons(world) -> None:
    proposal = dw.proposal(world)
    changes = {c.school.number: c for c in proposal.changes.select_related("school")}
    assert {n: c.change for n, c in changes.items()} == {
        "700001": "enters",
        "700002": "leaves",
        "700003": "enters",
    }
    a1 = changes["700001"]
    assert (a1.status, a1.status_before, a1.state) == ("identified", "not_identified", "pending")
    assert {r["school_year"] for r in a1.reasons["reasons"]} == {"2017-18", "2018-19"}
    assert changes["700002"].status == "not_identified"
    assert (proposal.compared_with, proposal.policy_label) == ("2017-18", "ofip-2016 v1")
    assert AuditEntry.objects.filter(action=Action.IDENTIFICATION_PROPOSED).count() == 1


def test_an_import_makes_a_proposal_and_opens_no_plan(
    world, tmp_path, django_capture_on_commit_callbacks
) -> None:
    first = results_file(
        tmp_path / "a.csv", {("700001", "2017-18"): IDENTIFIED, ("700001", "2018-19"): IDENTIFIED}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert import_results([(None, first)]).applied
    proposal = IdentificationProposal.objects.get()
    assert proposal.source == "import"
    assert list(proposal.changes.values_list("school__number", "change")) == [("700001", "enters")]
    assert not Plan.objects.exists()
    # Every ministry officer hears that decisions are waiting.
    told = Notification.objects.filter(kind="identification_proposed")
    assert [n.recipient for n in told] == [world.personas["ministry"]]


def test_only_a_confirmed_entry_opens_a_plan(world) -> None:
    dw.proposal(world)
    _decide(world, world.school_b1, "set_aside", "The board already runs an intensive plan.")
    assert not Plan.objects.exists()
    _decide(world, world.school_a1)
    plan = Plan.objects.get()
    assert (plan.school, plan.school_year, plan.focused_intervention) == (
        world.school_a1,
        "2018-19",
        True,
    )
    assert {r["school_year"] for r in plan.identification["reasons"]} == {"2017-18", "2018-19"}


def test_a_set_aside_change_needs_a_reason_and_may_be_confirmed_later(world) -> None:
    dw.proposal(world)
    with pytest.raises(ValidationError) as refused:
        _decide(world, world.school_a1, "set_aside", "  ")
    assert "reason" in refused.value.message_dict
    assert not IdentificationDecision.objects.exists()
    _decide(world, world.school_a1, "set_aside", "Waiting for the board's own review.")
    _decide(world, world.school_a1)
    assert Plan.objects.filter(school=world.school_a1, focused_intervention=True).exists()
    with pytest.raises(ValidationError):
        _decide(world, world.school_a1, "set_aside", "Changed my mind.")


def test_every_decision_is_kept_with_who_when_what_and_why(world) -> None:
    dw.proposal(world)
    _decide(world, world.school_a1, "set_aside", "Waiting for the board's own review.")
    _decide(world, world.school_a1)
    history = list(
        IdentificationDecision.objects.filter(school=world.school_a1).order_by("decided_at", "id")
    )
    assert [(d.outcome, d.reason, d.decided_by) for d in history] == [
        ("set_aside", "Waiting for the board's own review.", world.personas["ministry"]),
        ("confirmed", "", world.personas["ministry"]),
    ]
    assert all(d.change == "enters" and d.school_year == "2018-19" for d in history)
    audited = AuditEntry.objects.filter(action=Action.IDENTIFICATION_DECIDED).order_by("id")
    assert [e.detail["decision"] for e in audited] == ["set_aside", "confirmed"]


def test_a_confirmed_exit_ends_the_plan_and_a_set_aside_exit_keeps_it(
    world, tmp_path, django_capture_on_commit_callbacks
) -> None:
    first = results_file(
        tmp_path / "a.csv",
        {
            ("700001", "2017-18"): IDENTIFIED,
            ("700001", "2018-19"): IDENTIFIED,
            ("700003", "2017-18"): IDENTIFIED,
            ("700003", "2018-19"): IDENTIFIED,
        },
    )
    assert import_results([(None, first)]).applied
    confirm_everything(world)
    # The plans carried into 2019-20, as closing a year does (tests/planning/test_integrity.py).
    Plan.objects.update(school_year="2019-20")
    second = results_file(
        tmp_path / "b.csv", {("700001", "2019-20"): STRONG, ("700003", "2019-20"): STRONG}
    )
    assert import_results([(None, second)]).applied
    proposal = IdentificationProposal.objects.get(school_year="2019-20")
    assert set(proposal.changes.values_list("change", flat=True)) == {"leaves"}
    b1 = proposal.changes.get(school=world.school_b1)
    services_decisions.decision_record(
        item=b1,
        user=world.personas["ministry"],
        outcome="set_aside",
        seen=b1.version,
        reason="One strong year; the board asks to keep the plan.",
    )
    a1 = proposal.changes.get(school=world.school_a1)
    with django_capture_on_commit_callbacks(execute=True):
        services_decisions.decision_record(
            item=a1, user=world.personas["ministry"], outcome="confirmed", seen=a1.version
        )
    assert not Plan.objects.get(school=world.school_a1).focused_intervention
    assert Plan.objects.get(school=world.school_b1).focused_intervention
    ended = Notification.objects.filter(kind="identification_ended")
    assert {n.recipient.username for n in ended} == {"board_a", "principal_a1"}


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("anonymous", "ministry")])
def test_only_a_ministry_officer_decides(world, persona) -> None:
    dw.proposal(world)
    item = dw.change(world, world.school_a1)
    with pytest.raises(PermissionDenied):
        services_decisions.decision_record(
            item=item, user=world.personas[persona], outcome="confirmed", seen=item.version
        )
    with pytest.raises(PermissionDenied):
        services_decisions.decisions_confirm_all(
            proposal=item.proposal, user=world.personas[persona], seen={item.pk: item.version}
        )
    with pytest.raises(PermissionDenied):
        services_decisions.proposal_make(
            policy=selectors.get_policy(),
            school_year="2018-19",
            source="officer",
            user=world.personas[persona],
        )
    assert not IdentificationDecision.objects.exists() and not Plan.objects.exists()


def test_a_second_officer_deciding_the_same_school_is_refused(world) -> None:
    from tests.factories import MembershipFactory, UserFactory

    other = UserFactory(username="ministry_2", display_name="Second Officer")
    MembershipFactory(user=other, role="ministry_officer", province=world.province)
    dw.proposal(world)
    item = dw.change(world, world.school_a1)
    seen = item.version  # both officers read the same version
    services_decisions.decision_record(
        item=item, user=world.personas["ministry"], outcome="confirmed", seen=seen
    )
    with pytest.raises(services_decisions.DecisionConflict) as stale:
        services_decisions.decision_record(
            item=item, user=other, outcome="set_aside", seen=seen, reason="Not convinced."
        )
    assert str(world.personas["ministry"]) in " ".join(stale.value.messages)
    assert IdentificationDecision.objects.count() == 1
    # Confirming all at once is all or nothing when one of them moved on.
    b1 = dw.change(world, world.school_b1)
    with pytest.raises(services_decisions.DecisionConflict):
        services_decisions.decisions_confirm_all(
            proposal=item.proposal, user=other, seen={item.pk: seen, b1.pk: b1.version}
        )
    assert dw.change(world, world.school_b1).state == "pending"


def test_a_second_import_while_pending_replaces_the_proposal_and_keeps_decisions(
    world, tmp_path
) -> None:
    first = results_file(
        tmp_path / "a.csv",
        {
            ("700001", "2017-18"): IDENTIFIED,
            ("700001", "2018-19"): IDENTIFIED,
            ("700003", "2017-18"): IDENTIFIED,
            ("700003", "2018-19"): IDENTIFIED,
        },
    )
    assert import_results([(None, first)]).applied
    old = IdentificationProposal.objects.get()
    a1 = old.changes.get(school=world.school_a1)
    services_decisions.decision_record(
        item=a1, user=world.personas["ministry"], outcome="confirmed", seen=a1.version
    )
    # More results for the same year (A2 enters too) while B1 is still pending.
    second = results_file(
        tmp_path / "b.csv", {("700002", "2017-18"): IDENTIFIED, ("700002", "2018-19"): IDENTIFIED}
    )
    assert import_results([(None, second)]).applied
    old.refresh_from_db()
    new = IdentificationProposal.objects.get(state="open")
    assert (old.state, old.replaced_by) == ("replaced", new)
    rows = {c.school.number: c for c in new.changes.select_related("school", "earlier")}
    assert set(rows) == {"700001", "700002", "700003"}
    # A1's confirmation is carried and shown; B1 and A2 wait.
    assert (rows["700001"].state, rows["700001"].earlier.outcome) == ("confirmed", "confirmed")
    assert (rows["700003"].state, rows["700002"].state) == ("pending", "pending")
    # The replaced proposal's pending row can no longer be decided.
    b1_old = old.changes.get(school=world.school_b1)
    with pytest.raises(ValidationError, match="newer proposal"):
        services_decisions.decision_record(
            item=b1_old, user=world.personas["ministry"], outcome="confirmed", seen=b1_old.version
        )
    assert Plan.objects.filter(focused_intervention=True).count() == 1


def test_proposing_again_with_nothing_new_keeps_the_open_proposal(world) -> None:
    first = dw.proposal(world)
    again = services_decisions.proposal_make(
        policy=selectors.get_policy(),
        school_year="2018-19",
        source="officer",
        user=world.personas["ministry"],
    )
    assert again == first
    assert IdentificationProposal.objects.count() == 1


def test_confirming_all_opens_every_plan_and_tells_the_schools(
    world, django_capture_on_commit_callbacks
) -> None:
    proposal = dw.proposal(world)
    pending = ProposedChange.objects.filter(proposal=proposal, change="enters")
    with django_capture_on_commit_callbacks(execute=True):
        done = services_decisions.decisions_confirm_all(
            proposal=proposal,
            user=world.personas["ministry"],
            seen=services_decisions.pending_versions(pending),
        )
    assert len(done) == 2
    assert set(Plan.objects.values_list("school__number", flat=True)) == {"700001", "700003"}
    opened = Notification.objects.filter(kind="identification_opened")
    assert {n.recipient.username for n in opened} == {"board_a", "principal_a1", "principal_b1"}
