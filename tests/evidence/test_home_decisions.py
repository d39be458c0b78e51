"""The ministry's home item: identification decisions waiting."""

from __future__ import annotations

from capacity.evidence import home_decisions
from tests.evidence import decisions_world as dw


def test_the_ministry_sees_the_changes_waiting(world) -> None:
    proposal = dw.a1_confirmed(world)
    [section] = home_decisions.sections(world.personas["ministry"])
    assert section.title == "Identification decisions waiting"
    [item] = section.items
    assert item.text == "2 changes to focused intervention wait for a decision (2018-19)"
    assert item.url == f"/evidence/decisions/{proposal.pk}/"


def test_an_empty_section_says_what_would_appear(world) -> None:
    [section] = home_decisions.sections(world.personas["ministry"])
    assert not section.items and "After each results import" in section.empty


def test_no_one_else_gets_the_section(world) -> None:
    dw.proposal(world)
    for persona in ("board_a", "principal_a1", "trustee_a", "facilitator"):
        assert home_decisions.sections(world.personas[persona]) == []


def test_the_home_page_shows_it(client, world) -> None:
    dw.proposal(world)
    client.force_login(world.personas["ministry"])
    assert "Identification decisions waiting" in client.get("/").content.decode()


def test_the_items_policy_reads_in_french(world) -> None:
    from django.utils import translation

    dw.a1_confirmed(world)
    with translation.override("fr"):
        [section] = home_decisions.sections(world.personas["ministry"])
    assert section.items[0].detail.startswith("PIFO 2016")
