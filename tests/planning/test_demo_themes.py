"""The demo's lessons and circumstance strategies (planning/demo_themes.py): open plans through
the services, closed years in bulk, and a second build adds nothing."""

from __future__ import annotations

import pytest

from capacity.directory.models import SchoolContext
from capacity.planning import demo_themes
from capacity.planning.models import CoReflection, Goal, Plan, PlanChange, Strategy
from tests.planning.kit_themes import coreflection_a1, strategy_a1


def test_it_tags_open_plans_through_the_services_and_closed_years_in_bulk(world) -> None:
    strategy = strategy_a1(world)
    coreflection_a1(world)
    open_plan = strategy.goal.plan
    closed = Plan.objects.create(
        kind="school",
        school=world.school_a1,
        board=world.board_a,
        school_year="2017-18",
        stage="closed",
    )
    old_goal = Goal.objects.create(plan=closed, statement="Readers", area="literacy")
    SchoolContext.objects.create(school=world.school_a1, school_year="2018-19", pct_low_income=40.0)
    SchoolContext.objects.create(school=world.school_b1, school_year="2018-19", pct_low_income=5.0)

    counts = demo_themes.build(seed=3)

    assert counts == {"lessons_tagged": 4, "circumstance_strategies": 1}
    old_goal.refresh_from_db()
    assert "literacy_mathematics" in old_goal.lessons
    assert all(g.lessons for g in Goal.objects.filter(plan=open_plan))
    assert CoReflection.objects.get(plan=open_plan).lessons
    assert PlanChange.objects.filter(plan=open_plan, action="goal_changed").exists()
    assert PlanChange.objects.filter(plan=open_plan, action="coreflection_tagged").exists()
    added = Strategy.objects.exclude(circumstance="").get()
    assert added.circumstance == "resources" and added.goal.plan == open_plan
    assert demo_themes.build(seed=3) == {"lessons_tagged": 0, "circumstance_strategies": 0}


def test_lessons_follow_goal_areas_and_strategy_drivers() -> None:
    import random

    rng = random.Random(1)
    goal = Goal(statement="x", area="well_being", focus=Goal.Focus.MARKER)
    assert demo_themes.goal_lessons(goal, rng, newest=False)[-2:] == [
        "relationships",
        "monitor_impact",
    ]
    strategy = Strategy(action="x", responsible="y", drivers=["pedagogy", "collaborative_work"])
    assert demo_themes.strategy_lessons(strategy, rng)[:2] == [
        "literacy_mathematics",
        "relationships",
    ]


@pytest.mark.slow
@pytest.mark.django_db
def test_on_a_small_demo_province_the_ministry_sees_equity_rising(monkeypatch) -> None:
    """The demo's own plans (4 boards, 300 schools), then this part's step: every open plan's
    goals carry lessons, and the province's counts show equity rising in the newest year."""
    from capacity.directory.demo import DemoOptions, build_demo
    from capacity.directory.models import Membership, Role
    from capacity.evidence.demo import build_demo_results
    from capacity.planning import demo, selectors_themes
    from capacity.planning.demo import province as demo_province

    monkeypatch.setattr(demo_province, "SAMPLE_SCHOOLS", 40)
    monkeypatch.setattr(demo_province, "SAMPLE_BOARDS", 2)
    build_demo(DemoOptions(seed=2016, boards=4, schools=300, years=10))
    build_demo_results(seed=2016, years=10)
    demo.build_demo_plans(seed=2016)
    counts = demo_themes.build(seed=2016)
    assert counts["lessons_tagged"] > 0
    ministry = Membership.objects.filter(role=Role.MINISTRY_OFFICER).first().user
    found = selectors_themes.theme_counts(ministry)
    assert found.plans > 0 and found.previous_year
    assert "equity" in [r.code for r in found.rising_lessons]
    assert not Goal.objects.filter(plan__stage="act", lessons=[]).exists()
