"""The compliance register: a leader's own list of requirements, A to do well, C to delegate."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from capacity.instruments import services
from capacity.instruments.models import RegisterEntry

pytestmark = pytest.mark.django_db


def test_a_principal_keeps_a_register_only_they_see(client, world) -> None:
    principal = world.personas["principal_a1"]
    services.register_entry_add(
        user=principal,
        requirement="Fire drill records",
        category="C",
        delegated_to="Office manager",
    )
    services.register_entry_add(
        user=principal, requirement="Grade 3 reading plan", category="A", owner="Me"
    )
    client.force_login(principal)
    page = client.get("/register/").content.decode()
    assert page.index("Grade 3 reading plan") < page.index("Fire drill records")  # A items first
    entry = RegisterEntry.objects.get(category="C")
    client.force_login(world.personas["principal_b1"])
    assert "Fire drill" not in client.get("/register/").content.decode()
    assert client.get(f"/register/{entry.pk}/").status_code == 404
    client.force_login(world.personas["teacher_a1"])
    assert client.get("/register/").status_code == 403


def test_an_a_item_is_not_delegated_and_a_stale_edit_is_refused(world) -> None:
    principal = world.personas["principal_a1"]
    with pytest.raises(ValidationError) as refused:
        services.register_entry_add(
            user=principal, requirement="Literacy block", category="A", delegated_to="VP"
        )
    assert "delegated_to" in refused.value.message_dict
    entry = services.register_entry_add(user=principal, requirement="Bus duty roster", category="C")
    services.register_entry_update(entry=entry, user=principal, seen=1, done=True)
    with pytest.raises(ValidationError, match="changed since you opened it"):
        services.register_entry_update(entry=entry, user=principal, seen=1, owner="Someone")
    with pytest.raises(PermissionDenied):
        services.register_entry_update(
            entry=entry, user=world.personas["principal_b1"], seen=2, done=False
        )
    with pytest.raises(PermissionDenied):
        services.register_entry_add(
            user=world.personas["teacher_a1"], requirement="x", category="C"
        )


def test_the_register_page_adds_edits_and_removes(client, world) -> None:
    client.force_login(world.personas["board_a"])
    answer = client.post(
        "/register/",
        {"requirement": "Annual privacy report", "category": "C", "delegated_to": "Records clerk"},
    )
    assert answer.status_code == 302
    entry = RegisterEntry.objects.get()
    saved = client.post(
        f"/register/{entry.pk}/",
        {
            "requirement": "Annual privacy report",
            "category": "C",
            "reviewed_on": "2026-11-30",
            "version": "1",
        },
    )
    assert saved.status_code == 302
    entry.refresh_from_db()
    assert entry.reviewed_on.isoformat() == "2026-11-30" and entry.version == 2
    assert client.post(f"/register/{entry.pk}/", {"delete": "1"}).status_code == 302
    assert not RegisterEntry.objects.exists()
