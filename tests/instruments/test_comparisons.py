"""A school's figures beside the board's and the province's, only where enough places took part."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from capacity.instruments import selectors, services
from capacity.instruments.models import Instrument
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def school_round(world, school, value: int, answered: int = 5):
    round_, links = services.round_open(
        user=world.personas["board_a"],
        instrument=Instrument.objects.get(code="professional-capital"),
        school=school,
        roles=["principal"],
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=5),
        links=answered,
    )
    items = selectors.definition_of_round(round_).items
    for token in links:
        answers = {i.code: value for i in items}
        services.response_save(
            invitation=services.invitation_by_token(token), answers=answers, submit=True
        )
    return round_


def test_the_board_figure_appears_from_five_other_schools_with_enough_respondents(
    client, world
) -> None:
    mine = school_round(world, world.school_a1, 4)
    others = [SchoolFactory(board=world.board_a) for _ in range(5)]
    for school in others[:4]:
        school_round(world, school, 2)
    school_round(world, others[4], 2, answered=3)  # under its minimum: takes no part
    assert selectors.comparisons(mine) == []  # four schools with enough respondents: too few

    school_round(world, SchoolFactory(board=world.board_a), 2)
    (board, province) = selectors.comparisons(mine)
    assert (board.label, board.places, board.respondents) == ("board", 5, 25)
    # Human capital: 14 items at 2 and one reverse-scored (6 - 2 = 4): 32 for every respondent.
    assert board.means["human"] == 32
    assert province.places == 5
    client.force_login(world.personas["board_a"])
    page = client.get(f"/surveys/{mine.pk}/report/").content.decode()
    assert "Other schools of the board (5)" in page


def test_a_round_is_never_compared_with_itself(world) -> None:
    mine = school_round(world, world.school_a1, 4)
    school_round(world, world.school_a1, 1)  # another round of the same school
    assert selectors.comparisons(mine) == []
