"""The ledger's home items: capacity waiting for "did it help?", requests sent on to the ministry."""

from __future__ import annotations

from capacity.planning import home_ledger, services_ledger
from tests.planning.ledger_kit import ask, give


def test_the_team_is_asked_whether_it_helped(world) -> None:
    gift = give(world, kind="release_days", amount="3")
    (section,) = home_ledger.sections(world.personas["principal_a1"])
    assert section.heading_id == "home-ledger-helped"
    assert section.items[0].text == "3 release days given to Aspen Public School"
    assert section.items[0].url == f"/plans/ledger/given/{gift.pk}/"
    assert home_ledger.sections(world.personas["teacher_a1"]) == []
    services_ledger.capacity_say_helped(
        user=world.personas["team_a1"], gift=gift, helped="helped", seen=1
    )
    assert home_ledger.sections(world.personas["principal_a1"]) == []


def test_the_ministry_sees_requests_sent_on(world) -> None:
    assert home_ledger.sections(world.personas["ministry"]) == []
    request = ask(world)
    services_ledger.support_escalate(
        user=world.personas["board_a"], request=request, reason="No coach"
    )
    (section,) = home_ledger.sections(world.personas["ministry"])
    assert (
        section.heading_id == "home-ledger-escalated"
        and section.items[0].url == f"/support/{request.pk}/"
    )
    assert home_ledger.sections(world.personas["board_a"]) == []


def test_the_home_page_shows_a_new_entry_at_once(world, client) -> None:
    client.force_login(world.personas["principal_a1"])
    assert "did it help?" not in client.get("/").content.decode()
    give(world)
    assert "Capacity given: did it help?" in client.get("/").content.decode()
