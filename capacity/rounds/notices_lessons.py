"""The rounds app's messages: lesson study. Registered from RoundsConfig.ready.

Who hears of what:

* added to a study's team: the people added, when the study starts with them or later;
* a study finished: its board's leaders, who may share its findings as a case study in the
  learning library (`services_lessons.lesson_study_share`).

The person who acted is never told. A message names the study by its title and school, as the
team wrote them, and links to the study's page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.notifications import kinds
from capacity.notifications.services import notify_on_commit

if TYPE_CHECKING:
    from capacity.rounds.models import LessonStudy


def register_kinds() -> None:
    kinds.register(
        "lesson_study_team",
        subject=lambda p: _("You are on the team of a lesson study: %(title)s") % p,
        body=lambda p: (
            _(
                "%(by)s added you to the team of the lesson study “%(title)s” at %(school)s. Its "
                "research question: %(question)s"
            )
            % p
        ),
    )
    kinds.register(
        "lesson_study_finished",
        subject=lambda p: _("A lesson study is finished and ready to share: %(title)s") % p,
        body=lambda p: (
            _(
                "The team of the lesson study “%(title)s” at %(school)s recorded what it learned. "
                "As a leader of %(board)s, you can share its findings as a case study in the "
                "learning library."
            )
            % p
        ),
    )


def _params(study: LessonStudy) -> dict[str, Any]:
    return {
        "study": study.pk,
        "title": study.title,
        "school": study.school.name,
        "board": study.board.name,
        "question": study.research_question[:300],
    }


def _url(study: LessonStudy) -> str:
    return reverse("rounds_lesson", args=[study.pk])


def team_added(*, study: LessonStudy, people: list[Any], by: Any) -> None:
    """Tell the people added to a study's team (at its start, or later)."""
    notify_on_commit(
        recipients=people,
        exclude=by,
        kind="lesson_study_team",
        params={**_params(study), "by": str(by)},
        url=_url(study),
        dedupe_key=f"lesson_study_team:{study.pk}",
    )


def study_finished(*, study: LessonStudy, by: Any) -> None:
    """Tell the board's leaders that a finished study's findings are ready to share."""
    notify_on_commit(
        recipients=access.board_leader_people([study.board_id]).get(study.board_id, []),
        exclude=by,
        kind="lesson_study_finished",
        params=_params(study),
        url=_url(study),
        dedupe_key=f"lesson_study_finished:{study.pk}",
    )
