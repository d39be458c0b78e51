"""Saving portfolios: who may, what a family or a set of boards may hold, stale edits, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from capacity.audit.models import Action, AuditEntry
from capacity.directory import access
from capacity.directory.models import Portfolio
from capacity.directory.services_portfolios import StalePortfolio, portfolio_delete, portfolio_save


def test_a_boards_leader_makes_a_family_of_its_schools_and_it_is_audited(world) -> None:
    leader = world.personas["board_a"]
    made = portfolio_save(
        user=leader, name=" North ", holder=leader, board=world.board_a, schools=[world.school_a1]
    )
    assert made.name == "North" and made.version == 1
    assert list(made.schools.all()) == [world.school_a1]
    entry = AuditEntry.objects.get(action=Action.PORTFOLIO_SAVED)
    assert entry.detail["schools"] == [world.school_a1.number]
    access.forget_scope(leader)
    assert access.scope_for(leader).portfolio_school_ids == {world.school_a1.pk}


@pytest.mark.parametrize("persona", ["ministry", "trustee_a", "principal_a1", "facilitator"])
def test_only_the_boards_leaders_set_its_families(world, persona) -> None:
    with pytest.raises(PermissionDenied):
        portfolio_save(
            user=world.personas[persona],
            name="North",
            holder=world.personas["board_a"],
            board=world.board_a,
        )
    assert not Portfolio.objects.exists()


def test_a_family_holds_only_its_boards_schools_and_is_held_by_its_leaders(world) -> None:
    leader = world.personas["board_a"]
    with pytest.raises(ValidationError) as refused:
        portfolio_save(
            user=leader,
            name="",
            holder=world.personas["principal_a1"],
            board=world.board_a,
            schools=[world.school_b1],
            boards=[world.board_b],
        )
    errors = refused.value.message_dict
    assert set(errors) == {"name", "holder", "schools", "boards"}
    assert world.school_b1.name in errors["schools"][0]
    assert not Portfolio.objects.exists()


def test_ministry_officers_set_portfolios_of_boards_held_by_ministry_officers(world) -> None:
    officer = world.personas["ministry"]
    made = portfolio_save(user=officer, name="East", holder=officer, boards=[world.board_b])
    assert list(made.boards.all()) == [world.board_b]
    with pytest.raises(ValidationError) as refused:
        portfolio_save(
            user=officer, name="Again", holder=officer, boards=[world.board_a]
        )  # one set of boards per officer
    assert "holder" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        portfolio_save(
            user=world.personas["board_a"], name="East", holder=officer, boards=[world.board_b]
        )


def test_a_stale_edit_is_refused_and_changes_nothing(world) -> None:
    leader = world.personas["board_a"]
    made = portfolio_save(
        user=leader, name="North", holder=leader, board=world.board_a, schools=[world.school_a1]
    )
    portfolio_save(
        user=leader,
        name="North, renamed",
        holder=leader,
        schools=[world.school_a1],
        portfolio=made,
        version=1,
    )
    with pytest.raises(StalePortfolio):
        portfolio_save(
            user=leader,
            name="Overwrite",
            holder=leader,
            schools=[world.school_a2],
            portfolio=made,
            version=1,
        )
    made.refresh_from_db()
    assert made.name == "North, renamed" and made.version == 2
    assert list(made.schools.all()) == [world.school_a1]


def test_deleting_is_for_those_who_set_it_and_is_audited(world) -> None:
    officer = world.personas["ministry"]
    made = portfolio_save(user=officer, name="East", holder=officer, boards=[world.board_b])
    with pytest.raises(PermissionDenied):
        portfolio_delete(user=world.personas["board_a"], portfolio=made)
    portfolio_delete(user=officer, portfolio=made)
    assert not Portfolio.objects.exists()
    assert AuditEntry.objects.filter(action=Action.PORTFOLIO_DELETED).count() == 1
