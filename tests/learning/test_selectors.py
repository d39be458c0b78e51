"""Reads of the library (selectors.py): what is published, who reads drafts, versions."""

from __future__ import annotations

import pytest
from django.http import Http404

from capacity.learning import selectors, services
from capacity.learning.models import Item, Kind, Origin, State

pytestmark = pytest.mark.django_db

FACTS = {"year": 2018, "characteristics": ["relationships"], "contexts": ["mentoring"]}


def _text(title: str) -> dict:
    return {"title": title, "summary": "S.", "themes": [], "sections": ["A."] * 7}


def test_published_items_lists_modules_by_number_before_case_studies() -> None:
    services.load_shipped()
    items = list(selectors.published_items())
    kinds = [item.kind for item in items]
    assert kinds == [Kind.MODULE] * 8 + [Kind.CASE] * 12
    assert [item.number for item in items[:8]] == list(range(1, 9))
    assert [item.slug for item in items[8:]] == sorted(item.slug for item in items[8:])


def test_a_draft_is_missing_for_readers_and_there_for_its_board(world) -> None:
    item = services.case_draft_create(
        user=world.personas["board_a"], board=world.board_a, facts=FACTS, texts={"en": _text("T")}
    )
    for name in ("teacher_a1", "principal_b1", "facilitator"):
        with pytest.raises(Http404):
            selectors.get_item_for_user(world.personas[name], item.slug)
    for name in ("board_a", "trustee_a", "ministry"):
        found, rights = selectors.get_item_for_user(world.personas[name], item.slug)
        assert found == item and rights.read_drafts
    assert selectors.get_item_for_user(world.personas["board_a"], item.slug)[1].edit
    assert not selectors.get_item_for_user(world.personas["trustee_a"], item.slug)[1].edit
    assert selectors.get_item_for_user(world.personas["ministry"], item.slug)[1].coordinate


def test_drafts_and_the_review_queue_follow_the_workflow(world) -> None:
    leader, ministry = world.personas["board_a"], world.personas["ministry"]
    item = services.case_draft_create(
        user=leader, board=world.board_a, facts=FACTS, texts={"en": _text("T")}
    )
    assert list(selectors.drafts_for(leader)) == [item]
    assert not list(selectors.drafts_for(world.personas["principal_b1"]))
    assert not list(selectors.to_review(ministry))
    services.case_submit(user=leader, item=item)
    assert list(selectors.to_review(ministry)) == [item]
    assert not list(selectors.to_review(leader))
    services.case_publish(user=ministry, item=item)
    assert not list(selectors.drafts_for(leader))
    assert not list(selectors.to_review(ministry))


def test_readers_see_only_published_versions_and_an_unknown_number_is_missing(world) -> None:
    leader, ministry = world.personas["board_a"], world.personas["ministry"]
    item = services.case_draft_create(
        user=leader, board=world.board_a, facts=FACTS, texts={"en": _text("T")}
    )
    services.case_submit(user=leader, item=item)
    services.case_publish(user=ministry, item=item)
    item.refresh_from_db()
    services.case_draft_update(
        user=leader,
        item=item,
        revision=item.current.revision,
        facts=FACTS,
        texts={"en": _text("U")},
    )
    teacher = world.personas["teacher_a1"]
    item, rights = selectors.get_item_for_user(teacher, item.slug)
    assert [v.number for v in selectors.versions_for_user(item, rights)] == [1]
    with pytest.raises(Http404):
        selectors.get_version_for_user(item, rights, 2)
    item, rights = selectors.get_item_for_user(leader, item.slug)
    assert [v.number for v in selectors.versions_for_user(item, rights)] == [2, 1]
    assert selectors.get_version_for_user(item, rights, 2).state == State.DRAFT


def test_an_anonymous_visitor_finds_nothing() -> None:
    from django.contrib.auth.models import AnonymousUser

    Item.objects.create(kind=Kind.CASE, slug="x", origin=Origin.APP)
    with pytest.raises(Http404):
        selectors.get_item_for_user(AnonymousUser(), "x")
