"""Planning's rules in the access module: pure functions of the scope, and roles out of force count nowhere.

Who may act for a school's or a board's team, review a plan, set a timeline,
answer a support request and browse plans is decided by `access.Scope`'s
methods from the roles `scope_for` read once. Before, services and views asked
the memberships table themselves, so a role that had ended (or had not begun)
still let its holder review, answer, set dates and ask for support.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from capacity.directory import access
from capacity.directory.access import PlanRights, Scope
from capacity.directory.models import Membership, Role
from capacity.planning import services
from capacity.planning.models import Plan, SupportRequest, Timeline
from tests.factories import MembershipFactory, UserFactory

BOARD, OTHER_BOARD, SCHOOL, OTHER_SCHOOL = 1, 2, 10, 11

MINISTRY = Scope(province=True, province_writer=True, roles=frozenset({Role.MINISTRY_OFFICER}))
LEADER = Scope(
    board_ids=frozenset({BOARD}),
    writable_board_ids=frozenset({BOARD}),
    led_board_ids=frozenset({BOARD}),
    roles=frozenset({Role.BOARD_LEADER}),
)
TRUSTEE = Scope(board_ids=frozenset({BOARD}), roles=frozenset({Role.TRUSTEE}))
PRINCIPAL = Scope(
    school_ids=frozenset({SCHOOL}),
    writable_school_ids=frozenset({SCHOOL}),
    team_school_ids=frozenset({SCHOOL}),
    roles=frozenset({Role.PRINCIPAL}),
)
TEAM = Scope(
    school_ids=frozenset({SCHOOL}),
    team_school_ids=frozenset({SCHOOL}),
    roles=frozenset({Role.SCHOOL_TEAM}),
)
TEACHER = Scope(school_ids=frozenset({SCHOOL}), roles=frozenset({Role.TEACHER}))
FACILITATOR = Scope(network_ids=frozenset({5}), roles=frozenset({Role.NETWORK_FACILITATOR}))
NOBODY = Scope()

READ, EDIT, REVIEW, NONE = (
    PlanRights(read=True),
    PlanRights(True, True),
    PlanRights(True, False, True),
    PlanRights(),
)


@pytest.mark.parametrize(
    ("scope", "school_plan", "other_school_plan", "board_plan", "other_board_plan"),
    [
        (MINISTRY, REVIEW, REVIEW, REVIEW, REVIEW),
        (LEADER, REVIEW, REVIEW, EDIT, NONE),
        (TRUSTEE, READ, READ, READ, NONE),
        (PRINCIPAL, EDIT, NONE, NONE, NONE),
        (TEAM, EDIT, NONE, NONE, NONE),
        (TEACHER, READ, NONE, NONE, NONE),
        (FACILITATOR, NONE, NONE, NONE, NONE),
        (NOBODY, NONE, NONE, NONE, NONE),
    ],
    ids=[
        "ministry",
        "board leader",
        "trustee",
        "principal",
        "school team",
        "teacher",
        "facilitator",
        "nobody",
    ],
)
def test_plan_rights_follow_from_the_scope_alone(
    scope, school_plan, other_school_plan, board_plan, other_board_plan
) -> None:
    assert scope.rights_for_plan(board_id=BOARD, school_id=SCHOOL) == school_plan
    assert scope.rights_for_plan(board_id=BOARD, school_id=OTHER_SCHOOL) == other_school_plan
    assert scope.rights_for_plan(board_id=BOARD, school_id=None) == board_plan
    assert scope.rights_for_plan(board_id=OTHER_BOARD, school_id=None) == other_board_plan


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (
            MINISTRY,
            {
                "browse",
                "review",
                "timeline: board plans",
                "answer: board",
                "answer: ministry",
                "answer: other",
            },
        ),
        (LEADER, {"browse", "review", "act: board", "timeline: board", "answer: board", "compare"}),
        (TRUSTEE, {"browse"}),
        (PRINCIPAL, {"browse", "act: school"}),
        (TEAM, {"browse", "act: school"}),
        (TEACHER, {"browse"}),
        (FACILITATOR, set()),
        (NOBODY, set()),
    ],
    ids=[
        "ministry",
        "board leader",
        "trustee",
        "principal",
        "school team",
        "teacher",
        "facilitator",
        "nobody",
    ],
)
def test_who_may_do_what_in_planning_follows_from_the_scope_alone(scope, expected) -> None:
    allowed = {
        "browse": scope.may_browse_plans,
        "review": scope.may_review_plans,
        "act: school": scope.may_act_for_school(SCHOOL),
        "act: other school": scope.may_act_for_school(OTHER_SCHOOL),
        "act: board": scope.may_act_for_board(BOARD),
        "act: other board": scope.may_act_for_board(OTHER_BOARD),
        "timeline: board plans": scope.may_set_timeline(None),
        "timeline: board": scope.may_set_timeline(BOARD),
        "timeline: other board": scope.may_set_timeline(OTHER_BOARD),
        "answer: board": scope.may_answer_support(board_id=BOARD, to_ministry=False),
        "answer: ministry": scope.may_answer_support(board_id=BOARD, to_ministry=True),
        "answer: other": scope.may_answer_support(board_id=OTHER_BOARD, to_ministry=False),
        "compare": scope.may_compare_within_board(BOARD),
    }
    assert {name for name, yes in allowed.items() if yes} == expected


def test_the_scope_records_the_teams_a_person_is_on(world) -> None:
    assert access.scope_for(world.personas["board_a"]).led_board_ids == {world.board_a.pk}
    assert access.scope_for(world.personas["trustee_a"]).led_board_ids == frozenset()
    for name in ("principal_a1", "team_a1"):
        assert access.scope_for(world.personas[name]).team_school_ids == {world.school_a1.pk}
    assert access.scope_for(world.personas["teacher_a1"]).team_school_ids == frozenset()


def test_planning_decisions_cost_no_query_once_the_scope_is_read(
    world, django_assert_num_queries
) -> None:
    plan = Plan.objects.create(
        kind="school", school=world.school_a1, board=world.board_a, school_year="2018-19"
    )
    ask = SupportRequest.objects.create(
        board=world.board_a,
        school=world.school_a1,
        tried="Guided reading",
        needs=["people"],
        requested_by=world.personas["principal_a1"],
    )
    leader = world.personas["board_a"]
    access.scope_for(leader)
    with django_assert_num_queries(0):
        assert access.plan_rights(leader, plan).review
        assert access.can_answer_support_request(leader, ask)
        assert access.can_set_timeline(leader, world.board_a)
        assert access.comparison_scope(leader, world.school_a1) == world.board_a.number
        assert not access.can_act_for_school(leader, world.school_a1)


# --- roles out of force ----------------------------------------------------------------


def _yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def _tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def former_leader(world):
    """Still a teacher at A1 today; board A's leader until yesterday."""
    user = UserFactory(username="former_leader")
    MembershipFactory(user=user, role=Role.TEACHER, school=world.school_a1)
    MembershipFactory(
        user=user,
        role=Role.BOARD_LEADER,
        board=world.board_a,
        begins=datetime.date(2015, 9, 1),
        ends=_yesterday(),
    )
    return user


def test_an_ended_board_leader_no_longer_reviews_the_schools_plans(world, former_leader) -> None:
    plan = Plan.objects.create(
        kind="school", school=world.school_a1, board=world.board_a, school_year="2018-19"
    )
    assert access.plan_rights(former_leader, plan) == PlanRights(read=True)


def test_an_ended_board_leader_no_longer_compares_schools(world, former_leader) -> None:
    assert access.comparison_scope(former_leader, world.school_a1) is None


def test_an_ended_board_leader_may_not_answer_the_boards_support_requests(
    world, former_leader
) -> None:
    ask = SupportRequest.objects.create(
        board=world.board_a,
        school=world.school_a1,
        tried="Guided reading",
        needs=["people"],
        requested_by=world.personas["principal_a1"],
    )
    with pytest.raises(PermissionDenied):
        services.support_request_answer(
            request=ask, user=former_leader, answer="A coach on Tuesdays", provided=["people"]
        )
    ask.refresh_from_db()
    assert ask.answer == "" and ask.status == SupportRequest.Status.OPEN


def test_an_ended_board_leader_may_not_set_the_boards_timelines(
    client, world, former_leader
) -> None:
    client.force_login(former_leader)
    assert client.get("/plans/timelines/").status_code == 403
    response = client.post(
        "/plans/timelines/",
        {
            "place": world.board_a.number,
            "school_year": "2018-19",
            "submit_by": "2018-10-31",
            "act_by": "2018-11-30",
            "observe_by": "2019-03-31",
            "reflect_by": "2019-06-15",
        },
    )
    assert response.status_code == 403 and not Timeline.objects.exists()


@pytest.mark.parametrize(
    ("begins", "ends"),
    [(None, "yesterday"), ("tomorrow", None)],
    ids=["ended yesterday", "begins tomorrow"],
)
def test_a_school_team_role_out_of_force_may_not_ask_for_support(
    client, world, begins, ends
) -> None:
    user = UserFactory(username="not_now")
    day = {"yesterday": _yesterday(), "tomorrow": _tomorrow(), None: None}
    MembershipFactory(
        user=user, role=Role.SCHOOL_TEAM, school=world.school_a1, begins=day[begins], ends=day[ends]
    )
    with pytest.raises(PermissionDenied):
        services.support_request_create(
            user=user, school=world.school_a1, tried="Guided reading", needs=["people"]
        )
    client.force_login(user)
    assert client.get("/support/new/").status_code == 403
    assert not SupportRequest.objects.exists()


def test_a_school_team_member_in_force_acts_for_the_school(world) -> None:
    made = services.support_request_create(
        user=world.personas["team_a1"],
        school=world.school_a1,
        tried="Guided reading",
        needs=["people"],
    )
    assert made.board == world.board_a and not made.to_ministry
    plan = services.plan_create(
        user=world.personas["team_a1"], school=world.school_a1, school_year="2018-19"
    )
    assert access.plan_rights(world.personas["team_a1"], plan) == PlanRights(read=True, edit=True)


def test_a_trustee_reads_the_boards_plans_and_requests_and_changes_nothing(world) -> None:
    trustee = world.personas["trustee_a"]
    plan = Plan.objects.create(kind="board", board=world.board_a, school_year="2018-19")
    ask = SupportRequest.objects.create(
        board=world.board_a,
        school=world.school_a1,
        tried="Guided reading",
        needs=["people"],
        requested_by=world.personas["principal_a1"],
    )
    assert access.plan_rights(trustee, plan) == PlanRights(read=True)
    assert SupportRequest.objects.filter(access.support_requests_filter(trustee)).get() == ask
    assert not access.can_answer_support_request(trustee, ask)
    assert not access.can_set_timeline(trustee, world.board_a)
    with pytest.raises(PermissionDenied):
        services.support_request_create(
            user=trustee, board=world.board_a, tried="Guided reading", needs=["people"]
        )


def test_a_focused_intervention_plan_names_a_board_leader_in_force_as_its_contact(world) -> None:
    Membership.objects.filter(user=world.personas["board_a"]).update(
        begins=datetime.date(2015, 9, 1), ends=_yesterday()
    )
    successor = UserFactory(username="successor")
    MembershipFactory(user=successor, role=Role.BOARD_LEADER, board=world.board_a)
    identified = [SimpleNamespace(school_number=world.school_a1.number, reasons=[])]
    services.focused_intervention_start(school_year="2018-19", identified=identified, policy="test")
    assert Plan.objects.get(school=world.school_a1).support_contact == successor
