"""The case studies on the home pages: coordinators' queue, and the authors' own waiting work."""

from __future__ import annotations

import pytest
from django.utils import translation

from capacity.homeitems import DUE, RETURNED
from capacity.learning import home_authoring, services
from capacity.learning.models import Item

pytestmark = pytest.mark.django_db

FACTS = {"year": 2017, "characteristics": ["evidence"], "contexts": []}


def case(world, title: str) -> Item:
    body = {"title": title, "summary": "S", "themes": [], "sections": ["a"] * 7}
    return services.case_draft_create(
        user=world.personas["board_a"], board=world.board_a, facts=FACTS, texts={"en": body}
    )


def test_coordinators_see_the_case_studies_to_review_oldest_first_with_the_count(world) -> None:
    first, second = case(world, "First"), case(world, "Second")
    for item in (first, second):
        services.case_submit(user=world.personas["board_a"], item=item)
    (section,) = home_authoring.sections(world.personas["ministry"])
    assert section.title == "Case studies to review"
    assert [i.text for i in section.items] == [
        "First, from Alpha District School Board",
        "Second, from Alpha District School Board",
    ]
    assert section.items[0].url == f"/learning/{first.slug}/draft/"
    assert section.more_text == "All 2 case studies waiting"


def test_the_count_of_one_case_study_waiting_reads_well_in_both_languages(world) -> None:
    services.case_submit(user=world.personas["board_a"], item=case(world, "Alone"))
    (section,) = home_authoring.sections(world.personas["ministry"])
    assert section.more_text == "1 case study waiting"
    with translation.override("fr"):
        (section,) = home_authoring.sections(world.personas["ministry"])
        assert section.more_text == "1 étude de cas en attente"
    services.case_submit(user=world.personas["board_a"], item=case(world, "Second"))
    with translation.override("fr"):
        (section,) = home_authoring.sections(world.personas["ministry"])
        assert section.more_text == "Les 2 études de cas en attente"


def test_authors_see_returned_case_studies_first_then_unsubmitted_drafts(world) -> None:
    case(world, "Still a draft")
    returned = case(world, "Sent back")
    services.case_submit(user=world.personas["board_a"], item=returned)
    services.case_return(user=world.personas["ministry"], item=returned, comment="More.")
    waiting = case(world, "With the ministry")
    services.case_submit(user=world.personas["board_a"], item=waiting)
    (section,) = home_authoring.sections(world.personas["board_a"])
    assert section.title == "Your case studies"
    assert [(i.text, i.status) for i in section.items] == [
        ("Sent back", RETURNED),
        ("Still a draft", DUE),
    ]


def test_a_returned_case_study_is_said_returned_in_the_feminine_in_french(world) -> None:
    returned = case(world, "Sent back")
    services.case_submit(user=world.personas["board_a"], item=returned)
    services.case_return(user=world.personas["ministry"], item=returned, comment="More.")
    with translation.override("fr"):
        (section,) = home_authoring.sections(world.personas["board_a"])
    (item,) = section.items
    assert (item.status_text, item.date_text) == ("vous a été renvoyée", "renvoyée le")


@pytest.mark.parametrize("persona", ["trustee_a", "teacher_a1", "principal_b1", "facilitator"])
def test_readers_get_no_case_study_section(world, persona) -> None:
    item = case(world, "A draft")
    services.case_submit(user=world.personas["board_a"], item=item)
    assert home_authoring.sections(world.personas[persona]) == []


def test_the_home_page_shows_the_queue_to_the_ministry(client, world) -> None:
    item = case(world, "On the home page")
    services.case_submit(user=world.personas["board_a"], item=item)
    client.force_login(world.personas["ministry"])
    html = client.get("/").content.decode()
    assert "Case studies to review" in html and "On the home page" in html
