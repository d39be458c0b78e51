"""The demo's visits: built through the services, at every stage, fast and deterministic."""

from __future__ import annotations

import time

import pytest

from capacity.directory.demo import DemoOptions, build_demo
from capacity.directory.models import User
from capacity.instruments.demo import build_demo_rounds
from capacity.learning.demo import build_demo_library
from capacity.rounds import demo_visits, selectors_visits
from capacity.rounds.models import Note, ProblemOfPractice, Visit, VisitStage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    from capacity.evidence.demo import build_demo_results

    build_demo(DemoOptions(seed=11, boards=3, schools=12, years=2))
    build_demo_results(seed=11, years=2)
    build_demo_rounds(seed=11)
    build_demo_library(seed=11)
    started = time.perf_counter()
    counts = demo_visits.build(seed=11)
    return counts, time.perf_counter() - started


def test_it_builds_visits_at_every_stage_through_the_services(demo) -> None:
    counts, seconds = demo
    assert seconds < 3, f"the visits' demo took {seconds:.1f} s"
    stages = sorted(Visit.objects.values_list("stage", flat=True))
    assert {VisitStage.PLANNED, VisitStage.OBSERVING, VisitStage.DEBRIEF} <= set(stages)
    debriefs = Visit.objects.filter(stage=VisitStage.DEBRIEF)
    assert debriefs.count() >= 2
    assert all(Note.objects.filter(visit=v).count() >= 12 for v in debriefs)
    assert counts["visits"] == Visit.objects.count() and counts["notes"] == Note.objects.count()
    # Its problems start from published results; some notes judge, so the check shows.
    problem = ProblemOfPractice.objects.order_by("pk").first()
    assert problem is not None
    assert problem.evidence_facts["group"] == "all"
    assert f"{problem.evidence_facts['below_standard']:g}%" in problem.evidence

    flagged = [n for n in Note.objects.all() if n.flags]
    assert flagged
    assert any(n.level_suggested for n in Note.objects.all())

    # The principal sees the visits coming and past; the teacher has one coming up.
    principal = User.objects.get(username="principal")
    coming, past = selectors_visits.visits_listed(principal)
    assert len(coming) >= 2 and len(past) >= 2
    teacher = User.objects.get(username="teacher")
    assert selectors_visits.coming_up(teacher)
    # Each note once, with an id made from the seed.
    ids = list(Note.objects.values_list("client_id", flat=True))
    assert len(set(ids)) == len(ids)
