"""The partners part's home items (capacity/evidence/home_partners.py): the team of an identified
school is pointed to its partners; nobody else gets a section."""

from __future__ import annotations

import pytest
from django.urls import reverse

from capacity.evidence import home_partners
from tests.evidence import partners_world

pytestmark = pytest.mark.django_db


def test_the_team_of_an_identified_school_is_pointed_to_its_partners(world):
    partners_world.build(world)
    for name in ("principal_a1", "team_a1"):
        (section,) = home_partners.sections(world.personas[name])
        (item,) = section.items
        assert item.url == reverse("partners_school", args=["700001"])
        assert item.text == "Aspen Public School: schools in a similar context that beat the odds"
    for name in ("teacher_a1", "trustee_a", "board_a", "ministry", "principal_b1", "facilitator"):
        assert home_partners.sections(world.personas[name]) == [], name


def test_nothing_before_results_or_when_the_school_is_not_identified(world):
    assert home_partners.sections(world.personas["principal_a1"]) == []
    partners_world.build(world)
    assert home_partners.sections(world.personas["principal_b1"]) == []
