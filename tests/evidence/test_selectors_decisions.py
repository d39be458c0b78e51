"""Reads of proposals and decisions, scoped to the reader; reasons in words; the ministry's counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from capacity.evidence import selectors_decisions as chosen
from capacity.evidence import services_decisions
from tests.evidence import decisions_world as dw


def _rows(world, persona, proposal):
    return {
        r.item.school.number
        for g in chosen.proposal_groups(world.personas[persona], proposal)
        for r in g.rows
    }


def test_each_persona_reads_the_rows_the_rule_gives(world) -> None:
    proposal = dw.a1_confirmed(world)
    item = dw.change(world, world.school_b1)
    services_decisions.decision_record(
        item=item, user=world.personas["ministry"], outcome="set_aside", seen=1, reason="Later"
    )
    assert _rows(world, "ministry", proposal) == {"700001", "700002", "700003"}
    assert _rows(world, "board_a", proposal) == {"700001", "700002"}  # A2's exit is pending
    assert _rows(world, "trustee_a", proposal) == {"700001"}  # confirmed only
    assert _rows(world, "principal_a1", proposal) == {"700001"}
    assert _rows(world, "teacher_a1", proposal) == {"700001"}
    assert _rows(world, "principal_b1", proposal) == {"700003"}  # decided (set aside)
    assert _rows(world, "facilitator", proposal) == set()


def test_a_proposal_without_a_readable_row_is_refused(world) -> None:
    proposal = dw.proposal(world)
    with pytest.raises(PermissionDenied):
        chosen.get_proposal_for_user(world.personas["trustee_a"], proposal.pk)
    found, may_decide = chosen.get_proposal_for_user(world.personas["ministry"], proposal.pk)
    assert found == proposal and may_decide
    assert chosen.get_proposal_for_user(world.personas["board_a"], proposal.pk)[1] is False


def test_the_list_counts_only_the_readers_rows(world) -> None:
    dw.a1_confirmed(world)
    ministry = chosen.proposals_for(world.personas["ministry"]).get()
    assert (ministry.n_rows, ministry.n_pending, ministry.n_confirmed) == (3, 2, 1)
    leader = chosen.proposals_for(world.personas["board_a"]).get()
    assert (leader.n_rows, leader.n_pending, leader.n_confirmed) == (2, 1, 1)
    assert not chosen.proposals_for(world.personas["facilitator"]).exists()


def test_the_list_takes_one_query(world, django_assert_num_queries) -> None:
    dw.a1_confirmed(world)
    user = world.personas["board_a"]
    chosen.proposals_for(user)  # the scope is read once per request
    with django_assert_num_queries(1):
        list(chosen.proposals_for(user))


def test_reasons_read_as_sentences_without_codes(world) -> None:
    dw.proposal(world)
    enters = chosen.reasons_in_words(dw.change(world, world.school_a1))
    assert (
        "Grade 3 reading in 2018-19: 40% at or above the standard, below the threshold of 50%."
        in (enters)
    )
    leaves = chosen.reasons_in_words(dw.change(world, world.school_a2))
    assert leaves[-1] == "Now not identified under the policy (before: identified)."
    assert not any("G3-READ" in line or "not_identified" in line for line in enters + leaves)


def test_a_hidden_figure_stays_hidden(world) -> None:
    dw.proposal(world)
    item = dw.change(world, world.school_a1)
    item.reasons["reasons"][0]["pct_at_standard"] = None
    assert any("hidden (small group)" in line for line in chosen.reasons_in_words(item))


def test_the_ministry_sees_what_waits(world) -> None:
    dw.a1_confirmed(world)
    assert chosen.waiting_count(world.personas["ministry"]) == 2
    assert chosen.waiting_count(world.personas["board_a"]) == 0
    assert [p.n_pending for p in chosen.open_proposals_waiting()] == [2]


def test_a_schools_history_is_newest_first(world) -> None:
    dw.proposal(world)
    item = dw.change(world, world.school_a1)
    services_decisions.decision_record(
        item=item, user=world.personas["ministry"], outcome="set_aside", seen=1, reason="Later"
    )
    services_decisions.decision_record(
        item=item, user=world.personas["ministry"], outcome="confirmed", seen=2
    )
    history = chosen.school_history(world.personas["principal_a1"], world.school_a1)
    assert [d.outcome for d in history] == ["confirmed", "set_aside"]
    assert [
        d.outcome for d in chosen.school_history(world.personas["trustee_a"], world.school_a1)
    ] == ["confirmed"]


def test_a_proposal_reads_in_three_queries_however_many_rows(
    world, django_assert_num_queries
) -> None:
    proposal = dw.a1_confirmed(world)
    user = world.personas["ministry"]
    chosen.changes_for(user)  # the scope is read once per request
    with django_assert_num_queries(2):  # rows, decisions (no earlier decision yet)
        groups = chosen.proposal_groups(user, proposal)
    assert sum(len(g.rows) for g in groups) == 3
    [row] = [
        r
        for g in chosen.proposal_groups(user, proposal, only=dw.change(world, world.school_a1).pk)
        for r in g.rows
    ]
    assert row.item.school == world.school_a1 and row.history[0].outcome == "confirmed"
