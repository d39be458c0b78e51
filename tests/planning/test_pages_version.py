"""The planning pages' version (selectors.pages_version) and the parts kept under it.

Home sections, the plans dashboard and the province page are kept between requests
(capacity/fragments.py). These tests change the data as people do, through the
services, and check that the version moves and the next request shows the change.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from capacity.directory import services as directory_services
from capacity.directory.models import Role
from capacity.planning import selectors, services
from tests.evidence.conftest import results_for
from tests.factories import NetworkFactory, SchoolFactory, UserFactory
from tests.home.conftest import section_text

pytestmark = pytest.mark.django_db


def _moves(change) -> None:
    before = selectors.pages_version()
    change()
    assert selectors.pages_version() != before


def test_every_kind_of_change_moves_the_version(world) -> None:
    principal, leader = world.personas["principal_a1"], world.personas["board_a"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    _moves(
        lambda: services.goal_add(
            plan=plan, user=principal, seen=plan.version, statement="Every student writes"
        )
    )
    goal = plan.goals.get()
    _moves(
        lambda: services.item_update(item=goal, user=principal, seen=plan.version, statement="More")
    )
    _moves(lambda: services.task_check(plan=plan, user=principal, task="plan.champions"))
    request = services.support_request_create(
        user=principal, school=world.school_a1, tried="Guided reading", needs=["people"]
    )
    _moves(
        lambda: services.support_request_answer(
            request=request, user=leader, answer="A coach", provided=["people"]
        )
    )
    _moves(
        lambda: directory_services.membership_grant(
            user=UserFactory(), role=Role.TEACHER, organisation=world.school_a1
        )
    )
    _moves(lambda: NetworkFactory().schools.add(world.school_b1))
    _moves(lambda: SchoolFactory(board=world.board_a))
    _moves(lambda: results_for(world.school_a1, "2018-19", [50, 50, 50, 50, 50, 50]))
    _moves(
        lambda: LogEntry.objects.log_actions(
            user_id=leader.pk, queryset=[plan], action_flag=ADDITION, change_message="admin"
        )
    )


def test_the_day_is_part_of_the_version(world, monkeypatch) -> None:
    today = selectors.pages_version()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert selectors.pages_version() != today


def test_reading_the_home_page_again_costs_a_few_queries_and_shows_the_next_change(
    client, world
) -> None:
    principal, leader = world.personas["principal_a1"], world.personas["board_a"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    services.goal_add(plan=plan, user=principal, seen=plan.version, statement="Write daily")
    client.force_login(leader)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get("/").status_code == 200
    assert len(again) < len(first) / 2, (len(first), len(again))
    assert "Aspen Public School, plan for" not in section_text(client, leader, "home-review")

    plan.refresh_from_db()
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    assert "Aspen Public School, plan for 2018-19" in section_text(client, leader, "home-review")


def test_the_plans_dashboard_shows_a_submission_at_the_next_request(client, world) -> None:
    principal = world.personas["principal_a1"]
    plan = services.plan_create(user=principal, school=world.school_a1, school_year="2018-19")
    services.goal_add(plan=plan, user=principal, seen=plan.version, statement="Write daily")
    client.force_login(world.personas["board_a"])

    def aspen_row() -> str:
        page = client.get("/plans/").content.decode()
        return page[page.index("Aspen Public School") :].split("</tr>")[0]

    assert "Draft" in aspen_row()
    plan.refresh_from_db()
    services.plan_submit(plan=plan, user=principal, seen=plan.version)
    assert "Submitted for review" in aspen_row()


def test_the_dashboard_keeps_each_readers_own_plans(client, world) -> None:
    for person in ("principal_a1", "principal_b1"):
        services.plan_create(
            user=world.personas[person],
            school=world.school_a1 if person == "principal_a1" else world.school_b1,
            school_year="2018-19",
        )
    for person, mine, theirs in (
        ("principal_a1", "Aspen", world.school_b1.name),
        ("principal_b1", world.school_b1.name, "Aspen"),
    ):
        client.force_login(world.personas[person])
        page = client.get("/plans/").content.decode()
        assert mine in page and theirs not in page


def test_the_province_page_shows_new_results_at_the_next_request(client, world) -> None:
    client.force_login(world.personas["ministry"])
    assert "Aspen Public School" not in client.get("/evidence/").content.decode()
    for year in ("2017-18", "2018-19"):
        results_for(world.school_a1, year, [40, 42, 30, 45, 48, 70])
    assert "Aspen Public School" in client.get("/evidence/").content.decode()
