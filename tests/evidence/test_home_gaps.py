"""A school's team hears on its home page when a gap against the other students has widened."""

from __future__ import annotations

import pytest

from capacity.evidence import home_gaps
from tests.evidence.conftest import results_for
from tests.evidence.gaps_world import groups_a1


@pytest.fixture(autouse=True)
def _fresh_answers():
    from django.core.cache import cache

    from capacity.evidence.selectors import forget_cached, forget_data_version

    cache.clear()
    forget_cached()
    forget_data_version()


def test_a_principal_hears_of_a_widening_gap(world) -> None:
    groups_a1(world)
    # Special education at A1: 10 of 40 at 40% (others 80%) in 2017-18, 10 at 20% in 2023-24
    # (others (2800 - 200) / 30 = 86.7): from -40 to -66.7 points.
    results_for(world.school_a1, "2017-18", [40.0] * 6, group="special_education", participating=10)
    results_for(world.school_a1, "2023-24", [20.0] * 6, group="special_education", participating=10)
    (section,) = home_gaps.sections(world.personas["principal_a1"])
    (item,) = section.items
    assert item.text == "Aspen Public School: 6 gaps against the other students have widened"
    assert item.url == "/schools/700001/evidence/gaps/"
    assert "Students receiving special education" in item.detail
    assert "-40.0 to -66.7 points" in item.detail


def test_nothing_when_no_gap_widened_or_for_people_outside_a_school_team(world) -> None:
    groups_a1(world)  # the ELL gap narrows; girls and boys stay about the same
    assert home_gaps.sections(world.personas["principal_a1"]) == []
    assert home_gaps.sections(world.personas["ministry"]) == []
    assert home_gaps.sections(world.personas["principal_b1"]) == []
