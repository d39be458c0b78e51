"""Writing portfolios: a board's leaders set its families of schools, ministry officers set who
looks after which boards. Every save is checked against the version read and audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.directory import access
from capacity.directory.models import Board, Membership, Portfolio, Role, School, User


class StalePortfolio(ValidationError):
    """Someone saved the portfolio after this person opened it."""


def holders_for(board: Board | None) -> list[User]:
    """Who may hold a portfolio: a board's leaders in force (a family), or ministry officers."""
    if board is None:
        memberships = Membership.objects.in_force().filter(role=Role.MINISTRY_OFFICER)
    else:
        memberships = Membership.objects.in_force().filter(role=Role.BOARD_LEADER, board=board)
    ids = memberships.values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


@transaction.atomic
def portfolio_save(
    *,
    user: Any,
    name: str,
    holder: User,
    board: Board | None = None,
    schools: Iterable[School] = (),
    boards: Iterable[Board] = (),
    portfolio: Portfolio | None = None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Portfolio:
    """Make or change a portfolio. A family (board given) holds schools of that board and is held
    by one of its leaders; a set of boards (no board) is held by a ministry officer."""
    if portfolio is not None:
        portfolio = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        board = portfolio.board
    scope = access.scope_for(user)
    if not scope.may_edit_portfolio(board_id=board.pk if board is not None else None):
        raise PermissionDenied
    # A change must say which version it read: one without (None) is refused like a stale one.
    if portfolio is not None and version != portfolio.version:
        raise StalePortfolio(
            _(
                "Someone changed this portfolio after you opened it. Your changes were not saved: "
                "read it again and make them once more."
            )
        )
    schools, boards = list(schools), list(boards)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Give the portfolio a name.")]
    if holder.pk not in {h.pk for h in holders_for(board)}:
        errors["holder"] = [
            _("Choose one of the board's leaders.")
            if board is not None
            else _("Choose a ministry officer.")
        ]
    if board is not None:
        if boards:
            errors["boards"] = [_("A family of schools holds schools, not boards.")]
        outside = [s for s in schools if s.board_id != board.pk]
        if outside:
            errors["schools"] = [
                _("These schools are not in %(board)s: %(schools)s.")
                % {"board": board.name, "schools": ", ".join(s.name for s in outside)}
            ]
    elif schools:
        errors["schools"] = [_("A ministry officer's portfolio holds boards, not schools.")]
    taken = Portfolio.objects.filter(holder=holder, board=board)
    if portfolio is not None:
        taken = taken.exclude(pk=portfolio.pk)
    if taken.exists():
        errors["holder"] = [
            _("This person already has a family of schools in this board.")
            if board is not None
            else _("This person already has a portfolio of boards.")
        ]
    if errors:
        raise ValidationError(errors)
    before: dict[str, Any] = {}
    if portfolio is None:
        portfolio = Portfolio(board=board)
    else:
        before = {
            "schools": sorted(portfolio.schools.values_list("number", flat=True)),
            "boards": sorted(portfolio.boards.values_list("number", flat=True)),
        }
    portfolio.name, portfolio.holder = name.strip(), holder
    portfolio.version = (portfolio.version or 0) + 1 if portfolio.pk else 1
    portfolio.full_clean()
    portfolio.save()
    portfolio.schools.set(schools)
    portfolio.boards.set(boards)
    access.forget_scope(holder)
    audit_record(
        action=Action.PORTFOLIO_SAVED,
        actor=user,
        target=portfolio.name,
        detail={
            "holder": holder.get_username(),
            "board": board.number if board is not None else None,
            "schools": sorted(s.number for s in schools),
            "boards": sorted(b.number for b in boards),
            **({"before": before} if before else {}),
        },
        request=request,
    )
    return portfolio


@transaction.atomic
def portfolio_delete(
    *, user: Any, portfolio: Portfolio, request: HttpRequest | None = None
) -> None:
    scope = access.scope_for(user)
    if not scope.may_edit_portfolio(board_id=portfolio.board_id):
        raise PermissionDenied
    audit_record(
        action=Action.PORTFOLIO_DELETED,
        actor=user,
        target=portfolio.name,
        detail={
            "holder": portfolio.holder.get_username(),
            "board": portfolio.board.number if portfolio.board else None,
        },
        request=request,
    )
    holder = portfolio.holder
    portfolio.delete()
    access.forget_scope(holder)
