"""Reviews of strategies: a status changes only with dated evidence, the history stays, stale
edits and people outside the team are refused, a checkpoint reviews every strategy in one save."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from capacity.planning import history
from capacity.planning import selectors_implementation as selectors
from capacity.planning import services_implementation as services
from capacity.planning.models import Implementation, PlanChange, Stage, StrategyReview
from tests.planning.implementation_world import (
    checkpoints,
    school_plan,
    strategies,
    today,
)


@pytest.fixture
def plan(world):
    return school_plan(world)


def record(world, plan, status="started", evidence="Seen in class", persona="principal_a1", **kw):
    plan.refresh_from_db()
    return services.strategy_review_record(
        strategy=strategies(plan)[0],
        user=world.personas[persona],
        seen=kw.pop("seen", plan.version),
        status=status,
        evidence=evidence,
        **kw,
    )


def test_it_needs_evidence_to_change_a_status(world, plan) -> None:
    with pytest.raises(ValidationError) as caught:
        record(world, plan, evidence="   ")
    assert "evidence" in caught.value.message_dict
    assert not StrategyReview.objects.exists()
    assert selectors.strategy_lines(plan)[0].status == Implementation.NOT_STARTED


def test_it_keeps_every_review_and_takes_the_latest_status(world, plan) -> None:
    record(world, plan, "started", on=today() - datetime.timedelta(days=30))
    record(world, plan, "in_place", on=today() - datetime.timedelta(days=2))
    # A review dated earlier than the latest one is kept but does not set the status.
    record(world, plan, "not_started", on=today() - datetime.timedelta(days=60))
    line = selectors.strategy_lines(plan)[0]
    assert line.status == Implementation.IN_PLACE
    assert line.last_review.on == today() - datetime.timedelta(days=2)
    assert [r.status for r in selectors.strategy_reviews(strategies(plan)[0])] == [
        "in_place",
        "started",
        "not_started",
    ]
    # Last month's view still reads the status as it stood then.
    assert (
        selectors.strategy_lines(plan, until=today() - datetime.timedelta(days=10))[0].status
        == "started"
    )


def test_it_refuses_a_stale_edit(world, plan) -> None:
    plan.refresh_from_db()
    seen = plan.version
    record(world, plan, seen=seen)
    with pytest.raises(services.Conflict):
        record(world, plan, "in_place", seen=seen)
    assert StrategyReview.objects.count() == 1


def test_it_refuses_a_future_date_and_a_closed_year(world, plan) -> None:
    with pytest.raises(ValidationError):
        record(world, plan, on=today() + datetime.timedelta(days=1))
    plan.stage = Stage.CLOSED
    plan.save()
    with pytest.raises(ValidationError):
        record(world, plan)
    assert not StrategyReview.objects.exists()


@pytest.mark.parametrize(
    "persona", ["ministry", "board_a", "teacher_a1", "trustee_a", "principal_b1", "facilitator"]
)
def test_only_the_team_reviews(world, plan, persona) -> None:
    with pytest.raises(PermissionDenied):
        record(world, plan, persona=persona)
    assert not StrategyReview.objects.exists()


def test_a_school_team_member_reviews(world, plan) -> None:
    assert record(world, plan, persona="team_a1").recorded_by == world.personas["team_a1"]


def test_it_logs_the_review_in_the_plans_history_in_words(world, plan) -> None:
    record(world, plan, "in_place", evidence="Minutes of the division meeting")
    change = PlanChange.objects.filter(plan=plan, action=services.ACTION).get()
    assert change.fields["status"] == [None, "in_place"]
    row = history.describe([change], plan)[0]
    assert row.what == "Strategy reviewed: implementation status and evidence"
    assert any(f.after == "In place" for f in row.fields)


def test_a_checkpoint_reviews_the_strategies_in_one_version_and_names_the_rest(world, plan) -> None:
    first, second = strategies(plan)
    past = checkpoints(plan)[0]
    assert selectors.checkpoint_unreviewed(past) == [first, second]
    plan.refresh_from_db()
    version = plan.version
    rows = services.checkpoint_review(
        checkpoint=past,
        user=world.personas["principal_a1"],
        seen=version,
        reviews=[services.ReviewInput(strategy=first, status="started", evidence="Timetable")],
    )
    plan.refresh_from_db()
    assert plan.version == version + 1
    assert rows[0].checkpoint == past and rows[0].on == today()
    assert selectors.checkpoint_unreviewed(past) == [second]


def test_a_checkpoint_review_refuses_another_plans_strategy(world, plan) -> None:
    other = school_plan(world, world.school_b1, team="principal_b1")
    with pytest.raises(ValidationError):
        services.checkpoint_review(
            checkpoint=checkpoints(plan)[0],
            user=world.personas["principal_a1"],
            seen=plan.version,
            reviews=[
                services.ReviewInput(strategy=strategies(other)[0], status="started", evidence="x")
            ],
        )
    with pytest.raises(ValidationError):
        services.checkpoint_review(
            checkpoint=checkpoints(plan)[0],
            user=world.personas["principal_a1"],
            seen=plan.version,
            reviews=[],
        )
    assert not StrategyReview.objects.exists()
