"""The learning library's demo: the starter content, and work in progress through the services.

`build_demo_library` is called by `capacity demo` after the plans and survey rounds.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from capacity.learning import services
from capacity.learning.demo_cases import build_demo_cases


def build_demo_library(*, seed: int) -> dict[str, int]:
    """Load the starter modules and case studies; returns counts for the demo's summary."""
    report = services.load_shipped()
    counts = {"items": len(report.created) + len(report.updated) + len(report.unchanged)}
    counts.update(build_demo_sessions(seed=seed))
    counts.update(build_demo_cases(seed=seed))
    return counts


# Colleagues without a sign-in, so that a session has the people a real one would.
_COLLEAGUES = (
    ("teacher.2", "teacher", "Amara Lindqvist"),
    ("teacher.3", "teacher", "Jonah Tremblay"),
    ("principal.2", "principal", "Renée Okafor"),
    ("principal.3", "principal", "Victor Haddad"),
)


def build_demo_sessions(*, seed: int) -> dict[str, int]:
    """Two module sessions through the services (docs/learning.md, "Running a module session").

    * the director ran "using-evidence" for the board two weeks ago with its superintendent,
      trustee, and principals and staff of its schools; the evaluation was opened that day
      and six of the seven participants have answered, so the director reads the figures (the
      demo teacher has not answered yet: it is on their home page);
    * the home school's principal runs another module with the school's team and teachers
      next week: they have been told, and it is among their sessions coming up.

    Answers are taken only while a round is open, so the evaluation is opened today, answered,
    and then dated back to the session's day, which only the demo does.
    """
    from capacity.directory.models import Membership, School, User
    from capacity.directory.services import membership_grant, user_create
    from capacity.instruments import services as instrument_services
    from capacity.instruments.definition import from_json
    from capacity.instruments.models import Invitation, Round
    from capacity.learning import services_sessions
    from capacity.learning.models import Item

    rng = random.Random(seed * 7907 + 5)
    found = {
        m.user.username: m
        for m in Membership.objects.filter(
            user__username__in=[
                "director",
                "superintendent",
                "trustee",
                "principal",
                "team",
                "teacher",
            ]
        ).select_related("user", "board", "school")
    }
    director, board = found["director"].user, found["director"].board
    home = found["principal"].school
    assert board is not None and home is not None
    others = list(School.objects.filter(board=board).exclude(pk=home.pk).order_by("number")[:2])
    today = timezone.localdate()
    with transaction.atomic():
        people: dict[str, Any] = {name: m.user for name, m in found.items()}
        for (username, role, name), school in zip(_COLLEAGUES, [home, home, *others], strict=False):
            user = user_create(
                username=username,
                email=f"{username}@demo.capacity.invalid",
                display_name=name,
                actor_label="capacity demo",
            )
            User.objects.filter(pk=user.pk).update(
                first_name=name.split()[0], last_name=name.split()[-1]
            )
            membership_grant(user=user, role=role, organisation=school, actor_label="capacity demo")
            people[username] = user
        held = today - datetime.timedelta(days=14)
        board_session = services_sessions.session_create(
            user=director,
            module=Item.objects.get(slug="using-evidence"),
            board=board,
            held_on=held,
            participants=[
                people[n]
                for n in (
                    "superintendent",
                    "trustee",
                    "principal",
                    "team",
                    "teacher",
                    "principal.2",
                    "principal.3",
                )
                if n in people
            ],
            notes="The evidence inventory showed twelve data sources and two used in decisions. "
            "Follow up: a one-page decision log for the next planning cycle.",
        )
        round_ = services_sessions.session_evaluation_open(user=director, session=board_session)
        definition = from_json(round_.definition)
        codes = [item.code for item in definition.items]
        comments = [
            "The inventory exercise should come first.",
            "More time for the cases, please.",
        ]
        invitations = Invitation.objects.filter(round=round_).select_related("user")
        answered = 0
        for invitation in invitations.order_by("user__username"):
            if invitation.user is None or invitation.user.username == "teacher":
                continue
            instrument_services.response_save(
                invitation=invitation,
                answers={code: min(5, max(2, round(rng.gauss(4.1, 0.7)))) for code in codes},
                comment=comments[answered] if answered < len(comments) else "",
                submit=True,
            )
            answered += 1
        Round.objects.filter(pk=round_.pk).update(
            opens_on=held, closes_on=held + datetime.timedelta(days=21)
        )
        services_sessions.session_create(
            user=people["principal"],
            module=Item.objects.get(slug="job-embedded-learning"),
            school=home,
            held_on=today + datetime.timedelta(days=7),
            participants=[
                people[n] for n in ("team", "teacher", "teacher.2", "teacher.3") if n in people
            ],
            notes="Ask each teacher to bring one piece of student work.",
        )
    return {"sessions": 2, "evaluations_answered": answered}
