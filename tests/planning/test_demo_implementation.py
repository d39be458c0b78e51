"""The demo's reviews: plans in action get reviews at their past checkpoints through the services,
and a second build adds nothing."""

from __future__ import annotations

from capacity.planning import demo_implementation
from capacity.planning.models import Plan, PlanChange, Stage, StrategyReview
from tests.planning.implementation_world import school_plan


def test_it_reviews_plans_in_action_through_the_services(world) -> None:
    plan = school_plan(world)
    Plan.objects.filter(pk=plan.pk).update(stage=Stage.OBSERVE)
    draft = school_plan(world, world.school_b1, team="principal_b1")  # still in Plan: left alone
    counts = {}
    for seed in range(1, 9):  # one plan in eight is left unreviewed on purpose
        counts = demo_implementation.build(seed=seed)
        if counts["strategy_reviews"]:
            break
    assert counts["strategy_reviews"] == StrategyReview.objects.count() > 0
    assert not StrategyReview.objects.filter(strategy__goal__plan=draft).exists()
    assert (
        PlanChange.objects.filter(plan=plan, action="implementation_reviewed").count()
        == counts["strategy_reviews"]
    )
    assert demo_implementation.build(seed=1) == {"strategy_reviews": counts["strategy_reviews"]}
