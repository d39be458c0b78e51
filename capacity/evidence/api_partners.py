"""API for schools that beat the odds over several years, and partners for identified schools.

Read-only, for data teams: the same lists and suggestions as the pages, with the same rules
(`access.can_read_stable_list`, `access.can_see_partners`), published figures only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from capacity.api_common import PLAIN_TEXT, answers
from capacity.directory import access
from capacity.evidence import selectors, selectors_partners
from capacity.evidence.analytics import existence
from capacity.evidence.wording_partners import why
from capacity.schoolnumbers import MAX_LENGTH as SCHOOL_NUMBER_MAX_LENGTH

router = Router(tags=["evidence"])

YEAR_PATTERN = r"^(\d{4}-\d{2})?$"


class StandingOut(Schema):
    school_year: str
    actual: float = Field(description="Mean % at standard over the Grade 3 and 6 assessments")
    predicted: float = Field(description="What the context model predicts for its context")
    residual: float
    beat: bool = Field(description="Above its prediction by the rule's margin that year")


class StableSchoolOut(Schema):
    school_number: str
    school_name: str
    board_number: str
    board_name: str
    language: str
    context: dict[str, float | None] = Field(description="The context indicators, in %")
    standings: list[StandingOut] = Field(description="Each year looked at where it was measured")
    years_beaten: int


class StableListOut(Schema):
    school_year: str | None = Field(description="None when no results have been imported")
    years: list[str] = Field(description="The school years with results the rule looked at")
    rule: dict[str, Any]
    schools: list[StableSchoolOut]


class StableQuery(Schema):
    year: str = Field(
        "", pattern=YEAR_PATTERN, description="School year (the newest with results when empty)"
    )
    board: str = Field(
        "", max_length=10, pattern=PLAIN_TEXT, description="Board number (the province when empty)"
    )


def _stable(s: existence.StableSchool) -> dict[str, Any]:
    beaten = {b.year for b in s.beat}
    return {
        "school_number": s.school.number,
        "school_name": s.school.name,
        "board_number": s.school.board_number,
        "board_name": s.school.board_name,
        "language": s.school.language,
        "context": dict(s.school.context),
        "standings": [
            {
                "school_year": m.year,
                "actual": round(m.actual, 2),
                "predicted": round(m.predicted, 2),
                "residual": round(m.residual, 2),
                "beat": m.year in beaten,
            }
            for m in sorted(s.measured, key=lambda m: m.year)
        ],
        "years_beaten": len(s.beat),
    }


def _year(asked: str) -> str | None:
    """The year asked (404 when it has no results), else the latest (None: no results yet)."""
    if asked and asked not in selectors.result_years():
        raise HttpError(404, f"No results for {asked}.")
    return asked or selectors_partners.latest_year()


@router.get(
    "/evidence/beat-the-odds",
    response=answers(StableListOut, 403, 404),
    url_name="api_partners_stable",
    summary="Schools that beat the odds over several years, in the province or one board",
    description="The province's list is for ministry officers; a board's for them and the "
    "board's leaders and trustees. 404 for an unknown board or a year without results; an empty "
    "list (school_year null) before any results are imported.",
)
def stable_list(request: HttpRequest, query: Query[StableQuery]) -> dict[str, Any]:
    board = None
    if query.board:
        try:
            board, _can_change = access.get_board_for_user(request.user, query.board)
        except PermissionDenied as exc:
            raise PermissionError from exc
    if not access.can_read_stable_list(request.user, board):
        raise PermissionError
    year = _year(query.year)
    found = []
    if year is not None:
        found = (
            selectors_partners.board_stable(board, year)
            if board is not None
            else selectors_partners.province_stable(year)
        )
    rule = selectors_partners.RULE
    return {
        "school_year": year,
        "years": list(selectors_partners.years_for(year)) if year else [],
        "rule": {
            "years": rule.years,
            "at_least": rule.at_least,
            "margin_sd": rule.margin_sd,
            "min_participating": rule.min_participating,
        },
        "schools": [_stable(s) for s in found],
    }


class PartnerOut(Schema):
    school_number: str
    school_name: str
    board_number: str
    board_name: str
    language: str
    same_language: bool
    distance: float = Field(description="Context distance (similar-schools measure)")
    similar_on: list[str] = Field(description="Indicators within half a standard deviation")
    why: str
    context: dict[str, float | None]
    standings: list[StandingOut]


class PartnersOut(Schema):
    school_number: str
    school_year: str | None
    identified: bool
    partners: list[PartnerOut]
    reason: str = Field(description="Why there are no partners (empty when there are)")


@router.get(
    "/schools/{number}/partners",
    response=answers(PartnersOut, 403, 404),
    url_name="api_partners_school",
    summary="Partner suggestions for a school identified under the default policy",
    description="For the school's team, its board's leaders and ministry officers. A school "
    "that is not identified has no partners (identified false).",
)
def school_partners(
    request: HttpRequest,
    number: str = Path(
        ..., max_length=SCHOOL_NUMBER_MAX_LENGTH, pattern=PLAIN_TEXT, description="School number"
    ),
) -> dict[str, Any]:
    try:
        school, _can_change = access.get_school_for_user(request.user, number)
    except PermissionDenied as exc:
        raise PermissionError from exc
    if not access.can_see_partners(request.user, school):
        raise PermissionError
    year = _year("")
    shown = selectors_partners.school_partners_for_user(request.user, school)
    if shown is None:
        return {
            "school_number": school.number,
            "school_year": year,
            "identified": False,
            "partners": [],
            "reason": "",
        }
    return {
        "school_number": school.number,
        "school_year": shown.year,
        "identified": True,
        "partners": [
            _stable(p.stable)
            | {
                "same_language": p.same_language,
                "distance": round(p.distance, 3),
                "similar_on": list(p.similar_on),
                "why": why(p),
            }
            for p in shown.partners.partners
        ],
        "reason": shown.partners.reason,
    }
