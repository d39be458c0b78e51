"""The demo's module sessions: one held with its evaluation's figures showing, one coming up."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from capacity.directory.demo import DemoOptions, build_demo
from capacity.directory.models import User
from capacity.instruments.demo import build_demo_rounds
from capacity.learning import selectors_sessions
from capacity.learning.demo import build_demo_library
from capacity.learning.models import Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    build_demo(DemoOptions(seed=11, boards=3, schools=12, years=2))
    build_demo_rounds(seed=11)
    return build_demo_library(seed=11)


def test_the_director_ran_a_session_two_weeks_ago_and_reads_its_evaluation(demo) -> None:
    today = timezone.localdate()
    session = Session.objects.get(module__slug="using-evidence")
    assert session.facilitator.username == "director"
    assert session.held_on == today - datetime.timedelta(days=14)
    assert session.participants.count() >= 6
    director = User.objects.get(username="director")
    session, rights = selectors_sessions.get_session_for_user(director, session.pk)
    evaluation = selectors_sessions.evaluation_for(session, rights, director)
    assert evaluation is not None and evaluation.report is not None
    assert evaluation.answered >= 5 and evaluation.report.shown
    # The demo teacher has not answered: it is theirs to do.
    teacher = User.objects.get(username="teacher")
    session, rights = selectors_sessions.get_session_for_user(teacher, session.pk)
    mine = selectors_sessions.evaluation_for(session, rights, teacher)
    assert mine is not None and mine.invitation is not None and not mine.sent
    assert mine.report is None


def test_the_principal_runs_a_session_next_week_with_the_team_and_teachers(demo) -> None:
    principal = User.objects.get(username="principal")
    coming = selectors_sessions.coming_up(principal)
    assert [s.module.slug for s in coming] == ["job-embedded-learning"]
    people = {p.username for p in coming[0].participants.all()}
    assert {"team", "teacher"} <= people and len(people) >= 3
    assert selectors_sessions.coming_up(User.objects.get(username="teacher")) == coming
    assert demo["sessions"] == 2
