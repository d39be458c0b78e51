"""The library's links to its own pages (capacity/learning/navigation.py), each shown only to
those the page is for, on the library page and in the guide."""

from __future__ import annotations

import pytest
from django.urls import reverse

from capacity.learning import navigation, services
from capacity.learning.services import load_shipped

pytestmark = pytest.mark.django_db

CASE_TEXT = {
    "title": "Trios",
    "summary": "Principals read data in trios.",
    "themes": [],
    "sections": [f"Answer {n}." for n in range(1, 8)],
}


def keys(user) -> list[str]:
    return [link.key for link in navigation.library_links(user)]


def test_a_board_leader_without_drafts_is_offered_to_write_a_case_study(world) -> None:
    assert keys(world.personas["board_a"]) == ["guide", "boards", "sessions", "write"]


def test_a_trustee_reaches_the_board_profiles_and_the_boards_drafts(world) -> None:
    assert keys(world.personas["trustee_a"]) == ["guide", "boards"]
    services.case_draft_create(
        user=world.personas["board_a"],
        board=world.board_a,
        facts={"year": 2019, "characteristics": ["evidence"], "contexts": []},
        texts={"en": CASE_TEXT},
    )
    assert keys(world.personas["trustee_a"]) == ["guide", "boards", "drafts"]


def test_a_ministry_officer_reaches_the_profiles_and_the_review_queue(world) -> None:
    assert keys(world.personas["ministry"]) == ["guide", "boards", "sessions", "review"]


def test_a_teacher_sees_only_the_guide_until_they_take_part_in_a_session(world) -> None:
    assert keys(world.personas["teacher_a1"]) == ["guide"]


def test_the_library_page_shows_the_links_in_the_library_block(client, world) -> None:
    load_shipped()
    client.force_login(world.personas["ministry"])
    page = client.get(reverse("learning_library")).content.decode()
    block = page[page.index('id="in-library-h"') : page.index("</nav>", page.index("in-library-h"))]
    for url in ("/learning/guide/", "/learning/boards/", "/learning/review/"):
        assert f'href="{url}"' in block
    assert "/learning/cases/new/" not in block


def test_the_guide_links_its_sections_and_each_context_to_the_filtered_library(
    client, world
) -> None:
    client.force_login(world.personas["board_a"])
    page = client.get(reverse("learning_guide")).content.decode()
    assert 'href="/learning/boards/">Board profiles</a>' in page
    assert f'href="/learning/boards/{world.board_a.number}/">What to read next</a>' in page
    assert 'href="/learning/cases/new/">Write a case study</a>' in page
    assert 'href="/learning/sessions/">Module sessions</a>' in page
    assert 'href="/learning/?context=mentoring"' in page
    assert page.count('href="/learning/?context=') == 6


def test_the_guide_offers_a_teacher_no_page_they_may_not_use(client, world) -> None:
    client.force_login(world.personas["teacher_a1"])
    page = client.get(reverse("learning_guide")).content.decode()
    assert "/learning/boards/" not in page and "/learning/cases/new/" not in page
    assert page.count('href="/learning/?context=') == 6
