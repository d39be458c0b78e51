"""Home-page items for strategies' implementation status with dated evidence, and leading
indicators rolled up (see capacity/homeitems.py).

* A plan's team (principal and school team, or a board's leaders for the board plan): the plans
  whose strategies went unreviewed at the latest checkpoint whose date has passed, linked to that
  checkpoint's review page.
* Those who monitor (ministry officers, a board's leaders and trustees): where the month's
  leading indicators are.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.directory import access
from capacity.homeitems import OVERDUE, HomeItem, HomeSection
from capacity.planning import selectors_implementation as impl


def sections(user: Any) -> list[HomeSection]:
    scope = access.scope_for(user)
    if scope.empty:
        return []
    out: list[HomeSection] = []
    if scope.team_school_ids or scope.led_board_ids:
        out.append(_unreviewed(user, order=22))
    if scope.province or scope.board_ids:
        out.append(_indicators(user, scope, order=60))
    return out


def _unreviewed(user: Any, *, order: int) -> HomeSection:
    items = []
    for u in impl.unreviewed_for_team(user):
        items.append(
            HomeItem(
                text=ngettext(
                    "%(plan)s: %(n)s strategy not reviewed at “%(checkpoint)s”",
                    "%(plan)s: %(n)s strategies not reviewed at “%(checkpoint)s”",
                    u.strategies,
                )
                % {
                    "plan": f"{u.plan.owner_name} {u.plan.school_year}",
                    "n": u.strategies,
                    "checkpoint": u.checkpoint.title,
                },
                url=reverse("implementation_checkpoint", args=[u.plan.pk, u.checkpoint.pk]),
                status=OVERDUE,
                status_text=_("to review"),
                on=u.checkpoint.due,
                date_text=_("checkpoint"),
            )
        )
    return HomeSection(
        heading_id="home-implementation-reviews",
        title=_("Strategies to review"),
        items=tuple(items),
        empty=_(
            "Every strategy was reviewed at the latest checkpoint. A plan whose strategies go "
            "unreviewed past a checkpoint appears here."
        ),
        order=order,
    )


def _indicators(user: Any, scope: access.Scope, *, order: int) -> HomeSection:
    items = []
    if scope.may_read_implementation_province:
        items.append(
            HomeItem(
                text=_("Leading indicators across the province, board by board"),
                url=reverse("implementation_province"),
            )
        )
    else:
        for board in impl.readable_boards(user)[:10]:
            items.append(
                HomeItem(
                    text=_("Leading indicators of %(board)s, school by school")
                    % {"board": board.name},
                    url=reverse("implementation_board", args=[board.number]),
                )
            )
    return HomeSection(
        heading_id="home-implementation-indicators",
        title=_("Leading indicators this month"),
        items=tuple(items),
        empty=_("The boards you monitor appear here."),
        order=order,
    )
