"""A ministry officer reads the province overview and simulates a threshold, in a real browser."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_ministry_officer_reads_the_overview_and_simulates_a_threshold(
    page, live_server, evidence_world, axe_check
):
    sign_in(page, live_server, "ministry")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Evidence").click()
    page.wait_for_url(re.compile(r"/evidence/$"))
    assert page.get_by_role("heading", name="Where students need more support").is_visible()
    assert page.get_by_role("img", name=re.compile("Schools identified per year")).is_visible()
    page.get_by_text("Show the numbers in a table").click()
    assert page.get_by_role("link", name="Aspen Public School").is_visible()
    axe_check(page)

    page.get_by_role("link", name="Simulate a different policy or threshold").click()
    page.get_by_label("School year").select_option("2018-19")
    page.get_by_label("Proposed threshold (% at standard)").fill("81")
    page.get_by_role("button", name="Simulate").click()
    page.get_by_role("heading", name="What would change in 2018-19").wait_for()
    assert page.get_by_text("Birch Catholic School (700003)").is_visible()
    assert "threshold=81" in page.url  # htmx pushed the query, so the result can be shared
    axe_check(page)

    page.get_by_role("link", name="Province evidence").click()
    page.get_by_role("link", name="Aspen Public School").first.click()
    page.wait_for_url(re.compile(r"/schools/700001/evidence/"))
    assert page.get_by_text("Identified for focused intervention").is_visible()
    axe_check(page)

    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    assert page.get_by_text("Désignée pour une intervention ciblée").is_visible()
    axe_check(page)


def test_a_board_leader_reads_the_board_evidence(page, live_server, evidence_world, axe_check):
    sign_in(page, live_server, "board_a")
    page.goto(f"{live_server.url}/boards/B66001/evidence/?year=2018-19")
    assert page.get_by_role("heading", name="Alpha District School Board: evidence").is_visible()
    axe_check(page)
