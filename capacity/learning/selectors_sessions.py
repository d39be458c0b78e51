"""Every read of module sessions, scoped by the person asking.

A session is read by its facilitator, its participants and those who may run surveys for
its board or school (`access.session_rights`). A participant sees the facilitator, how many
took part and their own link to the module evaluation; the participants' names and the
evaluation's figures are for those who run it, and the figures come from the instruments'
report, so they are hidden below the evaluation's smallest reported group.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from capacity.directory import access
from capacity.directory.models import Board, School
from capacity.instruments import scoring
from capacity.instruments import selectors as instrument_selectors
from capacity.instruments.definition import from_json
from capacity.instruments.models import Instrument, Invitation
from capacity.learning.models import Kind, Session

EVALUATION = "module-evaluation"
COMING_UP_DAYS = 30


def _sessions() -> QuerySet[Session]:
    return Session.objects.select_related(
        "module", "module__published", "board", "school", "facilitator"
    ).prefetch_related("module__published__texts")


def sessions_for(user: Any) -> QuerySet[Session]:
    """Sessions the person facilitates or takes part in."""
    if not getattr(user, "is_authenticated", False):
        return Session.objects.none()
    return _sessions().filter(Q(facilitator=user) | Q(participants=user)).distinct()


def sessions_listed(
    user: Any, today: datetime.date | None = None
) -> tuple[list[Session], list[Session]]:
    """(coming up, soonest first; held, latest first) among the person's sessions."""
    today = today or timezone.localdate()
    mine = sessions_for(user)
    coming = list(mine.filter(held_on__gte=today).order_by("held_on", "pk")[:100])
    held = list(mine.filter(held_on__lt=today).order_by("-held_on", "-pk")[:100])
    return coming, held


def coming_up(user: Any, today: datetime.date | None = None) -> list[Session]:
    """The person's sessions from today to COMING_UP_DAYS ahead, soonest first."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=COMING_UP_DAYS)
    return list(
        sessions_for(user).filter(held_on__gte=today, held_on__lte=until).order_by("held_on", "pk")
    )


def is_participant(user: Any, session: Session) -> bool:
    pk = getattr(user, "pk", None)
    return pk is not None and session.participants.filter(pk=pk).exists()


def get_session_for_user(user: Any, pk: int) -> tuple[Session, access.SessionRights]:
    """The session and what the person may do with it; 404 when unknown, 403 when not theirs."""
    session = get_object_or_404(_sessions(), pk=pk)
    rights = access.session_rights(user, session, is_participant(user, session))
    if not rights.read:
        raise PermissionDenied
    return session, rights


def evaluation_instrument() -> Instrument:
    return Instrument.objects.get(code=EVALUATION)


def respondent_roles() -> list[str]:
    """The roles the module evaluation is for: those of the people who may take part."""
    return list(from_json(evaluation_instrument().definition).respondents)


def evaluation_minimum() -> int:
    """The fewest answers the module evaluation's figures are shown for (its definition's
    reporting minimum): a session with fewer participants never shows them."""
    return from_json(evaluation_instrument().definition).min_respondents


def eligible_people(*, board: Board | None, school: School | None) -> list[tuple[Any, str]]:
    """Who may take part in a session of this board or school: its people (a board's leaders
    and trustees and its schools' staff; a school's staff) holding a role the module
    evaluation is for, each with that role."""
    return access.survey_respondent_people(board=board, school=school, roles=respondent_roles())


def session_places(user: Any) -> list[tuple[str, str]]:
    """Where the person may run a session, as ("board:<pk>" or "school:<pk>", name): where they
    may run surveys (the boards they lead and those boards' schools, the schools on whose team
    they are; for a ministry officer, every board)."""
    scope = access.scope_for(user)
    boards = (
        Board.objects.all() if scope.ministry else Board.objects.filter(pk__in=scope.led_board_ids)
    )
    schools = School.objects.filter(
        Q(pk__in=scope.team_school_ids) | Q(board_id__in=scope.led_board_ids)
    )
    return [(f"board:{b.pk}", str(b)) for b in boards.order_by("name")] + [
        (f"school:{s.pk}", str(s)) for s in schools.order_by("name")
    ]


def place_of(value: str) -> tuple[Board | None, School | None]:
    """The board or school a "board:<pk>" or "school:<pk>" value names (404 when unknown)."""
    kind, _sep, pk = value.partition(":")
    if not pk.isdigit() or kind not in ("board", "school"):
        raise PermissionDenied
    if kind == "board":
        return get_object_or_404(Board, pk=int(pk)), None
    return None, get_object_or_404(School, pk=int(pk))


def published_modules() -> QuerySet[Any]:
    from capacity.learning.models import Item

    return (
        Item.objects.filter(kind=Kind.MODULE, published__isnull=False)
        .select_related("published")
        .prefetch_related("published__texts")
        .order_by("number")
    )


@dataclass(frozen=True)
class Evaluation:
    """What the session page shows of its module evaluation to this person."""

    invited: int = 0
    answered: int = 0
    report: scoring.Report | None = None  # for those who run the session only
    invitation: Invitation | None = None  # the person's own, to answer
    sent: bool = False  # the person has sent their answers


def evaluation_for(session: Session, rights: access.SessionRights, user: Any) -> Evaluation | None:
    """The evaluation as this person may see it: the count for everyone who reads the session,
    the report (gated by the instruments' reporting rules) for those who run it, the person's
    own invitation for a participant. None before the evaluation is opened."""
    round_ = session.evaluation
    if round_ is None:
        return None
    rate = instrument_selectors.response_rate(round_)
    report = instrument_selectors.round_report(round_) if rights.see_people else None
    invitation = None
    sent = False
    if rights.answer:
        invitation = Invitation.objects.filter(round=round_, user=user).first()
        if invitation is not None:
            own = instrument_selectors.own_response(invitation)
            sent = own is not None and own.submitted_at is not None
    return Evaluation(rate.invited, rate.submitted, report, invitation, sent)


def may_run_sessions(user: Any) -> bool:
    """Whether the person may run a session anywhere (as `session_places`, without listing them)."""
    scope = access.scope_for(user)
    return scope.ministry or bool(scope.led_board_ids) or bool(scope.team_school_ids)
