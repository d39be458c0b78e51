"""Where one goes from the library: the pages of the library a person may use, for the library
page's "In the library" block and the user guide's links.

Each link is shown only to those the page is for (the same access rules the pages apply), so
nobody is sent to a page that refuses them or is always empty for them: board profiles to those
who may see a board, "Write a case study" to board leaders, cases in progress to those with
drafts to read, the review queue to coordinators, module sessions to those who have one or may
run one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.learning import selectors, selectors_sessions


@dataclass(frozen=True)
class Link:
    key: str  # a stable name, for the guide to pick a link by
    url: str
    text: str


def library_links(user: Any) -> list[Link]:
    """The library's pages this person may use, the guide first."""
    links = [Link("guide", reverse("learning_guide"), _("How to use the library"))]
    if access.can_browse_boards(user):
        links.append(Link("boards", reverse("learning_boards"), _("Board profiles")))
    if selectors_sessions.may_run_sessions(user) or selectors_sessions.sessions_for(user).exists():
        links.append(Link("sessions", reverse("learning_sessions"), _("Module sessions")))
    if access.can_write_case(user):
        links.append(Link("write", reverse("learning_case_new"), _("Write a case study")))
    if selectors.drafts_for(user).exists():
        links.append(Link("drafts", reverse("learning_drafts"), _("Case studies in progress")))
    if access.can_coordinate_learning(user):
        links.append(Link("review", reverse("learning_review"), _("Case studies to review")))
    return links
