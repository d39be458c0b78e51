"""The debrief's reads: a visit for the person asking, the debrief as pages show it, where a
step may go, the debriefs to finish, and patterns over time scoped to what the person reads."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from capacity.rounds import selectors_debrief as selectors
from capacity.rounds.models import Note, VisitStage
from tests.rounds import factories_debrief as f

pytestmark = pytest.mark.django_db


def test_a_visit_for_its_readers_only(world) -> None:
    visit = f.visit_a1(world)
    _v, rights = selectors.get_visit_for_user(world.personas["teacher_a1"], visit.pk)
    assert rights.read and not rights.debrief
    _v, rights = selectors.get_visit_for_user(world.personas["team_a1"], visit.pk)
    assert rights.debrief
    for persona in ("trustee_a", "facilitator", "principal_b1"):
        with pytest.raises(PermissionDenied):
            selectors.get_visit_for_user(world.personas[persona], visit.pk)
    with pytest.raises(Http404):
        selectors.get_visit_for_user(world.personas["ministry"], 999999)


def test_the_debrief_holds_themes_ties_and_levels(world) -> None:
    debrief = selectors.debrief_for(f.visit_a1(world))
    assert len(debrief.themes) == 4
    assert sum(len(t.notes) for t in debrief.themes) == 28
    assert debrief.themes[0].title == "Talk in groups"
    assert all(item.ties for t in debrief.themes for item in t.notes)
    assert debrief.levelled == 28 and debrief.unlevelled == 0
    assert debrief.higher_share == 0.5
    assert debrief.problems == [
        "Answer the prediction question: if you were a student here and did exactly what was "
        "asked, what would you know how to do?"
    ]


def test_notes_written_after_grouping_and_notes_deleted_since(world) -> None:
    visit = f.visit(world, on=datetime.date(2019, 1, 9))
    f.notes(world, visit, 10)
    f.grouped(world, visit, groups=2)
    Note.objects.filter(visit=visit).order_by("pk").first().delete()
    f.notes(world, visit, 12)  # the deleted note comes back as a new row, and two more
    debrief = selectors.debrief_for(visit)
    assert len(debrief.unplaced) == 3
    assert sum(len(t.notes) for t in debrief.themes) == 9


def test_a_grouping_that_no_longer_reads_is_ignored(world) -> None:
    visit = f.visit_a1(world)
    visit.grouping = {"version": 99}
    assert selectors.stored_grouping(visit) is None
    assert selectors.debrief_for(visit).themes == []


def test_the_note_text_is_its_three_prompts_and_its_language_known(world) -> None:
    note = Note(teacher_doing="Asks", students_doing=" ", task="Compare", language="de")
    assert selectors.note_text(note) == "Asks\nCompare"
    assert selectors.note_language(note) == "en"


def test_goals_for_steps_put_the_problems_goal_first_for_plan_writers_only(world) -> None:
    from capacity.planning.models import Goal

    plan, first = f.plan_a1(world)
    served = Goal.objects.create(plan=plan, statement="Served", position=5)
    visit = f.visit_a1(world)
    visit.problem.goal = served
    visit.problem.save()
    found, goals = selectors.goals_for_steps(world.personas["principal_a1"], visit)
    assert found == plan and goals == [served, first]
    assert selectors.goals_for_steps(world.personas["board_a"], visit) == (None, [])
    assert selectors.goals_for_steps(world.personas["facilitator"], f.visit_b1_network(world)) == (
        None,
        [],
    )


def test_debriefs_to_finish_are_for_those_who_run_them(world) -> None:
    a1 = f.visit_a1(world)
    b1 = f.visit_b1_network(world)
    f.finished_a1(world)
    mine = {
        p: [v.pk for v in selectors.visits_to_debrief(world.personas[p])]
        for p in world.personas
        if p != "anonymous"
    }
    assert (
        mine["team_a1"] == [a1.pk]
        and mine["principal_a1"] == [a1.pk]
        and mine["board_a"] == [a1.pk]
    )
    assert mine["facilitator"] == [b1.pk] and mine["principal_b1"] == [b1.pk]
    assert mine["teacher_a1"] == [] and mine["ministry"] == [] and mine["trustee_a"] == []


def test_patterns_are_finished_debriefs_by_visit_and_year(world) -> None:
    f.finished_a1(world)
    spring = f.visit(world, on=datetime.date(2019, 4, 10), stage=VisitStage.DONE)
    f.finished(world, spring)
    autumn = f.visit(world, on=datetime.date(2019, 10, 2), stage=VisitStage.DONE)
    f.notes(world, autumn, 8)
    f.finished(world, autumn)
    school, network = selectors.patterns_place(
        world.personas["principal_a1"], school="700001", network=None
    )
    patterns = selectors.patterns_for(
        world.personas["principal_a1"], school=school, network=network
    )
    assert [r.visit.on.isoformat() for r in patterns.visits] == [
        "2018-10-03",
        "2019-04-10",
        "2019-10-02",
    ]
    assert [(y.school_year, y.visits) for y in patterns.years] == [("2018-19", 2), ("2019-20", 1)]
    assert patterns.years[0].themes[0].title == "Talk in groups"
    assert patterns.years[0].levelled == 56


def test_theme_names_differing_by_case_or_accents_count_as_one(world) -> None:
    from capacity.rounds import affinity

    for day, name in ((3, "Élèves en groupes"), (10, "eleves en GROUPES")):
        v = f.visit(world, on=datetime.date(2018, 10, day), stage=VisitStage.DONE)
        f.finished(world, v)
        grouping = affinity.rename(affinity.from_dict(v.grouping), "g1", name)
        v.grouping = affinity.as_dict(grouping)
        v.save()
    school, _n = selectors.patterns_place(world.personas["ministry"], school="700001", network=None)
    year = selectors.patterns_for(world.personas["ministry"], school=school, network=None).years[0]
    assert [(t.title, t.notes) for t in year.themes if "groupes" in t.title.lower()] == [
        ("Élèves en groupes", 14)
    ]


def test_patterns_places_are_checked(world) -> None:
    with pytest.raises(PermissionDenied):
        selectors.patterns_place(world.personas["trustee_a"], school="700001", network=None)
    with pytest.raises(PermissionDenied):
        selectors.patterns_place(
            world.personas["principal_a1"], school=None, network=str(world.network.pk)
        )
    with pytest.raises(PermissionDenied):
        selectors.patterns_place(world.personas["ministry"], school=None, network="abc")
    with pytest.raises(Http404):
        selectors.patterns_place(world.personas["ministry"], school=None, network="999999")
    with pytest.raises(ValueError):
        selectors.patterns_place(world.personas["ministry"], school=None, network=None)
    assert (
        selectors.patterns_place(
            world.personas["facilitator"], school=None, network=str(world.network.pk)
        )[1]
        == world.network
    )


def test_a_board_leader_reads_the_networks_visits_to_its_own_schools_only(world) -> None:
    a2 = f.visit(
        world,
        school=world.school_a2,
        network=world.network,
        facilitator=world.personas["facilitator"],
        members=(),
        on=datetime.date(2018, 10, 17),
    )
    f.finished(world, a2)
    f.finished(world, f.visit_b1_network(world))
    rows = selectors.patterns_for(
        world.personas["board_a"], school=None, network=world.network
    ).visits
    assert [r.visit.pk for r in rows] == [a2.pk]
    rows = selectors.patterns_for(
        world.personas["facilitator"], school=None, network=world.network
    ).visits
    assert len(rows) == 2


def test_notes_are_listed_by_grade_and_subject_never_by_classroom_or_time(world) -> None:
    """The schedule's order or the time written would set each classroom's notes, and each
    observer's synced batch, side by side; the random client id orders them within a grade and
    subject instead."""
    from django.utils import timezone

    from capacity.rounds.models import Classroom

    visit = f.visit(world)
    made = f.notes(world, visit, 8)
    first, second = (
        Classroom.objects.create(visit=visit, position=p, grade="6", subject="mathematics")
        for p in (1, 2)
    )
    start = timezone.now()
    for n, note in enumerate(made):
        note.classroom = first if n < 4 else second
        note.written_at = start + datetime.timedelta(minutes=n)
        note.save()
    listed = selectors.visit_notes(visit)
    expected = sorted(made, key=lambda n: (n.grade, n.subject, str(n.client_id)))
    assert [n.pk for n in listed] == [n.pk for n in expected]
    by_schedule = sorted(made, key=lambda n: (n.classroom.position, n.written_at))
    assert [n.pk for n in listed] != [n.pk for n in by_schedule]
