"""The navigation's "Rounds" entry: for everyone whose roles reach some rounds, never for a trustee
alone (rounds are professional learning, not governance)."""

from __future__ import annotations

import pytest

from capacity.directory import access
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_rounds_are_in_the_navigation_of_those_they_concern(client, world, persona) -> None:
    user = world.personas[persona]
    client.force_login(user)
    page = client.get("/").content.decode()
    shown = 'href="/rounds/"' in page
    assert shown == (persona != "trustee_a"), persona
    assert access.may_take_part_in_rounds(user) == shown


def test_the_rounds_index_links_to_lesson_studies_patterns_and_for_formers_suggestions(
    client, world
) -> None:
    client.force_login(world.personas["principal_a1"])
    page = client.get("/rounds/").content.decode()
    assert 'href="/rounds/lessons/"' in page and 'href="/rounds/patterns/"' in page
    assert "/rounds/networks/suggestions/" not in page
    client.force_login(world.personas["ministry"])
    assert "/rounds/networks/suggestions/" in client.get("/rounds/").content.decode()
