"""API endpoints for the instruments and their survey rounds.

Reads go through `instruments.selectors`, like the pages:

* an instrument is not confidential: any signed-in caller lists them and reads a
  definition (404 for an unknown code);
* `GET /api/surveys` lists the rounds the caller runs (`selectors.rounds_run_by`), with
  their response rate, never who answered;
* a round's report is its aggregates only (`exports.as_json`, the same data as the
  report page's JSON download), read by those who run the round and, once it is
  closed, by those invited (`selectors.get_round_to_read`): 404 for a round the caller
  has nothing to do with, 403 for one they are invited to that is still open. No
  endpoint returns a response, a comment or who answered.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from capacity.api_common import PLAIN_TEXT, Paging, answers, id_in_path
from capacity.instruments import exports, selectors, services
from capacity.instruments.models import Round

router = Router(tags=["instruments"])


# --- instruments -------------------------------------------------------------------------


class TextOut(Schema):
    en: str
    fr: str


class ScaleOut(Schema):
    kind: str = Field(description="agreement, frequency, implementation, levels or yes_no")
    min: int
    max: int


class DimensionSummaryOut(Schema):
    code: str
    name: str = Field(description="The dimension's English name")
    items: int = Field(description="How many items it has")
    reverse_scored: int = Field(description="How many of its items are reverse-scored")
    effect_size: float | None = Field(None, description="Reference models only")


class InstrumentSummaryOut(Schema):
    code: str
    version: int
    name: TextOut
    kind: str = Field(description="rating, rubric, checklist, profile, register or reference")
    respondents: list[str] = Field(description="The roles that may answer it")
    raters: list[str] = Field(description='"self", or "self" and "others" (others rate a leader)')
    scoring: str | None = Field(description="sum or mean: a dimension's score from its items")
    min_respondents: int = Field(description="Figures are hidden below this many respondents")
    scale: ScaleOut | None
    dimensions: list[DimensionSummaryOut]
    items: int
    reverse_scored: int


@router.get(
    "/instruments",
    response=answers(list[InstrumentSummaryOut]),
    url_name="api_instruments",
    summary="Every loaded instrument: structure and counts",
    description="The same summary as `capacity instruments list --format json`. "
    "Instruments are not confidential: any signed-in caller reads them.",
)
def list_instruments(request: HttpRequest) -> list[dict[str, Any]]:
    return selectors.instrument_summaries()


@router.get(
    "/instruments/{code}",
    response=answers(dict[str, Any], 404),
    url_name="api_instrument",
    summary="One instrument's definition",
    description='The definition as loaded (docs/instruments.md, "The definition format"), '
    "with every text in English and French.",
)
def get_instrument(
    request: HttpRequest,
    code: str = Path(..., max_length=60, pattern=PLAIN_TEXT, description="The instrument's code"),
) -> dict[str, Any]:
    instrument = selectors.instrument_by_code(code)
    if instrument is None:
        raise HttpError(404, f"No instrument with the code {code!r}.")
    definition: dict[str, Any] = instrument.definition
    return definition


# --- survey rounds -----------------------------------------------------------------------


class RoundOut(Schema):
    id: int
    instrument: str = Field(description="The instrument's code")
    board: str | None = Field(description="Board number (a board's round)")
    school: str | None = Field(description="School number (a school's round)")
    opens_on: datetime.date
    closes_on: datetime.date
    state: str = Field(description="scheduled, open or closed")
    invited: int = Field(description="Invitations: people and single-use links")
    submitted: int = Field(description="Responses sent")


class RoundPagination(Paging):
    """Limit/offset pages of rounds; the response rates are counted for the page only, in one query."""

    def paginate_queryset(
        self,
        queryset: QuerySet[Round],
        pagination: LimitOffsetPagination.Input,
        request: HttpRequest,
        **params: Any,
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        rounds = list(page[self.items_attribute])
        rates = selectors.response_rates(rounds)
        page[self.items_attribute] = [_round(r, rates[r.pk]) for r in rounds]
        return page


def _round(round_: Round, rate: selectors.Rate) -> dict[str, Any]:
    return {
        "id": round_.pk,
        "instrument": round_.instrument.code,
        "board": round_.board.number if round_.board else None,
        "school": round_.school.number if round_.school else None,
        "opens_on": round_.opens_on,
        "closes_on": round_.closes_on,
        "state": services.round_state(round_),
        "invited": rate.invited,
        "submitted": rate.submitted,
    }


@router.get(
    "/surveys",
    response=answers(list[RoundOut]),
    url_name="api_surveys",
    summary="Survey rounds the caller runs, newest first",
    description="A board's leaders see its rounds and its schools', a school's principal and team "
    "their school's, ministry officers all. Rounds the caller is only invited to are not listed.",
)
@paginate(RoundPagination)
def list_surveys(request: HttpRequest) -> QuerySet[Round]:
    return selectors.rounds_run_by(request.user)


class RoleFigureOut(Schema):
    role: str
    respondents: int | None = Field(
        description="Null when the group is hidden: its size would say who took part"
    )
    mean: float | None = Field(description="Null when hidden (`hidden_because` says why)")
    hidden_because: str | None = Field(
        description='"small" (under the minimum) or "complementary" (hidden with a smaller group)'
    )


class DimensionFigureOut(Schema):
    code: str
    respondents: int | None = Field(description="Null when the round is under its minimum")
    mean: float | None = Field(description="Null when hidden (`hidden_because` says why)")
    hidden_because: str | None
    change: float | None = Field(description="Since the last round of the same structure")
    alpha: float | None = Field(description="Cronbach's alpha, from 10 respondents")
    roles: list[RoleFigureOut]


class ItemFigureOut(Schema):
    code: str
    dimension: str
    respondents: int
    mean: float | None
    reverse_scored: bool
    distribution: dict[str, int] = Field(description="How many gave each scale point")


class ReportOut(Schema):
    round: int
    instrument: str
    instrument_version: int
    place: str | None = Field(description="The board's or school's number")
    opens_on: datetime.date
    closes_on: datetime.date
    invited: int
    respondents: int = Field(description="Responses counted in the figures")
    minimum: int = Field(description="No figure is shown below this many respondents")
    shown: bool = Field(description="False under the minimum: every mean is null, no items")
    dimensions: list[DimensionFigureOut]
    items: list[ItemFigureOut] = Field(description="Empty under the minimum")
    quadrants: dict[str, int] = Field(description="Profile instruments: students per quadrant")


@router.get(
    "/surveys/{int:round_id}/report",
    response=answers(ReportOut, 403, 404),
    url_name="api_survey_report",
    summary="A round's report: aggregates only",
    description="For those who run the round, and for those invited once it is closed (403 "
    "before). Figures under the round's minimum, and groups that would give them away, are "
    "null with the reason. No response, comment or name is ever part of it.",
)
def get_survey_report(
    request: HttpRequest, round_id: int = id_in_path("The round's id")
) -> dict[str, Any]:
    try:
        round_ = selectors.get_round_to_read(request.user, round_id)
    except PermissionDenied as exc:
        raise PermissionError(str(exc)) from exc
    report = selectors.round_report(round_)
    return exports.as_json(round_, report, selectors.response_rate(round_).invited)
