"""Reading portfolios, scoped by directory.access: families by whoever reads their board, the
ministry's portfolios by ministry officers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from capacity.directory import access
from capacity.directory.models import Board, Portfolio, School


def portfolios_for(user: Any) -> QuerySet[Portfolio]:
    scope = access.scope_for(user)
    if scope.empty:
        return Portfolio.objects.none()
    return (
        Portfolio.objects.filter(scope.portfolios_filter())
        .select_related("holder", "board")
        .prefetch_related(
            Prefetch("schools", queryset=School.objects.order_by("name", "number")),
            Prefetch("boards", queryset=Board.objects.order_by("name", "number")),
        )
        .order_by("board__name", "name", "pk")
    )


def get_portfolio_for_user(user: Any, pk: int) -> tuple[Portfolio, bool]:
    """The portfolio and whether the person may change it; 404 outside what they read."""
    from django.shortcuts import get_object_or_404

    portfolio = get_object_or_404(portfolios_for(user), pk=pk)
    return portfolio, access.scope_for(user).may_edit_portfolio(board_id=portfolio.board_id)


def boards_to_make_families_in(user: Any) -> QuerySet[Board]:
    return Board.objects.filter(pk__in=access.scope_for(user).led_board_ids).order_by("name")


@dataclass(frozen=True)
class MyPortfolio:
    """What the signed-in person looks after, for their home page."""

    schools: list[School]
    boards: list[Board]


def my_portfolio(user: Any) -> MyPortfolio:
    scope = access.scope_for(user)
    return MyPortfolio(
        schools=list(
            School.objects.filter(pk__in=scope.portfolio_school_ids)
            .select_related("board")
            .order_by("name", "number")
        ),
        boards=list(Board.objects.filter(pk__in=scope.portfolio_board_ids).order_by("name")),
    )
