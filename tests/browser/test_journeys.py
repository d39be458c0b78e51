"""A person's journeys through the pages, in a real browser, with axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_principal_finds_their_school_switches_to_french_and_signs_out(
    page, live_server, world, axe_check
):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    axe_check(page)

    sign_in(page, live_server, "principal_a1")
    assert page.get_by_role("heading", name="What you are responsible for").is_visible()
    axe_check(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Schools").click()
    page.get_by_label("Name, number or city").fill("Aspen")
    page.get_by_role("button", name="Search").click()
    # htmx swaps the results in (and may swap twice: on typing and on submit); wait until they settle.
    page.wait_for_url(re.compile(r"q=Aspen"))
    expect(page.get_by_text("1 school found")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Aspen Public School").click()
    page.wait_for_url(re.compile(r"/schools/700001/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Aspen Public School"
    axe_check(page)

    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="En un coup d’œil").is_visible()
    axe_check(page)

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert page.get_by_role("heading", name="Ouvrir une session").is_visible()
    axe_check(page)


def test_a_principal_of_another_board_cannot_reach_board_a_school(
    page, live_server, world, axe_check
):
    sign_in(page, live_server, "principal_b1")
    response = page.goto(f"{live_server.url}/schools/{world.school_a1.number}/")
    assert response.status == 403
    assert page.get_by_role("heading", name="Not in your part of the organisation").is_visible()
    assert "Aspen" not in page.content()
    axe_check(page)

    page.goto(f"{live_server.url}/schools/?q=Aspen")
    assert page.get_by_text("0 schools found").is_visible()


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        (
            "ministry",
            [
                "/",
                "/boards/",
                "/boards/B66001/",
                "/schools/",
                "/schools/?level=secondary",
                "/schools/700002/",
                "/networks/",
                "/audit/",
            ],
        ),
        ("board_a", ["/", "/boards/B66001/", "/schools/?board=B66001"]),
        ("facilitator", ["/", "/networks/"]),
    ],
)
def test_every_page_passes_axe_in_both_languages(
    page, live_server, world, axe_check, username, paths
):
    sign_in(page, live_server, username)
    for language in ("en", "fr"):
        if language == "fr":
            page.get_by_role("button", name="Français").click()
            page.wait_for_load_state()
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            axe_check(page)
    page.goto(f"{live_server.url}/networks/{world.network.pk}/")
    axe_check(page)
