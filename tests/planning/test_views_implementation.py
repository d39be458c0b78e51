"""Implementation's pages: a strategy's review form (field errors, stale versions), the checkpoint
form naming strategies not reviewed, the plan page's panel, the roll-ups and their downloads."""

from __future__ import annotations

import csv
import io

import pytest

from capacity.planning.models import StrategyReview
from tests.planning.implementation_world import (
    checkpoints,
    reviewed,
    school_plan,
    strategies,
    today,
)


@pytest.fixture
def plan(world):
    return school_plan(world)


def signed_in(client, world, persona="principal_a1"):
    client.force_login(world.personas[persona])
    return client


def test_it_refuses_a_review_without_evidence_on_the_field(client, world, plan) -> None:
    url = f"/plans/{plan.pk}/strategies/{strategies(plan)[0].pk}/reviews/"
    response = signed_in(client, world).post(
        url,
        {"version": plan.version, "on": today().isoformat(), "status": "in_place", "evidence": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"]
    assert not StrategyReview.objects.exists()


def test_it_records_a_review_and_shows_the_history(client, world, plan) -> None:
    url = f"/plans/{plan.pk}/strategies/{strategies(plan)[0].pk}/reviews/"
    client = signed_in(client, world)
    response = client.post(
        url,
        {
            "version": plan.version,
            "on": today().isoformat(),
            "status": "in_place",
            "evidence": "Seen in five classrooms",
            "checkpoint": checkpoints(plan)[0].pk,
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Seen in five classrooms" in page and "In place" in page


def test_a_stale_form_is_refused_and_keeps_the_text(client, world, plan) -> None:
    stale = plan.version
    reviewed(world, plan)
    url = f"/plans/{plan.pk}/strategies/{strategies(plan)[1].pk}/reviews/"
    response = signed_in(client, world, "team_a1").post(
        url,
        {"version": stale, "on": today().isoformat(), "status": "started", "evidence": "My notes"},
    )
    assert response.status_code == 200
    assert response.context["conflict"] is not None
    assert "My notes" in response.content.decode()
    assert StrategyReview.objects.count() == 1


def test_readers_see_the_history_without_a_form(client, world, plan) -> None:
    reviewed(world, plan)
    url = f"/plans/{plan.pk}/strategies/{strategies(plan)[0].pk}/reviews/"
    response = signed_in(client, world, "trustee_a").get(url)
    assert response.status_code == 200 and response.context["form"] is None
    assert "Seen in four of six classrooms" in response.content.decode()


def test_the_checkpoint_form_reviews_each_strategy_and_names_the_rest(client, world, plan) -> None:
    first, second = strategies(plan)
    url = f"/plans/{plan.pk}/checkpoints/{checkpoints(plan)[0].pk}/review/"
    client = signed_in(client, world)
    response = client.post(
        url,
        {
            "version": plan.version,
            "on": today().isoformat(),
            f"status_{first.pk}": "started",
            f"evidence_{first.pk}": "",
            f"status_{second.pk}": "",
            f"evidence_{second.pk}": "Evidence without a status",
        },
    )
    form = response.context["form"]
    assert form.errors[f"evidence_{first.pk}"] and form.errors[f"status_{second.pk}"]
    response = client.post(
        url,
        {
            "version": plan.version,
            "on": today().isoformat(),
            f"status_{first.pk}": "started",
            f"evidence_{first.pk}": "Timetable",
        },
    )
    assert response.status_code == 302
    page = client.get(url)
    assert [s.pk for s in page.context["unreviewed"]] == [second.pk]
    assert "1 strategy not reviewed at this checkpoint" in page.content.decode()


def test_the_plan_page_shows_each_strategys_status_and_last_review(client, world, plan) -> None:
    reviewed(world, plan, status="in_place")
    page = signed_in(client, world, "teacher_a1").get(f"/plans/{plan.pk}/").content.decode()
    assert "Implementation of the strategies" in page
    assert "In place" in page and "never reviewed" in page
    # Today's review came after the past checkpoint without naming it: both count as not reviewed there.
    assert "2 strategies not reviewed" in page


def test_the_board_page_links_schools_for_leaders_not_trustees(client, world, plan) -> None:
    school_url = f"/plans/indicators/schools/{world.school_a1.number}/"
    leader = signed_in(client, world, "board_a").get(
        f"/plans/indicators/boards/{world.board_a.number}/"
    )
    assert school_url in leader.content.decode()
    client.logout()
    trustee = signed_in(client, world, "trustee_a").get(
        f"/plans/indicators/boards/{world.board_a.number}/"
    )
    assert trustee.status_code == 200 and school_url not in trustee.content.decode()


def test_the_board_csv_neutralises_formulas(client, world, plan) -> None:
    world.school_a1.name = "=HYPERLINK(1)"
    world.school_a1.save()
    reviewed(world, plan)
    response = signed_in(client, world, "board_a").get(
        f"/plans/indicators/boards/{world.board_a.number}.csv"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][3] == "'=HYPERLINK(1)"
    assert rows[1][6:10] == ["2", "1", "1", "0"]  # strategies, then not started, started, in place
    assert rows[-1][3] == "All schools of the board"


def test_a_month_filter_that_is_not_a_month_shows_this_month(client, world, plan) -> None:
    response = signed_in(client, world, "ministry").get("/plans/indicators/?month=2024-13")
    assert response.status_code == 200
    assert response.context["rollup"].window.month == today().strftime("%Y-%m")
    assert response.context["month_form"].errors["month"]


def test_the_school_page_shows_its_plan_in_detail(client, world, plan) -> None:
    reviewed(world, plan)
    page = signed_in(client, world, "principal_a1").get(
        f"/plans/indicators/schools/{world.school_a1.number}/"
    )
    text = page.content.decode()
    assert "Students who explain a strategy in words" in text and "Number talks" in text


def test_the_roll_up_pages_cost_a_fixed_number_of_queries(
    client, world, plan, django_assert_max_num_queries
) -> None:
    client = signed_in(client, world, "ministry")
    client.get("/plans/indicators/")
    with django_assert_max_num_queries(16):
        client.get("/plans/indicators/")


def test_the_plans_pdf_lists_each_strategys_status_and_reviews(
    client, world, plan, tmp_path
) -> None:
    from tests.planning.test_exports import pdf_text

    reviewed(world, plan, status="in_place")
    response = signed_in(client, world, "teacher_a1").get(f"/plans/{plan.pk}/plan.pdf")
    text = pdf_text(
        b"".join(response.streaming_content) if response.streaming else response.content, tmp_path
    )
    assert "Implementation of the strategies" in text
    assert "In place" in text and "Seen in four of six" in text  # the columns interleave lines
    assert "never reviewed" in text


def test_recording_a_checkpoint_names_the_strategies_not_reviewed_at_it(
    client, world, plan
) -> None:
    checkpoint = checkpoints(plan)[0]
    page = signed_in(client, world).get(f"/plans/{plan.pk}/checkpoint/{checkpoint.pk}/")
    text = page.content.decode()
    assert "2 strategies not reviewed at this checkpoint" in text
    assert f"/plans/{plan.pk}/checkpoints/{checkpoint.pk}/review/" in text
