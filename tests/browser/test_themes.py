"""The themes pages in a real browser, on a 390 px phone and a wide screen, in English and
French: axe finds nothing and nothing scrolls sideways (wide tables scroll in their own boxes)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from capacity.directory.models import SchoolContext
from capacity.planning.models import Goal, Plan
from tests.browser.phone import fits, sign_in
from tests.planning.kit_themes import coreflection_a1, goal_a1, strategy_a1, timeline_a

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def lived(world) -> Plan:
    strategy = strategy_a1(world)
    coreflection_a1(world)
    timeline_a(world)
    Goal.objects.filter(pk=goal_a1(world).pk).update(lessons=["equity", "literacy_mathematics"])
    SchoolContext.objects.create(school=world.school_a1, school_year="2018-19", pct_low_income=35.0)
    SchoolContext.objects.create(school=world.school_b1, school_year="2018-19", pct_low_income=9.0)
    old = Plan.objects.create(
        kind="school",
        school=world.school_b1,
        board=world.board_b,
        school_year="2017-18",
        stage="closed",
    )
    Goal.objects.create(plan=old, statement="Readers", lessons=["literacy_mathematics"])
    return strategy.goal.plan


def check(page, axe_check) -> None:
    fits(page)
    axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page)
    page.set_viewport_size({"width": 390, "height": 844})


def french(page, locale: str) -> None:
    if locale.startswith("fr") and page.locator("html").get_attribute("lang") != "fr":
        page.locator("form.lang-switch button").click()
        expect(page.locator("html")).to_have_attribute(
            "lang", "fr"
        )  # the switch posts and comes back


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_the_team_tags_lessons_and_picks_a_circumstances_strategy_on_a_phone(
    browser, live_server, world, axe_check, locale
) -> None:
    plan = lived(world)
    page = sign_in(browser, live_server, "principal_a1", locale=locale)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    french(page, locale)
    expect(page.locator("#themes-panel-h")).to_be_visible()
    check(page, axe_check)
    page.goto(f"{live_server.url}/plans/{plan.pk}/themes/")
    check(page, axe_check)
    page.goto(f"{live_server.url}/plans/{plan.pk}/circumstances/")
    expect(page.locator("#c-resources-h .tag")).to_be_visible()
    check(page, axe_check)
    page.locator("#id_resources-example_0").check()
    page.locator("#id_resources-responsible").fill("Principal")
    page.locator("#c-resources-add").locator("xpath=..").locator("button[type=submit]").click()
    expect(page.locator("section small", has_text="(Principal)")).to_be_visible()
    assert plan.goals.first().strategies.exclude(circumstance="").count() == 1


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_the_ministry_reads_the_provinces_counts_on_a_phone(
    browser, live_server, world, axe_check, locale
) -> None:
    lived(world)
    page = sign_in(browser, live_server, "ministry", locale=locale)
    page.goto(f"{live_server.url}/plans/themes/")
    french(page, locale)
    expect(page.locator("#rising-h")).to_be_visible()
    check(page, axe_check)
    page.goto(f"{live_server.url}/plans/themes/boards/{world.board_a.number}/")
    check(page, axe_check)
