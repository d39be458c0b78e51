"""The daily reminder of late timelines (planning/notices_themes.py)."""

from __future__ import annotations

import datetime

from django.utils import translation

from capacity.notifications import kinds
from capacity.notifications.models import Notification
from capacity.notifications.services import remind
from capacity.planning.models import Checkpoint, Plan
from capacity.planning.notices_themes import late_plans
from tests.planning.kit_themes import plan_a1, timeline_a


def test_a_plan_still_in_plan_after_act_by_reminds_its_team_once_a_day(world) -> None:
    timeline_a(world)
    plan = plan_a1(world)
    Plan.objects.filter(pk=plan.pk).update(review="accepted")
    today = datetime.date(2018, 10, 20)
    found = list(late_plans(today))
    assert [(r.kind, r.item) for r in found] == [("plan_late", f"plan:{plan.pk}:act")]
    assert {u.username for u in found[0].recipients} == {"principal_a1", "team_a1"}
    remind(today=today)
    remind(today=today)
    sent = Notification.objects.filter(kind="plan_late")
    assert sent.count() == 2  # the principal and the team member, once each
    assert "is late" in kinds.subject("plan_late", sent.first().params)
    assert "Not in Act by the timeline's date" in kinds.body("plan_late", sent.first().params)


def test_observe_and_reflect_reminders_and_none_once_done(world) -> None:
    timeline_a(world)
    plan = plan_a1(world)
    Plan.objects.filter(pk=plan.pk).update(stage="act", review="accepted")
    items = [r.item for r in late_plans(datetime.date(2019, 6, 20))]
    assert items == [f"plan:{plan.pk}:observe", f"plan:{plan.pk}:reflect"]
    Checkpoint.objects.create(
        plan=plan,
        due=datetime.date(2019, 1, 15),
        title="Mid-year",
        recorded_at=datetime.datetime(2019, 1, 20, tzinfo=datetime.UTC),
    )
    Plan.objects.filter(pk=plan.pk).update(stage="reflect")
    assert list(late_plans(datetime.date(2019, 6, 20))) == []


def test_the_submission_date_is_left_to_plannings_own_reminder(world) -> None:
    timeline_a(world)
    plan_a1(world)
    assert list(late_plans(datetime.date(2018, 10, 5))) == []


def test_the_message_reads_in_french(world) -> None:
    with translation.override("fr"):
        body = kinds.body("plan_late", {"plan": "X", "step": "act", "due": "2018-10-15"})
    assert "Not in Act" not in body
