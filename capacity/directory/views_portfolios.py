"""Portfolio pages: the list, a new family of schools or set of boards, editing and deleting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from capacity.directory import access, selectors_portfolios, services_portfolios
from capacity.directory.forms_portfolios import PortfolioForm
from capacity.directory.models import Board, Portfolio


def _may_list(request: HttpRequest) -> bool:
    scope = access.scope_for(request.user)
    return scope.ministry or bool(scope.board_ids) or scope.province


@login_required
def portfolio_list(request: HttpRequest) -> HttpResponse:
    if not _may_list(request):
        raise PermissionDenied
    scope = access.scope_for(request.user)
    portfolios = list(selectors_portfolios.portfolios_for(request.user))
    return render(
        request,
        "directory/portfolios/list.html",
        {
            "ministry_portfolios": [p for p in portfolios if p.board_id is None],
            "families": [p for p in portfolios if p.board_id is not None],
            "family_boards": selectors_portfolios.boards_to_make_families_in(request.user),
            "may_make_ministry": scope.may_edit_portfolio(board_id=None),
            "editable_boards": scope.led_board_ids,
        },
    )


def _save(
    request: HttpRequest, form: PortfolioForm, *, board: Board | None, portfolio: Portfolio | None
) -> Portfolio | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return services_portfolios.portfolio_save(
            user=request.user,
            name=data["name"],
            holder=data["holder"],
            board=board,
            schools=data.get("schools") or (),
            boards=data.get("boards") or (),
            portfolio=portfolio,
            version=data.get("version"),
            request=request,
        )
    except services_portfolios.StalePortfolio as stale:
        form.add_error(None, stale.messages[0])
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
    return None


@login_required
def portfolio_new(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("board") or request.POST.get("board") or ""
    board = get_object_or_404(Board, number=number) if number else None
    if not access.scope_for(request.user).may_edit_portfolio(
        board_id=board.pk if board is not None else None
    ):
        raise PermissionDenied
    form = PortfolioForm(request.POST or None, board=board)
    if request.method == "POST":
        saved = _save(request, form, board=board, portfolio=None)
        if saved is not None:
            messages.success(request, _("Saved %(name)s.") % {"name": saved.name})
            return redirect("portfolio_list")
    return render(
        request,
        "directory/portfolios/form.html",
        {"form": form, "board": board, "portfolio": None, "editable": True},
        status=400 if form.errors else 200,
    )


@login_required
def portfolio_detail(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio, editable = selectors_portfolios.get_portfolio_for_user(request.user, pk)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    initial = {
        "name": portfolio.name,
        "holder": portfolio.holder_id,
        "schools": list(portfolio.schools.all()),
        "boards": list(portfolio.boards.all()),
        "version": portfolio.version,
    }
    form = PortfolioForm(request.POST or None, initial=initial, board=portfolio.board)
    if request.method == "POST":
        saved = _save(request, form, board=portfolio.board, portfolio=portfolio)
        if saved is not None:
            messages.success(request, _("Saved %(name)s.") % {"name": saved.name})
            return redirect("portfolio_list")
    return render(
        request,
        "directory/portfolios/form.html",
        {"form": form, "board": portfolio.board, "portfolio": portfolio, "editable": editable},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def portfolio_delete(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio, editable = selectors_portfolios.get_portfolio_for_user(request.user, pk)
    if not editable:
        raise PermissionDenied
    services_portfolios.portfolio_delete(user=request.user, portfolio=portfolio, request=request)
    messages.success(request, _("Deleted %(name)s.") % {"name": portfolio.name})
    return redirect("portfolio_list")
