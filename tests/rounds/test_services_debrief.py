"""The debrief's services: grouping kept on the visit and stable, moves, names, levels, the
prediction, stale versions refused, the rules for finishing, and the next level of work
becoming a plan strategy (with plan rights only) or a network action."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from capacity.notifications.models import Notification
from capacity.planning.models import PlanChange, Strategy
from capacity.rounds import affinity
from capacity.rounds import services_debrief as services
from capacity.rounds.models import NetworkAction, Note, Visit, VisitStage
from tests.rounds import factories_debrief as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh(world):
    """A1's visit at its debrief with the 28 notes, not grouped yet."""
    v = f.visit(world)
    f.notes(world, v)
    return v


def reload(v: Visit) -> Visit:
    return Visit.objects.get(pk=v.pk)


def group(world, v: Visit, **kwargs) -> Visit:
    return services.debrief_group(
        user=world.personas["team_a1"], visit=v, version=reload(v).version, **kwargs
    )


def test_it_groups_the_notes_and_keeps_the_grouping_on_the_visit(world, fresh) -> None:
    done = group(world, fresh, groups=4)
    stored = affinity.from_dict(reload(fresh).grouping)
    assert done.version == 2
    assert len(stored.groups) == 4
    assert sorted(i for g in stored.groups for i in g.note_ids) == sorted(
        str(pk) for pk in fresh.notes.values_list("pk", flat=True)
    )
    # The stored grouping holds no note's text and no author.
    text = str(reload(fresh).grouping)
    assert "Students" not in text and "observer" not in text


def test_the_same_notes_group_the_same_way_again(world, fresh) -> None:
    first = affinity.from_dict(group(world, fresh).grouping)
    again = affinity.from_dict(group(world, fresh).grouping)
    assert first.partition() == again.partition()
    assert first.choice == "silhouette"


def test_it_moves_a_note_to_another_theme_and_to_a_new_one(world, fresh) -> None:
    grouping = affinity.from_dict(group(world, fresh, groups=4).grouping)
    note = grouping.groups[0].note_ids[0]
    target = grouping.groups[1].key
    v = services.debrief_move(
        user=world.personas["principal_a1"], visit=fresh, version=3 - 1, note=note, to_group=target
    )
    moved = affinity.from_dict(v.grouping)
    assert moved.group_of(note).key == target
    v = services.debrief_move(
        user=world.personas["team_a1"], visit=fresh, version=v.version, note=note, to_group="new"
    )
    assert affinity.from_dict(v.grouping).group_of(note).key == "g5"


def test_a_move_to_an_unknown_theme_or_of_an_unknown_note_is_refused(world, fresh) -> None:
    v = group(world, fresh, groups=4)
    with pytest.raises(ValidationError) as error:
        services.debrief_move(
            user=world.personas["team_a1"], visit=v, version=v.version, note="1", to_group="g99"
        )
    assert "to_group" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.debrief_move(
            user=world.personas["team_a1"], visit=v, version=v.version, note="999999", to_group="g1"
        )
    assert "note" in error.value.message_dict


def test_it_names_a_theme_and_an_empty_name_brings_the_suggestion_back(world, fresh) -> None:
    v = group(world, fresh, groups=4)
    v = services.debrief_rename(
        user=world.personas["team_a1"],
        visit=v,
        version=v.version,
        group="g1",
        name="  Talk   in groups ",
    )
    grouping = affinity.from_dict(v.grouping)
    assert grouping.groups[0].title == "Talk in groups"
    v = services.debrief_rename(
        user=world.personas["team_a1"], visit=v, version=v.version, group="g1", name=""
    )
    assert affinity.from_dict(v.grouping).groups[0].title == grouping.groups[0].suggested_name


def test_a_too_long_name_is_refused_on_its_field(world, fresh) -> None:
    v = group(world, fresh, groups=4)
    with pytest.raises(ValidationError) as error:
        services.debrief_rename(
            user=world.personas["team_a1"], visit=v, version=v.version, group="g1", name="x" * 201
        )
    assert "name" in error.value.message_dict


def test_a_stale_version_is_refused_and_nothing_is_overwritten(world, fresh) -> None:
    """Two facilitators on two phones: the second, who loaded version 2, is refused."""
    v = group(world, fresh, groups=4)
    seen = v.version
    services.debrief_rename(
        user=world.personas["team_a1"], visit=v, version=seen, group="g1", name="First phone"
    )
    with pytest.raises(services.StaleDebrief):
        services.debrief_rename(
            user=world.personas["principal_a1"], visit=v, version=seen, group="g1", name="Second"
        )
    with pytest.raises(services.StaleDebrief):
        services.debrief_predict(
            user=world.personas["principal_a1"], visit=v, version=seen, prediction="Mine"
        )
    after = reload(v)
    assert affinity.from_dict(after.grouping).groups[0].name == "First phone"
    assert after.prediction == ""


def test_regrouping_an_edited_grouping_needs_a_confirmation(world, fresh) -> None:
    v = group(world, fresh, groups=4)
    # Not edited yet: regrouping asks nothing.
    v = group(world, v, groups=4)
    v = services.debrief_rename(
        user=world.personas["team_a1"], visit=v, version=v.version, group="g2", name="Copying"
    )
    with pytest.raises(services.RegroupNeedsConfirmation):
        group(world, v, groups=3)
    assert affinity.from_dict(reload(v).grouping).groups[1].name == "Copying"
    v = group(world, v, groups=3, discard_edits=True)
    grouping = affinity.from_dict(v.grouping)
    assert len(grouping.groups) == 3 and not any(g.name for g in grouping.groups)


def test_a_moved_note_counts_as_an_edit(world, fresh) -> None:
    v = group(world, fresh, groups=4)
    assert not services.grouping_edited(v)
    note = affinity.from_dict(v.grouping).groups[0].note_ids[0]
    v = services.debrief_move(
        user=world.personas["team_a1"], visit=v, version=v.version, note=note, to_group="g2"
    )
    assert services.grouping_edited(v)


def test_grouping_without_notes_or_with_a_bad_count_is_refused(world) -> None:
    v = f.visit(world)
    with pytest.raises(ValidationError, match="no notes"):
        group(world, v)
    f.notes(world, v, 4)
    with pytest.raises(ValidationError) as error:
        group(world, v, groups=9)
    assert "groups" in error.value.message_dict


def test_only_those_who_run_the_debrief_change_it(world, fresh) -> None:
    for persona in ("ministry", "teacher_a1", "trustee_a", "facilitator", "principal_b1"):
        with pytest.raises(PermissionDenied):
            services.debrief_group(user=world.personas[persona], visit=fresh, version=1)
    for persona in ("team_a1", "principal_a1", "board_a"):
        v = reload(fresh)
        services.debrief_group(user=world.personas[persona], visit=v, version=v.version)


def test_the_debrief_changes_only_at_the_debrief_stage(world, fresh) -> None:
    fresh.stage = VisitStage.OBSERVING
    fresh.save()
    with pytest.raises(ValidationError, match="not at its debrief"):
        group(world, fresh)
    fresh.stage = VisitStage.DONE
    fresh.save()
    with pytest.raises(ValidationError, match="finished"):
        group(world, fresh)


def test_the_facilitator_confirms_or_changes_a_task_level(world, fresh) -> None:
    note = fresh.notes.order_by("pk").first()
    v = reload(fresh)
    services.debrief_level(
        user=world.personas["team_a1"], visit=v, version=v.version, note=note.pk, level="synthesis"
    )
    changed = Note.objects.get(pk=note.pk)
    assert changed.level == "synthesis"
    assert changed.revision == note.revision + 1
    assert reload(fresh).version == v.version + 1
    with pytest.raises(ValidationError) as error:
        services.debrief_level(
            user=world.personas["team_a1"],
            visit=fresh,
            version=v.version + 1,
            note=note.pk,
            level="wisdom",
        )
    assert "level" in error.value.message_dict


def test_a_level_for_a_note_of_another_visit_is_refused(world, fresh) -> None:
    other = f.visit(world, on=datetime.date(2018, 12, 5))
    stranger = f.notes(world, other, 1)[0]
    v = reload(fresh)
    with pytest.raises(ValidationError) as error:
        services.debrief_level(
            user=world.personas["team_a1"],
            visit=v,
            version=v.version,
            note=stranger.pk,
            level="analysis",
        )
    assert "note" in error.value.message_dict


def test_the_prediction_is_kept_stripped_and_bounded(world, fresh) -> None:
    v = reload(fresh)
    v = services.debrief_predict(
        user=world.personas["team_a1"],
        visit=v,
        version=v.version,
        prediction="  Copy definitions. ",
    )
    assert v.prediction == "Copy definitions."
    with pytest.raises(ValidationError):
        services.debrief_predict(
            user=world.personas["team_a1"], visit=v, version=v.version, prediction="x" * 5001
        )


def test_finishing_needs_a_named_theme_and_the_prediction(
    world, fresh, django_capture_on_commit_callbacks
) -> None:
    v = group(world, fresh, groups=4)
    with pytest.raises(ValidationError) as error:
        services.debrief_finish(user=world.personas["team_a1"], visit=v, version=v.version)
    assert len(error.value.messages) == 2
    assert "Name at least one theme" in error.value.messages[0]
    f.ready_to_finish(world, v)
    v = reload(v)
    with django_capture_on_commit_callbacks(execute=True):
        done = services.debrief_finish(user=world.personas["team_a1"], visit=v, version=v.version)
    assert done.stage == VisitStage.DONE and done.debriefed_at is not None
    told = set(
        Notification.objects.filter(kind="rounds_debrief_finished").values_list(
            "recipient__username", flat=True
        )
    )
    # The visit's team (A1's teacher) and A1's team (its principal); not the one who finished it.
    assert told == {"teacher_a1", "principal_a1"}
    with pytest.raises(ValidationError, match="finished"):
        services.debrief_predict(
            user=world.personas["team_a1"], visit=done, version=done.version, prediction="Later"
        )


# --- the next level of work ----------------------------------------------------------------


def test_a_step_is_added_at_the_debrief_and_after_it(world, fresh) -> None:
    step = services.next_step_add(
        user=world.personas["principal_a1"],
        visit=fresh,
        horizon="week",
        text=" Try one open question. ",
    )
    assert (
        step.text == "Try one open question." and step.created_by == world.personas["principal_a1"]
    )
    f.finished(world, fresh)
    services.next_step_add(
        user=world.personas["team_a1"], visit=fresh, horizon="year", text="Later"
    )
    with pytest.raises(ValidationError) as error:
        services.next_step_add(
            user=world.personas["team_a1"], visit=fresh, horizon="decade", text=""
        )
    assert set(error.value.message_dict) == {"horizon", "text"}
    with pytest.raises(PermissionDenied):
        services.next_step_add(
            user=world.personas["teacher_a1"], visit=fresh, horizon="week", text="x"
        )


def test_a_step_becomes_a_plan_strategy_in_one_step(world, fresh) -> None:
    plan, goal = f.plan_a1(world)
    step = f.step(fresh, horizon="week")
    strategy = services.next_step_strategy(
        user=world.personas["principal_a1"],
        step=step,
        goal=goal,
        seen=plan.version,
        responsible="Grade 6 team",
    )
    assert strategy.goal == goal and strategy.action == step.text
    assert strategy.responsible == "Grade 6 team"
    assert strategy.ends - strategy.starts == datetime.timedelta(days=7)
    assert set(strategy.drivers) == {"collaborative_work", "pedagogy"}
    step.refresh_from_db()
    assert step.strategy == strategy
    # Planning's own history records it, and the plan's version moved on.
    assert PlanChange.objects.filter(plan=plan, action="strategy_added").exists()
    with pytest.raises(ValidationError, match="already"):
        services.next_step_strategy(
            user=world.personas["principal_a1"],
            step=step,
            goal=goal,
            seen=plan.version + 1,
            responsible="x",
        )


def test_a_strategy_needs_the_plans_rights_and_its_version(world, fresh) -> None:
    plan, goal = f.plan_a1(world)
    step = f.step(fresh)
    # The board's leader runs the debrief but does not write the school's plan.
    with pytest.raises(PermissionDenied):
        services.next_step_strategy(
            user=world.personas["board_a"], step=step, goal=goal, seen=plan.version, responsible="x"
        )
    with pytest.raises(services.StaleDebrief, match="Someone else changed this plan"):
        services.next_step_strategy(
            user=world.personas["principal_a1"],
            step=step,
            goal=goal,
            seen=plan.version - 1 + 5,
            responsible="x",
        )
    assert not Strategy.objects.exists()
    step.refresh_from_db()
    assert step.strategy is None


def test_a_strategy_goes_under_a_goal_of_the_current_plan_only(world, fresh) -> None:
    from capacity.planning.models import Goal, Plan

    plan, _goal = f.plan_a1(world)
    older = Plan.objects.create(
        kind="school", school=world.school_a1, board=world.board_a, school_year="2017-18"
    )
    old_goal = Goal.objects.create(plan=older, statement="Last year's")
    with pytest.raises(ValidationError) as error:
        services.next_step_strategy(
            user=world.personas["principal_a1"],
            step=f.step(fresh),
            goal=old_goal,
            seen=older.version,
            responsible="x",
        )
    assert "goal" in error.value.message_dict


def test_a_network_visits_step_becomes_a_network_action(world) -> None:
    v = f.visit_b1_network(world)
    step = f.step(v, horizon="year")
    action = services.next_step_action(user=world.personas["facilitator"], step=step)
    assert action.network == world.network and action.text == step.text
    assert action.due is not None and action.due.month == 6 and action.due.day == 30
    step.refresh_from_db()
    assert step.action == action
    with pytest.raises(ValidationError, match="already"):
        services.next_step_action(user=world.personas["facilitator"], step=step)


def test_a_schools_own_visit_has_no_network_action(world, fresh) -> None:
    with pytest.raises(ValidationError, match="network's visit"):
        services.next_step_action(user=world.personas["principal_a1"], step=f.step(fresh))
    assert not NetworkAction.objects.exists()


def test_the_network_facilitator_has_no_plan_strategy(world) -> None:
    """A network facilitator runs a network visit's debrief but never writes a school's plan."""
    from capacity.planning.models import Goal, Plan

    plan = Plan.objects.create(
        kind="school", school=world.school_b1, board=world.board_b, school_year="2018-19"
    )
    goal = Goal.objects.create(plan=plan, statement="B1's goal")
    step = f.step(f.visit_b1_network(world))
    with pytest.raises(PermissionDenied):
        services.next_step_strategy(
            user=world.personas["facilitator"],
            step=step,
            goal=goal,
            seen=plan.version,
            responsible="x",
        )
    services.next_step_strategy(
        user=world.personas["principal_b1"],
        step=step,
        goal=goal,
        seen=plan.version,
        responsible="x",
    )


def test_horizons_end_a_week_a_month_or_on_the_thirtieth_of_june(world) -> None:
    from capacity.rounds.selectors_debrief import horizon_end

    day = datetime.date(2018, 11, 14)
    assert horizon_end("week", day) == datetime.date(2018, 11, 21)
    assert horizon_end("month", day) == datetime.date(2018, 12, 14)
    assert horizon_end("year", day) == datetime.date(2019, 6, 30)
    assert horizon_end("year", datetime.date(2019, 3, 1)) == datetime.date(2019, 6, 30)
