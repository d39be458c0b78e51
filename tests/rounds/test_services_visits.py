"""Writes of the rounds' visits part: problems of practice, visits, stage moves and the notes
sync (idempotent by client id, conflicts never overwritten, nothing attributed)."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from capacity.notifications.models import Notification
from capacity.planning.models import Goal, Plan
from capacity.rounds import services_visits as services
from capacity.rounds.models import Note, VisitMember, VisitStage
from tests.evidence.conftest import results_for
from tests.rounds.authz_visits import cycle_net, note_a1, problem_a1, problem_b1, visit_a1

pytestmark = pytest.mark.django_db

ClassroomRow = services.ClassroomRow


def note(client_id: str | None = None, **fields) -> dict:
    return {
        "client_id": client_id or str(uuid.uuid4()),
        "classroom": 1,
        "language": "en",
        "teacher_doing": "The teacher asks which strategy is faster.",
        "students_doing": "Students explain their steps to a partner.",
        "task": "Compare two strategies for 48 x 25.",
        "level": "analysis",
        **fields,
    }


def sync(world, notes, who="teacher_a1", visit=None):
    return services.notes_sync(
        user=world.personas[who], visit=visit or visit_a1(world), notes=notes
    )


# --- problems of practice --------------------------------------------------------------


def test_it_sets_a_problem_from_a_published_result_and_keeps_its_figures(world) -> None:
    results_for(world.school_a1, "2018-19", [40, 42, 30, 45, 48, 66], participating=120)
    problem = services.problem_create(
        user=world.personas["principal_a1"],
        school=world.school_a1,
        statement="  How do students explain their reasoning?  ",
        evidence="About a third of our Grade 6 students are at levels 1 and 2 in mathematics.",
        result="2018-19|G6-MATH|all",
    )
    assert problem.statement == "How do students explain their reasoning?"
    assert problem.board == world.board_a
    assert problem.evidence_facts == {
        "school_year": "2018-19",
        "assessment": "G6-MATH",
        "group": "all",
        "participating": 120,
        "pct_at_standard": 66.0,
        "below_standard": 34.0,
    }


def test_it_refuses_a_hidden_or_unknown_result_and_names_the_field(world) -> None:
    results_for(world.school_a1, "2018-19", [40, 42, 30, 45, 48, 66])
    results_for(world.school_a1, "2018-19", [20, 20, 20, 20, 20, 20], group="ell", participating=5)
    with pytest.raises(ValidationError) as caught:
        services.problem_create(
            user=world.personas["principal_a1"],
            school=world.school_a1,
            statement="Why?",
            evidence="Small group",
            result="2018-19|G6-MATH|ell",
        )
    assert "result" in caught.value.message_dict


def test_it_refuses_those_who_do_not_plan_the_schools_rounds(world) -> None:
    for persona in ("teacher_a1", "trustee_a", "principal_b1", "facilitator", "ministry"):
        with pytest.raises(PermissionDenied):
            services.problem_create(
                user=world.personas[persona],
                school=world.school_a1,
                statement="Why?",
                evidence="Because.",
            )


def test_it_requires_a_statement_and_evidence_and_a_goal_of_the_schools_plans(world) -> None:
    other_plan = Plan.objects.create(
        kind="school", school=world.school_b1, board=world.board_b, school_year="2018-19"
    )
    goal_b1 = Goal.objects.create(plan=other_plan, statement="Readers")
    with pytest.raises(ValidationError) as caught:
        services.problem_create(
            user=world.personas["board_a"],
            school=world.school_a1,
            statement=" ",
            evidence="x" * (services.EVIDENCE_MAX + 1),
            goal=goal_b1,
        )
    assert set(caught.value.message_dict) == {"statement", "evidence", "goal"}


def test_a_stale_edit_of_a_problem_is_refused_and_nothing_is_saved(world) -> None:
    problem = problem_a1(world)
    principal, team = world.personas["principal_a1"], world.personas["team_a1"]
    services.problem_update(user=team, problem=problem, version=1, statement="Theirs", evidence="E")
    with pytest.raises(services.Stale):
        services.problem_update(
            user=principal, problem=problem, version=1, statement="Mine", evidence="E"
        )
    problem.refresh_from_db()
    assert (problem.statement, problem.version) == ("Theirs", 2)


def test_an_edit_without_a_result_keeps_the_figures(world) -> None:
    problem = problem_a1(world)
    problem.evidence_facts = {"assessment": "G6-MATH"}
    problem.save()
    services.problem_update(
        user=world.personas["board_a"], problem=problem, version=1, statement="S", evidence="E"
    )
    problem.refresh_from_db()
    assert problem.evidence_facts == {"assessment": "G6-MATH"}


# --- visits ----------------------------------------------------------------------------


def test_it_plans_a_visit_with_a_cross_role_team_and_tells_them(
    world, django_capture_on_commit_callbacks
) -> None:
    principal = world.personas["principal_a1"]
    with django_capture_on_commit_callbacks(execute=True):
        visit = services.visit_create(
            user=principal,
            problem=problem_a1(world),
            on=datetime.date(2030, 3, 2),
            facilitator=world.personas["board_a"].pk,
            team=[world.personas["teacher_a1"], world.personas["ministry"].pk, principal],
            classrooms=[
                ClassroomRow(starts=datetime.time(9, 10), grade="6", subject="mathematics"),
                ClassroomRow(minutes=30, grade="3", subject="language"),
            ],
        )
    assert visit.facilitator == world.personas["board_a"]
    assert visit.stage == VisitStage.PLANNED and visit.network is None
    assert [(c.position, c.grade, c.minutes) for c in visit.classrooms.all()] == [
        (1, "6", 20),
        (2, "3", 30),
    ]
    told = set(
        Notification.objects.filter(kind="round_visit_team").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"teacher_a1", "ministry"}  # not the planner who acted


def test_the_team_is_chosen_among_who_may_visit_the_school(world) -> None:
    with pytest.raises(ValidationError) as caught:
        services.visit_create(
            user=world.personas["principal_a1"],
            problem=problem_a1(world),
            on=datetime.date(2030, 3, 2),
            facilitator=world.personas["principal_b1"],
            team=[world.personas["principal_b1"]],  # another board's principal, no network
            classrooms=[ClassroomRow(minutes=2), *[ClassroomRow()] * 12],
        )
    assert set(caught.value.message_dict) == {"team", "facilitator", "classrooms"}


def test_a_network_visit_is_planned_by_the_networks_facilitator_with_member_schools_staff(
    world,
) -> None:
    facilitator = world.personas["facilitator"]
    visit = services.visit_create(
        user=facilitator,
        problem=problem_b1(world),
        on=datetime.date(2030, 3, 2),
        facilitator=facilitator,
        team=[world.personas["principal_b1"], facilitator],
        classrooms=[],
        cycle=cycle_net(world),
    )
    assert visit.network == world.network and visit.cycle == cycle_net(world)
    with pytest.raises(PermissionDenied):  # A1 is not one of the network's schools
        services.visit_create(
            user=facilitator,
            problem=problem_a1(world),
            on=datetime.date(2030, 3, 2),
            facilitator=facilitator,
            team=[facilitator],
            classrooms=[],
            cycle=cycle_net(world),
        )


def test_a_visit_edit_checks_the_version_tells_the_new_people_and_the_new_date(
    world, django_capture_on_commit_callbacks
) -> None:
    visit = visit_a1(world)
    leader = world.personas["board_a"]
    rows = [ClassroomRow(pk=c.pk, grade=c.grade, subject=c.subject) for c in visit.classrooms.all()]
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_update(
            user=leader,
            visit=visit,
            version=1,
            on=visit.on + datetime.timedelta(days=3),
            facilitator=visit.facilitator,
            team=[
                world.personas["teacher_a1"],
                world.personas["team_a1"],
                world.personas["ministry"],
            ],
            classrooms=rows,
        )
    kinds = {
        (n.kind, n.recipient.username) for n in Notification.objects.select_related("recipient")
    }
    assert ("round_visit_team", "ministry") in kinds
    assert {("round_visit_moved", "teacher_a1"), ("round_visit_moved", "principal_a1")} <= kinds
    with pytest.raises(services.Stale):
        services.visit_update(
            user=leader,
            visit=visit,
            version=1,
            on=visit.on,
            facilitator=visit.facilitator,
            team=[world.personas["teacher_a1"]],
            classrooms=rows,
        )
    assert VisitMember.objects.filter(visit=visit).count() == 3


def test_the_schedule_keeps_each_classrooms_notes_when_reordered_and_refuses_to_drop_them(
    world,
) -> None:
    visit = visit_a1(world)
    taken = note_a1(world)  # in classroom 1
    first, second = visit.classrooms.order_by("position")
    team = [m.person for m in visit.members.all()]
    services.visit_update(
        user=world.personas["principal_a1"],
        visit=visit,
        version=1,
        on=visit.on,
        facilitator=visit.facilitator,
        team=team,
        classrooms=[
            ClassroomRow(pk=second.pk, grade="5", subject="language"),
            ClassroomRow(pk=first.pk, grade="6", subject="mathematics"),
            ClassroomRow(grade="4", subject="science"),
        ],
    )
    taken.refresh_from_db()
    assert taken.classroom.position == 2 and taken.classroom.pk == first.pk
    with pytest.raises(ValidationError) as caught:
        services.visit_update(
            user=world.personas["principal_a1"],
            visit=visit,
            version=2,
            on=visit.on,
            facilitator=visit.facilitator,
            team=team,
            classrooms=[ClassroomRow(pk=second.pk)],
        )
    assert "classrooms" in caught.value.message_dict
    assert visit.classrooms.count() == 3


def test_the_stage_moves_planned_observing_debrief_and_refuses_the_rest_with_reasons(world) -> None:
    visit = visit_a1(world)
    principal = world.personas["principal_a1"]
    for to, reason in (
        ("planned", "already"),
        ("debrief", "Start observing"),
        ("done", "debrief page"),
        ("nowhere", "Choose"),
    ):
        with pytest.raises(ValidationError, match=reason):
            services.visit_stage_move(user=principal, visit=visit, version=1, to=to)
    visit = services.visit_stage_move(user=principal, visit=visit, version=1, to="observing")
    with pytest.raises(services.Stale):
        services.visit_stage_move(user=principal, visit=visit, version=1, to="debrief")
    with pytest.raises(ValidationError, match="go back"):
        services.visit_stage_move(user=principal, visit=visit, version=2, to="planned")
    visit = services.visit_stage_move(user=principal, visit=visit, version=2, to="debrief")
    assert (visit.stage, visit.version) == ("debrief", 3)


def test_observing_starts_on_the_day(world) -> None:
    visit = visit_a1(world)
    visit.on = timezone.localdate() + datetime.timedelta(days=2)
    visit.save()
    with pytest.raises(ValidationError, match="observing starts on the day"):
        services.visit_stage_move(
            user=world.personas["principal_a1"], visit=visit, version=1, to="observing"
        )


def test_the_team_moves_no_stage_but_the_facilitator_does(world) -> None:
    with pytest.raises(PermissionDenied):
        services.visit_stage_move(
            user=world.personas["teacher_a1"], visit=visit_a1(world), version=1, to="observing"
        )


# --- notes -----------------------------------------------------------------------------


def test_a_new_note_is_created_with_its_flags_and_suggested_level(world) -> None:
    [result] = sync(world, [note(teacher_doing="An excellent lesson.", level="")])
    assert result.status == "created" and result.index == 0
    stored = Note.objects.get(client_id=result.client_id)
    assert stored.author == world.personas["teacher_a1"]
    assert (stored.grade, stored.subject) == ("6", "mathematics")  # from the schedule
    assert stored.level_suggested == "analysis" and stored.level == ""
    assert [(f["field"], f["text"]) for f in stored.flags] == [("teacher_doing", "excellent")]
    assert "author" not in result.note and result.note["revision"] == 1


def test_sending_the_same_note_again_stores_it_once(world) -> None:
    sent = note()
    assert [r.status for r in sync(world, [sent])] == ["created"]
    assert [r.status for r in sync(world, [sent])] == ["unchanged"]  # a retry after a lost answer
    assert [r.status for r in sync(world, [sent, dict(sent)])] == ["unchanged", "unchanged"]
    assert Note.objects.count() == 1


def test_a_duplicate_in_one_batch_is_stored_once(world) -> None:
    sent = note()
    assert [r.status for r in sync(world, [sent, dict(sent)])] == ["created", "unchanged"]
    assert Note.objects.count() == 1


def test_an_edit_from_the_revision_it_started_from_is_applied(world) -> None:
    sent = note()
    sync(world, [sent])
    [result] = sync(world, [{**sent, "task": "Explain which strategy is faster.", "revision": 1}])
    assert result.status == "updated" and result.note["revision"] == 2
    assert Note.objects.get().level_suggested == "comprehension"


def test_a_stale_edit_is_a_conflict_and_overwrites_nothing(world) -> None:
    sent = note()
    sync(world, [sent])
    sync(world, [{**sent, "task": "From the phone.", "revision": 1}])
    [result] = sync(world, [{**sent, "task": "From the laptop.", "revision": 1}])
    assert result.status == "conflict"
    assert result.note["task"] == "From the phone." and result.note["revision"] == 2
    assert Note.objects.get().task == "From the phone."


def test_another_persons_note_id_is_refused_and_its_note_untouched(world) -> None:
    theirs = note_a1(world)
    [result] = sync(world, [note(str(theirs.client_id), task="Mine now")], who="team_a1")
    assert result.status == "refused" and "client_id" in result.errors
    assert result.note is None
    theirs.refresh_from_db()
    assert theirs.task == "Compare the two strategies."


def test_notes_for_a_done_visit_are_refused_with_a_reason(world) -> None:
    visit = visit_a1(world)
    visit.stage = VisitStage.DONE
    visit.save()
    [result] = sync(world, [note()])
    assert result.status == "refused" and "finished" in result.errors["__all__"][0]
    assert not Note.objects.exists()


def test_notes_arriving_during_the_debrief_are_kept(world) -> None:
    visit = visit_a1(world)
    visit.stage = VisitStage.DEBRIEF
    visit.save()
    assert [r.status for r in sync(world, [note()])] == ["created"]


def test_bad_notes_are_reported_by_index_and_field_and_the_good_ones_kept(world) -> None:
    results = sync(
        world,
        [
            note(),
            note(client_id="not-a-uuid"),
            note(classroom=9, language="de", level="genius"),
            note(teacher_doing="", students_doing="", task=""),
            note(task="x" * (services.NOTE_TEXT_MAX + 1)),
            note(written_at="yesterday", revision=-1),
            "not a note",
            note(),
        ],
    )
    assert [r.status for r in results] == ["created", *["invalid"] * 6, "created"]
    assert [r.index for r in results] == list(range(8))
    assert set(results[1].errors) == {"client_id"}
    assert set(results[2].errors) == {"classroom", "language", "level"}
    assert set(results[3].errors) == {"task"}
    assert set(results[4].errors) == {"task"}
    assert set(results[5].errors) == {"written_at", "revision"}
    assert Note.objects.count() == 2


def test_a_sync_is_for_team_members_and_bounded(world) -> None:
    with pytest.raises(PermissionDenied):
        sync(world, [note()], who="principal_a1")  # facilitates, but is not on the team
    with pytest.raises(ValidationError):
        sync(world, [note() for _ in range(services.NOTES_PER_SYNC + 1)])
    with pytest.raises(ValidationError):
        sync(world, {"client_id": "x"})  # type: ignore[arg-type]
    assert not Note.objects.exists()


def test_a_note_without_a_classroom_keeps_the_grade_and_subject_it_names(world) -> None:
    [result] = sync(
        world,
        [
            note(
                classroom=None,
                grade="4",
                subject="science",
                language="fr",
                task="Comparez les deux graphiques.",
                written_at="2030-03-02T09:15:00",
            )
        ],
    )
    stored = Note.objects.get()
    assert (stored.classroom, stored.grade, stored.subject) == (None, "4", "science")
    assert stored.level_suggested == "analysis"
    assert stored.written_at.year == 2030 and result.note["classroom"] is None


# --- more refusals -----------------------------------------------------------------------


def test_only_the_schools_planners_change_its_problem(world) -> None:
    problem = problem_a1(world)
    for persona in ("teacher_a1", "facilitator", "principal_b1", "ministry"):
        with pytest.raises(PermissionDenied):
            services.problem_update(
                user=world.personas[persona],
                problem=problem,
                version=1,
                statement="S",
                evidence="E",
            )


def test_a_goal_the_editor_cannot_see_stays_as_it_was(world, monkeypatch) -> None:
    plan = Plan.objects.create(
        kind="school", school=world.school_a1, board=world.board_a, school_year="2018-19"
    )
    goal = Goal.objects.create(plan=plan, statement="Readers")
    problem = problem_a1(world)
    problem.goal = goal
    problem.save()
    monkeypatch.setattr(services.selectors, "may_see_goal", lambda user, school: False)
    services.problem_update(
        user=world.personas["principal_a1"], problem=problem, version=1, statement="S", evidence="E"
    )
    problem.refresh_from_db()
    assert problem.goal == goal


def test_only_planners_plan_a_visit_and_a_done_cycle_takes_none(world) -> None:
    for persona in ("teacher_a1", "trustee_a", "facilitator"):
        with pytest.raises(PermissionDenied):
            services.visit_create(
                user=world.personas[persona],
                problem=problem_a1(world),
                on=datetime.date(2030, 3, 2),
                facilitator=world.personas[persona],
                team=[world.personas["teacher_a1"]],
                classrooms=[],
            )
    cycle = cycle_net(world)
    cycle.stage = "done"
    cycle.save()
    with pytest.raises(ValidationError, match="cycle is done"):
        services.visit_create(
            user=world.personas["facilitator"],
            problem=problem_b1(world),
            on=datetime.date(2030, 3, 2),
            facilitator=world.personas["facilitator"],
            team=[world.personas["principal_b1"]],
            classrooms=[],
            cycle=cycle,
        )


def test_a_done_visit_is_not_changed_and_the_team_does_not_change_it(world) -> None:
    visit = visit_a1(world)
    kwargs = {
        "version": 1,
        "on": visit.on,
        "facilitator": visit.facilitator,
        "team": [world.personas["teacher_a1"]],
        "classrooms": [],
    }
    with pytest.raises(PermissionDenied):
        services.visit_update(user=world.personas["teacher_a1"], visit=visit, **kwargs)
    visit.stage = VisitStage.DONE
    visit.save()
    with pytest.raises(ValidationError, match="done"):
        services.visit_update(user=world.personas["principal_a1"], visit=visit, **kwargs)


def test_a_visit_needs_a_date_and_a_team(world) -> None:
    with pytest.raises(ValidationError) as caught:
        services.visit_create(
            user=world.personas["principal_a1"],
            problem=problem_a1(world),
            on="soon",  # type: ignore[arg-type]
            facilitator=world.personas["principal_a1"],
            team=[],
            classrooms=[ClassroomRow(grade="13")],
        )
    assert set(caught.value.message_dict) == {"on", "team", "classrooms"}
