"""Visits at their debrief, built straight from the models (the visits part builds them through
its own services): a problem of practice, a visit, its team, and notes from the affinity
tests' fixed 28 notes (four themes in English and French), each with a task and a level.

Every builder takes the test world `w` and is idempotent (get_or_create), so the
authorisation rows can call them as often as they like.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.utils import timezone

from capacity.planning.models import Goal, Plan
from capacity.rounds import affinity
from capacity.rounds.models import (
    NextStep,
    Note,
    ProblemOfPractice,
    Visit,
    VisitMember,
    VisitStage,
)
from capacity.rounds.selectors_debrief import affinity_notes, visit_notes
from tests.rounds.test_affinity import NOTES

# A task per theme, with the level the observers confirmed.
TASKS = {
    "talk": ("Explain your strategy to another group and justify it.", "evaluation"),
    "copy": ("Copy the definitions into your notebook.", "knowledge"),
    "hands": ("Compare the fractions with the strips.", "analysis"),
    "ask": ("Answer the question: how do you know?", "comprehension"),
}
TASKS_FR = {
    "talk": ("Expliquez votre stratégie à un autre groupe et justifiez-la.", "evaluation"),
    "copy": ("Copiez les définitions dans le cahier.", "knowledge"),
    "hands": ("Comparez les fractions avec les bandes.", "analysis"),
    "ask": ("Répondez à la question : comment le sais-tu ?", "comprehension"),
}
AUTHOR_NAME = "Observer Onlyname"


def problem(w: Any, school: Any = None, goal: Goal | None = None) -> ProblemOfPractice:
    school = school or w.school_a1
    return ProblemOfPractice.objects.get_or_create(
        school=school,
        board=school.board,
        school_year="2018-19",
        defaults={
            "evidence": "A third of our Grade 6 students are at levels 1 and 2 in mathematics.",
            "statement": "How do our tasks ask students to reason about fractions?",
            "goal": goal,
        },
    )[0]


def visit(
    w: Any,
    *,
    school: Any = None,
    stage: str = VisitStage.DEBRIEF,
    facilitator: Any = None,
    network: Any = None,
    on: datetime.date = datetime.date(2018, 11, 14),
    members: tuple[str, ...] = ("teacher_a1",),
) -> Visit:
    """A visit at `school` (A1 by default) on `on`, facilitated by A1's school team member
    (or `facilitator`), with `members` on its team."""
    school = school or w.school_a1
    found, _created = Visit.objects.get_or_create(
        school=school,
        on=on,
        network=network,
        defaults={
            "problem": problem(w, school),
            "board": school.board,
            "stage": stage,
            "facilitator": facilitator or w.personas["team_a1"],
            "created_by": facilitator or w.personas["team_a1"],
        },
    )
    for username in members:
        VisitMember.objects.get_or_create(visit=found, person=w.personas[username])
    return found


def observer(w: Any) -> Any:
    """A person with a name no page may show: the author of the notes."""
    from capacity.directory.models import User
    from tests.factories import UserFactory

    return User.objects.filter(username="observer").first() or UserFactory(
        username="observer", display_name=AUTHOR_NAME
    )


def notes(w: Any, v: Visit, count: int = 28, *, levels: bool = True) -> list[Note]:
    """The first `count` of the 28 fixed notes on the visit (their ids kept in client_id)."""
    made = []
    author = observer(w)
    for n, (note_id, theme, language, text) in enumerate(NOTES[:count]):
        task, level = (TASKS_FR if language == "fr" else TASKS)[theme]
        note, _created = Note.objects.get_or_create(
            client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"visit{v.pk}-{note_id}"),
            defaults={
                "visit": v,
                "author": author,
                "language": language,
                "grade": "4" if n % 2 else "6",
                "subject": "mathematics",
                "students_doing": text,
                "task": task,
                "level_suggested": level,
                "level": level if levels else "",
                "written_at": timezone.now(),
            },
        )
        made.append(note)
    return made


def grouped(w: Any, v: Visit, *, groups: int | None = 4, named: bool = False) -> Visit:
    """The visit's notes grouped (into four themes by default), the first theme named if asked."""
    if not v.notes.exists():
        notes(w, v)
    grouping = affinity.group_notes(affinity_notes(visit_notes(v)), groups=groups)
    if named:
        grouping = affinity.rename(grouping, grouping.groups[0].key, "Talk in groups")
    v.grouping = affinity.as_dict(grouping)
    v.save(update_fields=["grouping"])
    return v


def ready_to_finish(w: Any, v: Visit) -> Visit:
    grouped(w, v, named=True)
    v.prediction = "How to copy definitions, and to compare fractions with strips."
    v.save(update_fields=["prediction"])
    return v


def finished(w: Any, v: Visit) -> Visit:
    ready_to_finish(w, v)
    v.stage = VisitStage.DONE
    v.debriefed_at = timezone.now()
    v.save(update_fields=["stage", "debriefed_at"])
    return v


def plan_a1(w: Any) -> tuple[Plan, Goal]:
    plan = Plan.objects.get_or_create(
        kind="school", school=w.school_a1, board=w.board_a, school_year="2018-19"
    )[0]
    goal = Goal.objects.get_or_create(
        plan=plan, statement="Grade 6 students reason about fractions"
    )[0]
    return plan, goal


def step(
    v: Visit,
    horizon: str = "month",
    text: str = "Plan one task a week that asks students to compare.",
) -> NextStep:
    return NextStep.objects.get_or_create(visit=v, horizon=horizon, text=text)[0]


# --- the authorisation rows' places -----------------------------------------------------------


def visit_a1(w: Any) -> Visit:
    """A1's visit at its debrief, grouped: facilitated by A1's school team member, with A1's
    teacher on the team."""
    v = visit(w)
    if not v.grouping:
        grouped(w, v, named=True)
    return v


def finished_a1(w: Any) -> Visit:
    v = visit(w, on=datetime.date(2018, 10, 3), stage=VisitStage.DONE)
    if v.debriefed_at is None:
        finished(w, v)
    return v


def visit_b1_network(w: Any) -> Visit:
    """The network's visit to B1, at its debrief, facilitated by the network's facilitator."""
    return visit(
        w,
        school=w.school_b1,
        network=w.network,
        facilitator=w.personas["facilitator"],
        members=("principal_b1",),
        on=datetime.date(2018, 11, 21),
    )
