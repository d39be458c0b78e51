"""API tokens: they expire, record their last use, and are listed and revoked (audited) on a page and by command."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from capacity.audit.models import Action, AuditEntry
from capacity.cli import app
from capacity.directory.models import ApiToken
from capacity.directory.services import api_token_create, api_token_revoke, api_token_user

runner = CliRunner()


def test_a_token_expires_after_90_days_by_default(world) -> None:
    token, _ = api_token_create(user=world.personas["teacher_a1"], name="export")
    life = token.expires - timezone.now()
    assert datetime.timedelta(days=89, hours=23) < life <= datetime.timedelta(days=90)


def test_it_refuses_an_expired_token(client, world) -> None:
    token, key = api_token_create(user=world.personas["teacher_a1"], name="export", days=1)
    assert client.get("/api/boards", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(
        expires=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert api_token_user(key) is None
    assert client.get("/api/boards", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_it_records_when_a_token_was_last_used(client, world) -> None:
    token, key = api_token_create(user=world.personas["teacher_a1"], name="export")
    assert token.last_used is None
    client.get("/api/boards", headers={"Authorization": f"Bearer {key}"})
    token.refresh_from_db()
    assert token.last_used is not None and timezone.now() - token.last_used < datetime.timedelta(
        minutes=1
    )


def test_a_revoked_token_stops_working_and_the_revocation_is_audited(client, world) -> None:
    token, key = api_token_create(user=world.personas["teacher_a1"], name="export")
    api_token_revoke(token=token, actor=world.personas["ministry"])
    assert client.get("/api/boards", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    entry = AuditEntry.objects.get(action=Action.TOKEN_REVOKED)
    assert (entry.actor_label, entry.target, entry.detail["token"]) == (
        "ministry",
        "teacher_a1",
        token.prefix,
    )


def test_it_refuses_a_life_beyond_a_year(world) -> None:
    with pytest.raises(ValueError, match="between 1 and 366 days"):
        api_token_create(user=world.personas["teacher_a1"], name="forever", days=5000)


# --- the page --------------------------------------------------------------------------


def test_people_see_only_their_own_tokens(client, world) -> None:
    api_token_create(user=world.personas["teacher_a1"], name="teacher's export")
    api_token_create(user=world.personas["principal_b1"], name="b1 dashboard")
    client.force_login(world.personas["teacher_a1"])
    page = client.get("/account/tokens/").content.decode()
    assert "teacher&#x27;s export" in page and "b1 dashboard" not in page


def test_ministry_officers_see_everyones_tokens(client, world) -> None:
    api_token_create(user=world.personas["teacher_a1"], name="teacher's export")
    api_token_create(user=world.personas["principal_b1"], name="b1 dashboard")
    client.force_login(world.personas["ministry"])
    page = client.get("/account/tokens/").content.decode()
    assert "teacher&#x27;s export" in page and "b1 dashboard" in page and "principal_b1" in page


def test_a_person_makes_a_token_on_the_page_and_sees_its_key_once(client, world) -> None:
    client.force_login(world.personas["principal_a1"])
    response = client.post("/account/tokens/", {"name": "nightly export", "days": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=world.personas["principal_a1"])
    key = response.content.decode().split('<code class="token-key">')[1].split("</code>")[0]
    assert api_token_user(key) == world.personas["principal_a1"]
    assert (token.expires - timezone.now()).days == 29
    assert AuditEntry.objects.filter(
        action=Action.TOKEN_CREATED, target="principal_a1", actor_label="principal_a1"
    ).exists()
    assert key not in client.get("/account/tokens/").content.decode()


def test_the_page_refuses_a_token_without_a_name_or_with_too_long_a_life(client, world) -> None:
    client.force_login(world.personas["principal_a1"])
    assert client.post("/account/tokens/", {"name": "", "days": "30"}).status_code == 400
    assert client.post("/account/tokens/", {"name": "x", "days": "1000"}).status_code == 400
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("persona", "owner", "status"),
    [
        ("teacher_a1", "teacher_a1", 302),  # their own
        ("principal_b1", "teacher_a1", 403),  # someone else's
        (
            "board_a",
            "teacher_a1",
            403,
        ),  # a board leader does not manage the board's people's tokens
        ("ministry", "teacher_a1", 302),  # ministry officers revoke any
        ("anonymous", "teacher_a1", 302),  # sent to sign in
    ],
)
def test_who_may_revoke_a_token_on_the_page(client, world, persona, owner, status) -> None:
    token, _ = api_token_create(user=world.personas[owner], name="export")
    if world.personas[persona] is not None:
        client.force_login(world.personas[persona])
    response = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == status
    revoked = not ApiToken.objects.filter(pk=token.pk).exists()
    assert revoked == (persona in ("teacher_a1", "ministry"))
    if revoked:
        assert response["Location"] == "/account/tokens/"
        assert AuditEntry.objects.filter(action=Action.TOKEN_REVOKED, actor_label=persona).exists()


# --- the command -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_capacity_token_create_list_and_revoke(world) -> None:
    created = runner.invoke(
        app, ["token", "create", "teacher_a1", "--name", "nightly", "--days", "7"]
    )
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert key.startswith(token.prefix) and (token.expires - timezone.now()).days == 6
    listed = runner.invoke(app, ["token", "list"])
    assert listed.exit_code == 0 and token.prefix in listed.output and "teacher_a1" in listed.output
    assert "never" in listed.output and key not in listed.output
    revoked = runner.invoke(app, ["token", "revoke", token.prefix])
    assert revoked.exit_code == 0, revoked.output
    assert not ApiToken.objects.exists() and api_token_user(key) is None
    entry = AuditEntry.objects.get(action=Action.TOKEN_REVOKED)
    assert entry.actor_label == "capacity token revoke" and entry.target == "teacher_a1"
    assert runner.invoke(app, ["token", "revoke", token.prefix]).exit_code == 1
    assert runner.invoke(app, ["token", "create", "teacher_a1", "--days", "400"]).exit_code == 2
