"""The reminder of strategies not reviewed at a checkpoint: to the plan's team, the day after the
checkpoint and a week later, not when every strategy was reviewed, in the reader's words."""

from __future__ import annotations

import datetime

from capacity.notifications import kinds
from capacity.planning import notices_implementation, services_implementation
from tests.planning.implementation_world import checkpoints, school_plan, strategies

DAY = datetime.timedelta(days=1)


def test_it_reminds_the_team_the_day_after_and_a_week_later(world) -> None:
    plan = school_plan(world)
    due = checkpoints(plan)[0].due
    assert list(notices_implementation.unreviewed(due + 2 * DAY)) == []
    for later in (DAY, 7 * DAY):
        (reminder,) = notices_implementation.unreviewed(due + later)
        assert reminder.kind == "strategies_unreviewed"
        assert set(reminder.recipients) == {
            world.personas["principal_a1"],
            world.personas["team_a1"],
        }
        assert reminder.params["n"] == 2
        assert reminder.url == f"/plans/{plan.pk}/checkpoints/{checkpoints(plan)[0].pk}/review/"


def test_it_says_nothing_once_every_strategy_is_reviewed(world) -> None:
    plan = school_plan(world)
    checkpoint = checkpoints(plan)[0]
    plan.refresh_from_db()
    services_implementation.checkpoint_review(
        checkpoint=checkpoint,
        user=world.personas["principal_a1"],
        seen=plan.version,
        reviews=[
            services_implementation.ReviewInput(strategy=s, status="started", evidence="Minutes")
            for s in strategies(plan)
        ],
        on=checkpoint.due,
    )
    assert list(notices_implementation.unreviewed(checkpoint.due + DAY)) == []


def test_its_wording_is_registered(world) -> None:
    assert "implementation" in kinds.reminder_sources()
    assert "strategies_unreviewed" in kinds.registered()
    plan = school_plan(world)
    (reminder,) = notices_implementation.unreviewed(checkpoints(plan)[0].due + DAY)
    assert "2 strategies were not reviewed at “First check”" in kinds.body(
        "strategies_unreviewed", reminder.params
    )
    assert kinds.subject("strategies_unreviewed", reminder.params).startswith("Strategies of ")
