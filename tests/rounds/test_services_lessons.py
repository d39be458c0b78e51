"""Lesson studies through their services: who starts one and with whom, the steps of a cycle in
order (each refusal with its reason), teaching again from the revised lesson, finishing, stale
edits, and sharing the findings as a case study once, by the board's leaders."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from capacity.directory.models import Role
from capacity.learning.models import Item, Kind, State
from capacity.notifications.models import Notification
from capacity.planning.models import Goal, Plan
from capacity.rounds import services_lessons as services
from capacity.rounds.models import CycleStep, LessonCycle, LessonStudy
from tests.factories import MembershipFactory, UserFactory
from tests.rounds.kit_lessons import FINDINGS, RECORDS, current, move, record, start, walk

pytestmark = pytest.mark.django_db


def goal_of(school, statement: str = "Grade 6 mathematics") -> Goal:
    plan = Plan.objects.get_or_create(
        kind="school", school=school, board=school.board, school_year="2026-27"
    )[0]
    return Goal.objects.get_or_create(plan=plan, statement=statement)[0]


# --- starting a study ----------------------------------------------------------------------


def test_a_school_team_starts_a_study_at_cycle_1_and_its_team_is_told(
    world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        study = start(world)
    assert study.board == world.board_a
    assert study.school_year.count("-") == 1
    assert [(c.number, c.step) for c in study.cycles.all()] == [(1, CycleStep.PLAN)]
    assert {p.username for p in study.team.all()} == {"teacher_a1", "team_a1"}
    told = Notification.objects.filter(kind="lesson_study_team")
    assert {n.recipient.username for n in told} == {"teacher_a1", "team_a1"}
    message = told.first()
    assert message is not None
    assert "Comparing fractions" in message.subject
    assert "Principal A1 added you" in message.body
    assert message.url == f"/rounds/lessons/{study.pk}/"


def test_those_who_plan_the_schools_rounds_start_its_studies(world) -> None:
    for person in ("teacher_a1", "trustee_a", "principal_b1", "facilitator", "ministry"):
        with pytest.raises(PermissionDenied):
            start(world, by=person, title=f"By {person}")
    start(world, by="board_a", title="By the board's leader")
    start(world, by="team_a1", title="By the school team", team=("teacher_a1",))
    assert LessonStudy.objects.count() == 2


def test_a_networks_leaders_start_a_study_at_a_member_school(world) -> None:
    network = world.network
    for person in ("facilitator", "ministry"):
        study = start(
            world,
            by=person,
            school=world.school_b1,
            network=network,
            team=("principal_b1",),
            title=f"Network study by {person}",
        )
        assert study.network == network and study.board == world.board_b
    # Not without the network, not at a school outside it, not by someone else.
    with pytest.raises(PermissionDenied):
        start(world, by="facilitator", school=world.school_b1, team=("principal_b1",), title="x")
    with pytest.raises(ValidationError) as refused:
        start(world, by="facilitator", network=network, title="y")
    assert "network" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        start(world, by="principal_b1", school=world.school_b1, network=network, team=(), title="z")


def test_the_team_is_chosen_among_the_schools_staff_or_the_networks(world) -> None:
    for outsider in ("principal_b1", "trustee_a", "board_a", "facilitator"):
        with pytest.raises(ValidationError) as refused:
            start(world, team=("teacher_a1", outsider), title=f"With {outsider}")
        assert "team" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        start(world, team=(), title="Nobody")
    assert "team" in refused.value.message_dict
    # A network's study may have the member schools' staff.
    alder = UserFactory(username="teacher_a2")
    MembershipFactory(user=alder, role=Role.TEACHER, school=world.school_a2)
    world.personas["teacher_a2"] = alder
    study = start(
        world,
        by="facilitator",
        school=world.school_b1,
        network=world.network,
        team=("principal_b1", "teacher_a2"),
        title="Across the network",
    )
    assert study.team.count() == 2
    assert not LessonStudy.objects.exclude(pk=study.pk).exists()


def test_the_plan_goal_is_one_of_the_schools_for_those_who_read_its_plan(world) -> None:
    goal = goal_of(world.school_a1)
    study = start(world, goal=goal, title="Serving a goal")
    assert study.goal == goal
    with pytest.raises(ValidationError) as refused:
        start(world, goal=goal_of(world.school_a2, "Another school's goal"), title="Wrong")
    assert "goal" in refused.value.message_dict
    # A network's facilitator does not read a member school's plan, so chooses none of its goals.
    with pytest.raises(ValidationError) as refused:
        start(
            world,
            by="facilitator",
            school=world.school_b1,
            network=world.network,
            team=("principal_b1",),
            goal=goal_of(world.school_b1),
            title="Facilitator's",
        )
    assert "goal" in refused.value.message_dict


def test_it_refuses_a_study_without_title_goal_or_question(world) -> None:
    with pytest.raises(ValidationError) as refused:
        start(world, title="  ", overarching_goal="", research_question=" ")
    assert set(refused.value.message_dict) >= {"title", "overarching_goal", "research_question"}
    with pytest.raises(ValidationError) as refused:
        start(world, title="Graded", grade="13", subject="cooking")
    assert set(refused.value.message_dict) >= {"grade", "subject"}


# --- changing a study ----------------------------------------------------------------------


def change(world, study, *, by="teacher_a1", version=None, **kw):
    return services.lesson_study_update(
        user=world.personas[by],
        study=study,
        version=study.version if version is None else version,
        title=kw.pop("title", study.title),
        overarching_goal=kw.pop("overarching_goal", study.overarching_goal),
        research_question=kw.pop("research_question", study.research_question),
        grade=kw.pop("grade", study.grade),
        subject=kw.pop("subject", study.subject),
        goal=kw.pop("goal", study.goal),
        team=[world.personas[p] for p in kw.pop("team", ("teacher_a1", "team_a1"))],
    )


def test_its_team_and_planners_change_a_study_and_new_members_are_told(
    world, django_capture_on_commit_callbacks
) -> None:
    study = start(world)
    with django_capture_on_commit_callbacks(execute=True):
        changed = change(
            world, study, title="Fractions on a number line", team=("teacher_a1", "principal_a1")
        )
    assert changed.title == "Fractions on a number line" and changed.version == 2
    assert {p.username for p in changed.team.all()} == {"teacher_a1", "principal_a1"}
    told = Notification.objects.filter(kind="lesson_study_team", recipient__username="principal_a1")
    assert told.count() == 1
    for person in ("trustee_a", "principal_b1", "facilitator", "ministry"):
        with pytest.raises(PermissionDenied):
            change(world, changed, by=person, title="Theirs")
    change(world, changed, by="board_a", title="Board's title", team=("teacher_a1",))


def test_a_stale_edit_of_a_study_is_refused_and_changes_nothing(world) -> None:
    study = start(world)
    change(world, study, title="First save")
    with pytest.raises(services.StaleEdit) as refused:
        change(world, study, version=1, title="Second save from an old page")
    assert "after you opened it" in refused.value.messages[0]
    study.refresh_from_db()
    assert study.title == "First save" and study.version == 2


def test_a_team_member_no_longer_on_staff_stays_choosable(world) -> None:
    study = start(world)
    world.personas["team_a1"].memberships.update(ends=datetime.date(2000, 1, 1))
    changed = change(world, study, title="Still the same team")
    assert {p.username for p in changed.team.all()} == {"teacher_a1", "team_a1"}


# --- the steps of a cycle ---------------------------------------------------------------------


def test_the_steps_go_in_order_and_none_is_skipped(world) -> None:
    study = start(world)
    for to in (CycleStep.CRITIQUE, CycleStep.REVISE, services.AGAIN, services.FINISH):
        with pytest.raises(ValidationError) as refused:
            move(world, study, to)
        assert "next comes “Teach and observe”" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        move(world, study, "done")
    assert current(study).step == CycleStep.PLAN


def test_each_step_is_left_only_once_its_record_is_written(world) -> None:
    study = start(world)
    with pytest.raises(ValidationError) as refused:
        move(world, study, CycleStep.TEACH)
    assert set(refused.value.message_dict) == {"lesson_plan", "misconceptions"}
    assert "misconceptions the team anticipates" in refused.value.message_dict["misconceptions"][0]
    record(world, study, **RECORDS[CycleStep.PLAN])
    move(world, study, CycleStep.TEACH)
    with pytest.raises(ValidationError) as refused:
        move(world, study, CycleStep.CRITIQUE)
    assert set(refused.value.message_dict) == {"taught_on", "observations"}
    record(world, study, **RECORDS[CycleStep.TEACH])
    move(world, study, CycleStep.CRITIQUE)
    with pytest.raises(ValidationError) as refused:
        move(world, study, CycleStep.REVISE)
    assert set(refused.value.message_dict) == {"critique"}
    record(world, study, **RECORDS[CycleStep.CRITIQUE])
    move(world, study, CycleStep.REVISE)
    with pytest.raises(ValidationError) as refused:
        move(world, study, services.AGAIN)
    assert set(refused.value.message_dict) == {"revisions"}
    with pytest.raises(ValidationError) as refused:
        move(world, study, services.FINISH, findings="  ")
    assert set(refused.value.message_dict) == {"findings"}


def test_a_step_records_only_its_own_fields(world) -> None:
    study = walk(world, start(world), CycleStep.TEACH)
    with pytest.raises(ValidationError) as refused:
        record(world, study, lesson_plan="Rewritten after the fact")
    assert "another step" in refused.value.message_dict["lesson_plan"][0]
    assert current(study).lesson_plan == RECORDS[CycleStep.PLAN]["lesson_plan"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        record(world, study, taught_on=tomorrow)
    assert "not taught yet" in refused.value.message_dict["taught_on"][0]


def test_judging_words_in_the_observations_are_kept_as_written(world) -> None:
    """The page suggests describing instead; the service never refuses the team's record."""
    study = walk(world, start(world), CycleStep.TEACH)
    cycle = record(
        world, study, taught_on=timezone.localdate(), observations="An excellent lesson."
    )
    assert cycle.observations == "An excellent lesson."
    assert not hasattr(cycle, "author_id")


def test_a_stale_cycle_edit_is_refused(world) -> None:
    study = start(world)
    cycle = current(study)
    record(world, study, lesson_plan="Saved first")
    with pytest.raises(services.StaleEdit):
        services.lesson_cycle_update(
            user=world.personas["team_a1"],
            cycle=cycle,
            version=cycle.version,
            records={"lesson_plan": "From an old page"},
        )
    with pytest.raises(services.StaleEdit):
        services.lesson_cycle_move(
            user=world.personas["team_a1"], cycle=cycle, version=cycle.version, to="teach"
        )
    assert current(study).lesson_plan == "Saved first"


def test_only_those_who_write_the_study_record_its_cycles(world) -> None:
    study = start(world, team=("team_a1",))
    for person in ("teacher_a1", "trustee_a", "principal_b1", "facilitator", "ministry"):
        with pytest.raises(PermissionDenied):
            record(world, study, by=person, lesson_plan="Not theirs")
    record(world, study, by="board_a", lesson_plan="The board's leader may")


def test_teaching_again_starts_the_next_cycle_from_the_revised_lesson(world) -> None:
    study = walk(world, start(world), services.AGAIN)
    first, second = list(study.cycles.order_by("number"))
    assert first.step == CycleStep.DONE
    assert (second.number, second.step) == (2, CycleStep.PLAN)
    assert second.lesson_plan.startswith(RECORDS[CycleStep.PLAN]["lesson_plan"])
    assert "What we changed after cycle 1:" in second.lesson_plan
    assert second.lesson_plan.endswith(RECORDS[CycleStep.REVISE]["revisions"])
    assert second.misconceptions == RECORDS[CycleStep.PLAN]["misconceptions"]
    assert (second.taught_on, second.observations, second.critique) == (None, "", "")
    # The finished cycle stays as the team kept it.
    before = LessonCycle.objects.get(pk=first.pk)
    for call in (
        lambda: services.lesson_cycle_update(
            user=world.personas["teacher_a1"],
            cycle=first,
            version=first.version,
            records={"revisions": "Changed afterwards"},
        ),
        lambda: services.lesson_cycle_move(
            user=world.personas["teacher_a1"], cycle=first, version=first.version, to="again"
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            call()
        assert "Cycle 1 is finished" in refused.value.messages[0]
    assert LessonCycle.objects.get(pk=first.pk).revisions == before.revisions


def test_a_french_schools_next_cycle_says_so_in_french(world) -> None:
    world.school_a1.language = "fr"
    world.school_a1.save()
    study = walk(world, start(world), services.AGAIN)
    assert "Ce que nous avons changé après le cycle 1" in current(study).lesson_plan


def test_finishing_records_the_findings_and_tells_the_boards_leaders(
    world, django_capture_on_commit_callbacks
) -> None:
    study = walk(world, start(world), CycleStep.REVISE)
    with django_capture_on_commit_callbacks(execute=True):
        move(world, study, services.FINISH, findings=FINDINGS)
    study.refresh_from_db()
    assert study.findings == FINDINGS and study.finished_at is not None
    assert current(study).step == CycleStep.DONE
    told = Notification.objects.filter(kind="lesson_study_finished")
    assert [n.recipient.username for n in told] == ["board_a"]
    assert "ready to share" in told[0].subject
    # A finished study stays as it was finished.
    with pytest.raises(ValidationError):
        change(world, study, title="After the end")
    with pytest.raises(ValidationError):
        record(world, study, revisions="After the end")


# --- sharing as a case study ----------------------------------------------------------------


def test_a_finished_study_is_shared_once_by_its_boards_leaders(world) -> None:
    study = walk(world, start(world), services.AGAIN)
    study = walk(world, study, services.FINISH)
    for person in (
        "principal_a1",
        "teacher_a1",
        "team_a1",
        "trustee_a",
        "ministry",
        "principal_b1",
    ):
        with pytest.raises(PermissionDenied):
            services.lesson_study_share(user=world.personas[person], study=study)
    item = services.lesson_study_share(user=world.personas["board_a"], study=study)
    again = services.lesson_study_share(user=world.personas["board_a"], study=study)
    assert again == item
    assert Item.objects.filter(kind=Kind.CASE).count() == 1
    study.refresh_from_db()
    assert study.case == item
    version = item.current
    assert version is not None and version.state == State.DRAFT
    assert item.board == world.board_a
    assert version.facts["characteristics"] == ["professional_development"]
    assert version.facts["contexts"] == ["study-groups"]
    text = version.text("en")
    assert text is not None and text.title == "Comparing fractions"
    sections = dict(text.sections)
    assert "over 2 cycles" in sections["Which characteristics this case addresses"]
    assert "How do fraction strips help" in sections["How we decided it needed attention"]
    assert "bigger denominator" in sections["Where we started"]
    did = sections["What we did, who took part, and how we handled surprises"]
    assert "# Cycle 1" in did and "# Cycle 2" in did and "Eleven of 24" in did
    assert "After cycle 2:" in sections["Turning points"]
    assert sections["Where we are now, and our evidence"] == FINDINGS
    assert sections["Advice to others"] == ""
    assert [t.language for t in version.texts.all()] == ["en"]


def test_a_study_in_progress_is_not_shared(world) -> None:
    study = walk(world, start(world), CycleStep.REVISE)
    with pytest.raises(ValidationError) as refused:
        services.lesson_study_share(user=world.personas["board_a"], study=study)
    assert "once it is finished" in refused.value.messages[0]
    assert not Item.objects.exists()


def test_a_french_schools_findings_are_shared_in_french(world) -> None:
    world.school_b1.language = "fr"
    world.school_b1.save()
    leader = UserFactory(username="board_b")
    MembershipFactory(user=leader, role=Role.BOARD_LEADER, board=world.board_b)
    study = start(
        world,
        by="facilitator",
        school=world.school_b1,
        network=world.network,
        team=("principal_b1",),
        title="Comparer des fractions",
    )
    study = walk(world, study, services.FINISH, by="principal_b1")
    item = services.lesson_study_share(user=leader, study=study)
    version = item.current
    assert version is not None
    assert [t.language for t in version.texts.all()] == ["fr"]
    text = version.text("fr")
    assert text is not None and text.title == "Comparer des fractions"
    sections = [body for _heading, body in text.sections]
    assert "perfectionnement professionnel" in sections[0].lower()
    assert "North Shore Numeracy Network" in sections[0]
    assert "Notre question de recherche" in sections[1]
    assert version.facts["contexts"] == ["networks", "study-groups"]
