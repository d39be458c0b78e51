"""The demo's portfolios, made through the service after the plans exist: the first board's
superintendent looks after half of its elementary schools (the demo principal's among them),
the focus journey's superintendent after the schools of their board that have a focused plan,
and the ministry's demo officer after the boards those two lead and a few more."""

from __future__ import annotations

from capacity.directory.models import Board, Membership, Role, School, User
from capacity.directory.services_portfolios import portfolio_save

BOARDS_LOOKED_AFTER = 6


def _leader_board(username: str) -> tuple[User, Board] | None:
    found = (
        Membership.objects.in_force()
        .filter(user__username=username, role=Role.BOARD_LEADER)
        .select_related("user", "board")
        .first()
    )
    if found is None or found.board is None:
        return None
    return found.user, found.board


def build(*, seed: int) -> dict[str, int]:
    made = 0
    led: list[Board] = []
    first = _leader_board("superintendent")
    principal = Membership.objects.filter(user__username="principal", role=Role.PRINCIPAL).first()
    if first is not None:
        user, board = first
        schools = list(
            School.objects.filter(board=board, level=School.Level.ELEMENTARY).order_by("number")
        )
        family = schools[: max(1, len(schools) // 2)]
        if principal is not None and principal.school and principal.school not in family:
            family.append(principal.school)
        portfolio_save(
            user=user, name="Family of schools: north", holder=user, board=board, schools=family
        )
        made, led = made + 1, [*led, board]
    focus = _leader_board("superintendent.focus")
    if focus is not None:
        user, board = focus
        focused = School.objects.filter(board=board, plans__focused_intervention=True).distinct()
        portfolio_save(
            user=user,
            name="Family of schools: focused intervention",
            holder=user,
            board=board,
            schools=list(focused.order_by("number")),
        )
        made, led = made + 1, [*led, board]
    officer = User.objects.filter(username="ministry").first()
    if officer is not None:
        boards = list(dict.fromkeys(led))
        for board in Board.objects.order_by("number"):
            if len(boards) >= BOARDS_LOOKED_AFTER:
                break
            if board not in boards:
                boards.append(board)
        portfolio_save(
            user=officer, name="Boards of the demo region", holder=officer, boards=boards
        )
        made += 1
    return {"portfolios": made}
