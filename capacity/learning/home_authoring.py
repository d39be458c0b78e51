"""The case studies' items on the home pages (home.py adds them to the learning sections).

* coordinators (ministry officers): "Case studies to review", the longest waiting first,
  with how many wait;
* those who may edit a case study (its authors, its board's leaders): "Your case studies",
  the ones waiting for them: returned with a coordinator's comments, or drafts not submitted.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.homeitems import DUE, RETURNED, WAITING, HomeItem, HomeSection
from capacity.learning import selectors, selectors_authoring
from capacity.learning.models import Item, State

LISTED = 8


def _title(item: Item) -> str:
    version = item.current
    text = version.text((get_language() or "en")[:2]) if version is not None else None
    return text.title if text is not None else item.slug


def _to_review(user: Any) -> list[HomeSection]:
    if not access.can_coordinate_learning(user):
        return []
    waiting = list(selectors.to_review(user)[: LISTED + 1])
    if not waiting:
        return []
    count = len(waiting) if len(waiting) <= LISTED else selectors.to_review(user).count()
    items = tuple(
        HomeItem(
            text=_("%(title)s, from %(board)s")
            % {"title": _title(item), "board": item.board.name if item.board else ""},
            url=reverse("learning_draft", args=[item.slug]),
            status=WAITING,
            status_text=_("to review"),
            on=timezone.localtime(item.current.submitted_at).date()
            if item.current and item.current.submitted_at
            else None,
            date_text=pgettext("case study", "submitted"),
        )
        for item in waiting[:LISTED]
    )
    return [
        HomeSection(
            heading_id="home-cases-to-review",
            title=_("Case studies to review"),
            items=items,
            more_url=reverse("learning_review"),
            # "All 1 case study waiting" read oddly: one waiting is just counted.
            more_text=ngettext(
                "%(count)s case study waiting", "All %(count)s case studies waiting", count
            )
            % {"count": count},
            order=22,
        )
    ]


def _yours(user: Any) -> list[HomeSection]:
    waiting = list(selectors_authoring.needing_authors(user)[:LISTED])
    if not waiting:
        return []
    items = []
    for item in waiting:
        returned = item.current is not None and item.current.state == State.RETURNED
        items.append(
            HomeItem(
                text=_title(item),
                url=reverse("learning_draft", args=[item.slug]),
                status=RETURNED if returned else DUE,
                status_text=_("returned to you") if returned else _("draft, not submitted"),
                on=timezone.localtime(item.current.updated_at).date() if item.current else None,
                date_text=pgettext("case study", "returned")
                if returned
                else pgettext("case study", "last saved"),
            )
        )
    return [
        HomeSection(
            heading_id="home-your-cases",
            title=_("Your case studies"),
            items=tuple(items),
            more_url=reverse("learning_drafts"),
            more_text=_("All case studies in progress"),
            order=28,
        )
    ]


def sections(user: Any) -> list[HomeSection]:
    return _to_review(user) + _yours(user)
