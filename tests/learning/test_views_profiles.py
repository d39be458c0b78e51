"""Board profiles (/learning/boards/): who sees a board, its figures and what to read next."""

from __future__ import annotations

import datetime
import html as entities

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from capacity.directory.models import Board
from capacity.instruments import services as instrument_services
from capacity.instruments.models import Instrument, Round
from capacity.learning import profiles
from capacity.learning.services import load_shipped
from tests.evidence.conftest import results_for
from tests.factories import BoardFactory
from tests.learning.test_recommend import CLEAR, answers_for

pytestmark = pytest.mark.django_db


def closed_round(board: Board, leader, *, respondents: int) -> Round:
    """A round of the nine characteristics for `board`, answered through single-use links by
    `respondents` people (the evidence of weakness in CLEAR) and closed by its leader."""
    today = timezone.localdate()
    round_, tokens = instrument_services.round_open(
        user=leader,
        instrument=Instrument.objects.get(code="strong-districts"),
        board=board,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
        links=respondents,
    )
    for index, token in enumerate(tokens):
        invitation = instrument_services.invitation_by_token(token)
        assert invitation is not None
        instrument_services.response_save(
            invitation=invitation, answers=answers_for(CLEAR, index), submit=True
        )
    return instrument_services.round_close(round_=round_, user=leader)


@pytest.fixture
def assessed(world):
    """Board A with results for A1 (and B1, for the province), the library, and a closed
    self-assessment answered by six people."""
    load_shipped()
    for year in ("2017-18", "2018-19"):
        results_for(world.school_a1, year, [40, 42, 30, 45, 48, 70])
        results_for(world.school_b1, year, [80, 75, 70, 85, 82, 60])
    closed_round(world.board_a, world.personas["board_a"], respondents=6)
    return world


def page(client, user, path: str):
    client.force_login(user)
    return client.get(path)


def test_a_board_leader_reads_the_profile_with_its_weakest_characteristics(client, assessed):
    w = assessed
    response = page(client, w.personas["board_a"], f"/learning/boards/{w.board_a.number}/")
    assert response.status_code == 200
    html = entities.unescape(response.content.decode())
    assert "Alpha District School Board" in html
    assert "Use of multiple sources of evidence to inform decisions" in html
    assert "1.33" in html and html.count("among the weakest") == 2
    # What to read next: the modules for the two weakest, with their reasons.
    recommendations = response.context["profile"].recommendations
    assert [r.item.slug for r in recommendations if r.item.kind == "module"] == [
        "using-evidence",
        "leadership-development",
    ]
    assert "Your board's lowest-rated characteristic" in html
    assert "An English public board like yours" in html
    report = Round.objects.get(board=w.board_a).pk
    assert f"/surveys/{report}/report/" in html


def test_a_ministry_officer_reads_the_reasons_about_this_board_not_theirs(client, assessed):
    w = assessed
    response = page(client, w.personas["ministry"], f"/learning/boards/{w.board_a.number}/")
    html = entities.unescape(response.content.decode())
    assert response.context["profile"].recommendations
    assert "This board's lowest-rated characteristic" in html
    assert "An English public board like this one" in html
    assert "your board" not in html.lower() and "like yours" not in html


def test_the_results_stand_beside_the_provinces_for_the_latest_year(client, assessed):
    w = assessed
    profile = page(client, w.personas["board_a"], f"/learning/boards/{w.board_a.number}/").context[
        "profile"
    ]
    assert profile.year == "2018-19"
    first = profile.results[0]
    assert first.assessment == "G3-READ"
    assert first.board == pytest.approx(40.0)
    assert first.province == pytest.approx(60.0)  # A1's 40% and B1's 80%, 40 students each


def test_a_trustee_learns_that_it_exists_and_who_reads_it_not_its_figures(client, assessed):
    w = assessed
    response = page(client, w.personas["trustee_a"], f"/learning/boards/{w.board_a.number}/")
    assert response.status_code == 200
    html = entities.unescape(response.content.decode())
    assert "The board's last self-assessment closed on" in html
    assert "Its report is read by the board's leaders and the ministry's officers." in html
    assert "1.33" not in html and "among the weakest" not in html
    assert "lowest-rated" not in html
    assert response.context["profile"].recommendations == []
    assert "since it names the board's weakest characteristics" in html


def test_below_the_reporting_minimum_the_page_says_why_nothing_is_recommended(client, world):
    load_shipped()
    closed_round(world.board_a, world.personas["board_a"], respondents=4)
    response = page(client, world.personas["board_a"], f"/learning/boards/{world.board_a.number}/")
    html = entities.unescape(response.content.decode())
    assert response.context["profile"].recommendations == []
    assert "Nothing is recommended: the last self-assessment had fewer than 5 respondents" in html
    assert "fewer than 5 respondents" in html and "hidden" in html
    assert "4 people answered" in html


def test_without_a_self_assessment_it_says_when_recommendations_appear(client, world):
    response = page(client, world.personas["ministry"], f"/learning/boards/{world.board_b.number}/")
    assert response.status_code == 200
    html = entities.unescape(response.content.decode())
    assert "No self-assessment of the nine characteristics has closed for this board yet." in html
    assert "Recommendations appear once a self-assessment" in html
    assert "No assessment results have been imported" in html


def test_a_board_outside_the_persons_part_of_the_organisation_is_refused(client, world):
    assert page(client, world.personas["board_a"], "/learning/boards/B66002/").status_code == 403
    assert page(client, world.personas["board_a"], "/learning/boards/B99999/").status_code == 404


def test_the_list_shows_the_boards_the_person_sees_with_their_last_self_assessment(
    client, assessed
):
    w = assessed
    response = page(client, w.personas["board_a"], "/learning/boards/")
    assert [board.number for board, _last in response.context["rows"]] == ["B66001"]
    assert response.context["rows"][0][1] == timezone.localdate() + datetime.timedelta(days=14)
    ministry = page(client, w.personas["ministry"], "/learning/boards/")
    assert [board.number for board, _last in ministry.context["rows"]] == ["B66001", "B66002"]
    assert "none yet" in ministry.content.decode()


def test_the_list_reads_a_fixed_number_of_queries_however_many_boards(client, world):
    client.force_login(world.personas["ministry"])
    client.get("/learning/boards/")
    with CaptureQueriesContext(connection) as few:
        client.get("/learning/boards/")
    BoardFactory.create_batch(5)
    with CaptureQueriesContext(connection) as more:
        response = client.get("/learning/boards/")
    assert len(response.context["rows"]) == 7
    assert len(more) == len(few)


def test_the_boards_own_published_case_studies_are_listed(world):
    from capacity.learning.models import Item

    load_shipped()
    case = Item.objects.filter(kind="case").first()
    assert case is not None
    Item.objects.filter(pk=case.pk).update(board=world.board_a)
    assert [item.slug for item in profiles.board_cases(world.board_a)] == [case.slug]
    assert profiles.board_cases(world.board_b) == []


def test_the_scales_legend_in_french_has_a_space_before_each_colon(client, assessed):
    w = assessed
    client.force_login(w.personas["board_a"])
    page = client.get(
        f"/learning/boards/{w.board_a.number}/", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "1\u00a0: " in page and "4\u00a0: " in page
