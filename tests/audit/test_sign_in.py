"""Signing in and out: argon2 in production, lock-out after repeated failures, all audited."""

from __future__ import annotations

import pytest

from capacity.audit.models import Action, AuditEntry
from tests.conftest import PASSWORD


def post_sign_in(client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_good_sign_in_goes_home_and_is_audited(client, world) -> None:
    response = post_sign_in(client, "principal_a1", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    entry = AuditEntry.objects.get(action=Action.SIGN_IN)
    assert entry.actor == world.personas["principal_a1"] and entry.ip_address == "127.0.0.1"


def test_a_failed_sign_in_shows_an_error_and_is_audited(client, world) -> None:
    response = post_sign_in(client, "principal_a1", "wrong")
    assert response.status_code == 200
    assert b"Please enter a correct" in response.content
    assert (
        AuditEntry.objects.filter(action=Action.SIGN_IN_FAILED, target="principal_a1").count() == 1
    )


def test_five_failures_lock_the_account_even_with_the_right_password(
    client, world, settings
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_sign_in(client, "teacher_a1", "wrong")
    response = post_sign_in(client, "teacher_a1", PASSWORD)
    assert response.status_code == 429
    assert b"Too many failed attempts" in response.content
    assert AuditEntry.objects.filter(action=Action.LOCKED_OUT).exists()
    # Someone else, from the same address, is not locked out.
    assert post_sign_in(client, "principal_a1", PASSWORD).status_code == 302


def test_signing_out_needs_a_post_and_is_audited(client, world) -> None:
    client.force_login(world.personas["teacher_a1"])
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=Action.SIGN_OUT, target="teacher_a1").exists()
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("persona", ["board_a", "principal_a1", "facilitator"])
def test_the_audit_log_page_is_for_ministry_officers_only(client, world, persona) -> None:
    client.force_login(world.personas[persona])
    assert client.get("/audit/").status_code == 403


def test_a_ministry_officer_reads_the_audit_log_filtered_by_action(client, world) -> None:
    post_sign_in(client, "teacher_a1", "wrong")
    client.force_login(world.personas["ministry"])
    response = client.get("/audit/", {"action": Action.SIGN_IN_FAILED})
    assert response.status_code == 200
    assert b"teacher_a1" in response.content
