"""Portfolios on the dashboards: a superintendent's family of schools and a ministry officer's
boards narrow the review and answer lists and the home page's school lists to what they look
after, and the home page leads to everyone's; without a portfolio nothing changes."""

from __future__ import annotations

from capacity.directory import access
from capacity.directory.services_portfolios import portfolio_save
from capacity.planning import selectors, services
from capacity.planning.models import Plan


def _submitted(world, school, principal) -> Plan:
    plan = services.plan_create(user=principal, school=school, school_year="2018-19")
    services.goal_add(plan=plan, user=principal, seen=plan.version, statement="Reading")
    plan.refresh_from_db()
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    return plan


def _family(world, *schools) -> None:
    leader = world.personas["board_a"]
    portfolio_save(
        user=leader, name="North", holder=leader, board=world.board_a, schools=list(schools)
    )
    access.forget_scope(leader)


def test_a_family_narrows_the_plans_to_review_and_the_requests_to_answer(world) -> None:
    from capacity.directory.models import Role
    from tests.factories import MembershipFactory, UserFactory

    principal_a2 = UserFactory(username="principal_a2")
    MembershipFactory(user=principal_a2, role=Role.PRINCIPAL, school=world.school_a2)
    a1 = _submitted(world, world.school_a1, world.personas["principal_a1"])
    a2 = _submitted(world, world.school_a2, principal_a2)
    services.support_request_create(
        user=principal_a2, tried="Guided reading", needs=["people"], school=world.school_a2
    )
    leader = world.personas["board_a"]
    reviewed, count = selectors.plans_to_review(leader)
    assert count == 2 and set(reviewed) == {a1, a2}
    assert selectors.requests_to_answer(leader)[1] == 1
    _family(world, world.school_a1)
    # A2 is in nobody's family yet: its plan and request stay on the leader's lists, so narrowing
    # to a family never leaves an item on nobody's home page.
    assert selectors.plans_to_review(leader)[1] == 2
    assert selectors.requests_to_answer(leader)[1] == 1
    colleague = UserFactory(username="second_superintendent")
    MembershipFactory(user=colleague, role=Role.BOARD_LEADER, board=world.board_a)
    portfolio_save(
        user=colleague,
        name="South",
        holder=colleague,
        board=world.board_a,
        schools=[world.school_a2],
    )
    access.forget_scope(leader)
    assert selectors.plans_to_review(leader) == ([a1], 1)
    assert selectors.requests_to_answer(leader) == ([], 0)  # A2 is the colleague's now
    # The role still grants the whole board: A2's plan is in the plan list.
    assert a2 in selectors.plans_for(leader)


def test_the_home_page_says_the_lists_are_the_portfolios_and_leads_to_everyones(
    client, world
) -> None:
    _submitted(world, world.school_a1, world.personas["principal_a1"])
    client.force_login(world.personas["board_a"])
    before = client.get("/").content.decode()
    assert "Plans waiting for your review" in before
    _family(world, world.school_a2)
    after = client.get("/").content.decode()
    assert "Plans from your portfolio waiting for your review" in after
    assert "Every plan waiting for review" in after
    assert "Your family of schools" in after


def test_a_ministry_officers_boards_narrow_the_boards_plans_to_review(world) -> None:
    leader, officer = world.personas["board_a"], world.personas["ministry"]
    plan = services.plan_create(user=leader, board=world.board_a, school_year="2018-19")
    services.goal_add(plan=plan, user=leader, seen=plan.version, statement="Mathematics")
    plan.refresh_from_db()
    services.plan_submit(plan=plan, user=leader, seen=plan.version)
    assert selectors.plans_to_review(officer) == ([plan], 1)
    portfolio_save(user=officer, name="East", holder=officer, boards=[world.board_b])
    access.forget_scope(officer)
    assert selectors.plans_to_review(officer) == ([plan], 1)  # board A: in nobody's portfolio
    from capacity.directory.models import Role
    from tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory(username="second_officer")
    MembershipFactory(user=colleague, role=Role.MINISTRY_OFFICER, province=world.province)
    portfolio_save(user=officer, name="West", holder=colleague, boards=[world.board_a])
    access.forget_scope(officer)
    assert selectors.plans_to_review(officer) == ([], 0)


def test_the_plans_dashboard_filters_to_the_portfolio_when_asked(client, world) -> None:
    from capacity.directory.models import Role
    from tests.factories import MembershipFactory, UserFactory

    principal_a2 = UserFactory(username="principal_a2")
    MembershipFactory(user=principal_a2, role=Role.PRINCIPAL, school=world.school_a2)
    services.plan_create(
        user=world.personas["principal_a1"], school=world.school_a1, school_year="2018-19"
    )
    services.plan_create(user=principal_a2, school=world.school_a2, school_year="2018-19")
    client.force_login(world.personas["board_a"])
    page = client.get("/plans/").content.decode()
    assert "Only my portfolio" not in page  # no portfolio, no filter
    _family(world, world.school_a2)
    page = client.get("/plans/").content.decode()
    assert "Only my portfolio" in page
    assert world.school_a1.name in page and world.school_a2.name in page
    mine = client.get("/plans/?mine=yes").content.decode()
    assert world.school_a2.name in mine and world.school_a1.name not in mine
