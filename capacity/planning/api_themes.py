"""API for the OFIP themes and lessons named in plans, and late timelines (issue 13).

* `GET /api/plans/themes`: counts by theme and lesson for a school year, by year, by board
  (the province's) and what is rising: the province's for ministry officers, a board's
  (`?board=`) for its leaders and the ministry, as on the pages.
* `GET /api/plans/{id}/late`: the timeline's dates the plan let pass with its step undone,
  for everyone who reads the plan.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from capacity.api_common import answers, id_in_path
from capacity.directory import access
from capacity.planning import selectors, selectors_themes
from capacity.planning.themes import LESSONS_BY_CODE, THEMES_BY_CODE

router = Router(tags=["planning"])


def _refusals(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            raise PermissionError(str(exc)) from exc

    return wrapper


class CountsQuery(Schema):
    year: str = Field("", max_length=7, description="A school year (2018-19); empty for the newest")
    board: str = Field("", max_length=20, description="A board's number; empty for the province")


class TagCountOut(Schema):
    code: str
    name: str
    plans: int = Field(description="Plans naming it in a goal, strategy or co-reflection")
    share_of_plans: float = Field(description="% of the year's plans")
    goals: int
    strategies: int
    coreflections: int


class YearOut(Schema):
    school_year: str
    plans: int
    lessons: dict[str, int] = Field(description="Plans naming each lesson (codes)")


class ThemeBoardOut(Schema):
    board: str
    name: str
    plans: int
    lessons: dict[str, int]


class RiseOut(Schema):
    code: str
    name: str
    plans_before: int
    plans_now: int
    share_before: float
    share_now: float


class ThemeCountsOut(Schema):
    school_year: str
    previous_year: str
    plans: int
    themes: list[TagCountOut]
    lessons: list[TagCountOut]
    by_year: list[YearOut]
    by_board: list[ThemeBoardOut]
    rising_themes: list[RiseOut]
    rising_lessons: list[RiseOut]


def _tag(row: Any) -> dict[str, Any]:
    return {
        "code": row.code,
        "name": row.label,
        "plans": row.plans,
        "share_of_plans": row.share,
        "goals": row.goals,
        "strategies": row.strategies,
        "coreflections": row.coreflections,
    }


def _rise(rise: Any, names: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": rise.code,
        "name": str(names[rise.code].name),
        "plans_before": rise.before,
        "plans_now": rise.now,
        "share_before": rise.share_before,
        "share_now": rise.share_now,
    }


@router.get(
    "/plans/themes",
    response=answers(ThemeCountsOut, 403, 404),
    url_name="themes_counts",
    summary="Counts of the OFIP themes and lessons named in plans, and what is rising",
)
@_refusals
def themes_counts(request: HttpRequest, query: Query[CountsQuery]) -> dict[str, Any]:
    board = access.get_board_for_user(request.user, query.board)[0] if query.board else None
    counts = selectors_themes.theme_counts(request.user, board=board, year=query.year)
    return {
        "school_year": counts.year,
        "previous_year": counts.previous_year,
        "plans": counts.plans,
        "themes": [_tag(r) for r in counts.themes],
        "lessons": [_tag(r) for r in counts.lessons],
        "by_year": [
            {"school_year": y, "plans": n, "lessons": tags} for y, n, tags in counts.by_year
        ],
        "by_board": [
            {"board": b.number, "name": b.name, "plans": n, "lessons": tags}
            for b, n, tags in counts.by_board
        ],
        "rising_themes": [_rise(r, THEMES_BY_CODE) for r in counts.rising_themes],
        "rising_lessons": [_rise(r, LESSONS_BY_CODE) for r in counts.rising_lessons],
    }


class LateOut(Schema):
    step: str = Field(description="act, observe, reflect or submit")
    text: str
    due: str = Field(description="The timeline's date (ISO)")


@router.get(
    "/plans/{int:plan_id}/late",
    response=answers(list[LateOut], 403, 404),
    url_name="themes_plan_late",
    summary="The timeline's dates a plan let pass with its step undone",
)
@_refusals
def plan_late(
    request: HttpRequest, plan_id: int = id_in_path("The plan's id")
) -> list[dict[str, Any]]:
    plan, _rights = selectors.get_plan_for_user(request.user, plan_id)
    return [
        {"step": item.step, "text": str(item.text), "due": item.due.isoformat()}
        for item in selectors_themes.lateness([plan])[plan.pk]
    ]
