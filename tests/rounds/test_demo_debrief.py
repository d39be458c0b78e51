"""The demo's debriefs: each school's older debriefs are finished through the services, its
newest stays to be finished; one step becomes a plan strategy, one a network action."""

from __future__ import annotations

import datetime

import pytest

from capacity.planning.models import Strategy
from capacity.rounds import affinity, demo_debrief
from capacity.rounds.models import NetworkAction, NextStep, Visit, VisitStage
from tests.rounds import factories_debrief as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def visits(world):
    f.plan_a1(world)
    older = f.visit(world, on=datetime.date(2018, 10, 3))
    newest = f.visit(world, on=datetime.date(2018, 11, 14))
    net_older = f.visit(
        world,
        school=world.school_b1,
        network=world.network,
        facilitator=world.personas["facilitator"],
        members=("principal_b1",),
        on=datetime.date(2018, 10, 10),
    )
    net_newest = f.visit_b1_network(world)
    for v in (older, newest, net_older, net_newest):
        f.notes(world, v, 16)
    return older, newest, net_older, net_newest


def test_the_demo_finishes_the_older_debriefs_only(world, visits) -> None:
    older, newest, net_older, net_newest = visits
    made = demo_debrief.build(seed=2016)
    assert made["debriefs"] == 2 and made["strategies"] == 1 and made["network_actions"] == 1
    for v in (older, net_older):
        v = Visit.objects.get(pk=v.pk)
        assert v.stage == VisitStage.DONE and v.prediction
        grouping = affinity.from_dict(v.grouping)
        assert all(g.name for g in grouping.groups) and not grouping.ungrouped
        assert NextStep.objects.filter(visit=v).count() == 3
    for v in (newest, net_newest):
        assert Visit.objects.get(pk=v.pk).stage == VisitStage.DEBRIEF
    assert Strategy.objects.get().round_next_steps.get().visit_id == older.pk
    assert NetworkAction.objects.get().next_steps.get().visit_id == net_older.pk


def test_themes_get_the_teams_names(world, visits) -> None:
    demo_debrief.build(seed=2016)
    names = {g.name for g in affinity.from_dict(Visit.objects.get(pk=visits[0].pk).grouping).groups}
    assert names & {
        "Students talk in groups",
        "Copying from the board",
        "Fractions with materials",
        "Open questions and wait time",
    }


def test_the_prediction_counts_the_tasks(world, visits) -> None:
    demo_debrief.build(seed=2016)
    assert "Of the 16 tasks we saw" in Visit.objects.get(pk=visits[0].pk).prediction


def test_running_it_again_changes_nothing(world, visits) -> None:
    demo_debrief.build(seed=2016)
    again = demo_debrief.build(seed=2016)
    assert again["debriefs"] == 0
    assert NextStep.objects.count() == 6
