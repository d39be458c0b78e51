"""The person's unread messages on the home page (capacity/notifications), newest first."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity.homeitems import WAITING, HomeItem, HomeSection
from capacity.notifications import selectors

RECENT = 5


def sections(user: Any) -> list[HomeSection]:
    """One section: the latest unread messages, each linking to what it is about."""
    unread = selectors.unread_count(user=user)
    items = tuple(
        HomeItem(
            text=n.subject,
            url=n.url or reverse("inbox"),
            status=WAITING,
            status_text=_("Unread"),
            on=timezone.localdate(n.created),
            date_text=_("sent"),
        )
        for n in selectors.recent(user=user, limit=RECENT)
    )
    return [
        HomeSection(
            heading_id="home-messages",
            title=_("Messages"),
            items=items,
            empty=_(
                "You have no unread message. Messages about your plans and support requests "
                "appear here."
            ),
            more_url=reverse("inbox"),
            more_text=ngettext(
                "Your inbox (%(count)s unread)", "Your inbox (%(count)s unread)", unread
            )
            % {"count": number_format(unread, force_grouping=True)},
            order=3,
        )
    ]
