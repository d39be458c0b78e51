"""The learning library's messages: a case study submitted, returned or published; a module
session planned.

Registered from LearningConfig.ready. Who hears of what:

* submitted: the coordinators (ministry officers), who review it;
* returned: its editors (its authors and the leaders of its board, who may edit and
  resubmit it), with the coordinator's reason on its draft page;
* published: its editors;
* session planned: the participants of a module session, when it is created with them or
  they are added to it (its evaluation's invitation is the instruments' own message).

The person who acted is never told. A message names the case study by the title of the
version it concerns and links where the reader acts: the draft page for a case to review
or to rework, the item's page once it is published.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.notifications import kinds
from capacity.notifications.services import notify_on_commit

if TYPE_CHECKING:
    from capacity.learning.models import Item, Session, Version


def _title(p: dict[str, Any]) -> str:
    """The title in the reader's language, else the other."""
    french = (get_language() or "en").startswith("fr")
    first, second = ("title_fr", "title_en") if french else ("title_en", "title_fr")
    return str(p.get(first) or p.get(second) or "")


def register_kinds() -> None:
    kinds.register(
        "case_submitted",
        subject=lambda p: _("A case study to review: %(title)s") % {"title": _title(p)},
        body=lambda p: (
            _("%(board)s submitted version %(number)s of “%(title)s” for review.")
            % {"board": p["board"], "number": p["number"], "title": _title(p)}
        ),
    )
    kinds.register(
        "case_returned",
        subject=lambda p: _("Your case study was returned: %(title)s") % {"title": _title(p)},
        body=lambda p: (
            _("A coordinator returned version %(number)s of “%(title)s” with comments to address.")
            % {"number": p["number"], "title": _title(p)}
        ),
    )
    kinds.register(
        "case_published",
        subject=lambda p: _("Your case study is published: %(title)s") % {"title": _title(p)},
        body=lambda p: (
            _("Version %(number)s of “%(title)s” is in the library for everyone to read.")
            % {"number": p["number"], "title": _title(p)}
        ),
    )
    kinds.register(
        "session_planned",
        subject=lambda p: (
            _("A module session with you on %(date)s: %(title)s")
            % {"date": kinds.date(p["held_on"]), "title": _title(p)}
        ),
        body=lambda p: (
            _(
                "%(facilitator)s runs a session of the module “%(title)s” for %(place)s on "
                "%(date)s, and you take part. Afterwards you will be asked to evaluate it; only "
                "the group's answers are reported."
            )
            % {
                "facilitator": p["facilitator"],
                "title": _title(p),
                "place": p["place"],
                "date": kinds.date(p["held_on"]),
            }
        ),
    )


def _params(item: Item, version: Version) -> dict[str, Any]:
    titles = {text.language: text.title for text in version.texts.all()}
    return {
        "item": item.pk,
        "number": version.number,
        "title_en": titles.get("en", ""),
        "title_fr": titles.get("fr", ""),
        "board": str(version.facts.get("board", "")),
    }


def _url(item: Item) -> str:
    return reverse("learning_item", args=[item.slug])


def _draft_url(item: Item) -> str:
    return reverse("learning_draft", args=[item.slug])


def case_submitted(*, item: Item, version: Version, by: Any) -> None:
    notify_on_commit(
        recipients=access.ministry_people(),
        exclude=by,
        kind="case_submitted",
        params=_params(item, version),
        url=_draft_url(item),
        dedupe_key=f"case_submitted:{version.pk}",
    )


def _editors(item: Item, authors: frozenset[int]) -> list[Any]:
    """Its authors (active) and the leaders in force of its board: those who may act on it."""
    from django.contrib.auth import get_user_model

    people = list(get_user_model().objects.filter(pk__in=authors, is_active=True))
    if item.board_id is not None:
        people += [
            leader
            for leader in access.board_leader_people([item.board_id]).get(item.board_id, [])
            if leader.pk not in authors
        ]
    return people


def case_returned(*, item: Item, version: Version, by: Any, authors: frozenset[int]) -> None:
    notify_on_commit(
        recipients=_editors(item, authors),
        exclude=by,
        kind="case_returned",
        params=_params(item, version),
        url=_draft_url(item),
        dedupe_key=f"case_returned:{version.pk}",
    )


def case_published(*, item: Item, version: Version, by: Any, authors: frozenset[int]) -> None:
    notify_on_commit(
        recipients=_editors(item, authors),
        exclude=by,
        kind="case_published",
        params=_params(item, version),
        url=_url(item),
        dedupe_key=f"case_published:{version.pk}",
    )


def session_planned(*, session: Session, people: list[Any], by: Any) -> None:
    """Tell the people added to a session (at its creation, or later) when and where it is."""
    module = session.module
    version = module.published
    titles = {text.language: text.title for text in version.texts.all()} if version else {}
    notify_on_commit(
        recipients=people,
        exclude=by,
        kind="session_planned",
        params={
            "session": session.pk,
            "title_en": titles.get("en", ""),
            "title_fr": titles.get("fr", ""),
            "place": str(session.school or session.board),
            "facilitator": str(session.facilitator),
            "held_on": session.held_on.isoformat(),
        },
        url=reverse("learning_session", args=[session.pk]),
        dedupe_key=f"session_planned:{session.pk}:{session.revision}",
    )
