"""Every write to module sessions: a team runs a module, its participants evaluate it.

Whoever may run surveys for a board or a school (`access.can_run_survey`) runs a session of
a module there and is its facilitator. Participants are chosen among that place's people
holding a role the module evaluation is for (`selectors_sessions.eligible_people`); the
facilitator is never one of them, since the figures they read must not hold their own
answers. Edits name the revision they started from, so two tabs or two devices never
silently overwrite each other. After the session the facilitator opens the module
evaluation: a survey round of the instruments app inviting exactly the participants, which
tells them itself; the facilitator then reads its figures, hidden below the evaluation's
smallest reported group like any round's.

People hear of a session when it is created with them or they are added to it
(`notices.session_planned`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from capacity.directory import access
from capacity.directory.models import Board, School
from capacity.instruments import services as instrument_services
from capacity.instruments.models import Round
from capacity.learning import notices
from capacity.learning.models import Item, Kind, Session
from capacity.learning.selectors_sessions import (
    eligible_people,
    evaluation_instrument,
    is_participant,
)

EVALUATION_DAYS = 14  # how long the evaluation stays open by default
NOTES_MAX = 20000


def _check(
    *,
    facilitator: Any,
    board: Board | None,
    school: School | None,
    held_on: Any,
    participants: list[Any],
    notes: str,
    current: tuple[Any, ...] = (),
) -> list[Any]:
    """The chosen participants, or ValidationError naming each problem. They are chosen among
    the place's people; those already taking part (`current`) stay choosable even if their
    role there has ended since, so the rest of the session can still be changed."""
    errors: dict[str, list[str]] = {}
    if not isinstance(held_on, datetime.date):
        errors.setdefault("held_on", []).append(_("Give the session's date."))
    eligible = {person.pk: person for person, _role in eligible_people(board=board, school=school)}
    eligible.update({person.pk: person for person in current})
    chosen = {getattr(p, "pk", p) for p in participants}
    if facilitator.pk in chosen:
        errors.setdefault("participants", []).append(
            _("The facilitator does not answer their own session's evaluation: leave yourself out.")
        )
    elif chosen - set(eligible):
        errors.setdefault("participants", []).append(
            _("Choose participants among the people of this board or school.")
        )
    if not chosen:
        errors.setdefault("participants", []).append(_("Choose at least one participant."))
    if len(notes) > NOTES_MAX:
        errors.setdefault("notes", []).append(_("Keep the notes under 20,000 characters."))
    if errors:
        raise ValidationError(errors)
    return [eligible[pk] for pk in sorted(chosen)]


@transaction.atomic
def session_create(
    *,
    user: Any,
    module: Item,
    board: Board | None = None,
    school: School | None = None,
    held_on: datetime.date,
    participants: list[Any],
    notes: str = "",
) -> Session:
    """Plan (or record) a session of `module` for a board or a school, run by `user`."""
    if (board is None) == (school is None):
        raise ValidationError({"__all__": [_("A session is for one board or one school.")]})
    if not access.can_run_survey(user, board=board, school=school):
        raise PermissionDenied
    if module.kind != Kind.MODULE or module.published_id is None:
        raise ValidationError({"module": [_("Choose one of the library's modules.")]})
    people = _check(
        facilitator=user,
        board=board,
        school=school,
        held_on=held_on,
        participants=participants,
        notes=notes,
    )
    session = Session(
        module=module,
        board=board,
        school=school,
        held_on=held_on,
        facilitator=user,
        notes=notes.strip(),
    )
    session.full_clean()
    session.save()
    session.participants.set(people)
    notices.session_planned(session=session, people=people, by=user)
    return session


def _require_edit(user: Any, session: Session) -> None:
    if not access.session_rights(user, session, is_participant(user, session)).edit:
        raise PermissionDenied


@transaction.atomic
def session_update(
    *,
    user: Any,
    session: Session,
    revision: int,
    held_on: datetime.date,
    participants: list[Any],
    notes: str,
) -> Session:
    """The facilitator changes the date, the participants or the notes.

    `revision` is the one the editor started from: if someone saved since, nothing is saved
    and the error says so. Once the evaluation is open, its people and the session's date
    are what the participants answered about, so only the notes still change.
    """
    locked = (
        Session.objects.select_for_update(of=("self",))
        .select_related("school", "board")
        .get(pk=session.pk)
    )
    _require_edit(user, locked)
    if locked.revision != revision:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "Someone saved this session after you opened it, so your changes were "
                        "not saved. What they saved is shown, with your notes kept: check them "
                        "and save again."
                    )
                ]
            }
        )
    current = tuple(locked.participants.all())
    before = {person.pk for person in current}
    people = _check(
        facilitator=locked.facilitator,
        board=locked.board,
        school=locked.school,
        held_on=held_on,
        participants=participants,
        notes=notes,
        current=current,
    )
    if locked.evaluation_id is not None and (
        held_on != locked.held_on or {p.pk for p in people} != before
    ):
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "The evaluation is open: the date and the participants stay as they were. "
                        "You can still change the notes."
                    )
                ]
            }
        )
    locked.held_on = held_on
    locked.notes = notes.strip()
    locked.revision += 1
    locked.full_clean()
    locked.save()
    locked.participants.set(people)
    added = [p for p in people if p.pk not in before]
    if added:
        notices.session_planned(session=locked, people=added, by=user)
    return locked


def evaluation_about(session: Session) -> dict[str, str]:
    """What the session's evaluation round is about, in each language ("Using evidence —
    session of 17 November 2026"): participants in two sessions of a board tell their
    invitations apart by it. The round keeps it as a label since instruments sit below
    learning and never read its sessions."""
    version = session.module.published
    about = {}
    for language in ("en", "fr"):
        text = version.text(language) if version is not None else None
        title = text.title if text is not None else session.module.slug
        with translation.override(language):
            about[language] = _("%(module)s — session of %(date)s") % {
                "module": title,
                "date": formats.date_format(session.held_on, "DATE_FORMAT"),
            }
    return about


@transaction.atomic
def session_evaluation_open(
    *, user: Any, session: Session, closes_on: datetime.date | None = None
) -> Round:
    """After the session, open the module evaluation for exactly its participants.

    A round of the module-evaluation instrument for the session's board or school, open from
    today to `closes_on` (two weeks by default); the instruments' services invite and tell
    the participants who still hold a role there, and audit the round.
    """
    locked = (
        Session.objects.select_for_update(of=("self",))
        .select_related("school", "board")
        .get(pk=session.pk)
    )
    _require_edit(user, locked)
    today = timezone.localdate()
    if locked.evaluation_id is not None:
        raise ValidationError({"__all__": [_("The evaluation of this session is already open.")]})
    if locked.held_on > today:
        raise ValidationError(
            {"__all__": [_("The evaluation opens once the session has taken place.")]}
        )
    chosen = set(locked.participants.values_list("pk", flat=True))
    people = [
        (person, role)
        for person, role in eligible_people(board=locked.board, school=locked.school)
        if person.pk in chosen and person.pk != locked.facilitator_id
    ]
    if not people:
        raise ValidationError(
            {"__all__": [_("None of the participants holds a role here any more to answer.")]}
        )
    round_, _links = instrument_services.round_open(
        user=user,
        instrument=evaluation_instrument(),
        board=locked.board,
        school=locked.school,
        opens_on=today,
        closes_on=closes_on or today + datetime.timedelta(days=EVALUATION_DAYS),
        people=people,
        about=evaluation_about(locked),
    )
    locked.evaluation = round_
    locked.revision += 1
    locked.save(update_fields=["evaluation", "revision", "updated_at"])
    return round_
