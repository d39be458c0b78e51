"""Home-page items for late timelines (issue 13): the dates a plan let pass with its step undone.

* A school's team and a board's leaders (their own board plan): each late step of their
  current plans, with the date it was due.
* Reviewers (a board's leaders for its school plans, the ministry for board plans): the late
  plans they review in the year under way.

Reads go through planning's selectors, scoped to the person.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.directory import access
from capacity.homeitems import OVERDUE, HomeItem, HomeSection
from capacity.planning import selectors, selectors_themes
from capacity.planning.cycle import Late
from capacity.planning.models import Plan


def _item(plan: Plan, late: Late) -> HomeItem:
    return HomeItem(
        text=_("%(owner)s, plan for %(year)s: %(what)s.")
        % {"owner": plan.owner_name, "year": plan.school_year, "what": late.text},
        url=reverse("plan_detail", args=[plan.pk]),
        status=OVERDUE,
        status_text=_("Late"),
        on=late.due,
        date_text=_("due"),
    )


def sections(user: Any) -> list[HomeSection]:
    scope = access.scope_for(user)
    if scope.empty:
        return []
    out: list[HomeSection] = []
    if scope.team_school_ids or scope.led_board_ids:
        plans = selectors.current_plans(
            user, school_ids=scope.team_school_ids, board_ids=scope.led_board_ids
        )
        late = selectors_themes.lateness(plans)
        items = tuple(_item(plan, step) for plan in plans for step in late[plan.pk])
        out.append(
            HomeSection(
                heading_id="home-themes-late",
                title=_("Dates your plans have let pass"),
                items=items,
                empty=_(
                    "Nothing is late: when a date of your timeline passes with its step undone "
                    "(submit, act, record a checkpoint, reflect), it appears here."
                ),
                order=12,
            )
        )
    if scope.may_review_plans:
        rows, total = selectors_themes.late_plans_to_review(user)
        items = tuple(_item(plan, late[0]) for plan, late in rows)
        out.append(
            HomeSection(
                heading_id="home-themes-late-review",
                title=_("Late plans you review"),
                items=items,
                empty=_(
                    "No plan you review is late: plans whose timeline dates passed with a step "
                    "undone appear here."
                ),
                more_url=reverse("plan_list") if total > len(items) else "",
                more_text=ngettext("%(n)s late plan in all", "%(n)s late plans in all", total)
                % {"n": total},
                order=26,
            )
        )
    if scope.ministry or scope.led_board_ids:
        out.append(_counts_section(user, ministry=scope.ministry, order=72))
    return out


def _counts_section(user: Any, *, ministry: bool, order: int) -> HomeSection:
    """Where the counts of themes and lessons are: the province's for the ministry, each led
    board's for its leaders (a link each; the counts are computed on their page)."""
    items: list[HomeItem] = []
    if ministry:
        items.append(
            HomeItem(
                text=_("Themes and lessons across the province: counts and what is rising"),
                url=reverse("themes_province"),
            )
        )
    for board in access.led_boards_for(user).order_by("name"):
        items.append(
            HomeItem(
                text=_("Themes and lessons in %(name)s's plans") % {"name": board.name},
                url=reverse("themes_board", args=[board.number]),
            )
        )
    return HomeSection(
        heading_id="home-themes-counts",
        title=_("Emergent themes"),
        items=tuple(items),
        empty=_("Counts of the themes and lessons named in plans appear here."),
        order=order,
    )
