"""Searching the library on a 390 px phone, in English and French, with axe: from the library's
search box to the results, then narrowed by a filter."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from capacity.learning.services import load_shipped
from tests.browser.test_journeys import sign_in
from tests.browser.test_narrow import PHONE, fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_teacher_searches_the_library_on_a_phone(
    page, live_server, world, axe_check, language
) -> None:
    load_shipped()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "teacher_a1")
    if language == "fr":
        page.get_by_role("button", name="Français").click()
        page.wait_for_load_state()
    page.goto(f"{live_server.url}/learning/")
    page.get_by_role(
        "searchbox", name="Mots à chercher" if language == "fr" else "Words to find"
    ).fill("evaluation des eleves" if language == "fr" else "mentoring")
    page.get_by_role("button", name="Rechercher" if language == "fr" else "Search").first.click()
    page.wait_for_url(f"{live_server.url}/learning/search/?*")
    expect(
        page.get_by_role("heading", name="trouvé" if language == "fr" else "found")
    ).to_be_visible()
    results = page.locator("ol.cards > li")
    assert results.count() > 0
    fits(page)
    axe_check(page)
    page.get_by_label("Type de conseil" if language == "fr" else "Board type").select_option(
        "french-catholic"
    )
    page.get_by_role("button", name="Rechercher" if language == "fr" else "Search").click()
    page.wait_for_load_state()
    fits(page)
    axe_check(page)
    results.first.get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/learning/*/?lang=*")
