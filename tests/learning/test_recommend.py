"""What to read next, on a hand-built board: its self-assessment through the instruments'
services, its weakest characteristics, and the modules and case studies they lead to."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from capacity.directory.models import Board, Language, Role, User
from capacity.instruments import services as instrument_services
from capacity.instruments.definition import from_json
from capacity.instruments.models import Instrument, Round
from capacity.learning import recommend
from capacity.learning.services import load_shipped
from tests.factories import BoardFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

# Strong on everything but the use of evidence (the lowest) and leadership development.
CLEAR = {"evidence": [1, 2, 1, 1, 2, 1], "leadership": [2, 2, 3, 2, 2, 2]}


def answers_for(lean: dict[str, list[int]], index: int) -> dict[str, int]:
    """The `index`th respondent's answers: each dimension's items at its lean (4 otherwise)."""
    definition = from_json(Instrument.objects.get(code="strong-districts").definition)
    out = {}
    for dimension in definition.dimensions:
        values = lean.get(dimension.code)
        value = values[index % len(values)] if values else (4 if index % 3 else 3)
        for item in dimension.items:
            out[item.code] = value
    return out


def self_assessed_board(
    *,
    name: str = "Conseil scolaire catholique du Lac-Vert",
    language: str = Language.FRENCH,
    board_type: str = Board.Type.CATHOLIC,
    respondents: int = 6,
    lean: dict[str, list[int]] | None = None,
    schools: int = 4,
) -> tuple[Board, User]:
    """A board with a leader, a trustee and `schools` principals, whose round of the nine
    characteristics was opened, answered by `respondents` of them and closed, all through the
    instruments' services. Returns the board and its leader."""
    board = BoardFactory(name=name, language=language, board_type=board_type)
    leader = UserFactory(username=f"leader.{board.number}")
    MembershipFactory(user=leader, role=Role.BOARD_LEADER, board=board)
    MembershipFactory(
        user=UserFactory(username=f"trustee.{board.number}"), role=Role.TRUSTEE, board=board
    )
    for n in range(schools):
        school = SchoolFactory(board=board)
        MembershipFactory(
            user=UserFactory(username=f"principal.{board.number}.{n}"),
            role=Role.PRINCIPAL,
            school=school,
        )
    today = timezone.localdate()
    round_, _links = instrument_services.round_open(
        user=leader,
        instrument=Instrument.objects.get(code="strong-districts"),
        board=board,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
    )
    for index, invitation in enumerate(round_.invitations.order_by("pk")[:respondents]):
        instrument_services.response_save(
            invitation=invitation, answers=answers_for(lean or CLEAR, index), submit=True
        )
    instrument_services.round_close(round_=round_, user=leader)
    return board, leader


def slugs(found: list[recommend.Recommendation], kind: str) -> list[str]:
    return [r.item.slug for r in found if r.item.kind == kind]


@pytest.fixture
def library() -> None:
    load_shipped()


def test_the_two_clearly_weakest_characteristics_come_out_lowest_first(library) -> None:
    board, _leader = self_assessed_board()
    weakest = recommend.weakest_characteristics(board)
    assert [w.characteristic for w in weakest] == ["evidence", "leadership_development"]
    assert weakest[0].mean == pytest.approx(8 / 6)  # 1, 2, 1, 1, 2, 1
    assert (weakest[0].scale_min, weakest[0].scale_max) == (1, 4)


def test_it_recommends_the_modules_for_the_weakest_first(library) -> None:
    board, _leader = self_assessed_board()
    found = recommend.what_to_read_next(board)
    assert slugs(found, "module") == ["using-evidence", "leadership-development"]
    first = found[0]
    assert first.reasons == (
        "Your board's lowest-rated characteristic: Use of multiple sources of evidence to inform "
        "decisions (1.33 on a scale of 1 to 4)",
    )


def test_case_studies_of_a_board_of_the_same_type_come_before_the_others(library) -> None:
    # A French Catholic board of four schools: the two French Catholic cases about its weakest
    # characteristics first (the newer first), then the others, newest first.
    board, _leader = self_assessed_board()
    found = recommend.what_to_read_next(board)
    cases = slugs(found, "case")
    assert cases == [
        "ste-anne-evidence-francophone",
        "grand-lac-mentoring-catholique",
        "lakeshore-data-cycles",
        "highland-principal-pipeline",
    ]
    # Grand-Lac is about the second weakest and older, yet comes before Lakeshore (evidence).
    assert cases.index("grand-lac-mentoring-catholique") < cases.index("lakeshore-data-cycles")
    by_slug = {r.item.slug: r for r in found}
    assert "A French Catholic board like yours" in by_slug["grand-lac-mentoring-catholique"].reasons
    assert not any("like yours" in r for r in by_slug["lakeshore-data-cycles"].reasons)


def test_among_boards_of_the_same_type_a_similar_size_comes_before_a_newer_case(library) -> None:
    board = BoardFactory(language=Language.ENGLISH, board_type=Board.Type.PUBLIC)
    SchoolFactory.create_batch(20, board=board)
    weakest = [
        recommend.Weak("leadership_development", 1.5, 1, 4, 0),
        recommend.Weak("evidence", 1.8, 1, 4, 1),
    ]
    found = recommend.recommend(board, weakest)
    # Highland (35 schools, 2012) is of a similar size; Lakeshore (47, 2014) is not.
    assert slugs(found, "case") == [
        "highland-principal-pipeline",
        "lakeshore-data-cycles",
        "ste-anne-evidence-francophone",
        "grand-lac-mentoring-catholique",
    ]
    highland = next(r for r in found if r.item.slug == "highland-principal-pipeline")
    assert highland.reasons[1:] == (
        "An English public board like yours",
        "A board of a similar size: 35 schools (yours: 20)",
    )


def test_below_the_reporting_minimum_nothing_is_recommended(library) -> None:
    board, _leader = self_assessed_board(respondents=4)  # the instrument reports from 5
    assessment = recommend.self_assessment(board)
    assert assessment is not None and not assessment.shown
    assert assessment.respondents == 4 and assessment.minimum == 5
    assert all(m.mean is None and m.hidden == "small" for m in assessment.means)
    assert recommend.weakest_characteristics(board) == []
    assert recommend.what_to_read_next(board) == []


def test_the_latest_closed_round_counts_not_an_older_one_nor_one_still_open(library) -> None:
    board, leader = self_assessed_board()
    older = Round.objects.get(board=board)
    # This year's round, closed with too few answers: nothing is recommended, even though last
    # year's round had figures (they no longer describe the board).
    Round.objects.filter(pk=older.pk).update(
        opens_on=older.opens_on - datetime.timedelta(days=380),
        closes_on=older.closes_on - datetime.timedelta(days=380),
    )
    today = timezone.localdate()
    newer, _links = instrument_services.round_open(
        user=leader,
        instrument=Instrument.objects.get(code="strong-districts"),
        board=board,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=7),
    )
    assert recommend.latest_round(board) == older  # an open round is not a self-assessment yet
    instrument_services.round_close(round_=newer, user=leader)
    assert recommend.latest_round(board) == newer
    assert recommend.what_to_read_next(board) == []


def test_a_board_without_a_self_assessment_gets_nothing(library) -> None:
    board = BoardFactory()
    assert recommend.self_assessment(board) is None
    assert recommend.what_to_read_next(board) == []


def test_a_tie_is_broken_in_planning_order_of_the_nine(library) -> None:
    both_low = {"evidence": [2], "mission": [2], "trustees": [2]}
    board, _leader = self_assessed_board(lean=both_low)
    assert [w.characteristic for w in recommend.weakest_characteristics(board)] == [
        "mission",
        "evidence",
    ]


def test_similar_size_is_within_a_factor_of_two() -> None:
    similar: Callable[[int | None, int], bool] = recommend.similar_size
    assert similar(40, 20) and similar(10, 20) and not similar(41, 20) and not similar(None, 20)
