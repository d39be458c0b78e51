"""The themes part's pages (planning/views_themes.py) and its panel on the plan page and list."""

from __future__ import annotations

from capacity.directory.models import SchoolContext
from capacity.planning.models import CoReflection, Goal, Strategy
from tests.planning.kit_themes import coreflection_a1, goal_a1, plan_a1, strategy_a1, timeline_a


def test_the_ministry_reads_the_provinces_counts(client, world) -> None:
    goal = goal_a1(world)
    Goal.objects.filter(pk=goal.pk).update(lessons=["equity"])
    client.force_login(world.personas["ministry"])
    response = client.get("/plans/themes/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ensure equity as the foundation for excellence" in text
    assert "Building leadership for learning" in text
    assert world.board_a.name in text


def test_a_board_leader_reads_the_boards_counts_and_not_the_provinces(client, world) -> None:
    client.force_login(world.personas["board_a"])
    assert client.get(f"/plans/themes/boards/{world.board_a.number}/").status_code == 200
    assert client.get("/plans/themes/").status_code == 403
    assert client.get(f"/plans/themes/boards/{world.board_b.number}/").status_code == 403


def test_the_csv_has_a_row_per_lesson_and_theme(client, world) -> None:
    goal = goal_a1(world)
    Goal.objects.filter(pk=goal.pk).update(lessons=["equity"])
    client.force_login(world.personas["ministry"])
    response = client.get("/plans/themes.csv?year=2018-19")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert (
        lines[0]
        == "school_year,level,code,name,plans,share_of_plans,goals,strategies,coreflections"
    )
    assert lines[1].startswith(
        "2018-19,lesson,equity,Ensure equity as the foundation for excellence,1,100.0,1,0,0"
    )
    assert len(lines) == 13
    client.force_login(world.personas["board_a"])
    assert client.get(f"/plans/themes.csv?board={world.board_a.number}").status_code == 200
    assert client.get("/plans/themes.csv").status_code == 403


def test_the_team_tags_a_goal_on_the_plans_themes_page(client, world) -> None:
    goal = goal_a1(world)
    plan = goal.plan
    plan.refresh_from_db()
    client.force_login(world.personas["principal_a1"])
    page = client.get(f"/plans/{plan.pk}/themes/")
    assert page.status_code == 200 and f"goal-{goal.pk}-lessons" in page.content.decode()
    response = client.post(
        f"/plans/{plan.pk}/themes/goal/{goal.pk}/",
        {
            f"goal-{goal.pk}-lessons": ["equity", "monitor_impact"],
            f"goal-{goal.pk}-version": plan.version,
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.lessons == ["equity", "monitor_impact"]


def test_a_stale_version_is_refused_with_a_message(client, world) -> None:
    goal = goal_a1(world)
    plan = goal.plan
    plan.refresh_from_db()
    client.force_login(world.personas["principal_a1"])
    response = client.post(
        f"/plans/{plan.pk}/themes/goal/{goal.pk}/",
        {f"goal-{goal.pk}-lessons": ["equity"], f"goal-{goal.pk}-version": plan.version - 1},
        follow=True,
    )
    assert "Someone else changed this plan" in response.content.decode()
    goal.refresh_from_db()
    assert goal.lessons == []


def test_an_unknown_lesson_is_a_field_error(client, world) -> None:
    strategy = strategy_a1(world)
    plan = plan_a1(world)
    client.force_login(world.personas["team_a1"])
    response = client.post(
        f"/plans/{plan.pk}/themes/strategy/{strategy.pk}/",
        {
            f"strategy-{strategy.pk}-lessons": ["poverty"],
            f"strategy-{strategy.pk}-version": plan.version,
        },
    )
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    assert Strategy.objects.get(pk=strategy.pk).lessons == []


def test_the_reviewer_tags_a_co_reflection_and_the_team_may_not(client, world) -> None:
    entry = coreflection_a1(world)
    plan = entry.plan
    url = f"/plans/{plan.pk}/themes/coreflection/{entry.pk}/"
    data = {
        f"coreflection-{entry.pk}-lessons": ["leadership"],
        f"coreflection-{entry.pk}-version": "",
    }
    client.force_login(world.personas["principal_a1"])
    assert client.post(url, data).status_code == 403
    client.force_login(world.personas["board_a"])
    assert client.post(url, data).status_code == 302
    assert CoReflection.objects.get(pk=entry.pk).lessons == ["leadership"]


def test_the_circumstances_page_suggests_with_why_and_adds_a_strategy(client, world) -> None:
    goal = goal_a1(world)
    plan = goal.plan
    plan.refresh_from_db()
    SchoolContext.objects.create(school=world.school_a1, school_year="2018-19", pct_low_income=30.0)
    SchoolContext.objects.create(school=world.school_b1, school_year="2018-19", pct_low_income=10.0)
    client.force_login(world.personas["principal_a1"])
    page = client.get(f"/plans/{plan.pk}/circumstances/").content.decode()
    assert "suggested" in page and "the province's top quarter starts at 30%" in page
    response = client.post(
        f"/plans/{plan.pk}/circumstances/",
        {
            "social_capital-circumstance": "social_capital",
            "social_capital-example": "Offer after-school tutoring",
            "social_capital-goal": goal.pk,
            "social_capital-responsible": "Vice-principal",
            "social_capital-version": plan.version,
            "circumstance": "social_capital",
        },
    )
    assert response.status_code == 302
    strategy = Strategy.objects.get(goal=goal)
    assert (strategy.action, strategy.circumstance) == (
        "Offer after-school tutoring",
        "social_capital",
    )


def test_an_own_strategy_needs_words(client, world) -> None:
    goal = goal_a1(world)
    plan = goal.plan
    plan.refresh_from_db()
    client.force_login(world.personas["principal_a1"])
    response = client.post(
        f"/plans/{plan.pk}/circumstances/",
        {
            "resources-circumstance": "resources",
            "resources-example": "own",
            "resources-own": "  ",
            "resources-goal": goal.pk,
            "resources-responsible": "Principal",
            "resources-version": plan.version,
            "circumstance": "resources",
        },
    )
    assert response.status_code == 400
    assert "Write the strategy your team will carry out." in response.content.decode()
    assert not Strategy.objects.exists()


def test_the_plan_page_and_list_show_what_is_late(client, world) -> None:
    timeline_a(world)
    plan = plan_a1(world)
    client.force_login(world.personas["principal_a1"])
    # Every date of 2018-19 has passed: the plan, still in Plan, is late with each step.
    detail = client.get(f"/plans/{plan.pk}/").content.decode()
    listing = client.get("/plans/").content.decode()
    assert "Not in Act by the timeline&#x27;s date" in detail
    assert "Not in Act by the timeline&#x27;s date" in listing
    assert f"/plans/{plan.pk}/circumstances/" in detail


def test_the_plans_themes_headings_read_in_french_with_a_space_before_the_colon(
    client, world
) -> None:
    from django.conf import settings

    goal = goal_a1(world)
    strategy_a1(world)
    client.force_login(world.personas["principal_a1"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    text = client.get(f"/plans/{goal.plan.pk}/themes/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Objectif\u00a0: " in text and "Stratégie\u00a0: " in text
    assert "Objectif: " not in text and "Stratégie: " not in text
