"""Year close goal by goal, the marker-student log and pedagogical documentation, through the
services: decisions required and kept, refining needs wording, what was decided is carried
exactly, only at Reflect; the log and documentation for the school team only; consent rules;
removing documentation deletes its file."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from capacity.audit.models import Action, AuditEntry
from capacity.planning import services
from capacity.planning.carry import latest_decisions, undecided_goals
from capacity.planning.models import (
    CarryDecision,
    Consent,
    Documentation,
    GoalCarry,
    MarkerNote,
    Plan,
    PlanChange,
    Stage,
)
from capacity.planning.services import Conflict, NotAllowed
from capacity.planning.services_yearclose import (
    documentation_add,
    documentation_remove,
    goal_carry_decide,
    marker_note_add,
    marker_note_delete,
)
from tests.conftest import PERSONAS
from tests.planning.yearclose_world import goals, item, note, reflect_plan, upload

RECORD_KEEPERS = {"principal_a1", "team_a1"}


@pytest.fixture
def plan(world) -> Plan:
    return reflect_plan(world)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def decide(world, plan, goal, decision=CarryDecision.CARRY, why="Still the right work", **kw):
    plan.refresh_from_db()
    return goal_carry_decide(
        plan=plan,
        goal=goal,
        user=kw.pop("user", world.personas["principal_a1"]),
        seen=kw.pop("seen", plan.version),
        decision=decision,
        why=why,
        **kw,
    )


def close(world, plan) -> Plan:
    plan.refresh_from_db()
    return services.plan_stage_move(
        plan=plan, user=world.personas["principal_a1"], seen=plan.version, to=Stage.CLOSED
    )


def test_it_refuses_to_close_while_a_goal_is_undecided_and_names_it(world, plan) -> None:
    first, second = goals(plan)
    decide(world, plan, first)
    assert undecided_goals(plan) == [second]
    with pytest.raises(NotAllowed, match="persuade"):
        close(world, plan)
    plan.refresh_from_db()
    assert plan.stage == Stage.REFLECT


def test_it_carries_exactly_what_was_decided(world, plan) -> None:
    first, second = goals(plan)
    decide(world, plan, first, CarryDecision.REFINE, statement="Students explain and justify")
    decide(world, plan, second, CarryDecision.STOP, why="Met; the next inch is elsewhere")
    successor = close(world, plan)
    carried = list(successor.goals.all())
    assert [(g.statement, g.carried_from) for g in carried] == [
        ("Students explain and justify", first)
    ]
    assert carried[0].marker_codes == first.marker_codes
    assert carried[0].targets.count() == 1


def test_a_carried_goal_keeps_its_wording(world, plan) -> None:
    first, second = goals(plan)
    decide(world, plan, first, CarryDecision.CARRY)
    decide(world, plan, second, CarryDecision.CARRY)
    successor = close(world, plan)
    assert [g.statement for g in successor.goals.order_by("position", "id")] == [
        first.statement,
        second.statement,
    ]


def test_deciding_again_keeps_the_earlier_decision_and_the_newest_counts(world, plan) -> None:
    first, second = goals(plan)
    decide(world, plan, first, CarryDecision.CARRY)
    decide(world, plan, first, CarryDecision.STOP, why="On reflection, met")
    assert GoalCarry.objects.filter(goal=first).count() == 2
    assert latest_decisions(plan)[first.pk].decision == CarryDecision.STOP
    assert PlanChange.objects.filter(plan=plan, action="carry_decided").count() == 2
    decide(world, plan, second, CarryDecision.CARRY)
    successor = close(world, plan)
    assert [g.carried_from for g in successor.goals.all()] == [second]


def test_refining_needs_the_new_wording_and_every_decision_needs_why(world, plan) -> None:
    first = goals(plan)[0]
    with pytest.raises(ValidationError) as refused:
        decide(world, plan, first, CarryDecision.REFINE, why="  ", statement=" ")
    assert set(refused.value.message_dict) == {"why", "statement"}
    with pytest.raises(ValidationError) as unknown:
        decide(world, plan, first, "maybe")
    assert "decision" in unknown.value.message_dict
    # A wording given with "carry" is not kept: the goal goes on as it is.
    row = decide(world, plan, first, CarryDecision.CARRY, statement="Ignored")
    assert row.statement == ""
    assert GoalCarry.objects.count() == 1


def test_goals_are_decided_only_at_reflect(world, plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(stage=Stage.OBSERVE)
    plan.refresh_from_db()
    with pytest.raises(NotAllowed):
        decide(world, plan, goals(plan)[0])
    Plan.objects.filter(pk=plan.pk).update(stage=Stage.CLOSED)
    plan.refresh_from_db()
    with pytest.raises(NotAllowed):
        decide(world, plan, goals(plan)[0])
    assert not GoalCarry.objects.exists()


def test_a_stale_version_is_refused(world, plan) -> None:
    first, second = goals(plan)
    stale = plan.version
    decide(world, plan, first)
    with pytest.raises(Conflict):
        decide(world, plan, second, seen=stale)
    assert GoalCarry.objects.filter(goal=second).count() == 0


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_only_the_plans_team_decides(world, plan, persona) -> None:
    user = world.personas[persona]
    if persona in RECORD_KEEPERS:
        decide(world, plan, goals(plan)[0], user=user)
        assert GoalCarry.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            decide(world, plan, goals(plan)[0], user=user)


def test_a_goal_of_another_plan_is_refused(world, plan) -> None:
    other = services.plan_create(
        user=world.personas["principal_b1"], school=world.school_b1, school_year="2018-19"
    )
    goal = services.goal_add(
        plan=other, user=world.personas["principal_b1"], seen=other.version, statement="Other"
    )
    with pytest.raises(PermissionDenied):
        decide(world, plan, goal)


# --- the marker-student log ---------------------------------------------------------------


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_the_log_is_the_school_teams_only(world, plan, persona) -> None:
    user = world.personas[persona]
    entry = note(world)
    if persona in RECORD_KEEPERS:
        added = marker_note_add(
            plan=plan, user=user, code="m-12", on=datetime.date(2019, 4, 9), observed="Reread"
        )
        assert added.code == "M-12"
        marker_note_delete(note=entry, user=user)
        assert list(MarkerNote.objects.all()) == [added]
    else:
        with pytest.raises(PermissionDenied):
            marker_note_add(
                plan=plan, user=user, code="M-12", on=datetime.date(2019, 4, 9), observed="x"
            )
        with pytest.raises(PermissionDenied):
            marker_note_delete(note=entry, user=user)
        assert list(MarkerNote.objects.all()) == [entry]


def test_a_log_entry_holds_one_code_never_a_name(world, plan) -> None:
    user = world.personas["principal_a1"]
    for code in ("Jamie", "M-07, M-12", ""):
        with pytest.raises(ValidationError) as refused:
            marker_note_add(
                plan=plan, user=user, code=code, on=datetime.date(2019, 4, 9), observed="x"
            )
        assert "code" in refused.value.message_dict
    with pytest.raises(ValidationError):
        marker_note_add(
            plan=plan, user=user, code="M-07", on=datetime.date(2019, 4, 9), observed=""
        )
    assert not MarkerNote.objects.exists()


def test_a_closed_years_log_cannot_change(world, plan) -> None:
    entry = note(world)
    Plan.objects.filter(pk=plan.pk).update(stage=Stage.CLOSED)
    plan.refresh_from_db()
    entry.refresh_from_db()
    with pytest.raises(NotAllowed):
        marker_note_delete(note=entry, user=world.personas["principal_a1"])
    with pytest.raises(NotAllowed):
        marker_note_add(
            plan=plan,
            user=world.personas["principal_a1"],
            code="M-07",
            on=datetime.date(2019, 4, 9),
            observed="x",
        )


def test_a_board_plan_has_no_school_records(world) -> None:
    board_plan = services.plan_create(
        user=world.personas["board_a"], board=world.board_a, school_year="2018-19"
    )
    with pytest.raises(PermissionDenied):
        marker_note_add(
            plan=board_plan,
            user=world.personas["board_a"],
            code="M-07",
            on=datetime.date(2019, 4, 9),
            observed="x",
        )


# --- pedagogical documentation --------------------------------------------------------------


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_documentation_is_the_school_teams_only(world, plan, media, persona) -> None:
    user = world.personas[persona]
    kept = item(world)
    if persona in RECORD_KEEPERS:
        documentation_add(
            plan=plan,
            user=user,
            title="Work sample",
            file=upload("sample.txt"),
            consent=Consent.NOT_IDENTIFIABLE,
        )
        assert Documentation.objects.count() == 2
    else:
        with pytest.raises(PermissionDenied):
            documentation_add(
                plan=plan,
                user=user,
                title="Work sample",
                file=upload("sample.txt"),
                consent=Consent.NOT_IDENTIFIABLE,
            )
        with pytest.raises(PermissionDenied):
            documentation_remove(item=kept, user=user, why="consent_withdrawn")
        assert list(Documentation.objects.all()) == [kept]


def test_a_guardians_consent_is_dated_and_scoped(world, plan, media) -> None:
    user = world.personas["principal_a1"]
    with pytest.raises(ValidationError) as refused:
        documentation_add(
            plan=plan, user=user, title="Video", file=upload(), consent=Consent.GUARDIAN
        )
    assert set(refused.value.message_dict) == {"consent_on", "consent_scope"}
    with pytest.raises(ValidationError) as none:
        documentation_add(plan=plan, user=user, title="Video", file=upload(), consent="")
    assert "consent" in none.value.message_dict
    kept = documentation_add(
        plan=plan,
        user=user,
        title="Video",
        file=upload(),
        consent=Consent.GUARDIAN,
        consent_on=datetime.date(2019, 3, 1),
        consent_scope="Kept by the school team this school year",
    )
    assert (kept.consent_on, kept.code) == (datetime.date(2019, 3, 1), "")
    # "No student can be identified" keeps no consent date or scope.
    anonymous = documentation_add(
        plan=plan,
        user=user,
        title="Chart",
        file=upload(),
        consent=Consent.NOT_IDENTIFIABLE,
        consent_on=datetime.date(2019, 3, 1),
        consent_scope="ignored",
    )
    assert (anonymous.consent_on, anonymous.consent_scope) == (None, "")
    assert AuditEntry.objects.filter(action=Action.DOCUMENTATION_ADDED).count() == 2


def test_removing_documentation_deletes_its_file_and_says_why(
    world, plan, media, django_capture_on_commit_callbacks
) -> None:
    kept = item(world)
    path = Path(kept.file.path)
    assert path.exists()
    user = world.personas["team_a1"]
    with pytest.raises(ValidationError):
        documentation_remove(item=kept, user=user, why="Maya's mother said no")  # no free text
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        documentation_remove(item=kept, user=user, why="consent_withdrawn")
    assert not Documentation.objects.exists()
    assert not path.exists()
    entry = AuditEntry.objects.get(action=Action.DOCUMENTATION_REMOVED)
    assert entry.detail == {"plan": kept.plan_id, "removed_because": "consent_withdrawn"}


def test_the_audit_log_shows_the_consent_and_why_in_words(world, plan, media) -> None:
    kept = item(world)
    documentation_remove(item=kept, user=world.personas["principal_a1"], why="not_needed")
    added = AuditEntry.objects.get(action=Action.DOCUMENTATION_ADDED)
    assert ("Consent", "No student can be identified in it") in added.readable_detail
    removed = AuditEntry.objects.get(action=Action.DOCUMENTATION_REMOVED)
    assert ("Removed because", "No longer needed") in removed.readable_detail
