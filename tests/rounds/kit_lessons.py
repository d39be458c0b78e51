"""Lesson studies for the tests, built through the services: started, walked to a step, finished
or shared. Each builder is idempotent by title, so the authorisation rows may call it twice."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from capacity.rounds import services_lessons as services
from capacity.rounds.models import CycleStep, LessonCycle, LessonStudy

TAUGHT = timezone.localdate() - datetime.timedelta(days=3)
RECORDS: dict[str, dict[str, Any]] = {
    CycleStep.PLAN: {
        "lesson_plan": "Students compare 3/4 and 2/3 with fraction strips, then explain in pairs.",
        "misconceptions": "A bigger denominator means a bigger fraction.",
    },
    CycleStep.TEACH: {
        "taught_on": TAUGHT,
        "observations": "Eleven of 24 students lined up the strips at the left edge.",
    },
    CycleStep.CRITIQUE: {
        "critique": "The pairs talk time was 3 minutes; most pairs did not finish."
    },
    CycleStep.REVISE: {"revisions": "Give 8 minutes of pair talk; start with halves and quarters."},
}
FINDINGS = "Comparing with strips works once students align them; talk time matters."


def start(
    w: Any,
    *,
    by: str = "principal_a1",
    school: Any = None,
    title: str = "Comparing fractions",
    team: tuple[str, ...] = ("teacher_a1", "team_a1"),
    network: Any = None,
    **kw: Any,
) -> LessonStudy:
    found = LessonStudy.objects.filter(title=title).first()
    if found is not None:
        return found
    return services.lesson_study_create(
        user=w.personas[by],
        school=school or w.school_a1,
        network=network,
        title=title,
        overarching_goal=kw.pop("overarching_goal", "Students reason about quantities."),
        research_question=kw.pop(
            "research_question", "How do fraction strips help students compare fractions?"
        ),
        grade=kw.pop("grade", "5"),
        subject=kw.pop("subject", "mathematics"),
        team=[w.personas[p] for p in team],
        **kw,
    )


def current(study: LessonStudy) -> LessonCycle:
    cycle = study.cycles.order_by("-number").first()
    assert cycle is not None
    return cycle


def record(w: Any, study: LessonStudy, *, by: str = "teacher_a1", **records: Any) -> LessonCycle:
    cycle = current(study)
    return services.lesson_cycle_update(
        user=w.personas[by], cycle=cycle, version=cycle.version, records=records
    )


def move(
    w: Any, study: LessonStudy, to: str, *, by: str = "teacher_a1", findings: str = ""
) -> LessonCycle:
    cycle = current(study)
    return services.lesson_cycle_move(
        user=w.personas[by], cycle=cycle, version=cycle.version, to=to, findings=findings
    )


def walk(w: Any, study: LessonStudy, until: str, *, by: str = "teacher_a1") -> LessonStudy:
    """Write each step's record and move on until the current cycle is at `until` (a step), or
    past it: "again" (cycle 2 at planning) or "finish"."""
    order = [CycleStep.PLAN, CycleStep.TEACH, CycleStep.CRITIQUE, CycleStep.REVISE]
    while True:
        cycle = current(study)
        study.refresh_from_db()
        if study.finished_at is not None or cycle.step == until:
            return study
        if until == services.AGAIN and cycle.number > 1:
            return study
        record(w, study, by=by, **RECORDS[cycle.step])
        index = order.index(CycleStep(cycle.step))
        if index < 3:
            move(w, study, order[index + 1], by=by)
        elif until == services.FINISH:
            move(w, study, services.FINISH, by=by, findings=FINDINGS)
        else:
            move(w, study, services.AGAIN, by=by)


def finished(w: Any, *, title: str = "Finished fractions study") -> LessonStudy:
    study = start(w, title=title)
    return walk(w, study, services.FINISH)


def shared(w: Any, *, title: str = "Shared fractions study") -> LessonStudy:
    study = finished(w, title=title)
    if study.case_id is None:
        services.lesson_study_share(user=w.personas["board_a"], study=study)
        study.refresh_from_db()
    return study
