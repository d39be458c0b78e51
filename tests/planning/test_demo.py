"""The demo province's improvement plans: every identified school, every stage, and a journey to start."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from django.db import transaction
from django.db.models import F, Max

from capacity.directory.access import plan_rights
from capacity.directory.demo import DEMO_PASSWORD, DemoOptions, build_demo
from capacity.directory.models import Membership, Role, User
from capacity.evidence import selectors
from capacity.evidence.demo import build_demo_results
from capacity.evidence.models import Assessment, Result
from capacity.planning import demo
from capacity.planning.demo import province as demo_province
from capacity.planning.demo.script import Cast, Content, Context, Script
from capacity.planning.demo.writers import BulkWriter, ServiceWriter
from capacity.planning.models import (
    CoReflection,
    Goal,
    Kind,
    Plan,
    PlanChange,
    Review,
    Stage,
    Submission,
    SupportRequest,
    Target,
    Timeline,
    validate_marker_codes,
)

SEED = 2016


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker):
    """A small demo (4 boards, 300 schools: about a dozen identified) with its plans, built once.

    Built inside a transaction that is rolled back after the module's tests,
    each of which runs in its own savepoint.
    """
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo_province, "SAMPLE_SCHOOLS", 40)
        patch.setattr(demo_province, "SAMPLE_BOARDS", 2)
        outer = transaction.atomic()
        outer.__enter__()
        try:
            build_demo(DemoOptions(seed=SEED, boards=4, schools=300, years=10))
            build_demo_results(seed=SEED, years=10)
            counts = demo.build_demo_plans(seed=SEED)
            yield counts
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def identified_numbers() -> set[str]:
    selectors.forget_data_version()
    policy = selectors.get_policy()
    found = selectors.province_identification(policy, selectors.default_year(policy))
    return {s.school_number for s in found.identified}


@pytest.mark.django_db
def test_it_gives_every_school_identified_in_the_latest_year_a_focused_intervention_plan(
    province,
) -> None:
    identified = identified_numbers()
    assert identified, "the small demo should identify some schools"
    latest = selectors.default_year(selectors.get_policy())
    flagged = Plan.objects.filter(kind=Kind.SCHOOL, school_year=latest, focused_intervention=True)
    assert set(flagged.values_list("school__number", flat=True)) == identified
    for plan in flagged:
        assert plan.identification["policy"] == selectors.get_policy().label
        assert plan.identification["reasons"]
    # The designation lives in the flag alone, so a title never disagrees with it.
    assert not Plan.objects.filter(title__icontains="focused intervention").exists()


@pytest.mark.django_db
def test_plans_stand_at_every_stage_and_every_review_state(province) -> None:
    assert set(Plan.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert set(Plan.objects.filter(stage=Stage.PLAN).values_list("review", flat=True)) == set(
        Review.values
    )
    assert Plan.objects.filter(kind=Kind.BOARD).exclude(goals__characteristic="").exists()
    # A closed year opened next year's plan with the unfinished goals carried forward.
    closed = Plan.objects.filter(
        stage=Stage.CLOSED, next_plan__goals__carried_from__isnull=False
    ).distinct()
    assert closed.exists()
    for plan in closed:
        carried = Goal.objects.filter(plan=plan.next_plan, carried_from__isnull=False)
        assert {g.carried_from.plan_id for g in carried} == {plan.pk}
        assert plan.overall_impact
    goals = Counter(
        Plan.objects.filter(stage=Stage.PLAN, review=Review.DRAFT).values_list("pk", flat=True)
    )
    assert goals  # drafts exist
    assert Timeline.objects.filter(board__isnull=True, kind=Kind.BOARD).exists()
    assert Timeline.objects.filter(board__isnull=False, kind=Kind.SCHOOL).count() >= 4


@pytest.mark.django_db
def test_reviews_coreflections_and_support_requests_are_there_to_see(province) -> None:
    returned = Submission.objects.filter(decision=Submission.Decision.RETURNED)
    assert returned.exists() and all(s.comments.strip() for s in returned)
    assert Plan.objects.filter(
        review=Review.RETURNED, submissions__decision=Submission.Decision.RETURNED
    ).exists()
    assert CoReflection.objects.filter(replies__isnull=False).exists()
    assert CoReflection.objects.filter(author__memberships__role=Role.MINISTRY_OFFICER).exists()
    requests = SupportRequest.objects.all()
    assert requests.filter(status=SupportRequest.Status.OPEN).exists()
    answered = list(requests.exclude(status=SupportRequest.Status.OPEN))
    assert answered
    waits = {r.answered_at - r.requested_at for r in answered}
    assert (
        all(w.total_seconds() > 0 for w in waits) and len(waits) > 1
    )  # answered, after varied times
    assert all(r.answer.strip() and r.answered_by_id for r in answered)


@pytest.mark.django_db
def test_the_journey_sign_in_has_a_focused_intervention_plan_not_yet_submitted(province) -> None:
    principal = User.objects.get(username=demo.FOCUS_PRINCIPAL)
    assert principal.check_password(DEMO_PASSWORD) and principal.email.endswith(
        "@demo.capacity.invalid"
    )
    school = Membership.objects.get(user=principal, role=Role.PRINCIPAL).school
    plan = Plan.objects.get(
        school=school, school_year=selectors.default_year(selectors.get_policy())
    )
    assert plan.focused_intervention and school.number in identified_numbers()
    assert (plan.stage, plan.review) == (Stage.PLAN, Review.DRAFT)
    assert not plan.submissions.exists()
    assert plan.goals.count() == 1 and plan.goals.get().targets.exists()
    assert plan_rights(principal, plan).edit
    superintendent = User.objects.get(username=demo.FOCUS_SUPERINTENDENT)
    assert plan_rights(superintendent, plan).review
    assert {username for username, _, _ in demo.demo_plan_accounts()} == {
        demo.FOCUS_PRINCIPAL,
        demo.FOCUS_SUPERINTENDENT,
    }
    # The demo principal's own school has a plan further on, after a closed year.
    home = Membership.objects.get(user__username="principal").school
    assert set(Plan.objects.filter(school=home).values_list("stage", flat=True)) == {
        Stage.CLOSED,
        Stage.OBSERVE,
    }


@pytest.mark.django_db
def test_targets_on_assessments_start_from_the_schools_own_results(province) -> None:
    targets = Target.objects.filter(measure=Target.Measure.ASSESSMENT, goal__plan__kind=Kind.SCHOOL)
    assert targets.exists()
    for target in targets.select_related("goal__plan"):
        result = Result.objects.filter(
            school_id=target.goal.plan.school_id,
            assessment_id=target.assessment_id,
            group=target.group,
            school_year=target.baseline_year,
        ).first()
        assert result is not None and target.baseline_value == result.pct_at_standard
    custom = Target.objects.filter(measure=Target.Measure.CUSTOM)
    assert custom.filter(entries__isnull=False).exists()
    for goal in Goal.objects.filter(focus=Goal.Focus.MARKER):
        validate_marker_codes(goal.marker_codes)  # codes, never names


@pytest.mark.django_db
def test_every_plan_has_a_history_that_matches_its_version(province) -> None:
    assert not Plan.objects.exclude(changes__action="plan_created").exists()
    mismatched = Plan.objects.annotate(last=Max("changes__version")).exclude(last=F("version"))
    assert not mismatched.exists()


def _placeless(value: Any, plan: Plan) -> Any:
    """`value` with the plan's school and board named alike, so two schools' plans compare equal."""
    if isinstance(value, dict):
        return {k: _placeless(v, plan) for k, v in value.items() if k not in ("id", "owner")}
    if isinstance(value, list | tuple):
        return [_placeless(v, plan) for v in value]
    if isinstance(value, str):
        assert plan.school is not None
        for name, placeholder in (
            (str(plan), "PLAN"),
            (plan.school.name, "SCHOOL"),
            (plan.school.number, "NUMBER"),
            (plan.board.name, "BOARD"),
            (plan.board.number, "BOARD_NUMBER"),
        ):
            value = value.replace(name, placeholder)
    return value


def _differences(one: Any, other: Any, path: str = "") -> list[str]:
    """Where two plain-data values differ, as paths with both values (empty when they are equal)."""
    if isinstance(one, dict) and isinstance(other, dict):
        return [
            d
            for key in sorted(set(one) | set(other), key=str)
            for d in _differences(
                one.get(key, "<missing>"), other.get(key, "<missing>"), f"{path}.{key}"
            )
        ]
    if isinstance(one, list) and isinstance(other, list) and len(one) == len(other):
        return [
            d
            for i, (a, b) in enumerate(zip(one, other, strict=True))
            for d in _differences(a, b, f"{path}[{i}]")
        ]
    return [] if one == other else [f"{path}: {one!r} != {other!r}"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("seed", "script"),
    [
        (11, demo.REFLECT),
        (3, demo.CLOSED),
        (7, demo.RETURNED),
        (5, demo.ACT),
        (2, demo.OBSERVE),
        (9, demo.ACCEPTED),
        (4, demo.SUBMITTED),
        (17, demo.OBSERVE),
    ],
)  # returned, resubmitted with a new checkpoint
def test_the_bulk_writer_leaves_the_same_history_as_the_services(province, seed, script) -> None:
    """The same script and seed, written once through the services and once in bulk, give the same plan.

    Field by field: every PlanChange (action, item, fields, version, who) and
    every submission's snapshot, besides the rows in the plan.
    """
    ministry = User.objects.get(username="ministry")
    outcome = []
    for username, writer in (("principal", ServiceWriter), ("principal.other", BulkWriter)):
        team = User.objects.get(username=username)
        school = Membership.objects.get(user=team, role=Role.PRINCIPAL).school
        plan = Plan.objects.create(
            kind=Kind.SCHOOL, school=school, board=school.board, school_year="2030-31"
        )
        PlanChange.objects.create(
            plan=plan, by=team, action="plan_created", item=str(plan), version=1
        )
        # The school's own results in the baseline year, which target_add reads and the bulk writer is given.
        results = {("G3-READ", "all"): 61.0, ("G6-MATH", "all"): 44.0, ("G6-MATH", "ell"): 30.0}
        Result.objects.bulk_create(
            [
                Result(
                    school=school,
                    school_year="2029-30",
                    assessment=Assessment.objects.get(code=code),
                    group=group,
                    pct_at_standard=value,
                    participating=90 if group == "all" else 40,
                )
                for (code, group), value in results.items()
            ]
        )
        ctx = Context(plan=plan, team=team, reviewer=ministry, year_start=2030, results=results)
        rng = random.Random(seed)
        cast = Cast(ministry=ministry)
        Script(rng, cast, Content(rng, {a.code: a for a in Assessment.objects.all()})).run(
            ctx, writer(ctx), script
        )
        plan.refresh_from_db()
        outcome.append(
            _placeless(
                {
                    "changes": [
                        [
                            c.action,
                            c.item,
                            c.fields,
                            c.version,
                            "TEAM" if c.by == team else c.by.get_username(),
                        ]
                        for c in plan.changes.order_by("id").select_related("by")
                    ],
                    "plan": [
                        plan.stage,
                        plan.review,
                        plan.version,
                        plan.title,
                        plan.overall_impact,
                        plan.next_steps,
                    ],
                    "goals": [
                        [g.statement, g.targets.count(), g.strategies.count()]
                        for g in plan.goals.all()
                    ],
                    "checkpoints": list(plan.checkpoints.values_list("due", "title", "progress")),
                    "submissions": [
                        [s.number, s.stage, s.decision, s.comments, s.snapshot]
                        for s in plan.submissions.order_by("number")
                    ],
                    "tasks": sorted(plan.tasks_done.values_list("task", flat=True)),
                    "coreflections": list(
                        plan.coreflections.values_list("themes", "replies__text")
                    ),
                    "requests": list(plan.support_requests.values_list("status", "tried")),
                },
                plan,
            )
        )
    service, bulk = outcome
    assert len(service["changes"]) > 5
    if (seed, script) == (17, demo.OBSERVE):
        assert (
            len(service["submissions"]) == 2
        )  # each snapshot holds the checkpoints of its own moment
    assert _differences(service, bulk) == []


@pytest.mark.django_db
def test_it_refuses_to_load_the_demo_plans_twice(province) -> None:
    before = Plan.objects.count()
    with pytest.raises(ValueError, match="already holds improvement plans"):
        demo.build_demo_plans(seed=SEED)
    assert Plan.objects.count() == before == province["plans"]


def test_the_demo_gives_superintendents_families_and_the_ministry_its_boards(province) -> None:
    from capacity.directory import access
    from capacity.directory.models import Portfolio
    from capacity.planning.demo import portfolios

    assert portfolios.build(seed=SEED) == {"portfolios": 3}
    focus = User.objects.get(username=demo_province.FOCUS_SUPERINTENDENT)
    family = Portfolio.objects.get(holder=focus)
    focused = set(
        Plan.objects.filter(board=family.board, focused_intervention=True).values_list(
            "school_id", flat=True
        )
    )
    assert focused and set(family.schools.values_list("pk", flat=True)) == focused
    principal = Membership.objects.get(user__username="principal", role=Role.PRINCIPAL)
    assert (
        Portfolio.objects.get(holder__username="superintendent")
        .schools.filter(pk=principal.school_id)
        .exists()
    )
    officer = User.objects.get(username="ministry")
    access.forget_scope(officer)
    scope = access.scope_for(officer)
    assert family.board_id in scope.portfolio_board_ids
    assert len(scope.portfolio_board_ids) == min(4, portfolios.BOARDS_LOOKED_AFTER)
