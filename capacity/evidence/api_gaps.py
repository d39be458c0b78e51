"""API for gaps against the other students, gap trends, the context gap and cohorts.

The same reads as the gaps pages (selectors_gaps), for the same people: a school's for whoever
reads its evidence, a board's for whoever reads the board's. Every figure has passed the
disclosure gate; a comparison that cannot be made says why (`why_not`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from capacity.api_common import PLAIN_TEXT, answers
from capacity.directory import access
from capacity.evidence import selectors_gaps as gaps
from capacity.schoolnumbers import MAX_LENGTH as SCHOOL_NUMBER_MAX_LENGTH

router = Router(tags=["evidence"])


class AgainstOthersOut(Schema):
    school_year: str
    assessment: str
    group: str
    pct_at_standard: float | None
    participating: int | None
    others_pct: float | None = Field(
        description="% at standard of the other students (all students minus the group)"
    )
    others_participating: int | None
    gap: float | None = Field(description="Group minus the other students, percentage points")
    why_not: str = Field(
        "",
        description='Why there is no comparison: "no_figure" (hidden or not reported), '
        '"no_counts", "others_small"; empty when there is one',
    )
    schools: int | None = Field(None, description="Boards: the schools whose counts are known")


class YearCellOut(Schema):
    year: str
    gap: float | None
    note: str = Field(description='"" with a gap; "no_tests" (COVID-19), "no_results", "no_gap"')


class GapTrendOut(Schema):
    group: str
    assessment: str
    direction: str = Field(description='"narrowing", "widening", "steady" or "one_year"')
    first_year: str
    first_gap: float
    last_year: str
    last_gap: float
    change: float = Field(description="Size of the last gap minus the size of the first")
    cells: list[YearCellOut]


class ContextGapOut(Schema):
    year: str
    actual: float
    predicted: float
    gap: float = Field(description="Actual minus predicted, percentage points")
    existence_proof: bool


class BoardContextOut(Schema):
    year: str
    schools: int
    mean_gap: float = Field(description="Mean of the schools' gaps, each school counting once")
    above: int


class CohortOut(Schema):
    subject: str
    grade3_year: str
    grade3_pct: float
    grade6_year: str
    grade6_pct: float
    change: float
    schools: int | None = None


class SchoolGapsOut(Schema):
    school_number: str
    against_others: list[AgainstOthersOut]
    trends: list[GapTrendOut]
    context_gap: list[ContextGapOut]
    cohorts: list[CohortOut]


class BoardGapsOut(Schema):
    board_number: str
    against_others: list[AgainstOthersOut]
    trends: list[GapTrendOut]
    context_gap: list[BoardContextOut]
    cohorts: list[CohortOut]


@router.get(
    "/schools/{number}/gaps",
    response=answers(SchoolGapsOut, 403, 404),
    url_name="api_gaps_school",
    summary="A school's groups against the other students, gap trends, context gap and cohorts",
)
def school_gaps(
    request: HttpRequest,
    number: str = Path(
        ..., max_length=SCHOOL_NUMBER_MAX_LENGTH, pattern=PLAIN_TEXT, description="School number"
    ),
) -> dict[str, Any]:
    try:
        school, _ = access.get_school_for_user(request.user, number)
    except PermissionDenied as exc:
        raise PermissionError from exc
    return {
        "school_number": school.number,
        "against_others": gaps.school_against_others(school=school),
        "trends": gaps.school_gap_trends(school=school),
        "context_gap": gaps.school_context_gaps(school=school),
        "cohorts": gaps.school_cohorts(school=school),
    }


@router.get(
    "/boards/{number}/gaps",
    response=answers(BoardGapsOut, 403, 404),
    url_name="api_gaps_board",
    summary="A board's groups against the other students, gap trends, context gap and cohorts",
)
def board_gaps(
    request: HttpRequest,
    number: str = Path(..., max_length=10, pattern=PLAIN_TEXT, description="Board number"),
) -> dict[str, Any]:
    try:
        board, _ = access.get_board_for_user(request.user, number)
    except PermissionDenied as exc:
        raise PermissionError from exc
    return {
        "board_number": board.number,
        "against_others": gaps.board_against_others(board=board),
        "trends": gaps.board_gap_trends(board=board),
        "context_gap": gaps.board_context_gaps(board=board),
        "cohorts": gaps.board_cohorts(board=board),
    }
