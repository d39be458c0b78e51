"""Survey rounds for the demo province, at every state, through the services.

Built by `capacity demo` after the plans. The demo's people (docs: the sign-in table)
see them: the superintendent runs the board's rounds, the principal, team and teacher
of the home school are invited, and single-use links stand in for the many people
without demo accounts. Some rounds have enough respondents for figures and some too
few, so both sides of the confidentiality rule show:

* the board's nine characteristics: last year's round, closed, 9 respondents (figures,
  and the change this year's will be compared with); this year's, open, 3 so far (hidden);
* the board's principals on professional capital: closed with 3 respondents (hidden);
* the home school's principal rated by their staff on the 7 competencies: open, 6 others
  answered (figures), the principal's own rating still to give;
* the home school's teachers on students' aspirations: closed, 6 respondents with their
  classes' profile counts;
* the home school on the conditions for deep learning: opens next week;
* the other school on transformational student work: open, nobody yet.

A round must close today or later when it opens (services.round_open), and answers are
taken only while it is open; so a past round is opened today, answered, then moved
back to last year and closed here, which only the demo does.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from capacity.directory.models import Membership
from capacity.instruments import services
from capacity.instruments.definition import Definition, from_json
from capacity.instruments.models import Instrument, Round
from capacity.instruments.scoring import PROFILE_PREFIX


def _answers(definition: Definition, rng: random.Random, lean: dict[str, float]) -> dict[str, int]:
    """Plausible answers: each dimension around its lean (0 low .. 1 high) on the scale."""
    scale = definition.scale
    assert scale is not None
    out: dict[str, int] = {}
    for dimension in definition.dimensions:
        centre = scale.min + lean.get(dimension.code, 0.6) * (scale.max - scale.min)
        codes = (
            [dimension.code] if definition.kind == "rubric" else [i.code for i in dimension.items]
        )
        for code in codes:
            value = round(rng.gauss(centre, (scale.max - scale.min) / 5))
            out[code] = min(scale.max, max(scale.min, value))
    if definition.profile is not None:
        for quadrant in definition.profile.quadrants:
            out[PROFILE_PREFIX + quadrant.code] = rng.randint(2, 9)
    return out


def _answer_links(
    round_: Round, tokens: list[str], rng: random.Random, lean: dict[str, float]
) -> None:
    definition = from_json(round_.definition)
    for token in tokens:
        invitation = services.invitation_by_token(token)
        assert invitation is not None
        services.response_save(
            invitation=invitation, answers=_answers(definition, rng, lean), submit=True
        )


def _move_back(round_: Round, days: int) -> None:
    """Place a round `days` ago (opened two weeks before that) and close it then."""
    closes = timezone.localdate() - datetime.timedelta(days=days)
    closed_at = timezone.now() - datetime.timedelta(days=days)
    Round.objects.filter(pk=round_.pk).update(
        opens_on=closes - datetime.timedelta(days=14), closes_on=closes, closed_at=closed_at
    )


def build_demo_rounds(*, seed: int = 2016) -> dict[str, int]:
    """The demo's survey rounds (see the module docstring). Returns counts for the summary line."""
    if Round.objects.exists():
        raise ValueError(
            "The database already holds survey rounds; the demo rounds load only once."
        )
    rng = random.Random(seed * 7919 + 3)
    people = {
        m.user.username: m
        for m in Membership.objects.filter(
            user__username__in=["superintendent", "principal", "principal.other"]
        ).select_related("user", "board", "school")
    }
    leader = people["superintendent"].user
    board = people["superintendent"].board
    home = people["principal"].school
    other = people["principal.other"].school
    today = timezone.localdate()
    fortnight = today + datetime.timedelta(days=14)
    instrument = {i.code: i for i in Instrument.objects.all()}

    def open_round(code: str, **kwargs: Any) -> tuple[Round, list[str]]:
        return services.round_open(
            user=kwargs.pop("user", leader),
            instrument=instrument[code],
            opens_on=kwargs.pop("opens_on", today),
            closes_on=kwargs.pop("closes_on", fortnight),
            **kwargs,
        )

    # Weaker on evidence use and leadership development, stronger on mission: the report's
    # lowest items and the board plan's suggested goals come from there.
    districts = {"mission": 0.75, "evidence": 0.3, "leadership": 0.35, "trustees": 0.7}
    with transaction.atomic():
        last_year, tokens = open_round("strong-districts", board=board, links=9)
        _answer_links(last_year, tokens, rng, {**districts, "evidence": 0.2})
        _move_back(last_year, 365)
        this_year, tokens = open_round("strong-districts", board=board, links=12)
        _answer_links(this_year, tokens[:3], rng, districts)

        capital, tokens = open_round(
            "professional-capital", board=board, roles=["principal"], links=3
        )
        _answer_links(capital, tokens, rng, {})
        _move_back(capital, 40)

        principal = people["principal"].user
        rated, tokens = open_round(
            "leadership-competencies",
            school=home,
            subject=principal,
            roles=["school_team", "teacher", "principal"],
            links=6,
        )
        _answer_links(rated, tokens, rng, {"continuous-improvement": 0.8})

        aspirations, tokens = open_round(
            "student-aspirations", school=home, roles=["teacher"], links=6
        )
        _answer_links(aspirations, tokens, rng, {"practices": 0.55})
        _move_back(aspirations, 20)

        open_round(
            "deep-learning-conditions",
            school=home,
            opens_on=today + datetime.timedelta(days=7),
            closes_on=today + datetime.timedelta(days=28),
        )
        open_round(
            "transformational-student-work",
            school=other,
            roles=["principal", "teacher"],
            user=people["principal.other"].user,
        )
    return {
        "rounds": Round.objects.count(),
        "responses": sum(
            r.invitations.filter(response__submitted_at__isnull=False).count()
            for r in Round.objects.all()
        ),
    }
