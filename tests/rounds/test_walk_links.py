"""Links the rounds' pages offer open for the person they are offered to: a network's
facilitator is not sent to a member school's own patterns (403), and a trustee, who reads no
rounds, finds no way to them on a school's page."""

from __future__ import annotations

import pytest

from tests.rounds.authz_visits import visit_a1, visit_net

pytestmark = pytest.mark.django_db


def signed_in(client, world, persona):
    client.force_login(world.personas[persona])
    return client


def test_the_facilitator_s_rounds_at_a_member_school_link_to_patterns_they_read(
    client, world
) -> None:
    visit = visit_net(world)
    number = world.school_b1.number
    signed_in(client, world, "facilitator")
    page = client.get(f"/rounds/?school={number}").content.decode()
    assert f"/rounds/visits/{visit.pk}/" in page
    assert f"/rounds/patterns/?school={number}" not in page
    assert 'href="/rounds/patterns/"' in page
    assert client.get(f"/rounds/patterns/?school={number}").status_code == 403
    assert client.get("/rounds/patterns/").status_code == 200


def test_the_school_s_own_staff_keep_the_link_to_its_patterns(client, world) -> None:
    visit_a1(world)
    number = world.school_a1.number
    page = signed_in(client, world, "principal_a1").get(f"/rounds/?school={number}")
    assert f"/rounds/patterns/?school={number}" in page.content.decode()


def test_a_network_visit_s_debrief_links_the_facilitator_only_to_patterns_they_read(
    client, world
) -> None:
    visit = visit_net(world)
    visit.stage = "debrief"
    visit.save(update_fields=["stage"])
    number = world.school_b1.number
    page = signed_in(client, world, "facilitator").get(f"/rounds/visits/{visit.pk}/debrief/")
    assert page.status_code == 200
    assert f"/rounds/patterns/?school={number}" not in page.content.decode()
    assert f"/rounds/patterns/?network={world.network.pk}" in page.content.decode()
    page = signed_in(client, world, "principal_b1").get(f"/rounds/visits/{visit.pk}/debrief/")
    assert f"/rounds/patterns/?school={number}" in page.content.decode()


def test_a_trustee_finds_no_rounds_on_a_school_s_page(client, world) -> None:
    number = world.school_a1.number
    page = signed_in(client, world, "trustee_a").get(f"/schools/{number}/")
    assert page.status_code == 200
    assert "/rounds/" not in page.content.decode()
    page = signed_in(client, world, "principal_a1").get(f"/schools/{number}/")
    assert f"/rounds/?school={number}" in page.content.decode()
