"""Reading portfolios: families by whoever reads their board, ministry portfolios by officers."""

from __future__ import annotations

import pytest
from django.http import Http404

from capacity.directory import selectors_portfolios
from capacity.directory.services_portfolios import portfolio_save


@pytest.fixture
def both(world):
    leader, officer = world.personas["board_a"], world.personas["ministry"]
    family = portfolio_save(
        user=leader, name="North", holder=leader, board=world.board_a, schools=[world.school_a1]
    )
    boards = portfolio_save(user=officer, name="East", holder=officer, boards=[world.board_b])
    return family, boards


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("ministry", {"North", "East"}),
        ("board_a", {"North"}),
        ("trustee_a", {"North"}),
        ("principal_a1", set()),
        ("principal_b1", set()),
        ("facilitator", set()),
    ],
)
def test_who_reads_which_portfolios(world, both, persona, expected) -> None:
    found = selectors_portfolios.portfolios_for(world.personas[persona])
    assert {p.name for p in found} == expected


def test_a_portfolio_outside_what_one_reads_is_not_found(world, both) -> None:
    _family, boards = both
    with pytest.raises(Http404):
        selectors_portfolios.get_portfolio_for_user(world.personas["board_a"], boards.pk)
    portfolio, editable = selectors_portfolios.get_portfolio_for_user(
        world.personas["ministry"], boards.pk
    )
    assert portfolio == boards and editable


def test_my_portfolio_lists_what_the_person_looks_after(world, both) -> None:
    mine = selectors_portfolios.my_portfolio(world.personas["board_a"])
    assert mine.schools == [world.school_a1] and mine.boards == []
    assert selectors_portfolios.my_portfolio(world.personas["ministry"]).boards == [world.board_b]
