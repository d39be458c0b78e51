"""Integrity of decisions: a reviewer decides on what they read, a closed year is read-only, and the
focused-intervention flag stays true to the evidence."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from capacity.audit.models import Action, AuditEntry
from capacity.evidence.importers.results import import_results
from capacity.evidence.services import assessments_ensure
from capacity.planning import services
from capacity.planning.models import Plan, PlanChange, Review, Stage, Submission, Target
from capacity.planning.services import NotAllowed, StaleDecision
from tests.evidence.decisions_kit import confirm_everything
from tests.planning.test_after_import import results_file
from tests.planning.yearclose_kit import decide_all


@pytest.fixture
def submitted(world) -> Plan:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    services.goal_add(
        plan=plan, user=principal, seen=plan.version, statement="Writing", area="literacy"
    )
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    return plan


def resubmitted(world, plan: Plan) -> dict[str, int]:
    """The ministry reads submission 1; the board returns it and the team sends submission 2."""
    read = services.review_basis(plan)
    services.plan_decide(
        plan=plan,
        user=world.personas["board_a"],
        accept=False,
        comments="Add a target",
        **services.review_basis(plan),
    )
    services.plan_submit(plan=plan, user=world.personas["principal_a1"], seen=plan.version)
    return read


# --- decisions name what the reviewer read ------------------------------------------------------


def test_a_decision_on_a_submission_no_longer_waiting_is_refused(world, submitted) -> None:
    read = resubmitted(world, submitted)
    assert read == {"submission": 1, "seen": read["seen"]}
    with pytest.raises(StaleDecision, match="submission 2 is waiting"):
        services.plan_decide(plan=submitted, user=world.personas["ministry"], accept=True, **read)
    submitted.refresh_from_db()
    assert submitted.review == Review.SUBMITTED
    assert submitted.submissions.get(number=2).decision == Submission.Decision.PENDING
    services.plan_decide(
        plan=submitted,
        user=world.personas["ministry"],
        accept=True,
        **services.review_basis(submitted),
    )
    assert Plan.objects.get(pk=submitted.pk).review == Review.ACCEPTED


def test_a_second_decision_on_the_same_submission_is_refused(world, submitted) -> None:
    read = services.review_basis(submitted)
    services.plan_decide(plan=submitted, user=world.personas["board_a"], accept=True, **read)
    with pytest.raises(StaleDecision, match="already decided"):
        services.plan_decide(
            plan=submitted, user=world.personas["ministry"], accept=False, comments="No", **read
        )
    assert submitted.submissions.get().decision == Submission.Decision.ACCEPTED
    assert AuditEntry.objects.filter(action=Action.PLAN_RETURNED).count() == 0


def test_the_api_answers_409_to_a_stale_decision(world, submitted) -> None:
    read = resubmitted(world, submitted)
    client = Client()
    client.force_login(world.personas["ministry"])
    answer = client.post(
        f"/api/plans/{submitted.pk}/decision",
        {"accept": True, "submission": read["submission"], "version": read["seen"]},
        content_type="application/json",
    )
    assert answer.status_code == 409
    assert "submission 2 is waiting" in answer.json()["detail"]
    assert client.get(f"/api/plans/{submitted.pk}").json()["waiting_submission"] == 2
    missing = client.post(
        f"/api/plans/{submitted.pk}/decision", {"accept": True}, content_type="application/json"
    )
    assert missing.status_code == 422  # the decision must name the submission and version
    assert Plan.objects.get(pk=submitted.pk).review == Review.SUBMITTED


def test_the_web_shows_what_changed_and_keeps_the_comments(world, submitted) -> None:
    read = resubmitted(world, submitted)
    client = Client()
    client.force_login(world.personas["ministry"])
    page = client.get(f"/plans/{submitted.pk}/").content.decode()
    assert 'name="submission" value="2"' in page
    answer = client.post(
        f"/plans/{submitted.pk}/action/",
        {
            "action": "return",
            "comments": "Tie the strategy to the target",
            "submission": read["submission"],
            "version": read["seen"],
        },
    )
    assert answer.status_code == 409
    content = answer.content.decode()
    assert "submission 2 is waiting" in content and "Tie the strategy to the target" in content
    assert "Add a target" in content  # the board's return of submission 1 is listed
    assert Plan.objects.get(pk=submitted.pk).review == Review.SUBMITTED


# --- a closed year is read-only ------------------------------------------------------------------


@pytest.fixture
def closed(world, submitted) -> Plan:
    principal = world.personas["principal_a1"]
    assessments_ensure()
    goal = submitted.goals.get()
    services.plan_decide(
        plan=submitted,
        user=world.personas["ministry"],
        accept=True,
        **services.review_basis(submitted),
    )
    note = services.coreflection_add(
        plan=submitted, user=world.personas["board_a"], themes="Writing grows"
    )
    for stage in (Stage.ACT, Stage.OBSERVE, Stage.REFLECT):
        services.plan_stage_move(plan=submitted, user=principal, seen=submitted.version, to=stage)
    custom = services.target_add(
        goal=goal,
        user=principal,
        seen=submitted.version,
        measure=Target.Measure.CUSTOM,
        description="Writing rubric average",
        baseline_year="2017-18",
        target_value=3.0,
        target_year="2019-20",
    )
    services.plan_update(
        plan=submitted, user=principal, seen=submitted.version, overall_impact="Some"
    )
    decide_all(submitted, principal)
    submitted.refresh_from_db()
    services.plan_stage_move(
        plan=submitted, user=principal, seen=submitted.version, to=Stage.CLOSED
    )
    submitted.refresh_from_db()
    submitted.note, submitted.custom = note, custom  # type: ignore[attr-defined]
    return submitted


def test_nothing_changes_a_closed_plan(world, closed) -> None:
    principal, board = world.personas["principal_a1"], world.personas["board_a"]
    version = closed.version
    attempts = [
        lambda: services.task_check(
            plan=closed, user=principal, task=next(iter(services.TASKS_BY_CODE))
        ),
        lambda: services.coreflection_add(plan=closed, user=board, themes="Late thought"),
        lambda: services.reply_add(coreflection=closed.note, user=principal, text="Late reply"),
        lambda: services.goal_add(plan=closed, user=principal, seen=version, statement="Late goal"),
        lambda: services.entry_add(
            target=closed.custom,
            user=principal,
            seen=version,
            on=datetime.date(2019, 5, 1),
            value=2.5,
        ),
        lambda: services.item_update(
            item=closed.goals.first(), user=principal, seen=version, statement="Edited"
        ),
        lambda: services.checkpoint_add(
            plan=closed, user=principal, seen=version, due=datetime.date(2019, 6, 1), title="Late"
        ),
    ]
    changes = PlanChange.objects.filter(plan=closed).count()
    for attempt in attempts:
        with pytest.raises(NotAllowed, match="closed"):
            attempt()
    assert PlanChange.objects.filter(plan=closed).count() == changes
    assert Plan.objects.get(pk=closed.pk).version == version


def test_a_closed_plans_page_offers_no_way_to_change_it(world, closed) -> None:
    client = Client()
    client.force_login(world.personas["ministry"])
    page = client.get(f"/plans/{closed.pk}/").content.decode()
    assert 'value="coreflect"' not in page and 'value="reply"' not in page
    answer = client.post(
        f"/plans/{closed.pk}/action/", {"action": "coreflect", "themes": "Late"}, follow=True
    )
    assert "closed" in answer.content.decode()
    assert closed.coreflections.count() == 1


# --- the focused-intervention flag stays true to the evidence --------------------------------------


IDENTIFIED = [40, 42, 30, 45, 48, 44]  # under 50% on five of six assessments (ofip-2016)
STRONG = [81, 76, 72, 84, 80, 66]


def run_to_reflect(world, plan: Plan) -> None:
    principal = world.personas["principal_a1"]
    services.goal_add(
        plan=plan, user=principal, seen=plan.version, statement="Mathematics", area="mathematics"
    )
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    services.plan_decide(
        plan=plan, user=world.personas["ministry"], accept=True, **services.review_basis(plan)
    )
    for stage in (Stage.ACT, Stage.OBSERVE, Stage.REFLECT):
        services.plan_stage_move(plan=plan, user=principal, seen=plan.version, to=stage)
    services.plan_update(plan=plan, user=principal, seen=plan.version, overall_impact="Some growth")


def test_closing_a_year_keeps_the_flag_and_an_import_showing_the_school_left_clears_it(
    world, tmp_path
) -> None:
    first = results_file(
        tmp_path / "first.csv",
        {("700001", "2017-18"): IDENTIFIED, ("700001", "2018-19"): IDENTIFIED},
    )
    assert import_results([(None, first)]).applied
    assert not Plan.objects.exists()  # an import proposes; a ministry officer decides
    confirm_everything(world)
    plan = Plan.objects.get(school=world.school_a1, school_year="2018-19")
    assert plan.focused_intervention
    run_to_reflect(world, plan)
    decide_all(plan, world.personas["principal_a1"])
    plan.refresh_from_db()
    successor = services.plan_stage_move(
        plan=plan, user=world.personas["principal_a1"], seen=plan.version, to=Stage.CLOSED
    )
    assert (successor.school_year, successor.focused_intervention) == ("2019-20", True)
    assert successor.identification["reasons"]

    # 2019-20 results: Aspen reaches the standard everywhere, so it is no longer identified.
    second = results_file(tmp_path / "second.csv", {("700001", "2019-20"): STRONG})
    assert import_results([(None, second)]).applied
    successor.refresh_from_db()
    assert successor.focused_intervention  # the exit is proposed, not yet confirmed
    confirm_everything(world)
    successor.refresh_from_db()
    assert not successor.focused_intervention
    assert "2019-20" in successor.identification["ended"]["why"]
    assert successor.changes.filter(action="focus_cleared").exists()
    assert AuditEntry.objects.filter(
        action=Action.FOCUS_CLEARED, detail__plan=successor.pk
    ).exists()
    assert Plan.objects.get(
        pk=plan.pk
    ).focused_intervention  # 2018-19 was a year under focused intervention

    client = Client()
    client.force_login(world.personas["principal_a1"])
    page = client.get(f"/plans/{successor.pk}/").content.decode()
    assert "No longer:" in page and "Why this plan is under focused intervention" not in page


def test_a_school_with_too_little_data_keeps_its_flag(world, tmp_path) -> None:
    first = results_file(
        tmp_path / "first.csv",
        {("700001", "2017-18"): IDENTIFIED, ("700001", "2018-19"): IDENTIFIED},
    )
    assert import_results([(None, first)]).applied
    confirm_everything(world)
    plan = Plan.objects.get(school=world.school_a1)
    run_to_reflect(world, plan)
    decide_all(plan, world.personas["principal_a1"])
    plan.refresh_from_db()
    successor = services.plan_stage_move(
        plan=plan, user=world.personas["principal_a1"], seen=plan.version, to=Stage.CLOSED
    )
    # Another school's 2019-20 results move the latest year on; Aspen has none, so nothing shows it has left.
    other = results_file(
        tmp_path / "other.csv", {("700003", "2018-19"): STRONG, ("700003", "2019-20"): STRONG}
    )
    assert import_results([(None, other)]).applied
    confirm_everything(world)
    successor.refresh_from_db()
    assert successor.focused_intervention


def test_no_plan_title_carries_the_designation(world, tmp_path) -> None:
    """The flag alone says focused intervention; the migration took the demo's prefix off stored titles."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "capacity.planning.migrations.0002_titles_without_designation"
    )
    plan = services.plan_create(
        user=world.personas["principal_a1"],
        school=world.school_a1,
        school_year="2018-19",
        title="Focused intervention: reading for meaning",
    )
    migration.strip_prefix(apps, None)
    plan.refresh_from_db()
    assert plan.title == "Reading for meaning"
