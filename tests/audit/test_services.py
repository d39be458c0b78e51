"""audit_record: one entry per sensitive action, naming who acted even when they are not a signed-in person."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from capacity.audit.models import Action
from capacity.audit.services import audit_record, client_ip


def test_it_records_the_person_their_name_and_where_they_acted_from(world) -> None:
    principal = world.personas["principal_a1"]
    request = RequestFactory().post("/plans/new/", REMOTE_ADDR="203.0.113.9")
    entry = audit_record(
        action=Action.PLAN_CREATED,
        actor=principal,
        target="Aspen Public School 2018-19",
        detail={"plan": 7},
        request=request,
    )
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_label, entry.ip_address) == (
        principal,
        "principal_a1",
        "203.0.113.9",
    )
    assert (entry.action, entry.target, entry.detail) == (
        "plan_created",
        "Aspen Public School 2018-19",
        {"plan": 7},
    )


def test_a_command_or_an_anonymous_visitor_is_named_by_its_label(db) -> None:
    by_command = audit_record(action=Action.DEMO_LOADED, actor_label="capacity demo")
    failed = audit_record(
        action=Action.SIGN_IN_FAILED, actor=AnonymousUser(), actor_label="", target="someone"
    )
    assert (by_command.actor, by_command.actor_label, by_command.detail) == (
        None,
        "capacity demo",
        {},
    )
    assert (failed.actor, failed.actor_label, failed.ip_address) == (None, "", None)


def test_a_given_label_wins_over_the_username(world) -> None:
    entry = audit_record(
        action=Action.TOKEN_REVOKED,
        actor=world.personas["ministry"],
        actor_label="ministry (admin)",
    )
    assert entry.actor_label == "ministry (admin)"


def test_long_labels_and_targets_are_cut_to_fit_their_columns(db) -> None:
    entry = audit_record(action=Action.IMPORT_REJECTED, actor_label="x" * 250, target="y" * 400)
    entry.refresh_from_db()
    assert (len(entry.actor_label), len(entry.target)) == (200, 300)


def test_an_address_is_read_only_from_the_connection() -> None:
    factory = RequestFactory()
    assert client_ip(None) is None
    assert client_ip(factory.get("/", REMOTE_ADDR="")) is None
    # A forwarded header is anyone's to write: it is not the address recorded.
    spoofed = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(spoofed) == "10.0.0.2"
