"""Memberships: a role is held at exactly one level of the tree, enforced in the database too."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from capacity.audit.models import Action, AuditEntry
from capacity.directory.models import Membership, Role
from capacity.directory.services import membership_grant, membership_revoke, user_create


def test_the_database_refuses_a_principal_held_at_a_board(world) -> None:
    user = world.personas["teacher_a1"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.PRINCIPAL, board=world.board_a)


def test_the_database_refuses_a_role_held_in_two_places_at_once(world) -> None:
    user = world.personas["teacher_a1"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=user, role=Role.TEACHER, school=world.school_a2, board=world.board_a
        )


def test_clean_explains_a_missing_organisation(world) -> None:
    membership = Membership(user=world.personas["teacher_a1"], role=Role.TRUSTEE)
    with pytest.raises(ValidationError) as error:
        membership.clean()
    assert "board" in error.value.message_dict


def test_granting_the_same_role_twice_changes_nothing_and_is_audited_once(world) -> None:
    user = world.personas["teacher_a1"]
    first, created = membership_grant(
        user=user, role=Role.SCHOOL_TEAM, organisation=world.school_a1
    )
    again, created_again = membership_grant(
        user=user, role=Role.SCHOOL_TEAM, organisation=world.school_a1
    )
    assert created and not created_again and first.pk == again.pk
    assert (
        AuditEntry.objects.filter(action=Action.MEMBERSHIP_GRANTED, target="teacher_a1").count()
        == 1
    )


def test_a_role_given_at_the_wrong_level_is_refused(world) -> None:
    with pytest.raises(ValueError, match="held in a school"):
        membership_grant(
            user=world.personas["teacher_a1"], role=Role.PRINCIPAL, organisation=world.board_a
        )


def test_revoking_a_role_takes_the_scope_away_and_is_audited(world) -> None:
    from capacity.directory.access import schools_for

    user = world.personas["principal_a1"]
    assert schools_for(user).exists()
    membership_revoke(membership=user.memberships.get(), actor=world.personas["ministry"])
    assert not schools_for(user).exists()
    entry = AuditEntry.objects.get(action=Action.MEMBERSHIP_REVOKED)
    assert entry.actor == world.personas["ministry"] and entry.detail["role"] == Role.PRINCIPAL


@pytest.mark.django_db
def test_a_new_person_gets_an_argon2_password_outside_tests(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = user_create(username="newcomer", password="a long and unusual phrase 42")
    assert user.password.startswith("argon2")
    assert user.check_password("a long and unusual phrase 42")


@pytest.mark.django_db
def test_a_weak_password_is_refused() -> None:
    with pytest.raises(ValidationError):
        user_create(username="weak", password="password")
