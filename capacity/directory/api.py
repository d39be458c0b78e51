"""API endpoints for boards and schools."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from capacity.api_common import PLAIN_TEXT, Paging, answers
from capacity.directory import access, selectors, selectors_portfolios
from capacity.directory.models import Board, Language, School
from capacity.schoolnumbers import MAX_LENGTH as SCHOOL_NUMBER_MAX_LENGTH

router = Router(tags=["directory"])


class BoardOut(Schema):
    number: str
    name: str
    language: str
    board_type: str
    region: str


class SchoolOut(Schema):
    number: str
    name: str
    board_number: str
    level: str
    language: str
    grade_range: str
    city: str
    enrolment: int | None
    latitude: float | None
    longitude: float | None


class SchoolFilters(Schema):
    q: str = Field(
        "",
        max_length=100,
        pattern=PLAIN_TEXT,
        description="Words of the school's name, number or city",
    )
    board: str = Field("", max_length=10, pattern=PLAIN_TEXT, description="Board number")
    language: Language | None = None
    level: School.Level | None = None


def _school(s: School) -> dict[str, Any]:
    return {
        "number": s.number,
        "name": s.name,
        "board_number": s.board.number,
        "level": s.level,
        "language": s.language,
        "grade_range": s.grade_range,
        "city": s.city,
        "enrolment": s.enrolment,
        "latitude": s.latitude,
        "longitude": s.longitude,
    }


@router.get(
    "/boards",
    response=answers(list[BoardOut]),
    url_name="api_boards",
    summary="Boards the caller may see",
)
@paginate(Paging)
def list_boards(request: HttpRequest) -> QuerySet[Board]:
    return access.boards_for(request.user).order_by("number")


@router.get(
    "/schools",
    response=answers(list[SchoolOut]),
    url_name="api_schools",
    summary="Schools the caller may see",
)
@paginate(Paging)
def list_schools(request: HttpRequest, filters: Query[SchoolFilters]) -> list[dict[str, Any]]:
    found = selectors.school_search(
        user=request.user,
        filters=selectors.SchoolFilters(
            query=filters.q,
            board=filters.board,
            language=filters.language or "",
            level=filters.level or "",
        ),
    )
    return [_school(s) for s in found]


@router.get(
    "/schools/{number}",
    response=answers(SchoolOut, 403, 404),
    url_name="api_school",
    summary="One school",
)
def get_school(
    request: HttpRequest,
    number: str = Path(
        ..., max_length=SCHOOL_NUMBER_MAX_LENGTH, pattern=PLAIN_TEXT, description="School number"
    ),
) -> dict[str, Any]:
    try:
        school, _ = access.get_school_for_user(request.user, number)
    except PermissionDenied as exc:
        raise PermissionError from exc
    return _school(school)


class PortfolioOut(Schema):
    id: int
    name: str
    holder: str = Field(description="User name of the person who looks after it")
    board_number: str | None = Field(
        description="The board of a family of schools; null for a ministry officer's boards"
    )
    schools: list[str] = Field(description="School numbers (a family of schools)")
    boards: list[str] = Field(description="Board numbers (a ministry officer's boards)")


@router.get(
    "/portfolios",
    response=answers(list[PortfolioOut]),
    url_name="api_portfolios",
    summary="Families of schools and ministry officers' boards the caller may read",
)
@paginate(Paging)
def list_portfolios(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": p.pk,
            "name": p.name,
            "holder": p.holder.get_username(),
            "board_number": p.board.number if p.board else None,
            "schools": [s.number for s in p.schools.all()],
            "boards": [b.number for b in p.boards.all()],
        }
        for p in selectors_portfolios.portfolios_for(request.user)
    ]
