"""The board home page's "What to read next" (capacity/learning/home_profiles.py)."""

from __future__ import annotations

import datetime
import html as entities

import pytest
from django.utils import timezone

from capacity.instruments import services as instrument_services
from capacity.instruments.models import Instrument
from capacity.learning import home_profiles
from capacity.learning.services import load_shipped
from tests.learning.test_recommend import CLEAR, answers_for
from tests.learning.test_views_profiles import closed_round

pytestmark = pytest.mark.django_db


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return entities.unescape(response.content.decode())


def test_a_board_leader_sees_the_top_modules_and_a_case_study_with_their_reasons(world) -> None:
    load_shipped()
    closed_round(world.board_a, world.personas["board_a"], respondents=6)
    [section] = home_profiles.sections(world.personas["board_a"])
    assert section.title == "What to read next: Alpha District School Board"
    assert section.more_url == "/learning/boards/B66001/"
    assert [item.url for item in section.items] == [
        "/learning/using-evidence/",
        "/learning/leadership-development/",
        # English public like board A; neither English public case's board is near its two
        # schools in size, so the newer one (2014, about the weakest) comes first.
        "/learning/lakeshore-data-cycles/",
    ]
    assert section.items[0].detail.startswith("Your board's lowest-rated characteristic: Use of")
    assert "An English public board like yours" in section.items[2].detail


def test_only_those_who_lead_a_board_get_the_section(world) -> None:
    for persona in ("ministry", "trustee_a", "principal_a1", "teacher_a1", "principal_b1"):
        assert home_profiles.sections(world.personas[persona]) == [], persona


def test_below_the_minimum_the_section_says_why_it_is_empty(world) -> None:
    load_shipped()
    closed_round(world.board_a, world.personas["board_a"], respondents=3)
    [section] = home_profiles.sections(world.personas["board_a"])
    assert section.items == ()
    assert "fewer than 5 respondents" in section.empty


def test_a_round_closing_shows_on_the_next_visit_to_the_home_page(client, world) -> None:
    load_shipped()
    leader = world.personas["board_a"]
    today = timezone.localdate()
    round_, tokens = instrument_services.round_open(
        user=leader,
        instrument=Instrument.objects.get(code="strong-districts"),
        board=world.board_a,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
        links=6,
    )
    for index, token in enumerate(tokens):
        invitation = instrument_services.invitation_by_token(token)
        assert invitation is not None
        instrument_services.response_save(
            invitation=invitation, answers=answers_for(CLEAR, index), submit=True
        )
    before = home(client, leader)
    assert "What to read next: Alpha District School Board" in before
    assert "Once a self-assessment of the nine characteristics closes" in before
    instrument_services.round_close(round_=round_, user=leader)
    after = home(client, leader)  # the home sections are kept: the closed round must show
    assert "Your board's lowest-rated characteristic" in after
    assert "/learning/using-evidence/" in after
