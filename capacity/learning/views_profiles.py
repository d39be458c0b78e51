"""Board profiles at a glance and what to read next (/learning/boards/).

Thin views: the directory's access rules decide which boards a person sees (a board
outside their part of the organisation is refused with 403, as the directory's and the
evidence's board pages are), capacity/learning/profiles.py reads the rest.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from capacity.directory import access
from capacity.learning import profiles


@login_required
def learning_boards(request: HttpRequest) -> HttpResponse:
    """The boards the person may see, one line each, with their last self-assessment's date."""
    if not access.can_browse_boards(request.user):
        raise PermissionDenied
    boards = list(profiles.boards(request.user))
    last = profiles.last_self_assessments([board.pk for board in boards])
    rows = [(board, last.get(board.pk)) for board in boards]
    return render(request, "learning/profile_list.html", {"rows": rows})


@login_required
def learning_board(request: HttpRequest, number: str) -> HttpResponse:
    """One board at a glance: directory, evidence, last self-assessment, case studies, and what
    its leaders might read next."""
    board, _can_change = access.get_board_for_user(request.user, number)
    return render(
        request,
        "learning/profile_board.html",
        {"board": board, "profile": profiles.profile(request.user, board)},
    )
