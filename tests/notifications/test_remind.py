"""`capacity remind`: what is overdue reaches the plan's team once per item and day; the worker runs it daily."""

from __future__ import annotations

import datetime

import pytest
from django.utils import formats

from capacity.notifications.models import DailyRun, Notification
from capacity.notifications.services import remind, remind_daily
from capacity.planning.models import Checkpoint, Kind, Plan, Review, Stage, Timeline
from tests.notifications.conftest import received

TODAY = datetime.date(2019, 2, 1)


def plan_a1(world, **values) -> Plan:
    return Plan.objects.create(
        kind=Kind.SCHOOL,
        school=world.school_a1,
        board=world.board_a,
        school_year="2018-19",
        **values,
    )


def overdue_checkpoint(world, **plan_values) -> Checkpoint:
    return Checkpoint.objects.create(
        plan=plan_a1(world, **plan_values),
        due=TODAY - datetime.timedelta(days=3),
        title="Look at work",
    )


def test_an_overdue_checkpoint_reminds_the_team_once_a_day(world) -> None:
    overdue_checkpoint(world, stage=Stage.ACT, review=Review.ACCEPTED)
    assert remind(today=TODAY) == 2
    assert received("checkpoint_overdue") == {"principal_a1", "team_a1"}
    assert remind(today=TODAY) == 0  # run twice the same day: sent once
    assert Notification.objects.count() == 2
    assert remind(today=TODAY + datetime.timedelta(days=1)) == 2  # still overdue the next day
    message = Notification.objects.first()
    due = formats.date_format(datetime.date(2019, 1, 29), "DATE_FORMAT")  # the app's date style
    assert "Look at work" in message.body and due in message.body


def test_a_recorded_checkpoint_or_a_closed_year_reminds_nobody(world) -> None:
    checkpoint = overdue_checkpoint(world, stage=Stage.ACT, review=Review.ACCEPTED)
    checkpoint.recorded_at = datetime.datetime(2019, 1, 30, tzinfo=datetime.UTC)
    checkpoint.save()
    Checkpoint.objects.create(
        plan=Plan.objects.create(
            kind=Kind.SCHOOL,
            school=world.school_a1,
            board=world.board_a,
            school_year="2017-18",
            stage=Stage.CLOSED,
        ),
        due=datetime.date(2018, 1, 1),
        title="Old",
    )
    assert remind(today=TODAY) == 0


def timeline_a(submit_by: datetime.date) -> Timeline:
    return Timeline.objects.create(
        board=None,
        school_year="2018-19",
        kind=Kind.BOARD,
        submit_by=submit_by,
        act_by=submit_by,
        observe_by=submit_by,
        reflect_by=submit_by,
    )


@pytest.mark.parametrize(
    ("review", "reminded"),
    [
        (Review.DRAFT, True),
        (Review.RETURNED, True),
        (Review.SUBMITTED, False),
        (Review.ACCEPTED, False),
    ],
)
def test_a_plan_past_its_submission_date_reminds_its_team(world, review, reminded) -> None:
    Timeline.objects.create(
        board=world.board_a,
        school_year="2018-19",
        kind=Kind.SCHOOL,
        submit_by=datetime.date(2018, 10, 31),
        act_by=datetime.date(2018, 11, 30),
        observe_by=datetime.date(2019, 3, 31),
        reflect_by=datetime.date(2019, 6, 15),
    )
    plan_a1(world, review=review)
    remind(today=TODAY)
    assert received("submission_overdue") == ({"principal_a1", "team_a1"} if reminded else set())


def test_a_board_plan_past_the_ministrys_date_reminds_the_boards_leaders(world) -> None:
    timeline_a(datetime.date(2018, 12, 1))
    Plan.objects.create(kind=Kind.BOARD, board=world.board_a, school_year="2018-19")
    remind(today=TODAY)
    assert received("submission_overdue") == {"board_a"}
    # Not before the date.
    Notification.objects.all().delete()
    remind(today=datetime.date(2018, 11, 1))
    assert received() == set()


def test_the_daily_run_sends_once_a_day_and_remembers_the_day(world) -> None:
    overdue_checkpoint(world, stage=Stage.OBSERVE, review=Review.ACCEPTED)
    assert remind_daily(today=TODAY) == 2
    assert DailyRun.objects.get(name="remind").last_day == TODAY
    assert remind_daily(today=TODAY) is None  # a restarted worker, the same day
    assert Notification.objects.count() == 2
    assert remind_daily(today=TODAY + datetime.timedelta(days=1)) == 2


@pytest.mark.slow
def test_the_worker_sends_the_days_reminders_once_across_restarts(instance) -> None:
    """The real `capacity worker --once`, twice (a restart), then `capacity remind` by hand: one reminder each."""
    instance.python(
        "import datetime\n"
        "from capacity.directory.models import *\n"
        "from capacity.planning.models import Plan, Checkpoint\n"
        "p = Province.objects.create(code='ON', name='Ontario')\n"
        "b = Board.objects.create(province=p, number='B66001', name='Alpha', language='en', board_type='public')\n"
        "s = School.objects.create(board=b, number='700001', name='Aspen', level='elementary', language='en')\n"
        "u = User.objects.create(username='principal', email='principal@example.org')\n"
        "Membership.objects.create(user=u, role='principal', school=s)\n"
        "plan = Plan.objects.create(kind='school', school=s, board=b, school_year='2018-19', stage='act')\n"
        "Checkpoint.objects.create(plan=plan, due=datetime.date(2019, 1, 1), title='Look at work')\n"
    )
    for _ in range(2):
        done = instance.run("worker", "--once")
        assert done.returncode == 0, done.stderr
    assert instance.query("SELECT kind FROM notifications_notification") == [
        ("checkpoint_overdue",)
    ]
    assert len(instance.query("SELECT last_day FROM notifications_dailyrun")) == 1
    done = instance.run("remind")
    assert done.returncode == 0, done.stderr
    assert "Reminders sent: 0." in done.stdout
    # The console email backend printed the one email the worker sent.
