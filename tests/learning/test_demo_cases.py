"""The demo's case studies: four of the director's board, each at a step of the workflow."""

from __future__ import annotations

import pytest

from capacity.directory.models import Role
from capacity.learning.demo_cases import build_demo_cases
from capacity.learning.models import Comment, Item, State
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_writes_a_draft_a_submitted_a_returned_and_a_published_french_case(world) -> None:
    director = UserFactory(username="director")
    MembershipFactory(user=director, role=Role.BOARD_LEADER, board=world.board_a)
    assert build_demo_cases(seed=1) == {"case_studies_written": 4, "case_studies_published": 1}
    states = sorted(
        (item.current.state, item.current.number)
        for item in Item.objects.select_related("current")
        if item.current is not None
    )
    assert states == [
        (State.DRAFT, 1),
        (State.PUBLISHED, 2),
        (State.RETURNED, 1),
        (State.SUBMITTED, 1),
    ]
    published = Item.objects.get(published__isnull=False)
    assert published.published is not None
    assert [t.language for t in published.published.texts.all()] == ["fr"]
    assert Comment.objects.filter(kind=Comment.Kind.RETURNED).count() == 2
    assert all(item.board == world.board_a for item in Item.objects.all())
