"""Setting a year's dates: through the service, checked against access rules, kept in the audit log."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from capacity.audit.models import Action, AuditEntry
from capacity.planning import services
from capacity.planning.models import Timeline

DATES = {
    "submit_by": "2018-10-31",
    "act_by": "2018-11-30",
    "observe_by": "2019-03-31",
    "reflect_by": "2019-06-15",
}


def test_it_saves_a_boards_dates_for_its_schools_and_records_each_change(client, world) -> None:
    client.force_login(world.personas["board_a"])
    response = client.post(
        "/plans/timelines/", {"place": world.board_a.number, "school_year": "2018-19", **DATES}
    )
    assert response.status_code == 302
    timeline = Timeline.objects.get()
    assert (timeline.board, timeline.kind, timeline.submit_by) == (
        world.board_a,
        "school",
        datetime.date(2018, 10, 31),
    )
    client.post(
        "/plans/timelines/",
        {
            "place": world.board_a.number,
            "school_year": "2018-19",
            **DATES,
            "submit_by": "2018-11-15",
        },
    )
    timeline.refresh_from_db()
    assert Timeline.objects.count() == 1 and timeline.submit_by == datetime.date(2018, 11, 15)
    first, second = AuditEntry.objects.filter(action=Action.TIMELINE_SET).order_by("id")
    assert first.actor == world.personas["board_a"] and first.detail["before"] is None
    assert second.detail["before"]["submit_by"] == "2018-10-31"
    assert second.detail["dates"]["submit_by"] == "2018-11-15"


def test_it_refuses_a_board_leader_setting_the_ministrys_dates(world) -> None:
    dates = {k: datetime.date.fromisoformat(v) for k, v in DATES.items()}
    with pytest.raises(PermissionDenied):
        services.timeline_set(
            user=world.personas["board_a"], board=None, school_year="2018-19", **dates
        )
    assert (
        not Timeline.objects.exists()
        and not AuditEntry.objects.filter(action=Action.TIMELINE_SET).exists()
    )
