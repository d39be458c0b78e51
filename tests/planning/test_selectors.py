"""Planning's reads: scoped to the reader, filtered as asked, and the tallies the dashboards and home pages show.

Pages and the API are tested elsewhere; here each selector is called directly,
with numbers worked out by hand from the rows each test makes.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from capacity.evidence.models import Assessment
from capacity.evidence.services import assessments_ensure
from capacity.planning import selectors, services
from capacity.planning.models import (
    Checkpoint,
    Kind,
    Plan,
    Review,
    Stage,
    SupportRequest,
    Target,
    Timeline,
)
from capacity.planning.progress import MET, NO_DATA, OFF_TRACK, ON_TRACK, target_progress
from tests.evidence.conftest import results_for

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def plans(world) -> dict[str, Plan]:
    """A1's and B1's school plans and board A's plan, all for 2018-19 and in draft."""
    p = world.personas
    return {
        "a1": services.plan_create(
            user=p["principal_a1"], school=world.school_a1, school_year="2018-19"
        ),
        "board_a": services.plan_create(
            user=p["board_a"], board=world.board_a, school_year="2018-19"
        ),
        "b1": services.plan_create(
            user=p["principal_b1"], school=world.school_b1, school_year="2018-19"
        ),
    }


def goal(plan: Plan, user, **values):
    values.setdefault("statement", "Reading for meaning")
    return services.goal_add(plan=plan, user=user, seen=plan.version, **values)


def submit(plan: Plan, user) -> None:
    if not plan.goals.exists():
        goal(plan, user)
    services.plan_submit(plan=plan, user=user, seen=plan.version)


def ask(world, *, board: bool = False, days_ago: int = 0, **values) -> SupportRequest:
    """A support request from A1 (to board A) or from board A (to the ministry), asked `days_ago`."""
    owner = {"board": world.board_a} if board else {"school": world.school_a1}
    user = world.personas["board_a" if board else "principal_a1"]
    request = services.support_request_create(
        user=user, tried="Guided reading", needs=["people"], **owner, **values
    )
    SupportRequest.objects.filter(pk=request.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    request.refresh_from_db()
    return request


def ids(rows) -> set[int]:
    return {row.pk for row in rows}


def test_the_filters_narrow_the_plans_a_person_may_read(world, plans) -> None:
    ministry, principal = world.personas["ministry"], world.personas["principal_a1"]
    goal(plans["a1"], principal, area="mathematics")
    goal(plans["a1"], principal, area="mathematics", statement="Number sense")
    Plan.objects.filter(pk=plans["b1"].pk).update(focused_intervention=True, stage=Stage.ACT)
    assert ids(selectors.plans_filtered(ministry)) == ids(plans.values())
    assert ids(selectors.plans_filtered(ministry, board="B66002")) == {plans["b1"].pk}
    assert ids(selectors.plans_filtered(ministry, school="700001")) == {plans["a1"].pk}
    assert ids(selectors.plans_filtered(ministry, focused=True)) == {plans["b1"].pk}
    assert len(selectors.plans_filtered(ministry, focused=False)) == 2
    assert ids(selectors.plans_filtered(ministry, stage=Stage.ACT)) == {plans["b1"].pk}
    assert not selectors.plans_filtered(ministry, year="2017-18").exists()
    # Two goals in the area: the plan is listed once.
    assert list(selectors.plans_filtered(ministry, area="mathematics")) == [plans["a1"]]
    # The filters never widen what a person may read.
    assert ids(selectors.plans_filtered(world.personas["principal_b1"], board="B66001")) == set()


def test_one_plan_is_a_404_when_unknown_and_refused_outside_the_readers_scope(world, plans) -> None:
    plan = plans["a1"]
    with pytest.raises(Http404):
        selectors.get_plan_for_user(world.personas["ministry"], plan.pk + 1000)
    with pytest.raises(PermissionDenied):
        selectors.get_plan_for_user(world.personas["principal_b1"], plan.pk)
    _, team = selectors.get_plan_for_user(world.personas["principal_a1"], plan.pk)
    _, reviewer = selectors.get_plan_for_user(world.personas["board_a"], plan.pk)
    assert (team.edit, team.review, reviewer.edit, reviewer.review) == (True, False, False, True)


def test_an_item_of_another_plan_is_not_found_through_this_one(world, plans) -> None:
    theirs = goal(plans["b1"], world.personas["principal_b1"])
    ours = goal(plans["a1"], world.personas["principal_a1"])
    assert selectors.get_plan_item(plans["a1"], "goal", ours.pk) == ours
    with pytest.raises(Http404):
        selectors.get_plan_item(plans["a1"], "goal", theirs.pk)
    with pytest.raises(Http404):
        selectors.get_goal(plans["a1"], theirs.pk)


def test_a_support_request_is_a_404_when_unknown_and_refused_outside_the_scope(
    world, plans
) -> None:
    request = ask(world)
    assert selectors.get_request_for_user(world.personas["board_a"], request.pk) == request
    with pytest.raises(PermissionDenied):
        selectors.get_request_for_user(world.personas["principal_b1"], request.pk)
    with pytest.raises(Http404):
        selectors.get_request_for_user(world.personas["ministry"], request.pk + 1000)


def test_the_latest_decision_stays_on_top_while_a_resubmission_waits(world, plans) -> None:
    plan, principal = plans["a1"], world.personas["principal_a1"]
    assert selectors.plan_latest_decision(plan) is None
    submit(plan, principal)
    assert selectors.plan_latest_decision(plan) is None  # submitted, not decided
    services.plan_decide(
        plan=plan,
        user=world.personas["board_a"],
        accept=False,
        comments="Add a target",
        **services.review_basis(plan),
    )
    submit(plan, principal)
    latest = selectors.plan_latest_decision(plan)
    assert latest is not None and (latest.number, latest.comments) == (1, "Add a target")
    assert selectors.latest_returns(list(plans.values())) == {}  # resubmitted: no longer returned


def g6_math() -> Assessment:
    assessments_ensure()
    return Assessment.objects.get(code="G6-MATH")


def test_progress_of_many_targets_matches_each_targets_own(world, plans) -> None:
    school, board = plans["a1"], plans["board_a"]
    line = {
        "baseline_year": "2017-18",
        "baseline_value": 40,
        "target_value": 60,
        "target_year": "2019-20",
    }
    made = [
        services.target_add(
            goal=goal(school, world.personas["principal_a1"]),
            user=world.personas["principal_a1"],
            seen=school.version,
            assessment=g6_math(),
            **line,
        ),
        services.target_add(
            goal=goal(board, world.personas["board_a"]),
            user=world.personas["board_a"],
            seen=board.version,
            assessment=g6_math(),
            **line,
        ),
    ]
    results_for(world.school_a1, "2018-19", [0, 0, 0, 0, 0, 55])
    results_for(world.school_a2, "2018-19", [0, 0, 0, 0, 0, 35])
    targets = list(Target.objects.filter(pk__in=[t.pk for t in made]).select_related("goal__plan"))
    together = selectors.progress_by_target(targets)
    assert {t.pk: target_progress(t) for t in targets} == together
    # The line expects 50 in 2018-19: A1 has 55; the board (40 students each) has 45.
    assert [together[t.pk].status for t in made] == [ON_TRACK, OFF_TRACK]


def test_summaries_count_goals_targets_by_progress_and_open_requests(world, plans) -> None:
    principal, plan = world.personas["principal_a1"], plans["a1"]
    first = goal(plan, principal)
    goal(plan, principal, statement="Writing")
    for baseline, target in ((40, 45), (40, 90)):
        services.target_add(
            goal=first,
            user=principal,
            seen=plan.version,
            assessment=g6_math(),
            baseline_year="2017-18",
            baseline_value=baseline,
            target_value=target,
            target_year="2018-19",
        )
    results_for(world.school_a1, "2018-19", [0, 0, 0, 0, 0, 50])
    ask(world, plan=plan)
    answered = ask(world, plan=plan)
    services.support_request_answer(
        request=answered, user=world.personas["board_a"], answer="A coach", provided=[]
    )
    assert selectors.plan_summaries([]) == []
    summary = {s.plan.pk: s.as_dict() for s in selectors.plan_summaries(list(plans.values()))}
    assert summary[plan.pk]["goals"] == 2 and summary[plan.pk]["open_support_requests"] == 1
    assert summary[plan.pk]["targets"] == {ON_TRACK: 0, OFF_TRACK: 1, MET: 1, NO_DATA: 0}
    assert summary[plans["b1"].pk]["targets"] == {ON_TRACK: 0, OFF_TRACK: 0, MET: 0, NO_DATA: 0}
    assert (summary[plan.pk]["school_number"], summary[plans["board_a"].pk]["school_number"]) == (
        "700001",
        None,
    )


def test_reciprocity_sets_what_each_board_was_asked_against_what_it_gave(world, plans) -> None:
    Plan.objects.filter(pk__in=[plans["a1"].pk, plans["b1"].pk]).update(focused_intervention=True)
    # Everything is asked during 2018-19; the answers come on one day.
    answered_on = datetime.datetime(2018, 11, 20, 12, tzinfo=datetime.UTC)

    def asked(request: SupportRequest, days: int, *, by: str = "") -> None:
        if by:
            services.support_request_answer(
                request=request, user=world.personas[by], answer="Yes", provided=[]
            )
        SupportRequest.objects.filter(pk=request.pk).update(
            requested_at=answered_on - datetime.timedelta(days=days),
            answered_at=answered_on if by else None,
        )

    asked(ask(world, needed_by=TODAY - DAY), 10)  # open and overdue
    asked(ask(world, needed_by=TODAY + DAY), 1)  # open, not yet due
    for days in (2, 4):
        asked(ask(world), days, by="board_a")
    b1 = services.support_request_create(
        user=world.personas["principal_b1"], school=world.school_b1, tried="Tutor", needs=["people"]
    )
    asked(b1, 10, by="ministry")
    rows = {r.label: r for r in selectors.reciprocity(world.personas["ministry"], "2018-19")}
    alpha, beta, province = (
        rows["Alpha District School Board"],
        rows["Beta Catholic District School Board"],
        rows["The province"],
    )
    assert (alpha.identified, alpha.requests, alpha.answered, alpha.open, alpha.overdue) == (
        1,
        4,
        2,
        2,
        1,
    )
    assert alpha.median_days_to_answer == 3.0  # answered after 2 and 4 days
    assert (beta.requests, beta.median_days_to_answer) == (1, 10.0)
    assert (province.identified, province.requests, province.answered) == (2, 5, 3)
    assert province.median_days_to_answer == 4.0  # 2, 4 and 10 days
    # A board's leader sees their own board, and no province line.
    mine = selectors.reciprocity(world.personas["board_a"], "2018-19")
    assert [r.label for r in mine] == ["Alpha District School Board"]


def test_a_plan_leaning_on_the_wrong_drivers_is_flagged(world, plans) -> None:
    principal, plan = world.personas["principal_a1"], plans["a1"]
    first = goal(plan, principal)
    for drivers in (["accountability", "pedagogy"], ["accountability", "technology"]):
        services.strategy_add(
            goal=first,
            user=principal,
            seen=plan.version,
            action="Weekly data walls",
            responsible="Principal",
            drivers=drivers,
        )
    balance, leans_wrong = selectors.driver_balance(plan)
    counts = {code: n for code, _label, n in balance}
    assert (counts["accountability"], counts["pedagogy"], counts["technology"]) == (2, 1, 1)
    assert leans_wrong  # 3 wrong against 1 right
    services.strategy_add(
        goal=first,
        user=principal,
        seen=plan.version,
        action="Co-planning",
        responsible="Grade 6 team",
        drivers=["collaborative_work", "capacity_building"],
    )
    assert not selectors.driver_balance(plan)[1]  # 3 against 3: not more often


def test_more_than_four_goals_is_too_many(world, plans) -> None:
    plan, principal = plans["a1"], world.personas["principal_a1"]
    for n in range(4):
        goal(plan, principal, statement=f"Goal {n}")
    assert not selectors.too_many_goals(plan)
    goal(plan, principal, statement="Goal 5")
    assert selectors.too_many_goals(plan)


def test_a_board_answers_its_schools_requests_and_the_ministry_the_boards(world, plans) -> None:
    older, newer = ask(world, days_ago=3), ask(world, days_ago=1)
    to_ministry = ask(world, board=True)
    assert selectors.requests_to_answer(world.personas["board_a"]) == ([older, newer], 2)
    assert selectors.requests_to_answer(world.personas["board_a"], limit=1) == ([older], 2)
    assert selectors.requests_to_answer(world.personas["ministry"]) == ([to_ministry], 1)
    assert selectors.requests_to_answer(world.personas["principal_a1"]) == ([], 0)


def test_a_board_reviews_its_schools_plans_and_the_ministry_the_boards(world, plans) -> None:
    submit(plans["a1"], world.personas["principal_a1"])
    submit(plans["board_a"], world.personas["board_a"])
    submit(plans["b1"], world.personas["principal_b1"])
    assert selectors.plans_to_review(world.personas["board_a"]) == ([plans["a1"]], 1)
    assert selectors.plans_to_review(world.personas["ministry"]) == ([plans["board_a"]], 1)
    assert selectors.plans_to_review(world.personas["principal_a1"]) == ([], 0)


def timeline(board, kind: str, submit_by: datetime.date) -> Timeline:
    return Timeline.objects.create(
        board=board,
        school_year="2018-19",
        kind=kind,
        submit_by=submit_by,
        act_by=submit_by + 30 * DAY,
        observe_by=submit_by + 60 * DAY,
        reflect_by=submit_by + 90 * DAY,
    )


def test_a_plan_is_overdue_past_its_timeline_until_it_is_submitted(world, plans) -> None:
    timeline(world.board_a, Kind.SCHOOL, TODAY - DAY)  # board A's date for its schools
    timeline(None, Kind.BOARD, TODAY + DAY)  # the ministry's date for board plans
    overdue = selectors.overdue_plans(list(plans.values()))
    assert [(o.plan, o.submission_due, o.checkpoints) for o in overdue] == [
        (plans["a1"], TODAY - DAY, 0)
    ]
    submit(plans["a1"], world.personas["principal_a1"])
    assert selectors.overdue_plans(list(plans.values())) == []
    Plan.objects.filter(pk=plans["a1"].pk).update(review=Review.RETURNED)
    plans["a1"].refresh_from_db()
    assert [o.plan for o in selectors.overdue_plans([plans["a1"]])] == [plans["a1"]]


def test_overdue_checkpoints_count_until_recorded_and_not_in_a_closed_year(world, plans) -> None:
    a1, b1 = plans["a1"], plans["b1"]
    for plan, due in ((a1, TODAY - 2 * DAY), (a1, TODAY - DAY), (a1, TODAY), (b1, TODAY - DAY)):
        Checkpoint.objects.create(plan=plan, due=due, title="Look at student work")
    Checkpoint.objects.filter(plan=a1, due=TODAY - 2 * DAY).update(recorded_at=timezone.now())
    found = {o.plan.pk: o.checkpoints for o in selectors.overdue_plans([a1, b1])}
    assert found == {a1.pk: 1, b1.pk: 1}  # due today is not overdue yet
    by_board = selectors.overdue_by_board(world.personas["ministry"], year="2018-19")
    assert [(b.board, b.plans, b.checkpoints) for b in by_board] == [
        (world.board_a, 1, 1),
        (world.board_b, 1, 1),
    ]
    assert [c.due for c in selectors.open_checkpoints([a1, b1], until=TODAY)] == [
        TODAY - DAY,
        TODAY - DAY,
        TODAY,
    ]
    Plan.objects.filter(pk=b1.pk).update(stage=Stage.CLOSED)
    b1.refresh_from_db()
    assert selectors.overdue_plans([b1]) == []
    assert selectors.open_checkpoints([b1], until=TODAY) == []


def test_the_current_plan_of_each_place_is_its_newest(world, plans) -> None:
    principal = world.personas["principal_a1"]
    older = services.plan_create(user=principal, school=world.school_a1, school_year="2017-18")
    current = selectors.current_plans(
        world.personas["board_a"],
        school_ids=frozenset({world.school_a1.pk, world.school_b1.pk}),
        board_ids=frozenset({world.board_a.pk}),
    )
    assert plans["a1"] in current and plans["board_a"] in current
    assert older not in current and plans["b1"] not in current  # B1 is outside board A's scope
    assert selectors.current_plans(principal, school_ids=frozenset(), board_ids=frozenset()) == []


def test_a_teams_requests_are_the_open_ones_and_those_answered_lately(world, plans) -> None:
    still_open = ask(world)
    lately, long_ago = ask(world), ask(world)
    for request in (lately, long_ago):
        services.support_request_answer(
            request=request, user=world.personas["board_a"], answer="Yes", provided=[]
        )
    SupportRequest.objects.filter(pk=long_ago.pk).update(answered_at=timezone.now() - 30 * DAY)
    found = selectors.team_requests(
        world.personas["principal_a1"],
        school_ids=frozenset({world.school_a1.pk}),
        board_ids=frozenset(),
        since=timezone.now() - 7 * DAY,
    )
    assert ids(found) == {still_open.pk, lately.pk}
