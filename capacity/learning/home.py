"""The learning library's items on the home pages.

* case studies to review (coordinators) and one's own case studies waiting for one
  (returned, or drafts not submitted): home_authoring.py;
* module sessions coming up in the next 30 days, for their facilitators and participants.

A participant's module evaluation to answer is a survey round of the instruments app, so
the instruments' own section ("Surveys to answer") lists it; it is not repeated here.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from capacity.homeitems import INFO, HomeItem, HomeSection
from capacity.learning import home_authoring, home_profiles, selectors_sessions

SESSIONS_LISTED = 8


def _session_section(user: Any) -> list[HomeSection]:
    coming = selectors_sessions.coming_up(user)
    if not coming:
        return []
    language = get_language() or "en"
    items = []
    for session in coming[:SESSIONS_LISTED]:
        version = session.module.published
        text = version.text(language) if version is not None else None
        facilitates = session.facilitator_id == user.pk
        items.append(
            HomeItem(
                text=_("%(title)s for %(place)s")
                % {
                    "title": text.title if text else session.module.slug,
                    "place": session.school or session.board,
                },
                url=reverse("learning_session", args=[session.pk]),
                status=INFO,
                status_text=_("you facilitate") if facilitates else _("you take part"),
                on=session.held_on,
                date_text=_("planned for"),
            )
        )
    return [
        HomeSection(
            heading_id="home-learning-sessions",
            title=_("Module sessions coming up"),
            items=tuple(items),
            more_url=reverse("learning_sessions"),
            more_text=_("All your module sessions"),
            order=40,
        )
    ]


def sections(user: Any) -> list[HomeSection]:
    # Case studies to review and the person's own case studies: home_authoring.py.
    # What to read next, for board leaders: home_profiles.py.
    return home_authoring.sections(user) + _session_section(user) + home_profiles.sections(user)
