"""The identification decisions in a real browser: a ministry officer confirms a school on a
390 px phone (htmx swaps the row in place) and sets another aside with a reason, in English and
French; axe finds nothing and nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.phone import fits, sign_in
from tests.evidence import decisions_world as dw

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["en-CA", "fr-CA"])
def test_a_ministry_officer_decides_on_a_phone(
    browser, live_server, world, axe_check, locale
) -> None:
    proposal = dw.proposal(world)
    page = sign_in(browser, live_server, "ministry", locale=locale)
    page.goto(f"{live_server.url}/evidence/decisions/{proposal.pk}/")
    french = locale.startswith("fr")
    if french and page.locator("html").get_attribute("lang") != "fr":
        page.locator("form.lang-switch button").click()
        expect(page.locator("html")).to_have_attribute(
            "lang", "fr"
        )  # the switch posts and comes back
    expect(page.locator("h1")).to_contain_text("2018-19")
    fits(page)
    axe_check(page)

    aspen = page.locator("#change-" + str(dw.change(world, world.school_a1).pk))
    confirm = "Confirmer pour Aspen Public School" if french else "Confirm for Aspen Public School"
    aspen.get_by_role("button", name=confirm).click()
    expect(aspen.get_by_role("button", name=confirm)).to_have_count(0)
    expect(page.locator("#change-" + str(dw.change(world, world.school_a1).pk))).to_contain_text(
        "Confirmé" if french else "Confirmed"
    )

    birch = page.locator("#change-" + str(dw.change(world, world.school_b1).pk))
    aside = (
        "Mettre de côté pour Birch Catholic School"
        if french
        else "Set aside for Birch Catholic School"
    )
    birch.get_by_role("button", name=aside).click()
    expect(page.locator(".field-error")).to_be_visible()  # a reason is required
    box = page.locator("#change-" + str(dw.change(world, world.school_b1).pk)).locator("textarea")
    box.fill("The board already runs an intensive plan there.")
    page.locator("#change-" + str(dw.change(world, world.school_b1).pk)).get_by_role(
        "button", name=aside
    ).click()
    expect(page.locator("#change-" + str(dw.change(world, world.school_b1).pk))).to_contain_text(
        "Mis de côté" if french else "Set aside"
    )
    fits(page)
    axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    axe_check(page)


def test_the_list_and_a_schools_history_read_well(browser, live_server, world, axe_check) -> None:
    dw.a1_confirmed(world)
    page = sign_in(browser, live_server, "principal_a1")
    page.goto(f"{live_server.url}/schools/700001/evidence/")
    expect(page.get_by_role("heading", name="Identification decisions")).to_be_visible()
    page.get_by_role("link", name="The proposal").click()
    expect(page.locator("h1")).to_contain_text("Identification proposal, 2018-19")
    fits(page)
    axe_check(page)
    page.goto(f"{live_server.url}/evidence/decisions/")
    fits(page)
    axe_check(page)
