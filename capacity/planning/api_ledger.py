"""API for reciprocity as a ledger of the capacity given to schools: the lines data teams read
(per board, per school of a board), the entries, and recording capacity given. Reads go through
`planning.selectors_ledger`, the write through `planning.services_ledger`, as on the pages."""

import datetime
import enum
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from capacity.api_common import MAX_ID, PLAIN_TEXT, Paging, answers
from capacity.directory import access
from capacity.planning import selectors_ledger as ledger
from capacity.planning import services_ledger
from capacity.planning.models import CapacityGift
from capacity.schoolnumbers import MAX_LENGTH as SCHOOL_NUMBER_MAX_LENGTH

router = Router(tags=["planning"])


# The choices under names of their own: the OpenAPI document names an enum by its class, and
# other apps have a `Kind` too (tests/planning/test_api_ledger.py checks these match the model).
class CapacityKind(enum.StrEnum):
    RELEASE_DAYS = "release_days"
    COACHING_HOURS = "coaching_hours"
    VISITS = "visits"
    LEARNING_SESSIONS = "learning_sessions"
    FUNDING = "funding"


class CapacityGiver(enum.StrEnum):
    BOARD = "board"
    MINISTRY = "ministry"


def _errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """The services' refusals as HTTP answers: 400 with the message, 403 through PermissionError."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {}
            return Status(400, {"detail": " ".join(exc.messages), "errors": errors})
        except PermissionDenied as exc:
            raise PermissionError(str(exc)) from exc

    return wrapper


class LineOut(Schema):
    """One line of the ledger for a school year: demands beside capacity given."""

    label: str = Field(description="The board's or school's name")
    number: str = Field(description="The board's or school's number")
    school_year: str
    focused_plans: int = Field(description="Focused-intervention plans of the year")
    targets: int = Field(description="Targets set in the year's plans")
    requests: int = Field(description="Support requests asked during the year")
    escalated: int = Field(description="Of them, sent on to the ministry by the board")
    open_requests: int
    met: int = Field(description="Requests of the year given some capacity")
    median_days: float | None = Field(
        description="Median days from a request to the first capacity given against it"
    )
    given: dict[str, float] = Field(
        description="Totals by kind, each in its unit: release_days (days), coaching_hours "
        "(hours), visits, learning_sessions (sessions), funding (dollars)"
    )
    entries: int
    helped: dict[str, int] = Field(
        description="Answers to 'did it help?': helped, partly, not_yet, did_not_help"
    )
    waiting: int = Field(description="Entries with no answer yet")


def _line(line: ledger.Line, year: str) -> dict[str, Any]:
    return {
        "label": line.label,
        "number": line.number,
        "school_year": year,
        "focused_plans": line.focused_plans,
        "targets": line.targets,
        "requests": line.requests,
        "escalated": line.escalated,
        "open_requests": line.open_requests,
        "met": line.met,
        "median_days": line.median_days,
        "given": {kind: float(amount) for kind, amount in line.given_in_order},
        "entries": line.entries,
        "helped": dict(line.helped_in_order),
        "waiting": line.waiting,
    }


class YearQuery(Schema):
    year: str = Field(
        "",
        pattern=r"^(\d{4}-\d{2})?$",
        description="School year (2025-26); the current one if empty",
    )


@router.get(
    "/ledger/boards",
    response=answers(list[LineOut], 403),
    url_name="api_ledger_boards",
    summary="The reciprocity ledger by board",
    description="One line per board the caller reads: ministry officers every board, board "
    "leaders and trustees their board.",
)
def ledger_boards(request: HttpRequest, query: Query[YearQuery]) -> list[dict[str, Any]]:
    year = ledger.year_or_current(query.year)
    rows, _total = ledger.province_ledger(request.user, year)
    if not rows:
        raise PermissionError(
            "The ledger by board is for the ministry and a board's leaders and trustees."
        )
    return [_line(row, year) for row in rows]


@router.get(
    "/ledger/boards/{number}/schools",
    response=answers(list[LineOut], 403, 404),
    url_name="api_ledger_board_schools",
    summary="A board's reciprocity ledger school by school",
    description="Ministry officers and the board's leaders (trustees read the board's totals). "
    "The last line is the board's own (its requests to the ministry, what the ministry gave it).",
)
@_errors
def ledger_board_schools(
    request: HttpRequest, number: str, query: Query[YearQuery]
) -> list[dict[str, Any]]:
    year = ledger.year_or_current(query.year)
    board = ledger.board_by_number(number)
    book = ledger.board_ledger(request.user, board, year)
    if book.schools is None:
        raise PermissionDenied
    own = book.own
    own.label, own.number = board.name, board.number
    return [*(_line(line, year) for line in book.schools), _line(own, year)]


class GiftOut(Schema):
    id: int
    board_number: str
    school_number: str | None
    given_by: CapacityGiver
    kind: CapacityKind
    amount: float = Field(description="In the kind's unit")
    given_on: datetime.date
    request_id: int | None = Field(
        description="The support request it answers; null: offered first"
    )
    note: str
    helped: str = Field(description="helped, partly, not_yet, did_not_help, or empty")
    helped_comment: str

    @staticmethod
    def resolve_board_number(obj: CapacityGift) -> str:
        return obj.board.number

    @staticmethod
    def resolve_school_number(obj: CapacityGift) -> str | None:
        return obj.school.number if obj.school else None

    @staticmethod
    def resolve_amount(obj: CapacityGift) -> float:
        return float(obj.amount)


class GiftFilters(Schema):
    year: str = Field(
        "", pattern=r"^(\d{4}-\d{2})?$", description="School year (empty: every year)"
    )
    board: str = Field("", max_length=10, pattern=PLAIN_TEXT, description="Board number")
    school: str = Field(
        "", max_length=SCHOOL_NUMBER_MAX_LENGTH, pattern=PLAIN_TEXT, description="School number"
    )


@router.get(
    "/ledger/gifts",
    response=answers(list[GiftOut]),
    url_name="api_ledger_gifts",
    summary="Capacity given, entry by entry",
    description="Entries the caller reads: ministry officers all, board leaders their board's, a "
    "school's staff their school's (trustees read totals only, so none).",
)
@paginate(Paging)
def ledger_gifts(request: HttpRequest, filters: Query[GiftFilters]) -> QuerySet[CapacityGift]:
    return ledger.gifts_filtered(
        request.user, year=filters.year, board=filters.board, school=filters.school
    )


class GiftIn(Schema):
    """Exactly one of `school` and `board` says who received it (a board: the ministry only)."""

    model_config = {
        "json_schema_extra": {
            "oneOf": [
                {"required": ["school"], "not": {"required": ["board"]}},
                {"required": ["board"], "not": {"required": ["school"]}},
            ]
        }
    }

    school: str = Field("", min_length=1, max_length=SCHOOL_NUMBER_MAX_LENGTH, pattern=PLAIN_TEXT)
    board: str = Field("", min_length=1, max_length=10, pattern=PLAIN_TEXT)
    kind: CapacityKind
    amount: float = Field(
        gt=0, le=9_999_999_999.99, description="In the kind's unit, at most two decimals"
    )
    given_on: datetime.date
    request: int | None = Field(None, ge=1, le=MAX_ID, description="The support request it answers")
    note: str = Field("", pattern=PLAIN_TEXT)


@router.post(
    "/ledger/gifts",
    response=answers(GiftOut, 400, 403, 404, status=201),
    url_name="api_ledger_gifts",
    summary="Record capacity given (a board's leaders to its schools; the ministry to any school or board)",
)
@_errors
def ledger_give(request: HttpRequest, body: GiftIn) -> Status[CapacityGift]:
    if bool(body.school) == bool(body.board):
        raise ValidationError("Give either a school number or a board number.")
    school = ledger.school_by_number(body.school) if body.school else None
    board = school.board if school is not None else ledger.board_by_number(body.board)
    if not access.can_give_capacity(request.user, board=board, school=school):
        raise PermissionDenied
    answered = None
    if body.request is not None:
        answered = ledger.givable_request(request.user, body.request, board=board, school=school)
    gift = services_ledger.capacity_give(
        user=request.user,
        school=school,
        board=board,
        kind=body.kind.value,
        amount=Decimal(str(body.amount)),
        given_on=body.given_on,
        request=answered,
        note=body.note,
    )
    return Status(201, gift)
