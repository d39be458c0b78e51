"""The directory's writes: people, their roles and tokens, each atomic and audited.

Role grants and revocations are in test_membership_rules.py, token lifetimes in test_api_tokens.py.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from capacity.audit.models import Action, AuditEntry
from capacity.directory.access import scope_for
from capacity.directory.models import ApiToken, Role, User
from capacity.directory.services import (
    api_token_create,
    api_token_user,
    membership_grant,
    user_create,
    user_deactivate,
)


def test_a_person_made_without_a_password_cannot_sign_in(db) -> None:
    user = user_create(username="roster.only", display_name="Roster Only", source_id="u-17")

    assert not user.has_usable_password() and user.source_id == "u-17"
    assert not user.is_staff


def test_a_superuser_is_staff_too(db) -> None:
    user = user_create(username="admin2", password="a rather long pass phrase 9", is_superuser=True)

    assert user.is_superuser and user.is_staff
    assert AuditEntry.objects.get(action=Action.USER_CREATED).detail == {"staff": True}


def test_a_name_django_refuses_writes_neither_person_nor_audit_entry(db) -> None:
    with pytest.raises(ValidationError) as refused:
        user_create(username="has space!", actor_label="capacity import people")

    assert "username" in refused.value.message_dict
    assert not User.objects.exists() and not AuditEntry.objects.exists()


def test_a_deactivated_person_loses_their_scope_and_their_tokens_but_keeps_their_roles(
    world,
) -> None:
    teacher = world.personas["teacher_a1"]
    _, key = api_token_create(user=teacher, name="export")
    assert scope_for(teacher).school_ids == {world.school_a1.pk}

    user_deactivate(user=teacher, reason="left the board", actor_label="capacity import oneroster")

    teacher.refresh_from_db()
    assert not teacher.is_active
    assert teacher.memberships.filter(role=Role.TEACHER).exists()
    assert api_token_user(key) is None
    entry = AuditEntry.objects.get(action=Action.USER_DEACTIVATED)
    assert (entry.target, entry.actor_label, entry.detail) == (
        "teacher_a1",
        "capacity import oneroster",
        {"reason": "left the board"},
    )
    assert scope_for(teacher).empty


def test_a_role_granted_is_in_the_persons_scope_at_once(world) -> None:
    teacher = world.personas["teacher_a1"]
    assert world.school_a2.pk not in scope_for(teacher).school_ids

    membership_grant(user=teacher, role=Role.TEACHER, organisation=world.school_a2)

    assert world.school_a2.pk in scope_for(teacher).school_ids


def test_a_token_without_a_name_is_called_api_and_lives_at_least_a_day(world) -> None:
    token, key = api_token_create(user=world.personas["teacher_a1"], name="   ")

    assert token.name == "api" and key.startswith(token.prefix) and token.prefix.startswith("cap_")
    # Only the hash is kept: the key is nowhere in the row.
    assert key not in {token.key_hash, token.prefix}
    with pytest.raises(ValueError, match="between 1 and 366 days, not 0"):
        api_token_create(user=world.personas["teacher_a1"], name="none", days=0)
    assert ApiToken.objects.count() == 1


def test_a_key_that_was_never_made_finds_no_one(world) -> None:
    token, key = api_token_create(user=world.personas["teacher_a1"], name="export")

    assert api_token_user(key) == world.personas["teacher_a1"]
    assert api_token_user(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert api_token_user(token.prefix) is None
