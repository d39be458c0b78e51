"""Improvement plans: who may do what, the cycle's moves, versions, history, targets from the evidence."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from capacity.evidence.models import Assessment, Result
from capacity.evidence.services import assessments_ensure
from capacity.planning import services
from capacity.planning.models import (
    CarryDecision,
    Goal,
    Plan,
    PlanChange,
    Review,
    Stage,
    Submission,
    SupportRequest,
    Target,
)
from capacity.planning.progress import MET, NO_DATA, OFF_TRACK, ON_TRACK, target_progress
from capacity.planning.services import Conflict, NotAllowed
from tests.evidence.conftest import results_for
from tests.planning.yearclose_kit import decide_all


@pytest.fixture
def plan(world) -> Plan:
    return services.plan_create(
        user=world.personas["principal_a1"], school=world.school_a1, school_year="2018-19"
    )


def g6_math() -> Assessment:
    assessments_ensure()
    return Assessment.objects.get(code="G6-MATH")


def planned(world, plan: Plan) -> tuple[Goal, Target]:
    """A goal with a Grade 6 mathematics target, a strategy and a checkpoint."""
    principal = world.personas["principal_a1"]
    goal = services.goal_add(
        plan=plan,
        user=principal,
        seen=plan.version,
        statement="More Grade 6 students reason mathematically",
        area="mathematics",
    )
    target = services.target_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        assessment=g6_math(),
        baseline_year="2017-18",
        baseline_value=40.0,
        target_value=60.0,
        target_year="2019-20",
    )
    services.strategy_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        action="Weekly co-planning of math tasks",
        responsible="Grade 6 team",
        drivers=["collaborative_work", "pedagogy"],
    )
    services.checkpoint_add(
        plan=plan,
        user=principal,
        seen=plan.version,
        due=datetime.date(2019, 1, 31),
        title="Mid-year look at student work",
    )
    return goal, target


def test_only_the_schools_team_starts_and_edits_its_plan(world) -> None:
    for name in ("teacher_a1", "board_a", "ministry", "principal_b1"):
        with pytest.raises(PermissionDenied):
            services.plan_create(
                user=world.personas[name], school=world.school_a1, school_year="2018-19"
            )
    plan = services.plan_create(
        user=world.personas["principal_a1"], school=world.school_a1, school_year="2018-19"
    )
    with pytest.raises(PermissionDenied):
        services.goal_add(
            plan=plan, user=world.personas["teacher_a1"], seen=plan.version, statement="x"
        )
    with pytest.raises(PermissionDenied):  # outside the scope: not even readable
        services.coreflection_add(plan=plan, user=world.personas["principal_b1"], themes="x")


def test_a_second_editor_gets_a_conflict_and_the_first_edit_stands(world, plan) -> None:
    principal = world.personas["principal_a1"]
    seen = plan.version
    services.plan_update(plan=plan, user=principal, seen=seen, title="Reading for meaning")
    stale = Plan.objects.get(pk=plan.pk)
    stale.version = seen  # what the second person loaded before the first saved
    with pytest.raises(Conflict) as raised:
        services.plan_update(plan=stale, user=principal, seen=seen, title="Numeracy first")
    assert raised.value.plan.version == seen + 1
    assert Plan.objects.get(pk=plan.pk).title == "Reading for meaning"


def test_every_change_is_kept_with_before_and_after(world, plan) -> None:
    principal = world.personas["principal_a1"]
    services.plan_update(plan=plan, user=principal, seen=plan.version, title="First")
    services.plan_update(plan=plan, user=principal, seen=plan.version, title="Second")
    changes = list(PlanChange.objects.filter(plan=plan, action="plan_changed").order_by("id"))
    assert [c.fields["title"] for c in changes] == [["", "First"], ["First", "Second"]]
    assert [c.version for c in changes] == [2, 3]
    assert all(c.by == principal for c in changes)


def test_the_cycle_needs_an_accepted_plan_before_action_and_moves_only_along_the_cycle(
    world, plan
) -> None:
    principal, ministry = world.personas["principal_a1"], world.personas["ministry"]
    with pytest.raises(NotAllowed):
        services.plan_submit(plan=plan, user=principal, seen=plan.version)  # no goal yet
    planned(world, plan)
    with pytest.raises(NotAllowed):
        services.plan_stage_move(
            plan=plan, user=principal, seen=plan.version, to=Stage.ACT
        )  # not accepted
    with pytest.raises(NotAllowed):
        services.plan_stage_move(
            plan=plan, user=principal, seen=plan.version, to=Stage.REFLECT
        )  # skips stages
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    with pytest.raises(NotAllowed):  # frozen while under review
        services.plan_update(
            plan=plan, user=principal, seen=plan.version, title="Changed meanwhile"
        )
    with pytest.raises(PermissionDenied):  # the team does not review its own plan
        services.plan_decide(plan=plan, user=principal, accept=True, **services.review_basis(plan))
    with pytest.raises(ValidationError):  # a return says why
        services.plan_decide(plan=plan, user=ministry, accept=False, **services.review_basis(plan))
    services.plan_decide(
        plan=plan,
        user=ministry,
        accept=False,
        comments="Tie the strategy to the target",
        **services.review_basis(plan),
    )
    assert plan.review == Review.RETURNED
    services.plan_update(plan=plan, user=principal, seen=plan.version, title="Math reasoning")
    second = services.plan_submit(plan=plan, user=principal, seen=plan.version)
    assert second.number == 2 and second.snapshot["title"] == "Math reasoning"
    assert (
        Submission.objects.get(plan=plan, number=1).snapshot["title"] == ""
    )  # snapshots do not move
    services.plan_decide(
        plan=plan, user=world.personas["board_a"], accept=True, **services.review_basis(plan)
    )
    for stage in (Stage.ACT, Stage.OBSERVE, Stage.ACT, Stage.OBSERVE, Stage.REFLECT):
        services.plan_stage_move(plan=plan, user=principal, seen=plan.version, to=stage)
    assert plan.stage == Stage.REFLECT
    with pytest.raises(PermissionDenied):
        services.plan_stage_move(
            plan=plan, user=world.personas["board_a"], seen=plan.version, to=Stage.ACT
        )


def test_tasks_are_checked_off_by_their_own_side(world, plan) -> None:
    services.task_check(plan=plan, user=world.personas["principal_a1"], task="plan.data")
    services.task_check(plan=plan, user=world.personas["ministry"], task="plan.orient")
    with pytest.raises(PermissionDenied):
        services.task_check(plan=plan, user=world.personas["ministry"], task="plan.data")
    with pytest.raises(PermissionDenied):
        services.task_check(plan=plan, user=world.personas["principal_a1"], task="plan.orient")
    assert set(plan.tasks_done.values_list("task", flat=True)) == {"plan.data", "plan.orient"}


def test_targets_follow_the_results_as_they_arrive(world, plan) -> None:
    _, target = planned(world, plan)
    assert target_progress(target).status == NO_DATA
    # Line from 40 (2017-18) to 60 (2019-20): 50 expected in 2018-19.
    results_for(world.school_a1, "2018-19", [50, 50, 50, 50, 50, 49])
    assert target_progress(target).status == OFF_TRACK
    Result.objects.filter(school=world.school_a1, assessment__code="G6-MATH").update(
        pct_at_standard=52
    )
    progress = target_progress(target)
    assert (progress.status, progress.latest_value, progress.expected) == (ON_TRACK, 52, 50)
    results_for(world.school_a1, "2019-20", [60, 60, 60, 60, 60, 61])
    assert target_progress(target).status == MET


def test_a_board_target_reads_the_boards_weighted_results(world) -> None:
    board_plan = services.plan_create(
        user=world.personas["board_a"], board=world.board_a, school_year="2018-19"
    )
    goal = services.goal_add(
        plan=board_plan,
        user=world.personas["board_a"],
        seen=board_plan.version,
        statement="Mathematics across the board",
        characteristic="instructional_guidance",
    )
    target = services.target_add(
        goal=goal,
        user=world.personas["board_a"],
        seen=board_plan.version,
        assessment=g6_math(),
        baseline_year="2017-18",
        baseline_value=50,
        target_value=70,
        target_year="2018-19",
    )
    results_for(world.school_a1, "2018-19", [0, 0, 0, 0, 0, 80], participating=30)
    results_for(world.school_a2, "2018-19", [0, 0, 0, 0, 0, 60], participating=10)
    results_for(world.school_b1, "2018-19", [0, 0, 0, 0, 0, 0], participating=50)  # another board
    progress = target_progress(target)
    assert progress.latest_value == 75.0  # (30 x 80 + 10 x 60) / 40
    assert progress.status == MET


def test_marker_students_are_codes_never_names(world, plan) -> None:
    principal = world.personas["principal_a1"]
    with pytest.raises(ValidationError):
        services.goal_add(
            plan=plan,
            user=principal,
            seen=plan.version,
            statement="Readers",
            focus="marker",
            marker_codes="Sarah, Tom",
        )
    goal = services.goal_add(
        plan=plan,
        user=principal,
        seen=plan.version,
        statement="Readers",
        focus="marker",
        marker_codes="M-01, m-07",
    )
    assert goal.marker_codes == "M-01, m-07"


def test_closing_the_year_carries_unfinished_goals_into_next_years_plan(world, plan) -> None:
    principal, ministry = world.personas["principal_a1"], world.personas["ministry"]
    goal, _ = planned(world, plan)
    met_goal = services.goal_add(
        plan=plan, user=principal, seen=plan.version, statement="Writing", area="literacy"
    )
    services.target_add(
        goal=met_goal,
        user=principal,
        seen=plan.version,
        assessment=Assessment.objects.get(code="G3-WRITE"),
        baseline_year="2017-18",
        baseline_value=40,
        target_value=45,
        target_year="2018-19",
    )
    results_for(world.school_a1, "2018-19", [50, 50, 50, 50, 50, 45])
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    services.plan_decide(plan=plan, user=ministry, accept=True, **services.review_basis(plan))
    for stage in (Stage.ACT, Stage.OBSERVE, Stage.REFLECT):
        services.plan_stage_move(plan=plan, user=principal, seen=plan.version, to=stage)
    with pytest.raises(ValidationError):  # no reflection on overall impact yet
        services.plan_stage_move(plan=plan, user=principal, seen=plan.version, to=Stage.CLOSED)
    services.plan_update(
        plan=plan,
        user=principal,
        seen=plan.version,
        overall_impact="Math moved less than hoped",
        next_steps="Start math talks in Grade 4",
    )
    with pytest.raises(NotAllowed, match="Writing"):  # every goal needs a decision first
        services.plan_stage_move(plan=plan, user=principal, seen=plan.version, to=Stage.CLOSED)
    decide_all(plan, principal, Writing=CarryDecision.STOP)
    plan.refresh_from_db()
    successor = services.plan_stage_move(
        plan=plan, user=principal, seen=plan.version, to=Stage.CLOSED
    )
    plan.refresh_from_db()
    assert plan.stage == Stage.CLOSED
    assert (successor.school_year, successor.previous, successor.next_steps) == (
        "2019-20",
        plan,
        "Start math talks in Grade 4",
    )
    carried = list(successor.goals.all())
    assert [g.carried_from for g in carried] == [
        goal
    ]  # writing met its target: the team stopped it
    assert carried[0].targets.get().target_year == "2019-20"
    assert carried[0].strategies.count() == 1
    with pytest.raises(NotAllowed):
        services.plan_update(plan=plan, user=principal, seen=plan.version, title="after the year")


def test_identified_schools_get_a_focused_intervention_plan_with_the_reasons(world) -> None:
    from capacity.evidence import selectors

    for year in ("2017-18", "2018-19"):
        results_for(world.school_a1, year, [40, 42, 30, 45, 48, 70])
        results_for(world.school_b1, year, [80, 75, 70, 85, 82, 60])
    policy = selectors.get_policy()
    found = selectors.province_identification(policy, "2018-19")
    assert (
        services.focused_intervention_start(
            school_year="2018-19", identified=found.identified, policy=policy.label
        )
        == 1
    )
    plan = Plan.objects.get(school=world.school_a1, school_year="2018-19")
    assert plan.focused_intervention and plan.support_contact == world.personas["board_a"]
    assert plan.identification["policy"] == policy.label
    assert {r["assessment"] for r in plan.identification["reasons"]} >= {"G3-READ", "G3-MATH"}
    assert (
        services.focused_intervention_start(
            school_year="2018-19", identified=found.identified, policy=policy.label
        )
        == 0
    )


def test_support_requests_are_answered_by_the_board_or_the_ministry(world, plan) -> None:
    request = services.support_request_create(
        user=world.personas["principal_a1"],
        school=world.school_a1,
        plan=plan,
        tried="Guided reading groups",
        needs=["knowledge", "professional_learning"],
        needed_by=datetime.date(2018, 12, 1),
    )
    with pytest.raises(PermissionDenied):
        services.support_request_create(
            user=world.personas["teacher_a1"], school=world.school_a1, tried="x", needs=["people"]
        )
    with pytest.raises(ValidationError):
        services.support_request_create(
            user=world.personas["principal_a1"], school=world.school_a1, tried="x", needs=[]
        )
    with pytest.raises(PermissionDenied):
        services.support_request_answer(
            request=request, user=world.personas["principal_b1"], answer="x", provided=[]
        )
    services.support_request_answer(
        request=request,
        user=world.personas["board_a"],
        answer="A literacy coach, weekly",
        provided=["people"],
    )
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.ANSWERED and request.answered_at is not None
    assert PlanChange.objects.filter(plan=plan, action="support_answered").exists()


# --- refusals: each says why, and changes nothing -----------------------------------------


def test_a_decision_on_an_older_version_of_the_waiting_submission_is_refused(world, plan) -> None:
    principal = world.personas["principal_a1"]
    planned(world, plan)
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    read = services.review_basis(plan)
    assert read is not None
    with pytest.raises(services.StaleDecision, match="changed since you read it"):
        services.plan_decide(
            plan=plan,
            user=world.personas["board_a"],
            accept=True,
            submission=read["submission"],
            seen=read["seen"] - 1,
        )
    assert Plan.objects.get(pk=plan.pk).review == Review.SUBMITTED


def test_a_plan_never_submitted_is_not_decided(world, plan) -> None:
    with pytest.raises(NotAllowed, match="not waiting for review"):
        services.plan_decide(
            plan=plan, user=world.personas["board_a"], accept=True, submission=1, seen=plan.version
        )
    assert plan.review == Review.DRAFT and not plan.submissions.exists()


def test_a_year_closes_only_from_reflect(world, plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(
        review=Review.ACCEPTED, stage=Stage.OBSERVE, overall_impact="Reading rose."
    )
    plan.refresh_from_db()
    with pytest.raises(NotAllowed, match="from the Reflect stage"):
        services.plan_year_close(plan=plan, user=world.personas["principal_a1"], seen=plan.version)
    assert Plan.objects.get(pk=plan.pk).stage == Stage.OBSERVE
    assert not Plan.objects.filter(school_year="2019-20").exists()


def test_co_reflection_is_the_reviewers_and_replies_need_words(world, plan) -> None:
    principal, board = world.personas["principal_a1"], world.personas["board_a"]
    with pytest.raises(PermissionDenied):  # the team does not co-reflect on its own plan
        services.coreflection_add(plan=plan, user=principal, themes="Talk")
    with pytest.raises(ValidationError):
        services.coreflection_add(plan=plan, user=board, themes="   ")
    entry = services.coreflection_add(plan=plan, user=board, themes="Student talk in math")
    with pytest.raises(PermissionDenied):  # a trustee reads the plan but takes no part in it
        services.reply_add(coreflection=entry, user=world.personas["trustee_a"], text="Agreed")
    with pytest.raises(ValidationError):
        services.reply_add(coreflection=entry, user=principal, text="\n")
    services.reply_add(coreflection=entry, user=principal, text="We will start in Grade 4")
    assert entry.replies.count() == 1


def test_items_refuse_what_does_not_belong_to_them(world, plan) -> None:
    principal = world.personas["principal_a1"]
    with pytest.raises(ValidationError, match="Only board plans"):
        services.goal_add(
            plan=plan,
            user=principal,
            seen=plan.version,
            statement="Coherence",
            characteristic="instructional_guidance",
        )
    goal, target = planned(world, plan)
    with pytest.raises(ValidationError, match="Only a custom measure takes entries"):
        services.entry_add(
            target=target,
            user=principal,
            seen=plan.version,
            on=datetime.date(2019, 3, 1),
            value=55,
        )
    with pytest.raises(ValueError, match="Not editable here: plan"):
        services.item_update(item=goal, user=principal, seen=plan.version, plan=None)
    assert not target.entries.exists() and plan.goals.count() == 1


def test_a_plan_or_request_must_come_from_a_school_or_a_board(world) -> None:
    principal = world.personas["principal_a1"]
    with pytest.raises(ValueError, match="school or a board"):
        services.plan_create(user=principal, school_year="2018-19")
    with pytest.raises(ValueError, match="school or a board"):
        services.support_request_create(user=principal, tried="x", needs=["people"])
    assert not Plan.objects.exists() and not SupportRequest.objects.exists()


def test_an_empty_answer_to_a_support_request_is_refused(world) -> None:
    request = services.support_request_create(
        user=world.personas["principal_a1"], school=world.school_a1, tried="x", needs=["people"]
    )
    with pytest.raises(ValidationError):
        services.support_request_answer(
            request=request, user=world.personas["board_a"], answer=" ", provided=["people"]
        )
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.OPEN and request.answered_at is None
