"""The demo's lesson studies: every step, a finished one shared as a case study, a French-language
school's study in French, a network's study; the same seed gives the same studies, quickly."""

from __future__ import annotations

import time

import pytest

from capacity.directory.demo import DemoOptions, build_demo
from capacity.directory.models import User
from capacity.instruments.demo import build_demo_rounds
from capacity.learning.demo import build_demo_library
from capacity.rounds import demo_lessons, home_lessons
from capacity.rounds import selectors_lessons as selectors
from capacity.rounds.models import LessonCycle, LessonStudy

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db) -> tuple[dict[str, int], float]:
    build_demo(DemoOptions(seed=11, boards=4, schools=16, years=2))
    build_demo_rounds(seed=11)
    build_demo_library(seed=11)
    started = time.perf_counter()
    counts = demo_lessons.build(seed=11)
    return counts, time.perf_counter() - started


def where(study: LessonStudy) -> str:
    if study.finished_at:
        return "shared" if study.case_id else "finished"
    number, step = selectors.now_of(study)
    return f"{number}:{step}"


def test_the_demo_has_studies_at_every_step(demo) -> None:
    counts, seconds = demo
    assert seconds < 2
    studies = {
        s.title: where(s) for s in selectors.studies_for(User.objects.get(username="ministry"))
    }
    assert studies == {
        "Comparing fractions with strips": "shared",
        "Persuasive writing with a success criteria checklist": "finished",
        "Area models for multi-digit multiplication": "2:plan",
        "Making inferences from illustrations": "1:plan",
        "Proportional reasoning with recipes": "1:critique",
        "Number talks for mental addition": "1:teach",
        "Faire des inférences en lecture": "finished",
    }
    assert counts == {"lesson_studies": 7, "lesson_cycles": LessonCycle.objects.count()}


def test_the_shared_study_is_a_draft_case_study_of_the_board(demo) -> None:
    study = LessonStudy.objects.get(title="Comparing fractions with strips")
    assert study.case is not None and study.case.board == study.board
    version = study.case.current
    assert version is not None and version.text("en").title == study.title


def test_the_french_schools_study_is_in_french(demo) -> None:
    study = LessonStudy.objects.get(title="Faire des inférences en lecture")
    assert study.school.language == "fr"
    second = study.cycles.get(number=2)
    assert "Ce que nous avons changé après le cycle 1" in second.lesson_plan
    assert study.network is None


def test_the_demo_people_see_their_studies_on_their_home_page(demo) -> None:
    teacher = User.objects.get(username="teacher")
    [mine] = home_lessons.sections(teacher)
    assert {i.text.split(" at ")[0] for i in mine.items} >= {
        "Area models for multi-digit multiplication",
        "Number talks for mental addition",
    }
    director = User.objects.get(username="director")
    [ready] = [s for s in home_lessons.sections(director) if s.items]
    assert [i.text.split(" at ")[0] for i in ready.items] == [
        "Persuasive writing with a success criteria checklist"
    ]
    network = LessonStudy.objects.get(title="Number talks for mental addition")
    facilitator = User.objects.get(username="facilitator")
    assert network.network is not None
    assert selectors.get_study_for_user(facilitator, network.pk)[1].edit


def test_the_same_seed_gives_the_same_studies(demo) -> None:
    def snapshot() -> list[tuple]:
        return list(
            LessonCycle.objects.order_by("study__title", "number").values_list(
                "study__title", "number", "step", "lesson_plan", "observations"
            )
        )

    first = snapshot()
    LessonStudy.objects.all().delete()
    demo_lessons.build(seed=11)
    assert snapshot() == first


@pytest.mark.slow
def test_after_the_other_parts_of_the_rounds_demo(db) -> None:
    """The whole demo chain: the networks' demo gives the facilitator a second network, and the
    network's study still goes to the one that holds the principal's school."""
    from capacity.evidence.demo import build_demo_results
    from capacity.planning.demo import build_demo_plans
    from capacity.rounds.demo import build_demo_rounds_work

    build_demo(DemoOptions(seed=2016, boards=6, schools=40, years=2))
    build_demo_results(seed=2016, years=2)
    build_demo_plans(seed=2016)
    build_demo_rounds(seed=2016)
    build_demo_library(seed=2016)
    counts = build_demo_rounds_work(seed=2016)
    assert counts["lesson_studies"] == 7
    study = LessonStudy.objects.get(title="Number talks for mental addition")
    assert study.network is not None and study.network.schools.filter(pk=study.school_id).exists()
