"""Home items of networks' work, and the messages networks send, in both languages."""

from __future__ import annotations

import datetime

from django.utils import timezone, translation

from capacity.notifications import kinds
from capacity.rounds import home_networks
from capacity.rounds.models import NetworkAction, NetworkCycle, NetworkSuggestion


def items(user) -> list:
    return [item for section in home_networks.sections(user) for item in section.items]


def test_a_facilitator_sees_the_cycle_stage_and_actions_due(world) -> None:
    today = timezone.localdate()
    facilitator = world.personas["facilitator"]
    [idle] = items(facilitator)
    assert "no cycle under way" in idle.text
    NetworkCycle.objects.create(
        network=world.network, number=1, focus="Fractions", stage="co_teach"
    )
    NetworkAction.objects.create(
        network=world.network, text="Send the prompts", due=today - datetime.timedelta(days=1)
    )
    NetworkAction.objects.create(
        network=world.network, text="Choose classrooms", due=today + datetime.timedelta(days=3)
    )
    NetworkAction.objects.create(
        network=world.network, text="Next term", due=today + datetime.timedelta(days=60)
    )
    cycle, late, soon = items(facilitator)
    assert "cycle 1, co-teach" in cycle.text
    assert (late.text, late.status) == ("Send the prompts", "overdue")
    assert (soon.text, soon.status) == ("Choose classrooms", "due")


def test_ministry_officers_see_suggestions_waiting(world) -> None:
    assert items(world.personas["ministry"]) == []
    NetworkSuggestion.objects.create(school_year="2018-19", explanation={})
    NetworkSuggestion.objects.create(school_year="2018-19", explanation={})
    [waiting] = items(world.personas["ministry"])
    assert waiting.text == "2 networks suggested from the 2018-19 results"
    assert waiting.url.endswith("?school_year=2018-19")
    assert items(world.personas["principal_b1"]) == []
    assert items(world.personas["facilitator"])[0].status == "info"  # their own network only


def test_the_messages_read_in_both_languages(world) -> None:
    params = {"network": 1, "name": "Shore", "number": 2, "agreed_on": "2024-09-01", "schools": 5}
    with translation.override("en"):
        assert kinds.subject("rounds_agreement_recorded", params) == (
            "Shore changed its working agreement"
        )
        assert "5 schools" in kinds.body("rounds_network_formed", params)
    with translation.override("fr"):
        subject = kinds.subject("rounds_agreement_recorded", params | {"number": 1})
        assert "Shore" in subject and "agreed" not in subject
        assert "2024" in kinds.body("rounds_agreement_recorded", params)
