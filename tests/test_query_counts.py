"""Every list page and API list costs the same number of queries for one row as for three.

A list that reads a related row per item (an N+1) shows up here as a count that grows
with the rows. Each case builds its rows in its own board and schools so that a missed
`select_related` on the board or the school is caught too. The count is taken on a
second request (the first warms the session, the scope and any cached figures), once
with one row and once with three.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capacity.audit.models import Action
from capacity.audit.services import audit_record
from capacity.directory.models import Board, Role, School, User
from capacity.directory.services import api_token_create
from capacity.evidence.analytics.policy import POLICY_DIR
from capacity.evidence.models import Assessment, Policy, Result, ResultImport
from capacity.evidence.selectors import forget_data_version
from capacity.evidence.services import assessments_ensure
from capacity.planning import services as planning
from capacity.planning.models import Kind, Plan, Timeline
from capacity.schoolyears import school_year_label
from tests.evidence.conftest import results_for
from tests.factories import (
    BoardFactory,
    MembershipFactory,
    NetworkFactory,
    ProvinceFactory,
    SchoolFactory,
    UserFactory,
)


@dataclass
class Setting:
    """A province with a ministry officer who sees everything, and one board for the board page."""

    ministry: object
    board: Board
    made: list[School]
    people: dict[str, Any] = field(default_factory=dict)  # the home pages' personas, made once


@pytest.fixture
def setting(db) -> Setting:
    province = ProvinceFactory()
    ministry = UserFactory(username="counting_ministry")
    MembershipFactory(user=ministry, role=Role.MINISTRY_OFFICER, province=province)
    board = BoardFactory(province=province, number="B77000", name="Counting District School Board")
    return Setting(ministry=ministry, board=board, made=[])


def _school(setting: Setting, *, own_board: bool = True) -> School:
    """A new school, in a board of its own unless it is for the board page."""
    board = BoardFactory(province=setting.board.province) if own_board else setting.board
    school = SchoolFactory(board=board)
    setting.made.append(school)
    return school


def _principal(school: School):
    user = UserFactory(username=f"principal_{school.number}")
    MembershipFactory(user=user, role=Role.PRINCIPAL, school=school)
    return user


def add_school(setting: Setting) -> str:
    return _school(setting).name


def add_board_leader(setting: Setting) -> str:
    """The board page lists the board's leaders (its schools are a link to the schools page)."""
    school = _school(setting, own_board=False)
    user = UserFactory(username=f"leader_{school.number}", display_name=f"Leader {school.number}")
    MembershipFactory(
        user=user, role=Role.BOARD_LEADER, board=setting.board, title="Superintendent"
    )
    return str(user)


def add_board(setting: Setting) -> str:
    return _school(setting).board.name


def add_network(setting: Setting) -> str:
    network = NetworkFactory()
    network.schools.add(_school(setting), _school(setting))
    return network.name


def add_plan(setting: Setting) -> str:
    school = _school(setting)
    planning.plan_create(user=_principal(school), school=school, school_year="2018-19")
    return school.name


def add_support_request(setting: Setting) -> str:
    school = _school(setting)
    principal = _principal(school)
    plan = planning.plan_create(user=principal, school=school, school_year="2018-19")
    planning.support_request_create(
        user=principal,
        school=school,
        plan=plan,
        tried="Math talks",
        needs=["people"],
        to_ministry=True,
    )
    return school.name


def add_result(setting: Setting) -> str:
    ids = assessments_ensure()
    school = _school(setting)
    Result.objects.create(
        school=school,
        school_year="2018-19",
        assessment_id=next(iter(ids.values())),
        group="all",
        participating=30,
        pct_at_standard=60.0,
    )
    return school.number


def add_token(setting: Setting) -> str:
    name = f"token {len(setting.made)}"
    setting.made.append(_school(setting))
    api_token_create(user=setting.ministry, name=name)
    return name


def add_audit_entry(setting: Setting) -> str:
    school = _school(setting)
    audit_record(
        actor=UserFactory(username=f"actor_{school.number}"),
        action=Action.USER_CREATED,
        target=f"Counted {school.number}",
    )
    return f"Counted {school.number}"


def add_result_import(setting: Setting) -> str:
    school = _school(setting)
    uploader = UserFactory(username=f"uploader_{school.number}")
    job = ResultImport.objects.create(
        uploaded_by=uploader,
        file="imports/results.csv",
        original_name=f"results-{school.number}.csv",
    )
    return job.original_name


def add_timeline(setting: Setting) -> str:
    board = _school(setting).board
    Timeline.objects.create(
        board=board,
        school_year="2018-19",
        kind=Kind.SCHOOL,
        submit_by=datetime.date(2018, 10, 1),
        act_by=datetime.date(2018, 11, 1),
        observe_by=datetime.date(2019, 2, 1),
        reflect_by=datetime.date(2019, 6, 1),
    )
    return board.name


def add_responsibility(setting: Setting) -> str:
    """The home page lists the person's roles, each board's with its school counts."""
    board = _school(setting).board
    MembershipFactory(
        user=setting.ministry, role=Role.BOARD_LEADER, board=board, title="Superintendent"
    )
    return board.name


# --- the home page of each persona: rows that grow with what needs them --------------------


def _home_school(setting: Setting) -> School:
    """One school of the counting board with its principal, teacher and board leader, and a plan."""
    if "school" not in setting.people:
        school = _school(setting, own_board=False)
        setting.people["school"] = school
        setting.people["principal"] = _principal(school)
        for role, key, org in (
            (Role.TEACHER, "teacher", {"school": school}),
            (Role.BOARD_LEADER, "leader", {"board": setting.board}),
            (Role.TRUSTEE, "trustee", {"board": setting.board}),
        ):
            user = UserFactory(username=f"home_{key}")
            MembershipFactory(user=user, role=role, **org)
            setting.people[key] = user
        plan = planning.plan_create(
            user=setting.people["principal"], school=school, school_year="2018-19"
        )
        setting.people["plan"] = plan
        board_plan = planning.plan_create(
            user=setting.people["leader"], board=setting.board, school_year="2018-19"
        )
        setting.people["board_plan"] = board_plan
    return setting.people["school"]


def _person(key: str) -> Callable[[Setting], Any]:
    def who(setting: Setting) -> Any:
        _home_school(setting)
        return setting.people[key]

    return who


def add_plan_to_review(setting: Setting) -> str:
    """A board leader's home lists their schools' plans waiting for review."""
    _home_school(setting)
    school = _school(setting, own_board=False)
    principal = _principal(school)
    plan = planning.plan_create(user=principal, school=school, school_year="2018-19")
    planning.goal_add(plan=plan, user=principal, seen=plan.version, statement="Writing")
    planning.plan_submit(plan=plan, user=principal, seen=plan.version)
    return school.name


def add_answered_request(setting: Setting) -> str:
    """A principal's home lists the answers to the school's support requests."""
    school = _home_school(setting)
    request = planning.support_request_create(
        user=setting.people["principal"], school=school, tried="Math talks", needs=["people"]
    )
    answer = f"A coach, answer {request.pk}"
    planning.support_request_answer(
        request=request, user=setting.people["leader"], answer=answer, provided=["people"]
    )
    return answer


def add_teachers_strategy(setting: Setting) -> str:
    """A teacher's home lists the school plan's goals and the strategies for teachers."""
    _home_school(setting)
    plan = setting.people["plan"]
    plan.refresh_from_db()
    goal = planning.goal_add(
        plan=plan, user=setting.people["principal"], seen=plan.version, statement="Reading"
    )
    action = f"Number talks, strategy {goal.pk}"
    planning.strategy_add(
        goal=goal,
        user=setting.people["principal"],
        seen=plan.version,
        action=action,
        responsible="All teachers",
    )
    return action


def add_board_goal(setting: Setting) -> str:
    """A trustee's home lists the board plan's goals with their targets' progress."""
    _home_school(setting)
    plan = setting.people["board_plan"]
    plan.refresh_from_db()
    statement = f"Board goal {plan.version}"
    planning.goal_add(
        plan=plan, user=setting.people["leader"], seen=plan.version, statement=statement
    )
    return statement


def add_board_plan_to_review(setting: Setting) -> str:
    """A ministry officer's home lists board plans waiting for review."""
    board = _school(setting).board
    leader = UserFactory(username=f"leader_{board.number}")
    MembershipFactory(user=leader, role=Role.BOARD_LEADER, board=board)
    plan = planning.plan_create(user=leader, board=board, school_year="2018-19")
    planning.goal_add(plan=plan, user=leader, seen=plan.version, statement="Writing")
    planning.plan_submit(plan=plan, user=leader, seen=plan.version)
    return board.name


def _facilitator(setting: Setting) -> Any:
    """The facilitator of one network (made once)."""
    if "network" not in setting.people:
        setting.people["network"] = NetworkFactory()
        setting.people["facilitator"] = UserFactory(username="home_facilitator")
        MembershipFactory(
            user=setting.people["facilitator"],
            role=Role.NETWORK_FACILITATOR,
            network=setting.people["network"],
        )
    return setting.people["facilitator"]


def add_network_school(setting: Setting) -> str:
    """A facilitator's home lists the network's schools."""
    _facilitator(setting)
    school = _school(setting)
    setting.people["network"].schools.add(school)
    return school.name


# --- evidence dashboards and API lists: rows that grow with schools, years and policies ----
# The analytics read whole tables through Ibis on the raw connection, which is not counted
# here; these cases catch a page or an API list that reads a row per school, year or policy.


def add_identified_school(setting: Setting, *, own_board: bool = True) -> str:
    """A school under 50% on five of six assessments two years running: identified, in its board's row."""
    school = _school(setting, own_board=own_board)
    for year in ("2017-18", "2018-19"):
        results_for(school, year, [40, 42, 30, 45, 48, 70])
    forget_data_version()
    return school.name


def add_board_school(setting: Setting) -> str:
    """The board evidence page lists each school's status and trend, and the board's group gaps."""
    name = add_identified_school(setting, own_board=False)
    results_for(setting.made[-1], "2018-19", [30, 35, 25, 40, 38, 60], group="female")
    forget_data_version()
    return name


def add_entering_school(setting: Setting) -> str:
    """At 55% two years running: not identified under 50%, entering under a 60% threshold."""
    school = _school(setting)
    for year in ("2017-18", "2018-19"):
        results_for(school, year, [55, 55, 55, 55, 55, 55])
    forget_data_version()
    return school.name


def _evidence_school(setting: Setting) -> School:
    """The one school of the counting board whose evidence page (or plan) is counted."""
    school = School.objects.filter(board=setting.board).order_by("pk").first()
    return school or _school(setting, own_board=False)


def add_result_year(setting: Setting) -> str:
    """The school evidence page has a row per school year with results."""
    school = _evidence_school(setting)
    years = set(Result.objects.filter(school=school).values_list("school_year", flat=True))
    year = school_year_label(2018 - len(years))
    results_for(school, year, [40, 42, 30, 45, 48, 70])
    forget_data_version()
    return year


def add_policy(setting: Setting) -> str:
    """Each stored policy is listed with its definition."""
    name = f"counted-{len(setting.made)}"
    setting.made.append(_school(setting))
    text = (POLICY_DIR / "ofip-2016.toml").read_text(encoding="utf-8")
    Policy.objects.create(
        name=name,
        version=1,
        title=name,
        definition=text.replace('name = "ofip-2016"', f'name = "{name}"', 1),
    )
    forget_data_version()
    return name


def _target_plan(setting: Setting) -> Plan:
    """The one school plan whose targets are counted."""
    school = _evidence_school(setting)
    plan = Plan.objects.filter(school=school).first()
    if plan is None:
        plan = planning.plan_create(user=_principal(school), school=school, school_year="2018-19")
    return plan


def add_target(setting: Setting) -> str:
    """A plan's targets are listed with their progress, measured from the school's results."""
    plan = _target_plan(setting)
    principal = User.objects.get(username=f"principal_{plan.school.number}")
    statement = f"Numeracy goal {plan.goals.count() + 1}"
    goal = planning.goal_add(plan=plan, user=principal, seen=plan.version, statement=statement)
    plan.refresh_from_db()
    planning.target_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        assessment=Assessment.objects.get(code="G6-MATH"),
        baseline_year="2017-18",
        baseline_value=40.0,
        target_value=60.0,
        target_year="2019-20",
    )
    return statement


def add_entered_target(setting: Setting) -> str:
    """A target the team measures itself: its progress comes from its dated entries."""
    plan = _target_plan(setting)
    principal = User.objects.get(username=f"principal_{plan.school.number}")
    statement = f"Belonging goal {plan.goals.count() + 1}"
    goal = planning.goal_add(plan=plan, user=principal, seen=plan.version, statement=statement)
    plan.refresh_from_db()
    planning.target_add(
        goal=goal,
        user=principal,
        seen=plan.version,
        measure="custom",
        description="Survey: students who feel they belong",
        target_value=80,
        target_year="2019-20",
    )
    return statement


@dataclass(frozen=True)
class Case:
    path: Callable[[Setting], str]
    add: Callable[[Setting], str]
    api: bool = False
    who: Callable[[Setting], Any] | None = None  # who signs in (the ministry officer by default)


CASES = {
    "home page": Case(lambda s: "/", add_responsibility),
    "home page, board leader": Case(lambda s: "/", add_plan_to_review, who=_person("leader")),
    "home page, principal": Case(lambda s: "/", add_answered_request, who=_person("principal")),
    "home page, teacher": Case(lambda s: "/", add_teachers_strategy, who=_person("teacher")),
    "home page, trustee": Case(lambda s: "/", add_board_goal, who=_person("trustee")),
    "home page, ministry": Case(lambda s: "/", add_board_plan_to_review),
    "home page, facilitator": Case(lambda s: "/", add_network_school, who=_facilitator),
    "schools page": Case(lambda s: "/schools/", add_school),
    "boards page": Case(lambda s: "/boards/", add_board),
    "board page": Case(lambda s: f"/boards/{s.board.number}/", add_board_leader),
    "networks page": Case(lambda s: "/networks/", add_network),
    "plans dashboard": Case(lambda s: "/plans/", add_plan),
    "support page": Case(lambda s: "/support/", add_support_request),
    "tokens page": Case(lambda s: "/account/tokens/", add_token),
    "audit log": Case(lambda s: "/audit/", add_audit_entry),
    "schools page, sorted": Case(lambda s: "/schools/?sort=-enrolment", add_school),
    "boards page, sorted": Case(lambda s: "/boards/?sort=-secondary", add_board),
    "plans dashboard, sorted": Case(lambda s: "/plans/?sort=stage", add_plan),
    "support page, sorted": Case(lambda s: "/support/?sort=-from", add_support_request),
    "audit log, sorted and filtered": Case(
        lambda s: "/audit/?sort=by&person=actor&date_from=2000-01-01", add_audit_entry
    ),
    "result imports page": Case(lambda s: "/evidence/imports/", add_result_import),
    "timelines page": Case(lambda s: "/plans/timelines/", add_timeline),
    "api schools": Case(lambda s: "/api/schools", add_school, api=True),
    "api boards": Case(lambda s: "/api/boards", add_board, api=True),
    "api results": Case(lambda s: "/api/results", add_result, api=True),
    "api plans": Case(lambda s: "/api/plans", add_plan, api=True),
    "api support requests": Case(lambda s: "/api/support-requests", add_support_request, api=True),
    "province evidence": Case(lambda s: "/evidence/?year=2018-19", add_identified_school),
    "board evidence": Case(lambda s: f"/boards/{s.board.number}/evidence/", add_board_school),
    "school evidence": Case(
        lambda s: f"/schools/{_evidence_school(s).number}/evidence/", add_result_year
    ),
    "simulator": Case(
        lambda s: (
            "/evidence/simulate/?year=2018-19&current=ofip-2016&proposed=ofip-2016&threshold=60"
        ),
        add_entering_school,
    ),
    "api identification": Case(lambda s: "/api/identification", add_identified_school, api=True),
    "api policies": Case(lambda s: "/api/policies", add_policy, api=True),
    "api plan targets": Case(
        lambda s: f"/api/plans/{_target_plan(s).pk}/targets", add_target, api=True
    ),
    "api plan targets, entered": Case(
        lambda s: f"/api/plans/{_target_plan(s).pk}/targets", add_entered_target, api=True
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_list_costs_the_same_queries_for_one_row_or_three(
    client, setting, case, django_assert_num_queries
) -> None:
    headers: dict[str, str] = {}
    if case.api:
        _, key = api_token_create(user=setting.ministry, name="query counts")
        headers = {"Authorization": f"Bearer {key}"}
    else:
        client.force_login(case.who(setting) if case.who else setting.ministry)
    path = case.path(setting)

    def shown(response, marks: list[str]) -> None:
        assert response.status_code == 200, response.content[:300]
        text = response.content.decode()
        assert all(mark in text for mark in marks), f"{path} does not show every row"

    marks = [case.add(setting)]
    shown(client.get(path, headers=headers), marks)  # warm the session, the scope and the caches
    with CaptureQueriesContext(connection) as captured:
        shown(client.get(path, headers=headers), marks)
    one = len(captured)

    marks += [case.add(setting), case.add(setting)]
    shown(client.get(path, headers=headers), marks)
    with django_assert_num_queries(one):
        shown(client.get(path, headers=headers), marks)
