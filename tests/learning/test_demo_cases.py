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


def test_each_demo_case_study_tells_the_story_of_its_own_title(world) -> None:
    director = UserFactory(username="director")
    MembershipFactory(user=director, role=Role.BOARD_LEADER, board=world.board_a)
    build_demo_cases(seed=1)
    texts = {
        text.title: " ".join(body for _heading, body in text.sections)
        for item in Item.objects.select_related("current")
        for text in item.current.texts.all()
    }
    assert len(set(texts.values())) == 4  # no two share their answers
    assert "vice-principal" in texts["Growing vice-principals into principals"]
    assert "budget" in texts["Budget lines that follow the plan"]
    assert "trios" in texts["Principals reading data in trios"]
    assert "trios" in texts["Lire nos données en équipe"]
