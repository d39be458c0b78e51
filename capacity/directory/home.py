"""The directory's items on the home pages: what the person is responsible for, and networks.

A network facilitator sees the network's schools by name (not their pages: see
docs/architecture.md, Decisions); everyone else sees the learning networks their
schools or boards belong to.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.directory import selectors, selectors_portfolios
from capacity.directory.models import Membership, School
from capacity.homeitems import HomeItem, HomeSection

NETWORK_SCHOOLS = 30


def sections(user: Any) -> list[HomeSection]:
    """What the person is responsible for (always), the networks they facilitate or belong to."""
    memberships = selectors.home_responsibilities(user=user)
    out = [_responsibilities(user, memberships, order=1)]
    out.extend(_portfolio(user, order=2))
    facilitated = [m.network for m in memberships if m.network is not None]
    out.extend(_network(network, order=12) for network in facilitated)
    facilitated_ids = {n.pk for n in facilitated}
    others = [n for n in selectors.network_list(user=user)[:20] if n.pk not in facilitated_ids]
    if others:
        out.append(_networks(others, order=95))
    return out


def _count(n: int) -> str:
    return number_format(n, force_grouping=True)


def _responsibility(user: Any, m: Membership) -> HomeItem:
    role = str(m.get_role_display()) + (f" · {m.title}" if m.title else "")
    if m.province is not None:
        summary = selectors.province_summary(user=user)
        return HomeItem(
            text=m.province.name,
            url=reverse("board_list"),
            detail=role
            + " · "
            + _("%(boards)s boards, %(elementary)s elementary and %(secondary)s secondary schools.")
            % {
                "boards": _count(summary.get("boards", 0)),
                "elementary": _count(summary.get("elementary", 0)),
                "secondary": _count(summary.get("secondary", 0)),
            },
        )
    if m.board is not None:
        counts = getattr(m, "school_counts", {"elementary": 0, "secondary": 0})
        return HomeItem(
            text=m.board.name,
            url=reverse("board_detail", args=[m.board.number]),
            detail=role
            + " · "
            + _("Board %(number)s") % {"number": m.board.number}
            + " · "
            + _("%(elementary)s elementary and %(secondary)s secondary schools")
            % {
                "elementary": _count(counts["elementary"]),
                "secondary": _count(counts["secondary"]),
            },
        )
    if m.school is not None:
        return HomeItem(
            text=m.school.name,
            url=reverse("school_detail", args=[m.school.number]),
            detail=role
            + " · "
            + _("School %(number)s, %(board)s")
            % {"number": m.school.number, "board": m.school.board.name},
        )
    assert m.network is not None
    return HomeItem(
        text=m.network.name,
        url=reverse("network_detail", args=[m.network.pk]),
        detail=role + " · " + Truncator(m.network.purpose).words(30),
    )


def _responsibilities(user: Any, memberships: list[Membership], *, order: int) -> HomeSection:
    return HomeSection(
        heading_id="responsible",
        title=_("What you are responsible for"),
        items=tuple(_responsibility(user, m) for m in memberships),
        empty=_(
            "You do not hold a role in any organisation yet, so there is nothing to show. "
            "Ask your board or the ministry to add you."
        ),
        order=order,
    )


def _portfolio(user: Any, *, order: int) -> list[HomeSection]:
    """The schools or boards the person looks after (issue 13: portfolios), first among what
    their role lets them read."""
    mine = selectors_portfolios.my_portfolio(user)
    out: list[HomeSection] = []
    if mine.schools:
        out.append(
            HomeSection(
                heading_id="portfolio-schools",
                title=_("Your family of schools"),
                items=tuple(
                    HomeItem(
                        text=s.name,
                        url=reverse("school_detail", args=[s.number]),
                        detail=_("School %(number)s, %(board)s")
                        % {"number": s.number, "board": s.board.name},
                    )
                    for s in mine.schools
                ),
                more_url=reverse("portfolio_list"),
                more_text=_("Portfolios"),
                order=order,
            )
        )
    if mine.boards:
        out.append(
            HomeSection(
                heading_id="portfolio-boards",
                title=_("The boards you look after"),
                items=tuple(
                    HomeItem(
                        text=b.name,
                        url=reverse("board_detail", args=[b.number]),
                        detail=_("Board %(number)s") % {"number": b.number},
                    )
                    for b in mine.boards
                ),
                more_url=reverse("portfolio_list"),
                more_text=_("Portfolios"),
                order=order,
            )
        )
    return out


def _network(network: Any, *, order: int) -> HomeSection:
    """A facilitated network's schools, by name and board (facilitators do not open school pages)."""
    schools = list(
        network.schools.select_related("board").order_by("name", "number")[: NETWORK_SCHOOLS + 1]
    )
    items = tuple(
        HomeItem(
            text=s.name,
            detail=_("%(board)s · %(level)s")
            % {"board": s.board.name, "level": School.Level(s.level).label},
        )
        for s in schools[:NETWORK_SCHOOLS]
    )
    return HomeSection(
        heading_id=f"home-network-{network.pk}",
        title=_("%(network)s: its schools") % {"network": network.name},
        items=items,
        empty=_("The network has no member schools yet. Its schools appear here when they join."),
        more_url=reverse("network_detail", args=[network.pk]),
        more_text=_("The network's page"),
        order=order,
    )


def _networks(networks: list[Any], *, order: int) -> HomeSection:
    return HomeSection(
        heading_id="nets",
        title=_("Learning networks"),
        items=tuple(
            HomeItem(
                text=n.name,
                url=reverse("network_detail", args=[n.pk]),
                detail=ngettext("%(count)s school", "%(count)s schools", n.school_count)
                % {"count": _count(n.school_count)},
            )
            for n in networks
        ),
        empty="",
        order=order,
    )
